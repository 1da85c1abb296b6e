import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, RuleError } from '../../../functions/core/errors.js';
import type { CallInput, Touch } from '../../../functions/core/schemas.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { updateProspect } from '../../../functions/use-cases/update-prospect.js';
import { saveRep } from '../../../functions/use-cases/save-rep.js';
import { RepCache } from '../../../functions/use-cases/support/rep-cache.js';
import { aProspect, aRep, aTouch, REP_ID, seeded, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

const record = (deps: FakeDeps, call: CallInput, idempotencyKey?: string) =>
  recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call, ...(idempotencyKey ? { idempotencyKey } : {}) });
const local = (iso: string, zone = 'America/New_York') => DateTime.fromISO(iso).setZone(zone);
const byKind = (touches: Touch[]) => Object.fromEntries(touches.map((t) => [t.kind, t]));
const QUOTE = [{ title: 'Quote Q-1042', url: 'https://files.example/q-1042.pdf' }];
const AGREED: CallInput = { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00', materials: QUOTE, hotButtons: ['uptime'] };

describe('recordCall', () => {
  it('plans a recap now, the materials 10 minutes before the agreed callback and the reminder at it', async () => {
    // Prepare
    const deps = useCaseDeps();
    await seeded(deps);
    // Act
    const result = await record(deps, AGREED);
    // Assess
    const { recap, resend_materials: resend, rep_reminder: reminder } = byKind(result.touches);
    expect(result.touches.map((t) => t.kind)).toEqual(['recap', 'resend_materials', 'rep_reminder']);
    expect(recap).toMatchObject({ dueAt: '2026-11-23T15:00:00Z', recipient: 'prospect', status: 'scheduled', callbackAt: '2026-11-25T20:00:00Z' });
    expect(resend).toMatchObject({ dueAt: '2026-11-25T19:50:00Z', recipient: 'prospect' });
    expect(reminder).toMatchObject({ dueAt: '2026-11-25T20:00:00Z', recipient: 'rep', attempt: 1, channel: 'email' });
    // The promise is the next business morning after the callback: Thanksgiving (Thu) skipped.
    const promise = local(reminder!.promiseAt!);
    expect(promise.toISODate()).toBe('2026-11-27');
    expect(promise.hour * 60 + promise.minute).toBeGreaterThanOrEqual(9 * 60 + 30);
    expect(promise.hour * 60 + promise.minute).toBeLessThan(11 * 60 + 30);
    expect(result.call).toMatchObject({ outcome: 'callback_agreed', at: '2026-11-23T15:00:00Z', callbackAt: '2026-11-25T20:00:00Z', materials: QUOTE });
    expect(result.nextAttemptAt).toBeUndefined();
    const prospect = await deps.store.getProspect(REP_ID, 'p-dana');
    expect(prospect).toMatchObject({ version: 2, status: 'active', attempts: 0, callbackAt: '2026-11-25T20:00:00Z', attemptDueAt: '2026-11-25T20:00:00Z', lastCallId: result.call.id });
    expect(prospect!.hotButtons).toEqual(['uptime', 'cost_savings']);
    expect(deps.store.allCalls()).toEqual([result.call]);
  });

  it('creates one schedule per touch, at its time (a rep reminder’s a minute ahead), with the payload the fire handler reads', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const result = await record(deps, AGREED);
    expect([...deps.scheduler.schedules.keys()].sort()).toEqual(result.touches.map((t) => `touch-${t.id}`).sort());
    expect(result.touches.map((t) => t.kind).sort()).toEqual(['recap', 'rep_reminder', 'resend_materials']);
    for (const t of result.touches) {
      const schedule = deps.scheduler.schedules.get(`touch-${t.id}`)!;
      const lead = t.kind === 'rep_reminder' ? 60_000 : 0;
      expect(schedule.at.getTime()).toBe(Date.parse(t.dueAt) - lead);
      expect(schedule.payload).toEqual({ v: 1, touchId: t.id, repId: REP_ID, prospectId: 'p-dana', dueAt: t.dueAt });
    }
  });

  it.each([
    ['needs_review', '2026-11-24T15:00:00Z'],
    ['price', '2026-11-24T15:00:00Z'],
    ['waiting_on_customer', '2026-11-25T15:00:00Z'],
    ['decision_maker', '2026-11-25T15:00:00Z'],
    ['comparing', '2026-11-25T15:00:00Z'],
    ['cooled_off', '2026-11-27T15:00:00Z'], // three business days, Thanksgiving not one of them
  ] as const)('stalled on %s with no time agreed follows up at %s, with no recap', async (stallReason, expected) => {
    const deps = useCaseDeps();
    await seeded(deps);
    const result = await record(deps, { outcome: 'stalled', stallReason, materials: QUOTE });
    expect(result.touches.map((t) => [t.kind, t.dueAt])).toEqual([
      ['resend_materials', DateTime.fromISO(expected).minus({ minutes: 10 }).toUTC().toISO({ suppressMilliseconds: true })],
      ['rep_reminder', expected],
    ]);
    expect(result.call.callbackAt).toBe(expected);
  });

  it('counts business days where the prospect is: a London prospect has no Thanksgiving', async () => {
    const deps = useCaseDeps();
    await seeded(deps, {}, { timezone: 'Europe/London', country: 'GB' });
    const result = await record(deps, { outcome: 'stalled', stallReason: 'cooled_off' });
    expect(result.touches.map((t) => [t.kind, t.dueAt])).toEqual([['rep_reminder', '2026-11-26T15:00:00Z']]);
    expect(result.timezone).toBe('Europe/London');
  });

  it('after voicemail plans the next attempt, and the next voicemail keeps the promise the script made', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const first = await record(deps, { outcome: 'voicemail' });
    const [reminder, note] = first.touches;
    expect(first.touches).toHaveLength(2);
    expect(reminder).toMatchObject({ kind: 'rep_reminder', recipient: 'rep', attempt: 2, dueAt: first.nextAttemptAt });
    // The note after the voicemail on attempt 1 goes 5 minutes later and names the same next try.
    expect(note).toMatchObject({ kind: 'voicemail_email', recipient: 'prospect', channel: 'email', attempt: 1, dueAt: '2026-11-23T15:05:00Z', promiseAt: first.nextAttemptAt });
    const next = local(first.nextAttemptAt!);
    expect(next.toISODate()).toBe('2026-11-24');
    expect(next.minute % 15).toBe(0);
    expect(next.hour * 60 + next.minute).toBeGreaterThanOrEqual(9 * 60 + 30);
    expect(next.hour * 60 + next.minute).toBeLessThan(11 * 60 + 30);
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toMatchObject({ attempts: 1, attemptDueAt: first.nextAttemptAt });
    // Act: the rep calls at that attempt and gets voicemail again.
    deps.clock.set(next.plus({ minutes: 2 }).toJSDate());
    const second = await record(deps, { outcome: 'no_answer' });
    // Assess: what the voicemail promised is what got planned; no answer leaves no message to follow up.
    expect(second.nextAttemptAt).toBe(reminder!.promiseAt);
    expect(second.touches).toHaveLength(1);
    expect(second.touches[0]).toMatchObject({ kind: 'rep_reminder', attempt: 3, dueAt: reminder!.promiseAt });
    const promised = local(reminder!.promiseAt!);
    expect(promised.toISODate()).toBe('2026-11-27'); // two business days on, past Thanksgiving
    expect(promised.hour).toBeGreaterThanOrEqual(14); // attempts alternate morning and afternoon
  });

  it('ends the cadence after the last attempt: a final email, the rep told, the prospect exhausted', async () => {
    const deps = useCaseDeps();
    await seeded(deps, {}, { attempts: 6, attemptDueAt: '2026-11-23T14:45:00Z' });
    const result = await record(deps, { outcome: 'voicemail' });
    expect(result.touches.map((t) => [t.kind, t.recipient, t.dueAt])).toEqual([
      ['final_email', 'prospect', '2026-11-23T15:00:00Z'],
      ['rep_notice', 'rep', '2026-11-23T15:00:00Z'],
    ]);
    expect(result.nextAttemptAt).toBeUndefined();
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toMatchObject({ status: 'exhausted', attempts: 7 });
  });

  it('won cancels every pending touch, deletes their schedules and closes the prospect', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const agreed = await record(deps, AGREED);
    const won = await record(deps, { outcome: 'won' });
    expect(won.touches).toEqual([]);
    for (const t of deps.store.allTouches()) {
      expect(t).toMatchObject({ status: 'cancelled', reason: `superseded by the won call ${won.call.id}` });
    }
    expect(deps.store.allTouches()).toHaveLength(3);
    expect(deps.scheduler.schedules.size).toBe(0);
    expect(deps.scheduler.deleted.sort()).toEqual(agreed.touches.map((t) => `touch-${t.id}`).sort());
    const prospect = await deps.store.getProspect(REP_ID, 'p-dana');
    expect(prospect).toMatchObject({ status: 'closed', version: 3 });
    expect(prospect!.callbackAt).toBeUndefined();
    expect(prospect!.attemptDueAt).toBeUndefined();
  });

  it('supersedes only pending touches: what was sent stays sent', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const sent = aTouch({ kind: 'recap', recipient: 'prospect', status: 'sent', sentAt: '2026-11-20T15:00:00Z', dueAt: '2026-11-20T15:00:00Z' });
    const pending = aTouch({ dueAt: '2026-11-24T15:00:00Z' });
    deps.store.seedTouch(sent);
    deps.store.seedTouch(pending);
    const result = await record(deps, { outcome: 'stalled', stallReason: 'price' });
    expect(await deps.store.getTouch(REP_ID, 'p-dana', sent.id)).toEqual(sent);
    expect(await deps.store.getTouch(REP_ID, 'p-dana', pending.id)).toMatchObject({ status: 'cancelled', reason: `superseded by the stalled call ${result.call.id}` });
    expect(deps.scheduler.deleted).toEqual([`touch-${pending.id}`]);
  });

  it('plans no email to a suppressed address, only the reminder', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    await deps.store.addSuppression({ email: 'dana@northwind.example', reason: 'bounced', at: '2026-11-01T00:00:00Z' });
    const result = await record(deps, AGREED);
    expect(result.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
  });

  it('answers the same Idempotency-Key and body with the first result, scheduling nothing more', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const first = await record(deps, AGREED, 'key-1');
    deps.clock.advance(60_000);
    const again = await record(deps, { ...AGREED }, 'key-1');
    expect(again).toEqual(first);
    expect(deps.store.allCalls()).toHaveLength(1);
    expect(deps.scheduler.created).toHaveLength(3);
    await expect(record(deps, { ...AGREED, callbackAt: '2026-11-25T16:00' }, 'key-1')).rejects.toMatchObject({
      constructor: ConflictError,
      code: 'idempotency_key_reused',
    });
  });

  // Known bug (reported to the lead): the idempotency record is written before the schedules are
  // made, so a replay says "scheduled" for a touch the first answer reported failed.
  it('answers a replay with the first result, a touch that could not be scheduled included', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    deps.scheduler.failNext('create');
    const first = await record(deps, { outcome: 'voicemail' }, 'key-3');
    expect(first.touches[0]).toMatchObject({ status: 'failed' });
    expect(await record(deps, { outcome: 'voicemail' }, 'key-3')).toEqual(first);
  });

  it('replays the winner when a request with the same key commits first', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    let winner: Awaited<ReturnType<typeof record>> | undefined;
    deps.store.hooks.interleave('commitOutcome', async () => {
      winner = await record(deps, AGREED, 'key-2');
    });
    const result = await record(deps, AGREED, 'key-2');
    expect(result.call.id).toBe(winner!.call.id);
    expect(deps.store.allCalls()).toHaveLength(1);
    expect(deps.store.allTouches().filter((t) => t.status === 'scheduled')).toHaveLength(3);
  });

  it('reloads and replans when another write moved the prospect on', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    deps.store.hooks.interleave('commitOutcome', () => updateProspect(deps, REP_ID, 'p-dana', { company: 'Northwind Holdings' }));
    const result = await record(deps, AGREED);
    const prospect = await deps.store.getProspect(REP_ID, 'p-dana');
    expect(prospect).toMatchObject({ version: 3, company: 'Northwind Holdings', lastCallId: result.call.id });
    expect(deps.store.allCalls().map((c) => c.id)).toEqual([result.call.id]);
    expect(deps.store.allTouches().map((t) => t.id)).toEqual(result.touches.map((t) => t.id));
  });

  it('never cancels a touch that went out while the call was being recorded', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const due = aTouch({ kind: 'recap', recipient: 'prospect' });
    deps.store.seedTouch(due);
    deps.store.hooks.interleave('commitOutcome', () => deps.store.updateTouch(due, { status: 'sent', sentAt: '2026-11-23T15:00:00Z', messageId: 'm-1' }, 'scheduled'));
    const result = await record(deps, { outcome: 'won' });
    expect(await deps.store.getTouch(REP_ID, 'p-dana', due.id)).toMatchObject({ status: 'sent', messageId: 'm-1' });
    expect(deps.store.allCalls().map((c) => c.id)).toEqual([result.call.id]);
    expect(await deps.store.getProspect(REP_ID, 'p-dana')).toMatchObject({ status: 'closed', version: 2 });
    expect(deps.scheduler.deleted).toEqual([]);
  });

  it('leaves a touch whose schedule cannot be made failed, saying why', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    deps.scheduler.failNext('create', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const result = await record(deps, { outcome: 'voicemail' });
    const reason = 'could not be scheduled; post the outcome again or reschedule it';
    const [reminder, note] = result.touches;
    expect(reminder).toMatchObject({ kind: 'rep_reminder', status: 'failed', reason });
    expect(await deps.store.getTouch(REP_ID, 'p-dana', reminder!.id)).toMatchObject({ status: 'failed', reason });
    // Only the reminder's schedule failed: the note's was made and it stays pending.
    expect(note).toMatchObject({ kind: 'voicemail_email', status: 'scheduled' });
    expect([...deps.scheduler.schedules.keys()]).toEqual([`touch-${note!.id}`]);
  });

  it('leaves no schedule behind when a later outcome superseded the plan while it was being scheduled', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    deps.scheduler.hooks.interleave('create', () => record(deps, { outcome: 'not_interested' }));
    await record(deps, AGREED);
    expect(deps.store.allTouches().map((t) => t.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(deps.scheduler.schedules.size).toBe(0);
  });

  it('refuses a callback in the past, an unknown prospect and a rep with no profile, recording nothing', async () => {
    const deps = useCaseDeps();
    await expect(record(deps, AGREED)).rejects.toBeInstanceOf(NotFoundError);
    await deps.store.createProspect(aProspect());
    await expect(record(deps, AGREED)).rejects.toMatchObject({ code: 'rep_profile_missing' });
    await deps.store.putRep(aRep());
    const past = record(deps, { outcome: 'callback_agreed', callbackAt: '2026-11-23T09:00' });
    await expect(past).rejects.toBeInstanceOf(RuleError);
    await expect(past).rejects.toMatchObject({ code: 'callback_in_past' });
    expect(deps.store.allCalls()).toEqual([]);
    expect(deps.scheduler.created).toEqual([]);
  });
});

