/**
 * The sweep keeps the promises their schedules missed. Two ways in:
 *
 * - A run (every 5 minutes on AWS, every minute locally) reads the byDue index for touches still
 *   `scheduled` more than {@link SWEEP_GRACE_MINUTES} after their time. For each it re-reads the
 *   touch (the index is eventually consistent), leaves it alone while a delivery holds a fresh claim
 *   or Scheduler still holds its schedule, and otherwise recreates the schedule with the touch's
 *   current payload, so the fire path claims and sends it as usual (a late duplicate delivery is
 *   refused by that claim). A touch whose schedule had to be recreated {@link MAX_REPAIRS} times
 *   ends `failed` instead. What it found and did is one log line carrying CloudWatch metrics.
 * - The fire function's on-failure records (SQS): the touch ends `failed` with the error, if it is
 *   still scheduled for the due time that failed.
 * Either way a failed touch tells the rep once, with a notice that is itself a touch.
 */
import { claimHeld } from '../core/claims.js';
import { scheduleInStep } from '../core/on-time.js';
import { embeddedMetrics, failureReason, FireFailureRecord, type SqsBatch } from '../core/failure.js';
import type { Touch } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import type { DueTouchRef } from '../ports/store.js';
import type { UseCaseDeps } from './deps.js';
import { addFailureNotice } from './support/failure-notice.js';
import { keepSchedule, scheduleName, touchSchedule } from './support/schedules.js';

/**
 * How long past its time a touch may still be `scheduled` before the sweep looks at it. Scheduler
 * invokes within the due minute; a due-now touch is set 30 s ahead; Lambda retries a failed fire 1
 * and then 2 minutes later; a crashed attempt's claim goes stale after 30 s. Five minutes covers
 * all of that, so what is left is lost (or waiting in a throttled Lambda queue, when a second
 * delivery is harmless), and a lost touch goes out at most two sweeps (10 minutes) late.
 */
export const SWEEP_GRACE_MINUTES = 5;
/** Recreating a schedule more often than this will not help: the touch ends failed and the rep is told. */
export const MAX_REPAIRS = 3;
/** Touches looked at per run; the rest wait for the next run (oldest first). */
export const SWEEP_BATCH = 200;
export const METRIC_NAMESPACE = 'followthrough';

export type SweepDeps = Pick<UseCaseDeps, 'store' | 'scheduler' | 'clock' | 'logger'>;

export interface SweepResult {
  scheduledTime: string;
  cutoff: string;
  /** In the index past the grace. */
  overdue: number;
  /** Schedule recreated. */
  repaired: number;
  /** A failed touch put back by a retry or redrive, scheduled again. */
  redriven: number;
  /** Repaired too often: now failed. */
  gaveUp: number;
  /** Scheduler still holds its schedule (retrying an invocation): left alone. */
  pending: number;
  /** A delivery holds a fresh claim: left alone. */
  inFlight: number;
  /** Sent, cancelled or rescheduled since the index was read. */
  moved: number;
  errors: number;
}

export async function sweepOverdue(deps: SweepDeps, run: { scheduledTime?: string }): Promise<SweepResult> {
  const now = deps.clock.now();
  const asOf = run.scheduledTime ? new Date(run.scheduledTime) : now;
  const cutoff = toUtcIso(new Date(asOf.getTime() - SWEEP_GRACE_MINUTES * 60_000));
  const result: SweepResult = { scheduledTime: toUtcIso(asOf), cutoff, overdue: 0, repaired: 0, redriven: 0, gaveUp: 0, pending: 0, inFlight: 0, moved: 0, errors: 0 };
  const overdue = await deps.store.listOverdue(cutoff, SWEEP_BATCH);
  result.overdue = overdue.length;
  for (const ref of overdue) {
    try {
      result[await sweepOne(deps, ref, now)] += 1;
    } catch (error) {
      result.errors += 1;
      deps.logger.error('sweep could not repair a touch', { touchId: ref.id, error: String(error) });
    }
  }
  const { scheduledTime: _t, cutoff: _c, ...counts } = result;
  deps.logger.info('sweep finished', {
    scheduledTime: result.scheduledTime,
    cutoff,
    ...embeddedMetrics(METRIC_NAMESPACE, {
      SweepOverdue: counts.overdue,
      SweepRepaired: counts.repaired,
      SweepRedriven: counts.redriven,
      SweepGaveUp: counts.gaveUp,
      SweepErrors: counts.errors,
    }, now),
    pending: counts.pending,
    inFlight: counts.inFlight,
    moved: counts.moved,
  });
  return result;
}

type Outcome = 'repaired' | 'redriven' | 'gaveUp' | 'pending' | 'inFlight' | 'moved';

