/** Cancels a pending touch and deletes its schedule; a touch no longer pending is answered as it is. */
import type { Touch } from '../core/schemas.js';
import type { UseCaseDeps } from './deps.js';
import { ownTouch } from './support/own-touch.js';
import { deleteSchedule } from './support/schedules.js';

export async function cancelTouch(deps: Pick<UseCaseDeps, 'store' | 'scheduler' | 'logger'>, repId: string, touchId: string): Promise<Touch> {
  const touch = await ownTouch(deps, repId, touchId);
  if (touch.status !== 'scheduled') return touch;
  const reason = 'cancelled by the rep';
  const ok = await deps.store.updateTouch(touch, { status: 'cancelled', reason, claimedAt: null }, 'scheduled');
  if (!ok) return ownTouch(deps, repId, touchId);
  // The cancel is committed: a schedule left behind fires into a cancelled touch and sends nothing.
  await deleteSchedule(deps, touch);
  return { ...touch, status: 'cancelled', reason };
}