describe('recordCall: schedules checked in one read', () => {
  it('writes every schedule, then reads the touches back once, not once each', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    let reads = 0;
    let single = 0;
    const getTouches = deps.store.getTouches.bind(deps.store);
    const getTouch = deps.store.getTouch.bind(deps.store);
    deps.store.getTouches = (...args) => (reads++, getTouches(...args));
    deps.store.getTouch = (...args) => (single++, getTouch(...args));
    const result = await record(deps, AGREED);
    expect(result.touches).toHaveLength(3);
    expect({ reads, single }).toEqual({ reads: 1, single: 0 });
    expect([...deps.scheduler.schedules.keys()].sort()).toEqual(result.touches.map((t) => `touch-${t.id}`).sort());
  });

  it('follows a writer that cancelled a touch between the schedule writes and the read: its schedule goes', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    // Another writer's commit lands after this call wrote the schedules (its own schedule delete came first).
    deps.store.hooks.interleave('getTouches', async () => {
      const reminder = (await deps.store.getProspectBundle(REP_ID, 'p-dana'))!.touches.find((t) => t.kind === 'rep_reminder')!;
      await deps.store.updateTouch(reminder, { status: 'cancelled', reason: 'cancelled by the rep' }, 'scheduled');
    });
    const result = await record(deps, AGREED);
    const reminder = result.touches.find((t) => t.kind === 'rep_reminder')!;
    expect(deps.scheduler.schedules.has(`touch-${reminder.id}`)).toBe(false);
    const others = result.touches.filter((t) => t.kind !== 'rep_reminder');
    for (const t of others) expect(deps.scheduler.schedules.has(`touch-${t.id}`)).toBe(true);
  });
});

