/** A prospect with their calls and touches. */
import { NotFoundError } from '../core/errors.js';
import type { ProspectBundle } from '../ports/store.js';
import type { UseCaseDeps } from './deps.js';

export async function readProspect(deps: Pick<UseCaseDeps, 'store'>, repId: string, prospectId: string): Promise<ProspectBundle> {
  const bundle = await deps.store.getProspectBundle(repId, prospectId);
  if (!bundle) throw new NotFoundError(`Prospect ${prospectId}`);
  return bundle;
}
