import { describe, expect, it } from 'vitest';
import { nextCron, parseCron } from '../../functions/local/aws/cron-expression.js';

/** The next `count` times the expression names after `from`, in ISO form. */
function next(expression: string, from: string, count: number, zone = 'UTC'): string[] {
  const spec = parseCron(expression.split(' '));
  if (!spec) throw new Error(`not a cron expression: ${expression}`);
  const out: string[] = [];
  let after = Date.parse(from);
  for (let i = 0; i < count; i++) {
    const at = nextCron(spec, zone, after);
    if (at === undefined) break;
    out.push(new Date(at).toISOString());
    after = at;
  }
  return out;
}

describe('cron expressions, as the cron reference documents them', () => {
  it.each([
    ['every 15 minutes from minute 0', '0/15 * * * ? *', '2026-03-10T14:07:00Z', ['2026-03-10T14:15:00.000Z', '2026-03-10T14:30:00.000Z', '2026-03-10T14:45:00.000Z']],
    ['weekdays at 18:00', '0 18 ? * MON-FRI *', '2026-03-13T19:00:00Z', ['2026-03-16T18:00:00.000Z', '2026-03-17T18:00:00.000Z']],
    ['the last day of each month (L)', '0 9 L * ? *', '2026-01-31T10:00:00Z', ['2026-02-28T09:00:00.000Z', '2026-03-31T09:00:00.000Z']],
    ['the weekday nearest the 15th (15W): the 15th is a Sunday in Feb and Mar 2026, so Monday the 16th', '0 9 15W * ? *', '2026-02-01T00:00:00Z', ['2026-02-16T09:00:00.000Z', '2026-03-16T09:00:00.000Z']],
    ['the weekday nearest the 1st never leaves the month (1W on a Saturday)', '0 9 1W * ? *', '2026-07-31T00:00:00Z', ['2026-08-03T09:00:00.000Z']],
    ['the second Tuesday (3#2)', '0 9 ? * 3#2 *', '2026-03-01T00:00:00Z', ['2026-03-10T09:00:00.000Z', '2026-04-14T09:00:00.000Z']],
    ['the last Friday (6L)', '0 9 ? * 6L *', '2026-03-01T00:00:00Z', ['2026-03-27T09:00:00.000Z', '2026-04-24T09:00:00.000Z']],
    ['January and July only, by name', '0 0 1 JAN,JUL ? *', '2026-03-01T00:00:00Z', ['2026-07-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']],
    ['one year only, then never again', '0 12 25 12 ? 2026', '2026-03-01T00:00:00Z', ['2026-12-25T12:00:00.000Z']],
  ])('%s', (_what, expression, from, expected) => {
    // Act
    const times = next(expression, from, expected.length + 1);

    // Assess
    expect(times.slice(0, expected.length)).toEqual(expected);
    if (expression.endsWith('2026')) expect(times).toHaveLength(1);
  });

  it('reads the expression in its time zone, across a change of offset', () => {
    // Act: 09:00 in Berlin is 08:00 UTC in winter (CET) and 07:00 UTC after 29 March 2026 (CEST).
    const times = next('0 9 * * ? *', '2026-03-28T00:00:00Z', 3, 'Europe/Berlin');

    // Assess
    expect(times).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
  });

  it.each([
    ['five fields', '0 12 * * ?'],
    ['both day fields given', '0 12 1 * MON *'],
    ['neither day field given', '0 12 ? * ? *'],
    ['# with a list', '0 9 ? * 3#1,6#3 *'],
    ['a zero step', '0/0 * * * ? *'],
    ['an unknown month name', '0 0 1 JANUARY ? *'],
    ['W outside day-of-month', '0 9 ? * 2W *'],
    ['a year past 2199', '0 0 1 1 ? 2200'],
  ])('refuses %s', (_what, expression) => {
    // Act
    const spec = parseCron(expression.split(' '));

    // Assess
    expect(spec).toBeUndefined();
  });
});
