/**
 * The generated public-holiday table (scripts/build-holidays.ts → functions/generated/holidays.ts, built by the
 * global setup) against date-holidays itself, which stays the source of truth at build time.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PublicHolidays } from '../../functions/core/holidays.js';
import { HOLIDAY_SOURCE } from '../../functions/generated/holidays.js';

const holidays = new PublicHolidays();
const { from, to } = holidays.coverage();
const covers = (year: number) => year >= from && year <= to;

/**
 * Reference, written independently of the build script: holidays of type public from getHolidays(year) in the
 * country's default zone, each covering its local date (the date part of `date`) through the local date of its
 * last instant (`end` - 1 ms).
 */
function referenceDates(country: string, years: number[]): Set<string> {
  const hd = new Holidays(country);
  const zone = hd.getTimezones()[0] ?? 'UTC';
  const dates = new Set<string>();
  for (let year = Math.min(...years) - 1; year <= Math.max(...years); year++) {
    for (const h of hd.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const last = DateTime.fromMillis(h.end.getTime() - 1, { zone }).toISODate()!;
      for (let day = DateTime.fromISO(h.date.slice(0, 10), { zone: 'UTC' }); day.toISODate()! <= last || day.toISODate() === h.date.slice(0, 10); day = day.plus({ days: 1 })) {
        dates.add(day.toISODate()!);
      }
    }
  }
  return dates;
}

describe('PublicHolidays (generated table)', () => {
  it('covers last year to five years ahead, built from the installed date-holidays', () => {
    const version = (createRequire(import.meta.url)('date-holidays/package.json') as { version: string }).version;
    expect(HOLIDAY_SOURCE).toBe(`date-holidays@${version}`);
    expect(to - from).toBe(6);
    expect(covers(new Date().getUTCFullYear())).toBe(true);
  });

  it('agrees with date-holidays for every country and every day of this year and the next', () => {
    const years = [from + 1, from + 2];
    const countries = Object.keys(new Holidays().getCountries());
    expect(countries.length).toBeGreaterThan(150);
    const mismatches: string[] = [];
    let holidayDays = 0;
    for (const country of countries) {
      const reference = referenceDates(country, years);
      for (let day = DateTime.utc(years[0]!, 1, 1); day.year <= years[1]!; day = day.plus({ days: 1 })) {
        const iso = day.toISODate()!;
        const expected = reference.has(iso);
        if (expected) holidayDays++;
        if (holidays.isHoliday(iso, country) !== expected) mismatches.push(`${country} ${iso}: expected ${expected}`);
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(holidayDays).toBeGreaterThan(countries.length * 10);
  });

  it.skipIf(!covers(2026) || !covers(2027))('spot checks', () => {
    expect(holidays.isHoliday('2026-11-26', 'US')).toBe(true); // Thanksgiving
    expect(holidays.isHoliday('2026-11-27', 'US')).toBe(false);
    expect(holidays.isHoliday('2026-07-03', 'US')).toBe(true); // Independence Day (substitute day)
    expect(holidays.isHoliday('2026-12-26', 'GB')).toBe(true); // Boxing Day, a Saturday …
    expect(holidays.isHoliday('2026-12-28', 'GB')).toBe(true); // … and its substitute Monday
    expect(holidays.isHoliday('2026-01-26', 'AU')).toBe(true); // Australia Day
    expect(holidays.isHoliday('2026-08-15', 'IN')).toBe(true); // Independence Day
    expect(holidays.isHoliday('2026-02-06', 'NZ')).toBe(true); // Waitangi Day
    expect(holidays.isHoliday('2027-02-08', 'NZ')).toBe(true); // Waitangi Day (Mondayised)
    expect(holidays.isHoliday('2026-03-19', 'TR')).toBe(false); // begins at the eve's sunset, still the 20th's
    expect(['2026-03-20', '2026-03-21', '2026-03-22', '2026-03-23'].map((d) => holidays.isHoliday(d, 'TR'))).toEqual([true, true, true, true]);
    expect(holidays.isHoliday('2026-03-24', 'TR')).toBe(false);
  });

  it('has no holidays for unknown countries or malformed dates', () => {
    const newYear = `${from + 1}-01-01`;
    expect(holidays.isHoliday(newYear, 'US')).toBe(true);
    expect(holidays.isHoliday(newYear, 'XX')).toBe(false);
    expect(holidays.isHoliday(newYear, 'us')).toBe(false);
    expect(holidays.isHoliday(newYear, 'toString')).toBe(false);
    expect(holidays.isHoliday(newYear, '')).toBe(false);
    expect(holidays.isHoliday(`${from + 1}-1-1`, 'US')).toBe(false);
    expect(holidays.isHoliday('not a date', 'US')).toBe(false);
  });

  it('has no holidays outside the covered years', () => {
    expect(holidays.isHoliday(`${from}-01-01`, 'US')).toBe(true);
    expect(holidays.isHoliday(`${to}-12-25`, 'US')).toBe(true);
    expect(holidays.isHoliday(`${from - 1}-12-25`, 'US')).toBe(false);
    expect(holidays.isHoliday(`${to + 1}-01-01`, 'US')).toBe(false);
  });
});
