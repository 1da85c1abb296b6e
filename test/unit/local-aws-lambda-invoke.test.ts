import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AsyncInvoker, type OnFailureRecord } from '../../functions/local/aws/lambda-invoke.js';
import { startLocalAws } from '../../functions/local/aws/server.js';
import { FakeClock } from '../support/clock.js';

const START = '2026-03-10T14:00:00Z';
const FIRE_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:followthrough-fire';
const EVENT = { v: 1, touchId: 'touch-1', repId: 'rep-1', prospectId: 'prospect-1', dueAt: START };

async function settle(rounds = 10) {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('Lambda asynchronous invocation', () => {
  let clock: FakeClock;
  let invoker: AsyncInvoker;
  let calls: { event: unknown; requestId: string; at: string }[];
  let records: OnFailureRecord[];

  const failing = async (event: unknown, context: Context) => {
    calls.push({ event, requestId: context.awsRequestId, at: clock.now().toISOString() });
    throw Object.assign(new Error('claim is busy'), { name: 'TouchBusyError' });
  };
  const config = (extra = {}) => ({ functionArn: FIRE_ARN, onFailure: (record: OnFailureRecord) => void records.push(record), ...extra });

  beforeEach(() => {
    clock = new FakeClock(START);
    invoker = new AsyncInvoker({ clock });
    calls = [];
    records = [];
  });

  afterEach(async () => {
    await invoker.close();
    vi.useRealTimers();
  });

  it('accepts the event before the handler is done, and hands the handler its own parsed copy', async () => {
    // Prepare
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handler = async (event: typeof EVENT) => {
      calls.push({ event, requestId: '', at: '' });
      await gate;
    };

    // Act
    const { settled } = await invoker.asyncInvoke(handler, EVENT, config());
    const handedOver = calls.length;
    release();
    const outcome = await settled;

    // Assess
    expect(handedOver).toBe(1);
    expect(outcome).toBe('succeeded');
    expect(calls[0]!.event).toEqual(EVENT);
    expect(calls[0]!.event).not.toBe(EVENT);
    expect(records).toEqual([]);
  });

  it('retries a function error a minute later, then two minutes after that, then sends the on-failure record', async () => {
    // Prepare
    const { requestId, settled } = await invoker.asyncInvoke(failing, EVENT, config());
    await settle();

    // Act + Assess: the second attempt waits one minute
    expect(invoker.pending()).toEqual([{ requestId, functionArn: FIRE_ARN, attempts: 1, runAt: new Date('2026-03-10T14:01:00Z') }]);
    clock.set('2026-03-10T14:00:59.999Z');
    expect(await invoker.runDue()).toBe(0);
    clock.set('2026-03-10T14:01:00Z');
    expect(await invoker.runDue()).toBe(1);

    // the third waits two minutes more
    expect(invoker.pending()[0]?.runAt).toEqual(new Date('2026-03-10T14:03:00Z'));
    clock.set('2026-03-10T14:03:00Z');
    await invoker.runDue();

    expect(await settled).toBe('failed');
    expect(calls.map((c) => c.at)).toEqual(['2026-03-10T14:00:00.000Z', '2026-03-10T14:01:00.000Z', '2026-03-10T14:03:00.000Z']);
    // One request id across the retries, as Lambda keeps it.
    expect(new Set(calls.map((c) => c.requestId))).toEqual(new Set([requestId]));
    expect(records).toEqual([
      {
        version: '1.0',
        timestamp: '2026-03-10T14:03:00.000Z',
        requestContext: { requestId, functionArn: `${FIRE_ARN}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
        requestPayload: EVENT,
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'TouchBusyError', errorMessage: 'claim is busy', trace: expect.arrayContaining([expect.stringContaining('claim is busy')]) },
      },
    ]);
    expect(invoker.pending()).toEqual([]);
  });

  it('stops retrying when the handler succeeds', async () => {
    // Prepare
    let failures = 1;
    const handler = async () => {
      if (failures-- > 0) throw new Error('SES throttled');
    };

    // Act
    const { settled } = await invoker.asyncInvoke(handler, EVENT, config());
    await settle();
    await invoker.runRetriesNow();

    // Assess
    expect(await settled).toBe('succeeded');
    expect(records).toEqual([]);
  });

  it('honours maximumRetryAttempts 0: one attempt, then the record', async () => {
    // Act
    const { settled } = await invoker.asyncInvoke(failing, EVENT, config({ maximumRetryAttempts: 0 }));

    // Assess
    expect(await settled).toBe('failed');
    expect(calls).toHaveLength(1);
    expect(records[0]?.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 1 });
  });

  it('discards an event older than maximumEventAgeSeconds with EventAgeExceeded', async () => {
    // Prepare
    const { settled } = await invoker.asyncInvoke(failing, EVENT, config({ maximumEventAgeSeconds: 60 }));
    await settle();

    // Act: the retry comes due at +60 s but runs at +61 s, past the event's age
    clock.set('2026-03-10T14:01:01Z');
    await invoker.runDue();

    // Assess
    expect(await settled).toBe('failed');
    expect(calls).toHaveLength(1);
    expect(records[0]?.requestContext).toMatchObject({ condition: 'EventAgeExceeded', approximateInvokeCount: 1 });
    expect(records[0]?.responsePayload.errorMessage).toBe('claim is busy');
  });

  it('runs every waiting retry at once through the test hook', async () => {
    // Prepare
    const { settled } = await invoker.asyncInvoke(failing, EVENT, config());
    await settle();

    // Act
    await invoker.runRetriesNow();
    await invoker.runRetriesNow();

    // Assess
    expect(await settled).toBe('failed');
    expect(calls).toHaveLength(3);
    expect(records).toHaveLength(1);
  });

  it('refuses settings Lambda refuses, and an event that is not JSON', async () => {
    // Act + Assess
    await expect(invoker.asyncInvoke(failing, EVENT, config({ maximumRetryAttempts: 3 }))).rejects.toThrow(RangeError);
    await expect(invoker.asyncInvoke(failing, EVENT, config({ maximumEventAgeSeconds: 59 }))).rejects.toThrow(RangeError);
    await expect(invoker.asyncInvoke(failing, EVENT, config({ maximumEventAgeSeconds: 21_601 }))).rejects.toThrow(RangeError);
    await expect(invoker.asyncInvoke(failing, undefined, config())).rejects.toThrow(TypeError);
    expect(calls).toEqual([]);
  });

  it('tells onError when the on-failure sink throws, and still settles', async () => {
    // Prepare
    const errors: unknown[] = [];
    invoker = new AsyncInvoker({ clock, onError: (_id, error) => void errors.push(error) });

    // Act
    const { settled } = await invoker.asyncInvoke(failing, EVENT, { functionArn: FIRE_ARN, maximumRetryAttempts: 0, onFailure: () => Promise.reject(new Error('disk full')) });

    // Assess
    expect(await settled).toBe('failed');
    expect(errors.map((e) => (e as Error).message)).toEqual(['claim is busy', 'disk full']);
  });

  it('runs retries from its own timer with autoRun', async () => {
    // Prepare
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    invoker = new AsyncInvoker({ clock, autoRun: true });
    const { settled } = await invoker.asyncInvoke(failing, EVENT, config({ maximumRetryAttempts: 1 }));
    await settle();

    // Act
    clock.advance(60_000);
    await vi.advanceTimersByTimeAsync(60_000);

    // Assess
    expect(await settled).toBe('failed');
    expect(calls).toHaveLength(2);
  });

  it('waits on close for attempts in flight', async () => {
    // Prepare
    let release!: () => void;
    let finished = false;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await invoker.asyncInvoke(async () => void (await gate, (finished = true)), EVENT, config());

    // Act
    const closing = invoker.close();
    await settle();
    const finishedBeforeRelease = finished;
    release();
    await closing;

    // Assess
    expect([finishedBeforeRelease, finished]).toEqual([false, true]);
  });

  it('as Scheduler\'s target: a handler error is retried by Lambda and recorded, and never dead-lettered by Scheduler', async () => {
    // Prepare
    const aws = await startLocalAws({
      port: 0,
      clock,
      // What the runtime does: Scheduler's invoke is accepted once Lambda queues the event.
      invoke: async (arn, input) => void (await invoker.asyncInvoke(failing, JSON.parse(input), config({ functionArn: arn }))),
      secrets: {},
      scheduleGroups: ['touches'],
      accountId: '000000000000',
      region: 'us-east-1',
    });
    const client = new SchedulerClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await client.send(
      new CreateScheduleCommand({
        Name: 'touch-1',
        GroupName: 'touches',
        ScheduleExpression: 'at(2026-03-10T14:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: { Arn: FIRE_ARN, RoleArn: 'arn:aws:iam::000000000000:role/scheduler', Input: JSON.stringify(EVENT), DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' } },
      }),
    );

    // Act
    const fired = await aws.scheduler.runDue();
    await settle();
    await invoker.runRetriesNow();
    await invoker.runRetriesNow();

    // Assess
    expect(fired).toBe(1);
    expect(aws.scheduler.deadLetters()).toEqual([]);
    expect(aws.scheduler.list()).toEqual([]);
    expect(calls).toHaveLength(3);
    expect(records.map((r) => [r.requestContext.condition, r.requestPayload])).toEqual([['RetriesExhausted', EVENT]]);
    client.destroy();
    await aws.close();
  });
});