async function sweepOne(deps: SweepDeps, ref: DueTouchRef, now: Date): Promise<Outcome> {
  const touch = await deps.store.getTouch(ref.repId, ref.prospectId, ref.id);
  if (!touch || touch.status !== 'scheduled' || touch.dueAt !== ref.dueAt) return 'moved';
  if (claimHeld(touch, now)) return 'inFlight';
  // Scheduler may still hold it, retrying; one moved, disabled or carrying another payload behind our back is lost all the same.
  const schedule = await deps.scheduler.get(scheduleName(touch.id));
  if (schedule && scheduleInStep(touch, schedule, now)) return 'pending';
  if ((touch.repairs ?? 0) >= MAX_REPAIRS) {
    const reason = `its schedule was lost ${touch.repairs} times and recreated; the sweep stopped trying`;
    return (await failAndTell(deps, touch, reason)) === 'failed' ? 'gaveUp' : 'moved';
  }
  // Counted first, on the condition that the touch is still due then: a reschedule racing this
  // keeps its own schedule, and the count survives a crash between the two writes.
  const repairs = await deps.store.countRepair(touch);
  if (repairs === undefined) return 'moved';
  // Checked after writing, as every schedule write is: a reschedule racing this keeps its own time.
  await keepSchedule(deps, touch);
  const redriven = Boolean(touch.redrivenAt) && repairs === 1;
  deps.logger.info(redriven ? 'redriven touch scheduled' : 'lost schedule recreated', {
    touchId: touch.id,
    kind: touch.kind,
    dueAt: touch.dueAt,
    repairs,
    minutesLate: Math.round((now.getTime() - Date.parse(touch.dueAt)) / 60_000),
  });
  return redriven ? 'redriven' : 'repaired';
}

/**
 * Ends a touch failed for the due time that failed and tells the rep, once. Safe to repeat: a
 * touch that already failed for that due time gets its notice if a crash lost it, and one that
 * moved on (sent, cancelled, rescheduled) is left as it is.
 */
export async function failAndTell(deps: SweepDeps, ref: DueTouchRef, reason: string): Promise<'failed' | 'already' | 'moved'> {
  const changed = await deps.store.failTouch(ref, reason);
  const current = await deps.store.getTouch(ref.repId, ref.prospectId, ref.id);
  if (!current || current.status !== 'failed' || current.dueAt !== ref.dueAt) return 'moved';
  if (changed) deps.logger.warn('touch failed', { touchId: current.id, kind: current.kind, dueAt: current.dueAt, reason: current.reason });
  await tellRep(deps, current);
  return changed ? 'failed' : 'already';
}

async function tellRep(deps: SweepDeps, failed: Touch): Promise<void> {
  const notice = await addFailureNotice(deps, failed);
  if (!notice) return;
  try {
    await deps.scheduler.create(touchSchedule(notice));
  } catch (error) {
    // The notice is a scheduled touch already: the next run finds it overdue and schedules it.
    deps.logger.error('could not schedule the notice; the sweep will', { touchId: notice.id, error: String(error) });
  }
}

export type FireFailureOutcome = 'failed' | 'already' | 'moved' | 'stale' | 'gone';

/** One on-failure record: the touch ends failed with the error, if it is still due then. */
export async function recordFireFailure(deps: SweepDeps, record: FireFailureRecord): Promise<FireFailureOutcome> {
  const { touchId, repId, prospectId, dueAt } = record.requestPayload;
  const touch = await deps.store.getTouch(repId, prospectId, touchId);
  if (!touch) return 'gone';
  // A record older than a retry of the touch speaks of the attempt before it.
  if (touch.redrivenAt && touch.redrivenAt > record.timestamp) return 'stale';
  return failAndTell(deps, { repId, prospectId, id: touchId, dueAt: dueAt ?? touch.dueAt }, failureReason(record));
}

/**
 * An SQS batch of on-failure records. A record that cannot be read, or whose handling threw, is
 * reported back alone: SQS delivers it again, and after five receives moves it to the dead-letter
 * queue (alarmed); the rest of the batch is done.
 */
export async function recordFireFailures(deps: SweepDeps, batch: SqsBatch): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  const counts: Record<FireFailureOutcome, number> = { failed: 0, already: 0, moved: 0, stale: 0, gone: 0 };
  for (const message of batch.Records) {
    try {
      const record = FireFailureRecord.safeParse(JSON.parse(message.body));
      if (!record.success) throw new Error(`not a fire on-failure record: ${record.error.issues[0]?.message ?? 'invalid'}`);
      counts[await recordFireFailure(deps, record.data)] += 1;
    } catch (error) {
      deps.logger.error('could not record a failed fire; SQS will deliver it again', { messageId: message.messageId, error: String(error) });
      batchItemFailures.push({ itemIdentifier: message.messageId });
    }
  }
  deps.logger.info('fire failures recorded', {
    ...embeddedMetrics(METRIC_NAMESPACE, { FireFailuresRecorded: counts.failed, FireFailuresUnrecorded: batchItemFailures.length }, deps.clock.now()),
    already: counts.already,
    moved: counts.moved,
    stale: counts.stale,
    gone: counts.gone,
  });
  return { batchItemFailures };
}
