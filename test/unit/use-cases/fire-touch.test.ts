import { describe, expect, it } from 'vitest';
import type { Touch } from '../../../functions/core/schemas.js';
import { MailRejectedError } from '../../../functions/ports/mailer.js';
import { CLAIM_TTL_SECONDS, fireTouch, TouchBusyError } from '../../../functions/use-cases/fire-touch.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { aTouch, MAIL_SETTINGS, MONDAY, PUBLIC_URL, REP_ID, seeded, tokenOf, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

const QUOTE = [{ title: 'Quote Q-1042', url: 'https://files.example/q-1042.pdf' }];

/** What the touch's schedule delivers to the fire handler. */
const delivery = (deps: FakeDeps, touch: Pick<Touch, 'id'>) => deps.scheduler.schedules.get(`touch-${touch.id}`)!.payload;
const stored = (deps: FakeDeps, touch: Pick<Touch, 'id'>) => deps.store.getTouch(REP_ID, 'p-dana', touch.id);

/** Callback agreed for Wednesday 15:00 New York, with a quote: recap now, resend at 14:50, reminder at 15:00. */
async function agreed(deps = useCaseDeps()) {
  await seeded(deps);
  const { touches } = await recordCall(deps, {
    repId: REP_ID,
    prospectId: 'p-dana',
    call: { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00', materials: QUOTE, discussed: 'uptime of line 3' },
  });
  const [recap, resend, reminder] = touches as [Touch, Touch, Touch];
  return { deps, recap, resend, reminder };
}

describe('fireTouch', () => {
  it('sends the recap to the prospect with one-click unsubscribe and the invite, and records it sent', async () => {
    // Prepare
    const { deps, recap } = await agreed();
    // Act
    const result = await fireTouch(deps, delivery(deps, recap));
    // Assess
    expect(result).toEqual({ result: 'sent', touchId: recap.id, messageId: 'mail-1', channel: 'email' });
    const [email] = deps.mailer.sent;
    expect(email).toMatchObject({
      to: ['Dana@Northwind.example'],
      from: `"Ana Rivera" <${MAIL_SETTINGS.sender}>`,
      replyTo: ['ana@seller.example'],
      tags: { touch: recap.id, kind: 'recap', recipient: 'prospect' },
    });
    expect(email!.subject).toContain('Recap of our call');
    expect(email!.attachments?.map((a) => a.filename)).toEqual(['invite.ics']);
    const unsubscribe = email!.headers!.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1);
    expect(email!.headers).toContainEqual({ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    expect(await deps.links.verifyUnsubscribe(tokenOf(unsubscribe))).toEqual({ repId: REP_ID, prospectId: 'p-dana', email: 'dana@northwind.example' });
    expect(email!.text).toContain(unsubscribe);
    const after = await stored(deps, recap);
    expect(after).toMatchObject({ status: 'sent', messageId: 'mail-1', sentAt: MONDAY, template: 'email/recap + parts[hot.cost_savings]', subject: email!.subject });
    expect(after!.claimedAt).toBeUndefined();
  });

  it('sends the resend as a reply in the recap’s thread', async () => {
    const { deps, recap, resend } = await agreed();
    await fireTouch(deps, delivery(deps, recap));
    deps.clock.set(resend.dueAt);
    const result = await fireTouch(deps, delivery(deps, resend));
    expect(result).toMatchObject({ result: 'sent', messageId: 'mail-2' });
    const [first, second] = deps.mailer.sent;
    const parent = `<mail-1@${MAIL_SETTINGS.messageIdDomain}>`;
    expect(second!.headers).toEqual(expect.arrayContaining([{ name: 'In-Reply-To', value: parent }, { name: 'References', value: parent }]));
    expect(second!.subject).toBe(`Re: ${first!.subject}`);
    expect(second!.text).toContain('https://files.example/q-1042.pdf');
  });

  it('emails an email rep the call-prep sheet at the callback, with a link to open it in the browser', async () => {
    const { deps, reminder } = await agreed();
    deps.clock.set(reminder.dueAt);
    await fireTouch(deps, delivery(deps, reminder));
    const [email] = deps.mailer.sent;
    expect(email).toMatchObject({ to: ['ana@seller.example'], from: `"followthrough" <${MAIL_SETTINGS.sender}>` });
    expect(email!.subject).toContain('Call Dana Whitfield');
    expect(email!.headers ?? []).not.toContainEqual(expect.objectContaining({ name: 'List-Unsubscribe' }));
    const sheet = /href="([^"]*\/v1\/sheets\/[^"]+)"/.exec(email!.html)![1]!;
    expect(await deps.links.verifySheet(tokenOf(sheet), deps.clock.now())).toMatchObject({ touchId: reminder.id, prospectId: 'p-dana' });
    expect((await stored(deps, reminder))!.template).toMatch(/^email\/rep_reminder \+ voicemail\//);
  });

  it('sends nothing when the same delivery comes again', async () => {
    const { deps, recap } = await agreed();
    await fireTouch(deps, delivery(deps, recap));
    const again = await fireTouch(deps, delivery(deps, recap));
    expect(again).toEqual({ result: 'ignored', touchId: recap.id, reason: 'touch is sent' });
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('ignores a touch that was cancelled or never existed', async () => {
    const { deps, recap } = await agreed();
    const payload = delivery(deps, recap);
    await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'not_interested' } });
    expect(await fireTouch(deps, payload)).toEqual({ result: 'ignored', touchId: recap.id, reason: 'touch is cancelled' });
    expect(await fireTouch(deps, { ...payload, touchId: 'nope' })).toEqual({ result: 'ignored', touchId: 'nope', reason: 'no such touch' });
    expect(deps.mailer.sent).toEqual([]);
  });

  it('leaves a touch another delivery holds to it, and takes it over once that claim is stale', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    // Claims are stored as fire writes them: UTC, whole seconds.
    const fresh = new Date(Date.parse(MONDAY) - CLAIM_TTL_SECONDS * 1000).toISOString().replace('.000', '');
    expect(fresh).toBe('2026-11-23T14:59:30Z');
    const touch = aTouch({ claimedAt: fresh });
    deps.store.seedTouch(touch);
    const payload = { v: 1 as const, touchId: touch.id, repId: REP_ID, prospectId: 'p-dana', dueAt: touch.dueAt };
    // Exactly the TTL old: still held.
    await expect(fireTouch(deps, payload)).rejects.toBeInstanceOf(TouchBusyError);
    expect(deps.mailer.sent).toEqual([]);
    expect(await stored(deps, touch)).toMatchObject({ status: 'scheduled', claimedAt: fresh });
    // A second later the holder counts as crashed.
    deps.clock.advance(1000);
    expect(await fireTouch(deps, payload)).toMatchObject({ result: 'sent', touchId: touch.id });
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('marks the touch failed when the mail service refuses it for good', async () => {
    const { deps, recap } = await agreed();
    deps.mailer.failNext(new MailRejectedError('MessageRejected'));
    const result = await fireTouch(deps, delivery(deps, recap));
    expect(result).toEqual({ result: 'ignored', touchId: recap.id, reason: 'the mail service refused it (MessageRejected)' });
    const after = await stored(deps, recap);
    expect(after).toMatchObject({ status: 'failed', reason: 'the mail service refused it (MessageRejected)' });
    expect(after!.claimedAt).toBeUndefined();
  });

  it('tells the rep once when the mail service refuses a touch for good, with what the service said', async () => {
    // Prepare: SES refuses the recap as it does an unverified recipient in the sandbox.
    const { deps, recap } = await agreed();
    const refusal = Object.assign(new Error('Email address is not verified. The following identities failed the check in region US-EAST-1: dana@acme.example'), { name: 'MessageRejected' });
    deps.mailer.failNext(new MailRejectedError('MessageRejected', { cause: refusal }));

    // Act: the delivery, then a duplicate of it (Scheduler and Lambda deliver at least once).
    await fireTouch(deps, delivery(deps, recap));
    await fireTouch(deps, delivery(deps, recap));

    // Assess: failed with SES's words; one notice to the rep, sent, naming the touch and the retry.
    const after = await stored(deps, recap);
    expect(after).toMatchObject({ status: 'failed' });
    expect(after!.reason).toContain('Email address is not verified');
    const notices = deps.store.allTouches().filter((t) => t.kind === 'rep_notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ status: 'sent', notice: 'delivery_failed', about: { touchId: recap.id, kind: 'recap' } });
    const toRep = deps.mailer.sent.filter((e) => e.to.includes('ana@seller.example'));
    expect(toRep).toHaveLength(1);
    // The notice points the rep to the prospect's page in the console, whose "Send again" retries it.
    expect(toRep[0]!.text).toContain(`press "Send again" on Dana's page in followthrough to send it again`);
    expect(toRep[0]!.text).toContain(`Open Dana Whitfield in followthrough: ${PUBLIC_URL}/app/prospects/p-dana`);
    expect(toRep[0]!.html).toContain(`<a href="${PUBLIC_URL}/app/prospects/p-dana">Open Dana Whitfield in followthrough</a>`);
  });

  it('rethrows any other failure and releases the claim, so the retried invocation sends it', async () => {
    const { deps, recap } = await agreed();
    const outage = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    deps.mailer.failNext(outage);
    await expect(fireTouch(deps, delivery(deps, recap))).rejects.toBe(outage);
    const after = await stored(deps, recap);
    expect(after).toMatchObject({ status: 'scheduled' });
    expect(after!.claimedAt).toBeUndefined();
    expect(await fireTouch(deps, delivery(deps, recap))).toMatchObject({ result: 'sent', messageId: 'mail-1' });
  });

  it('fails the touch when its prospect or rep is gone', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const orphan = aTouch({ repId: 'rep-gone' });
    deps.store.seedTouch(orphan);
    const result = await fireTouch(deps, { v: 1, touchId: orphan.id, repId: 'rep-gone', prospectId: 'p-dana', dueAt: orphan.dueAt });
    expect(result).toEqual({ result: 'ignored', touchId: orphan.id, reason: 'prospect or rep no longer exists' });
    expect(await deps.store.getTouch('rep-gone', 'p-dana', orphan.id)).toMatchObject({ status: 'failed', reason: 'prospect or rep no longer exists' });
    expect(deps.mailer.sent).toEqual([]);
  });
});

describe('fireTouch: a claim refused by a transaction conflict alone', () => {
  /** The store answers the next `n` claims as DynamoDB does when another transaction held one of their items. */
  function conflicts(deps: FakeDeps, n: number) {
    const claim = deps.store.claimAsRead.bind(deps.store);
    const read = deps.store.getProspectBundle.bind(deps.store);
    const seen = { claims: 0, reads: 0 };
    deps.store.claimAsRead = async (c) => (++seen.claims <= n ? { moved: [] } : claim(c));
    deps.store.getProspectBundle = async (...args) => (seen.reads++, read(...args));
    return seen;
  }

  it('claims again after a short wait, without reading or rendering again, and sends once', async () => {
    const { deps, recap } = await agreed();
    const seen = conflicts(deps, 3);
    const before = deps.clock.now().getTime();
    const result = await fireTouch(deps, delivery(deps, recap));
    expect(result).toMatchObject({ result: 'sent', touchId: recap.id });
    expect(deps.mailer.sent).toHaveLength(1);
    expect(seen).toEqual({ claims: 4, reads: 1 });
    // Three waits, doubling from 20 ms with jitter of ±50%: 70 ms at the least, 210 at the most.
    const waited = deps.clock.now().getTime() - before;
    expect(waited).toBeGreaterThanOrEqual(70);
    expect(waited).toBeLessThanOrEqual(210);
  });

  it('reads the touch again when conflicts go on, and a conflict that never ends leaves it for a retry', async () => {
    const { deps, recap } = await agreed();
    const seen = conflicts(deps, Number.POSITIVE_INFINITY);
    await expect(fireTouch(deps, delivery(deps, recap))).rejects.toBeInstanceOf(TouchBusyError);
    expect(deps.mailer.sent).toHaveLength(0);
    // Four reads, each followed by the claim and its five retries.
    expect(seen).toEqual({ claims: 24, reads: 4 });
    expect((await stored(deps, recap))!.claimedAt).toBeUndefined();
  });
});
