/**
 * Signed links: unsubscribe tokens (an HMAC over the prospect and the address) and expiring
 * links to a call-prep sheet. Each purpose signs with its own derived key, so a token made for
 * one can never pass as the other.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Prospect, Touch } from '../core/schemas.js';
import type { LinkBuilder } from './fire.js';

export interface UnsubscribeClaim {
  repId: string;
  prospectId: string;
  email: string;
}

export interface SheetClaim {
  repId: string;
  prospectId: string;
  touchId: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export class LinkSigner {
  private readonly keys: Record<'unsubscribe' | 'sheet', Buffer>;

  constructor(secret: string) {
    if (!secret || secret.length < 16) throw new Error('The link signing secret must be at least 16 characters');
    const derive = (purpose: string) => createHmac('sha256', secret).update(`followthrough:${purpose}`).digest();
    this.keys = { unsubscribe: derive('unsubscribe'), sheet: derive('sheet') };
  }

  unsubscribeToken(claim: UnsubscribeClaim): string {
    return this.sign('unsubscribe', [claim.repId, claim.prospectId, claim.email.toLowerCase()]);
  }

  verifyUnsubscribe(token: string): UnsubscribeClaim | undefined {
    const parts = this.verify('unsubscribe', token);
    if (!parts || parts.length !== 3) return undefined;
    const [repId, prospectId, email] = parts as [string, string, string];
    return { repId, prospectId, email };
  }

  sheetToken(claim: SheetClaim): string {
    return this.sign('sheet', [claim.repId, claim.prospectId, claim.touchId, String(claim.exp)]);
  }

  verifySheet(token: string, now: Date): SheetClaim | undefined {
    const parts = this.verify('sheet', token);
    if (!parts || parts.length !== 4) return undefined;
    const [repId, prospectId, touchId, exp] = parts as [string, string, string, string];
    const expiry = Number(exp);
    if (!Number.isFinite(expiry) || expiry * 1000 < now.getTime()) return undefined;
    return { repId, prospectId, touchId, exp: expiry };
  }

  private sign(purpose: 'unsubscribe' | 'sheet', parts: string[]): string {
    const body = b64(JSON.stringify(parts));
    const mac = createHmac('sha256', this.keys[purpose]).update(body).digest();
    return `${body}.${b64(mac)}`;
  }

  private verify(purpose: 'unsubscribe' | 'sheet', token: string): string[] | undefined {
    if (typeof token !== 'string' || token.length > 2000) return undefined;
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = createHmac('sha256', this.keys[purpose]).update(body).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const parts = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
      return Array.isArray(parts) && parts.every((p) => typeof p === 'string') ? (parts as string[]) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Builds the links that go into messages, from the API's public base URL. */
export class SignedLinks implements LinkBuilder {
  constructor(
    private readonly signer: LinkSigner,
    private readonly baseUrl: string,
    /** How long a sheet link opens the sheet. */
    private readonly sheetTtlSeconds = 7 * 24 * 3600,
  ) {}

  unsubscribe(prospect: Prospect): string {
    const token = this.signer.unsubscribeToken({ repId: prospect.repId, prospectId: prospect.id, email: prospect.email ?? '' });
    return `${this.base()}/v1/unsubscribe?token=${token}`;
  }

  sheet(touch: Touch, now = new Date()): string {
    const exp = Math.floor(now.getTime() / 1000) + this.sheetTtlSeconds;
    return `${this.base()}/v1/sheets/${this.signer.sheetToken({ repId: touch.repId, prospectId: touch.prospectId, touchId: touch.id, exp })}`;
  }

  private base(): string {
    return this.baseUrl.replace(/\/+$/, '');
  }
}

/**
 * A signer whose secret may still be on its way (read from Secrets Manager while the function
 * starts, awaited on first use), so a cold start does not wait for it before it is needed.
 */
export type SignerSource = () => Promise<LinkSigner>;

export function signerSource(secret: Promise<string> | string): SignerSource {
  const signer = Promise.resolve(secret).then((s) => new LinkSigner(s));
  // Marked as handled here; whoever awaits it still sees the failure.
  signer.catch(() => {});
  return () => signer;
}
