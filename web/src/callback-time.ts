/**
 * What a rep types in "Callback time" ("tomorrow 10am", "thu 2:30pm", "in 3 days at 9", a picked
 * 2026-11-25T15:00) read where the prospect is. chrono-node reads the words into wall-clock fields
 * against the prospect's wall clock now; Luxon turns those fields into an instant by the zone's real
 * rules, refusing a time DST skips or repeats as the API does. Pure: no DOM, so it is unit-tested.
 */
import { casual } from 'chrono-node/en';
import { DateTime } from 'luxon';
import { parseTimeInZone, toLocalIso } from '../../functions/core/time.js';

export interface TimeContext {
  /** The prospect's IANA zone: where the words are read. */
  zone: string;
  /** The prospect's country (ISO 3166-1 alpha-2), for public holidays. */
  country?: string;
  /** The rep's IANA zone, to show the time where the rep is too. */
  repZone: string;
  now: Date;
  /** Whether a local date (yyyy-mm-dd) is a public holiday in `country`. */
  isHoliday?: (isoDate: string, country: string) => boolean;
  businessHours?: BusinessHours;
}

/** Hours on a 24-hour clock, [start, end), on ISO weekdays (1 = Monday). */
export interface BusinessHours {
  start: number;
  end: number;
  days: readonly number[];
}

export type Resolved =
  | {
      ok: true;
      /** ISO with the prospect's offset: what the API is sent (an instant, never an ambiguous wall time). */
      iso: string;
      prospectLocal: DateTime;
      repLocal: DateTime;
      /** Parts the rep did not say and that were assumed ("no time given: 12:00"). */
      assumed: string[];
      /** Reasons to look twice, none of them blocking: outside business hours, a holiday, the past. */
      warnings: string[];
      inPast: boolean;
    }
  | { ok: false; message: string };

/** 09:00 to 17:00, Monday to Friday: the cadence policy's default business hours. */
export const DEFAULT_BUSINESS_HOURS: BusinessHours = { start: 9, end: 17, days: [1, 2, 3, 4, 5] };

export function resolveCallbackTime(text: string, ctx: TimeContext): Resolved {
  const input = text.trim();
  if (!input) return { ok: false, message: 'Type a time, for example "tomorrow 10am" or "thu 2:30pm"' };
  const nowThere = DateTime.fromJSDate(ctx.now).setZone(ctx.zone);
  if (!nowThere.isValid) return { ok: false, message: `${ctx.zone} is not a known time zone` };

  // The reference carries the prospect's offset now, so "tomorrow" and "10am" are their day and clock.
  const [result] = casual.parse(input, { instant: ctx.now, timezone: nowThere.offset }, { forwardDate: true });
  if (!result) return { ok: false, message: `"${input}" is not a time I can read: try "tomorrow 10am", "thu 2:30pm" or "in 3 days at 9"` };
  const start = result.start;
  const assumed: string[] = [];

  let instant: DateTime;
  if (start.isCertain('timezoneOffset')) {
    // The rep named a zone ("10am PST") or a span from now ("in 2 hours"): chrono's instant is exact.
    instant = DateTime.fromJSDate(start.date()).toUTC();
  } else {
    let wall = DateTime.fromObject(
      { year: start.get('year')!, month: start.get('month')!, day: start.get('day')!, hour: start.get('hour')!, minute: start.get('minute')! },
      { zone: 'utc' },
    );
    if (!wall.isValid) return { ok: false, message: `"${input}" does not give a real date` };
    if (!start.isCertain('hour')) {
      // A day alone ("tomorrow", "fri"): chrono keeps the clock of now; the start of their working day reads better.
      const hours = ctx.businessHours ?? DEFAULT_BUSINESS_HOURS;
      wall = wall.set({ hour: hours.start, minute: 0 });
      assumed.push(`no time given: ${wall.toFormat('h:mm a')}, the start of their working day, assumed`);
    }
    const parsed = parseTimeInZone(wall.toFormat("yyyy-LL-dd'T'HH:mm"), ctx.zone);
    if (!parsed.ok) return { ok: false, message: parsed.problem === 'invalid' ? parsed.message : dstMessage(parsed.problem, wall, ctx.zone) };
    instant = parsed.utc;
  }

  const prospectLocal = instant.setZone(ctx.zone);
  const repLocal = instant.setZone(ctx.repZone);
  const inPast = instant.toMillis() <= ctx.now.getTime();
  return {
    ok: true,
    iso: toLocalIso(instant, ctx.zone),
    prospectLocal,
    repLocal,
    assumed,
    warnings: [...(inPast ? ['This time has passed: pick one from now on'] : []), ...businessWarnings(prospectLocal, ctx)],
    inPast,
  };
}

/**
 * A wall time the prospect's clocks skip or repeat, said so a rep can fix it: the time an hour on for a
 * skipped one; for a repeated one, the zone names that tell the two apart when the zone has names
 * (chrono reads "1:30am EDT"), else another time.
 */
function dstMessage(problem: 'nonexistent' | 'ambiguous', wall: DateTime, zone: string): string {
  const when = `${wall.toFormat('h:mm a')} on ${wall.toFormat('ccc d LLL')}`;
  if (problem === 'nonexistent') {
    return `${when} does not exist where they are: the clocks go forward an hour that night. Try ${wall.plus({ hours: 1 }).toFormat('h:mm a')} or another time`;
  }
  const local = DateTime.fromObject(wall.toObject(), { zone });
  const names = [local.minus({ days: 1 }), local.plus({ days: 1 })].map((d) => d.setLocale('en-US').offsetNameShort ?? '');
  const typed = `${wall.toFormat('LLL d').toLowerCase()} ${wall.toFormat('h:mma').toLowerCase()}`;
  const example = names.every((n) => /^[A-Z]{3,5}$/.test(n)) ? `: say which, "${typed} ${names[0]}" or "${typed} ${names[1]}"` : ': pick another time';
  return `${when} happens twice where they are (the clocks go back an hour that night)${example}`;
}

/** Why a time is outside the prospect's business hours, if it is. */
export function businessWarnings(local: DateTime, ctx: Pick<TimeContext, 'country' | 'isHoliday' | 'businessHours'>): string[] {
  const hours = ctx.businessHours ?? DEFAULT_BUSINESS_HOURS;
  const warnings: string[] = [];
  const clock = (h: number) => DateTime.fromObject({ hour: h }).toFormat('h a');
  if (ctx.country && ctx.isHoliday?.(local.toISODate()!, ctx.country)) {
    warnings.push(`${local.toFormat('cccc d LLLL')} is a public holiday where the prospect is`);
  }
  if (!hours.days.includes(local.weekday)) {
    warnings.push(`That is a ${local.toFormat('cccc')} for the prospect, outside their working week`);
  } else {
    const minutes = local.hour * 60 + local.minute;
    if (minutes < hours.start * 60 || minutes >= hours.end * 60) {
      warnings.push(`Outside the prospect's business hours (${clock(hours.start)} to ${clock(hours.end)} their time)`);
    }
  }
  return warnings;
}

/** A picked `datetime-local` value (2026-11-25T15:00) as text the field reads back the same way. */
export function pickedToText(value: string): string {
  return value.replace('T', ' ');
}
