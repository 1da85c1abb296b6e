/**
 * Races on the local runtime, many bounded rounds each, through the HTTP API as a console would
 * send them: concurrent reschedules of one reminder, and reschedules racing a new outcome. After
 * every round the touch, its schedule and the prospect agree, and nothing is left without a
 * schedule or scheduled for nothing; then every reminder goes out, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { scheduleTime } from '../../functions/core/on-time.js';
import type { Touch } from '../../functions/core/schemas.js';
import { LOCAL_SCHEDULE_GROUP } from '../../functions/local/runtime.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const RESCHEDULE_ROUNDS = 40;
const OUTCOME_ROUNDS = 16;

/** What disagrees about one prospect's touches and their schedules; empty when all is in step. */
type Mismatch = { touchId: string; problem: string };

describe('races', () => {
  let rt: TestRuntime;
  let store: DynamoStore;
  const repEmail = uniqueEmail('rep');
  let n = 0;

  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

  async function callbackAgreed(minutes: number) {
    const id = `r-${++n}`;
    const created = await rt.call('POST', '/v1/prospects', { id, name: `Riley Prospect ${n}`, email: uniqueEmail(id), phone: '+15557654321', timezone: 'America/New_York', country: 'US' });
    expect(created.status).toBe(201);
    const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: iso(rt.clock.now().getTime() + minutes * MINUTE), sendRecap: false });
    expect(posted.status).toBe(201);
    const reminder = posted.body.plan.find((t: { kind: string }) => t.kind === 'rep_reminder') as { id: string; dueAt: string };
    return { id, reminder };
  }

  /** Every scheduled touch of the prospect has a schedule for its time, and every schedule of its touches a scheduled touch. */
  function mismatches(touches: Touch[]): Mismatch[] {
    const schedules = new Map(rt.aws.scheduler.list().filter((s) => s.group === LOCAL_SCHEDULE_GROUP).map((s) => [s.name, s]));
    const found: Mismatch[] = [];
    for (const t of touches) {
      const schedule = schedules.get(`touch-${t.id}`);
      if (t.status !== 'scheduled') {
        if (schedule) found.push({ touchId: t.id, problem: `orphan schedule: the touch is ${t.status}` });
        continue;
      }
      if (!schedule) {
        found.push({ touchId: t.id, problem: 'scheduled touch without a schedule' });
        continue;
      }
      const payload = JSON.parse(schedule.input) as { dueAt?: string };
      if (payload.dueAt !== t.dueAt) found.push({ touchId: t.id, problem: `schedule payload says ${payload.dueAt}, the touch ${t.dueAt}` });
      // Its time: a rep reminder's a minute ahead (core/on-time.ts), and no sooner than Scheduler takes (30 s from now).
      const expected = Math.max(scheduleTime(t).getTime(), Math.ceil((rt.clock.now().getTime() + 30 * SECOND) / SECOND) * SECOND);
      if (schedule.dueAt.getTime() !== expected) found.push({ touchId: t.id, problem: `schedule fires at ${schedule.dueAt.toISOString()}, the touch is due ${t.dueAt}` });
    }
    return found;
  }

  beforeAll(async () => {
    rt = await testRuntime({ start: START });
    store = new DynamoStore({ client: rt.dynamo, tableName: rt.env.TABLE_NAME! });
    await rt.call('PUT', '/v1/reps/me', { name: 'Rae Rep', email: repEmail, phone: '+15551230000', timezone: 'America/New_York', reminderChannel: 'email' });
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it(`keeps the touch, its schedule and the prospect in step under 8 concurrent reschedules (${RESCHEDULE_ROUNDS} rounds), and every reminder goes out once`, { timeout: 300_000 }, async () => {
    rt.clock.set(START);
    const rounds: { id: string; reminderId: string; accepted: string[] }[] = [];
    const problems: string[] = [];
    for (let round = 0; round < RESCHEDULE_ROUNDS; round++) {
      // Prepare: a callback agreed ten minutes out.
      const { id, reminder } = await callbackAgreed(10);

      // Act: 8 reschedules at once, to now + 40 s + k·5 s.
      const base = rt.clock.now().getTime();
      const answers = await Promise.all(Array.from({ length: 8 }, (_, k) => rt.call('PATCH', `/v1/touches/${reminder.id}`, { dueAt: iso(base + 40 * SECOND + k * 5 * SECOND) })));

      // Assess: each answered 200 or 409; the touch is at an accepted time, and its schedule and the prospect agree.
      const odd = answers.map((a) => a.status).filter((s) => s !== 200 && s !== 409);
      if (odd.length) problems.push(`round ${round}: answers ${odd.join(', ')}`);
      // A move conditioned on a time another move replaced meanwhile is refused (409), never lost silently.
      const accepted = answers.filter((a) => a.status === 200).map((a) => a.body.dueAt as string);
      if (accepted.length === 0) problems.push(`round ${round}: no reschedule accepted`);
      const bundle = (await store.getProspectBundle('rep-1', id))!;
      const touch = bundle.touches.find((t) => t.id === reminder.id)!;
      if (!accepted.includes(touch.dueAt)) problems.push(`round ${round}: the touch is at ${touch.dueAt}, accepted ${accepted.join(', ')}`);
      for (const m of mismatches(bundle.touches)) problems.push(`round ${round}: ${m.touchId}: ${m.problem}`);
      if (bundle.prospect.attemptDueAt !== touch.dueAt) problems.push(`round ${round}: attemptDueAt ${bundle.prospect.attemptDueAt}, the reminder ${touch.dueAt}`);
      if (bundle.prospect.callbackAt !== touch.dueAt) problems.push(`round ${round}: callbackAt ${bundle.prospect.callbackAt}, the reminder ${touch.dueAt}`);
      rounds.push({ id, reminderId: reminder.id, accepted });
    }

    // Every reminder goes out at its time, once: none is dropped as stale.
    await rt.fireUntil(new Date(Date.parse(START) + 2 * MINUTE));
    const inbox = await rt.inbox(repEmail);
    const lost: string[] = [];
    for (const { id, reminderId } of rounds) {
      const touch = await store.getTouch('rep-1', id, reminderId);
      const sent = inbox.filter((e) => e.subject.includes(`Riley Prospect ${id.slice(2)} `) || e.subject.endsWith(`Riley Prospect ${id.slice(2)}`));
      if (touch?.status !== 'sent' || sent.length !== 1) lost.push(`${id}: ${touch?.status}, ${sent.length} sent`);
    }
    expect({ rounds: new Set(problems.map((p) => p.split(':')[0])).size, problems, lost }).toEqual({ rounds: 0, problems: [], lost: [] });
  });

  it(`leaves no orphan schedule and no touch without one when 5 reschedules race a new outcome (${OUTCOME_ROUNDS} rounds)`, { timeout: 300_000 }, async () => {
    rt.clock.set('2026-11-24T15:00:00Z');
    const problems: string[] = [];
    for (let round = 0; round < OUTCOME_ROUNDS; round++) {
      // Prepare: a callback agreed an hour out.
      const { id, reminder } = await callbackAgreed(60);

      // Act: 5 reschedules of its reminder and a new outcome (a later callback) at once.
      const base = rt.clock.now().getTime();
      const calls = [
        ...Array.from({ length: 5 }, (_, k) => rt.call('PATCH', `/v1/touches/${reminder.id}`, { dueAt: iso(base + 20 * MINUTE + k * 5 * SECOND) })),
        rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: iso(base + 90 * MINUTE), sendRecap: false }),
      ];
      const answers = await Promise.all(calls);

      // Assess: the outcome was recorded; the prospect's touches and schedules agree.
      const odd = answers.map((a) => a.status).filter((s) => ![200, 201, 409, 422].includes(s));
      if (odd.length) problems.push(`round ${round}: answers ${odd.join(', ')}`);
      if (answers[5]!.status !== 201) problems.push(`round ${round}: the outcome answered ${answers[5]!.status}`);
      const bundle = (await store.getProspectBundle('rep-1', id))!;
      for (const m of mismatches(bundle.touches)) problems.push(`round ${round}: ${m.touchId}: ${m.problem}`);
      const current = bundle.touches.filter((t) => t.status === 'scheduled' && t.kind === 'rep_reminder');
      if (current.length !== 1 || current[0]!.dueAt !== bundle.prospect.attemptDueAt) {
        problems.push(`round ${round}: ${current.length} scheduled reminders, attemptDueAt ${bundle.prospect.attemptDueAt}`);
      }
    }
    expect({ rounds: new Set(problems.map((p) => p.split(':')[0])).size, problems }).toEqual({ rounds: 0, problems: [] });
  });
});
