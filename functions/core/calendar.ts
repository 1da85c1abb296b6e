/**
 * Business calendar in the prospect's zone: business days, business hours, quiet hours and
 * public holidays. Pure: holidays come through the small HolidayCalendar interface.
 */
import { DateTime } from 'luxon';

/** Tells whether a local calendar date (yyyy-mm-dd) is a public holiday in a country. */
export interface HolidayCalendar {
  isHoliday(isoDate: string, country: string): boolean;
}

export const noHolidays: HolidayCalendar = { isHoliday: () => false };

/** "HH:mm" on a 24-hour clock. */
export type ClockTime = string;

export interface BusinessHours {
  start: ClockTime;
  end: ClockTime;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
}

export interface QuietHours {
  /** Quiet from this time in the evening … */
  start: ClockTime;
  /** … until this time the next morning. */
  end: ClockTime;
}

export function minutesOf(time: ClockTime): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

export function atClock(day: DateTime, time: ClockTime): DateTime {
  const minutes = minutesOf(time);
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

export class BusinessCalendar {
  constructor(
    private readonly hours: BusinessHours,
    private readonly holidays: HolidayCalendar,
  ) {}

  isBusinessDay(local: DateTime, country?: string): boolean {
    if (!this.hours.days.includes(local.weekday)) return false;
    return !(country && this.holidays.isHoliday(local.toISODate()!, country));
  }

  /** Whether the instant lies inside business hours on a business day, in the zone `local` carries. */
  isInBusinessHours(local: DateTime, country?: string): boolean {
    if (!this.isBusinessDay(local, country)) return false;
    const m = local.hour * 60 + local.minute + local.second / 60;
    return m >= minutesOf(this.hours.start) && m < minutesOf(this.hours.end);
  }

  /** The `n`-th business day after the local date of `local` (start of that day, same zone). */
  addBusinessDays(local: DateTime, n: number, country?: string): DateTime {
    let day = local.startOf('day');
    let left = n;
    // A year of non-business days in a row would be a broken calendar; stop rather than spin.
    for (let guard = 0; left > 0 && guard < 366 + n * 7; guard++) {
      day = day.plus({ days: 1 });
      if (this.isBusinessDay(day, country)) left--;
    }
    return day;
  }

  /** The first business day on or after the local date of `local`. */
  onOrAfterBusinessDay(local: DateTime, country?: string): DateTime {
    let day = local.startOf('day');
    for (let guard = 0; !this.isBusinessDay(day, country) && guard < 366; guard++) day = day.plus({ days: 1 });
    return day;
  }

  get businessStart(): ClockTime {
    return this.hours.start;
  }

  get businessEnd(): ClockTime {
    return this.hours.end;
  }
}

/** Whether a local instant falls in quiet hours (an evening-to-morning span that wraps midnight). */
export function isQuietHour(local: DateTime, quiet: QuietHours): boolean {
  const m = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  return start > end ? m >= start || m < end : m >= start && m < end;
}

/** The first instant at or after `local` that is outside quiet hours. */
export function afterQuietHours(local: DateTime, quiet: QuietHours): DateTime {
  if (!isQuietHour(local, quiet)) return local;
  const end = atClock(local, quiet.end);
  return end >= local ? end : atClock(local.plus({ days: 1 }), quiet.end);
}
