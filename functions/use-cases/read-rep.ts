/** The rep's own profile. */
import { NotFoundError } from '../core/errors.js';
import type { Rep } from '../core/schemas.js';
import type { UseCaseDeps } from './deps.js';

/** The rep has not said where reminders go yet. */
export class RepProfileNotFoundError extends NotFoundError {
  constructor() {
    super('Your rep profile');
  }
}

export async function readRep(deps: Pick<UseCaseDeps, 'store'>, repId: string): Promise<Rep> {
  const rep = await deps.store.getRep(repId);
  if (!rep) throw new RepProfileNotFoundError();
  return rep;
}
