import { afterEach, describe, expect, it } from 'vitest';
import { resolveCallbackTime, type TimeContext } from '../../web/src/callback-time.js';
import { PublicHolidays } from '../../functions/core/holidays.js';

const holidays = new PublicHolidays();
const ny = (now: string): TimeContext => ({
  zone: 'America/New_York',
  country: 'US',
  repZone: 'America/Chicago',
  now: new Date(now),
  isHoliday: (date, country) => holidays.isHoliday(date, country),
});

function iso(text: string, ctx: TimeContext): string {
  const r = resolveCallbackTime(text, ctx);
  return r.ok ? r.iso : `error: ${r.message}`;
}

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

describe('resolveCallbackTime', () => {
  // Monday 23 November 2026, 10:00 in New York.
  const monday = ny('2026-11-23T15:00:00Z');

  it.each([
    ['tomorrow 10am', '2026-11-24T10:00:00-05:00'],
    ['thu 2:30pm', '2026-11-26T14:30:00-05:00'],
    ['in 3 days at 9', '2026-11-26T09:00:00-05:00'],
    ['2026-11-25 15:00', '2026-11-25T15:00:00-05:00'],
    ['10am PST', '2026-11-23T13:00:00-05:00'],
    ['in 2 hours', '2026-11-23T12:00:00-05:00'],
  ])('reads %j where the prospect is', (text, expected) => {
    // Prepare + Act + Assess
    expect(iso(text, monday)).toBe(expected);
  });

  it.each([
    ['Asia/Tokyo', -540],
    ['America/Los_Angeles', 480],
    ['Pacific/Chatham', -825],
  ])('gives the same instant whatever zone the browser is in (%s)', (tz, offset) => {
    // Prepare: 22:30 on Sunday in New York is already Monday in Tokyo and Chatham.
    process.env.TZ = tz;
    const sundayNight = ny('2026-11-23T03:30:00Z');
    expect(sundayNight.now.getTimezoneOffset()).toBe(offset);

    // Act + Assess: "tomorrow" is the prospect's tomorrow.
    expect(iso('tomorrow 10am', sundayNight)).toBe('2026-11-23T10:00:00-05:00');
    expect(iso('in 3 days at 9', sundayNight)).toBe('2026-11-25T09:00:00-05:00');
  });

  it('keeps the wall time across a DST change: "tomorrow 10am" on the day before clocks go forward', () => {
    // Prepare: Saturday 7 March 2026, noon in New York (EST); Sunday is EDT.
    const ctx = ny('2026-03-07T17:00:00Z');

    // Act
    const r = resolveCallbackTime('tomorrow 10am', ctx);

    // Assess
    expect(r.ok && r.iso).toBe('2026-03-08T10:00:00-04:00');
    expect(r.ok && r.repLocal.toISO({ suppressMilliseconds: true })).toBe('2026-03-08T09:00:00-05:00');
  });

  it('refuses a time the clocks skip and one they repeat, as the API does', () => {
    // Prepare
    const ctx = ny('2026-11-23T15:00:00Z');

    // Act
    const skipped = resolveCallbackTime('march 14 2027 2:30am', ctx);
    const repeated = resolveCallbackTime('nov 7 2027 1:30am', ctx);

    // Assess: in words a rep can act on, with what to type instead.
    expect(skipped).toEqual({ ok: false, message: '2:30 AM on Sun 14 Mar does not exist where they are: the clocks go forward an hour that night. Try 3:30 AM or another time' });
    expect(repeated).toEqual({
      ok: false,
      message: '1:30 AM on Sun 7 Nov happens twice where they are (the clocks go back an hour that night): say which, "nov 7 1:30am EDT" or "nov 7 1:30am EST"',
    });
    expect(iso('nov 7 2027 1:30am EDT', ctx)).toBe('2027-11-07T01:30:00-04:00');
    expect(iso('nov 7 2027 1:30am EST', ctx)).toBe('2027-11-07T01:30:00-05:00');
    const london = resolveCallbackTime('oct 31 2027 1:30am', { ...ctx, zone: 'Europe/London', country: 'GB' });
    expect(london).toMatchObject({ ok: false, message: expect.stringMatching(/happens twice .*: pick another time$/) });
  });

  it('warns, without refusing, outside business hours, at the weekend and on a public holiday', () => {
    // Prepare + Act
    const evening = resolveCallbackTime('today 5pm', monday);
    const saturday = resolveCallbackTime('sat 10am', monday);
    const thanksgiving = resolveCallbackTime('thu 10am', monday);
    const fine = resolveCallbackTime('tomorrow 4:59pm', monday);

    // Assess
    expect(evening.ok && evening.warnings).toEqual([expect.stringContaining('business hours')]);
    expect(saturday.ok && saturday.warnings).toEqual([expect.stringContaining('Saturday')]);
    expect(thanksgiving.ok && thanksgiving.warnings).toEqual([expect.stringContaining('public holiday')]);
    expect(fine.ok && fine.warnings).toEqual([]);
  });

  it('says what it assumed and when a time has passed', () => {
    // Prepare + Act
    const noTime = resolveCallbackTime('tomorrow', monday);
    const past = resolveCallbackTime('today 9am', { ...monday, now: new Date('2026-11-23T15:00:00Z') });

    // Assess
    expect(noTime.ok && noTime.assumed).toEqual([expect.stringContaining('no time given')]);
    expect(noTime.ok && noTime.iso).toBe('2026-11-24T09:00:00-05:00');
    expect(past.ok && past.inPast).toBe(true);
  });

  it('explains what it cannot read', () => {
    // Prepare + Act + Assess
    expect(resolveCallbackTime('whenever', monday)).toMatchObject({ ok: false, message: expect.stringContaining('not a time') });
    expect(resolveCallbackTime('  ', monday)).toMatchObject({ ok: false });
  });
});
