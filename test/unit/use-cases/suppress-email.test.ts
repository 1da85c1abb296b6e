import { describe, expect, it } from 'vitest';
import type { Touch } from '../../../functions/core/schemas.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { suppressEmail } from '../../../functions/use-cases/suppress-email.js';
import { updateProspect } from '../../../functions/use-cases/update-prospect.js';
import { MONDAY, REP_ID, seeded, useCaseDeps } from '../../support/fakes.js';

const QUOTE = [{ title: 'Quote Q-1042', url: 'https://files.example/q-1042.pdf' }];

/** A callback agreed with a quote: recap and resend pending to the prospect, the reminder to the rep. */
async function withPendingEmail() {
  const deps = useCaseDeps();
  await seeded(deps);
  const { touches } = await recordCall(deps, {
    repId: REP_ID,
    prospectId: 'p-dana',
    call: { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00', materials: QUOTE },
  });
  const [recap, resend, reminder] = touches as [Touch, Touch, Touch];
  return { deps, recap, resend, reminder };
}

const input = (email = 'dana@northwind.example', reason: 'unsubscribed' | 'bounced' | 'complained' = 'unsubscribed') => ({
  repId: REP_ID,
  prospectId: 'p-dana',
  email,
  reason,
});

describe('suppressEmail', () => {
  it('lists the address, marks the prospect, cancels their pending email and tells the rep; reminders go on', async () => {
    // Prepare
    const { deps, recap, resend, reminder } = await withPendingEmail();
    // Act
    const result = await suppressEmail(deps, input(' DANA@Northwind.example ', 'bounced'));
    // Assess
    expect(result).toEqual({ suppressed: true, changed: true, cancelled: 2 });
    expect(deps.store.suppressionList()).toEqual([{ email: 'dana@northwind.example', reason: 'bounced', at: MONDAY, repId: REP_ID, prospectId: 'p-dana' }]);
    const prospect = await deps.store.getProspect(REP_ID, 'p-dana');
    expect(prospect).toMatchObject({ emailSuppressed: { reason: 'bounced', at: MONDAY }, version: 3 });
    for (const t of [recap, resend]) {
      expect(await deps.store.getTouch(REP_ID, 'p-dana', t.id)).toMatchObject({ status: 'cancelled', reason: 'the address bounced' });
      expect(deps.scheduler.schedules.has(`touch-${t.id}`)).toBe(false);
    }
    expect(await deps.store.getTouch(REP_ID, 'p-dana', reminder.id)).toMatchObject({ status: 'scheduled' });
    expect(deps.scheduler.schedules.has(`touch-${reminder.id}`)).toBe(true);
    const notices = deps.store.allTouches().filter((t) => t.kind === 'rep_notice');
    expect(notices).toEqual([expect.objectContaining({ recipient: 'rep', status: 'scheduled', notice: 'bounced', dueAt: MONDAY, callId: prospect!.lastCallId })]);
    expect(deps.scheduler.schedules.get(`touch-${notices[0]!.id}`)?.payload).toMatchObject({ touchId: notices[0]!.id, dueAt: MONDAY });
  });

  it('changes nothing and tells nobody the second time', async () => {
    const { deps } = await withPendingEmail();
    await suppressEmail(deps, input());
    const before = deps.store.dump();
    const created = deps.scheduler.created.length;
    deps.clock.advance(3600_000);
    expect(await suppressEmail(deps, input())).toEqual({ suppressed: true, changed: false, cancelled: 0 });
    expect(deps.store.dump()).toEqual(before);
    expect(deps.scheduler.created).toHaveLength(created);
  });

  it('lists an address the prospect no longer has without touching the prospect', async () => {
    const { deps, recap } = await withPendingEmail();
    const before = await deps.store.getProspect(REP_ID, 'p-dana');
    expect(await suppressEmail(deps, input('old@northwind.example'))).toEqual({ suppressed: true, changed: true, cancelled: 0 });
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toEqual(before);
    expect(await deps.store.getTouch(REP_ID, 'p-dana', recap.id)).toMatchObject({ status: 'scheduled' });
    expect(await deps.store.getSuppression('OLD@northwind.example')).toMatchObject({ reason: 'unsubscribed' });
  });

  it('lists the address even when the prospect is gone', async () => {
    const deps = useCaseDeps();
    expect(await suppressEmail(deps, input())).toEqual({ suppressed: true, changed: true, cancelled: 0 });
    expect(deps.store.suppressionList()).toHaveLength(1);
  });

  it('reloads and tries again when another write moved the prospect on', async () => {
    const { deps, resend } = await withPendingEmail();
    deps.store.hooks.interleave('commitOutcome', () => updateProspect(deps, REP_ID, 'p-dana', { company: 'Northwind Holdings' }));
    expect(await suppressEmail(deps, input())).toMatchObject({ changed: true, cancelled: 2 });
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toMatchObject({ company: 'Northwind Holdings', emailSuppressed: { reason: 'unsubscribed' }, version: 4 });
    expect(await deps.store.getTouch(REP_ID, 'p-dana', resend.id)).toMatchObject({ status: 'cancelled' });
    expect(deps.store.allTouches().filter((t) => t.kind === 'rep_notice')).toHaveLength(1);
  });
});
