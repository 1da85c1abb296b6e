/** The edge's own inputs beyond JSON bodies: query strings and headers, checked with zod. */
import '../core/zod-locale.js';
import * as z from 'zod/mini';
import { PREVIEW_KINDS } from '../use-cases/render-preview.js';

/**
 * An instant with an explicit offset, within years a follow-up can mean: a far-off year would
 * overflow the window arithmetic instead of being refused.
 */
export const Instant = z.pipe(
  z.string().check(
    z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i, {
      message: 'Use ISO-8601 with an offset, for example 2026-11-25T00:00:00Z',
    }),
  ),
  z.transform((s, ctx) => {
    const at = new Date(s);
    const year = at.getUTCFullYear();
    if (Number.isNaN(at.getTime()) || year < 2000 || year > 2199) {
      ctx.issues.push({ code: 'custom', input: s, message: 'Use a real date between the years 2000 and 2199' });
      return z.NEVER;
    }
    return at;
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
