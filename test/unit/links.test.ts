import { describe, expect, it } from 'vitest';
import { SignedLinks } from '../../functions/adapters/signed-links.js';
import { LinkTokens } from '../../functions/core/link-tokens.js';

const SECRET = 'a-secret-of-at-least-sixteen-chars';

describe('LinkTokens', () => {
  const tokens = new LinkTokens(SECRET);

  it('round-trips an unsubscribe claim, the address folded to lower case', () => {
    const token = tokens.unsubscribeToken({ repId: 'rep-1', prospectId: 'p-1', email: 'Dana@Acme.Example' });
    expect(tokens.verifyUnsubscribe(token)).toEqual({ repId: 'rep-1', prospectId: 'p-1', email: 'dana@acme.example' });
  });

  it('never takes a token made for one purpose as the other', () => {
    const sheet = tokens.sheetToken({ repId: 'rep-1', prospectId: 'p-1', touchId: 't-1', exp: 4_102_444_800 });
    const unsubscribe = tokens.unsubscribeToken({ repId: 'rep-1', prospectId: 'p-1', email: 'x@y.example' });
    expect(tokens.verifyUnsubscribe(sheet)).toBeUndefined();
    expect(tokens.verifySheet(unsubscribe, new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('refuses a sheet link after its expiry, and a secret shorter than 16 characters', () => {
    const exp = Date.parse('2026-12-01T00:00:00Z') / 1000;
    const token = tokens.sheetToken({ repId: 'r', prospectId: 'p', touchId: 't', exp });
    expect(tokens.verifySheet(token, new Date('2026-11-30T23:59:59Z'))).toEqual({ repId: 'r', prospectId: 'p', touchId: 't', exp });
    expect(tokens.verifySheet(token, new Date('2026-12-01T00:00:01Z'))).toBeUndefined();
    expect(() => new LinkTokens('short')).toThrow(/at least 16/);
  });

  it('tells an expired sheet link from one that is not valid, and tells "expired" only to a genuine token', () => {
    const exp = Date.parse('2026-12-01T00:00:00Z') / 1000;
    const token = tokens.sheetToken({ repId: 'r', prospectId: 'p', touchId: 't', exp });
    const later = new Date('2026-12-08T00:00:00Z');
    expect(tokens.checkSheet(token, new Date('2026-11-30T00:00:00Z'))).toEqual({ claim: { repId: 'r', prospectId: 'p', touchId: 't', exp } });
    expect(tokens.checkSheet(token, later)).toEqual({ problem: 'expired' });
    expect(tokens.checkSheet(`${token}!!`, later)).toEqual({ problem: 'invalid' });
    expect(tokens.checkSheet(new LinkTokens('another-secret-of-enough-length').sheetToken({ repId: 'r', prospectId: 'p', touchId: 't', exp }), later)).toEqual({ problem: 'invalid' });
    expect(tokens.checkSheet(tokens.unsubscribeToken({ repId: 'r', prospectId: 'p', email: 'e@x.example' }), later)).toEqual({ problem: 'invalid' });
  });

  it.each(['\u0000', '!!', '=', ' ', '%20', 'A', '.', '\n'])('refuses a genuine token with %j appended or inserted', (junk) => {
    const token = tokens.unsubscribeToken({ repId: 'r', prospectId: 'p', email: 'e@x.example' });
    const [body, mac] = token.split('.') as [string, string];
    expect(tokens.verifyUnsubscribe(token)).toBeDefined();
    expect(tokens.verifyUnsubscribe(token + junk)).toBeUndefined();
    expect(tokens.verifyUnsubscribe(`${body}${junk}.${mac}`)).toBeUndefined();
    expect(tokens.verifyUnsubscribe(`${junk}${token}`)).toBeUndefined();
  });

  it('refuses a token with any one character changed', () => {
    const token = tokens.sheetToken({ repId: 'r', prospectId: 'p', touchId: 't', exp: 4_102_444_800 });
    const now = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < token.length; i++) {
      const swapped = token[i] === 'A' ? 'B' : 'A';
      const altered = token.slice(0, i) + swapped + token.slice(i + 1);
      expect(tokens.verifySheet(altered, now), `position ${i}`).toBeUndefined();
    }
  });
});

describe('SignedLinks', () => {
  const tokens = new LinkTokens(SECRET);

  it('builds links on the public base URL, with or without a trailing slash, or on a given base', async () => {
    const links = new SignedLinks({ get: async () => SECRET }, 'https://api.example.com/');
    const url = await links.unsubscribeUrl({ repId: 'r', id: 'p', email: 'a@b.example' });
    expect(url).toMatch(/^https:\/\/api\.example\.com\/v1\/unsubscribe\?token=[\w-]+\.[\w-]+$/);
    const sheet = await links.sheetUrl({ repId: 'r', prospectId: 'p', id: 't' }, new Date('2026-11-23T00:00:00Z'));
    const token = sheet.split('/v1/sheets/')[1]!;
    expect(tokens.verifySheet(token, new Date('2026-11-29T23:00:00Z'))).toMatchObject({ touchId: 't' });
    expect(tokens.verifySheet(token, new Date('2026-12-01T00:00:00Z'))).toBeUndefined();
    expect(await links.unsubscribeUrl({ repId: 'r', id: 'p', email: 'a@b.example' }, 'http://localhost:3000')).toMatch(/^http:\/\/localhost:3000\/v1\/unsubscribe\?token=/);
  });

  it('fetches the secret again after a failure instead of keeping the failure', async () => {
    let calls = 0;
    const links = new SignedLinks(
      {
        get: async () => {
          calls++;
          if (calls === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
          return SECRET;
        },
      },
      'https://api.example.com',
    );
    await expect(links.verifyUnsubscribe('x.y')).rejects.toThrow('Rate exceeded');
    expect(await links.verifyUnsubscribe(tokens.unsubscribeToken({ repId: 'r', prospectId: 'p', email: 'e@x.example' }))).toMatchObject({ repId: 'r' });
    expect(await links.verifyUnsubscribe('x.y')).toBeUndefined();
    expect(calls).toBe(2);
  });
});
