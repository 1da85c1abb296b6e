import { describe, expect, it } from 'vitest';
import { fireTime } from '../../functions/local/aws/schedule-expression.js';
import { EARLY_SLACK_SECONDS, FIRE_TIMEOUT_SECONDS, firedEarly, MAX_WAIT_SECONDS, REMINDER_LEAD_SECONDS, scheduleInStep, scheduleTime, waitBeforeSending } from '../../functions/core/on-time.js';
import { RepCache } from '../../functions/use-cases/support/rep-cache.js';
import { aRep } from '../support/fakes.js';

const reminder = (dueAt: string) => ({ kind: 'rep_reminder' as const, dueAt });

describe('on-time: when a touch is scheduled and how long its fire waits', () => {
  it('schedules a rep reminder a minute ahead and anything else at its time', () => {
    expect(scheduleTime(reminder('2026-11-25T20:00:00Z')).toISOString()).toBe('2026-11-25T19:59:00.000Z');
    expect(scheduleTime({ kind: 'resend_materials', dueAt: '2026-11-25T19:50:00Z' }).toISOString()).toBe('2026-11-25T19:50:00.000Z');
    expect(REMINDER_LEAD_SECONDS).toBe(60);
  });

  it('waits for a reminder’s second, never for prospect email, never past its bound', () => {
    const due = '2026-11-25T20:00:00Z';
    expect(waitBeforeSending(reminder(due), new Date('2026-11-25T19:59:13Z'))).toBe(47_000);
    expect(waitBeforeSending(reminder(due), new Date('2026-11-25T20:00:02Z'))).toBe(0);
    expect(waitBeforeSending(reminder(due), new Date('2026-11-25T19:40:00Z'))).toBe(MAX_WAIT_SECONDS * 1000);
    expect(waitBeforeSending({ kind: 'recap', dueAt: due }, new Date('2026-11-25T19:59:13Z'))).toBe(0);
    expect(FIRE_TIMEOUT_SECONDS).toBeGreaterThan(MAX_WAIT_SECONDS);
  });

  it('lands every reminder on its second, whatever second it is due and wherever in the minute Scheduler fires', () => {
    // Scheduler fires anywhere in the minute of the schedule's time (the local jitter model of it).
    for (let second = 0; second < 60; second++) {
      const due = Date.parse('2026-11-25T20:00:00Z') + second * 1000;
      const at = scheduleTime(reminder(new Date(due).toISOString())).getTime();
      for (const draw of [0, 0.25, 0.5, 0.999999]) {
        const fired = fireTime(at, 'minute', () => draw);
        const wait = waitBeforeSending(reminder(new Date(due).toISOString()), new Date(fired));
        expect(fired).toBeLessThanOrEqual(due);
        expect(wait).toBeLessThanOrEqual(MAX_WAIT_SECONDS * 1000);
        expect(fired + wait).toBe(due);
      }
    }
  });
});

describe('on-time: a delivery before its time, and a schedule out of step with its touch', () => {
  const touch = { id: 't-1', repId: 'rep-1', prospectId: 'p-1', kind: 'rep_reminder' as const, dueAt: '2026-11-25T20:00:30Z' };
  const payload = { touchId: 't-1', repId: 'rep-1', prospectId: 'p-1', dueAt: '2026-11-25T20:00:30Z' };
  const now = new Date('2026-11-25T19:00:00Z');

  it('calls a delivery early only before its schedule’s minute (less a few seconds of clock skew)', () => {
    // A reminder is scheduled at 19:59:30; Scheduler may fire from 19:59:00.
    expect(firedEarly(touch, new Date('2026-11-25T19:59:00Z'))).toBe(false);
    expect(firedEarly(touch, new Date(Date.parse('2026-11-25T19:59:00Z') - EARLY_SLACK_SECONDS * 1000))).toBe(false);
    expect(firedEarly(touch, new Date(Date.parse('2026-11-25T19:59:00Z') - EARLY_SLACK_SECONDS * 1000 - 1))).toBe(true);
    expect(firedEarly(touch, new Date('2026-11-25T19:40:00Z'))).toBe(true);
    expect(firedEarly({ kind: 'recap', dueAt: '2026-11-25T20:00:30Z' }, new Date('2026-11-25T20:00:00Z'))).toBe(false);
    expect(firedEarly({ kind: 'recap', dueAt: '2026-11-25T20:00:30Z' }, new Date('2026-11-25T19:59:50Z'))).toBe(true);
    // Late is never early.
    expect(firedEarly(touch, new Date('2026-11-26T20:00:00Z'))).toBe(false);
  });

  it('holds a schedule in step when it delivers this touch for its due time, at its time or just ahead of now, enabled', () => {
    expect(scheduleInStep(touch, { payload, at: new Date('2026-11-25T19:59:30Z'), enabled: true }, now)).toBe(true);
    // Set 30 s ahead of a write because the touch's own time was too close or past (a retry, a touch due now).
    expect(scheduleInStep(touch, { payload, at: new Date(now.getTime() + 30_000), enabled: true }, new Date('2026-11-25T21:00:00Z'))).toBe(false);
    expect(scheduleInStep({ ...touch, dueAt: '2026-11-25T18:00:00Z' }, { payload: { ...payload, dueAt: '2026-11-25T18:00:00Z' }, at: new Date(now.getTime() + 30_000), enabled: true }, now)).toBe(true);
  });

  it('holds it out of step when moved, disabled, not an at(), or delivering another touch or time', () => {
    const held = { payload, at: new Date('2026-11-25T19:59:30Z'), enabled: true };
    expect(scheduleInStep(touch, { ...held, at: new Date('2026-11-26T19:59:30Z') }, now)).toBe(false);
    expect(scheduleInStep(touch, { ...held, at: new Date('2026-11-25T19:30:00Z') }, now)).toBe(false);
    expect(scheduleInStep(touch, { ...held, enabled: false }, now)).toBe(false);
    expect(scheduleInStep(touch, { payload, enabled: true }, now)).toBe(false);
    expect(scheduleInStep(touch, { ...held, payload: undefined }, now)).toBe(false);
    expect(scheduleInStep(touch, { ...held, payload: { ...payload, dueAt: '2026-11-25T21:00:30Z' } }, now)).toBe(false);
    expect(scheduleInStep(touch, { ...held, payload: { ...payload, touchId: 't-2' } }, now)).toBe(false);
    expect(scheduleInStep(touch, { ...held, payload: { ...payload, repId: 'rep-2' } }, now)).toBe(false);
  });
});

describe('RepCache', () => {
  it('keeps a rep for its time to live, as a copy, and forgets it on demand', () => {
    const cache = new RepCache(60_000, 2);
    const t0 = new Date('2026-11-23T15:00:00Z');
    cache.put(aRep(), t0);
    const got = cache.get(aRep().id, new Date(t0.getTime() + 59_000))!;
    got.email = 'changed@example.com';
    expect(cache.get(aRep().id, t0)!.email).toBe(aRep().email);
    expect(cache.get(aRep().id, new Date(t0.getTime() + 61_000))).toBeUndefined();
    cache.put(aRep(), t0);
    cache.forget(aRep().id);
    expect(cache.get(aRep().id, t0)).toBeUndefined();
  });

  it('holds at most its size, dropping the oldest', () => {
    const cache = new RepCache(60_000, 2);
    const t0 = new Date('2026-11-23T15:00:00Z');
    for (const id of ['a', 'b', 'c']) cache.put(aRep({ id }), t0);
    expect(['a', 'b', 'c'].map((id) => cache.get(id, t0)?.id)).toEqual([undefined, 'b', 'c']);
  });
});
