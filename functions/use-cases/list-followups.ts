/**
 * The rep's agenda, by due time, in a window (by default from a day ago, for two weeks): the touches
 * still pending, and apart from them those that could not be delivered (with their reason), so a
 * promise that failed shows where the rep looks every day and a client that lists `touches` as
 * "to do" never mistakes a failed one for pending. Apart again, the calls whose time has come with none
 * logged since: once the reminder goes out it is no longer pending, but the call still is.
 */
import type { Prospect, Touch } from '../core/schemas.js';
import { ValidationError } from '../core/errors.js';
import { isSuperseded } from '../core/failure.js';
import { toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';

export interface FollowupWindow {
  from?: Date;
  to?: Date;
}

export interface Followups {
  from: string;
  to: string;
  /** Still scheduled. */
  touches: Touch[];
  /** Failed, with their reason; a rep may retry one (POST /v1/touches/{id}/retry). */
  failed: Touch[];
  /** Calls due between `from` and now with no call logged since and no reminder still to go, by due time. */
  callsDue: CallDue[];
}

export interface CallDue {
  prospect: Prospect;
  dueAt: string;
  /** The attempt this call is, counted since the last conversation. */
  attempt: number;
}

/** As many due calls as the agenda lists touches: a rep's day, not their book. */
const CALLS_DUE_LIMIT = 500;

const DAY = 24 * 3600_000;

export async function listFollowups(deps: Pick<UseCaseDeps, 'store' | 'clock'>, repId: string, window: FollowupWindow): Promise<Followups> {
  const from = window.from ?? new Date(deps.clock.now().getTime() - DAY);
  const to = window.to ?? new Date(from.getTime() + 14 * DAY);
  if (to <= from) throw new ValidationError('to must be after from', [{ path: 'to', message: 'Give a time after from' }]);
  const listed = await deps.store.listFollowups(repId, toUtcIso(from), toUtcIso(to));
  const touches = listed.filter((t) => t.status === 'scheduled');
  // A reminder still to go stands for its call in `touches`; past `to` the window does not reach.
  const reminded = new Set(touches.filter((t) => t.kind === 'rep_reminder').map((t) => t.prospectId));
  const until = Math.min(deps.clock.now().getTime(), to.getTime());
  const due = (p: Prospect) => !reminded.has(p.id) && isCallDue(p, from.getTime(), until);
  // One pass over the rep's prospects serves both: the calls due, and the prospects of failed touches
  // (whether a later outcome replaced what failed).
  const failedTouches = listed.filter((t) => t.status === 'failed');
  const failedOf = new Set(failedTouches.map((t) => t.prospectId));
  const limit = CALLS_DUE_LIMIT + failedOf.size;
  const read = await deps.store.listProspects(repId, { match: (p) => due(p) || failedOf.has(p.id), limit });
  const byId = new Map(read.map((p) => [p.id, p]));
  // A rep with more calls due than the limit may have crowded out a failed touch's prospect: read those alone.
  const unread = read.length >= limit ? [...failedOf].filter((id) => !byId.has(id)) : [];
  for (const p of await Promise.all(unread.map((id) => deps.store.getProspect(repId, id)))) if (p) byId.set(p.id, p);
  const prospects = read.filter(due).slice(0, CALLS_DUE_LIMIT);
  const failed = failedTouches.filter((t) => {
    const prospect = byId.get(t.prospectId);
    return !prospect || !isSuperseded(t, prospect);
  });
  return {
    from: toUtcIso(from),
    to: toUtcIso(to),
    touches,
    failed,
    callsDue: prospects
      .map((p) => ({ prospect: p, dueAt: p.attemptDueAt!, attempt: p.attempts + 1 }))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.prospect.id.localeCompare(b.prospect.id)),
  };
}

/**
 * The prospect's current attempt (or agreed callback) fell due in [from, until] and no call was logged
 * at or after it: every logged call replaces attemptDueAt, so one still in the past is a call not made.
 */
export function isCallDue(p: Prospect, from: number, until: number): boolean {
  if (p.status !== 'active' || !p.attemptDueAt) return false;
  const due = Date.parse(p.attemptDueAt);
  if (due < from || due > until) return false;
  return !p.lastCallAt || Date.parse(p.lastCallAt) < due;
}
