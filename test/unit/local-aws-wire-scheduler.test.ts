/**
 * The local EventBridge Scheduler driven from the outside with the real @aws-sdk/client-scheduler,
 * each expectation taken from the Scheduler API reference (CreateSchedule, GetSchedule,
 * UpdateSchedule, DeleteSchedule, ListSchedules, Target, RetryPolicy, FlexibleTimeWindow) and the
 * user guide (schedule types, time zones), not from what the local endpoint happens to answer.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeTouchScheduler } from '../../functions/adapters/eventbridge-scheduler.js';
import { startLocalAws, type LocalAws } from '../../functions/local/aws/server.js';
import { FakeClock } from '../support/clock.js';
import { rejection } from '../support/sdk-errors.js';

const START = '2026-03-10T14:00:00Z';
const GROUP = 'followthrough-touches';
const ACCOUNT = '000000000000';
const FIRE_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:followthrough-fire`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/followthrough-scheduler`;
const DLQ_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:followthrough-schedule-dlq`;
const KMS_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** A minimal one-time schedule: only what CreateSchedule requires, plus the group. */
function minimal(name: string, at = '2026-03-10T15:00:00', extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return { Name: name, GroupName: GROUP, ScheduleExpression: `at(${at})`, FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: FIRE_ARN, RoleArn: ROLE_ARN, Input: '{"n":1}' }, ...extra };
}

/** A schedule with every member the API reference lists for a Lambda target. */
function full(name: string): CreateScheduleCommandInput {
  return {
    Name: name,
    GroupName: GROUP,
    ScheduleExpression: 'at(2026-03-10T09:30:00)',
    ScheduleExpressionTimezone: 'America/New_York',
    StartDate: new Date('2026-03-10T14:05:00Z'),
    EndDate: new Date('2026-03-12T00:00:00Z'),
    Description: 'a touch',
    State: 'ENABLED',
    KmsKeyArn: KMS_ARN,
    ActionAfterCompletion: 'DELETE',
    FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    Target: {
      Arn: FIRE_ARN,
      RoleArn: ROLE_ARN,
      Input: '{"touchId":"t-1"}',
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
      DeadLetterConfig: { Arn: DLQ_ARN },
    },
  };
}

