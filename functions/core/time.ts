/**
 * Time helpers. Storage is UTC; people see their own zone. DST comes from the IANA rules
 * via Luxon, never from fixed offsets.
 */
import { DateTime, IANAZone } from 'luxon';

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
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
    const offsets = matches.map((m) => m.setZone(zone).toFormat('ZZ')).join(' or ');
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
    const offsetMinutes = probe.setZone(zone).offset;
    const candidate = wall.minus({ minutes: offsetMinutes });
    const back = candidate.setZone(zone);
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
  return validDateTime(at).toUTC().startOf('second').toISO({ suppressMilliseconds: true })!;
}

/** The same instant in `zone`, ISO with its offset (the API's `...Local` fields). */
export function toLocalIso(at: Date | DateTime | string, zone: string): string {
  const local = validDateTime(at).setZone(zone);
  if (!local.isValid) throw new RangeError(`not a known time zone: ${zone}`);
  return local.startOf('second').toISO({ suppressMilliseconds: true })!;
}

/** "Wednesday, November 25 at 3:00 PM EST", for people. */
export function humanTime(at: Date | DateTime | string, zone: string): string {
  const dt = asDateTime(at).setZone(zone);
  return `${dt.toFormat("cccc, LLLL d 'at' h:mm a")} ${zoneAbbreviation(dt)}`;
}

/** "3:00 PM EST". */
export function humanClock(at: Date | DateTime | string, zone: string): string {
  const dt = asDateTime(at).setZone(zone);
  return `${dt.toFormat('h:mm a')} ${zoneAbbreviation(dt)}`;
}

const abbreviations = new Map<string, Intl.DateTimeFormat>();

/**
 * The short zone name at that instant ("EST", "GMT+11"), as Luxon's ZZZZ gives it, but with one
 * Intl formatter per zone kept: Luxon builds a new one on every call, the slowest part of a render.
 */
export function zoneAbbreviation(dt: DateTime): string {
  const zone = dt.zoneName ?? 'UTC';
  let format = abbreviations.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' });
    abbreviations.set(zone, format);
  }
  return format.formatToParts(dt.toJSDate()).find((p) => p.type === 'timeZoneName')?.value ?? dt.toFormat('ZZZZ');
}

/** "3 days ago", "in 2 hours", relative to `now`. */
export function relativeTime(at: Date | DateTime | string, now: Date, zone?: string): string {
  const base = DateTime.fromJSDate(now);
  if (zone) {
    // Across days, count calendar days where the prospect is: Monday evening to Wednesday is "2 days ago".
    const then = asDateTime(at).setZone(zone);
    const today = base.setZone(zone);
    if (!then.hasSame(today, 'day')) return then.toRelativeCalendar({ base: today, unit: 'days' }) ?? '';
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
