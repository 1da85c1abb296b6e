import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, SchedulerClient, UpdateScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalSchedulerService } from '../../functions/local/aws/scheduler-service.js';
import { startLocalAws, type LocalAws, type LocalAwsOptions } from '../../functions/local/aws/server.js';
import { FakeClock } from '../support/clock.js';

const START = '2026-03-10T14:00:00Z';
const GROUP = 'followthrough-touches';
const FIRE_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:followthrough-fire';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/followthrough-scheduler';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:followthrough-schedule-dlq';

function touch(name: string, at: string, retryPolicy = { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 }, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: name,
    GroupName: GROUP,
    ScheduleExpression: `at(${at.replace(/Z$/, '')})`,
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: { Arn: FIRE_ARN, RoleArn: ROLE_ARN, Input: JSON.stringify({ touchId: name }), RetryPolicy: retryPolicy, DeadLetterConfig: { Arn: DLQ_ARN } },
    ...extra,
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets queued promise callbacks run without waiting on a timer. */
async function settle(rounds = 10) {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('local EventBridge Scheduler firing', () => {
  let dir: string;
  let clock: FakeClock;
  let invoked: { arn: string; input: string }[];
  let open: LocalAws[];
  let client: SchedulerClient;

  async function start(overrides: Partial<LocalAwsOptions> = {}): Promise<LocalAws> {
    const aws = await startLocalAws({
      port: 0,
      dataDir: dir,
      clock,
      invoke: async (arn, input) => void invoked.push({ arn, input }),
      secrets: {},
      scheduleGroups: [GROUP],
      accountId: '000000000000',
      region: 'us-east-1',
      ...overrides,
    });
    open.push(aws);
    client = new SchedulerClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    return aws;
  }
  const create = (input: CreateScheduleCommandInput) => client.send(new CreateScheduleCommand(input));
  const names = () => invoked.map((i) => (JSON.parse(i.input) as { touchId: string }).touchId);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'followthrough-local-aws-'));
    clock = new FakeClock(START);
    invoked = [];
    open = [];
  });

  afterEach(async () => {
    client?.destroy();
    await Promise.all(open.map((aws) => aws.close()));
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('at the due time', () => {
    it('invokes the target with its Input at the due time and not a millisecond before', async () => {
      // Prepare
      const aws = await start();
      await create(touch('a', '2026-03-10T14:01:00'));

      // Act
      clock.set('2026-03-10T14:00:59.999Z');
      const early = await aws.scheduler.runDue();
      clock.set('2026-03-10T14:01:00Z');
      const onTime = await aws.scheduler.runDue();

      // Assess
      expect([early, onTime]).toEqual([0, 1]);
      expect(invoked).toEqual([{ arn: FIRE_ARN, input: '{"touchId":"a"}' }]);
    });

    it('fires a schedule whose time has passed at once', async () => {
      // Prepare
      const aws = await start();
      await create(touch('late', '2026-03-10T13:00:00'));

      // Act
      const fired = await aws.scheduler.runDue();

      // Assess
      expect(fired).toBe(1);
      expect(names()).toEqual(['late']);
    });

    it('fires each schedule once, soonest first', async () => {
      // Prepare
      const aws = await start({ concurrency: 1 });
      await create(touch('second', '2026-03-10T13:59:00'));
      await create(touch('first', '2026-03-10T13:58:00'));
      await create(touch('later', '2026-03-10T15:00:00'));

      // Act
      const fired = [await aws.scheduler.runDue(), await aws.scheduler.runDue()];

      // Assess
      expect(fired).toEqual([2, 0]);
      expect(names()).toEqual(['first', 'second']);
      expect(aws.scheduler.list().map((s) => s.name)).toEqual(['later']);
    });

    it('fires schedules that fall due while it is firing others', async () => {
      // Prepare
      const aws = await start({ invoke: async (arn, input) => void (invoked.push({ arn, input }), clock.advance(10_000)) });
      await create(touch('now', '2026-03-10T14:00:00'));
      await create(touch('soon', '2026-03-10T14:00:05'));

      // Act
      const fired = await aws.scheduler.runDue();

      // Assess
      expect(fired).toBe(2);
      expect(names()).toEqual(['now', 'soon']);
    });

    it('shares one run between overlapping runDue calls, so nothing fires twice', async () => {
      // Prepare
      const gate = deferred();
      const aws = await start({ invoke: async (arn, input) => void (invoked.push({ arn, input }), await gate.promise) });
      await create(touch('once', START));

      // Act
      const first = aws.scheduler.runDue();
      const second = aws.scheduler.runDue();
      await settle();
      gate.resolve();
      const counts = await Promise.all([first, second]);

      // Assess
      expect(counts).toEqual([1, 1]);
      expect(invoked).toHaveLength(1);
    });

    it('fills the context attributes in the Input', async () => {
      // Prepare
      const aws = await start();
      const input = touch('ctx', '2026-03-10T14:00:00');
      input.Target!.Input = '{"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","n":"<aws.scheduler.attempt-number>","id":"<aws.scheduler.execution-id>"}';
      await create(input);

      // Act
      await aws.scheduler.runDue();

      // Assess
      expect(JSON.parse(invoked[0]!.input)).toEqual({ arn: `arn:aws:scheduler:us-east-1:000000000000:schedule/${GROUP}/ctx`, at: '2026-03-10T14:00:00Z', n: '1', id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    });
  });

  describe('after completion', () => {
    it('deletes a one-time schedule with ActionAfterCompletion DELETE once it ran', async () => {
      // Prepare
      const aws = await start();
      await create(touch('a', START));

      // Act
      await aws.scheduler.runDue();
      const error = await client.send(new GetScheduleCommand({ Name: 'a', GroupName: GROUP })).catch((e: Error) => e);

      // Assess
      expect((error as Error).name).toBe('ResourceNotFoundException');
    });

    it('keeps a one-time schedule with ActionAfterCompletion NONE, never to fire again', async () => {
      // Prepare
      const aws = await start();
      await create(touch('a', START, undefined, { ActionAfterCompletion: 'NONE' }));

      // Act
      await aws.scheduler.runDue();
      clock.advance(3_600_000);
      await aws.scheduler.runDue();

      // Assess
      expect(invoked).toHaveLength(1);
      expect((await client.send(new GetScheduleCommand({ Name: 'a', GroupName: GROUP }))).Name).toBe('a');
      expect(aws.scheduler.list()).toEqual([]);
    });

    it('fires a rate() schedule at once (no StartDate), then every period', async () => {
      // Prepare
      const aws = await start();
      await create({ ...touch('sweep', START), ScheduleExpression: 'rate(5 minutes)', ActionAfterCompletion: 'NONE' });

      // Act
      for (let minute = 1; minute <= 15; minute++) {
        clock.set(new Date(Date.parse(START) + minute * 60_000));
        await aws.scheduler.runDue();
      }

      // Assess: due 14:00 (its creation), 14:05, 14:10 and 14:15.
      expect(invoked).toHaveLength(4);
      expect(aws.scheduler.list()[0]?.dueAt.toISOString()).toBe('2026-03-10T14:20:00.000Z');
    });

    it('does not fire a DISABLED schedule until it is enabled', async () => {
      // Prepare
      const aws = await start();
      await create(touch('a', START, undefined, { State: 'DISABLED' }));
      const off = await aws.scheduler.runDue();

      // Act
      await client.send(new UpdateScheduleCommand({ ...touch('a', START), State: 'ENABLED' }));
      const on = await aws.scheduler.runDue();

      // Assess
      expect([off, on]).toEqual([0, 1]);
    });
  });

  describe('delete and replace', () => {
    it('does not fire a deleted schedule', async () => {
      // Prepare
      const aws = await start();
      await create(touch('a', '2026-03-10T14:01:00'));

      // Act
      await client.send(new DeleteScheduleCommand({ Name: 'a', GroupName: GROUP }));
      clock.set('2026-03-10T15:00:00Z');

      // Assess
      expect(await aws.scheduler.runDue()).toBe(0);
    });

    it('replaces a schedule created again under the same name, as the adapter does (conflict, delete, create)', async () => {
      // Prepare
      const aws = await start();
      await create(touch('a', '2026-03-10T14:10:00'));
      const conflict = await create(touch('a', '2026-03-10T14:20:00')).catch((e: Error) => e.name);
      await client.send(new DeleteScheduleCommand({ Name: 'a', GroupName: GROUP }));
      await create(touch('a', '2026-03-10T14:20:00'));

      // Act
      clock.set('2026-03-10T14:10:00Z');
      const atOldTime = await aws.scheduler.runDue();
      clock.set('2026-03-10T14:20:00Z');
      const atNewTime = await aws.scheduler.runDue();

      // Assess
      expect(conflict).toBe('ConflictException');
      expect([atOldTime, atNewTime]).toEqual([0, 1]);
    });

    it('keeps a schedule updated while its old version was being invoked', async () => {
      // Prepare
      const gate = deferred();
      const aws = await start({ invoke: async (arn, input) => void (invoked.push({ arn, input }), await gate.promise) });
      await create(touch('a', START));

      // Act
      const run = aws.scheduler.runDue();
      await settle();
      await client.send(new UpdateScheduleCommand(touch('a', '2026-03-10T16:00:00')));
      gate.resolve();
      await run;

      // Assess
      expect(invoked).toHaveLength(1);
      expect(aws.scheduler.list().map((s) => [s.name, s.dueAt.toISOString()])).toEqual([['a', '2026-03-10T16:00:00.000Z']]);
    });
  });

  describe('concurrency and close', () => {
    it('never has more invocations in flight than its limit, and fires all of them', async () => {
      // Prepare
      let inFlight = 0;
      let most = 0;
      const aws = await start({
        concurrency: 2,
        invoke: async (arn, input) => {
          most = Math.max(most, ++inFlight);
          await settle(2);
          invoked.push({ arn, input });
          inFlight--;
        },
      });
      for (const id of ['a', 'b', 'c', 'd', 'e']) await create(touch(id, START));

      // Act
      const fired = await aws.scheduler.runDue();

      // Assess
      expect([fired, most, invoked.length]).toEqual([5, 2, 5]);
    });

    it('still fires with a concurrency below one instead of spinning', async () => {
      // Prepare
      const aws = await start({ concurrency: 0 });
      await create(touch('a', START));

      // Act + Assess
      expect(await aws.scheduler.runDue()).toBe(1);
    });

    it('waits for invocations in flight before close resolves, and fires nothing after', async () => {
      // Prepare
      const gate = deferred();
      const aws = await start({ invoke: async (arn, input) => void (await gate.promise, invoked.push({ arn, input })) });
      await create(touch('a', START));
      await create(touch('b', '2026-03-10T14:05:00'));
      void aws.scheduler.runDue();
      await settle();
      let closed = false;

      // Act
      const closing = aws.close().then(() => (closed = true));
      await settle();
      const closedBeforeRelease = closed;
      gate.resolve();
      await closing;
      clock.advance(600_000);
      const afterClose = await aws.scheduler.runDue();

      // Assess
      expect([closedBeforeRelease, closed, afterClose]).toEqual([false, true, 0]);
      expect(names()).toEqual(['a']);
    });
  });

  describe('autoRun', () => {
    it('fires a due schedule from its own timer, and stops the timer on close', async () => {
      // Prepare
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const service = new LocalSchedulerService({ clock, invoke: async (arn, input) => void invoked.push({ arn, input }), region: 'us-east-1', accountId: '000000000000', scheduleGroups: [GROUP], autoRun: true });
      service.api.createSchedule('now', { ...touch('now', START) } as never);
      service.api.createSchedule('later', { ...touch('later', '2026-03-10T14:00:30') } as never);

      // Act
      await vi.advanceTimersByTimeAsync(0);
      await settle();
      const afterFirstTimer = names();
      await service.close();
      clock.advance(30_000);
      await vi.advanceTimersByTimeAsync(60_000);

      // Assess
      expect(afterFirstTimer).toEqual(['now']);
      expect(names()).toEqual(['now']);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
