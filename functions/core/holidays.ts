/**
 * Public holidays from the date-holidays package (national holidays of type "public"),
 * one calendar per country, built lazily and kept for the life of the process.
 */
import Holidays from 'date-holidays';
import type { HolidayCalendar } from './calendar.js';

export class PublicHolidays implements HolidayCalendar {
  private readonly byCountry = new Map<string, Holidays | null>();
  private readonly cache = new Map<string, boolean>();
  private known?: Record<string, string>;

  isHoliday(isoDate: string, country: string): boolean {
    const key = `${country}:${isoDate}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const calendar = this.calendar(country);
    // Asking at local noon avoids edge effects of the package's own zone handling.
    const found = calendar ? calendar.isHoliday(new Date(`${isoDate}T12:00:00Z`)) : false;
    const result = Array.isArray(found) && found.some((h) => h.type === 'public');
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(key, result);
    return result;
  }

  private calendar(country: string): Holidays | null {
    if (!this.byCountry.has(country)) {
      this.known ??= new Holidays().getCountries();
      // Unknown countries have no holidays rather than failing the plan.
      this.byCountry.set(country, country in this.known ? new Holidays(country, { timezone: 'UTC' }) : null);
    }
    return this.byCountry.get(country) ?? null;
  }
}
