import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, SchedulerClient, UpdateScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

/** A seeded uniform RNG in [0, 1) (mulberry32), so a jitter test always sees the same draws. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('local EventBridge Scheduler: retries, durability and jitter', () => {
  let dir: string;
  let clock: FakeClock;
  let invoked: { arn: string; input: string }[];
  let open: LocalAws[];
  let clients: SchedulerClient[];
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
    clients.push(client);
    return aws;
  }
  const create = (input: CreateScheduleCommandInput) => client.send(new CreateScheduleCommand(input));
  const journal = () => join(dir, 'scheduler', 'schedules.jsonl');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'followthrough-local-aws-'));
    clock = new FakeClock(START);
    invoked = [];
    open = [];
    clients = [];
  });

  afterEach(async () => {
    for (const c of clients) c.destroy();
    await Promise.all(open.map((aws) => aws.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('retries and dead letters', () => {
    const failing = (errors: unknown[] = []) => ({
      invoke: async (arn: string, input: string) => {
        invoked.push({ arn, input });
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
      },
      onError: (_where: string, error: unknown) => void errors.push(error),
    });

    it('retries a failure to invoke with exponential backoff, then writes a dead letter named after the queue', async () => {
      // Prepare
      const errors: unknown[] = [];
      const aws = await start(failing(errors));
      await create(touch('a', START, { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 }));

      // Act + Assess: the first attempt fails, the retry waits 2 s, the next 4 s
      await aws.scheduler.runDue();
      expect(aws.scheduler.list()[0]).toMatchObject({ retries: 1, at: new Date(Date.parse(START) + 2000) });
      clock.advance(1999);
      await aws.scheduler.runDue();
      expect(invoked).toHaveLength(1);
      clock.advance(1);
      await aws.scheduler.runDue();
      expect(aws.scheduler.list()[0]).toMatchObject({ retries: 2, at: new Date(Date.parse(START) + 6000) });
      clock.advance(4000);
      await aws.scheduler.runDue();

      // three attempts, two retries: dead-lettered, and the one-time schedule is done
      expect(invoked).toHaveLength(3);
      expect(errors).toHaveLength(3);
      expect(aws.scheduler.list()).toEqual([]);
      const file = join(dir, 'scheduler', 'dead-letters', 'followthrough-schedule-dlq.jsonl');
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
      expect(aws.scheduler.deadLetters(DLQ_ARN)).toEqual([
        {
          queueArn: DLQ_ARN,
          sentAt: '2026-03-10T14:00:06.000Z',
          body: '{"touchId":"a"}',
          attributes: {
            ERROR_CODE: 'TooManyRequestsException',
            ERROR_MESSAGE: 'Rate exceeded',
            EXECUTION_ID: expect.stringMatching(/^[0-9a-f]{16}$/),
            RETRY_ATTEMPTS: '2',
            SCHEDULE_ARN: `arn:aws:scheduler:us-east-1:000000000000:schedule/${GROUP}/a`,
            TARGET_ARN: FIRE_ARN,
          },
        },
      ]);
    });

    it('fires on a retry once the target recovers, with nothing dead-lettered', async () => {
      // Prepare
      let failures = 1;
      const aws = await start({
        invoke: async (arn, input) => {
          if (failures-- > 0) throw new Error('cold start');
          invoked.push({ arn, input });
        },
      });
      await create(touch('a', START));

      // Act
      const first = await aws.scheduler.runDue();
      clock.advance(2000);
      const second = await aws.scheduler.runDue();

      // Assess
      expect([first, second]).toEqual([0, 1]);
      expect(aws.scheduler.deadLetters()).toEqual([]);
    });

    it('stops retrying once the next try would pass MaximumEventAgeInSeconds', async () => {
      // Prepare
      const aws = await start(failing());
      await create(touch('a', START, { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 }));

      // Act
      for (let i = 0; i < 10 && aws.scheduler.list().length; i++) {
        clock.set(aws.scheduler.list()[0]!.at);
        await aws.scheduler.runDue();
      }

      // Assess: tries at +0, +2, +6, +14, +30 s; the next would be at +62 s
      expect(invoked).toHaveLength(5);
      expect(aws.scheduler.deadLetters()[0]?.attributes.RETRY_ATTEMPTS).toBe('4');
    });

    it('caps the backoff at five minutes', async () => {
      // Prepare
      const aws = await start(failing());
      await create(touch('a', START, { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 }));

      // Act
      for (let i = 0; i < 10; i++) {
        clock.set(aws.scheduler.list()[0]!.at);
        await aws.scheduler.runDue();
      }

      // Assess
      const next = aws.scheduler.list()[0]!;
      expect(next.retries).toBe(10);
      expect(next.at.getTime() - clock.now().getTime()).toBe(300_000);
    });

    it('drops the event when the schedule has no DeadLetterConfig, as Scheduler does', async () => {
      // Prepare
      const aws = await start(failing());
      const input = touch('a', START, { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
      delete input.Target!.DeadLetterConfig;
      await create(input);

      // Act
      await aws.scheduler.runDue();

      // Assess
      expect(invoked).toHaveLength(1);
      expect(aws.scheduler.list()).toEqual([]);
      expect(aws.scheduler.deadLetters()).toEqual([]);
      expect(existsSync(join(dir, 'scheduler', 'dead-letters'))).toBe(false);
    });
  });

  describe('durability', () => {
    it('hands every schedule to a restart on the same data dir, without deleted or fired ones', async () => {
      // Prepare
      const first = await start();
      await create(touch('fired', START));
      await create(touch('deleted', '2026-03-10T15:00:00'));
      await create(touch('pending', '2026-03-10T16:00:00'));
      await create(touch('moved', '2026-03-10T17:00:00'));
      await client.send(new UpdateScheduleCommand(touch('moved', '2026-03-10T18:00:00')));
      await client.send(new DeleteScheduleCommand({ Name: 'deleted', GroupName: GROUP }));
      await first.scheduler.runDue();
      await first.close();

      // Act
      const second = await start();

      // Assess
      expect(second.scheduler.list().map((s) => [s.name, s.dueAt.toISOString(), s.input])).toEqual([
        ['pending', '2026-03-10T16:00:00.000Z', '{"touchId":"pending"}'],
        ['moved', '2026-03-10T18:00:00.000Z', '{"touchId":"moved"}'],
      ]);
      expect((await client.send(new GetScheduleCommand({ Name: 'moved', GroupName: GROUP }))).CreationDate).toEqual(new Date(START));
    });

    it('compacts the journal on load to the schedules that exist', async () => {
      // Prepare
      const first = await start();
      await create(touch('a', START));
      await create(touch('b', '2026-03-10T16:00:00'));
      await first.scheduler.runDue();
      await first.close();

      // Act
      await start();

      // Assess
      const lines = readFileSync(journal(), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ op: 'put', schedule: { definition: { Name: 'b' } } });
    });

    it('skips a last line cut short by a crash and keeps appending cleanly after it', async () => {
      // Prepare
      const first = await start();
      await create(touch('a', '2026-03-10T16:00:00'));
      await first.close();
      appendFileSync(journal(), '{"op":"put","schedule":{"definition":{"Name":"c"');

      // Act
      const second = await start();
      await create(touch('d', '2026-03-10T18:00:00'));
      await second.close();
      const third = await start();

      // Assess
      expect(third.scheduler.list().map((s) => s.name)).toEqual(['a', 'd']);
    });

    it('remembers a retry count and time across a restart', async () => {
      // Prepare
      const first = await start({ invoke: () => Promise.reject(new Error('down')) });
      await create(touch('a', START));
      await first.scheduler.runDue();
      await first.close();

      // Act
      const second = await start();

      // Assess
      expect(second.scheduler.list()).toEqual([expect.objectContaining({ name: 'a', retries: 1, at: new Date(Date.parse(START) + 2000) })]);
    });

    it('keeps everything in memory without a data dir', async () => {
      // Prepare
      const aws = await startLocalAws({ port: 0, clock, invoke: () => Promise.reject(new Error('down')), secrets: {}, scheduleGroups: [GROUP], accountId: '000000000000', region: 'us-east-1' });
      open.push(aws);
      client = new SchedulerClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      clients.push(client);

      // Act
      await create(touch('a', START, { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 }));
      await aws.scheduler.runDue();

      // Assess
      expect(aws.scheduler.deadLetters()).toHaveLength(1);
      expect(existsSync(join(dir, 'scheduler'))).toBe(false);
    });
  });

  describe("jitter: 'minute'", () => {
    it('fires every at() schedule at a uniformly random instant within its due minute', async () => {
      // Prepare: 60 touches due at odd seconds over ten minutes
      const aws = await start({ jitter: 'minute', random: seeded(42) });
      const due = Array.from({ length: 60 }, (_, i) => Date.parse('2026-03-10T14:01:00Z') + i * 10_037);
      for (const [i, at] of due.entries()) await create(touch(`t${i}`, new Date(at).toISOString().slice(0, 19)));
      const firedAt = new Map<string, number>();
      aws.scheduler.list().forEach((s) => expect(s.at.getTime() - Math.floor(s.dueAt.getTime() / 60_000) * 60_000).toBeLessThan(60_000));

      // Act: walk the clock second by second, firing what is due
      for (let t = Date.parse('2026-03-10T14:01:00Z'); t <= Date.parse('2026-03-10T14:12:00Z'); t += 1000) {
        clock.set(new Date(t));
        const before = invoked.length;
        await aws.scheduler.runDue();
        for (const call of invoked.slice(before)) firedAt.set((JSON.parse(call.input) as { touchId: string }).touchId, t);
      }

      // Assess
      expect(firedAt.size).toBe(60);
      const offsets = due.map((at, i) => firedAt.get(`t${i}`)! - Math.floor(at / 60_000) * 60_000);
      expect(offsets.every((o) => o >= 0 && o < 60_000)).toBe(true);
      expect(new Set(offsets.map((o) => Math.floor(o / 1000))).size).toBeGreaterThan(30);
      expect(Math.min(...offsets)).toBeLessThan(10_000);
      expect(Math.max(...offsets)).toBeGreaterThanOrEqual(50_000);
      // As on AWS, some fire before the second they name.
      expect(due.some((at, i) => firedAt.get(`t${i}`)! < at)).toBe(true);
    });

    it('keeps the drawn instant across a restart', async () => {
      // Prepare
      const first = await start({ jitter: 'minute', random: () => 0.75 });
      await create(touch('a', '2026-03-10T15:00:10'));
      await first.close();

      // Act
      const second = await start({ jitter: 'minute', random: () => 0.1 });

      // Assess
      expect(second.scheduler.list()[0]?.at.toISOString()).toBe('2026-03-10T15:00:45.000Z');
    });

    it('stays inside the minute at both ends of the RNG', async () => {
      // Prepare
      const low = await start({ jitter: 'minute', random: () => 0 });
      await create(touch('low', '2026-03-10T15:00:30'));
      const lowAt = low.scheduler.list()[0]?.at.toISOString();
      await low.close();
      rmSync(join(dir, 'scheduler'), { recursive: true });
      const high = await start({ jitter: 'minute', random: () => 0.9999999999 });

      // Act
      await create(touch('high', '2026-03-10T15:00:30'));

      // Assess
      expect(lowAt).toBe('2026-03-10T15:00:00.000Z');
      expect(high.scheduler.list()[0]?.at.toISOString()).toBe('2026-03-10T15:00:59.999Z');
    });
  });
});
