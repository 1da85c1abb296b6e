/** The console's search: the rep's prospects whose name or company holds the words typed, by name. */
import { fold, matchesSearch } from '../core/prospect-search.js';
import type { Prospect } from '../core/schemas.js';
import type { UseCaseDeps } from './deps.js';

/** At most this many answers; a rep who needs more types more. */
export const SEARCH_LIMIT = 50;

export async function searchProspects(deps: Pick<UseCaseDeps, 'store'>, repId: string, query = ''): Promise<Prospect[]> {
  const folded = fold(query.trim());
  // Read in name order and stopped at the limit: a search costs the pages it reads, not the whole book.
  return deps.store.listProspects(repId, { ...(folded ? { match: (p: Prospect) => matchesSearch(p, folded) } : {}), limit: SEARCH_LIMIT });
}
