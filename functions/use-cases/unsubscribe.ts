/** One-click unsubscribe (RFC 8058): a verified link token suppresses the address it names. */
import type { UnsubscribeClaim } from '../core/link-tokens.js';
import type { Rep } from '../core/schemas.js';
import type { UseCaseDeps } from './deps.js';
import { suppressEmail, type SuppressEmailResult } from './suppress-email.js';

/** Who sent the email: the rep, as the prospect knows them (absent when the rep's profile is gone). */
export interface Sender {
  name: string;
  company?: string;
}

export type UnsubscribeResult = { valid: false } | { valid: true; claim: UnsubscribeClaim; result?: SuppressEmailResult; sender?: Sender };

/** Checks a token without changing anything (the confirmation page). */
export async function checkUnsubscribe(deps: Pick<UseCaseDeps, 'links' | 'store'>, token: string): Promise<UnsubscribeResult> {
  const claim = await deps.links.verifyUnsubscribe(token);
  if (!claim) return { valid: false };
  const sender = await senderOf(deps, claim.repId);
  return { valid: true, claim, ...(sender ? { sender } : {}) };
}

async function senderOf(deps: Pick<UseCaseDeps, 'store'>, repId: string): Promise<Sender | undefined> {
  const rep = await deps.store.getRep(repId);
  return rep ? senderFields(rep) : undefined;
}

export function senderFields(rep: Pick<Rep, 'name' | 'company'>): Sender {
  return { name: rep.name, ...(rep.company ? { company: rep.company } : {}) };
}

/** Unsubscribes the address the token was made for; a forged or altered token changes nothing. */
export async function unsubscribe(
  deps: Pick<UseCaseDeps, 'links' | 'store' | 'scheduler' | 'clock' | 'logger'>,
  token: string,
): Promise<UnsubscribeResult> {
  const claim = await deps.links.verifyUnsubscribe(token);
  if (!claim) return { valid: false };
  const [result, sender] = await Promise.all([suppressEmail(deps, { ...claim, reason: 'unsubscribed' }), senderOf(deps, claim.repId)]);
  return { valid: true, claim, result, ...(sender ? { sender } : {}) };
}
