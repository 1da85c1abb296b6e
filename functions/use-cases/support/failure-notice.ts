/**
 * The rep's notice that a touch failed: itself a touch, its id made from the touch and the due time
 * that failed, so adding it only where absent tells the rep once however often the failure is seen
 * (the sweep's on-failure records, a redelivered fire). Who adds it then has it delivered.
 */
import { deliveryFailedNotice } from '../../core/failure.js';
import type { Touch } from '../../core/schemas.js';
import { toUtcIso } from '../../core/time.js';
import type { Clock } from '../../ports/clock.js';
import type { Logger } from '../../ports/logger.js';
import type { Store } from '../../ports/store.js';

/** The notice, added now; undefined when the rep was told already, the prospect is gone, or the failed touch is itself a notice. */
export async function addFailureNotice(deps: { store: Store; clock: Clock; logger: Logger }, failed: Touch): Promise<Touch | undefined> {
  // A notice that cannot reach the rep would fail the same way: logged, not announced by another.
  if (failed.kind === 'rep_notice') {
    deps.logger.error('a notice to the rep could not be delivered', { touchId: failed.id, repId: failed.repId, reason: failed.reason });
    return undefined;
  }
  const prospect = await deps.store.getProspect(failed.repId, failed.prospectId);
  if (!prospect) return undefined;
  const notice = deliveryFailedNotice(prospect, failed, toUtcIso(deps.clock.now()));
  return (await deps.store.addTouch(notice)) ? notice : undefined;
}
