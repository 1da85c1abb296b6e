/**
 * EventBridge Scheduler's schedule expressions, as the local endpoint reads them
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
 *
 * - `at(yyyy-mm-ddThh:mm:ss)`: one time, in ScheduleExpressionTimezone (default UTC).
 * - `rate(value unit)`: recurring, a positive integer and minute(s) | hour(s) | day(s). "If you do
 *   not provide a StartDate for a rate-based schedule, your schedule starts invoking its target
 *   immediately"; with one, StartDate is its first occurrence. Then every period, until EndDate.
 * - `cron(minutes hours day-of-month month day-of-week year)`: recurring, read and fired in the
 *   time zone as cron-expression.ts describes, between StartDate and EndDate.
 *
 * Scheduler invokes with 60-second precision: a schedule set for 1:00 fires between 1:00:00 and
 * 1:00:59. `fireTime` models that for the jitter mode.
 */
import { DateTime } from 'luxon';
import { nextCron, parseCron, type CronSpec } from './cron-expression.js';
import { AwsServiceError } from './wire.js';

export type ScheduleTiming = { kind: 'at'; at: number } | { kind: 'rate'; everyMs: number } | { kind: 'cron'; spec: CronSpec; zone: string };

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((\S+(?: \S+){5})\)$/;
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Reads an expression evaluated in `timezone`. A malformed one is the service's ValidationException
 * "Invalid Schedule Expression <expression>." (the wording users report from AWS, e.g.
 * https://github.com/localstack/localstack/issues/9284).
 */
export function parseScheduleExpression(expression: string, timezone: string): ScheduleTiming {
  const invalid = () => new AwsServiceError('ValidationException', `Invalid Schedule Expression ${expression}.`);
  const at = AT.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    // luxon rolls hour 24 over to the next day; a clock reading has none.
    if (hour > 23 || minute > 59 || second > 59) throw invalid();
    const local = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: timezone });
    // fromObject refuses a date out of range (month 13, 30 February): such a time is invalid.
    if (!local.isValid) throw invalid();
    // A wall time skipped by a DST change comes out shifted forward by the gap, as luxon resolves it.
    return { kind: 'at', at: local.toMillis() };
  }
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    if (!Number.isSafeInteger(value) || value < 1) throw invalid();
    const unit = rate[2]!.replace(/s$/, '') as keyof typeof UNIT_MS;
    return { kind: 'rate', everyMs: value * UNIT_MS[unit] };
  }
  const cron = CRON.exec(expression);
  const spec = cron ? parseCron(cron[1]!.split(' ')) : undefined;
  if (spec) return { kind: 'cron', spec, zone: timezone };
  throw invalid();
}

export interface Recurrence {
  startDate?: number;
  endDate?: number;
  /** When this definition was written (created or updated): a recurring one without StartDate starts here. */
  since: number;
}

/**
 * The next time the schedule is due strictly after `after` (ms), or its first time when `after` is
 * undefined; undefined when it never is again (an at() already run, a recurring one past its
 * EndDate). An at() ignores StartDate and EndDate, as the API reference says of one-time schedules.
 */
export function nextDue(timing: ScheduleTiming, recurrence: Recurrence, after?: number): number | undefined {
  if (timing.kind === 'at') return after === undefined || timing.at > after ? timing.at : undefined;
  let due: number | undefined;
  if (timing.kind === 'rate') {
    const anchor = recurrence.startDate ?? recurrence.since;
    const periods = after === undefined || after < anchor ? 0 : Math.floor((after - anchor) / timing.everyMs) + 1;
    due = anchor + periods * timing.everyMs;
  } else {
    // Occurrences from StartDate (or the creation) on, that one included.
    const from = Math.max(after ?? -Infinity, (recurrence.startDate ?? recurrence.since) - 1);
    due = nextCron(timing.spec, timing.zone, from);
  }
  return due === undefined || (recurrence.endDate !== undefined && due > recurrence.endDate) ? undefined : due;
}

export type JitterMode = 'none' | 'minute';

/**
 * The instant the local runtime invokes a schedule due at `due`. With jitter 'none', exactly then.
 * With 'minute', uniformly within [due floored to its minute, +60 s), as Scheduler's 60-second
 * precision allows, so tests meet the orderings AWS can produce; a FLEXIBLE window of N minutes
 * widens that to [floor, +N minutes), as Scheduler "invokes the target within the time window"
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html).
 */
export function fireTime(due: number, mode: JitterMode, random: () => number, flexibleWindowMinutes?: number): number {
  if (mode === 'none') return due;
  const floor = Math.floor(due / 60_000) * 60_000;
  const width = Math.max(1, flexibleWindowMinutes ?? 1) * 60_000;
  // random() is in [0, 1); clamp anyway so an injected RNG that returns 1 stays inside the minute.
  return floor + Math.min(width - 1, Math.floor(random() * width));
}
