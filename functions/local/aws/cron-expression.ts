/**
 * Scheduler's cron(minutes hours day-of-month month day-of-week year), read and evaluated as the
 * cron reference documents it (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html,
 * which the Scheduler guide's schedule types page points to):
 *
 * | field        | values          | wildcards      |
 * | minutes      | 0-59            | , - * /        |
 * | hours        | 0-23            | , - * /        |
 * | day-of-month | 1-31            | , - * ? / L W  |
 * | month        | 1-12, JAN-DEC   | , - * /        |
 * | day-of-week  | 1-7, SUN-SAT    | , - * ? L #    |
 * | year         | 1970-2199       | , - * /        |
 *
 * One of day-of-month and day-of-week must be `?` and the other must not; `#` stands alone in its
 * field. Across a DST change Scheduler skips a time the clocks jump over and runs a repeated time
 * once (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time).
 */
import { DateTime } from 'luxon';

/** Which days of a month match: a set of days, `L` (the last), or `nW` (the weekday nearest n). */
type DayOfMonth = { any: true } | { days: Set<number>; last: boolean; nearestWeekday?: number };
/** Which weekdays (1 = Sunday .. 7 = Saturday) match: a set, `nL` (the last n of the month), or `n#k`. */
type DayOfWeek = { any: true } | { days: Set<number>; lastOf?: number; nth?: { day: number; k: number } };

export interface CronSpec {
  minutes: number[];
  hours: number[];
  dayOfMonth: DayOfMonth;
  months: Set<number>;
  dayOfWeek: DayOfWeek;
  years: Set<number>;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MAX_YEAR = 2199;

/** The six fields read, or undefined when any breaks the documented rules. */
export function parseCron(fields: string[]): CronSpec | undefined {
  if (fields.length !== 6) return undefined;
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  // Exactly one of the two day fields is `?`.
  if ((dom === '?') === (dow === '?')) return undefined;
  const minutes = list(min, 0, 59);
  const hours = list(hour, 0, 23);
  const months = list(month, 1, 12, MONTHS);
  const years = list(year, 1970, MAX_YEAR);
  const dayOfMonth = dom === '?' ? { any: true as const } : readDayOfMonth(dom);
  const dayOfWeek = dow === '?' ? { any: true as const } : readDayOfWeek(dow);
  if (!minutes || !hours || !months || !years || !dayOfMonth || !dayOfWeek) return undefined;
  return { minutes: [...minutes].sort((a, b) => a - b), hours: [...hours].sort((a, b) => a - b), dayOfMonth, months, dayOfWeek, years };
}

/** The first time strictly after `after` (ms) that the expression names in `zone`, or undefined. */
export function nextCron(spec: CronSpec, zone: string, after: number): number | undefined {
  let day = DateTime.fromMillis(after, { zone }).startOf('day');
  while (day.year <= MAX_YEAR) {
    if (!spec.years.has(day.year)) {
      day = day.plus({ years: 1 }).startOf('year');
      continue;
    }
    if (!spec.months.has(day.month)) {
      day = day.plus({ months: 1 }).startOf('month');
      continue;
    }
    if (matchesDay(spec, day)) {
      for (const hour of spec.hours) {
        for (const minute of spec.minutes) {
          const at = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone });
          // A wall time the clocks jump over comes back shifted: skipped, as Scheduler skips it.
          if (!at.isValid || at.hour !== hour || at.minute !== minute) continue;
          if (at.toMillis() > after) return at.toMillis();
        }
      }
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
  return undefined;
}

function matchesDay(spec: CronSpec, day: DateTime): boolean {
  const dom = spec.dayOfMonth;
  const dow = spec.dayOfWeek;
  // luxon's weekday is 1 = Monday .. 7 = Sunday; cron's is 1 = Sunday .. 7 = Saturday.
  const weekday = (day.weekday % 7) + 1;
  const daysInMonth = day.daysInMonth!;
  if (!('any' in dom)) {
    if (dom.last) return day.day === daysInMonth;
    if (dom.nearestWeekday !== undefined) return day.day === nearestWeekday(day, dom.nearestWeekday);
    return dom.days.has(day.day);
  }
  if ('any' in dow) return true;
  if (dow.lastOf !== undefined) return weekday === dow.lastOf && day.day + 7 > daysInMonth;
  if (dow.nth) return weekday === dow.nth.day && Math.ceil(day.day / 7) === dow.nth.k;
  return dow.days.has(weekday);
}

/** The weekday nearest the n-th of the month, never leaving the month. */
function nearestWeekday(day: DateTime, n: number): number {
  const target = Math.min(n, day.daysInMonth!);
  const date = day.set({ day: target });
  if (date.weekday === 6) return target === 1 ? 3 : target - 1;
  if (date.weekday === 7) return target === day.daysInMonth ? target - 2 : target + 1;
  return target;
}

function readDayOfMonth(field: string): DayOfMonth | undefined {
  if (field === 'L') return { days: new Set(), last: true };
  const weekday = /^([1-9]|[12]\d|3[01])W$/.exec(field);
  if (weekday) return { days: new Set(), last: false, nearestWeekday: Number(weekday[1]) };
  const days = list(field, 1, 31);
  return days ? { days, last: false } : undefined;
}

function readDayOfWeek(field: string): DayOfWeek | undefined {
  const nth = /^([1-7]|[A-Z]{3})#([1-5])$/.exec(field);
  if (nth) {
    const day = value(nth[1]!, 1, 7, DAYS);
    return day === undefined ? undefined : { days: new Set(), nth: { day, k: Number(nth[2]) } };
  }
  // `L` alone is the last day of the week (Saturday); `nL` the last such weekday of the month.
  if (field === 'L') return { days: new Set([7]) };
  const last = /^([1-7]|[A-Z]{3})L$/.exec(field);
  if (last) {
    const day = value(last[1]!, 1, 7, DAYS);
    return day === undefined ? undefined : { days: new Set(), lastOf: day };
  }
  const days = list(field, 1, 7, DAYS);
  return days ? { days } : undefined;
}

/** A comma list of `*`, `n`, `a-b`, each optionally `/step`; undefined when any part is out of range. */
function list(field: string, min: number, max: number, names?: string[]): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|[0-9A-Z]+(?:-[0-9A-Z]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const step = match[2] === undefined ? 1 : Number(match[2]);
    if (step < 1) return undefined;
    let from = min;
    let to = max;
    if (match[1] !== '*') {
      const [a, b] = match[1]!.split('-') as [string, string | undefined];
      const start = value(a, min, max, names);
      const end = b === undefined ? (match[2] === undefined ? start : max) : value(b, min, max, names);
      if (start === undefined || end === undefined) return undefined;
      from = start;
      to = end < start ? end + (max - min + 1) : end;
    }
    for (let v = from; v <= to; v += step) out.add(v > max ? v - (max - min + 1) : v);
  }
  return out;
}

function value(text: string, min: number, max: number, names?: string[]): number | undefined {
  const named = names?.indexOf(text) ?? -1;
  const n = named >= 0 ? named + min : /^\d+$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}
