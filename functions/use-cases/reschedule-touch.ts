/**
 * Moves a pending touch to a new time: the touch, its schedule, and for the current attempt's
 * reminder the promise its voicemail script makes and the prospect's attempt time with it.
 *
 * The move is one write conditioned on what was read: the touch still scheduled for the time read
 * and not being sent, and for the current attempt's reminder the prospect at the version read, in
 * the same transaction, so the prospect's attempt and agreed callback always name the reminder's
 * time. A writer that finds the touch moved by another request meanwhile answers 409 (the move it
 * read no longer stands); one that only lost to another write of the prospect reads again. The
 * schedule is then written and checked against the touch ({@link keepSchedule}), so concurrent
 * moves leave the schedule with the last accepted time.
 */
import { DateTime } from 'luxon';
import { claimHeld, claimLapsedBefore } from '../core/claims.js';
import { ConflictError, NotFoundError, RuleError, VersionConflictError } from '../core/errors.js';
import { readTime } from '../core/outcome.js';
import type { Prospect, Touch } from '../core/schemas.js';
import { toLocalIso, toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';
import { ownTouch } from './support/own-touch.js';
import { backOffOrThrow } from './support/retry.js';
import { keepSchedule } from './support/schedules.js';

export async function rescheduleTouch(
  deps: Pick<UseCaseDeps, 'store' | 'scheduler' | 'clock' | 'planner' | 'logger'>,
  repId: string,
  touchId: string,
  dueAtText: string,
): Promise<Touch> {
  let read: Touch | undefined = await ownTouch(deps, repId, touchId);
  for (let attempt = 1; ; attempt++) {
    if (!read) throw new NotFoundError(`Touch ${touchId}`);
    const touch: Touch = read;
    if (touch.status !== 'scheduled') {
      throw new RuleError('touch_not_pending', `This touch is ${touch.status}: only a scheduled touch can be moved`);
    }
    const now = DateTime.fromJSDate(deps.clock.now()).toUTC();
    const staleBefore = toUtcIso(claimLapsedBefore(now.toJSDate()));
    if (claimHeld(touch, now.toJSDate())) {
      throw new ConflictError('touch_sending', 'This touch is being sent right now: read it again in a moment');
    }
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
    let promiseAt: string | null | undefined;
    if (touch.kind === 'rep_reminder' && touch.attempt && prospect) {
      // The promise in the voicemail script is computed from the attempt's own time: move both.
      const promise = deps.planner.promiseAfter(due, touch.attempt, prospect, now);
      promiseAt = promise ? toUtcIso(promise) : null;
    }
    const attemptMoves = touch.kind === 'rep_reminder' && prospect?.attemptDueAt === touch.dueAt;
    const moved = await deps.store.moveTouch(
      touch,
      { dueAt: dueIso, ...(promiseAt !== undefined ? { promiseAt } : {}) },
      staleBefore,
      attemptMoves && prospect ? { next: withAttemptAt(prospect, touch.dueAt, dueIso, toUtcIso(now)), expectedVersion: prospect.version } : undefined,
    );
    if (moved) {
      const result: Touch = { ...touch, dueAt: dueIso, ...(promiseAt !== undefined ? { promiseAt } : {}) };
      if (promiseAt === null) delete result.promiseAt;
      return scheduleMoved(deps, result);
    }
    read = await deps.store.getTouch(repId, touch.prospectId, touchId);
    // Another request moved the touch first: what this one read no longer stands, and the caller decides again.
    if (read?.status === 'scheduled' && read.dueAt !== touch.dueAt) {
      throw new ConflictError('touch_changed', `The touch was moved to ${read.dueAt} by another request meanwhile: read it again and retry`);
    }
    // Only the prospect moved on (an edit, an outcome: the next read says which), or a delivery took the touch: read again.
    await backOffOrThrow(new VersionConflictError(), attempt);
  }
}

/** The prospect's attempt (and agreed callback) follow their reminder when it moves. */
function withAttemptAt(prospect: Prospect, fromIso: string, toIso: string, nowIso: string): Prospect {
  return {
    ...prospect,
    attemptDueAt: toIso,
    ...(prospect.callbackAt === fromIso ? { callbackAt: toIso } : {}),
    version: prospect.version + 1,
    updatedAt: nowIso,
  };
}

async function scheduleMoved(deps: Pick<UseCaseDeps, 'store' | 'scheduler' | 'logger'>, moved: Touch): Promise<Touch> {
  try {
    await keepSchedule(deps, moved);
  } catch (error) {
    // The old schedule carries the old time, so its delivery is refused as stale: say so on the touch.
    const reason = 'could not be scheduled at the new time; reschedule it again';
    if (await deps.store.failTouch(moved, reason)) return { ...moved, status: 'failed', reason };
    throw error;
  }
  return moved;
}
