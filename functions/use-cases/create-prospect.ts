/** Adds a prospect to the rep's book; an id is made when none is given. */
import { dedupe } from '../core/outcome.js';
import type { Prospect, ProspectInput } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';
import { newId } from './support/ids.js';

export async function createProspect(deps: Pick<UseCaseDeps, 'store' | 'clock'>, repId: string, input: ProspectInput): Promise<Prospect> {
  const now = toUtcIso(deps.clock.now());
  const prospect: Prospect = {
    ...input,
    id: input.id ?? newId().toLowerCase(),
    repId,
    hotButtons: dedupe(input.hotButtons ?? []),
    status: 'active',
    attempts: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.createProspect(prospect);
  return prospect;
}
