/** Changes a prospect's details; null clears a field. A new address is not suppressed. */
import { NotFoundError } from '../core/errors.js';
import { dedupe } from '../core/outcome.js';
import type { Prospect, ProspectPatch } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';
import { backOffOrThrow } from './support/retry.js';

/** Pending touches carry the prospect's zone and name (the agenda shows them without a second read). */
async function refreshTouches(deps: Pick<UseCaseDeps, 'store'>, prospect: Prospect): Promise<void> {
  const bundle = await deps.store.getProspectBundle(prospect.repId, prospect.id);
  const pending = bundle?.touches.filter((t) => t.status === 'scheduled') ?? [];
  await Promise.all(pending.map((t) => deps.store.updateTouch(t, { timezone: prospect.timezone, prospectName: prospect.name }, 'scheduled')));
}

export async function updateProspect(
  deps: Pick<UseCaseDeps, 'store' | 'clock'>,
  repId: string,
  prospectId: string,
  patch: ProspectPatch,
): Promise<Prospect> {
  for (let attempt = 1; ; attempt++) {
    const prospect = await deps.store.getProspect(repId, prospectId);
    if (!prospect) throw new NotFoundError(`Prospect ${prospectId}`);
    const next: Prospect = { ...prospect, version: prospect.version + 1, updatedAt: toUtcIso(deps.clock.now()) };
    const fields = next as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (value === null) delete fields[field];
      else fields[field] = value;
    }
    if (patch.hotButtons) next.hotButtons = dedupe(patch.hotButtons);
    if (patch.email && patch.email !== prospect.email) delete next.emailSuppressed;
    try {
      await deps.store.saveProspect(next, prospect.version);
    } catch (error) {
      await backOffOrThrow(error, attempt);
      continue;
    }
    if (next.timezone !== prospect.timezone || next.name !== prospect.name) await refreshTouches(deps, next);
    return next;
  }
}
