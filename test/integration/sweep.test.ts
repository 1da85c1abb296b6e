/**
 * Nothing is lost, on the local runtime with the sweep on (a recurring schedule every minute, as
 * npm start runs it): a touch whose schedule disappears is still delivered, and a fire that keeps
 * failing ends `failed` with its reason, in the API and the agenda, and the rep is told once.
 */
import { DeleteScheduleCommand, GetScheduleCommand, SchedulerClient, UpdateScheduleCommand, type UpdateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';
import { LOCAL_SCHEDULE_GROUP, LOCAL_SWEEP_GROUP } from '../../functions/local/runtime.js';
import { SWEEP_GRACE_MINUTES } from '../../functions/use-cases/sweep.js';
import { redriveFailed } from '../../scripts/redrive.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('the sweep on the local runtime', () => {
  let rt: TestRuntime;
  let store: DynamoStore;
  const repEmail = uniqueEmail('rep');
  let n = 0;

  async function callbackIn(minutes: number) {
    const id = `s-${++n}`;
    await rt.call('POST', '/v1/prospects', { id, name: `Sam Prospect ${n}`, email: uniqueEmail(id), phone: '+15557654321', timezone: 'America/New_York', country: 'US' });
    const callbackAt = new Date(rt.clock.now().getTime() + minutes * MINUTE).toISOString();
    const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt, sendRecap: false });
    expect(posted.status).toBe(201);
    const reminder = posted.body.plan.find((t: { kind: string }) => t.kind === 'rep_reminder') as { id: string; dueAt: string };
    return { id, reminder };
  }
  const touch = (prospectId: string, touchId: string) => store.getTouch('rep-1', prospectId, touchId);
  const remindersFor = async (prospectId: string) => (await rt.inbox(repEmail)).filter((e) => e.subject.includes(`Sam Prospect ${prospectId.slice(2)} `));

  beforeAll(async () => {
    rt = await testRuntime({ start: START, sweep: true });
    store = new DynamoStore({ client: rt.dynamo, tableName: rt.env.TABLE_NAME! });
    await rt.call('PUT', '/v1/reps/me', { name: 'Sue Rep', email: repEmail, phone: '+15551230000', timezone: 'America/New_York', reminderChannel: 'email' });
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it('runs every minute from a recurring schedule in its own group, with the scheduled time as input', () => {
    const [sweep] = rt.aws.scheduler.list().filter((s) => s.group === LOCAL_SWEEP_GROUP);
    expect(sweep).toMatchObject({ name: 'followthrough-sweep' });
    expect(JSON.parse(sweep!.input)).toEqual({ v: 1, source: 'followthrough.sweep', scheduledTime: '<aws.scheduler.scheduled-time>' });
    // A rate() without StartDate starts at once (Scheduler user guide, rate-based schedules), then every minute.
    expect(sweep!.dueAt.getTime() - Date.parse(START)).toBe(0);
  });

  it('delivers a touch whose schedule was deleted behind its back, within one sweep', async () => {
    // Prepare: a callback in ten minutes; its reminder's schedule is deleted through the real Scheduler client.
    const { id, reminder } = await callbackIn(10);
    const scheduler = new SchedulerClient({ endpoint: rt.aws.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await scheduler.send(new DeleteScheduleCommand({ Name: `touch-${reminder.id}`, GroupName: LOCAL_SCHEDULE_GROUP }));
    scheduler.destroy();
    expect(rt.aws.scheduler.list().some((s) => s.name === `touch-${reminder.id}`)).toBe(false);

    // Act: time passes minute by minute, the sweep running each minute.
    const due = Date.parse(reminder.dueAt);
    let deliveredAt: number | undefined;
    let recreatedAt: number | undefined;
    for (let t = Date.parse(START) + MINUTE; t <= due + (SWEEP_GRACE_MINUTES + 3) * MINUTE && !deliveredAt; t += MINUTE / 2) {
      await rt.fireUntil(new Date(t));
      if (!recreatedAt && rt.aws.scheduler.list().some((s) => s.name === `touch-${reminder.id}`)) recreatedAt = t;
      if ((await remindersFor(id)).length) deliveredAt = t;
    }

    // Assess: nothing went out at the minute; the first sweep past the grace recreated the schedule,
    // and the reminder went out 30 s later, once.
    expect(recreatedAt).toBeDefined();
    expect(recreatedAt! - due).toBeGreaterThan(SWEEP_GRACE_MINUTES * MINUTE);
    expect(recreatedAt! - due).toBeLessThanOrEqual((SWEEP_GRACE_MINUTES + 1) * MINUTE);
    expect(deliveredAt! - recreatedAt!).toBeLessThanOrEqual(MINUTE);
    expect(await remindersFor(id)).toHaveLength(1);
    expect(await touch(id, reminder.id)).toMatchObject({ status: 'sent', repairs: 1 });
    // Later sweeps find nothing left to do.
    await rt.fireUntil(new Date(deliveredAt! + 10 * MINUTE));
    expect(await remindersFor(id)).toHaveLength(1);
  });

  it('ends a touch whose fire keeps failing failed, with its reason in the API and the agenda, tells the rep once, and redrives it', async () => {
    // Prepare: a recap to an address SES keeps refusing with an internal error.
    rt.clock.set('2026-11-24T15:00:00Z');
    const id = `s-${++n}`;
    const email = uniqueEmail(id);
    await rt.call('POST', '/v1/prospects', { id, name: `Sam Prospect ${n}`, email, timezone: 'America/New_York', country: 'US' });
    const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-24T17:00:00Z', discussed: 'Pumps' });
    const recap = posted.body.plan.find((t: { kind: string }) => t.kind === 'recap') as { id: string };
    rt.aws.ses!.failSendsTo(email);
    const noticesOf = async () => (await rt.inbox(repEmail)).filter((e) => e.subject.startsWith(`Sam Prospect ${n}: `));

    // Act: the schedule fires; Lambda retries a minute, then two minutes later; then the on-failure record reaches the sweep.
    await rt.fireNow();
    expect(rt.lambda.pending()).toHaveLength(1);
    await rt.fireUntil(new Date(rt.clock.now().getTime() + MINUTE));
    await rt.fireUntil(new Date(rt.clock.now().getTime() + 2 * MINUTE));
    await rt.fireNow();

    // Assess: failed, with the error, in the API and the agenda; the rep told, once.
    expect(rt.failures.map((f) => (f.requestPayload as { touchId: string }).touchId)).toContain(recap.id);
    const touches = (await rt.call('GET', `/v1/prospects/${id}`)).body.touches as { id: string; kind: string; status: string; reason?: string }[];
    const failed = touches.find((t) => t.id === recap.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/^could not be sent after 3 attempts \(InternalFailure: /);
    const agenda = (await rt.call('GET', '/v1/followups?from=2026-11-24T00:00:00Z&to=2026-11-25T00:00:00Z')).body;
    expect(agenda.failed.map((t: { id: string }) => t.id)).toEqual([recap.id]);
    expect(agenda.failed[0]).toMatchObject({ status: 'failed', reason: failed.reason, prospectName: `Sam Prospect ${n}` });
    expect(agenda.touches.map((t: { kind: string }) => t.kind)).not.toContain('recap');
    const [notice] = await noticesOf();
    expect(notice!.subject).toBe(`Sam Prospect ${n}: the recap email could not be sent`);
    expect(notice!.body.text).toContain(`What to do: Once the cause is fixed, press "Send again" on Sam's page in followthrough to send it again, or write to Sam yourself.`);
    expect(notice!.body.text).toMatch(/Open Sam Prospect \d+ in followthrough: http:\/\/[^/]+\/app\/prospects\/\S+/);
    expect(rt.fireFailureQueue.waiting()).toHaveLength(0);
    for (let i = 1; i <= 6; i++) await rt.fireUntil(new Date(rt.clock.now().getTime() + MINUTE));
    expect(await noticesOf()).toHaveLength(1);

    // The cause fixed, the operator redrives what failed since this morning; the sweep sends it on its next run.
    rt.aws.ses!.clearFailures();
    const redriven = await redriveFailed({ client: rt.dynamo, tableName: rt.env.TABLE_NAME!, since: '2026-11-24T00:00:00Z', clock: rt.clock });
    expect(redriven.redriven).toEqual([recap.id]);
    await rt.fireUntil(new Date(rt.clock.now().getTime() + MINUTE));
    await rt.fireNow();
    const [sent] = await rt.inbox(email);
    expect(sent!.subject).toMatch(/^Recap of our call/);
    expect(await touch(id, recap.id)).toMatchObject({ status: 'sent', redrivenAt: expect.any(String) });
    expect(await noticesOf()).toHaveLength(1);
  });

  it('ends a touch SES refuses for good failed at once, in SES’s words, tells the rep once, and sends it on retry', async () => {
    // Prepare: a recap to an address SES refuses, as it does an unverified recipient in the sandbox.
    rt.clock.set('2026-11-25T15:00:00Z');
    const id = `s-${++n}`;
    const email = uniqueEmail(id);
    await rt.call('POST', '/v1/prospects', { id, name: `Sam Prospect ${n}`, email, timezone: 'America/New_York', country: 'US' });
    const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-25T17:00:00Z', discussed: 'Pumps' });
    const recap = posted.body.plan.find((t: { kind: string }) => t.kind === 'recap') as { id: string };
    const refusal = `Email address is not verified. The following identities failed the check in region US-EAST-1: ${email}`;
    rt.aws.ses!.failSendsTo(email, { code: 'MessageRejected', status: 400, message: refusal });
    const noticesOf = async () => (await rt.inbox(repEmail)).filter((e) => e.subject.startsWith(`Sam Prospect ${n}: `));

    // Act: the schedule fires once; nothing is retried.
    await rt.fireNow();
    await rt.fireUntil(new Date(rt.clock.now().getTime() + 4 * MINUTE));

    // Assess: failed with what SES said, no retry waiting, the rep told once.
    const failed = (await rt.call('GET', `/v1/prospects/${id}`)).body.touches.find((t: { id: string }) => t.id === recap.id);
    expect(failed).toMatchObject({ status: 'failed', reason: `the mail service refused it (MessageRejected: ${refusal})` });
    expect(rt.lambda.pending()).toHaveLength(0);
    const notices = await noticesOf();
    expect(notices.map((e) => e.subject)).toEqual([`Sam Prospect ${n}: the recap email could not be sent`]);
    expect(notices[0]!.body.text).toContain('Email address is not verified');

    // The address verified, the rep retries it: it goes out once, and the rep is not told again.
    rt.aws.ses!.clearFailures();
    expect((await rt.call('POST', `/v1/touches/${recap.id}/retry`)).status).toBe(200);
    await rt.fireNow();
    await rt.fireUntil(new Date(rt.clock.now().getTime() + 10 * MINUTE));
    expect((await rt.inbox(email)).map((e) => e.subject)).toEqual([expect.stringMatching(/^Recap of our call/)]);
    expect(await touch(id, recap.id)).toMatchObject({ status: 'sent' });
    expect(await noticesOf()).toHaveLength(1);
  });

  /** Changes a touch's schedule through the real Scheduler client, as someone behind the system's back would. */
  async function tamper(touchId: string, change: (d: UpdateScheduleCommandInput) => void) {
    const scheduler = new SchedulerClient({ endpoint: rt.aws.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const held = await scheduler.send(new GetScheduleCommand({ Name: `touch-${touchId}`, GroupName: LOCAL_SCHEDULE_GROUP }));
    const definition: UpdateScheduleCommandInput = {
      Name: held.Name!,
      GroupName: held.GroupName,
      ScheduleExpression: held.ScheduleExpression!,
      ScheduleExpressionTimezone: held.ScheduleExpressionTimezone,
      FlexibleTimeWindow: held.FlexibleTimeWindow!,
      ActionAfterCompletion: held.ActionAfterCompletion,
      State: held.State,
      Target: held.Target!,
    };
    change(definition);
    await scheduler.send(new UpdateScheduleCommand(definition));
    scheduler.destroy();
  }

  it.each([
    ['moved a day later', (d: UpdateScheduleCommandInput) => void (d.ScheduleExpression = `at(${new Date(Date.parse(d.ScheduleExpression!.slice(3, -1) + 'Z') + DAY).toISOString().slice(0, 19)})`)],
    ['disabled', (d: UpdateScheduleCommandInput) => void (d.State = 'DISABLED')],
  ])('delivers a touch whose schedule was %s behind its back, within one sweep past the grace', async (_what, change) => {
    // Prepare: a callback in ten minutes; its reminder's schedule changed through the real Scheduler client.
    rt.clock.set(new Date(rt.clock.now().getTime() + 2 * DAY));
    const { id, reminder } = await callbackIn(10);
    await tamper(reminder.id, change);

    // Act: time passes minute by minute, the sweep running each minute.
    const due = Date.parse(reminder.dueAt);
    let deliveredAt: number | undefined;
    for (let t = rt.clock.now().getTime() + MINUTE; t <= due + (SWEEP_GRACE_MINUTES + 3) * MINUTE && !deliveredAt; t += MINUTE / 2) {
      await rt.fireUntil(new Date(t));
      if ((await remindersFor(id)).length) deliveredAt = t;
    }

    // Assess: it went out once, after the grace and within the next sweep and its 30 s lead.
    expect(deliveredAt).toBeDefined();
    expect(deliveredAt! - due).toBeGreaterThan(SWEEP_GRACE_MINUTES * MINUTE);
    expect(deliveredAt! - due).toBeLessThanOrEqual((SWEEP_GRACE_MINUTES + 2) * MINUTE);
    expect(await touch(id, reminder.id)).toMatchObject({ status: 'sent', repairs: 1 });
    // Past the time it was moved to: nothing more.
    await rt.fireUntil(new Date(deliveredAt! + DAY + MINUTE));
    expect(await remindersFor(id)).toHaveLength(1);
  });

  it('sends nothing early from a schedule moved earlier behind its back; the sweep delivers the touch after its time', async () => {
    // Prepare: a callback in twenty minutes; its reminder's schedule moved to two minutes from now.
    rt.clock.set(new Date(rt.clock.now().getTime() + 2 * DAY));
    const { id, reminder } = await callbackIn(20);
    const early = new Date(rt.clock.now().getTime() + 2 * MINUTE);
    await tamper(reminder.id, (d) => void (d.ScheduleExpression = `at(${early.toISOString().slice(0, 19)})`));

    // Act: the moved schedule fires; then time passes until the sweep has had its turn.
    await rt.fireUntil(new Date(early.getTime() + 5_000));
    const atEarlyFire = await remindersFor(id);
    const due = Date.parse(reminder.dueAt);
    let deliveredAt: number | undefined;
    for (let t = early.getTime() + MINUTE; t <= due + (SWEEP_GRACE_MINUTES + 3) * MINUTE && !deliveredAt; t += MINUTE / 2) {
      await rt.fireUntil(new Date(t));
      if ((await remindersFor(id)).length) deliveredAt = t;
    }

    // Assess: nothing at the moved time; once, after its own time, by the sweep.
    expect(atEarlyFire).toHaveLength(0);
    expect(deliveredAt).toBeDefined();
    expect(deliveredAt!).toBeGreaterThan(due);
    expect(await remindersFor(id)).toHaveLength(1);
    expect(await touch(id, reminder.id)).toMatchObject({ status: 'sent', repairs: 1 });
  });
});
