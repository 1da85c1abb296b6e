/**
 * The cadence engine on DynamoDB Local and the local scheduler: every outcome, supersede,
 * cancel, reschedule, idempotency, concurrency, and the agenda.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';

type TouchView = { id: string; kind: string; status: string; dueAt: string; dueAtLocal: string; attempt?: number; promiseAt?: string; reason?: string };

describe('the cadence on the local runtime', () => {
  let rt: TestRuntime;
  const repEmail = uniqueEmail('rep');
  let n = 0;

  async function newProspect(extra: Record<string, unknown> = {}) {
    const id = `p-${++n}`;
    const email = uniqueEmail(id);
    const res = await rt.call('POST', '/v1/prospects', {
      id,
      name: `Pat Prospect ${n}`,
      email,
      phone: '+15557654321',
      timezone: 'America/New_York',
      country: 'US',
      hotButtons: ['cost_savings'],
      ...extra,
    });
    expect(res.status).toBe(201);
    return { id, email };
  }

  const touches = async (id: string) => (await rt.call('GET', `/v1/prospects/${id}`)).body.touches as TouchView[];
  const pending = async (id: string) => (await touches(id)).filter((t) => t.status === 'scheduled');
  const scheduledNames = () => new Set(rt.aws.scheduler.list().map((s) => s.name));

  beforeAll(async () => {
    rt = await testRuntime({ start: START });
    await rt.call('PUT', '/v1/reps/me', { name: 'Ray Rep', email: repEmail, phone: '+15551230000', timezone: 'America/New_York', reminderChannel: 'email' });
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it('walks voicemail, voicemail, stalled, callback_agreed and won: touches appear, fire and disappear, the agenda follows', async () => {
    const { id, email } = await newProspect();
    rt.clock.set('2026-11-23T15:00:00Z');

    // Voicemail on the first try: the next attempt is planned, with a reminder that promises the one after.
    const vm1 = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'voicemail' });
    expect(vm1.status).toBe(201);
    expect(vm1.body.nextAttemptAt).toBe(vm1.body.plan[0].dueAt);
    expect(vm1.body.nextAttemptAtLocal).toMatch(/^2026-11-24T(09:[345]\d|1[01]:\d\d):00-05:00$/);
    const reminder2 = vm1.body.plan[0] as TouchView;
    expect(reminder2).toMatchObject({ kind: 'rep_reminder', attempt: 2, status: 'scheduled' });

    let agenda = await rt.call('GET', '/v1/followups?from=2026-11-23T00:00:00Z&to=2026-12-31T00:00:00Z');
    expect(agenda.body.touches.map((t: TouchView) => t.id)).toContain(reminder2.id);

    // The reminder fires at the attempt's time, and its script promises the next try.
    await rt.fireUntil(reminder2.dueAt);
    const sheets = await rt.inbox(repEmail);
    const sheet = sheets[sheets.length - 1]!;
    expect(sheet.subject).toContain('Pat Prospect');
    const promised = reminder2.promiseAt!;
    const promisedLocal = DateTime.fromISO(promised).setZone('America/New_York');
    expect(sheet.body.text).toContain(`${promisedLocal.toFormat('cccc')} at ${promisedLocal.toFormat('h:mm a')} EST`);

    // Voicemail again on that attempt: the plan keeps exactly the promise the script made.
    rt.clock.set(new Date(Date.parse(reminder2.dueAt) + 4 * 60_000));
    const vm2 = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'voicemail' });
    expect(vm2.body.nextAttemptAt).toBe(promised);
    expect(vm2.body.plan[0]).toMatchObject({ kind: 'rep_reminder', attempt: 3, dueAt: promised });

    // Reached, but stalled: the pending retry is superseded and a default follow-up planned.
    const stalled = await rt.call('POST', `/v1/prospects/${id}/calls`, {
      outcome: 'stalled',
      stallReason: 'waiting_on_customer',
      discussed: 'pricing for two plants',
      whatHappensNext: 'asks their customer',
      sendRecap: false,
    });
    expect(stalled.status).toBe(201);
    const afterStall = await touches(id);
    expect(afterStall.find((t) => t.id === vm2.body.plan[0].id)).toMatchObject({ status: 'cancelled', reason: expect.stringContaining('superseded by the stalled call') });
    expect((await pending(id)).map((t) => t.kind)).toEqual(['rep_reminder']);

    // A callback is agreed: recap now, materials before, reminder at the minute.
    const agreed = await rt.call('POST', `/v1/prospects/${id}/calls`, {
      outcome: 'callback_agreed',
      callbackAt: '2026-12-03T14:00',
      materials: [{ title: 'Two-plant quote', url: 'https://example.com/two' }],
    });
    expect(agreed.status).toBe(201);
    expect(agreed.body.plan.map((t: TouchView) => [t.kind, t.dueAtLocal])).toEqual([
      ['recap', expect.stringMatching(/-05:00$/)],
      ['resend_materials', '2026-12-03T13:50:00-05:00'],
      ['rep_reminder', '2026-12-03T14:00:00-05:00'],
    ]);
    expect((await pending(id)).map((t) => t.kind)).toEqual(['recap', 'resend_materials', 'rep_reminder']);
    await rt.fireNow();
    expect((await rt.inbox(email)).map((e) => e.subject)).toContainEqual(expect.stringMatching(/^Recap of our call/));

    // Won: everything pending is cancelled, schedules deleted, nothing more goes out.
    const won = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'won' });
    expect(won.status).toBe(201);
    expect(won.body.plan).toEqual([]);
    const final = await rt.call('GET', `/v1/prospects/${id}`);
    expect(final.body.prospect.status).toBe('closed');
    expect(final.body.calls.map((c: { outcome: string }) => c.outcome)).toEqual(['voicemail', 'voicemail', 'stalled', 'callback_agreed', 'won']);
    expect(final.body.touches.filter((t: TouchView) => t.status === 'scheduled')).toEqual([]);
    const ids = new Set(final.body.touches.map((t: TouchView) => `touch-${t.id}`));
    expect([...scheduledNames()].filter((name) => ids.has(name))).toEqual([]);
    const inboxBefore = (await rt.inbox(email)).length;
    await rt.fireUntil('2026-12-31T00:00:00Z');
    expect(await rt.inbox(email)).toHaveLength(inboxBefore);
    agenda = await rt.call('GET', '/v1/followups?from=2026-11-23T00:00:00Z&to=2027-01-31T00:00:00Z');
    expect(agenda.body.touches.filter((t: TouchView & { prospectId: string }) => t.prospectId === id)).toEqual([]);
  });

  it('runs a cadence to its end: final email to the prospect, the rep told, status exhausted', async () => {
    rt.clock.set('2026-11-23T15:00:00Z');
    const { id, email } = await newProspect();
    let last: { body: { plan: TouchView[]; nextAttemptAt?: string } } | undefined;
    for (let i = 0; i < 7; i++) {
      last = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: i % 2 ? 'no_answer' : 'voicemail' });
      if (last.body.nextAttemptAt) rt.clock.set(new Date(Date.parse(last.body.nextAttemptAt) + 60_000));
    }
    expect(last!.body.plan.map((t) => t.kind)).toEqual(['final_email', 'rep_notice']);
    expect((await rt.call('GET', `/v1/prospects/${id}`)).body.prospect.status).toBe('exhausted');
    // Due now, so set 30 s ahead on Scheduler (it takes only future times).
    await rt.fireUntil(new Date(Date.parse(last!.body.plan[0]!.dueAt) + 31_000));
    expect((await rt.inbox(email)).map((e) => e.subject)).toEqual([expect.stringMatching(/close your file/)]);
    expect((await rt.inbox(repEmail)).map((e) => e.subject)).toContainEqual(`Pat Prospect ${n}: follow-up cadence ended`);

    // One more try logged after the end: recorded, and no second last email.
    const again = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'voicemail' });
    expect(again.status).toBe(201);
    expect(again.body.plan).toEqual([]);
    expect(again.body.skipped).toEqual([{ kind: 'final_email', reason: 'cadence_ended', message: expect.stringContaining('already ended') }]);
    await rt.fireUntil(new Date(Date.parse(last!.body.plan[0]!.dueAt) + 7 * 24 * 3600_000));
    expect(await rt.inbox(email)).toHaveLength(1);
  });

  it('reschedules a touch (its schedule replaced) and cancels one (its schedule deleted)', async () => {
    rt.clock.set('2026-11-23T15:00:00Z');
    const { id } = await newProspect();
    const res = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-30T15:00:00Z', sendRecap: false, materials: [{ title: 'Q', url: 'https://example.com/q' }] });
    const [resend, reminder] = res.body.plan as TouchView[];

    const moved = await rt.call('PATCH', `/v1/touches/${reminder!.id}`, { dueAt: '2026-12-01T11:30' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ dueAt: '2026-12-01T16:30:00Z', dueAtLocal: '2026-12-01T11:30:00-05:00', status: 'scheduled' });
    const schedule = rt.aws.scheduler.list().find((s) => s.name === `touch-${reminder!.id}`)!;
    // A reminder's schedule is a minute ahead of it (core/on-time.ts).
    expect(new Date(schedule.at).toISOString()).toBe('2026-12-01T16:29:00.000Z');
    // The script's promise moves with the attempt, and so does the prospect's next attempt.
    expect(moved.body.promiseAt).not.toBe(reminder!.promiseAt);
    expect(moved.body.promiseAtLocal).toMatch(/^2026-12-02T/);
    expect((await rt.call('GET', `/v1/prospects/${id}`)).body.prospect.attemptDueAt).toBe('2026-12-01T16:30:00Z');

    expect((await rt.call('PATCH', `/v1/touches/${reminder!.id}`, { dueAt: '2026-11-01T10:00:00Z' })).status).toBe(422);
    expect((await rt.call('PATCH', `/v1/touches/${reminder!.id}`, { dueAt: '2026-12-01T11:30' }, { repId: 'rep-2' })).status).toBe(404);
    expect((await rt.call('PATCH', `/v1/touches/${reminder!.id}`, { dueAt: '2026-03-08T02:30' })).body.error.code).toBe('nonexistent_local_time');

    const cancelled = await rt.call('DELETE', `/v1/touches/${resend!.id}`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', reason: 'cancelled by the rep' });
    expect(scheduledNames().has(`touch-${resend!.id}`)).toBe(false);
    expect((await rt.call('DELETE', `/v1/touches/${resend!.id}`)).body.status).toBe('cancelled');
    expect((await rt.call('PATCH', `/v1/touches/${resend!.id}`, { dueAt: '2026-12-01T10:00' })).status).toBe(422);

    // A stale delivery of the old schedule (made for the old time) does nothing.
    rt.clock.set('2026-11-30T15:00:00Z');
    const stale = await rt.handlers.fire({ v: 1, touchId: reminder!.id, repId: 'rep-1', prospectId: id, dueAt: reminder!.dueAt });
    expect(stale).toMatchObject({ result: 'ignored', reason: expect.stringContaining('rescheduled') });
  });

  it('answers the same Idempotency-Key and body with the first result, and another body with 409', async () => {
    rt.clock.set('2026-11-23T15:00:00Z');
    const { id } = await newProspect();
    const body = { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00:00Z', sendRecap: false };
    const headers = { 'idempotency-key': `k-${id}` };
    const first = await rt.call('POST', `/v1/prospects/${id}/calls`, body, { headers });
    const schedulesAfterFirst = rt.aws.scheduler.list().length;
    const again = await Promise.all([1, 2, 3].map(() => rt.call('POST', `/v1/prospects/${id}/calls`, body, { headers })));

    expect(first.status).toBe(201);
    for (const r of again) {
      expect(r.status).toBe(201);
      expect(r.body).toEqual(first.body);
    }
    expect((await rt.call('GET', `/v1/prospects/${id}`)).body.calls).toHaveLength(1);
    expect(rt.aws.scheduler.list()).toHaveLength(schedulesAfterFirst);

    const other = await rt.call('POST', `/v1/prospects/${id}/calls`, { ...body, callbackAt: '2026-11-26T15:00:00Z' }, { headers });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
  });

  it('records 20 outcomes posted at once: 20 calls, one consistent plan, no orphan schedule', async () => {
    rt.clock.set('2026-11-23T15:00:00Z');
    const { id } = await newProspect();
    const outcomes = Array.from({ length: 20 }, (_, i) =>
      i % 3 === 0
        ? { outcome: 'callback_agreed', callbackAt: `2026-12-0${1 + (i % 5)}T15:00:00Z`, sendRecap: false }
        : { outcome: i % 3 === 1 ? 'voicemail' : 'no_answer' },
    );

    const results = await Promise.all(outcomes.map((o) => rt.call('POST', `/v1/prospects/${id}/calls`, o)));

    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const bundle = (await rt.call('GET', `/v1/prospects/${id}`)).body;
    expect(bundle.calls).toHaveLength(20);
    expect(bundle.prospect.version).toBe(21);
    // Exactly the plan of the last recorded call is pending; everything else was superseded.
    const lastCall = bundle.calls[bundle.calls.length - 1];
    const live = (bundle.touches as (TouchView & { callId?: string })[]).filter((t) => t.status === 'scheduled');
    const lastPlan = results.find((r) => r.body.call.id === lastCall.id)!.body.plan as TouchView[];
    expect(live.map((t) => t.id).sort()).toEqual(lastPlan.map((t) => t.id).sort());
    expect(bundle.touches.filter((t: TouchView) => !['scheduled', 'cancelled'].includes(t.status))).toEqual([]);
    // Schedules match the pending touches one for one: no orphans.
    const mine = new Set((bundle.touches as TouchView[]).map((t) => `touch-${t.id}`));
    const schedules = [...scheduledNames()].filter((name) => mine.has(name)).sort();
    expect(schedules).toEqual(live.map((t) => `touch-${t.id}`).sort());
  });

  it('reads local wall times in the prospect’s zone and refuses skipped or doubled ones', async () => {
    rt.clock.set('2026-02-20T15:00:00Z');
    const { id } = await newProspect();
    const wall = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-03-09T09:15', sendRecap: false });
    expect(wall.body.call.callbackAt).toBe('2026-03-09T13:15:00Z');

    const skipped = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-03-08T02:30' });
    expect(skipped.status).toBe(422);
    expect(skipped.body.error).toMatchObject({ code: 'nonexistent_local_time', message: expect.stringContaining('does not exist in America/New_York') });

    const doubled = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: '2026-11-01T01:30' });
    expect(doubled.status).toBe(422);
    expect(doubled.body.error).toMatchObject({ code: 'ambiguous_local_time', message: expect.stringContaining('-04:00 or -05:00') });
  });

  it('lists only the rep’s own pending touches, by due time, within the window', async () => {
    // A rep of its own: the 20-at-once test leaves whichever plan committed last pending for rep-1,
    // which can fall in this window.
    rt.clock.set('2026-11-23T15:00:00Z');
    const me = { repId: 'rep-agenda' };
    await rt.call('PUT', '/v1/reps/me', { name: 'Agnes Agenda', email: uniqueEmail('agenda'), timezone: 'America/New_York', reminderChannel: 'email' }, me);
    const agreeAt = async (callbackAt: string) => {
      const id = `p-${++n}`;
      const created = await rt.call('POST', '/v1/prospects', { id, name: `Pat Prospect ${n}`, email: uniqueEmail(id), timezone: 'America/New_York', country: 'US' }, me);
      expect(created.status).toBe(201);
      expect((await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt, sendRecap: false }, me)).status).toBe(201);
      return n;
    };
    const later = await agreeAt('2026-12-14T20:00:00Z');
    const earlier = await agreeAt('2026-12-14T15:00:00Z');
    await rt.call('PUT', '/v1/reps/me', { name: 'Other', email: uniqueEmail('o'), timezone: 'Europe/London', reminderChannel: 'email' }, { repId: 'rep-9' });

    const window = await rt.call('GET', '/v1/followups?from=2026-12-14T00:00:00Z&to=2026-12-15T00:00:00Z', undefined, me);
    expect(window.status).toBe(200);
    expect(window.body.touches.map((t: TouchView & { prospectName: string }) => [t.kind, t.dueAt, t.prospectName])).toEqual([
      ['rep_reminder', '2026-12-14T15:00:00Z', `Pat Prospect ${earlier}`],
      ['rep_reminder', '2026-12-14T20:00:00Z', `Pat Prospect ${later}`],
    ]);
    // Outside the window: nothing.
    expect((await rt.call('GET', '/v1/followups?from=2026-12-15T00:00:00Z&to=2026-12-16T00:00:00Z', undefined, me)).body.touches).toEqual([]);
    expect((await rt.call('GET', '/v1/followups?from=2026-12-14T00:00:00Z&to=2026-12-15T00:00:00Z', undefined, { repId: 'rep-9' })).body.touches).toEqual([]);
    expect((await rt.call('GET', '/v1/followups?from=2026-12-15T00:00:00Z&to=2026-12-14T00:00:00Z', undefined, me)).status).toBe(400);
    expect((await rt.call('GET', '/v1/followups?from=yesterday', undefined, me)).status).toBe(400);
  });
});
