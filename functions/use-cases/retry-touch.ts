/**
 * A failed touch, sent again once its cause is fixed. It goes back to `scheduled` for the due time it
 * had, so its words and its fire payload are those of the promise it keeps (a reminder still names
 * the agreed minute), with `redrivenAt` saying when; the fire path then claims and sends it as usual.
 * Only a failed touch of the prospect's current plan comes back: a later outcome replaced the rest.
 */
import { ConflictError, NotFoundError, RuleError } from '../core/errors.js';
import { isSuperseded } from '../core/failure.js';
import type { Touch } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';
import { ownTouch } from './support/own-touch.js';
import { keepSchedule } from './support/schedules.js';

/** The rep's own failed touch (POST /v1/touches/{id}/retry): scheduled again, to go out within the minute. */
export async function retryTouch(deps: Pick<UseCaseDeps, 'store' | 'scheduler' | 'clock' | 'logger'>, repId: string, touchId: string): Promise<Touch> {
  const reopened = await reopenFailedTouch(deps, await ownTouch(deps, repId, touchId));
  try {
    // A time in the past: the scheduler adapter sets it a few seconds ahead, as for any touch due now.
    await keepSchedule(deps, reopened, { at: deps.clock.now() });
  } catch (error) {
    // It is scheduled and overdue now: the next sweep makes its schedule.
    deps.logger.warn('could not schedule a retried touch; the sweep will', { touchId: reopened.id, error: String(error) });
  }
  return reopened;
}

/**
 * Back to `scheduled`, in one write conditioned on it still being failed. Without a schedule of its
 * own (an operator's redrive), the sweep finds it overdue and schedules it within minutes.
 */
export async function reopenFailedTouch(deps: Pick<UseCaseDeps, 'store' | 'clock'>, touch: Touch): Promise<Touch> {
  if (touch.status !== 'failed') throw new RuleError('not_failed', `The touch is ${touch.status}: only a failed touch can be retried`);
  const prospect = await deps.store.getProspect(touch.repId, touch.prospectId);
  if (!prospect) throw new NotFoundError(`Prospect ${touch.prospectId}`);
  if (isSuperseded(touch, prospect)) {
    throw new RuleError('superseded', 'A later outcome replaced the plan this touch was part of: post a new outcome instead');
  }
  const redrivenAt = toUtcIso(deps.clock.now());
  const reopened = await deps.store.updateTouch(touch, { status: 'scheduled', reason: null, repairs: null, claimedAt: null, redrivenAt }, 'failed');
  if (!reopened) throw new ConflictError('touch_changed', 'The touch changed while it was being retried: read it again');
  const { reason: _reason, repairs: _repairs, claimedAt: _claimedAt, ...rest } = touch;
  return { ...rest, status: 'scheduled', redrivenAt };
}
