import { NotFoundError } from '../../core/errors.js';
import type { Touch } from '../../core/schemas.js';
import type { Store } from '../../ports/store.js';

/** A touch by id, only when it is the rep's own: another rep's touch is "not found". */
export async function ownTouch(deps: { store: Store }, repId: string, touchId: string): Promise<Touch> {
  const touch = await deps.store.findTouch(touchId);
  if (!touch || touch.repId !== repId) throw new NotFoundError(`Touch ${touchId}`);
  return touch;
}
