/**
 * The holiday hook of the time fields: whether a local date is a public holiday in the prospect's
 * country. It reads the same build-time table the cadence planner uses (functions/core/holidays.ts),
 * so the console warns on exactly the days the planner avoids, offline and without an API call.
 */
import { PublicHolidays } from '../../functions/core/holidays.js';

const table = new PublicHolidays();

export function isProspectHoliday(isoDate: string, country: string): boolean {
  return table.isHoliday(isoDate, country);
}
