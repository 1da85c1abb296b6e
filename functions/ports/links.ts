import type { Prospect, Touch } from '../core/schemas.js';
import type { SheetCheck, UnsubscribeClaim } from '../core/link-tokens.js';

/**
 * Signed public links: one-click unsubscribe and the call-prep sheet behind an SMS. Async because
 * the signing secret is fetched on first use (and fetched again after a failure).
 */
export interface Links {
  /** `base` overrides the configured public URL (a preview answers with the address it was asked on). */
  unsubscribeUrl(prospect: Pick<Prospect, 'repId' | 'id' | 'email'>, base?: string): Promise<string>;
  sheetUrl(touch: Pick<Touch, 'repId' | 'prospectId' | 'id'>, now: Date, base?: string): Promise<string>;
  /** The prospect's page in the rep console (behind the rep's sign-in, so not signed): where a notice sends the rep. */
  prospectPageUrl(prospect: Pick<Prospect, 'id'>, base?: string): string;
  verifyUnsubscribe(token: string): Promise<UnsubscribeClaim | undefined>;
  /** The sheet's claim, or whether the token is not ours (altered) or expired. */
  checkSheet(token: string, now: Date): Promise<SheetCheck>;
}

/** Where the link-signing secret comes from (Secrets Manager on AWS). */
export interface SecretSource {
  get(): Promise<string>;
}