describe('local EventBridge Scheduler on the wire, as the API reference documents it', () => {
  let clock: FakeClock;
  let aws: LocalAws;
  let client: SchedulerClient;
  let invoked: { arn: string; input: string; at: string }[];

  beforeEach(async () => {
    clock = new FakeClock(START);
    invoked = [];
    aws = await startLocalAws({
      port: 0,
      clock,
      invoke: async (arn, input) => void invoked.push({ arn, input, at: clock.now().toISOString() }),
      secrets: {},
      scheduleGroups: [GROUP],
      accountId: ACCOUNT,
      region: 'us-east-1',
    });
    client = new SchedulerClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });

  afterEach(async () => {
    client.destroy();
    await aws.close();
  });

  describe('CreateSchedule and GetSchedule', () => {
    it('answers every member that was set, with dates as Dates', async () => {
      // Act
      const created = await client.send(new CreateScheduleCommand(full('touch-full')));
      const got = await client.send(new GetScheduleCommand({ Name: 'touch-full', GroupName: GROUP }));

      // Assess
      const { $metadata: _m, ...body } = got;
      expect(created.ScheduleArn).toBe(`arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/${GROUP}/touch-full`);
      expect(body).toEqual({
        Arn: created.ScheduleArn,
        Name: 'touch-full',
        GroupName: GROUP,
        ScheduleExpression: 'at(2026-03-10T09:30:00)',
        ScheduleExpressionTimezone: 'America/New_York',
        StartDate: new Date('2026-03-10T14:05:00Z'),
        EndDate: new Date('2026-03-12T00:00:00Z'),
        Description: 'a touch',
        State: 'ENABLED',
        KmsKeyArn: KMS_ARN,
        ActionAfterCompletion: 'DELETE',
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        Target: full('x').Target,
        CreationDate: new Date(START),
        LastModificationDate: new Date(START),
      });
    });

    it('fills the documented defaults: default group, UTC, ENABLED, NONE, a retry policy of 24 h and 185 attempts', async () => {
      // Prepare
      const { GroupName: _g, ...input } = minimal('touch-defaults');

      // Act
      await client.send(new CreateScheduleCommand(input));
      const got = await client.send(new GetScheduleCommand({ Name: 'touch-defaults' }));

      // Assess
      expect(got).toMatchObject({ GroupName: 'default', ScheduleExpressionTimezone: 'UTC', State: 'ENABLED', ActionAfterCompletion: 'NONE' });
      expect(got.Target?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 });
      expect(got.Description).toBeUndefined();
    });

    it('answers ConflictException (409) for a name already used in the group, and keeps the first', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(minimal('touch-1')));

      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(minimal('touch-1', '2026-03-10T16:00:00'))));
      const otherGroup = await client.send(new CreateScheduleCommand(minimal('touch-1', '2026-03-10T16:00:00', { GroupName: 'default' })));

      // Assess
      expect([error.name, error.$metadata.httpStatusCode, error.$fault]).toEqual(['ConflictException', 409, 'client']);
      expect((await client.send(new GetScheduleCommand({ Name: 'touch-1', GroupName: GROUP }))).ScheduleExpression).toBe('at(2026-03-10T15:00:00)');
      expect(otherGroup.ScheduleArn).toMatch(/schedule\/default\/touch-1$/);
    });

    it.each([
      ['GetSchedule', (c: SchedulerClient) => c.send(new GetScheduleCommand({ Name: 'touch-none', GroupName: GROUP }))],
      ['DeleteSchedule', (c: SchedulerClient) => c.send(new DeleteScheduleCommand({ Name: 'touch-none', GroupName: GROUP }))],
      ['UpdateSchedule', (c: SchedulerClient) => c.send(new UpdateScheduleCommand(minimal('touch-none')))],
    ])('answers ResourceNotFoundException (404) from %s for a schedule that does not exist', async (_op, call) => {
      // Act
      const error = await rejection(call(client));

      // Assess
      expect([error.name, error.$metadata.httpStatusCode, error.$fault]).toEqual(['ResourceNotFoundException', 404, 'client']);
    });

    it.each([
      ['CreateSchedule', (c: SchedulerClient) => c.send(new CreateScheduleCommand(minimal('t', undefined, { GroupName: 'missing' })))],
      ['GetSchedule', (c: SchedulerClient) => c.send(new GetScheduleCommand({ Name: 't', GroupName: 'missing' }))],
      ['UpdateSchedule', (c: SchedulerClient) => c.send(new UpdateScheduleCommand(minimal('t', undefined, { GroupName: 'missing' })))],
      ['DeleteSchedule', (c: SchedulerClient) => c.send(new DeleteScheduleCommand({ Name: 't', GroupName: 'missing' }))],
      ['ListSchedules', (c: SchedulerClient) => c.send(new ListSchedulesCommand({ GroupName: 'missing' }))],
    ])('answers ResourceNotFoundException (404) from %s for a group that does not exist', async (_op, call) => {
      // Act
      const error = await rejection(call(client));

      // Assess
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 404]);
    });

    it('surfaces each error as the modeled exception class of the SDK', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(minimal('touch-1')));

      // Act
      const conflict = await rejection(client.send(new CreateScheduleCommand(minimal('touch-1'))));
      const missing = await rejection(client.send(new GetScheduleCommand({ Name: 'touch-2', GroupName: GROUP })));
      const invalid = await rejection(client.send(new GetScheduleCommand({ Name: 'touch 2', GroupName: GROUP })));

      // Assess
      expect(conflict).toBeInstanceOf(ConflictException);
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
      expect(invalid).toBeInstanceOf(ValidationException);
    });
  });

  describe('request validation (ValidationException, 400)', () => {
    const create: [string, Partial<CreateScheduleCommandInput>][] = [
      ['a name with a space', { Name: 'touch 1' }],
      ['a name with a slash', { Name: 'touch/1' }],
      ['a name of 65 characters', { Name: 'n'.repeat(65) }],
      ['a group outside [0-9a-zA-Z-_.]', { GroupName: 'touches!' }],
      ['a group of 65 characters', { GroupName: 'g'.repeat(65) }],
      ['an at() without seconds', { ScheduleExpression: 'at(2026-03-10T15:00)' }],
      ['an at() with a zone designator', { ScheduleExpression: 'at(2026-03-10T15:00:00Z)' }],
      ['an at() with a space for the T', { ScheduleExpression: 'at(2026-03-10 15:00:00)' }],
      ['an at() in month 13', { ScheduleExpression: 'at(2026-13-10T15:00:00)' }],
      ['an at() on 30 February', { ScheduleExpression: 'at(2026-02-30T15:00:00)' }],
      ['an at() at 24:00:00', { ScheduleExpression: 'at(2026-03-10T24:00:00)' }],
      ['a bare date', { ScheduleExpression: '2026-03-10T15:00:00' }],
      ['a rate() of zero', { ScheduleExpression: 'rate(0 minutes)' }],
      ['a rate() in seconds', { ScheduleExpression: 'rate(30 seconds)' }],
      ['a cron() of five fields', { ScheduleExpression: 'cron(0 12 * * ?)' }],
      ['a cron() with both day fields set', { ScheduleExpression: 'cron(0 12 * * MON *)' }],
      ['a cron() with * in both day fields', { ScheduleExpression: 'cron(0 12 * * * *)' }],
      ['a cron() with ? in both day fields', { ScheduleExpression: 'cron(0 12 ? * ? *)' }],
      ['a cron() minute of 60', { ScheduleExpression: 'cron(60 12 * * ? *)' }],
      ['a cron() hour of 24', { ScheduleExpression: 'cron(0 24 * * ? *)' }],
      ['a cron() month of 13', { ScheduleExpression: 'cron(0 12 1 13 ? *)' }],
      ['a cron() day of week of 8', { ScheduleExpression: 'cron(0 12 ? * 8 *)' }],
      ['a cron() year before 1970', { ScheduleExpression: 'cron(0 12 * * ? 1969)' }],
      ['a cron() with letters for minutes', { ScheduleExpression: 'cron(a 12 * * ? *)' }],
      ['an unknown time zone', { ScheduleExpressionTimezone: 'Mars/Olympus_Mons' }],
      ['a time zone over 50 characters', { ScheduleExpressionTimezone: 'z'.repeat(51) }],
      ['a description over 512 characters', { Description: 'd'.repeat(513) }],
      ['an unknown State', { State: 'PAUSED' as never }],
      ['an unknown ActionAfterCompletion', { ActionAfterCompletion: 'ARCHIVE' as never }],
      ['a KMS key that is not a KMS ARN', { KmsKeyArn: 'my-key' }],
      ['an unknown window mode', { FlexibleTimeWindow: { Mode: 'SOMETIMES' as never } }],
      ['a FLEXIBLE window of 0 minutes', { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 0 } }],
      ['a FLEXIBLE window of 1441 minutes', { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 1441 } }],
      ['a ClientToken with a dot', { ClientToken: 'a.b' }],
      ['a ClientToken of 65 characters', { ClientToken: 't'.repeat(65) }],
    ];
    it.each(create)('refuses %s', async (_what, extra) => {
      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(minimal('touch-v', undefined, extra))));

      // Assess
      expect([error.name, error.$metadata.httpStatusCode, error.$fault]).toEqual(['ValidationException', 400, 'client']);
      expect(aws.scheduler.list()).toEqual([]);
    });

    const target: [string, Record<string, unknown>][] = [
      ['an empty Input (minimum length 1)', { Input: '' }],
      ['a role ARN that is not an IAM role', { RoleArn: `arn:aws:iam::${ACCOUNT}:user/someone` }],
      ['a target ARN over 1600 characters', { Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${'f'.repeat(1600)}` }],
      ['MaximumRetryAttempts of -1', { RetryPolicy: { MaximumRetryAttempts: -1 } }],
      ['MaximumRetryAttempts of 186', { RetryPolicy: { MaximumRetryAttempts: 186 } }],
      ['MaximumEventAgeInSeconds of 59', { RetryPolicy: { MaximumEventAgeInSeconds: 59 } }],
      ['MaximumEventAgeInSeconds of 86401', { RetryPolicy: { MaximumEventAgeInSeconds: 86_401 } }],
      ['a dead-letter ARN that is not an SQS queue', { DeadLetterConfig: { Arn: `arn:aws:sns:us-east-1:${ACCOUNT}:topic` } }],
      ['an Input that is not JSON for a Lambda target', { Input: 'not json' }],
    ];
    it.each(target)('refuses a target with %s', async (_what, extra) => {
      // Prepare
      const input = minimal('touch-v');
      input.Target = { ...input.Target!, ...extra } as never;

      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(input)));

      // Assess
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ValidationException', 400]);
    });

    it('refuses a bad name or group on GetSchedule and DeleteSchedule as well', async () => {
      // Act
      const get = await rejection(client.send(new GetScheduleCommand({ Name: 'touch 1', GroupName: GROUP })));
      const remove = await rejection(client.send(new DeleteScheduleCommand({ Name: 'touch-1', GroupName: 'bad group' })));

      // Assess
      expect([get.name, remove.name]).toEqual(['ValidationException', 'ValidationException']);
    });

    it('accepts an Input far over 8 KB: the API reference sets only a minimum length', async () => {
      // Prepare
      const input = minimal('touch-big');
      input.Target = { ...input.Target!, Input: JSON.stringify({ pad: 'x'.repeat(20_000) }) };

      // Act
      await client.send(new CreateScheduleCommand(input));

      // Assess
      expect((await client.send(new GetScheduleCommand({ Name: 'touch-big', GroupName: GROUP }))).Target?.Input).toHaveLength(20_010);
    });

    it.each(['rate(1 minute)', 'rate(5 minutes)', 'rate(2 hours)', 'rate(1 day)', 'cron(0 12 * * ? *)', 'cron(15 10 ? * MON-FRI *)', 'cron(0/5 8-17 ? * 2-6 2026-2027)', 'cron(0 9 L * ? *)', 'cron(0 9 ? * 6L *)', 'cron(0 9 ? * 3#2 *)', 'cron(0 9 15W * ? *)', 'cron(0 0 1 JAN,JUL ? *)'])(
      'accepts the documented expression %s',
      async (expression) => {
        // Act
        await client.send(new CreateScheduleCommand(minimal('touch-ok', undefined, { ScheduleExpression: expression })));

        // Assess
        expect((await client.send(new GetScheduleCommand({ Name: 'touch-ok', GroupName: GROUP }))).ScheduleExpression).toBe(expression);
      },
    );
  });

  describe('UpdateSchedule', () => {
    it('replaces every member: what the update leaves out returns to its default, the creation date stays', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(full('touch-u')));
      clock.advance(60_000);

      // Act
      const updated = await client.send(new UpdateScheduleCommand(minimal('touch-u', '2026-03-11T08:00:00')));
      const got = await client.send(new GetScheduleCommand({ Name: 'touch-u', GroupName: GROUP }));

      // Assess
      const { $metadata: _m, ...body } = got;
      expect(updated.ScheduleArn).toBe(got.Arn);
      expect(body).toEqual({
        Arn: got.Arn,
        Name: 'touch-u',
        GroupName: GROUP,
        ScheduleExpression: 'at(2026-03-11T08:00:00)',
        ScheduleExpressionTimezone: 'UTC',
        State: 'ENABLED',
        ActionAfterCompletion: 'NONE',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: FIRE_ARN, RoleArn: ROLE_ARN, Input: '{"n":1}', RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 } },
        CreationDate: new Date(START),
        LastModificationDate: new Date('2026-03-10T14:01:00Z'),
      });
      expect(aws.scheduler.list().map((s) => s.dueAt.toISOString())).toEqual(['2026-03-11T08:00:00.000Z']);
    });

    it('validates an update as a create is validated, and leaves the schedule as it was', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(minimal('touch-u')));

      // Act
      const error = await rejection(client.send(new UpdateScheduleCommand(minimal('touch-u', '2026-03-11T8:00:00'))));

      // Assess
      expect(error.name).toBe('ValidationException');
      expect((await client.send(new GetScheduleCommand({ Name: 'touch-u', GroupName: GROUP }))).ScheduleExpression).toBe('at(2026-03-10T15:00:00)');
    });
  });

  describe('ClientToken', () => {
    it('answers a create repeated with the same token like the first, and makes one schedule', async () => {
      // Prepare
      const input = minimal('touch-c', undefined, { ClientToken: 'create-touch-c' });
      const first = await client.send(new CreateScheduleCommand(input));

      // Act
      const again = await client.send(new CreateScheduleCommand(input));
      const list = await client.send(new ListSchedulesCommand({ GroupName: GROUP }));

      // Assess
      expect(again.ScheduleArn).toBe(first.ScheduleArn);
      expect(list.Schedules?.map((s) => s.Name)).toEqual(['touch-c']);
    });

    it('sends a token the SDK made itself when none is given, so two creates of one name still conflict', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(minimal('touch-c')));

      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(minimal('touch-c'))));

      // Assess
      expect(error.name).toBe('ConflictException');
    });
  });

  describe('ListSchedules', () => {
    beforeEach(async () => {
      for (const name of ['touch-a', 'touch-b', 'touch-c', 'touch-d', 'touch-e', 'other-1', 'other-2']) {
        await client.send(new CreateScheduleCommand(minimal(name, undefined, name === 'touch-d' ? { State: 'DISABLED' } : {})));
      }
      await client.send(new CreateScheduleCommand(minimal('touch-z', undefined, { GroupName: 'default' })));
    });

    it('pages with MaxResults and NextToken until NextToken is absent, each schedule once', async () => {
      // Act
      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListSchedulesCommand({ GroupName: GROUP, MaxResults: 3, ...(token ? { NextToken: token } : {}) }));
        pages.push(page.Schedules!.map((s) => s.Name!));
        token = page.NextToken;
      } while (token);

      // Assess
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat().sort()).toEqual(['other-1', 'other-2', 'touch-a', 'touch-b', 'touch-c', 'touch-d', 'touch-e']);
    });

    it('answers each summary with the members the API reference lists', async () => {
      // Act
      const out = await client.send(new ListSchedulesCommand({ NamePrefix: 'touch-a' }));

      // Assess
      expect(out.Schedules).toEqual([
        { Arn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/${GROUP}/touch-a`, Name: 'touch-a', GroupName: GROUP, State: 'ENABLED', CreationDate: new Date(START), LastModificationDate: new Date(START), Target: { Arn: FIRE_ARN } },
      ]);
    });

    it('filters by NamePrefix, State and group, across groups when no group is given', async () => {
      // Act
      const prefixed = await client.send(new ListSchedulesCommand({ NamePrefix: 'touch-' }));
      const disabled = await client.send(new ListSchedulesCommand({ State: 'DISABLED' }));
      const inDefault = await client.send(new ListSchedulesCommand({ GroupName: 'default' }));

      // Assess
      expect(prefixed.Schedules?.map((s) => s.Name).sort()).toEqual(['touch-a', 'touch-b', 'touch-c', 'touch-d', 'touch-e', 'touch-z']);
      expect(disabled.Schedules?.map((s) => s.Name)).toEqual(['touch-d']);
      expect(inDefault.Schedules?.map((s) => s.Name)).toEqual(['touch-z']);
    });

    it.each([
      ['MaxResults of 0', { MaxResults: 0 }],
      ['MaxResults of 101', { MaxResults: 101 }],
      ['a NamePrefix with a space', { NamePrefix: 'touch a' }],
      ['an unknown State', { State: 'PAUSED' as never }],
      ['a NextToken over 2048 characters', { NextToken: 't'.repeat(2049) }],
    ])('refuses %s with ValidationException', async (_what, input) => {
      // Act
      const error = await rejection(client.send(new ListSchedulesCommand(input)));

      // Assess
      expect([error.name, error.$metadata.httpStatusCode]).toEqual(['ValidationException', 400]);
    });
  });

  describe('firing', () => {
    it('reads an at() in ScheduleExpressionTimezone and invokes at that instant', async () => {
      // Prepare: 09:30 in New York on 11 March 2026 is EDT (UTC-4), so 13:30 UTC.
      await client.send(new CreateScheduleCommand(minimal('touch-tz', '2026-03-11T09:30:00', { ScheduleExpressionTimezone: 'America/New_York' })));

      // Act
      clock.set('2026-03-11T13:29:59Z');
      const early = await aws.scheduler.runDue();
      clock.set('2026-03-11T13:30:00Z');
      const onTime = await aws.scheduler.runDue();

      // Assess
      expect([early, onTime]).toEqual([0, 1]);
      expect(invoked.map((i) => i.at)).toEqual(['2026-03-11T13:30:00.000Z']);
    });

    it('deletes a schedule with ActionAfterCompletion DELETE once it has run, and keeps one with NONE', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(minimal('touch-del', undefined, { ActionAfterCompletion: 'DELETE' })));
      await client.send(new CreateScheduleCommand(minimal('touch-keep', undefined, { ActionAfterCompletion: 'NONE' })));

      // Act
      clock.set('2026-03-10T15:00:00Z');
      await aws.scheduler.runDue();
      const gone = await rejection(client.send(new GetScheduleCommand({ Name: 'touch-del', GroupName: GROUP })));
      const kept = await client.send(new GetScheduleCommand({ Name: 'touch-keep', GroupName: GROUP }));

      // Assess
      expect(invoked).toHaveLength(2);
      expect(gone.name).toBe('ResourceNotFoundException');
      expect(kept.ActionAfterCompletion).toBe('NONE');
    });

    it('spreads an invocation over a FLEXIBLE window only, and over its due minute otherwise', async () => {
      // Prepare: the jitter mode, with the latest draw the random source can give.
      const jittered = await startLocalAws({ port: 0, clock, invoke: async () => {}, secrets: {}, scheduleGroups: [GROUP], accountId: ACCOUNT, region: 'us-east-1', jitter: 'minute', random: () => 0.9999 });
      const other = new SchedulerClient({ endpoint: jittered.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

      // Act
      await other.send(new CreateScheduleCommand(minimal('off', undefined, { FlexibleTimeWindow: { Mode: 'OFF', MaximumWindowInMinutes: 30 } })));
      await other.send(new CreateScheduleCommand(minimal('flexible', undefined, { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 30 } })));
      const at = Object.fromEntries(jittered.scheduler.list().map((s) => [s.name, s.at.toISOString()]));
      other.destroy();
      await jittered.close();

      // Assess
      expect(at).toEqual({ off: '2026-03-10T15:00:59.994Z', flexible: '2026-03-10T15:29:59.820Z' });
    });

    it('never invokes a DISABLED schedule', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(minimal('touch-off', undefined, { State: 'DISABLED' })));

      // Act
      clock.set('2026-03-10T16:00:00Z');
      await aws.scheduler.runDue();

      // Assess
      expect(invoked).toEqual([]);
    });

    it('starts a rate() without StartDate at once, then every period (user guide, rate-based schedules)', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(minimal('sweep', undefined, { ScheduleExpression: 'rate(5 minutes)' })));

      // Act
      await aws.scheduler.runDue();
      clock.set('2026-03-10T14:04:59Z');
      await aws.scheduler.runDue();
      clock.set('2026-03-10T14:05:00Z');
      await aws.scheduler.runDue();

      // Assess
      expect(invoked.map((i) => i.at)).toEqual(['2026-03-10T14:00:00.000Z', '2026-03-10T14:05:00.000Z']);
    });

    it('starts a rate() with a StartDate at that date, its first occurrence', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(minimal('sweep', undefined, { ScheduleExpression: 'rate(1 hour)', StartDate: new Date('2026-03-10T14:30:00Z') })));

      // Act
      clock.set('2026-03-10T14:29:00Z');
      await aws.scheduler.runDue();
      clock.set('2026-03-10T14:30:00Z');
      await aws.scheduler.runDue();

      // Assess
      expect(invoked.map((i) => i.at)).toEqual(['2026-03-10T14:30:00.000Z']);
    });
  });

  describe('cron() in a time zone', () => {
    async function firings(expression: string, from: string, to: string, extra: Partial<CreateScheduleCommandInput> = {}): Promise<string[]> {
      clock.set(from);
      await client.send(new CreateScheduleCommand(minimal('cron-1', undefined, { ScheduleExpression: expression, ScheduleExpressionTimezone: 'America/New_York', ...extra })));
      // Step half an hour at a time, firing what fell due, as the clock would pass.
      for (let t = new Date(from).getTime(); t <= new Date(to).getTime(); t += 1_800_000) {
        clock.set(new Date(t));
        await aws.scheduler.runDue();
      }
      return invoked.map((i) => i.at);
    }

    it('fires on the weekdays and hour it names, read in ScheduleExpressionTimezone', async () => {
      // Act: Friday 13 to Tuesday 17 March 2026; 09:00 EDT is 13:00 UTC.
      const at = await firings('cron(0 9 ? * MON-FRI *)', '2026-03-13T00:00:00Z', '2026-03-17T23:00:00Z');

      // Assess
      expect(at).toEqual(['2026-03-13T13:00:00.000Z', '2026-03-16T13:00:00.000Z', '2026-03-17T13:00:00.000Z']);
    });

    it('skips a time the clocks jump over in spring and runs a repeated time once in autumn', async () => {
      // Act: 02:30 does not exist in New York on 8 March 2026; 01:30 happens twice on 1 November 2026.
      const spring = await firings('cron(30 2 * * ? *)', '2026-03-07T00:00:00Z', '2026-03-09T12:00:00Z');
      invoked = [];
      await client.send(new DeleteScheduleCommand({ Name: 'cron-1', GroupName: GROUP }));
      const autumn = await firings('cron(30 1 * * ? *)', '2026-10-31T12:00:00Z', '2026-11-01T12:00:00Z');

      // Assess
      expect(spring).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
      // Once, at either 01:30 (EDT or EST): the guide says only that it does not repeat.
      expect(autumn).toHaveLength(1);
      expect(['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']).toContain(autumn[0]);
    });

    it('stops at EndDate', async () => {
      // Act
      const at = await firings('cron(0 12 * * ? *)', '2026-03-13T00:00:00Z', '2026-03-17T00:00:00Z', { EndDate: new Date('2026-03-14T20:00:00Z') });

      // Assess
      expect(at).toEqual(['2026-03-13T16:00:00.000Z', '2026-03-14T16:00:00.000Z']);
    });
  });

  describe('the adapter against this endpoint', () => {
    it('creates, replaces, reads and deletes a touch schedule through EventBridgeTouchScheduler', async () => {
      // Prepare
      const scheduler = new EventBridgeTouchScheduler({ client, groupName: GROUP, targetArn: FIRE_ARN, roleArn: ROLE_ARN, deadLetterArn: DLQ_ARN, now: () => clock.now() });
      const payload = { v: 1 as const, touchId: 't-1', repId: 'rep-1', prospectId: 'p-1', dueAt: '2026-03-10T15:00:00Z' };

      // Act
      await scheduler.create({ name: 'touch-t-1', at: new Date('2026-03-10T15:00:00Z'), payload });
      await scheduler.create({ name: 'touch-t-1', at: new Date('2026-03-10T16:00:00Z'), payload: { ...payload, dueAt: '2026-03-10T16:00:00Z' } });
      const read = await scheduler.get('touch-t-1');
      const raw = await client.send(new GetScheduleCommand({ Name: 'touch-t-1', GroupName: GROUP }));
      await scheduler.delete('touch-t-1');
      await scheduler.delete('touch-t-1');

      // Assess
      expect(read).toEqual({ payload: { ...payload, dueAt: '2026-03-10T16:00:00Z' }, at: new Date('2026-03-10T16:00:00Z'), enabled: true });
      expect(raw).toMatchObject({ ScheduleExpression: 'at(2026-03-10T16:00:00)', ActionAfterCompletion: 'DELETE', Target: { DeadLetterConfig: { Arn: DLQ_ARN } } });
      expect(await scheduler.get('touch-t-1')).toBeUndefined();
    });

    it('reads a schedule changed behind its back: its at() in its own zone, disabled, an Input that is not ours', async () => {
      // Prepare: a touch schedule, then changed through the plain client as an operator could.
      const scheduler = new EventBridgeTouchScheduler({ client, groupName: GROUP, targetArn: FIRE_ARN, roleArn: ROLE_ARN, deadLetterArn: DLQ_ARN, now: () => clock.now() });
      const payload = { v: 1 as const, touchId: 't-2', repId: 'rep-1', prospectId: 'p-1', dueAt: '2026-03-10T15:00:00Z' };
      await scheduler.create({ name: 'touch-t-2', at: new Date('2026-03-10T15:00:00Z'), payload });
      const held = await client.send(new GetScheduleCommand({ Name: 'touch-t-2', GroupName: GROUP }));
      const changed = { ...held, Name: held.Name!, ScheduleExpression: 'at(2026-03-11T09:30:00)', ScheduleExpressionTimezone: 'America/New_York', State: 'DISABLED' as const, Target: { ...held.Target!, Input: '{"hello":"world"}' }, FlexibleTimeWindow: held.FlexibleTimeWindow! };

      // Act
      await client.send(new UpdateScheduleCommand(changed));
      const read = await scheduler.get('touch-t-2');
      await scheduler.delete('touch-t-2');

      // Assess: 09:30 in New York is 13:30 UTC on that day (EDT began on 8 March).
      expect(read).toEqual({ at: new Date('2026-03-11T13:30:00Z'), enabled: false });
    });
  });
});
