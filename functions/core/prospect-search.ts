/**
 * How a rep finds a prospect: names compared with case and accents folded ("zoe" finds "Zoë"), and
 * the order a list of prospects is read in. The store's name index and its in-memory fake both sort
 * by {@link nameKey}, so a search answers the same order everywhere.
 */
import type { Prospect } from './schemas.js';

/** Lower case without accents or compatibility forms: what a search compares. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * A name as the index sorts it. Capped so a folded 200-character name (NFKD may lengthen it) and an id
 * stay far under DynamoDB's 1 KiB sort key.
 */
export function nameKey(name: string): string {
  return fold(name.trim()).slice(0, 200);
}

/**
 * Whether every word of `foldedQuery` (see {@link fold}) is part of the prospect's name or company:
 * "dana harbor" finds Dana Whitfield of Harbor Mills. An empty query matches everyone.
 */
export function matchesSearch(prospect: Pick<Prospect, 'name' | 'company'>, foldedQuery: string): boolean {
  const haystack = `${fold(prospect.name)}\n${fold(prospect.company ?? '')}`;
  return foldedQuery.split(/\s+/).every((word) => !word || haystack.includes(word));
}
