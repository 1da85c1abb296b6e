/**
 * Moves a pending touch to a new time: the touch, its schedule, and for the current attempt's
 * reminder the promise its voicemail script makes and the prospect's attempt time with it.
 */
import { DateTime } from 'luxon';
import { ConflictError, RuleError, VersionConflictError } from '../core/errors.js';
import { readTime } from '../core/outcome.js';
import type { Prospect, Touch } from '../core/schemas.js';
import { toLocalIso, toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';
import { ownTouch } from './support/own-touch.js';
import { MAX_WRITE_ATTEMPTS } from './support/retry.js';
import { touchSchedule } from './support/schedules.js';

export async function rescheduleTouch(
  deps: Pick<UseCaseDeps, 'store' | 'scheduler' | 'clock' | 'planner'>,
  repId: string,
  touchId: string,
  dueAtText: string,
): Promise<Touch> {
  const touch = await ownTouch(deps, repId, touchId);
  if (touch.status !== 'scheduled') {
    throw new RuleError('touch_not_pending', `This touch is ${touch.status}: only a scheduled touch can be moved`);
  }
  const now = DateTime.fromJSDate(deps.clock.now()).toUTC();
  const prospect = await deps.store.getProspect(repId, touch.prospectId);
  // A wall time is read where the prospect is now, even if they moved since the touch was planned.
  const zone = prospect?.timezone ?? touch.timezone;
  const due = readTime(dueAtText, zone, 'dueAt');
  if (due <= now) {
    throw new RuleError('due_in_past', `dueAt ${toLocalIso(due, zone)} is in the past: pick a time from now on`, [
      { path: 'dueAt', message: 'Must be in the future' },
    ]);
  }
  const dueIso = toUtcIso(due);
  const isCurrentAttempt = touch.kind === 'rep_reminder' && prospect?.attemptDueAt === touch.dueAt;
  let promiseAt: string | null | undefined;
  if (touch.kind === 'rep_reminder' && touch.attempt && prospect) {
    // The promise in the voicemail script is computed from the attempt's own time: move both.
    const promise = deps.planner.promiseAfter(due, touch.attempt, prospect, now);
    promiseAt = promise ? toUtcIso(promise) : null;
  }
  const ok = await deps.store.updateTouch(touch, { dueAt: dueIso, promiseAt }, 'scheduled');
  if (!ok) throw new ConflictError('version_conflict', 'The touch changed while it was being moved: read it again and retry');
  const moved: Touch = { ...touch, dueAt: dueIso, ...(promiseAt !== undefined ? { promiseAt } : {}) };
  if (isCurrentAttempt && prospect) await moveAttempt(deps, prospect, touch.dueAt, dueIso);
  try {
    await deps.scheduler.create(touchSchedule(moved));
  } catch (error) {
    // The old schedule carries the old time, so its delivery is refused as stale: say so on the touch.
    const reason = 'could not be scheduled at the new time; reschedule it again';
    if (await deps.store.updateTouch(moved, { status: 'failed', reason }, 'scheduled')) return { ...moved, status: 'failed', reason };
    throw error;
  }
  return moved;
}

/** The prospect's attempt (and agreed callback) follow their reminder when it moves. */
async function moveAttempt(deps: Pick<UseCaseDeps, 'store' | 'clock'>, prospect: Prospect, fromIso: string, toIso: string) {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const current = attempt === 1 ? prospect : await deps.store.getProspect(prospect.repId, prospect.id);
    if (!current || current.attemptDueAt !== fromIso) return;
    try {
      await deps.store.saveProspect(
        {
          ...current,
          attemptDueAt: toIso,
          ...(current.callbackAt === fromIso ? { callbackAt: toIso } : {}),
          version: current.version + 1,
          updatedAt: toUtcIso(deps.clock.now()),
        },
        current.version,
      );
      return;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
}
