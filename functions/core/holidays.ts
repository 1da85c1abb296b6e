/**
 * National public holidays (type "public" in the date-holidays package, substitute days included), read from
 * the table scripts/build-holidays.ts generates at build time, so the package itself never ships in a Lambda.
 * The table covers the years of {@link PublicHolidays.coverage}; outside them nothing is a holiday. Each
 * country's entry is decoded on first use and kept for the life of the process.
 */
import { HOLIDAY_TABLE, HOLIDAY_YEARS } from '../generated/holidays.js';
import type { HolidayCalendar } from './calendar.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A day within the table's range: year and month * 32 + day, as one number. */
const dayKey = (year: number, monthDay: number) => year * 512 + monthDay;

export class PublicHolidays implements HolidayCalendar {
  private readonly byCountry = new Map<string, ReadonlySet<number>>();

  /** The years (inclusive) for which holidays are known. */
  coverage(): { from: number; to: number } {
    return { from: HOLIDAY_YEARS.from, to: HOLIDAY_YEARS.to };
  }

  isHoliday(isoDate: string, country: string): boolean {
    const match = ISO_DATE.exec(isoDate);
    if (!match) return false;
    const year = Number(match[1]);
    if (year < HOLIDAY_YEARS.from || year > HOLIDAY_YEARS.to) return false;
    const days = this.days(country);
    return days !== undefined && days.has(dayKey(year, Number(match[2]) * 32 + Number(match[3])));
  }

  private days(country: string): ReadonlySet<number> | undefined {
    let days = this.byCountry.get(country);
    if (days) return days;
    // Unknown countries have no holidays rather than failing the plan.
    if (!Object.hasOwn(HOLIDAY_TABLE, country)) return undefined;
    days = decode(HOLIDAY_TABLE[country]!);
    this.byCountry.set(country, days);
    return days;
  }
}

/** Decodes one country's string (format described in functions/generated/holidays.ts). */
function decode(encoded: string): Set<number> {
  const [common = '', ...years] = encoded.split(',');
  const days = new Set<number>();
  const codes = (segment: string) => {
    const out: number[] = [];
    for (let i = 0; i + 1 < segment.length; i += 2) out.push(parseInt(segment.slice(i, i + 2), 36));
    return out;
  };
  const shared = codes(common);
  for (let year = HOLIDAY_YEARS.from; year <= HOLIDAY_YEARS.to; year++) {
    for (const code of shared) days.add(dayKey(year, code));
    for (const code of codes(years[year - HOLIDAY_YEARS.from] ?? '')) days.add(dayKey(year, code));
  }
  return days;
}
