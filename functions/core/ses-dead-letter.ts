/**
 * What waits in the SES events dead-letter queue, read back into the SES event it carries. Two
 * writers share that queue (infra/constructs/messaging.ts), each with its own message shape:
 *
 * - EventBridge, when it could not invoke the events function (no permission, throttled past the
 *   target's retry policy): the body is the event itself, unchanged, and the reason travels in
 *   message attributes, among them RULE_ARN, TARGET_ARN, ERROR_CODE and ERROR_MESSAGE (EventBridge
 *   User Guide, "Event retry policy and using dead-letter queues":
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 * - Lambda, when the function was invoked but threw on every attempt (or the event grew too old):
 *   the body is an invocation record, `{ version, timestamp, requestContext: { condition,
 *   approximateInvokeCount, ... }, requestPayload, responseContext, responsePayload }`, whose
 *   requestPayload is the event EventBridge sent and responsePayload the error (Lambda Developer
 *   Guide, "Capturing records of Lambda asynchronous invocations":
 *   https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
 *
 * Either way the SES event is parsed with the schema the events function uses, so a replay acts on
 * exactly what the function would have.
 */
import * as z from 'zod/mini';
import { SesEventSchema, type SesEvent } from './ses-event.js';

const InvocationRecord = z.object({
  timestamp: z.optional(z.string()),
  requestContext: z.object({ condition: z.optional(z.string()), approximateInvokeCount: z.optional(z.number()) }),
  requestPayload: z.unknown(),
  responsePayload: z.optional(z.nullable(z.looseObject({ errorType: z.optional(z.string()), errorMessage: z.optional(z.string()) }))),
});

export type DeadLetter =
  | { ok: true; event: SesEvent; from: 'eventbridge' | 'lambda'; /** Why it landed here, as far as the message says. */ failure: string }
  | { ok: false; why: string };

/** The message attributes EventBridge adds, as plain strings (an SQS client's StringValue). */
export type DeadLetterAttributes = Record<string, string | undefined>;

/** Reads one message of the queue; never throws. */
export function readSesDeadLetter(body: string, attributes: DeadLetterAttributes = {}): DeadLetter {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, why: 'the body is not JSON' };
  }
  const record = InvocationRecord.safeParse(json);
  if (record.success) {
    const event = SesEventSchema.safeParse(record.data.requestPayload);
    if (!event.success) return { ok: false, why: `a Lambda invocation record whose payload is not an SES event (${firstIssue(event.error)})` };
    return { ok: true, event: event.data, from: 'lambda', failure: lambdaFailure(record.data) };
  }
  const event = SesEventSchema.safeParse(json);
  if (!event.success) return { ok: false, why: `neither an SES event nor a Lambda invocation record (${firstIssue(event.error)})` };
  const code = attributes.ERROR_CODE;
  const message = attributes.ERROR_MESSAGE;
  const failure = code ? `EventBridge could not invoke the function: ${code}${message ? ` (${message})` : ''}` : 'EventBridge could not invoke the function';
  return { ok: true, event: event.data, from: 'eventbridge', failure };
}

/** One line about the event: what it is, to whom, for which touch. */
export function describeSesEvent(event: SesEvent): string {
  const { detail } = event;
  const recipients = detail.bounce?.bouncedRecipients ?? detail.complaint?.complainedRecipients ?? [];
  const kind = detail.bounce ? `${detail.eventType} (${detail.bounce.bounceType})` : detail.eventType;
  const to = recipients.length ? ` of ${recipients.map((r) => r.emailAddress).join(', ')}` : '';
  const touch = detail.mail.tags?.touch?.[0];
  return `${kind}${to}, mail ${detail.mail.messageId}${touch ? `, touch ${touch}` : ''}`;
}

function lambdaFailure(record: z.infer<typeof InvocationRecord>): string {
  const error = record.responsePayload;
  const cause = error?.errorMessage ? `${error.errorType ?? 'Error'}: ${error.errorMessage}` : (error?.errorType ?? 'no error reported');
  const attempts = record.requestContext.approximateInvokeCount;
  return `the function failed${attempts ? ` ${attempts} times` : ''} (${record.requestContext.condition ?? 'unknown condition'}; ${cause})`;
}

function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid';
}
