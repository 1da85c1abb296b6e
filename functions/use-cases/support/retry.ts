/** Optimistic locking: a writer that lost a race reloads and tries again, spread out by jitter. */
import { ConflictError, VersionConflictError } from '../../core/errors.js';

export const MAX_WRITE_ATTEMPTS = 40;

/** Rethrows anything but a lost race; after too many lost races, a 409 the client can retry. */
export async function backOffOrThrow(error: unknown, attempt: number, maxAttempts = MAX_WRITE_ATTEMPTS): Promise<void> {
  if (!(error instanceof VersionConflictError)) throw error;
  if (attempt >= maxAttempts) {
    throw new ConflictError('version_conflict', 'The prospect is being changed by other requests right now: try again', { cause: error });
  }
  await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
}
