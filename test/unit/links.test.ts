import { describe, expect, it } from 'vitest';
import { LinkSigner, SignedLinks, signerSource } from '../../functions/app/links.js';

describe('LinkSigner', () => {
  const signer = new LinkSigner('a-secret-of-at-least-sixteen-chars');

  it('round-trips an unsubscribe claim, the address folded to lower case', () => {
    const token = signer.unsubscribeToken({ repId: 'rep-1', prospectId: 'p-1', email: 'Dana@Acme.Example' });
    expect(signer.verifyUnsubscribe(token)).toEqual({ repId: 'rep-1', prospectId: 'p-1', email: 'dana@acme.example' });
  });

  it('never takes a token made for one purpose as the other', () => {
    const sheet = signer.sheetToken({ repId: 'rep-1', prospectId: 'p-1', touchId: 't-1', exp: 4_102_444_800 });
    const unsubscribe = signer.unsubscribeToken({ repId: 'rep-1', prospectId: 'p-1', email: 'x@y.example' });
    expect(signer.verifyUnsubscribe(sheet)).toBeUndefined();
    expect(signer.verifySheet(unsubscribe, new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('refuses a sheet link after its expiry, and a secret shorter than 16 characters', () => {
    const exp = Date.parse('2026-12-01T00:00:00Z') / 1000;
    const token = signer.sheetToken({ repId: 'r', prospectId: 'p', touchId: 't', exp });
    expect(signer.verifySheet(token, new Date('2026-11-30T23:59:59Z'))).toEqual({ repId: 'r', prospectId: 'p', touchId: 't', exp });
    expect(signer.verifySheet(token, new Date('2026-12-01T00:00:01Z'))).toBeUndefined();
    expect(() => new LinkSigner('short')).toThrow(/at least 16/);
  });

  it('builds links on the public base URL, with or without a trailing slash', () => {
    const links = new SignedLinks(signer, 'https://api.example.com/');
    const url = links.unsubscribe({ repId: 'r', id: 'p', email: 'a@b.example' } as never);
    expect(url).toMatch(/^https:\/\/api\.example\.com\/v1\/unsubscribe\?token=[\w-]+\.[\w-]+$/);
    const sheet = links.sheet({ repId: 'r', prospectId: 'p', id: 't' } as never, new Date('2026-11-23T00:00:00Z'));
    const token = sheet.split('/v1/sheets/')[1]!;
    expect(signer.verifySheet(token, new Date('2026-11-29T23:00:00Z'))).toMatchObject({ touchId: 't' });
    expect(signer.verifySheet(token, new Date('2026-12-01T00:00:00Z'))).toBeUndefined();
  });

  it('waits for a secret still on its way, and passes its failure to whoever asks', async () => {
    const ready = signerSource(Promise.resolve('a-secret-of-at-least-sixteen-chars'));
    expect((await ready()).verifyUnsubscribe(signer.unsubscribeToken({ repId: 'r', prospectId: 'p', email: 'e@x.example' }))).toBeDefined();
    const failing = signerSource(Promise.reject(new Error('AccessDenied')));
    await expect(failing()).rejects.toThrow('AccessDenied');
  });
});