describe('recordCall: the address checked in the commit', () => {
  it('reads no suppression entry for an address that is not suppressed: the commit checks it', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    let reads = 0;
    const getSuppression = deps.store.getSuppression.bind(deps.store);
    deps.store.getSuppression = (...args) => (reads++, getSuppression(...args));
    const result = await record(deps, AGREED);
    expect(result.touches.map((t) => t.kind)).toEqual(['recap', 'resend_materials', 'rep_reminder']);
    expect(reads).toBe(0);
  });

  it('plans again without the email when the address is suppressed between the plan and the commit, and says why', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    // An unsubscribe lands while the outcome is being planned.
    deps.store.hooks.interleave('commitOutcome', () => deps.store.addSuppression({ email: 'Dana@Northwind.example', reason: 'unsubscribed', at: '2026-11-23T15:00:00Z' }));
    const result = await record(deps, AGREED);
    expect(result.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
    expect(result.skipped.map((s) => [s.kind, s.reason])).toEqual([
      ['recap', 'unsubscribed'],
      ['resend_materials', 'unsubscribed'],
    ]);
    expect(deps.store.allCalls()).toHaveLength(1);
    expect(deps.scheduler.created.map((s) => s.name)).toEqual([`touch-${result.touches[0]!.id}`]);
  });
});

