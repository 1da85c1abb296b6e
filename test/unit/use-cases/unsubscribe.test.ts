import { describe, expect, it } from 'vitest';
import { LinkTokens } from '../../../functions/core/link-tokens.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { checkUnsubscribe, unsubscribe } from '../../../functions/use-cases/unsubscribe.js';
import { REP_ID, seeded, tokenOf, useCaseDeps } from '../../support/fakes.js';

/** A prospect with a recap pending, and the unsubscribe token their emails carry. */
async function prospectWithLink() {
  const deps = useCaseDeps();
  const { prospect } = await seeded(deps);
  await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00' } });
  const token = tokenOf(await deps.links.unsubscribeUrl(prospect));
  return { deps, token };
}

describe('unsubscribe', () => {
  it('suppresses the address the token names and cancels the pending recap', async () => {
    // Prepare
    const { deps, token } = await prospectWithLink();
    // Act
    const answer = await unsubscribe(deps, token);
    // Assess
    expect(answer).toEqual({
      valid: true,
      claim: { repId: REP_ID, prospectId: 'p-dana', email: 'dana@northwind.example' },
      result: { suppressed: true, changed: true, cancelled: 1 },
      sender: { name: 'Ana Rivera', company: 'Acme Pumps' },
    });
    expect(await deps.store.getSuppression('dana@northwind.example')).toMatchObject({ reason: 'unsubscribed', prospectId: 'p-dana' });
    expect(deps.store.allTouches().find((t) => t.kind === 'recap')).toMatchObject({ status: 'cancelled', reason: 'the address unsubscribed' });
    expect(deps.store.allTouches().find((t) => t.kind === 'rep_notice')).toMatchObject({ notice: 'unsubscribed', status: 'scheduled' });
  });

  it('is a no-op the second time', async () => {
    const { deps, token } = await prospectWithLink();
    await unsubscribe(deps, token);
    const before = deps.store.dump();
    expect(await unsubscribe(deps, token)).toMatchObject({ valid: true, result: { changed: false, cancelled: 0 } });
    expect(deps.store.dump()).toEqual(before);
  });

  it('changes nothing for a forged, altered or foreign token', async () => {
    const { deps, token } = await prospectWithLink();
    const [body, mac] = token.split('.') as [string, string];
    const otherSecret = new LinkTokens('another-secret-of-thirty-two-chars!');
    const forged = [
      otherSecret.unsubscribeToken({ repId: REP_ID, prospectId: 'p-dana', email: 'dana@northwind.example' }),
      `${Buffer.from(JSON.stringify([REP_ID, 'p-dana', 'someone@else.example'])).toString('base64url')}.${mac}`,
      `${body}.${mac.slice(0, -2)}AA`,
      `${body}.${mac}.extra`,
      `${body}.${mac}!`,
      deps.links.tokens.sheetToken({ repId: REP_ID, prospectId: 'p-dana', touchId: 't-1', exp: 4_102_444_800 }),
      '',
    ];
    const before = deps.store.dump();
    const schedules = [...deps.scheduler.schedules.keys()];
    for (const bad of forged) expect(await unsubscribe(deps, bad)).toEqual({ valid: false });
    expect(deps.store.dump()).toEqual(before);
    expect([...deps.scheduler.schedules.keys()]).toEqual(schedules);
    expect(deps.scheduler.deleted).toEqual([]);
  });
});

describe('checkUnsubscribe', () => {
  it('says whom a token is for and who sent the email, without changing anything', async () => {
    const { deps, token } = await prospectWithLink();
    const before = deps.store.dump();
    expect(await checkUnsubscribe(deps, token)).toEqual({
      valid: true,
      claim: { repId: REP_ID, prospectId: 'p-dana', email: 'dana@northwind.example' },
      sender: { name: 'Ana Rivera', company: 'Acme Pumps' },
    });
    expect(await checkUnsubscribe(deps, `${token}x`)).toEqual({ valid: false });
    expect(deps.store.dump()).toEqual(before);
  });

  it('still answers when the rep who sent it is gone, naming no sender', async () => {
    const { deps, token } = await prospectWithLink();
    const original = deps.store.getRep.bind(deps.store);
    deps.store.getRep = async (id) => (id === REP_ID ? undefined : original(id));
    const answer = await checkUnsubscribe(deps, token);
    expect(answer).toMatchObject({ valid: true });
    expect(answer).not.toHaveProperty('sender');
  });
});
