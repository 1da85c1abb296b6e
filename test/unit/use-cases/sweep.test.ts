import { describe, expect, it } from 'vitest';
import type { FireFailureRecord } from '../../../functions/core/failure.js';
import { renderEmail } from '../../../functions/core/messages.js';
import { messageInput } from '../../../functions/core/message-input.js';
import type { Touch } from '../../../functions/core/schemas.js';
import { fireTouch } from '../../../functions/use-cases/fire-touch.js';
import { MAX_REPAIRS, recordFireFailures, sweepOverdue, SWEEP_GRACE_MINUTES } from '../../../functions/use-cases/sweep.js';
import { aRep, aTouch, MONDAY, REP_ID, seeded, touchNamed, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

const minutes = (n: number) => n * 60_000;
const at = (base: string, deltaMinutes: number) => new Date(Date.parse(base) + minutes(deltaMinutes)).toISOString().replace(/\.000Z$/, 'Z');
const run = (deps: FakeDeps) => sweepOverdue(deps, { scheduledTime: deps.clock.now().toISOString() });

/** A scheduled touch due at MONDAY, in the store, with no schedule: one whose schedule was lost. */
async function lostTouch(overrides: Partial<Touch> = {}) {
  const deps = useCaseDeps();
  await seeded(deps);
  const touch = aTouch({ dueAt: MONDAY, ...overrides });
  deps.store.seedTouch(touch);
  return { deps, touch };
}

function failureRecord(touch: Touch, overrides: Partial<FireFailureRecord> = {}): FireFailureRecord {
  return {
    timestamp: at(touch.dueAt, 3),
    requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3, functionArn: 'arn:aws:lambda:us-east-1:1:function:fire:$LATEST' },
    requestPayload: { v: 1, touchId: touch.id, repId: touch.repId, prospectId: touch.prospectId, dueAt: touch.dueAt },
    responsePayload: { errorType: 'ThrottlingException', errorMessage: 'Maximum sending rate exceeded.' },
    ...overrides,
  };
}

const sqs = (...bodies: unknown[]) => ({
  Records: bodies.map((body, i) => ({ messageId: `m-${i + 1}`, body: typeof body === 'string' ? body : JSON.stringify(body), eventSource: 'aws:sqs' as const })),
});

const notices = (deps: FakeDeps) => deps.store.allTouches().filter((t) => t.kind === 'rep_notice');

describe('sweepOverdue', () => {
  it('recreates the lost schedule of a touch past its grace, with its current payload, and counts it', async () => {
    // Prepare: the touch is still scheduled a minute past the grace; nobody holds its schedule.
    const { deps, touch } = await lostTouch();
    deps.clock.set(at(MONDAY, SWEEP_GRACE_MINUTES + 1));

    // Act
    const result = await run(deps);

    // Assess
    expect(result).toMatchObject({ overdue: 1, repaired: 1, pending: 0, errors: 0, cutoff: at(MONDAY, 1) });
    expect(deps.scheduler.schedules.get(`touch-${touch.id}`)!.payload).toEqual({ v: 1, touchId: touch.id, repId: REP_ID, prospectId: 'p-dana', dueAt: MONDAY });
    expect((await touchNamed(deps.store, touch)).repairs).toBe(1);
    const line = deps.logger.entries.find((e) => e.message === 'sweep finished')!.extra[0]!;
    expect(line).toMatchObject({
      SweepOverdue: 1,
      SweepRepaired: 1,
      SweepGaveUp: 0,
      _aws: { CloudWatchMetrics: [{ Namespace: 'followthrough', Dimensions: [[]], Metrics: expect.arrayContaining([{ Name: 'SweepRepaired', Unit: 'Count' }]) }] },
    });
    // The fire path then sends it as usual.
    expect(await fireTouch(deps, deps.scheduler.schedules.get(`touch-${touch.id}`)!.payload)).toMatchObject({ result: 'sent' });
  });

  it('leaves alone a touch within its grace, one a delivery is working on, and one Scheduler still holds', async () => {
    const { deps, touch: young } = await lostTouch({ dueAt: at(MONDAY, 3) });
    const claimed = aTouch({ dueAt: at(MONDAY, -20), claimedAt: at(MONDAY, 7) });
    const held = aTouch({ dueAt: at(MONDAY, -20) });
    deps.store.seedTouch(claimed);
    deps.store.seedTouch(held);
    await deps.scheduler.create({ name: `touch-${held.id}`, at: new Date(held.dueAt), payload: { v: 1, touchId: held.id, repId: REP_ID, prospectId: 'p-dana', dueAt: held.dueAt } });
    deps.clock.set(at(MONDAY, 7));

    const result = await run(deps);

    expect(result).toMatchObject({ overdue: 2, repaired: 0, inFlight: 1, pending: 1 });
    expect(deps.scheduler.created).toHaveLength(1);
    expect((await touchNamed(deps.store, young)).repairs).toBeUndefined();
  });

  it('replaces a schedule left for another due time: the touch was rescheduled and its new schedule lost', async () => {
    const { deps, touch } = await lostTouch();
    await deps.scheduler.create({ name: `touch-${touch.id}`, at: new Date(at(MONDAY, -60)), payload: { v: 1, touchId: touch.id, repId: REP_ID, prospectId: 'p-dana', dueAt: at(MONDAY, -60) } });
    deps.clock.set(at(MONDAY, 10));

    expect(await run(deps)).toMatchObject({ repaired: 1 });
    expect(deps.scheduler.schedules.get(`touch-${touch.id}`)!.payload.dueAt).toBe(MONDAY);
  });

  it(`gives up after ${MAX_REPAIRS} repairs: the touch ends failed with its reason and the rep is told once`, async () => {
    const { deps, touch } = await lostTouch({ repairs: MAX_REPAIRS });
    deps.clock.set(at(MONDAY, 30));

    const first = await run(deps);
    const second = await run(deps);

    expect(first).toMatchObject({ gaveUp: 1, repaired: 0 });
    expect(second).toMatchObject({ overdue: 0, gaveUp: 0 });
    expect(await touchNamed(deps.store, touch)).toMatchObject({ status: 'failed', reason: `its schedule was lost ${MAX_REPAIRS} times and recreated; the sweep stopped trying` });
    const [notice] = notices(deps);
    expect(notices(deps)).toHaveLength(1);
    expect(notice).toMatchObject({ status: 'scheduled', recipient: 'rep', notice: 'delivery_failed', about: { touchId: touch.id, kind: 'rep_reminder', dueAt: MONDAY } });
    expect(deps.scheduler.schedules.get(`touch-${notice!.id}`)!.payload.touchId).toBe(notice!.id);
  });

  it('counts a failed touch put back by a retry as redriven, not repaired', async () => {
    const { deps } = await lostTouch({ redrivenAt: at(MONDAY, 20) });
    deps.clock.set(at(MONDAY, 30));
    expect(await run(deps)).toMatchObject({ redriven: 1, repaired: 0 });
  });

  it('reports an error per touch it could not repair and goes on with the rest', async () => {
    const { deps } = await lostTouch();
    deps.store.seedTouch(aTouch({ dueAt: at(MONDAY, 1) }));
    deps.scheduler.failNext('create', new Error('ThrottlingException'));
    deps.clock.set(at(MONDAY, 30));
    expect(await run(deps)).toMatchObject({ overdue: 2, repaired: 1, errors: 1 });
  });
});

