/**
 * What the sweep reads and decides, pure: its two inputs (the recurring schedule's run, and the fire
 * function's on-failure records arriving through SQS), the sentence a failed touch carries, and the
 * notice that tells the rep about it.
 *
 * On-failure records: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 * (requestContext.condition is RetriesExhausted or EventAgeExceeded; requestPayload is what Scheduler
 * sent, our FirePayload; responsePayload is the Node.js runtime's error object when the function threw).
 */
import * as z from 'zod/mini';
import { FirePayload } from './fire-payload.js';
import { repNotice } from './outcome.js';
import type { Prospect, Touch } from './schemas.js';

/** What the recurring schedule sends (infra/constructs/scheduling.ts SWEEP_INPUT). */
export const SweepRun = z.object({
  v: z.literal(1),
  source: z.literal('followthrough.sweep'),
  /** The minute Scheduler meant the run for: a late or retried run sweeps as of its own time. */
  scheduledTime: z.optional(z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expected an ISO-8601 time' }))),
});
export type SweepRun = z.infer<typeof SweepRun>;

/** The recurring schedule's input, with the context attribute Scheduler fills in at each run. */
export const SWEEP_SCHEDULE_INPUT = { v: 1, source: 'followthrough.sweep', scheduledTime: '<aws.scheduler.scheduled-time>' } as const;

/** An SQS event source batch: each record's body is one on-failure record. */
export const SqsBatch = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string(), eventSource: z.literal('aws:sqs') })).check(z.minLength(1)),
});
export type SqsBatch = z.infer<typeof SqsBatch>;

export const FireFailureRecord = z.object({
  timestamp: z.string(),
  requestContext: z.object({
    condition: z.string(),
    approximateInvokeCount: z.optional(z.number()),
    functionArn: z.optional(z.string()),
  }),
  requestPayload: FirePayload,
  responsePayload: z.optional(z.nullable(z.object({ errorType: z.optional(z.string()), errorMessage: z.optional(z.string()) }))),
});
export type FireFailureRecord = z.infer<typeof FireFailureRecord>;

const REASON_MAX = 300;

/** The sentence a touch that failed in the fire function carries (API, agenda, the rep's notice). */
export function failureReason(record: FireFailureRecord): string {
  const error = record.responsePayload;
  const cause = error?.errorMessage ? `${error.errorType ?? 'Error'}: ${error.errorMessage}` : (error?.errorType ?? 'no error was reported');
  const attempts = record.requestContext.approximateInvokeCount;
  const said =
    record.requestContext.condition === 'EventAgeExceeded'
      ? `not sent within an hour of its time (${cause})`
      : `could not be sent${attempts ? ` after ${attempts} attempts` : ''} (${cause})`;
  return said.length > REASON_MAX ? `${said.slice(0, REASON_MAX - 1)}…` : said;
}

/** The notice that tells the rep a touch failed. */
export const DELIVERY_FAILED = 'delivery_failed';

/**
 * A failed touch a later outcome replaced: its call is no longer the prospect's last, so sending it
 * again would keep a promise nobody holds. A notice to the rep belongs to no plan and never is.
 */
export function isSuperseded(touch: Pick<Touch, 'kind' | 'callId'>, prospect: Pick<Prospect, 'lastCallId'>): boolean {
  return touch.kind !== 'rep_notice' && !!prospect.lastCallId && touch.callId !== prospect.lastCallId;
}

/**
 * The rep's notice about a failed touch. Its id comes from the touch and the due time that failed, so
 * writing it only when absent tells the rep once, however often the failure is reported.
 */
export function deliveryFailedNotice(prospect: Prospect, failed: Pick<Touch, 'id' | 'callId' | 'kind' | 'dueAt' | 'reason'>, nowIso: string): Touch {
  const id = `${failed.id}-F${Math.floor(Date.parse(failed.dueAt) / 1000).toString(36)}`;
  return {
    ...repNotice(prospect, DELIVERY_FAILED, nowIso, id),
    callId: failed.callId,
    about: { touchId: failed.id, kind: failed.kind, dueAt: failed.dueAt, reason: failed.reason ?? 'no reason was recorded' },
  };
}

/**
 * CloudWatch embedded metric format: the members to merge into one structured log line so CloudWatch
 * Logs extracts them as metrics, with no API call (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * No dimensions: one series per metric name in the namespace.
 */
export function embeddedMetrics(namespace: string, counts: Record<string, number>, at: Date): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[]], Metrics: Object.keys(counts).map((Name) => ({ Name, Unit: 'Count' })) }],
    },
    ...counts,
  };
}