describe('recordCall with the api\'s rep cache', () => {
  it('plans with the rep as just saved, not as cached before', async () => {
    const deps = { ...useCaseDeps(), reps: new RepCache(30_000) };
    await seeded(deps);
    const before = await record(deps, { outcome: 'voicemail' });
    expect(before.touches.find((t) => t.kind === 'rep_reminder')).toMatchObject({ channel: 'email' });
    const rep = (await deps.store.getRep(REP_ID))!;
    await saveRep(deps, REP_ID, { name: rep.name, email: rep.email, phone: '+15551230000', timezone: rep.timezone, reminderChannel: 'sms' });
    deps.clock.advance(1000);
    const after = await record(deps, { outcome: 'voicemail' });
    expect(after.touches.find((t) => t.kind === 'rep_reminder')).toMatchObject({ channel: 'sms' });
  });
});

describe('recordCall: the read after the schedule writes fails', () => {
  it('checks each touch alone instead, and every schedule stands', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    deps.store.hooks.failNext('getTouches', Object.assign(new Error('Internal server error'), { name: 'InternalServerError' }));
    const result = await record(deps, AGREED);
    expect(result.touches.map((t) => t.status)).toEqual(['scheduled', 'scheduled', 'scheduled']);
    expect([...deps.scheduler.schedules.keys()].sort()).toEqual(result.touches.map((t) => `touch-${t.id}`).sort());
  });
});
