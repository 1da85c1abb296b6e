/** One-click unsubscribe (RFC 8058): a verified link token suppresses the address it names. */
import type { UnsubscribeClaim } from '../core/link-tokens.js';
import type { UseCaseDeps } from './deps.js';
import { suppressEmail, type SuppressEmailResult } from './suppress-email.js';

export type UnsubscribeResult = { valid: false } | { valid: true; claim: UnsubscribeClaim; result?: SuppressEmailResult };

/** Checks a token without changing anything (the confirmation page). */
export async function checkUnsubscribe(deps: Pick<UseCaseDeps, 'links'>, token: string): Promise<UnsubscribeResult> {
  const claim = await deps.links.verifyUnsubscribe(token);
  return claim ? { valid: true, claim } : { valid: false };
}

/** Unsubscribes the address the token was made for; a forged or altered token changes nothing. */
export async function unsubscribe(
  deps: Pick<UseCaseDeps, 'links' | 'store' | 'scheduler' | 'clock' | 'logger'>,
  token: string,
): Promise<UnsubscribeResult> {
  const claim = await deps.links.verifyUnsubscribe(token);
  if (!claim) return { valid: false };
  return { valid: true, claim, result: await suppressEmail(deps, { ...claim, reason: 'unsubscribed' }) };
}
