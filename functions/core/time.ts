/**
 * Time helpers. Storage is UTC; people see their own zone. DST comes from the IANA rules
 * via Luxon, never from fixed offsets.
 */
import { DateTime, IANAZone, type Zone } from 'luxon';

/** Zone names found valid so far: checking builds an Intl formatter, and a name's validity does not change while running. */
const validZones = new Set<string>();

export function isValidZone(zone: string): boolean {
  if (validZones.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  validZones.add(zone);
  return true;
}

const HOUR_MS = 3_600_000;

/**
 * An IANA zone that remembers its UTC offset hour by hour. Luxon asks the zone for its offset on
 * every DateTime it makes or moves, and IANAZone answers each time by formatting the instant with
 * Intl: a third of a message render went there. An hour whose first and last millisecond have the
 * same offset has it throughout, since no zone changes its clocks twice within an hour; an hour
 * with a change in it is not remembered and is asked as before.
 */
class RememberingZone extends IANAZone {
  private readonly hours = new Map<number, number>();

  override offset(ts: number): number {
    if (!Number.isFinite(ts)) return super.offset(ts);
    const hour = Math.floor(ts / HOUR_MS);
    const known = this.hours.get(hour);
    if (known !== undefined) return known;
    const first = super.offset(hour * HOUR_MS);
    if (first !== super.offset(hour * HOUR_MS + HOUR_MS - 1)) return super.offset(ts);
    // Bounded: a long-running process sees a few days around now, not unbounded history.
    if (this.hours.size >= 8192) this.hours.clear();
    this.hours.set(hour, first);
    return first;
  }
}

const zones = new Map<string, RememberingZone>();

/**
 * The zone to hand Luxon for an IANA name (`dt.setZone(ianaZone(name))`): one per name, remembering
 * offsets. A name that is not a known zone is handed on as it is, so Luxon answers an invalid
 * DateTime exactly as it does for the string.
 */
export function ianaZone(name: string): Zone | string {
  let zone = zones.get(name);
  if (!zone) {
    if (!isValidZone(name)) return name;
    zone = new RememberingZone(name);
    zones.set(name, zone);
  }
  return zone;
}

export type ParsedTime =
  | { ok: true; utc: DateTime }
  | { ok: false; problem: 'invalid' | 'nonexistent' | 'ambiguous'; message: string };

/**
 * Whether `value` carries its own offset (Z, z, +05:30, +0530, +05): then the zone it is read in
 * cannot move the instant. Asking Luxon covers every offset form it accepts, which a regex missed.
 */
function hasExplicitOffset(value: string): boolean {
  const a = DateTime.fromISO(value, { zone: 'UTC' });
  const b = DateTime.fromISO(value, { zone: 'UTC+1' });
  return a.isValid && b.isValid && a.toMillis() === b.toMillis();
}

/**
 * Reads an ISO-8601 instant. With an offset (or Z) it is taken as is; without one it is a wall
 * time in `zone`, refused when DST skips it (nonexistent) or repeats it (ambiguous).
 */
export function parseTimeInZone(value: string, zone: string): ParsedTime {
  if (hasExplicitOffset(value)) return { ok: true, utc: DateTime.fromISO(value, { setZone: true }).toUTC() };
  if (!isValidZone(zone)) return { ok: false, problem: 'invalid', message: `${zone} is not a known time zone` };
  const wall = DateTime.fromISO(value, { zone: 'UTC' });
  if (!wall.isValid) return { ok: false, problem: 'invalid', message: `${value} is not a valid date and time` };
  const matches = wallTimeInstants(wall, zone);
  if (matches.length === 0) {
    return {
      ok: false,
      problem: 'nonexistent',
      message: `${value} does not exist in ${zone}: the clocks skip it for daylight saving time; give another time or an explicit offset`,
    };
  }
  if (matches.length > 1) {
    const offsets = matches.map((m) => m.setZone(ianaZone(zone)).toFormat('ZZ')).join(' or ');
    return {
      ok: false,
      problem: 'ambiguous',
      message: `${value} happens twice in ${zone} (offset ${offsets}) because the clocks go back; add the offset you mean`,
    };
  }
  return { ok: true, utc: matches[0]! };
}

/** Every UTC instant whose wall clock in `zone` reads `wall` (given as a UTC DateTime of the same fields). */
function wallTimeInstants(wall: DateTime, zone: string): DateTime[] {
  const found = new Map<number, DateTime>();
  for (const probeHours of [-26, -3, 0, 3, 26]) {
    const probe = wall.plus({ hours: probeHours });
    const offsetMinutes = probe.setZone(ianaZone(zone)).offset;
    const candidate = wall.minus({ minutes: offsetMinutes });
    const back = candidate.setZone(ianaZone(zone));
    if (
      back.year === wall.year &&
      back.month === wall.month &&
      back.day === wall.day &&
      back.hour === wall.hour &&
      back.minute === wall.minute &&
      back.second === wall.second
    ) {
      found.set(candidate.toMillis(), candidate);
    }
  }
  return [...found.values()].sort((a, b) => a.toMillis() - b.toMillis());
}

/** UTC ISO with Z and no milliseconds: how every instant is stored and answered. */
export function toUtcIso(at: Date | DateTime | string): string {
  // An instant already (Date or DateTime): JavaScript's own ISO form, cut to the second, is the same
  // text without a DateTime made for it (every stored time goes through here).
  const ms = typeof at === 'string' ? NaN : at instanceof Date ? at.getTime() : at.isValid ? at.toMillis() : NaN;
  if (Number.isFinite(ms) && Math.abs(ms) <= MAX_FOUR_DIGIT_YEAR_MS) return new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString().replace('.000Z', 'Z');
  return validDateTime(at).toUTC().startOf('second').toISO({ suppressMilliseconds: true })!;
}

/** Past 9999 JavaScript writes six-digit years with a sign; Luxon is left to write those. */
const MAX_FOUR_DIGIT_YEAR_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/** The same instant in `zone`, ISO with its offset (the API's `...Local` fields). */
export function toLocalIso(at: Date | DateTime | string, zone: string): string {
  const local = validDateTime(at).setZone(ianaZone(zone));
  if (!local.isValid) throw new RangeError(`not a known time zone: ${zone}`);
  return local.startOf('second').toISO({ suppressMilliseconds: true })!;
}

/** "Wednesday, November 25 at 3:00 PM EST", for people. */
export function humanTime(at: Date | DateTime | string, zone: string): string {
  const dt = asDateTime(at).setZone(ianaZone(zone));
  return `${dt.toFormat("cccc, LLLL d 'at' h:mm a")} ${zoneAbbreviation(dt)}`;
}

/** "3:00 PM EST". */
export function humanClock(at: Date | DateTime | string, zone: string): string {
  const dt = asDateTime(at).setZone(ianaZone(zone));
  return `${dt.toFormat('h:mm a')} ${zoneAbbreviation(dt)}`;
}

/**
 * The usual abbreviations where Intl gives none in en-US (it knows only North American names and
 * answers "GMT+1" for Berlin): [standard, daylight saving] by IANA zone. One name when the zone
 * keeps no daylight saving time. Names a local reader would use, kept short on purpose: anything
 * not listed falls back to the UTC offset, which is never wrong.
 */
const ZONE_NAMES: Record<string, readonly [string, string?]> = {};
/** The table, for tests that check it against the zone rules. */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, readonly [string, string?]>> = ZONE_NAMES;
function names(std: string, dst: string | undefined, zones: string): void {
  for (const zone of zones.trim().split(/\s+/)) ZONE_NAMES[zone] = dst ? [std, dst] : [std];
}
names('GMT', 'BST', 'Europe/London Europe/Belfast Europe/Guernsey Europe/Isle_of_Man Europe/Jersey GB');
names('GMT', 'IST', 'Europe/Dublin Eire');
names('WET', 'WEST', 'Europe/Lisbon Portugal Atlantic/Canary Atlantic/Madeira Atlantic/Faroe');
names(
  'CET',
  'CEST',
  `Europe/Berlin Europe/Paris Europe/Madrid Europe/Rome Europe/Amsterdam Europe/Brussels Europe/Vienna Europe/Zurich
   Europe/Stockholm Europe/Oslo Europe/Copenhagen Europe/Warsaw Europe/Prague Europe/Budapest Europe/Luxembourg
   Europe/Monaco Europe/Malta Europe/Belgrade Europe/Zagreb Europe/Ljubljana Europe/Bratislava Europe/Sarajevo
   Europe/Skopje Europe/Tirane Europe/Andorra Europe/Gibraltar Europe/Vaduz Europe/San_Marino Europe/Vatican
   Europe/Podgorica Europe/Busingen Africa/Ceuta Arctic/Longyearbyen Poland`,
);
names('CET', undefined, 'Africa/Algiers Africa/Tunis');
names(
  'EET',
  'EEST',
  `Europe/Athens Europe/Helsinki Europe/Bucharest Europe/Sofia Europe/Kyiv Europe/Kiev Europe/Riga Europe/Tallinn
   Europe/Vilnius Europe/Chisinau Europe/Mariehamn Asia/Nicosia Europe/Nicosia Asia/Famagusta Asia/Beirut Africa/Cairo Egypt`,
);
names('EET', undefined, 'Africa/Tripoli Europe/Kaliningrad');
names('MSK', undefined, 'Europe/Moscow W-SU');
names('TRT', undefined, 'Europe/Istanbul Asia/Istanbul Turkey');
names('IST', undefined, 'Asia/Kolkata Asia/Calcutta');
names('IST', 'IDT', 'Asia/Jerusalem Asia/Tel_Aviv Israel');
names('PKT', undefined, 'Asia/Karachi');
names('GST', undefined, 'Asia/Dubai Asia/Muscat');
names('SGT', undefined, 'Asia/Singapore Singapore');
names('HKT', undefined, 'Asia/Hong_Kong Hongkong');
names('JST', undefined, 'Asia/Tokyo Japan');
names('KST', undefined, 'Asia/Seoul ROK');
names('WIB', undefined, 'Asia/Jakarta');
names('ICT', undefined, 'Asia/Bangkok Asia/Ho_Chi_Minh Asia/Saigon');
names('MYT', undefined, 'Asia/Kuala_Lumpur');
names('PHT', undefined, 'Asia/Manila');
names('SAST', undefined, 'Africa/Johannesburg');
names('WAT', undefined, 'Africa/Lagos');
names('EAT', undefined, 'Africa/Nairobi');
names('AEST', 'AEDT', 'Australia/Sydney Australia/Melbourne Australia/Hobart Australia/Canberra Australia/ACT Australia/NSW Australia/Victoria Australia/Tasmania');
names('AEST', undefined, 'Australia/Brisbane Australia/Lindeman Australia/Queensland');
names('ACST', 'ACDT', 'Australia/Adelaide Australia/Broken_Hill Australia/South');
names('ACST', undefined, 'Australia/Darwin Australia/North');
names('AWST', undefined, 'Australia/Perth Australia/West');
names('NZST', 'NZDT', 'Pacific/Auckland NZ Antarctica/McMurdo');
names('NST', 'NDT', 'America/St_Johns Canada/Newfoundland');
names('BRT', undefined, 'America/Sao_Paulo Brazil/East');
names('ART', undefined, 'America/Argentina/Buenos_Aires America/Buenos_Aires');
names('COT', undefined, 'America/Bogota');
names('PET', undefined, 'America/Lima');
names('CLT', 'CLST', 'America/Santiago Chile/Continental');

const abbreviations = new Map<string, Intl.DateTimeFormat>();
/** The smaller of a zone's offsets in January and July of a year: its standard time. */
const standardOffsets = new Map<string, number>();

/** Whether `dt` is on daylight saving time in its zone (the larger of the year's two offsets). */
function onDaylightTime(dt: DateTime, zone: string): boolean {
  const key = `${zone} ${dt.year}`;
  let standard = standardOffsets.get(key);
  if (standard === undefined) {
    const jan = DateTime.fromObject({ year: dt.year, month: 1, day: 1 }, { zone: ianaZone(zone) }).offset;
    const jul = DateTime.fromObject({ year: dt.year, month: 7, day: 1 }, { zone: ianaZone(zone) }).offset;
    standard = Math.min(jan, jul);
    standardOffsets.set(key, standard);
  }
  return dt.offset > standard;
}

/** "UTC+1", "UTC-3:30", "UTC+13:45", "UTC": an offset nobody can misread. */
export function utcOffsetName(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const minutes = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

/**
 * The zone's usual abbreviation at that instant: "EST", "CET", "BST", "IST", "AEDT". From the table
 * above, else from Intl in en-US where it knows a name (North America, UTC, GMT), else the offset
 * ("UTC+5:45"). One Intl formatter is kept per zone: building them is the slowest part of a render.
 */
export function zoneAbbreviation(dt: DateTime): string {
  const zone = dt.zoneName ?? 'UTC';
  const listed = ZONE_NAMES[zone];
  if (listed) return onDaylightTime(dt, zone) && listed[1] ? listed[1] : listed[0];
  // A zone's name for an offset is the same all year: asked of Intl once per zone, year and offset.
  const key = `${zone} ${dt.year} ${dt.offset}`;
  let answer = abbreviationsSeen.get(key);
  if (answer === undefined) {
    let format = abbreviations.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
      abbreviations.set(zone, format);
    }
    const name = format.formatToParts(dt.toJSDate()).find((p) => p.type === 'timeZoneName')?.value;
    // "GMT+1" reads like a typo to most people and is easy to get backwards; say it as UTC.
    answer = name && /^[A-Z]{2,5}$/.test(name) ? name : utcOffsetName(dt.offset);
    if (abbreviationsSeen.size >= 4096) abbreviationsSeen.clear();
    abbreviationsSeen.set(key, answer);
  }
  return answer;
}

const abbreviationsSeen = new Map<string, string>();

/**
 * "yesterday", "3 days ago": made on first use, not at load. Making the first Intl formatter loads
 * ICU's locale data (about 10 ms), which functions that never say a day (events, sweep) need not pay.
 */
let dayWords: Intl.RelativeTimeFormat | undefined;

/**
 * Calendar days from `from` to `to` as their wall calendars read (give both in one zone): Monday
 * 23:00 to Wednesday 01:00 is 2. Counted from the dates alone, so a 23- or 25-hour day is one day.
 */
export function calendarDaysBetween(from: DateTime, to: DateTime): number {
  return Math.round((Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / 86_400_000);
}

export function relativeTime(at: Date | DateTime | string, now: Date, zone?: string): string {
  const base = DateTime.fromJSDate(now);
  if (zone) {
    // Across days, count calendar days where the prospect is: Monday evening to Wednesday is "2 days ago".
    const days = calendarDaysBetween(base.setZone(ianaZone(zone)), asDateTime(at).setZone(ianaZone(zone)));
    // As Luxon's toRelativeCalendar({ unit: 'days' }) says it ("yesterday", "3 days ago"), without its Duration arithmetic.
    if (days !== 0) return (dayWords ??= new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' })).format(days, 'day');
  }
  return asDateTime(at).toRelative({ base }) ?? '';
}

/** Luxon answers an invalid instant's toISO() with null; storing that as a string would hide it. */
function validDateTime(at: Date | DateTime | string): DateTime {
  const dt = asDateTime(at);
  if (!dt.isValid) throw new RangeError(`not a valid instant: ${String(at)}`);
  return dt;
}

export function asDateTime(at: Date | DateTime | string): DateTime {
  if (typeof at === 'string') return DateTime.fromISO(at, { setZone: true });
  if (at instanceof Date) return DateTime.fromJSDate(at);
  return at;
}
