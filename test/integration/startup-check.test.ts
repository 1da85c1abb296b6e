/**
 * The local runtime's check on start: after a crash (here, damage done by hand between two runs on
 * the same data), every scheduled touch gets a schedule for its time and every schedule of a touch
 * no longer scheduled goes; what it found is one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DeleteScheduleCommand, GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { EventBridgeTouchScheduler } from '../../functions/adapters/eventbridge-scheduler.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';
import { LOCAL_SCHEDULE_GROUP } from '../../functions/local/runtime.js';
import { describeCheck } from '../../functions/use-cases/check-schedules.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';

describe('the check on start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'followthrough-check-'));
  const tableName = `t-${randomUUID()}`;
  const runtimes: TestRuntime[] = [];

  afterAll(async () => {
    for (const rt of runtimes) await rt.stop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes missing schedules, rewrites stale ones, deletes orphans, and says so in one line', async () => {
    // Prepare: three callbacks agreed, each with its reminder.
    const first = await testRuntime({ start: START, dataDir, tableName });
    runtimes.push(first);
    expect(describeCheck(first.startupCheck)).toBe('0 scheduled touches, 0 schedules: all in step');
    await first.call('PUT', '/v1/reps/me', { name: 'Cy Rep', email: uniqueEmail('rep'), timezone: 'America/New_York', reminderChannel: 'email' });
    const reminders: { id: string; dueAt: string; prospectId: string }[] = [];
    for (const [i, hour] of [16, 17, 18].entries()) {
      const id = `c-${i}`;
      await first.call('POST', '/v1/prospects', { id, name: `Cass Prospect ${i}`, email: uniqueEmail(id), timezone: 'America/New_York', country: 'US' });
      const posted = await first.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: `2026-11-24T${hour}:00:00Z`, sendRecap: false });
      reminders.push({ ...posted.body.plan.find((t: { kind: string }) => t.kind === 'rep_reminder'), prospectId: id });
    }
    const [lost, moved, cancelled] = reminders as [(typeof reminders)[number], (typeof reminders)[number], (typeof reminders)[number]];
    const store = new DynamoStore({ client: first.dynamo, tableName });
    const client = new SchedulerClient({ endpoint: first.aws.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const scheduler = new EventBridgeTouchScheduler({ client, groupName: LOCAL_SCHEDULE_GROUP, targetArn: first.env.FIRE_FUNCTION_ARN!, roleArn: first.env.SCHEDULER_ROLE_ARN!, deadLetterArn: first.env.SCHEDULE_DLQ_ARN!, now: () => first.clock.now() });
    // What a crash can leave: a schedule lost, one for an earlier time, one of a touch no longer scheduled, one of no touch.
    await client.send(new DeleteScheduleCommand({ Name: `touch-${lost.id}`, GroupName: LOCAL_SCHEDULE_GROUP }));
    await scheduler.create({ name: `touch-${moved.id}`, at: new Date('2026-11-24T12:00:00Z'), payload: { v: 1, touchId: moved.id, repId: 'rep-1', prospectId: moved.prospectId, dueAt: '2026-11-24T12:00:00Z' } });
    const touch = (await store.getTouch('rep-1', cancelled.prospectId, cancelled.id))!;
    await store.updateTouch(touch, { status: 'cancelled', reason: 'cancelled by the rep' }, 'scheduled');
    await scheduler.create({ name: 'touch-GONE', at: new Date('2026-11-24T12:00:00Z'), payload: { v: 1, touchId: 'GONE', repId: 'rep-1', prospectId: 'c-0', dueAt: '2026-11-24T12:00:00Z' } });
    client.destroy();
    await first.stop();

    // Act: start again on the same data.
    const second = await testRuntime({ start: START, dataDir, tableName });
    runtimes.push(second);

    // Assess
    expect(second.startupCheck).toEqual({ touches: 2, schedules: 3, missing: 1, stale: 1, orphans: 2, errors: 0 });
    expect(describeCheck(second.startupCheck)).toBe('2 scheduled touches, 3 schedules: 1 missing made, 1 stale rewritten, 2 orphans deleted');
    const schedules = second.aws.scheduler.list().filter((s) => s.group === LOCAL_SCHEDULE_GROUP);
    expect(schedules.map((s) => [s.name, JSON.parse(s.input).dueAt]).sort()).toEqual([[`touch-${lost.id}`, lost.dueAt], [`touch-${moved.id}`, moved.dueAt]].sort());
    await second.stop();
    const third = await testRuntime({ start: START, dataDir, tableName });
    runtimes.push(third);
    expect(describeCheck(third.startupCheck)).toBe('2 scheduled touches, 2 schedules: all in step');
  });

  it('rewrites a schedule moved to another time with its payload intact, and one disabled, as the sweep would', async () => {
    // Prepare: two callbacks agreed; while the runtime is down, one reminder's schedule is moved a day later and the other's disabled.
    const dir = mkdtempSync(join(tmpdir(), 'followthrough-check-'));
    const table = `t-${randomUUID()}`;
    const first = await testRuntime({ start: START, dataDir: dir, tableName: table });
    runtimes.push(first);
    await first.call('PUT', '/v1/reps/me', { name: 'Cy Rep', email: uniqueEmail('rep'), timezone: 'America/New_York', reminderChannel: 'email' });
    const reminders: { id: string; dueAt: string }[] = [];
    for (const [i, hour] of [16, 17].entries()) {
      const id = `m-${i}`;
      await first.call('POST', '/v1/prospects', { id, name: `Mo Prospect ${i}`, email: uniqueEmail(id), timezone: 'America/New_York', country: 'US' });
      const posted = await first.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: `2026-11-24T${hour}:00:00Z`, sendRecap: false });
      reminders.push(posted.body.plan.find((t: { kind: string }) => t.kind === 'rep_reminder'));
    }
    const client = new SchedulerClient({ endpoint: first.aws.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    for (const [i, reminder] of reminders.entries()) {
      const held = await client.send(new GetScheduleCommand({ Name: `touch-${reminder.id}`, GroupName: LOCAL_SCHEDULE_GROUP }));
      await client.send(
        new UpdateScheduleCommand({
          Name: held.Name!,
          GroupName: held.GroupName,
          ScheduleExpression: i === 0 ? 'at(2026-11-25T15:59:00)' : held.ScheduleExpression!,
          ScheduleExpressionTimezone: held.ScheduleExpressionTimezone,
          FlexibleTimeWindow: held.FlexibleTimeWindow!,
          ActionAfterCompletion: held.ActionAfterCompletion,
          State: i === 0 ? 'ENABLED' : 'DISABLED',
          Target: held.Target!,
        }),
      );
    }
    client.destroy();
    await first.stop();

    // Act: start again on the same data.
    const second = await testRuntime({ start: START, dataDir: dir, tableName: table });
    runtimes.push(second);

    // Assess: the moved one rewritten, the disabled one (not listed as pending) made again; each a minute before its reminder.
    expect(describeCheck(second.startupCheck)).toBe('2 scheduled touches, 1 schedule: 1 missing made, 1 stale rewritten');
    const schedules = second.aws.scheduler.list().filter((s) => s.group === LOCAL_SCHEDULE_GROUP);
    expect(schedules.map((s) => [s.name, s.dueAt.toISOString()]).sort()).toEqual([[`touch-${reminders[0]!.id}`, '2026-11-24T15:59:00.000Z'], [`touch-${reminders[1]!.id}`, '2026-11-24T16:59:00.000Z']].sort());
    await second.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
