/**
 * The figures of `GET /v1/reports/promises`: whether reps call when the reminder says, which attempts and
 * which of the prospect's hours reach people, and which voicemail scripts earn a callback. Pure: the
 * caller reads the rep's calls and touches and hands them over (see docs/reports.md for the answer).
 */
import { DateTime } from 'luxon';
import type { Outcome } from './constants.js';
import type { Call, Touch } from './schemas.js';
import { toUtcIso, ianaZone } from './time.js';

/** Outcomes where the rep spoke with the prospect. */
export const REACHING_OUTCOMES: readonly Outcome[] = ['callback_agreed', 'stalled', 'won', 'not_interested'];
const UNANSWERED: readonly Outcome[] = ['voicemail', 'no_answer'];

export const DEFAULT_WINDOW_MINUTES = 15;

export interface PromisesReportInput {
  /**
   * The rep's calls. Include each prospect's calls from before `from` too: attempt numbers count the
   * unanswered calls since the last conversation, and a voicemail's callback may come after `to`.
   */
  calls: readonly Call[];
  /** The rep's touches (rep reminders are the ones read; other kinds are ignored). */
  touches: readonly Touch[];
  /** Each prospect's IANA zone; a prospect missing here takes the zone its touches carry, else UTC. */
  zones?: Readonly<Record<string, string>>;
}

export interface PromisesReportOptions {
  /** Start of the period, inclusive (ISO instant). */
  from: string;
  /** End of the period, exclusive (ISO instant). */
  to: string;
  /** A call this close to a reminder's due time (before or after) keeps its promise. */
  windowMinutes?: number;
}

export interface RateRow {
  calls: number;
  reached: number;
  /** reached / calls, 0..1 (null with no calls). */
  rate: number | null;
}

export interface PromisesReport {
  from: string;
  to: string;
  windowMinutes: number;
  promisesKept: {
    /** Rep reminders sent with a due time in the period. */
    reminders: number;
    /** Followed by a logged call within the window of the due time. */
    kept: number;
    /** Followed by a call, but later than the window. */
    late: number;
    /** No call for that prospect before their next reminder (or at all). */
    missed: number;
    keptRate: number | null;
    /** Median minutes from due time to the call, over kept and late reminders (early counts 0). */
    medianMinutesLate: number | null;
  };
  reachByAttempt: (RateRow & { attempt: number })[];
  reachByLocalHour: (RateRow & { hour: number })[];
  callbacksAfterVoicemail: {
    /** The voicemail script template left ("voicemail/cost_savings"), or "unknown". */
    template: string;
    voicemails: number;
    callbacks: number;
    rate: number | null;
  }[];
}

const ms = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();
const MINUTE = 60_000;

export function promisesReport(input: PromisesReportInput, options: PromisesReportOptions): PromisesReport {
  const windowMinutes = options.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
  if (!Number.isFinite(windowMinutes) || windowMinutes < 0) throw new RangeError(`windowMinutes must be 0 or more, not ${windowMinutes}`);
  const from = ms(options.from);
  const to = ms(options.to);
  if (!(to > from)) throw new RangeError('to must be after from');
  const inPeriod = (iso: string) => {
    const t = ms(iso);
    return t >= from && t < to;
  };

  const callsByProspect = groupSorted(input.calls, (c) => c.prospectId, (c) => ms(c.at));
  const remindersByProspect = groupSorted(
    input.touches.filter((t) => t.kind === 'rep_reminder' && t.status === 'sent'),
    (t) => t.prospectId,
    (t) => ms(t.dueAt),
  );
  const zoneOf = zoneLookup(input);

  return {
    from: toUtcIso(new Date(from)),
    to: toUtcIso(new Date(to)),
    windowMinutes,
    promisesKept: promisesKept(remindersByProspect, callsByProspect, inPeriod, windowMinutes * MINUTE),
    ...reach(callsByProspect, inPeriod, zoneOf),
    callbacksAfterVoicemail: callbacksAfterVoicemail(callsByProspect, remindersByProspect, inPeriod, windowMinutes * MINUTE),
  };
}

function promisesKept(
  reminders: Map<string, Touch[]>,
  calls: Map<string, Call[]>,
  inPeriod: (iso: string) => boolean,
  window: number,
): PromisesReport['promisesKept'] {
  let count = 0;
  let kept = 0;
  let late = 0;
  const lateness: number[] = [];
  for (const [prospectId, list] of reminders) {
    const prospectCalls = calls.get(prospectId) ?? [];
    list.forEach((reminder, i) => {
      if (!inPeriod(reminder.dueAt)) return;
      count++;
      const due = ms(reminder.dueAt);
      // A call answers this reminder from its window (never the call that made it) until the next reminder's.
      const made = prospectCalls.find((c) => c.id === reminder.callId);
      const since = Math.max(due - window, made ? ms(made.at) + 1 : -Infinity);
      const next = list[i + 1];
      const until = next ? ms(next.dueAt) - window : Infinity;
      const call = prospectCalls.find((c) => c.id !== reminder.callId && ms(c.at) >= since && ms(c.at) < until);
      if (!call) return;
      const minutesLate = Math.max(0, (ms(call.at) - due) / MINUTE);
      lateness.push(minutesLate);
      if (ms(call.at) - due <= window) kept++;
      else late++;
    });
  }
  return {
    reminders: count,
    kept,
    late,
    missed: count - kept - late,
    keptRate: ratio(kept, count),
    medianMinutesLate: lateness.length ? Math.round(median(lateness) * 10) / 10 : null,
  };
}

