/**
 * Signed link tokens: unsubscribe (an HMAC over rep, prospect and address) and expiring call-prep
 * sheet links. Each purpose signs with its own derived key, so a token made for one never passes as
 * the other. A token is accepted only in its canonical form: any byte changed or added fails.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

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

/** A sheet token checked: its claim, or `invalid` (not made by us, or altered) or `expired`. */
export type SheetCheck = { claim: SheetClaim } | { problem: 'invalid' | 'expired' };

type Purpose = 'unsubscribe' | 'sheet';

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');
const MAX_TOKEN = 2000;

export class LinkTokens {
  private readonly keys: Record<Purpose, Buffer>;

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
    const check = this.checkSheet(token, now);
    return 'claim' in check ? check.claim : undefined;
  }

  /** The claim, or why there is none: a page can tell a mangled link from one a week old. */
  checkSheet(token: string, now: Date): SheetCheck {
    const parts = this.verify('sheet', token);
    if (!parts || parts.length !== 4) return { problem: 'invalid' };
    const [repId, prospectId, touchId, exp] = parts as [string, string, string, string];
    const expiry = Number(exp);
    if (!Number.isSafeInteger(expiry)) return { problem: 'invalid' };
    // Only a genuine token gets this far: "expired" never tells a forger anything.
    if (expiry * 1000 < now.getTime()) return { problem: 'expired' };
    return { claim: { repId, prospectId, touchId, exp: expiry } };
  }

  private sign(purpose: Purpose, parts: string[]): string {
    const body = b64(JSON.stringify(parts));
    return `${body}.${b64(this.mac(purpose, body))}`;
  }

  private mac(purpose: Purpose, body: string): Buffer {
    return createHmac('sha256', this.keys[purpose]).update(body).digest();
  }

  private verify(purpose: Purpose, token: string): string[] | undefined {
    if (typeof token !== 'string' || token.length > MAX_TOKEN) return undefined;
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    // base64url decoding skips what it cannot read, so "abc!!" would decode like "abc": compare
    // the token as given with the canonical encoding of what it decodes to.
    const given = Buffer.from(mac, 'base64url');
    if (b64(given) !== mac) return undefined;
    const expected = this.mac(purpose, body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const decoded = Buffer.from(body, 'base64url');
    if (b64(decoded) !== body) return undefined;
    try {
      const parts = JSON.parse(decoded.toString('utf8')) as unknown;
      return Array.isArray(parts) && parts.every((p) => typeof p === 'string') ? (parts as string[]) : undefined;
    } catch {
      return undefined;
    }
  }
}
