/** fireTouch: the rules a prospect email meets at send time, and the rep reminder by SMS with its email fallback. */
import { describe, expect, it } from 'vitest';
import type { Prospect, Rep, Touch } from '../../../functions/core/schemas.js';
import { MailRejectedError } from '../../../functions/ports/mailer.js';
import { fireTouch } from '../../../functions/use-cases/fire-touch.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { aTouch, REP_ID, seeded, tokenOf, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

const payloadOf = (t: Touch) => ({ v: 1 as const, touchId: t.id, repId: t.repId, prospectId: t.prospectId, dueAt: t.dueAt });

/** A prospect email due at `dueAt`, fired at that time, with `earlier` touches already on record. */
async function fireProspectEmail(dueAt: string, prospect: Partial<Prospect> = {}, touch: Partial<Touch> = {}, earlier: Touch[] = []) {
  const deps = useCaseDeps();
  await seeded(deps, {}, prospect);
  const email = aTouch({ kind: 'final_email', recipient: 'prospect', dueAt, timezone: prospect.timezone ?? 'America/New_York', ...touch });
  for (const t of [email, ...earlier]) deps.store.seedTouch(t);
  deps.clock.set(dueAt);
  const result = await fireTouch(deps, payloadOf(email));
  return { deps, result, stored: await deps.store.getTouch(REP_ID, 'p-dana', email.id) };
}

const sentEmail = (sentAt: string, recipient: Touch['recipient'] = 'prospect') =>
  aTouch({ kind: 'recap', recipient, status: 'sent', dueAt: sentAt, sentAt, messageId: `m-${sentAt}` });

