/** Creates or replaces the rep's own profile: where and how their reminders go. */
import type { Rep, RepInput } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';
import type { RepCache } from './support/rep-cache.js';

export async function saveRep(deps: Pick<UseCaseDeps, 'store' | 'clock'> & { reps?: RepCache }, repId: string, input: RepInput): Promise<Rep> {
  const now = toUtcIso(deps.clock.now());
  const existing = await deps.store.getRep(repId);
  const rep: Rep = { id: repId, ...input, createdAt: existing?.createdAt ?? now, updatedAt: now };
  await deps.store.putRep(rep);
  // Outcomes recorded after this in the same container plan with the rep as saved.
  deps.reps?.forget(repId);
  return rep;
}
