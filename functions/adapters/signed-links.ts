/**
 * The Links port: HMAC-signed unsubscribe and sheet links (core/link-tokens.ts) with the secret
 * from a SecretSource, fetched on first use.
 */
import { LinkTokens, type SheetCheck, type UnsubscribeClaim } from '../core/link-tokens.js';
import type { Prospect, Touch } from '../core/schemas.js';
import type { Links, SecretSource } from '../ports/links.js';

/** How long a sheet link opens the sheet. */
export const SHEET_TTL_SECONDS = 7 * 24 * 3600;

export class SignedLinks implements Links {
  private tokens?: Promise<LinkTokens>;

  constructor(
    private readonly secret: SecretSource,
    /** The API's public base URL; absent where every caller passes its own (previews). */
    private readonly baseUrl?: string,
  ) {}

  async unsubscribeUrl(prospect: Pick<Prospect, 'repId' | 'id' | 'email'>, base?: string): Promise<string> {
    const token = (await this.signer()).unsubscribeToken({ repId: prospect.repId, prospectId: prospect.id, email: prospect.email ?? '' });
    return `${this.base(base)}/v1/unsubscribe?token=${token}`;
  }

  async sheetUrl(touch: Pick<Touch, 'repId' | 'prospectId' | 'id'>, now: Date, base?: string): Promise<string> {
    const exp = Math.floor(now.getTime() / 1000) + SHEET_TTL_SECONDS;
    const token = (await this.signer()).sheetToken({ repId: touch.repId, prospectId: touch.prospectId, touchId: touch.id, exp });
    return `${this.base(base)}/v1/sheets/${token}`;
  }

  prospectPageUrl(prospect: Pick<Prospect, 'id'>, base?: string): string {
    // The console is served by the same API (GET /app/...), so its address shares the base.
    return `${this.base(base)}/app/prospects/${encodeURIComponent(prospect.id)}`;
  }

  async verifyUnsubscribe(token: string): Promise<UnsubscribeClaim | undefined> {
    return (await this.signer()).verifyUnsubscribe(token);
  }

  async checkSheet(token: string, now: Date): Promise<SheetCheck> {
    return (await this.signer()).checkSheet(token, now);
  }

  private signer(): Promise<LinkTokens> {
    // Kept once made; a failed secret fetch is retried by the next call (SecretSource does not keep failures).
    this.tokens ??= this.secret.get().then(
      (secret) => new LinkTokens(secret),
      (error: unknown) => {
        this.tokens = undefined;
        throw error;
      },
    );
    return this.tokens;
  }

  private base(given?: string): string {
    const base = given ?? this.baseUrl;
    if (!base) throw new Error('No public base URL for links: set PUBLIC_API_URL');
    return base.replace(/\/+$/, '');
  }
}
