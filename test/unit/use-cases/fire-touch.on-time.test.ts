/**
 * fireTouch on time and near the limit: a rep reminder delivered a minute early waits for its due
 * second (on the fake clock, which moves itself), prospect email does not wait, and what was
 * rendered before the claim goes out only while it is current: a cancel, a change to the prospect
 * or the rep, or a suppression that lands before the claim is seen by it.
 */
import { describe, expect, it } from 'vitest';
import { EARLY_SLACK_SECONDS, MAX_WAIT_SECONDS, scheduleTime } from '../../../functions/core/on-time.js';
import type { Touch } from '../../../functions/core/schemas.js';
import { cancelTouch } from '../../../functions/use-cases/cancel-touch.js';
import { fireTouch, TouchBusyError } from '../../../functions/use-cases/fire-touch.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { RepCache } from '../../../functions/use-cases/support/rep-cache.js';
import { updateProspect } from '../../../functions/use-cases/update-prospect.js';
import { aRep, REP_ID, seeded, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

const QUOTE = [{ title: 'Quote Q-1042', url: 'https://files.example/q-1042.pdf' }];
const delivery = (deps: FakeDeps, touch: Pick<Touch, 'id'>) => deps.scheduler.schedules.get(`touch-${touch.id}`)!.payload;
const stored = (deps: FakeDeps, touch: Pick<Touch, 'id'>) => deps.store.getTouch(REP_ID, 'p-dana', touch.id);

/** Callback agreed for Wednesday 15:00 New York (20:00Z), with a quote: recap now, resend at 14:50, reminder at 15:00. */
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

describe('fireTouch: a rep reminder on its second', () => {
  it('delivered early in its minute, waits for the due second and goes out on it', async () => {
    // Prepare: the schedule fires 47 s before the agreed second.
    const { deps, reminder } = await agreed();
    expect(reminder.dueAt).toBe('2026-11-25T20:00:00Z');
    deps.clock.set(new Date(Date.parse(reminder.dueAt) - 47_000));
    // Act
    const result = await fireTouch(deps, delivery(deps, reminder));
    // Assess
    expect(result).toMatchObject({ result: 'sent', touchId: reminder.id });
    expect(deps.clock.now().toISOString()).toBe('2026-11-25T20:00:00.000Z');
    expect(await stored(deps, reminder)).toMatchObject({ status: 'sent', sentAt: reminder.dueAt });
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('waits no longer than its bound, however early in its schedule’s minute it is delivered', async () => {
    const { deps, reminder } = await agreed();
    // Scheduler fires from the start of the minute of the schedule (a minute ahead), give or take its clock.
    const firedAt = Math.floor(scheduleTime(reminder).getTime() / 60_000) * 60_000 - EARLY_SLACK_SECONDS * 1000;
    deps.clock.set(new Date(firedAt));
    expect(await fireTouch(deps, delivery(deps, reminder))).toMatchObject({ result: 'sent' });
    expect(deps.clock.now().getTime() - firedAt).toBeLessThanOrEqual(MAX_WAIT_SECONDS * 1000);
  });

  it('sends nothing when delivered before its schedule could fire (a schedule moved earlier), and stays scheduled for the sweep', async () => {
    // Prepare: someone moved the reminder's schedule to ten minutes before it is due.
    const { deps, reminder } = await agreed();
    deps.clock.set(new Date(Date.parse(reminder.dueAt) - 10 * 60_000));
    // Act
    const result = await fireTouch(deps, delivery(deps, reminder));
    // Assess
    expect(result).toEqual({ result: 'ignored', touchId: reminder.id, reason: 'delivery came before the touch was due; the sweep delivers it' });
    expect(deps.mailer.sent).toEqual([]);
    expect(await stored(deps, reminder)).toMatchObject({ status: 'scheduled', dueAt: reminder.dueAt });
    expect((await stored(deps, reminder))?.claimedAt).toBeUndefined();
  });

  it('goes at once when delivered on or after its second', async () => {
    const { deps, reminder } = await agreed();
    deps.clock.set('2026-11-25T20:00:31Z');
    await fireTouch(deps, delivery(deps, reminder));
    expect(deps.clock.now().toISOString()).toBe('2026-11-25T20:00:31.000Z');
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('leaves prospect email to its minute: a resend delivered early goes at once', async () => {
    const { deps, recap, resend } = await agreed();
    await fireTouch(deps, delivery(deps, recap));
    // Scheduler fires within the minute of the schedule, here its due minute.
    const early = new Date(Math.floor(Date.parse(resend.dueAt) / 60_000) * 60_000 - EARLY_SLACK_SECONDS * 1000);
    deps.clock.set(early);
    expect(await fireTouch(deps, delivery(deps, resend))).toMatchObject({ result: 'sent' });
    expect(deps.clock.now()).toEqual(early);
  });

  it('sends nothing when the rep cancels it while it waits', async () => {
    const { deps, reminder } = await agreed();
    deps.clock.set(new Date(Date.parse(reminder.dueAt) - 30_000));
    deps.store.hooks.interleave('claimAsRead', () => cancelTouch(deps, REP_ID, reminder.id));
    expect(await fireTouch(deps, delivery(deps, reminder))).toEqual({ result: 'ignored', touchId: reminder.id, reason: 'touch is cancelled' });
    expect(deps.mailer.sent).toEqual([]);
    expect(await stored(deps, reminder)).toMatchObject({ status: 'cancelled' });
  });
});

describe('fireTouch: what was rendered before the claim is current when it goes', () => {
  it('renders again when the prospect changed after it was read', async () => {
    const { deps, reminder } = await agreed();
    deps.clock.set(reminder.dueAt);
    deps.store.hooks.interleave('claimAsRead', () => updateProspect(deps, REP_ID, 'p-dana', { name: 'Dee Whitfield' }));
    expect(await fireTouch(deps, delivery(deps, reminder))).toMatchObject({ result: 'sent' });
    const [email] = deps.mailer.sent;
    expect(email!.subject).toContain('Dee Whitfield');
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('takes a rep from the cache only while the claim finds it unchanged', async () => {
    // Prepare: the first reminder caches the rep; then the rep moves their reminders to another address.
    const deps = useCaseDeps({ reps: new RepCache() } as Partial<FakeDeps>);
    const { reminder } = await agreed(deps);
    const first = delivery(deps, reminder);
    const second = (await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'callback_agreed', callbackAt: '2026-11-26T15:00' } })).touches.find(
      (t) => t.kind === 'rep_reminder',
    )!;
    deps.clock.set(reminder.dueAt);
    // The first reminder was superseded by the second outcome: it is refused, but reads (and caches) the rep.
    expect(await fireTouch(deps, first)).toMatchObject({ result: 'ignored' });
    await deps.store.putRep(aRep({ email: 'ana.rivera@seller.example' }));
    // Act
    deps.clock.set(second.dueAt);
    expect(await fireTouch(deps, delivery(deps, second))).toMatchObject({ result: 'sent' });
    // Assess: the change was caught at the claim, and the email went where the rep now wants it.
    expect(deps.mailer.sent.map((e) => e.to)).toEqual([['ana.rivera@seller.example']]);
  });

  it('never emails an address suppressed between the read and the claim', async () => {
    const { deps, recap } = await agreed();
    deps.store.hooks.interleave('claimAsRead', () => deps.store.addSuppression({ email: 'dana@northwind.example', reason: 'complained', at: '2026-11-23T15:00:00Z' }));
    expect(await fireTouch(deps, delivery(deps, recap))).toEqual({ result: 'skipped', touchId: recap.id, reason: 'the address is suppressed (complained)' });
    expect(deps.mailer.sent).toEqual([]);
    expect(await stored(deps, recap)).toMatchObject({ status: 'skipped', reason: 'the address is suppressed (complained)' });
  });

  it('marks it sent, and sends nothing, when an earlier delivery’s Send event lands between the read and the claim', async () => {
    // Prepare: the event an earlier delivery's email raised is recorded while this one renders.
    const { deps, recap } = await agreed();
    deps.store.hooks.interleave('claimAsRead', () => deps.store.recordSendEvent(recap, { messageId: 'mail-earlier', at: '2026-11-23T15:00:05Z', subject: 'Recap' }));
    // Act
    const result = await fireTouch(deps, delivery(deps, recap));
    // Assess
    expect(result).toEqual({ result: 'sent', touchId: recap.id, messageId: 'mail-earlier', channel: 'email' });
    expect(deps.mailer.sent).toEqual([]);
    expect(await stored(deps, recap)).toMatchObject({ status: 'sent', messageId: 'mail-earlier', sentAt: '2026-11-23T15:00:05Z' });
  });

  it('gives its send a cut-off, live when the send starts, that ends it within the claim’s lease', async () => {
    const { deps, recap } = await agreed();
    await fireTouch(deps, delivery(deps, recap));
    const [signal] = deps.mailer.signals;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal!.aborted).toBe(false);
  });

  it('sends once when two deliveries of the same touch run at once', async () => {
    const { deps, recap } = await agreed();
    const both = await Promise.allSettled([fireTouch(deps, delivery(deps, recap)), fireTouch(deps, delivery(deps, recap))]);
    expect(deps.mailer.sent).toHaveLength(1);
    const outcomes = both.map((r) => (r.status === 'fulfilled' ? r.value.result : r.reason instanceof TouchBusyError ? 'busy' : String(r.reason)));
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'sent')).toEqual([expect.stringMatching(/^(ignored|busy)$/)]);
  });

  it('reads the prospect’s records and the rep at once, then writes twice: the claim and the sent mark', async () => {
    const { deps, reminder } = await agreed();
    deps.clock.set(reminder.dueAt);
    const calls: string[] = [];
    for (const op of ['getProspectBundle', 'getRep', 'getSuppression', 'claimTouch', 'claimAsRead', 'updateTouch', 'getTouch'] as const) {
      const record = () => void calls.push(op);
      // Hooks run once each: enough of them for one delivery.
      for (let i = 0; i < 3; i++) deps.store.hooks.interleave(op, record);
    }
    await fireTouch(deps, delivery(deps, reminder));
    expect(calls.sort()).toEqual(['claimAsRead', 'getProspectBundle', 'getRep', 'updateTouch']);
  });
});
