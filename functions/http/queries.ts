/** The edge's own inputs beyond JSON bodies: query strings and headers, checked with zod. */
import '../core/zod-locale.js';
import { DateTime } from 'luxon';
import * as z from 'zod/mini';
import { UTC_OFFSET } from '../core/schemas.js';
import { PREVIEW_KINDS } from '../use-cases/render-preview.js';

/** "2026-11-25T00:00:00 05:45": an offset whose + a query string turned into a space. */
const PLUS_AS_SPACE = /^\d{4}-\d{2}-\d{2}T[\d:.]+ \d{2}:?\d{2}$/;

/**
 * An instant with an explicit offset, within years a follow-up can mean: a far-off year would
 * overflow the window arithmetic instead of being refused. A date the calendar lacks (30 February)
 * is refused too, where Date would roll it into March.
 */
export const Instant = z.pipe(
  z.string().check(
    z.refine((s) => !PLUS_AS_SPACE.test(s), { message: 'Send the + of the offset as %2B: in a query string a bare + means a space', abort: true }),
    z.regex(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?${UTC_OFFSET}$`, 'i'), {
      message: 'Use ISO-8601 with an offset, for example 2026-11-25T00:00:00Z',
    }),
  ),
  z.transform((s, ctx) => {
    const at = DateTime.fromISO(s, { setZone: true });
    if (!at.isValid || at.toUTC().year < 2000 || at.toUTC().year > 2199) {
      ctx.issues.push({ code: 'custom', input: s, message: 'Use a real date between the years 2000 and 2199' });
      return z.NEVER;
    }
    return at.toJSDate();
  }),
);

export const FollowupsQuery = z.object({ from: z.optional(Instant), to: z.optional(Instant) });

/** A period of the scripts report: both ends, or neither for every count so far. */
export const ScriptsReportQuery = z.object({ from: z.optional(Instant), to: z.optional(Instant) });

export const PreviewQuery = z.object({
  kind: z.enum(PREVIEW_KINDS, { message: `Use one of ${PREVIEW_KINDS.join(', ')}` }),
});

/** Idempotency-Key: visible ASCII, long enough for a UUID or a CRM's own id. */
export const IdempotencyKey = z.string().check(z.regex(/^[\x21-\x7e]{1,200}$/, { message: 'Use 1-200 visible ASCII characters, for example a UUID' }));

export const TokenQuery = z.object({ token: z.string().check(z.maxLength(2000)) });

/** GET /v1/prospects?q=: words to find in a name or company. */
export const ProspectSearchQuery = z.object({
  q: z.optional(z.string().check(z.maxLength(100, { message: 'Search with at most 100 characters' }))),
});

/** An {@link Instant} the query must carry: its absence is named, not "expected string, received undefined". */
const requiredInstant = (name: string) =>
  z.pipe(z.string({ message: `Give ${name} as ISO-8601 with an offset, for example 2026-11-01T00:00:00Z` }), Instant);

/** GET /v1/reports/promises: the period and the window a call keeps its promise in (the use case checks the ranges). */
export const PromisesReportQuery = z.object({
  from: requiredInstant('from'),
  to: requiredInstant('to'),
  windowMinutes: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,4}$/, { message: 'Use a whole number of minutes, for example 15' })),
      z.transform(Number),
    ),
  ),
});
