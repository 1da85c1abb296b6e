/**
 * Builds functions/generated/holidays.ts: the national public holidays of every country the date-holidays
 * package knows, for the years from (this year - 1) to (this year + 5), in a compact table. Lambdas read the
 * table and never load date-holidays (about 1.4 MB with moment-timezone and astronomia), which is a build-time
 * dependency only and stays the source of truth.
 *
 * What counts as a holiday day (the same rule test/unit/holidays.test.ts checks against date-holidays):
 * every holiday of type "public" from `getHolidays(year)` (substitute days included), national level (no
 * states), in the country's own time zone (date-holidays' default, its first zone). A holiday covers its local
 * calendar date, the date part of its `date` field ("yyyy-mm-dd hh:mm:ss [offset]", local time; holidays that
 * begin at the previous sunset carry a "-0600" offset and still belong to that date), and every following local
 * date up to the one holding its last instant (`end` - 1 ms, in the country's zone), for multi-day holidays.
 *
 * Encoding, per country, one string: segments joined by ",". Segment 0 lists the days that are holidays in
 * every year of the range, segment i (1..n) the further days of year `from + i - 1`. A day is two base-36
 * characters of `month * 32 + day`, so fixed-date holidays fall in segment 0 whatever the year.
 *
 * The table is rebuilt only when the year range, the date-holidays version or the encoding changed (the header
 * line records them), since computing it takes a few seconds.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(root, 'functions', 'generated', 'holidays.ts');
const require = createRequire(import.meta.url);

/** Bump when the encoding or the rule changes, so existing generated files are rebuilt. */
const FORMAT = 1;

/** The minimal surface of date-holidays used here (its CommonJS build, loaded synchronously). */
interface HolidayLike {
  date: string;
  end: Date;
  type: string;
}
interface HolidaysLike {
  getCountries(): Record<string, string>;
  getTimezones(): string[] | undefined;
  getHolidays(year: number): HolidayLike[];
}
type HolidaysCtor = new (country?: string) => HolidaysLike;

export interface HolidayBuildResult {
  outFile: string;
  from: number;
  to: number;
  countries: number;
  /** False when the existing file was already up to date. */
  rebuilt: boolean;
}

/** The years covered by a build in `year`: one back, five ahead. */
export function holidayYears(year = new Date().getUTCFullYear()): { from: number; to: number } {
  return { from: year - 1, to: year + 5 };
}

function dateHolidaysVersion(): string | undefined {
  try {
    return (require('date-holidays/package.json') as { version: string }).version;
  } catch {
    return undefined;
  }
}

function headerLine(from: number, to: number, version: string): string {
  return `// holidays-table format=${FORMAT} years=${from}-${to} date-holidays=${version}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar date ("yyyy-mm-dd") of an instant in a time zone. */
function localDate(formatter: Intl.DateTimeFormat, instant: Date): string {
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** Every local date a public holiday covers, first to last. */
export function holidayDays(holiday: HolidayLike, formatter: Intl.DateTimeFormat): string[] {
  const first = holiday.date.slice(0, 10);
  const last = localDate(formatter, new Date(holiday.end.getTime() - 1));
  const days = [first];
  // Walk with UTC dates: plain calendar arithmetic, no zone involved.
  const cursor = new Date(`${first}T00:00:00Z`);
  for (let i = 0; i < 60; i++) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    const iso = cursor.toISOString().slice(0, 10);
    if (iso > last) break;
    days.push(iso);
  }
  return days;
}

/** Public-holiday dates ("yyyy-mm-dd") of one country within [from, to], computed from date-holidays. */
export function publicHolidayDates(Holidays: HolidaysCtor, country: string, from: number, to: number): Set<string> {
  const hd = new Holidays(country);
  const zone = hd.getTimezones()?.[0] ?? 'UTC';
  const formatter = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const dates = new Set<string>();
  // A year earlier too: a multi-day holiday can run into the first year of the range.
  for (let year = from - 1; year <= to; year++) {
    for (const holiday of hd.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      for (const day of holidayDays(holiday, formatter)) {
        const y = Number(day.slice(0, 4));
        if (y >= from && y <= to) dates.add(day);
      }
    }
  }
  return dates;
}

const encodeDay = (month: number, day: number) => (month * 32 + day).toString(36).padStart(2, '0');

/** The compact per-country string described at the top of this file. */
export function encodeCountry(dates: Iterable<string>, from: number, to: number): string {
  const byYear: Set<string>[] = [];
  for (let y = from; y <= to; y++) byYear.push(new Set());
  for (const iso of dates) {
    const y = Number(iso.slice(0, 4));
    byYear[y - from]!.add(encodeDay(Number(iso.slice(5, 7)), Number(iso.slice(8, 10))));
  }
  const common = [...byYear[0]!].filter((code) => byYear.every((set) => set.has(code))).sort();
  const commonSet = new Set(common);
  const perYear = byYear.map((set) => [...set].filter((code) => !commonSet.has(code)).sort().join(''));
  return [common.join(''), ...perYear].join(',').replace(/,+$/, '');
}

/**
 * Writes functions/generated/holidays.ts unless it is already current. `force` rebuilds anyway; `year` fixes
 * the build year (tests).
 */
export function buildHolidays(options: { force?: boolean; year?: number } = {}): HolidayBuildResult {
  const { from, to } = holidayYears(options.year);
  const version = dateHolidaysVersion();
  const existing = existsSync(outFile) ? readFileSync(outFile, 'utf8') : undefined;
  if (!version) {
    // date-holidays is a devDependency: without it, keep whatever table there is.
    if (existing) return { outFile, from, to, countries: 0, rebuilt: false };
    throw new Error('build-holidays: date-holidays is not installed (npm install) and functions/generated/holidays.ts is missing');
  }
  const header = headerLine(from, to, version);
  if (!options.force && existing?.split('\n', 2)[1] === header) {
    return { outFile, from, to, countries: (existing.match(/^ {2}[A-Z]{2}: /gm) ?? []).length, rebuilt: false };
  }

  const loaded = require('date-holidays') as HolidaysCtor | { default: HolidaysCtor };
  const Holidays = 'default' in loaded ? loaded.default : loaded;
  const countries = Object.keys(new Holidays().getCountries()).sort();
  const rows = countries.map((country) => `  ${country}: ${JSON.stringify(encodeCountry(publicHolidayDates(Holidays, country, from, to), from, to))},`);

  const source = `// Generated by scripts/build-holidays.ts from date-holidays. Do not edit; run npm run build:templates.
${header}
/* eslint-disable */

/** The years the table covers (inclusive). */
export const HOLIDAY_YEARS = { from: ${from}, to: ${to} } as const;

/** The date-holidays version the table was computed from. */
export const HOLIDAY_SOURCE = ${JSON.stringify(`date-holidays@${version}`)};

/**
 * National public holidays per country (ISO 3166-1 alpha-2). Segments joined by ",": segment 0 holds the days
 * that are holidays in every covered year, segment i the further days of year HOLIDAY_YEARS.from + i - 1
 * (trailing empty segments dropped). Each day is two base-36 characters of month * 32 + day.
 */
export const HOLIDAY_TABLE: Readonly<Record<string, string>> = {
${rows.join('\n')}
};
`;
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, source);
  return { outFile, from, to, countries: countries.length, rebuilt: true };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const result = buildHolidays({ force: process.argv.includes('--force') });
  if (!process.env.QUIET) {
    console.log(
      `holidays: ${result.rebuilt ? `${result.countries} countries, ${result.from}-${result.to}, built in ${Date.now() - started} ms` : 'up to date'}`,
    );
  }
}
