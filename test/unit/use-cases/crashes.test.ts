/**
 * Crashes between steps, in process: the ports of one invocation stop answering at a chosen call
 * (the process died there: nothing after it in that invocation runs), then the system carries on
 * with the same store, Scheduler and mailbox, as after a restart or on another Lambda instance.
 */
import { describe, expect, it } from 'vitest';
import { CLAIM_TTL_SECONDS, CLAIMED_WORK_SECONDS } from '../../../functions/core/claims.js';
import type { SesEvent } from '../../../functions/core/ses-event.js';
import type { FirePayload, Touch } from '../../../functions/core/schemas.js';
import type { OutgoingEmail } from '../../../functions/ports/mailer.js';
import { fireTouch } from '../../../functions/use-cases/fire-touch.js';
import { handleSesEvent } from '../../../functions/use-cases/handle-ses-event.js';
import { recordCall, type RecordedCall } from '../../../functions/use-cases/record-call.js';
import { sweepOverdue, SWEEP_GRACE_MINUTES } from '../../../functions/use-cases/sweep.js';
import { MAIL_SETTINGS, REP_ID, seeded, touchNamed, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

type Port = 'store' | 'scheduler' | 'mailer';

/**
 * The same deps, except that from the first call `dies` picks, every call of these ports never
 * settles: an invocation that died at that point. The process's other invocations (the `deps`
 * themselves) go on.
 */
function dyingAt(deps: FakeDeps, dies: (port: Port, method: string, args: unknown[]) => boolean): FakeDeps & { died: () => boolean } {
  let dead = false;
  const wrap = <T extends object>(port: Port, target: T): T =>
    new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (dead || dies(port, String(key), args)) {
            dead = true;
            return new Promise(() => {});
          }
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  return { ...deps, store: wrap('store', deps.store), scheduler: wrap('scheduler', deps.scheduler), mailer: wrap('mailer', deps.mailer), died: () => dead };
}

/** Lets an invocation run until it has died (or finished). */
async function runUntilDead(run: () => Promise<unknown>, died: () => boolean): Promise<void> {
  void run().catch(() => {});
  for (let i = 0; i < 100 && !died(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(died()).toBe(true);
}

/** The Send event SES publishes for an email it accepted, as EventBridge hands it to the events function. */
function sendEvent(email: OutgoingEmail, messageId: string): SesEvent {
  return {
    source: 'aws.ses',
    'detail-type': 'Email Sent',
    detail: {
      eventType: 'Send',
      mail: {
        messageId,
        destination: email.to,
        tags: Object.fromEntries(Object.entries(email.tags ?? {}).map(([k, v]) => [k, [v]])),
        headers: [{ name: 'Message-ID', value: `<${messageId}@${MAIL_SETTINGS.messageIdDomain}>` }],
        commonHeaders: { messageId: `<${messageId}@${MAIL_SETTINGS.messageIdDomain}>`, subject: email.subject },
      },
    },
  };
}

const CALLBACK = { outcome: 'callback_agreed' as const, callbackAt: '2026-11-25T15:00', discussed: 'Line 3 stops twice a week' };

async function prospect() {
  const deps = useCaseDeps();
  await seeded(deps);
  return deps;
}

const scheduleOf = (deps: FakeDeps, t: Pick<Touch, 'id'>) => deps.scheduler.schedules.get(`touch-${t.id}`);
const after = (deps: FakeDeps, seconds: number) => deps.clock.set(new Date(deps.clock.now().getTime() + seconds * 1000).toISOString());

describe('a crash between the commit and the schedule writes', () => {
  async function crashedCall() {
    const deps = await prospect();
    const dying = dyingAt(deps, (port, method) => port === 'scheduler' && method === 'create');
    await runUntilDead(() => recordCall(dying, { repId: REP_ID, prospectId: 'p-dana', call: CALLBACK, idempotencyKey: 'call-1' }), dying.died);
    const touches = deps.store.allTouches();
    // The call and its plan are committed; no schedule was made.
    expect(touches.map((t) => t.status)).toEqual(['scheduled', 'scheduled']);
    expect(deps.scheduler.schedules.size).toBe(0);
    return { deps, touches };
  }

  it('strands nothing: the sweep delivers each touch once it is past its grace', async () => {
    // Prepare
    const { deps, touches } = await crashedCall();

    // Act: the sweep runs past each touch's grace, and the schedules it makes fire.
    const sent: string[] = [];
    for (const touch of touches) {
      deps.clock.set(new Date(Date.parse(touch.dueAt) + (SWEEP_GRACE_MINUTES + 1) * 60_000).toISOString());
      expect(await sweepOverdue(deps, {})).toMatchObject({ repaired: 1, errors: 0 });
      const fired = await fireTouch(deps, scheduleOf(deps, touch)!.payload);
      if (fired.result === 'sent') sent.push(touch.kind);
    }

    // Assess
    expect(sent).toEqual(touches.map((t) => t.kind));
    expect(deps.store.allTouches().map((t) => t.status)).toEqual(['sent', 'sent']);
  });

  it('a retry with the same Idempotency-Key recreates the missing schedules and answers what the first would have', async () => {
    // Prepare
    const { deps, touches } = await crashedCall();

    // Act: the client saw its request fail and sends it again, same key.
    const replay = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: CALLBACK, idempotencyKey: 'call-1' });

    // Assess: one call recorded; every scheduled touch has its schedule now, for its time.
    expect(deps.store.allCalls()).toHaveLength(1);
    expect(replay.touches.map((t: RecordedCall['touches'][number]) => t.id)).toEqual(touches.map((t) => t.id));
    for (const touch of touches) expect(scheduleOf(deps, touch)?.payload).toEqual<FirePayload>({ v: 1, touchId: touch.id, repId: REP_ID, prospectId: 'p-dana', dueAt: touch.dueAt });
  });
});

describe('a crash between the send and the sent mark', () => {
  /** The recap of a callback agreed now, fired by a delivery that dies right after SES accepted the email. */
  async function crashedSend() {
    const deps = await prospect();
    const { touches } = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: CALLBACK });
    const recap = touches.find((t) => t.kind === 'recap')!;
    const payload = scheduleOf(deps, recap)!.payload;
    const dying = dyingAt(deps, (port, method, args) => port === 'store' && method === 'updateTouch' && (args[1] as { status?: string }).status === 'sent');
    await runUntilDead(() => fireTouch(dying, payload), dying.died);
    expect(deps.mailer.sent).toHaveLength(1);
    expect(await touchNamed(deps.store, recap)).toMatchObject({ status: 'scheduled', claimedAt: expect.any(String) });
    return { deps, recap, payload };
  }

  it('does not send twice: the retry after the claim lapses finds the Send event and marks the touch sent', async () => {
    // Prepare: SES published the Send event of the email it accepted; the events function recorded it.
    const { deps, recap, payload } = await crashedSend();
    await handleSesEvent(deps, sendEvent(deps.mailer.sent[0]!, 'mail-1'));

    // Act: Lambda retries the invocation once the claim has lapsed.
    after(deps, CLAIM_TTL_SECONDS + 1);
    const retried = await fireTouch(deps, payload);

    // Assess: one email; the touch is sent, with the id SES gave that email.
    expect(retried).toMatchObject({ result: 'sent', touchId: recap.id, messageId: 'mail-1' });
    expect(deps.mailer.sent).toHaveLength(1);
    expect(await touchNamed(deps.store, recap)).toMatchObject({ status: 'sent', messageId: 'mail-1', subject: deps.mailer.sent[0]!.subject });
    expect((await touchNamed(deps.store, recap)).claimedAt).toBeUndefined();
  });

  it('holds the touch while the claim is fresh: a retry within the lease sends nothing and tries later', async () => {
    const { deps, payload } = await crashedSend();
    after(deps, CLAIM_TTL_SECONDS - 5);
    await expect(fireTouch(deps, payload)).rejects.toThrow(/being sent by another delivery/);
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('sends again when no Send event came: the email is at least once (counted, not lost)', async () => {
    const { deps, recap, payload } = await crashedSend();
    after(deps, CLAIM_TTL_SECONDS + 1);
    expect(await fireTouch(deps, payload)).toMatchObject({ result: 'sent', messageId: 'mail-2' });
    expect(deps.mailer.sent).toHaveLength(2);
    expect(await touchNamed(deps.store, recap)).toMatchObject({ status: 'sent', messageId: 'mail-2' });
  });

  it('a crash after the claim and before the send sends once, after the lease', async () => {
    const deps = await prospect();
    const { touches } = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: CALLBACK });
    const payload = scheduleOf(deps, touches[0]!)!.payload;
    const dying = dyingAt(deps, (port, method) => port === 'mailer' && method === 'send');
    await runUntilDead(() => fireTouch(dying, payload), dying.died);
    after(deps, CLAIM_TTL_SECONDS + 1);
    expect(await fireTouch(deps, payload)).toMatchObject({ result: 'sent' });
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('keeps the claim when the mark fails after the send, so a retry checks for the Send event instead of sending again', async () => {
    // Prepare: the mark write fails (a throttle) after SES accepted the email.
    const deps = await prospect();
    const { touches } = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: CALLBACK });
    const recap = touches.find((t) => t.kind === 'recap')!;
    const payload = scheduleOf(deps, recap)!.payload;
    deps.store.hooks.failNext('updateTouch', Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));

    // Act: the invocation fails; a delivery comes while the claim still holds, after the Send event was recorded.
    await expect(fireTouch(deps, payload)).rejects.toThrow(/Throughput/);
    expect((await touchNamed(deps.store, recap)).claimedAt).toBeDefined();
    await handleSesEvent(deps, sendEvent(deps.mailer.sent[0]!, 'mail-1'));
    after(deps, CLAIM_TTL_SECONDS / 2);
    const retried = await fireTouch(deps, payload);

    // Assess: marked from the event, without waiting out the claim.
    expect(retried).toMatchObject({ result: 'sent', messageId: 'mail-1' });
    expect(deps.mailer.sent).toHaveLength(1);
    expect(await touchNamed(deps.store, recap)).toMatchObject({ status: 'sent', messageId: 'mail-1' });
  });

  it('records the Send event of every touch’s email, not only a recap’s', async () => {
    const deps = await prospect();
    const { touches } = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: CALLBACK });
    const reminder = touches.find((t) => t.kind === 'rep_reminder')!;
    deps.clock.set(reminder.dueAt);
    await fireTouch(deps, scheduleOf(deps, reminder)!.payload);
    const email = deps.mailer.sent[0]!;
    expect(email.tags).toMatchObject({ touch: reminder.id });

    expect(await handleSesEvent(deps, sendEvent(email, 'mail-1'))).toMatchObject({ result: 'recorded', touchId: reminder.id });
    expect((await touchNamed(deps.store, reminder)).sesSent).toEqual({ messageId: 'mail-1', at: deps.clock.now().toISOString().replace('.000', ''), subject: email.subject });
  });
});

describe('the claim lease', () => {
  it('outlasts a fire’s work after its claim (its sends cut off by then), and lapses before Lambda retries a crashed one a minute later', () => {
    expect(CLAIM_TTL_SECONDS).toBeGreaterThan(CLAIMED_WORK_SECONDS);
    expect(CLAIM_TTL_SECONDS).toBeLessThan(60);
  });
});