describe('fireTouch: prospect email rules at send time', () => {
  it.each([
    ['America/New_York', '2026-11-24T02:30:00Z', 'quiet hours in America/New_York (21:00-08:00)'], // 21:30 there
    ['Europe/London', '2026-11-23T22:30:00Z', 'quiet hours in Europe/London (21:00-08:00)'], // 22:30 there
    ['Asia/Kolkata', '2026-11-23T16:00:00Z', 'quiet hours in Asia/Kolkata (21:00-08:00)'], // 21:30 there
    ['America/New_York', '2026-11-23T22:30:00Z', undefined], // 17:30 there
    ['Asia/Kolkata', '2026-11-23T15:00:00Z', undefined], // 20:30 there
  ])('in %s at %s: %s', async (timezone, at, reason) => {
    const { deps, result, stored } = await fireProspectEmail(at, { timezone, country: undefined });
    if (reason) {
      expect(result).toMatchObject({ result: 'skipped', reason });
      expect(stored).toMatchObject({ status: 'skipped', reason });
      expect(deps.mailer.sent).toEqual([]);
    } else {
      expect(result).toMatchObject({ result: 'sent' });
      expect(deps.mailer.sent).toHaveLength(1);
    }
  });

  it('skips a public holiday where the prospect is, unless the callback was agreed for that day', async () => {
    const thanksgiving = '2026-11-26T15:00:00Z';
    const us = await fireProspectEmail(thanksgiving, { country: 'US' });
    expect(us.result).toMatchObject({ result: 'skipped', reason: 'a public holiday in US' });
    expect(us.deps.mailer.sent).toEqual([]);
    const agreed = await fireProspectEmail(thanksgiving, { country: 'US' }, { callbackAt: '2026-11-26T19:00:00Z' });
    expect(agreed.result).toMatchObject({ result: 'sent' });
    const british = await fireProspectEmail(thanksgiving, { country: 'GB', timezone: 'Europe/London' });
    expect(british.result).toMatchObject({ result: 'sent' });
  });

  it('keeps to the budget: three prospect emails in seven days, and the fourth is skipped', async () => {
    const three = ['2026-11-17T16:00:00Z', '2026-11-19T15:00:00Z', '2026-11-20T15:00:00Z'].map((at) => sentEmail(at));
    const over = await fireProspectEmail('2026-11-23T15:00:00Z', {}, {}, three);
    expect(over.result).toMatchObject({ result: 'skipped', reason: 'over the touch budget: 3 prospect emails in the last 7 days (at most 3)' });
    expect(over.deps.mailer.sent).toEqual([]);
    // One of them eight days back, and the rep's own email: within budget.
    const older = [sentEmail('2026-11-15T15:00:00Z'), sentEmail('2026-11-19T15:00:00Z'), sentEmail('2026-11-20T15:00:00Z', 'rep')];
    expect((await fireProspectEmail('2026-11-23T15:00:00Z', {}, {}, older)).result).toMatchObject({ result: 'sent' });
  });

  it('never emails a suppressed address, whatever its case, nor a prospect with no address or closed', async () => {
    const listed = useCaseDeps();
    await listed.store.addSuppression({ email: 'DANA@northwind.EXAMPLE', reason: 'unsubscribed', at: '2026-11-22T00:00:00Z' });
    const cases: [Partial<Prospect>, string][] = [
      [{ emailSuppressed: { reason: 'bounced', at: '2026-11-22T00:00:00Z' } }, 'the address is suppressed (bounced)'],
      [{ email: undefined }, 'the prospect has no email address'],
      [{ status: 'closed' }, 'the prospect is closed'],
    ];
    for (const [prospect, reason] of cases) {
      const { result, deps } = await fireProspectEmail('2026-11-23T15:00:00Z', prospect);
      expect(result).toMatchObject({ result: 'skipped', reason });
      expect(deps.mailer.sent).toEqual([]);
    }
    await seeded(listed);
    const email = aTouch({ kind: 'recap', recipient: 'prospect' });
    listed.store.seedTouch(email);
    expect(await fireTouch(listed, payloadOf(email))).toMatchObject({ result: 'skipped', reason: 'the address is suppressed (unsubscribed)' });
    expect(listed.mailer.sent).toEqual([]);
  });

  it('sends the rep’s reminder whatever the prospect’s quiet hours and holidays', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const reminder = aTouch({ dueAt: '2026-11-27T02:00:00Z' }); // Thanksgiving night in New York
    deps.store.seedTouch(reminder);
    deps.clock.set(reminder.dueAt);
    expect(await fireTouch(deps, payloadOf(reminder))).toMatchObject({ result: 'sent', channel: 'email' });
  });
});

/** An SMS rep with a callback agreed for Wednesday 15:00 New York; the clock at the reminder. */
async function smsReminder(rep: Partial<Rep> = { reminderChannel: 'sms' }, deps: FakeDeps = useCaseDeps()) {
  await seeded(deps, rep);
  const { touches } = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00' } });
  const reminder = touches.find((t) => t.kind === 'rep_reminder')!;
  deps.clock.set(reminder.dueAt);
  return { deps, reminder };
}

