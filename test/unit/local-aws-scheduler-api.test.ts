import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  paginateListSchedules,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../../functions/local/aws/server.js';
import { FakeClock } from '../support/clock.js';
import { rejection } from '../support/sdk-errors.js';

const START = '2026-03-10T14:00:00Z';
const GROUP = 'followthrough-touches';
const FIRE_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:followthrough-fire';
const ROLE_ARN = 'arn:aws:iam::000000000000:role/followthrough-scheduler';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:followthrough-schedule-dlq';

function touch(name: string, at = '2026-03-10T15:00:00', overrides: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput {
  return {
    Name: name,
    GroupName: GROUP,
    ScheduleExpression: `at(${at})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: FIRE_ARN,
      RoleArn: ROLE_ARN,
      Input: JSON.stringify({ touchId: name }),
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: DLQ_ARN },
    },
    ...overrides,
  };
}

describe('local EventBridge Scheduler, through @aws-sdk/client-scheduler', () => {
  let dir: string;
  let clock: FakeClock;
  let aws: LocalAws;
  let client: SchedulerClient;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'followthrough-local-aws-'));
    clock = new FakeClock(START);
    aws = await startLocalAws({ port: 0, dataDir: dir, clock, invoke: async () => {}, secrets: {}, scheduleGroups: [GROUP], accountId: '000000000000', region: 'us-east-1' });
    client = new SchedulerClient({ endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });

  afterEach(async () => {
    client.destroy();
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('CreateSchedule and GetSchedule', () => {
    it('creates a schedule and answers it with the defaults the service applies', async () => {
      // Prepare
      const input = touch('touch-1', '2026-03-10T15:00:00', { Target: { Arn: FIRE_ARN, RoleArn: ROLE_ARN, Input: '{"touchId":"touch-1"}' } });

      // Act
      const created = await client.send(new CreateScheduleCommand(input));
      const got = await client.send(new GetScheduleCommand({ Name: 'touch-1', GroupName: GROUP }));

      // Assess
      expect(created.ScheduleArn).toBe(`arn:aws:scheduler:us-east-1:000000000000:schedule/${GROUP}/touch-1`);
      expect(got).toMatchObject({
        Arn: created.ScheduleArn,
        Name: 'touch-1',
        GroupName: GROUP,
        ScheduleExpression: 'at(2026-03-10T15:00:00)',
        ScheduleExpressionTimezone: 'UTC',
        State: 'ENABLED',
        ActionAfterCompletion: 'DELETE',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: FIRE_ARN, RoleArn: ROLE_ARN, Input: '{"touchId":"touch-1"}', RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } },
      });
      // Epoch seconds on the wire, Dates out of the SDK.
      expect(got.CreationDate).toEqual(new Date(START));
      expect(got.LastModificationDate).toEqual(new Date(START));
      expect(got.$metadata.httpStatusCode).toBe(200);
    });

    it('puts a schedule without GroupName in the default group', async () => {
      // Prepare
      const { GroupName: _omitted, ...input } = touch('touch-default');

      // Act
      await client.send(new CreateScheduleCommand(input));
      const got = await client.send(new GetScheduleCommand({ Name: 'touch-default' }));

      // Assess
      expect(got.GroupName).toBe('default');
    });

    it('answers ConflictException (409) for a name that exists, and keeps the first', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(touch('touch-1', '2026-03-10T15:00:00')));

      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(touch('touch-1', '2026-03-10T16:00:00'))));

      // Assess
      expect(error.name).toBe('ConflictException');
      expect(error.message).toBe('Schedule touch-1 already exists.');
      expect(error.$metadata.httpStatusCode).toBe(409);
      expect(error.$fault).toBe('client');
      expect((await client.send(new GetScheduleCommand({ Name: 'touch-1', GroupName: GROUP }))).ScheduleExpression).toBe('at(2026-03-10T15:00:00)');
    });

    it('answers ResourceNotFoundException (404) for a group that does not exist', async () => {
      // Act
      const create = await rejection(client.send(new CreateScheduleCommand(touch('touch-1', undefined, { GroupName: 'no-such-group' }))));
      const get = await rejection(client.send(new GetScheduleCommand({ Name: 'touch-1', GroupName: 'no-such-group' })));

      // Assess
      expect([create.name, create.message, create.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 'Schedule group no-such-group does not exist.', 404]);
      expect(get.name).toBe('ResourceNotFoundException');
    });

    it('answers ResourceNotFoundException for a schedule that does not exist', async () => {
      // Act
      const error = await rejection(client.send(new GetScheduleCommand({ Name: 'touch-none', GroupName: GROUP })));

      // Assess
      expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 'Schedule touch-none does not exist.', 404]);
    });
  });

  describe('validation, as the service documents it', () => {
    const cases: [string, Partial<CreateScheduleCommandInput>, RegExp][] = [
      ['a name outside [0-9a-zA-Z-_.]', { Name: 'touch 1' }, /Value 'touch 1' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: \[0-9a-zA-Z-_\.\]\+/],
      ['a name over 64 characters', { Name: 'x'.repeat(65) }, /at 'name' failed to satisfy constraint: Member must have length less than or equal to 64/],
      ['a group outside the pattern', { GroupName: 'touches/evil' }, /at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern/],
      ['an at() without seconds', { ScheduleExpression: 'at(2026-03-10T15:00)' }, /^Invalid Schedule Expression at\(2026-03-10T15:00\)\.$/],
      ['an at() on a day that does not exist', { ScheduleExpression: 'at(2026-02-30T15:00:00)' }, /^Invalid Schedule Expression/],
      ['an at() with a zone suffix', { ScheduleExpression: 'at(2026-03-10T15:00:00Z)' }, /^Invalid Schedule Expression/],
      ['a rate() in seconds', { ScheduleExpression: 'rate(30 seconds)' }, /^Invalid Schedule Expression/],
      ['a cron() with five fields', { ScheduleExpression: 'cron(0 12 * * ?)' }, /^Invalid Schedule Expression/],
      ['an unknown time zone', { ScheduleExpressionTimezone: 'Mars/Olympus_Mons' }, /Invalid ScheduleExpressionTimezone Mars\/Olympus_Mons/],
      ['a FLEXIBLE window without its size', { FlexibleTimeWindow: { Mode: 'FLEXIBLE' } }, /MaximumWindowInMinutes is required/],
      ['a window over 1440 minutes', { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 1441 } }, /at 'flexibleTimeWindow.maximumWindowInMinutes' failed to satisfy constraint: Member must have value less than or equal to 1440/],
      ['a ClientToken with a dot', { ClientToken: 'abc.def' }, /at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z0-9-_\]\+/],
    ];
    it.each(cases)('refuses %s with ValidationException (400)', async (_what, overrides, message) => {
      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(touch('touch-v', undefined, overrides))));

      // Assess
      expect(error.name).toBe('ValidationException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toMatch(message);
      expect(aws.scheduler.list()).toEqual([]);
    });

    const targetCases: [string, Record<string, unknown>, RegExp][] = [
      ['a role that is not an IAM role ARN', { RoleArn: 'not-an-arn' }, /at 'target.roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern/],
      ['MaximumRetryAttempts over 185', { RetryPolicy: { MaximumRetryAttempts: 186 } }, /at 'target.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185/],
      ['MaximumEventAgeInSeconds under 60', { RetryPolicy: { MaximumEventAgeInSeconds: 59 } }, /at 'target.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60/],
      ['MaximumEventAgeInSeconds over 86400', { RetryPolicy: { MaximumEventAgeInSeconds: 86401 } }, /Member must have value less than or equal to 86400/],
      ['a dead-letter target that is not an SQS queue', { DeadLetterConfig: { Arn: 'arn:aws:sns:us-east-1:000000000000:topic' } }, /at 'target.deadLetterConfig.arn'/],
      ['an Input that is not JSON for a Lambda target', { Input: 'touch-1' }, /well-formed JSON for a Lambda target/],
    ];
    it.each(targetCases)('refuses %s', async (_what, target, message) => {
      // Prepare
      const input = touch('touch-v');
      input.Target = { ...input.Target!, ...target } as never;

      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(input)));

      // Assess
      expect(error.name).toBe('ValidationException');
      expect(error.message).toMatch(message);
    });

    it('lists every violated constraint in one message, as the service does', async () => {
      // Prepare
      const input = touch('bad name', undefined, { Description: 'd'.repeat(513) });
      input.Target = { ...input.Target!, RetryPolicy: { MaximumRetryAttempts: -1 } } as never;

      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(input)));

      // Assess
      expect(error.message).toMatch(/^3 validation errors detected: Value 'bad name' at 'name'.*; Value '.*' at 'description'.*; Value '-1' at 'target.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to 0$/);
    });

    it('accepts an at() in another time zone and stores the instant it names', async () => {
      // Act
      await client.send(new CreateScheduleCommand(touch('touch-tz', '2026-03-10T09:30:00', { ScheduleExpressionTimezone: 'America/New_York' })));

      // Assess: 09:30 in New York on 10 March 2026 (EDT, UTC-4) is 13:30 UTC.
      expect(aws.scheduler.list()[0]?.dueAt.toISOString()).toBe('2026-03-10T13:30:00.000Z');
    });

    it('stores rate() and cron() schedules as recurring ones', async () => {
      // Act
      await client.send(new CreateScheduleCommand(touch('sweep', undefined, { ScheduleExpression: 'rate(5 minutes)', ActionAfterCompletion: 'NONE' })));
      await client.send(new CreateScheduleCommand(touch('nightly', undefined, { ScheduleExpression: 'cron(0 3 * * ? *)', ActionAfterCompletion: 'NONE' })));

      // Assess: the rate() starts at once, having no StartDate; the cron() next at 03:00 UTC.
      expect(aws.scheduler.list().map((s) => [s.name, s.dueAt.toISOString()])).toEqual([
        ['sweep', '2026-03-10T14:00:00.000Z'],
        ['nightly', '2026-03-11T03:00:00.000Z'],
      ]);
      expect((await client.send(new GetScheduleCommand({ Name: 'nightly', GroupName: GROUP }))).ScheduleExpression).toBe('cron(0 3 * * ? *)');
    });
  });

  describe('UpdateSchedule and DeleteSchedule', () => {
    it('replaces the whole schedule on update, keeping its creation date', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(touch('touch-1', '2026-03-10T15:00:00', { Description: 'first' })));
      clock.advance(60_000);

      // Act
      const { Description: _dropped, ...moved } = touch('touch-1', '2026-03-10T16:00:00');
      const updated = await client.send(new UpdateScheduleCommand(moved));
      const got = await client.send(new GetScheduleCommand({ Name: 'touch-1', GroupName: GROUP }));

      // Assess
      expect(updated.ScheduleArn).toBe(got.Arn);
      expect(got.ScheduleExpression).toBe('at(2026-03-10T16:00:00)');
      expect(got.Description).toBeUndefined();
      expect(got.CreationDate).toEqual(new Date(START));
      expect(got.LastModificationDate).toEqual(new Date('2026-03-10T14:01:00Z'));
      expect(aws.scheduler.list().map((s) => s.dueAt.toISOString())).toEqual(['2026-03-10T16:00:00.000Z']);
    });

    it('answers ResourceNotFoundException when updating or deleting a schedule that is not there', async () => {
      // Act
      const update = await rejection(client.send(new UpdateScheduleCommand(touch('touch-none'))));
      const remove = await rejection(client.send(new DeleteScheduleCommand({ Name: 'touch-none', GroupName: GROUP })));

      // Assess
      expect([update.name, remove.name]).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException']);
      expect(remove.$metadata.httpStatusCode).toBe(404);
    });

    it('deletes a schedule so it is neither listed nor fired', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(touch('touch-1')));

      // Act
      await client.send(new DeleteScheduleCommand({ Name: 'touch-1', GroupName: GROUP }));

      // Assess
      expect(aws.scheduler.list()).toEqual([]);
      expect((await rejection(client.send(new GetScheduleCommand({ Name: 'touch-1', GroupName: GROUP })))).name).toBe('ResourceNotFoundException');
    });
  });

  describe('ClientToken idempotency', () => {
    it('answers a create repeated with the same token as the first, not with a conflict', async () => {
      // Prepare
      const input = touch('touch-1', undefined, { ClientToken: 'token-1' });
      const first = await client.send(new CreateScheduleCommand(input));

      // Act
      const again = await client.send(new CreateScheduleCommand(input));

      // Assess
      expect(again.ScheduleArn).toBe(first.ScheduleArn);
      expect(aws.scheduler.list()).toHaveLength(1);
    });

    it('refuses the same token with different parameters', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(touch('touch-1', '2026-03-10T15:00:00', { ClientToken: 'token-1' })));

      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(touch('touch-1', '2026-03-10T16:00:00', { ClientToken: 'token-1' }))));

      // Assess
      expect(error.name).toBe('ConflictException');
    });

    it('forgets a token after the window, so the repeat is a conflict again', async () => {
      // Prepare
      const input = touch('touch-1', undefined, { ClientToken: 'token-1' });
      await client.send(new CreateScheduleCommand(input));
      clock.advance(10 * 60_000 + 1);

      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(input)));

      // Assess
      expect(error.name).toBe('ConflictException');
    });

    it('keeps a token in its window while older ones are forgotten', async () => {
      // Prepare: token-1 goes out of its window, token-2 (five minutes younger) stays in it.
      await client.send(new CreateScheduleCommand(touch('touch-1', undefined, { ClientToken: 'token-1' })));
      clock.advance(5 * 60_000);
      const second = touch('touch-2', undefined, { ClientToken: 'token-2' });
      const first = await client.send(new CreateScheduleCommand(second));
      clock.advance(5 * 60_000 + 1);

      // Act
      const expired = await rejection(client.send(new CreateScheduleCommand(touch('touch-1', undefined, { ClientToken: 'token-1' }))));
      const again = await client.send(new CreateScheduleCommand(second));

      // Assess
      expect(expired.name).toBe('ConflictException');
      expect(again.ScheduleArn).toBe(first.ScheduleArn);
    });

    it('forgets an expired token kept behind a newer one when the clock was set back', async () => {
      // Prepare: token-2 is remembered after token-1 but is older, and its window has passed.
      await client.send(new CreateScheduleCommand(touch('touch-1', undefined, { ClientToken: 'token-1' })));
      clock.advance(-11 * 60_000);
      const second = touch('touch-2', undefined, { ClientToken: 'token-2' });
      await client.send(new CreateScheduleCommand(second));
      clock.advance(12 * 60_000);

      // Act
      const error = await rejection(client.send(new CreateScheduleCommand(second)));

      // Assess
      expect(error.name).toBe('ConflictException');
    });

    it('answers a delete repeated with the same token as done', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(touch('touch-1')));
      await client.send(new DeleteScheduleCommand({ Name: 'touch-1', GroupName: GROUP, ClientToken: 'delete-1' }));

      // Act
      const again = await client.send(new DeleteScheduleCommand({ Name: 'touch-1', GroupName: GROUP, ClientToken: 'delete-1' }));
      const fresh = await rejection(client.send(new DeleteScheduleCommand({ Name: 'touch-1', GroupName: GROUP, ClientToken: 'delete-2' })));

      // Assess
      expect(again.$metadata.httpStatusCode).toBe(200);
      expect(fresh.name).toBe('ResourceNotFoundException');
    });
  });

  describe('ListSchedules', () => {
    it('pages through every schedule with NextToken and MaxResults, in name order', async () => {
      // Prepare
      for (let i = 0; i < 7; i++) await client.send(new CreateScheduleCommand(touch(`touch-${i}`)));
      await client.send(new CreateScheduleCommand(touch('other', undefined, { GroupName: 'default' })));

      // Act
      const first = await client.send(new ListSchedulesCommand({ GroupName: GROUP, MaxResults: 3 }));
      const names: string[] = [];
      for await (const page of paginateListSchedules({ client, pageSize: 3 }, { GroupName: GROUP })) names.push(...page.Schedules!.map((s) => s.Name!));

      // Assess
      expect(first.Schedules?.map((s) => s.Name)).toEqual(['touch-0', 'touch-1', 'touch-2']);
      expect(first.NextToken).toBeTruthy();
      expect(first.Schedules?.[0]).toMatchObject({ GroupName: GROUP, State: 'ENABLED', Target: { Arn: FIRE_ARN }, CreationDate: new Date(START) });
      expect(names).toEqual(['touch-0', 'touch-1', 'touch-2', 'touch-3', 'touch-4', 'touch-5', 'touch-6']);
    });

    it('filters by group, name prefix and state', async () => {
      // Prepare
      await client.send(new CreateScheduleCommand(touch('touch-a')));
      await client.send(new CreateScheduleCommand(touch('touch-b', undefined, { State: 'DISABLED' })));
      await client.send(new CreateScheduleCommand(touch('sweep')));
      await client.send(new CreateScheduleCommand(touch('touch-c', undefined, { GroupName: 'default' })));

      // Act
      const all = await client.send(new ListSchedulesCommand({}));
      const prefixed = await client.send(new ListSchedulesCommand({ GroupName: GROUP, NamePrefix: 'touch-' }));
      const disabled = await client.send(new ListSchedulesCommand({ State: 'DISABLED' }));

      // Assess
      expect(all.Schedules).toHaveLength(4);
      expect(all.NextToken).toBeUndefined();
      expect(prefixed.Schedules?.map((s) => s.Name)).toEqual(['touch-a', 'touch-b']);
      expect(disabled.Schedules?.map((s) => s.Name)).toEqual(['touch-b']);
    });

    it('refuses MaxResults over 100 and a NextToken it did not give', async () => {
      // Act
      const tooMany = await rejection(client.send(new ListSchedulesCommand({ MaxResults: 101 })));
      const badToken = await rejection(client.send(new ListSchedulesCommand({ NextToken: 'not-a-token' })));
      const noGroup = await rejection(client.send(new ListSchedulesCommand({ GroupName: 'no-such-group' })));

      // Assess
      expect([tooMany.name, tooMany.message]).toEqual(['ValidationException', "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"]);
      expect(badToken.name).toBe('ValidationException');
      expect(noGroup.name).toBe('ResourceNotFoundException');
    });
  });
});