describe('recordFireFailures', () => {
  it('ends the touch failed with the error and tells the rep once, however often SQS delivers the record', async () => {
    // Prepare
    const { deps, touch } = await lostTouch();
    deps.clock.set(at(MONDAY, 4));
    const record = failureRecord(touch);

    // Act: delivered, then delivered again (at-least-once).
    const first = await recordFireFailures(deps, sqs(record));
    const again = await recordFireFailures(deps, sqs(record));

    // Assess
    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    const failed = await touchNamed(deps.store, touch);
    expect(failed).toMatchObject({ status: 'failed', reason: 'could not be sent after 3 attempts (ThrottlingException: Maximum sending rate exceeded.)' });
    expect(notices(deps)).toHaveLength(1);
    expect(deps.logger.entries.find((e) => e.message === 'fire failures recorded')!.extra[0]).toMatchObject({ FireFailuresRecorded: 1, FireFailuresUnrecorded: 0 });
  });

  it('says what failed and what to do in the notice the rep gets', async () => {
    const { deps, touch } = await lostTouch();
    await recordFireFailures(deps, sqs(failureRecord(touch, { requestContext: { condition: 'EventAgeExceeded' } })));
    const [notice] = notices(deps);
    const bundle = (await deps.store.getProspectBundle(REP_ID, 'p-dana'))!;
    const email = renderEmail(messageInput(notice!, bundle, aRep(), deps.clock.now()), deps.library);
    expect(email.subject).toBe('Dana Whitfield: the call reminder could not be sent');
    expect(email.text).toContain('The call reminder due Monday, November 23 at 10:00 AM EST could not be sent, and nothing went out: not sent within an hour of its time (ThrottlingException: Maximum sending rate exceeded.).');
    expect(email.text).toContain(`What to do: Call Dana as agreed. Once the cause is fixed, press "Send again" on Dana's page in followthrough to have the reminder sent again.`);
    expect(email.html).toContain('<strong>What to do:</strong>');
  });

  it('changes nothing for a touch that moved on: sent, rescheduled, or retried after the record was written', async () => {
    const { deps, touch } = await lostTouch();
    const sent = aTouch({ status: 'sent' });
    const retried = aTouch({ redrivenAt: at(MONDAY, 10) });
    deps.store.seedTouch(sent);
    deps.store.seedTouch(retried);

    const result = await recordFireFailures(deps, sqs(failureRecord({ ...touch, dueAt: at(MONDAY, -60) }), failureRecord(sent), failureRecord(retried)));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(deps.store.allTouches().map((t) => t.status)).toEqual(['scheduled', 'sent', 'scheduled']);
    expect(notices(deps)).toHaveLength(0);
  });

  it('returns exactly the records it could not handle, so SQS redelivers those alone', async () => {
    const { deps, touch } = await lostTouch();
    const other = aTouch();
    deps.store.seedTouch(other);
    deps.store.hooks.failNext('failTouch', Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));

    const result = await recordFireFailures(deps, sqs(failureRecord(touch), 'not json', { hello: 'world' }, failureRecord(other)));

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }] });
    expect((await touchNamed(deps.store, other)).status).toBe('failed');
  });

  it('does not announce a failed notice with another notice', async () => {
    const { deps, touch } = await lostTouch({ kind: 'rep_notice', notice: 'bounced' });
    await recordFireFailures(deps, sqs(failureRecord(touch)));
    expect((await touchNamed(deps.store, touch)).status).toBe('failed');
    expect(notices(deps)).toHaveLength(1);
    expect(deps.logger.entries.some((e) => e.level === 'error' && e.message === 'a notice to the rep could not be delivered')).toBe(true);
  });
});