describe('fireTouch: the rep reminder by SMS', () => {
  it('texts the rep a short reminder whose link opens the sheet', async () => {
    const { deps, reminder } = await smsReminder();
    expect(reminder.channel).toBe('sms');
    const result = await fireTouch(deps, payloadOf(reminder));
    expect(result).toEqual({ result: 'sent', touchId: reminder.id, messageId: 'sms-1', channel: 'sms' });
    const [sms] = deps.sms!.sent;
    expect(sms).toMatchObject({ to: '+15555550100', context: { touch: reminder.id } });
    expect(sms!.body).toContain('Call Dana Whitfield');
    const link = /Sheet: (\S+)/.exec(sms!.body)![1]!;
    expect(await deps.links.verifySheet(tokenOf(link), deps.clock.now())).toMatchObject({ repId: REP_ID, touchId: reminder.id });
    expect(deps.mailer.sent).toEqual([]);
    const stored = await deps.store.getTouch(REP_ID, 'p-dana', reminder.id);
    // The touch names the script in the sheet and its variant, as an email reminder does: the scripts report reads them.
    expect(reminder.scriptVariant).toMatch(/^hot\.cost_savings\.[ab]$/);
    expect(stored).toMatchObject({
      status: 'sent',
      messageId: 'sms-1',
      template: `sms/rep_reminder + voicemail/parts[opening.as_promised,${reminder.scriptVariant},question.cost_savings,number,promise]`,
      scriptVariant: reminder.scriptVariant,
    });
    expect(stored!.deliveries).toBeUndefined();
  });

  it('falls back to email when the SMS cannot be sent, recording both deliveries', async () => {
    const { deps, reminder } = await smsReminder();
    deps.sms!.failNext(Object.assign(new Error('no route to the carrier'), { name: 'ServiceQuotaExceededException' }));
    const result = await fireTouch(deps, payloadOf(reminder));
    expect(result).toEqual({ result: 'sent', touchId: reminder.id, messageId: 'mail-1', channel: 'email' });
    expect(deps.mailer.sent.map((e) => e.to)).toEqual([['ana@seller.example']]);
    const stored = await deps.store.getTouch(REP_ID, 'p-dana', reminder.id);
    expect(stored).toMatchObject({ status: 'sent', messageId: 'mail-1' });
    expect(stored!.deliveries).toEqual([
      { at: reminder.dueAt, channel: 'sms', ok: false, error: 'ServiceQuotaExceededException: no route to the carrier' },
      { at: reminder.dueAt, channel: 'email', ok: true, messageId: 'mail-1' },
    ]);
    expect(deps.logger.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: 'SMS failed; falling back to email' }));
  });

  it('goes by email, saying why, with no SMS channel or no phone for the rep', async () => {
    const noChannel = await smsReminder({ reminderChannel: 'sms' }, useCaseDeps({ sms: undefined }));
    expect(await fireTouch(noChannel.deps, payloadOf(noChannel.reminder))).toMatchObject({ result: 'sent', channel: 'email' });
    expect((await noChannel.deps.store.getTouch(REP_ID, 'p-dana', noChannel.reminder.id))!.deliveries![0]).toMatchObject({ ok: false, error: 'no SMS channel is configured' });
    const noPhone = await smsReminder({ reminderChannel: 'sms', phone: undefined });
    expect(await fireTouch(noPhone.deps, payloadOf(noPhone.reminder))).toMatchObject({ result: 'sent', channel: 'email' });
    expect(noPhone.deps.sms!.sent).toEqual([]);
    expect((await noPhone.deps.store.getTouch(REP_ID, 'p-dana', noPhone.reminder.id))!.deliveries![0]).toMatchObject({ error: 'the rep has no phone number' });
  });

  it('follows the rep’s channel as it is when the reminder fires', async () => {
    const { deps, reminder } = await smsReminder();
    await deps.store.putRep({ ...(await deps.store.getRep(REP_ID))!, reminderChannel: 'email' });
    expect(await fireTouch(deps, payloadOf(reminder))).toMatchObject({ result: 'sent', channel: 'email' });
    expect(deps.sms!.sent).toEqual([]);
  });

  it('marks the touch failed with the SMS attempt on record when the fallback email is refused too', async () => {
    const { deps, reminder } = await smsReminder();
    deps.sms!.failNext();
    deps.mailer.failNext(new MailRejectedError('MailFromDomainNotVerifiedException'));
    expect(await fireTouch(deps, payloadOf(reminder))).toMatchObject({ result: 'ignored', reason: 'the mail service refused it (MailFromDomainNotVerifiedException)' });
    const stored = await deps.store.getTouch(REP_ID, 'p-dana', reminder.id);
    expect(stored).toMatchObject({ status: 'failed' });
    expect(stored!.deliveries).toEqual([expect.objectContaining({ channel: 'sms', ok: false })]);
  });
});
