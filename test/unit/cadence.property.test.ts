/**
 * Properties of the planner over random zones, countries, days (DST changes included),
 * prospects and attempts.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CadencePlanner, DEFAULT_POLICY } from '../../functions/core/cadence.js';
import { PublicHolidays } from '../../functions/core/holidays.js';

const holidays = new PublicHolidays();
const planner = new CadencePlanner(DEFAULT_POLICY, holidays);

const PLACES = [
  { timezone: 'America/New_York', country: 'US' },
  { timezone: 'Europe/London', country: 'GB' },
  { timezone: 'Australia/Sydney', country: 'AU' },
  { timezone: 'Asia/Kolkata', country: 'IN' },
  { timezone: 'Pacific/Chatham', country: 'NZ' },
  { timezone: 'America/Chicago', country: undefined },
];

// Days around the DST changes of 2026 and 2027 in both hemispheres, plus the holiday seasons.
const AROUND = ['2026-03-06', '2026-03-27', '2026-04-03', '2026-09-25', '2026-10-02', '2026-10-23', '2026-10-30', '2026-11-24', '2026-12-22', '2027-03-12', '2027-03-26', '2027-04-02'];

const arbitraryNow = fc
  .tuple(fc.constantFrom(...AROUND), fc.integer({ min: -3 * 24 * 60, max: 5 * 24 * 60 }))
  .map(([day, minutes]) => DateTime.fromISO(`${day}T12:00:00Z`, { zone: 'utc' }).plus({ minutes }));

const arbitraryCase = fc.record({
  place: fc.constantFrom(...PLACES),
  id: fc.string({ minLength: 1, maxLength: 12 }),
  now: arbitraryNow,
  attempts: fc.integer({ min: 0, max: DEFAULT_POLICY.maxAttempts - 2 }),
  offsetMinutes: fc.integer({ min: -48 * 60, max: 72 * 60 }),
});

function inBusinessHours(at: DateTime, timezone: string, country: string | undefined) {
  const local = at.setZone(timezone);
  const minutes = local.hour * 60 + local.minute;
  return {
    weekday: local.weekday <= 5,
    hours: minutes >= 9 * 60 && minutes < 17 * 60,
    holiday: country ? holidays.isHoliday(local.toISODate()!, country) : false,
  };
}

describe('CadencePlanner properties', () => {
  it('every computed attempt is in the future, on a business day, inside business hours, never on a holiday', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ place, id, now, attempts, offsetMinutes }) => {
        const where = { id, ...place };
        const previous = now.plus({ minutes: offsetMinutes });
        const at = planner.attemptTime(previous, attempts + 2, where, now);
        const check = inBusinessHours(at, place.timezone, place.country);
        expect(at > now).toBe(true);
        expect(check).toEqual({ weekday: true, hours: true, holiday: false });
      }),
      { numRuns: 400 },
    );
  });

  it('attempts strictly increase through a whole cadence, and each promise is the next planned time', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ place, id, now }) => {
        const where = { id, ...place };
        let attemptDueAt: DateTime = now.plus({ hours: 2 });
        let state: { attempts: number; attemptDueAt: DateTime } = { attempts: 0, attemptDueAt };
        // The reminder for attempt 1 promises the retry; posting voicemail must plan exactly that.
        let promise = planner.promiseAfter(attemptDueAt, 1, where, now);
        for (let n = 1; n < DEFAULT_POLICY.maxAttempts; n++) {
          // The rep posts voicemail a few minutes after the attempt's time.
          const postedAt = attemptDueAt.plus({ minutes: 7 });
          const plan = planner.plan({
            outcome: 'voicemail',
            now: postedAt,
            callAt: postedAt,
            materials: [],
            sendRecap: false,
            reminderChannel: 'email',
            prospect: { ...where, ...state },
          });
          expect(plan.nextAttemptAt!.toMillis()).toBe(promise!.toMillis());
          expect(plan.nextAttemptAt! > attemptDueAt).toBe(true);
          const reminder = plan.touches[0]!;
          expect(reminder.dueAt.toMillis()).toBe(plan.nextAttemptAt!.toMillis());
          attemptDueAt = plan.nextAttemptAt!;
          promise = reminder.promiseAt ?? null;
          state = { attempts: plan.attempts, attemptDueAt };
        }
        // The last attempt promises nothing more: a final email follows instead.
        expect(promise).toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it('agreed times are kept exactly, whatever the hour', () => {
    fc.assert(
      fc.property(arbitraryCase, fc.integer({ min: 5, max: 14 * 24 * 60 }), ({ place, id, now }, ahead) => {
        const callbackAt = now.plus({ minutes: ahead });
        const plan = planner.plan({
          outcome: 'callback_agreed',
          now,
          callAt: now,
          callbackAt,
          materials: [{ title: 'Quote', url: 'https://example.com/q' }],
          sendRecap: true,
          reminderChannel: 'sms',
          prospect: { id, ...place, email: 'p@example.com', attempts: 0 },
        });
        const reminder = plan.touches.find((t) => t.kind === 'rep_reminder')!;
        expect(reminder.dueAt.toMillis()).toBe(callbackAt.toMillis());
        for (const t of plan.touches) expect(t.dueAt >= now.startOf('second')).toBe(true);
        const resend = plan.touches.find((t) => t.kind === 'resend_materials');
        if (resend) expect(resend.dueAt < callbackAt).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