function reach(calls: Map<string, Call[]>, inPeriod: (iso: string) => boolean, zoneOf: (prospectId: string) => string) {
  const byAttempt = new Map<number, RateRow>();
  const byHour = new Map<number, RateRow>();
  for (const [prospectId, list] of calls) {
    let unanswered = 0;
    for (const call of list) {
      const attempt = unanswered + 1;
      const reached = REACHING_OUTCOMES.includes(call.outcome);
      if (UNANSWERED.includes(call.outcome)) unanswered++;
      else unanswered = 0;
      if (!inPeriod(call.at)) continue;
      const hour = DateTime.fromISO(call.at, { zone: 'utc' }).setZone(ianaZone(zoneOf(prospectId))).hour;
      count(byAttempt, attempt, reached);
      count(byHour, hour, reached);
    }
  }
  return {
    reachByAttempt: [...byAttempt].sort(([a], [b]) => a - b).map(([attempt, row]) => ({ attempt, ...withRate(row) })),
    reachByLocalHour: [...byHour].sort(([a], [b]) => a - b).map(([hour, row]) => ({ hour, ...withRate(row) })),
  };
}

function callbacksAfterVoicemail(
  calls: Map<string, Call[]>,
  reminders: Map<string, Touch[]>,
  inPeriod: (iso: string) => boolean,
  window: number,
): PromisesReport['callbacksAfterVoicemail'] {
  const byTemplate = new Map<string, { voicemails: number; callbacks: number }>();
  for (const [prospectId, list] of calls) {
    const prospectReminders = reminders.get(prospectId) ?? [];
    list.forEach((call, i) => {
      if (call.outcome !== 'voicemail' || !inPeriod(call.at)) return;
      // The script left is the one on the reminder sent for this attempt: after the previous call, and
      // at most the window after this one (a rep may call a little early).
      const at = ms(call.at);
      const previous = i > 0 ? ms(list[i - 1]!.at) : -Infinity;
      const reminder = prospectReminders.filter((t) => ms(t.dueAt) > previous && ms(t.dueAt) <= at + window).at(-1);
      const template = voicemailScriptOf(reminder?.template);
      // A later conversation before the next voicemail is the callback this one earned.
      let callback = false;
      for (const later of list.slice(i + 1)) {
        if (later.outcome === 'voicemail') break;
        if (REACHING_OUTCOMES.includes(later.outcome)) {
          callback = true;
          break;
        }
      }
      const row = byTemplate.get(template) ?? { voicemails: 0, callbacks: 0 };
      row.voicemails++;
      if (callback) row.callbacks++;
      byTemplate.set(template, row);
    });
  }
  return [...byTemplate]
    .map(([template, row]) => ({ template, ...row, rate: ratio(row.callbacks, row.voicemails) }))
    .sort((a, b) => b.voicemails - a.voicemails || a.template.localeCompare(b.template));
}

/**
 * The voicemail part of a reminder's template record: an email reminder records
 * "email/rep_reminder + voicemail/cost_savings"; a record naming no voicemail script is "unknown".
 */
export function voicemailScriptOf(template: string | undefined): string {
  const match = /(?:^|\s\+\s*)(voicemail\/\S+)/.exec(template ?? '');
  return match ? match[1]! : 'unknown';
}

function zoneLookup(input: PromisesReportInput): (prospectId: string) => string {
  const fromTouches = new Map<string, string>();
  for (const t of input.touches) if (t.timezone) fromTouches.set(t.prospectId, t.timezone);
  return (id) => input.zones?.[id] ?? fromTouches.get(id) ?? 'UTC';
}

function groupSorted<T>(items: readonly T[], key: (item: T) => string, time: (item: T) => number): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(item);
    groups.set(key(item), list);
  }
  for (const list of groups.values()) list.sort((a, b) => time(a) - time(b));
  return groups;
}

function count(rows: Map<number, RateRow>, key: number, reached: boolean) {
  const row = rows.get(key) ?? { calls: 0, reached: 0, rate: null };
  row.calls++;
  if (reached) row.reached++;
  rows.set(key, row);
}

function withRate(row: RateRow): RateRow {
  return { calls: row.calls, reached: row.reached, rate: ratio(row.reached, row.calls) };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
