import { describe, expect, it } from 'vitest';
import type { Touch } from '../../../functions/core/schemas.js';
import type { SesEvent } from '../../../functions/core/ses-event.js';
import { fireTouch } from '../../../functions/use-cases/fire-touch.js';
import { handleSesEvent } from '../../../functions/use-cases/handle-ses-event.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { MONDAY, REP_ID, seeded, useCaseDeps } from '../../support/fakes.js';

const QUOTE = [{ title: 'Quote Q-1042', url: 'https://files.example/q-1042.pdf' }];

/** The recap went out (mail-1); the resend and the reminder are pending. */
async function recapSent() {
  const deps = useCaseDeps();
  await seeded(deps);
  const { touches } = await recordCall(deps, {
    repId: REP_ID,
    prospectId: 'p-dana',
    call: { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00', materials: QUOTE },
  });
  const [recap, resend, reminder] = touches as [Touch, Touch, Touch];
  await fireTouch(deps, deps.scheduler.schedules.get(`touch-${recap.id}`)!.payload);
  return { deps, recap, resend, reminder };
}

function sesEvent(eventType: string, touchId: string | undefined, extra: Partial<SesEvent['detail']> = {}): SesEvent {
  return {
    source: 'aws.ses',
    'detail-type': `Email ${eventType}`,
    detail: { eventType, mail: { messageId: 'mail-1', destination: ['dana@northwind.example'], ...(touchId ? { tags: { touch: [touchId] } } : {}) }, ...extra },
  };
}
const bounce = (bounceType: string, bounceSubType?: string) => ({
  bounce: { bounceType, ...(bounceSubType ? { bounceSubType } : {}), bouncedRecipients: [{ emailAddress: 'Dana@Northwind.example' }] },
});

describe('handleSesEvent', () => {
  it('suppresses the address after a permanent bounce: pending email cancelled, the rep told', async () => {
    // Prepare
    const { deps, recap, resend, reminder } = await recapSent();
    // Act
    const result = await handleSesEvent(deps, sesEvent('Bounce', recap.id, bounce('Permanent', 'General')));
    // Assess
    expect(result).toEqual({ result: 'suppressed', reason: 'bounced', emails: ['Dana@Northwind.example'], touchId: recap.id });
    expect(await deps.store.getSuppression('dana@northwind.example')).toMatchObject({ reason: 'bounced', repId: REP_ID, prospectId: 'p-dana' });
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toMatchObject({ emailSuppressed: { reason: 'bounced', at: MONDAY } });
    expect(await deps.store.getTouch(REP_ID, 'p-dana', resend.id)).toMatchObject({ status: 'cancelled', reason: 'the address bounced' });
    expect(deps.scheduler.schedules.has(`touch-${resend.id}`)).toBe(false);
    expect(await deps.store.getTouch(REP_ID, 'p-dana', reminder.id)).toMatchObject({ status: 'scheduled' });
    expect(deps.store.allTouches().filter((t) => t.kind === 'rep_notice').map((t) => t.notice)).toEqual(['bounced']);
  });

  it('only records a transient bounce on the touch, suppressing nothing', async () => {
    const { deps, recap, resend } = await recapSent();
    const result = await handleSesEvent(deps, sesEvent('Bounce', recap.id, bounce('Transient', 'MailboxFull')));
    expect(result).toEqual({ result: 'recorded', touchId: recap.id, detail: 'Transient bounce (MailboxFull)' });
    const stored = await deps.store.getTouch(REP_ID, 'p-dana', recap.id);
    expect(stored).toMatchObject({ status: 'sent', messageId: 'mail-1' });
    expect(stored!.deliveries).toEqual([{ at: expect.any(String), channel: 'email', ok: false, messageId: 'mail-1', error: 'Transient bounce (MailboxFull)' }]);
    expect(Date.parse(stored!.deliveries![0]!.at)).toBe(Date.parse(MONDAY));
    expect(deps.store.suppressionList()).toEqual([]);
    expect((await deps.store.getProspect(REP_ID, 'p-dana'))!.emailSuppressed).toBeUndefined();
    expect(await deps.store.getTouch(REP_ID, 'p-dana', resend.id)).toMatchObject({ status: 'scheduled' });
  });

  it('suppresses after a complaint', async () => {
    const { deps, recap, resend } = await recapSent();
    const complaint = { complaint: { complainedRecipients: [{ emailAddress: 'dana@northwind.example' }], complaintFeedbackType: 'abuse' } };
    expect(await handleSesEvent(deps, sesEvent('Complaint', recap.id, complaint))).toMatchObject({ result: 'suppressed', reason: 'complained' });
    expect(await deps.store.getTouch(REP_ID, 'p-dana', resend.id)).toMatchObject({ status: 'cancelled', reason: 'the address complained' });
    expect(deps.store.allTouches().find((t) => t.kind === 'rep_notice')).toMatchObject({ notice: 'complained' });
  });

  it('never stops the rep’s own reminders when the rep’s address bounces; it logs an error', async () => {
    const { deps, reminder } = await recapSent();
    const repBounce = { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ana@seller.example' }] } };
    const result = await handleSesEvent(deps, sesEvent('Bounce', reminder.id, repBounce));
    expect(result).toEqual({ result: 'recorded', touchId: reminder.id, detail: 'rep address bounced' });
    expect(deps.store.suppressionList()).toEqual([]);
    expect(deps.logger.entries).toContainEqual(expect.objectContaining({ level: 'error', message: 'an email to the rep bounced or was marked as spam' }));
  });

  it('lists the address alone when the event names no touch', async () => {
    const { deps, resend } = await recapSent();
    const before = await deps.store.getProspect(REP_ID, 'p-dana');
    expect(await handleSesEvent(deps, sesEvent('Bounce', undefined, bounce('Permanent')))).toEqual({ result: 'suppressed', reason: 'bounced', emails: ['Dana@Northwind.example'] });
    expect(deps.store.suppressionList()).toEqual([expect.objectContaining({ email: 'dana@northwind.example', reason: 'bounced' })]);
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toEqual(before);
    expect(await deps.store.getTouch(REP_ID, 'p-dana', resend.id)).toMatchObject({ status: 'scheduled' });
  });

  it('changes nothing when a bounce, a complaint or a Send event comes again (a redelivery or a replay)', async () => {
    // Prepare: each event applied once, the clock moved on.
    const { deps, recap } = await recapSent();
    const transient = sesEvent('Bounce', recap.id, bounce('Transient', 'MailboxFull'));
    const permanent = sesEvent('Bounce', recap.id, bounce('Permanent', 'General'));
    const send: SesEvent = { ...sesEvent('Send', recap.id), detail: { eventType: 'Send', mail: { messageId: 'mail-1', tags: { touch: [recap.id] } } } };
    for (const event of [send, transient, permanent]) await handleSesEvent(deps, event);
    const before = deps.store.dump();
    deps.clock.set('2026-11-24T09:00:00Z');
    // Act
    const again = [];
    for (const event of [send, transient, permanent]) again.push(await handleSesEvent(deps, event));
    // Assess: the same answers, and not one write: no second delivery line, notice or later time.
    expect(again.map((r) => r.result)).toEqual(['recorded', 'recorded', 'suppressed']);
    expect(deps.store.dump()).toEqual(before);
    expect(deps.store.allTouches().filter((t) => t.kind === 'rep_notice')).toHaveLength(1);
  });

  it('ignores events that need no action', async () => {
    const { deps, recap } = await recapSent();
    const before = deps.store.dump();
    expect(await handleSesEvent(deps, sesEvent('Delivery', recap.id))).toEqual({ result: 'ignored', reason: 'event Delivery needs no action' });
    expect(deps.store.dump()).toEqual(before);
  });
});
