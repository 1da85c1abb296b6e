/**
 * The vertical slice end to end on the real engines: a posted callback_agreed becomes a timed
 * resend to the prospect and a reminder to the rep, read back from the local SES store.
 */
import { GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';
const UPTIME_LINES = {
  'hot.uptime.a': "You told me downtime hurts most, so I've worked out how we'd keep you running.",
  'hot.uptime.b': 'Every hour the line stands still costs you, and I have two ways to cut that.',
};

describe('callback_agreed on the local runtime', () => {
  let rt: TestRuntime;
  const repEmail = uniqueEmail('ann');
  const prospectEmail = uniqueEmail('dana');

  beforeAll(async () => {
    rt = await testRuntime({ start: START });
    // Prepare: a rep and a prospect.
    const rep = await rt.call('PUT', '/v1/reps/me', {
      name: 'Ann Rep',
      email: repEmail,
      phone: '+15551230000',
      timezone: 'America/New_York',
      reminderChannel: 'email',
      company: 'Brightline Pumps',
    });
    expect(rep.status).toBe(200);
    const prospect = await rt.call('POST', '/v1/prospects', {
      id: 'dana',
      name: 'Dana Buyer',
      company: 'Acme Plant',
      email: prospectEmail,
      phone: '+15557654321',
      timezone: 'America/Chicago',
      country: 'US',
      hotButtons: ['uptime'],
    });
    expect(prospect.status).toBe(201);
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it('records the call, plans the resend and the reminder, and sends each at its minute', async () => {
    // Act: the rep agreed a callback for Wednesday 15:00 Chicago time.
    const posted = await rt.call('POST', '/v1/prospects/dana/calls', {
      outcome: 'callback_agreed',
      callbackAt: '2026-11-25T15:00:00-06:00',
      discussed: 'Line 3 stops twice a week; the service plan presented',
      whatHappensNext: 'Dana reviews the quote with the plant manager',
      decisionMakers: ['Dana', 'Lee (plant manager)'],
      materials: [{ title: 'Quote Q-1042', url: 'https://example.com/q-1042' }],
      sendRecap: false,
    });

    // Assess: the answer carries the plan, in UTC and in the prospect's zone.
    expect(posted.status).toBe(201);
    const plan = posted.body.plan as { kind: string; dueAt: string; dueAtLocal: string; status: string }[];
    expect(plan.map((t) => [t.kind, t.dueAt, t.dueAtLocal])).toEqual([
      ['resend_materials', '2026-11-25T20:50:00Z', '2026-11-25T14:50:00-06:00'],
      ['rep_reminder', '2026-11-25T21:00:00Z', '2026-11-25T15:00:00-06:00'],
    ]);
    // The reminder's a minute ahead: the fire function waits for its second (core/on-time.ts).
    expect(rt.aws.scheduler.list().map((s) => new Date(s.at).toISOString())).toEqual([
      '2026-11-25T20:50:00.000Z',
      '2026-11-25T20:59:00.000Z',
    ]);

    // The real Scheduler client lists and reads them at the local endpoint, as the service documents them.
    const scheduler = new SchedulerClient({ endpoint: rt.aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: rt.env.SCHEDULE_GROUP, NamePrefix: 'touch-' }));
    expect(listed.Schedules!.map((s) => s.Name).sort()).toEqual(rt.aws.scheduler.list().map((s) => s.name).sort());
    const reminderId = (posted.body.plan as { id: string; kind: string }[]).find((t) => t.kind === 'rep_reminder')!.id;
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: `touch-${reminderId}`, GroupName: rt.env.SCHEDULE_GROUP }));
    expect(schedule).toMatchObject({
      ScheduleExpression: 'at(2026-11-25T20:59:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: rt.env.FIRE_FUNCTION_ARN, RoleArn: rt.env.SCHEDULER_ROLE_ARN, DeadLetterConfig: { Arn: rt.env.SCHEDULE_DLQ_ARN } },
    });
    expect(JSON.parse(schedule.Target!.Input!)).toEqual({ v: 1, touchId: reminderId, repId: 'rep-1', prospectId: 'dana', dueAt: '2026-11-25T21:00:00Z' });
    scheduler.destroy();

    const read = await rt.call('GET', '/v1/prospects/dana');
    expect(read.status).toBe(200);
    expect(read.body.prospect.callbackAt).toBe('2026-11-25T21:00:00Z');
    expect(read.body.calls).toHaveLength(1);
    expect(read.body.touches.map((t: { status: string }) => t.status)).toEqual(['scheduled', 'scheduled']);

    // Nothing goes out a minute early.
    expect(await rt.fireUntil('2026-11-25T20:49:00Z')).toBe(0);
    expect(await rt.inbox(prospectEmail)).toHaveLength(0);

    // At callback − 10 minutes the materials land on top of the prospect's inbox.
    expect(await rt.fireUntil('2026-11-25T20:50:00Z')).toBe(1);
    const [resend] = await rt.inbox(prospectEmail);
    expect(resend!.subject).toBe('For our call today at 3:00 PM CST: Quote Q-1042 (resent)');
    expect(resend!.body.text).toContain('Quote Q-1042: https://example.com/q-1042');
    expect(resend!.body.html).toContain('<a href="https://example.com/q-1042">Quote Q-1042</a>');
    expect(resend!.from).toBe('"Ann Rep" <followthrough@example.com>');
    expect(resend!.replyTo).toEqual([repEmail]);
    expect(await rt.inbox(repEmail)).toHaveLength(0);

    // At callback time the rep gets the call-prep sheet with the voicemail script for "uptime".
    expect(await rt.fireUntil('2026-11-25T21:00:00Z')).toBe(1);
    const [reminder] = await rt.inbox(repEmail);
    expect(reminder!.subject).toBe('Call Dana Buyer now at 4:00 PM EST - uptime');
    const text = reminder!.body.text!;
    expect(text).toContain('Phone: (555) 765-4321');
    expect(text).toContain('Their local time now: Wed 3:00 PM CST');
    expect(text).toContain('What was discussed: Line 3 stops twice a week; the service plan presented');
    expect(text).toContain('What was supposed to happen since: Dana reviews the quote with the plant manager');
    expect(text).toContain("IF YOU GET VOICEMAIL, SAY (then call again Friday, November 27 at 10:15 AM CST)");
    // The uptime line is the variant chosen when the reminder was planned.
    const variant = read.body.touches[1].scriptVariant as keyof typeof UPTIME_LINES;
    expect(Object.keys(UPTIME_LINES)).toContain(variant);
    expect(text).toContain(UPTIME_LINES[variant]);
    expect(text).toContain('Resent to them Wednesday, November 25 at 2:50 PM CST: Quote Q-1042');
    expect(reminder!.body.html).toContain('href="tel:+15557654321"');

    const after = await rt.call('GET', '/v1/prospects/dana');
    const touches = after.body.touches as { kind: string; status: string; messageId?: string; template?: string }[];
    expect(touches.map((t) => t.status)).toEqual(['sent', 'sent']);
    expect(touches[0]!.messageId).toBe(resend!.messageId);
    expect(touches[1]!.messageId).toBe(reminder!.messageId);
    expect(touches[1]!.template).toBe(`email/rep_reminder + voicemail/parts[opening.as_promised,${variant},question.uptime,number,promise]`);
    expect(rt.aws.scheduler.list()).toHaveLength(0);
  });

  it('sends nothing when the same schedule payload is delivered again', async () => {
    // Prepare: a fresh callback and its reminder fired once.
    const posted = await rt.call('POST', '/v1/prospects/dana/calls', {
      outcome: 'callback_agreed',
      callbackAt: '2026-11-27T10:00:00-06:00',
      sendRecap: false,
    });
    const payload = JSON.parse(rt.aws.scheduler.list()[0]!.input);
    expect(payload).toEqual({ v: 1, touchId: posted.body.plan[0].id, repId: 'rep-1', prospectId: 'dana', dueAt: '2026-11-27T16:00:00Z' });
    await rt.fireUntil('2026-11-27T16:00:00Z');
    const before = (await rt.inbox(repEmail)).length;

    // Act: Scheduler delivers the same payload twice more (at-least-once), one of them concurrently.
    rt.clock.set('2026-11-27T16:00:05Z');
    const results = await Promise.all([rt.handlers.fire(payload), rt.handlers.fire(payload)]);

    // Assess
    expect(results.map((r) => r.result)).toEqual(['ignored', 'ignored']);
    expect(await rt.inbox(repEmail)).toHaveLength(before);
  });

  it('answers 404 for another rep’s prospect, and 401 without a token', async () => {
    const other = await rt.call('GET', '/v1/prospects/dana', undefined, { repId: 'rep-2' });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const otherCall = await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'won' }, { repId: 'rep-2' });
    expect(otherCall.status).toBe(404);

    const anonymous = await fetch(`${rt.url}/v1/prospects/dana`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const forged = await fetch(`${rt.url}/v1/prospects/dana`, { headers: { authorization: 'Bearer abc.def.ghi' } });
    expect(forged.status).toBe(401);
    expect((await fetch(`${rt.url}/v1/health`)).status).toBe(200);
    const openapi = await rt.call('GET', '/v1/openapi.json');
    expect(openapi.status).toBe(200);
    expect(Object.keys(openapi.body.paths)).toContain('/v1/prospects/{id}/calls');
    expect(openapi.body.components.schemas.CallOutcome.properties.outcome.enum).toContain('callback_agreed');
  });

  it('refuses bad input with a 4xx that says what to fix, and records nothing', async () => {
    const before = (await rt.call('GET', '/v1/prospects/dana')).body.calls.length;

    const missing = await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'callback_agreed' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues[0].path).toBe('callbackAt');

    const past = await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'callback_agreed', callbackAt: '2026-01-01T10:00:00Z' });
    expect(past.status).toBe(422);
    expect(past.body.error.code).toBe('callback_in_past');

    const wrongType = await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'maybe', materials: [{ title: 'x', url: 'ftp://x' }] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['outcome', 'materials.0.url']);

    const notJson = await rt.call('POST', '/v1/prospects/dana/calls', '{"outcome":', { headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);

    const huge = await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'won', notes: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);

    const badZone = await rt.call('POST', '/v1/prospects', { name: 'Zed', timezone: 'Mars/Base' });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.issues[0]).toEqual({ path: 'timezone', message: 'Unknown time zone: use an IANA name such as America/New_York' });

    const duplicate = await rt.call('POST', '/v1/prospects', { id: 'dana', name: 'Dana Again', timezone: 'America/Chicago' });
    expect(duplicate.status).toBe(409);

    expect((await rt.call('GET', '/v1/prospects/dana')).body.calls).toHaveLength(before);
  });
});
