import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CadencePlanner, DEFAULT_POLICY, type PlanInput } from '../../functions/core/cadence.js';
import { PublicHolidays } from '../../functions/core/holidays.js';
import { PolicyError, resolvePolicy } from '../../functions/core/policy.js';

const planner = new CadencePlanner(DEFAULT_POLICY, new PublicHolidays());
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });
const local = (dt: DateTime | null | undefined, zone: string) => dt?.setZone(zone).toFormat("ccc yyyy-MM-dd HH:mm ZZZZ");

function input(overrides: Partial<PlanInput> & { zone?: string; country?: string }): PlanInput {
  const { zone = 'America/New_York', country = 'US', ...rest } = overrides;
  return {
    outcome: 'callback_agreed',
    now: utc('2026-11-23T15:00:00Z'),
    callAt: utc('2026-11-23T15:00:00Z'),
    materials: [{ title: 'Quote', url: 'https://example.com/q' }],
    sendRecap: true,
    reminderChannel: 'email',
    prospect: { id: 'p-1', timezone: zone, country, email: 'p@example.com', attempts: 0 },
    ...rest,
  };
}

describe('CadencePlanner.plan: callback_agreed', () => {
  it('plans recap now, resend ten minutes before, reminder at the agreed minute (New York)', () => {
    const plan = planner.plan(input({ callbackAt: utc('2026-11-25T20:00:00Z') }));

    expect(plan.touches.map((t) => [t.kind, t.recipient, local(t.dueAt, 'America/New_York')])).toEqual([
      ['recap', 'prospect', 'Mon 2026-11-23 10:00 EST'],
      ['resend_materials', 'prospect', 'Wed 2026-11-25 14:50 EST'],
      ['rep_reminder', 'rep', 'Wed 2026-11-25 15:00 EST'],
    ]);
    expect(plan.status).toBe('active');
    expect(plan.attempts).toBe(0);
    expect(plan.attemptDueAt?.toISO()).toBe(utc('2026-11-25T20:00:00Z').toISO());
  });

  it('keeps an agreed time across a DST change exactly (London, clocks back 25 October 2026)', () => {
    // Agreed on Friday 23 October for Monday 26 October 09:00 London time (GMT after the change).
    const plan = planner.plan(
      input({ zone: 'Europe/London', country: 'GB', now: utc('2026-10-23T10:00:00Z'), callAt: utc('2026-10-23T10:00:00Z'), callbackAt: utc('2026-10-26T09:00:00Z'), sendRecap: false }),
    );

    expect(plan.touches.map((t) => [t.kind, t.dueAt.toISO(), local(t.dueAt, 'Europe/London')])).toEqual([
      ['resend_materials', '2026-10-26T08:50:00.000Z', 'Mon 2026-10-26 08:50 GMT'],
      ['rep_reminder', '2026-10-26T09:00:00.000Z', 'Mon 2026-10-26 09:00 GMT'],
    ]);
  });

  it('keeps an agreed evening time but moves the resend out of quiet hours, before the call (Sydney)', () => {
    // 21:30 in Sydney is in quiet hours: the materials go at 20:59, the last minute before them.
    const plan = planner.plan(
      input({ zone: 'Australia/Sydney', country: 'AU', callbackAt: DateTime.fromISO('2026-11-25T21:30', { zone: 'Australia/Sydney' }), sendRecap: false }),
    );

    expect(plan.touches.map((t) => [t.kind, local(t.dueAt, 'Australia/Sydney')])).toEqual([
      ['resend_materials', 'Wed 2026-11-25 20:59 GMT+11'],
      ['rep_reminder', 'Wed 2026-11-25 21:30 GMT+11'],
    ]);
  });

  it('moves an early-morning resend to the end of quiet hours when that is still before the call', () => {
    const plan = planner.plan(
      input({ zone: 'Asia/Kolkata', country: 'IN', callbackAt: DateTime.fromISO('2026-11-25T08:05', { zone: 'Asia/Kolkata' }), sendRecap: false }),
    );

    expect(local(plan.touches[0]!.dueAt, 'Asia/Kolkata')).toBe('Wed 2026-11-25 08:00 GMT+5:30');
  });

  it('puts the resend after the recap when the call is minutes away, and leaves out what has no address', () => {
    const soon = planner.plan(input({ callbackAt: utc('2026-11-23T15:05:00Z') }));
    expect(soon.touches.map((t) => [t.kind, t.dueAt.toISO()])).toEqual([
      ['recap', '2026-11-23T15:00:00.000Z'],
      ['resend_materials', '2026-11-23T15:01:00.000Z'],
      ['rep_reminder', '2026-11-23T15:05:00.000Z'],
    ]);
    // With the call a minute away there is no room for a resend after the recap: the recap carries the materials.
    const tooSoon = planner.plan(input({ callbackAt: utc('2026-11-23T15:01:00Z') }));
    expect(tooSoon.touches.map((t) => t.kind)).toEqual(['recap', 'rep_reminder']);

    const noEmail = planner.plan(input({ callbackAt: utc('2026-11-25T20:00:00Z'), prospect: { id: 'p', timezone: 'America/New_York', attempts: 0 } }));
    expect(noEmail.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
  });

  it('writes into the reminder the promise of the next try, computed from the callback itself', () => {
    const plan = planner.plan(input({ callbackAt: utc('2026-11-25T20:00:00Z'), sendRecap: false }));
    const reminder = plan.touches.find((t) => t.kind === 'rep_reminder')!;

    // Thanksgiving (Thu 26 Nov) is a US holiday: the next business day is Friday.
    expect(local(reminder.promiseAt, 'America/New_York')).toMatch(/^Fri 2026-11-27 (09:[345]\d|1[01]:\d\d) EST$/);
    expect(reminder.promiseAt!.toISO()).toBe(planner.attemptTime(reminder.dueAt, 2, { id: 'p-1', timezone: 'America/New_York', country: 'US' }, utc('2026-11-25T20:05:00Z')).toISO());
  });
});

describe('CadencePlanner.plan: stalled', () => {
  it('defaults the callback by stall reason, at the same time of day when that is a business hour', () => {
    const plan = planner.plan(input({ outcome: 'stalled', stallReason: 'waiting_on_customer', sendRecap: false }));
    // +2 business days from Monday 10:00 New York: Wednesday 10:00.
    expect(local(plan.callbackAt, 'America/New_York')).toBe('Wed 2026-11-25 10:00 EST');
  });

  it('skips weekends and holidays for the default', () => {
    const friday = utc('2026-11-27T19:00:00Z'); // Friday 14:00 New York
    const plan = planner.plan(input({ outcome: 'stalled', stallReason: 'cooled_off', now: friday, callAt: friday }));
    expect(local(plan.callbackAt, 'America/New_York')).toBe('Wed 2026-12-02 14:00 EST');
  });

  it('uses the agreed time when one is given', () => {
    const plan = planner.plan(input({ outcome: 'stalled', stallReason: 'price', callbackAt: utc('2026-12-01T16:30:00Z') }));
    expect(plan.callbackAt?.toISO()).toBe('2026-12-01T16:30:00.000Z');
  });
});

describe('CadencePlanner.plan: voicemail and no_answer', () => {
  const place = { id: 'p-1', timezone: 'America/New_York', country: 'US' };

  it('plans the next attempt from the attempt’s own time, alternating morning and afternoon', () => {
    let attemptDueAt: DateTime = utc('2026-11-23T15:00:00Z');
    const seen: string[] = [];
    for (let attempts = 0; attempts < 6; attempts++) {
      const now = attemptDueAt.plus({ minutes: 3 });
      const plan = planner.plan(input({ outcome: 'voicemail', now, callAt: now, prospect: { ...place, email: 'p@example.com', attempts, attemptDueAt } }));
      expect(plan.nextAttemptAt).toBeDefined();
      expect(plan.attempts).toBe(attempts + 1);
      expect(plan.nextAttemptAt! > attemptDueAt).toBe(true);
      const reminder = plan.touches.find((t) => t.kind === 'rep_reminder');
      expect(reminder!.attempt).toBe(attempts + 2);
      seen.push(local(plan.nextAttemptAt, 'America/New_York')!);
      attemptDueAt = plan.nextAttemptAt!;
    }
    // +1, +2, +2, +3, +5, +7 business days; Thanksgiving and weekends skipped; AM, PM, AM, ...
    const days = seen.map((s) => s.slice(0, 14));
    expect(days).toEqual(['Tue 2026-11-24', 'Fri 2026-11-27', 'Tue 2026-12-01', 'Fri 2026-12-04', 'Fri 2026-12-11', 'Tue 2026-12-22']);
    const hours = seen.map((s) => Number(s.slice(15, 17)));
    expect(hours.map((h) => (h < 12 ? 'am' : 'pm'))).toEqual(['am', 'pm', 'am', 'pm', 'am', 'pm']);
  });

  it('ends the cadence after the last attempt: a final email, the rep told, status exhausted', () => {
    const plan = planner.plan(input({ outcome: 'no_answer', prospect: { ...place, email: 'p@example.com', attempts: 6 } }));
    expect(plan.status).toBe('exhausted');
    expect(plan.nextAttemptAt).toBeUndefined();
    expect(plan.touches.map((t) => [t.kind, t.recipient])).toEqual([
      ['final_email', 'prospect'],
      ['rep_notice', 'rep'],
    ]);
  });

  it('honours a time the rep names for the next try', () => {
    const plan = planner.plan(input({ outcome: 'voicemail', callbackAt: utc('2026-11-30T14:00:00Z'), prospect: { ...place, attempts: 0 } }));
    expect(plan.nextAttemptAt?.toISO()).toBe('2026-11-30T14:00:00.000Z');
  });
});

describe('CadencePlanner.plan: the note after a voicemail', () => {
  const place = { id: 'p-1', timezone: 'America/New_York', country: 'US' };
  const monday10 = utc('2026-11-23T15:00:00Z'); // Monday 10:00 New York

  it('plans a voicemail_email five minutes after a voicemail on attempt 1, naming the next try the script promised', () => {
    // Prepare: the reminder for attempt 1 promised the retry; the rep posts voicemail 3 minutes after.
    const promised = planner.promiseAfter(monday10, 1, place, monday10);
    const now = monday10.plus({ minutes: 3 });

    // Act
    const plan = planner.plan(input({ outcome: 'voicemail', now, callAt: now, prospect: { ...place, email: 'p@example.com', attempts: 0, attemptDueAt: monday10 } }));

    // Assess
    expect(plan.touches.map((t) => [t.kind, t.recipient, t.channel, local(t.dueAt, 'America/New_York')])).toEqual([
      ['rep_reminder', 'rep', 'email', local(promised, 'America/New_York')],
      ['voicemail_email', 'prospect', 'email', 'Mon 2026-11-23 10:08 EST'],
    ]);
    const [reminder, note] = plan.touches;
    expect(note!.attempt).toBe(1);
    expect(note!.promiseAt!.toISO()).toBe(promised!.toISO());
    expect(reminder!.dueAt.toISO()).toBe(promised!.toISO());
  });

  it('goes on the policy attempts only (1, 3 and 5 by default), and never for no_answer', () => {
    // Act
    const kinds = (outcome: 'voicemail' | 'no_answer', attempts: number) =>
      planner.plan(input({ outcome, now: monday10, callAt: monday10, prospect: { ...place, email: 'p@example.com', attempts } })).touches.map((t) => t.kind);

    // Assess
    expect([0, 1, 2, 3, 4, 5].map((before) => kinds('voicemail', before).includes('voicemail_email'))).toEqual([true, false, true, false, true, false]);
    expect(kinds('no_answer', 0)).toEqual(['rep_reminder']);
    expect(kinds('voicemail', 6)).toEqual(['final_email', 'rep_notice']);
  });

  it('respects the call’s sendEmail: false and a prospect without an address', () => {
    const off = planner.plan(input({ outcome: 'voicemail', sendEmail: false, prospect: { ...place, email: 'p@example.com', attempts: 0 } }));
    const noAddress = planner.plan(input({ outcome: 'voicemail', prospect: { ...place, attempts: 0 } }));
    expect(off.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
    expect(noAddress.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
  });

  it('waits out quiet hours and a public holiday, and drops a note that would land after the next try', () => {
    // Prepare: a voicemail posted Wednesday 20:58 before Thanksgiving; the next try is Friday morning.
    const evening = DateTime.fromISO('2026-11-25T20:58', { zone: 'America/New_York' });
    const late = planner.plan(input({ outcome: 'voicemail', now: evening, callAt: evening, prospect: { ...place, email: 'p@example.com', attempts: 0 } }));
    const rushed = new CadencePlanner(resolvePolicy({ voicemailEmail: { delayMinutes: 24 * 60 } }), new PublicHolidays());

    // Act
    const [reminder, note] = late.touches;
    const monday15 = utc('2026-11-23T20:00:00Z'); // the next try is Tuesday morning, before 15:00
    const dropped = rushed.plan(input({ outcome: 'voicemail', now: monday15, callAt: monday15, prospect: { ...place, email: 'p@example.com', attempts: 0, attemptDueAt: monday15 } }));

    // Assess: 21:03 is quiet, Thursday 26 is Thanksgiving, so Friday 08:00, before Friday's try.
    expect(local(note!.dueAt, 'America/New_York')).toBe('Fri 2026-11-27 08:00 EST');
    expect(note!.dueAt < reminder!.dueAt).toBe(true);
    expect(dropped.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
  });

  it('follows a policy with other attempts and delay', () => {
    const custom = new CadencePlanner(resolvePolicy({ voicemailEmail: { attempts: [2], delayMinutes: 30 } }), new PublicHolidays());
    const first = custom.plan(input({ outcome: 'voicemail', now: monday10, callAt: monday10, prospect: { ...place, email: 'p@example.com', attempts: 0 } }));
    const second = custom.plan(input({ outcome: 'voicemail', now: monday10, callAt: monday10, prospect: { ...place, email: 'p@example.com', attempts: 1 } }));
    expect(first.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
    expect(local(second.touches[1]!.dueAt, 'America/New_York')).toBe('Mon 2026-11-23 10:30 EST');
  });
});

describe('CadencePlanner.plan: closing outcomes', () => {
  it.each(['won', 'not_interested'] as const)('%s schedules nothing and closes', (outcome) => {
    const plan = planner.plan(input({ outcome }));
    expect(plan).toEqual({ status: 'closed', attempts: 0, touches: [], skipped: [] });
  });
});

describe('resolvePolicy', () => {
  it('merges overrides with the defaults and derives maxAttempts from the spacing', () => {
    const policy = resolvePolicy({ retryBusinessDays: [1, 1, 2], resendLeadMinutes: 15 });
    expect(policy.maxAttempts).toBe(4);
    expect(policy.resendLeadMinutes).toBe(15);
    expect(policy.businessHours).toEqual(DEFAULT_POLICY.businessHours);
  });

  it('defaults the voicemail note and the script variants, and merges partial overrides', () => {
    expect(DEFAULT_POLICY.voicemailEmail).toEqual({ attempts: [1, 3, 5], delayMinutes: 5 });
    expect(DEFAULT_POLICY.scriptVariants).toEqual({ pinned: {}, floor: 0.1 });
    const policy = resolvePolicy({ voicemailEmail: { delayMinutes: 10 }, scriptVariants: { pinned: { 'hot.uptime': 'b' } } });
    expect(policy.voicemailEmail).toEqual({ attempts: [1, 3, 5], delayMinutes: 10 });
    expect(policy.scriptVariants).toEqual({ pinned: { 'hot.uptime': 'b' }, floor: 0.1 });
  });

  it.each([
    [{ scriptVariants: { floor: 1 } }, /scriptVariants.floor/],
    [{ scriptVariants: { pinned: { uptime: 'b' } } }, /scriptVariants.pinned: Name each family as a script reports it/],
    [{ voicemailEmail: { attempts: [0] } }, /voicemailEmail.attempts/],
    [{ voicemailEmail: { delay: 5 } }, /Unrecognized key/],
    [{ retryBusinessDays: [] }, /retryBusinessDays/],
    [{ businessHours: { start: '18:00', end: '09:00', days: [1] } }, /businessHours.start must be before/],
    [{ windows: [{ start: '06:00', end: '08:00' }] }, /outside business hours/],
    [{ quietHours: { start: '25:00', end: '08:00' } }, /quietHours.start: Use HH:mm/],
    [{ maxAttemps: 3 }, /Unrecognized key/],
  ])('refuses %j', (override, message) => {
    expect(() => resolvePolicy(override)).toThrow(PolicyError);
    expect(() => resolvePolicy(override)).toThrow(message);
  });
});
