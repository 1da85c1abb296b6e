/**
 * What the API answers, as zod/mini schemas: the OpenAPI document is generated from them
 * (openapi.ts) and the presenters (present.ts) are typed by their `z.infer`, so a field the server
 * sends and the document leaves out, or the other way round, fails the type check. present.ts
 * imports only the types: these schemas reach no Lambda bundle.
 *
 * Objects stay open (no additionalProperties: false) because the contract adds fields freely; the
 * contract test closes them, so a field the server sends must be declared here.
 */
import '../core/zod-locale.js';
import * as z from 'zod/mini';
import type { SkipReasonCode, SkippedTouch } from '../core/cadence.js';
import { OUTCOMES, STALL_REASONS, TOUCH_KINDS, TOUCH_STATUSES } from '../core/constants.js';
import { PREVIEW_KINDS } from '../use-cases/render-preview.js';

/** The schemas that become `components.schemas`, each under its `id`. */
export const components = z.registry<{ id: string; description?: string }>();

const describe = <S extends z.ZodMiniType>(schema: S, description: string): S => schema.check(z.describe(description)) as S;

export const Instant = z.iso.datetime().register(components, { id: 'Instant', description: 'An instant in UTC, ISO-8601 with Z' });
export const LocalInstant = z.iso
  .datetime({ offset: true })
  .register(components, { id: 'LocalInstant', description: "The same instant in the prospect's zone, ISO-8601 with its offset" });

export const ErrorBody = z
  .object({
    error: z.object({
      code: describe(z.string(), 'A stable snake_case code, for example invalid_request or callback_in_past'),
      message: describe(z.string(), 'One sentence a person can act on'),
      issues: z.optional(z.array(z.object({ path: describe(z.string(), 'The field, dotted: materials.0.url'), message: z.string() }))),
    }),
  })
  .register(components, { id: 'Error', description: 'Every error the API itself answers' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** On AWS a request without a valid token never reaches the functions: the HTTP API's JWT authorizer answers it. */
export const GatewayMessage = z
  .object({ message: z.string() })
  .register(components, { id: 'GatewayMessage', description: 'The HTTP API\'s own answer on AWS, for example {"message": "Unauthorized"} from its JWT authorizer' });

export const Health = z.object({ ok: z.literal(true) }).register(components, { id: 'Health' });
export type Health = z.infer<typeof Health>;

export const RepAnswer = z
  .object({
    id: describe(z.string(), "The token's sub"),
    name: z.string(),
    email: z.string(),
    phone: z.optional(z.string()),
    timezone: z.string(),
    reminderChannel: z.enum(['sms', 'email']),
    company: z.optional(z.string()),
    signature: z.optional(z.string()),
    team: z.optional(describe(z.string(), 'Absent: "default"')),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .register(components, { id: 'Rep', description: 'The rep, as saved' });
export type RepAnswer = z.infer<typeof RepAnswer>;

export const ProspectAnswer = z
  .object({
    id: z.string(),
    repId: z.string(),
    name: z.string(),
    company: z.optional(z.string()),
    email: z.optional(z.string()),
    phone: z.optional(z.string()),
    timezone: z.string(),
    country: z.optional(describe(z.string(), 'ISO 3166-1 alpha-2: decides the public holidays')),
    hotButtons: z.array(z.string()),
    status: z.enum(['active', 'closed', 'exhausted']),
    callbackAt: z.optional(describe(Instant, 'The agreed callback, while one stands')),
    callbackAtLocal: z.optional(LocalInstant),
    attemptDueAt: z.optional(describe(Instant, 'The next attempt: the agreed callback or the computed retry')),
    attemptDueAtLocal: z.optional(LocalInstant),
    emailSuppressed: z.optional(
      describe(z.object({ reason: z.enum(['unsubscribed', 'bounced', 'complained']), at: Instant }), 'Set while no email goes to the prospect'),
    ),
    attempts: describe(z.int().check(z.minimum(0)), 'Unanswered attempts since the last conversation'),
    lastCallId: z.optional(z.string()),
    lastCallAt: z.optional(Instant),
    lastCallAtLocal: z.optional(LocalInstant),
    version: describe(z.int().check(z.minimum(1)), 'Bumped by every change'),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .register(components, { id: 'Prospect' });
export type ProspectAnswer = z.infer<typeof ProspectAnswer>;

const Material = z.object({ title: z.string(), url: z.string() });

export const CallAnswer = z
  .object({
    id: z.string(),
    prospectId: z.string(),
    repId: z.string(),
    outcome: z.enum(OUTCOMES),
    at: Instant,
    atLocal: LocalInstant,
    callbackAt: z.optional(Instant),
    callbackAtLocal: z.optional(LocalInstant),
    stallReason: z.optional(z.enum(STALL_REASONS)),
    hotButtons: z.array(z.string()),
    discussed: z.optional(z.string()),
    whatHappensNext: z.optional(z.string()),
    decisionMakers: z.array(z.string()),
    materials: z.array(Material),
    notes: z.optional(z.string()),
    sendRecap: z.boolean(),
    sendEmail: z.optional(z.boolean()),
    scriptVariant: z.optional(describe(z.string(), 'A voicemail: the script variant left, credited if a later call reaches the prospect')),
    recordedAt: Instant,
  })
  .register(components, { id: 'Call', description: 'A call as recorded (never overwritten)' });
export type CallAnswer = z.infer<typeof CallAnswer>;

const touchFields = {
  id: z.string(),
  prospectId: z.string(),
  kind: describe(
    z.enum(TOUCH_KINDS),
    'voicemail_email: the short note to the prospect a few minutes after a voicemail, naming the next try (the call field sendEmail: false turns it off)',
  ),
  channel: z.enum(['email', 'sms']),
  recipient: z.enum(['prospect', 'rep']),
  status: z.enum(TOUCH_STATUSES),
  dueAt: Instant,
  dueAtLocal: LocalInstant,
  attempt: z.optional(z.int().check(z.minimum(1))),
  promiseAt: z.optional(describe(Instant, 'rep_reminder: the next try its voicemail script promises; voicemail_email: the next try it names')),
  promiseAtLocal: z.optional(LocalInstant),
  template: z.optional(describe(z.string(), 'The templates and script parts used')),
  scriptVariant: z.optional(describe(z.string(), 'rep_reminder: the voicemail script variant its script speaks, such as hot.uptime.b')),
  reason: z.optional(describe(z.string(), 'Why the touch was skipped, cancelled or failed')),
  sentAt: z.optional(Instant),
  messageId: z.optional(z.string()),
  redrivenAt: z.optional(describe(Instant, 'When a failed touch was put back to scheduled by a retry or an operator\'s redrive')),
  notice: z.optional(describe(z.string(), 'rep_notice: what it tells the rep, cadence_exhausted or delivery_failed')),
  about: z.optional(
    describe(
      z.object({ touchId: z.string(), kind: z.enum(TOUCH_KINDS), dueAt: Instant, reason: z.string() }),
      'A delivery_failed notice: the touch that could not be delivered, and why (POST /v1/touches/{id}/retry sends it again)',
    ),
  ),
  deliveries: z.optional(
    describe(
      z.array(z.object({ at: Instant, channel: z.enum(['email', 'sms']), ok: z.boolean(), messageId: z.optional(z.string()), error: z.optional(z.string()) })),
      'Delivery attempts that failed or fell back, newest last',
    ),
  ),
};
export const TouchAnswer = z.object(touchFields).register(components, { id: 'Touch' });
export type TouchAnswer = z.infer<typeof TouchAnswer>;

export const ProspectBundleAnswer = z
  .object({ prospect: ProspectAnswer, calls: z.array(CallAnswer), touches: z.array(TouchAnswer) })
  .register(components, { id: 'ProspectWithHistory', description: 'The prospect with its calls and touches' });
export type ProspectBundleAnswer = z.infer<typeof ProspectBundleAnswer>;

export const ProspectList = z
  .object({ prospects: z.array(ProspectAnswer) })
  .register(components, { id: 'ProspectList', description: 'At most 50, by name' });

/** The codes a skipped touch gives; the assertion below keeps the list and the planner's type equal. */
export const SKIP_REASONS = ['not_requested', 'no_agreed_time', 'no_email', 'unsubscribed', 'bounced', 'complained', 'quiet_hours', 'holiday', 'too_soon', 'over_budget', 'cadence_ended'] as const;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const skipReasonsComplete: Same<(typeof SKIP_REASONS)[number], SkipReasonCode> = true;
void skipReasonsComplete;
const plannedKindsComplete: Same<(typeof TOUCH_KINDS)[number], SkippedTouch['kind']> = true;
void plannedKindsComplete;

export const SkippedAnswer = z
  .object({ kind: z.enum(TOUCH_KINDS), reason: describe(z.enum(SKIP_REASONS), 'A stable code'), message: describe(z.string(), 'A sentence for the rep') })
  .register(components, { id: 'Skipped', description: 'A touch the outcome would plan but did not, and why' });

export const RecordedCallAnswer = z
  .object({
    call: CallAnswer,
    plan: describe(z.array(TouchAnswer), 'The touches planned, as they stand after scheduling'),
    skipped: z.array(SkippedAnswer),
    nextAttemptAt: z.optional(describe(Instant, 'After a voicemail or no answer: the next attempt (the promise the script made)')),
    nextAttemptAtLocal: z.optional(LocalInstant),
  })
  .register(components, { id: 'RecordedCall' });
export type RecordedCallAnswer = z.infer<typeof RecordedCallAnswer>;

export const CallDueAnswer = z
  .object({
    prospectId: z.string(),
    prospectName: z.string(),
    dueAt: describe(Instant, 'The attempt or agreed callback that fell due'),
    dueAtLocal: LocalInstant,
    attempt: describe(z.number(), 'The attempt this call is, counted since the last conversation'),
  })
  .register(components, { id: 'CallDue' });
export const FollowupTouch = z.object({ ...touchFields, prospectName: z.string() }).register(components, { id: 'FollowupTouch' });
export const FollowupsAnswer = z
  .object({
    from: Instant,
    to: Instant,
    touches: describe(z.array(FollowupTouch), "The rep's pending touches by due time"),
    failed: describe(z.array(FollowupTouch), 'Those that could not be delivered and can still be sent again (not those a later outcome replaced), each with its reason; POST /v1/touches/{id}/retry sends one again'),
    callsDue: describe(
      z.array(CallDueAnswer),
      'Calls whose time came between from and now with no call logged since and no reminder still to go (the reminder went, or failed), by due time',
    ),
  })
  .register(components, { id: 'Followups' });
export type FollowupsAnswer = z.infer<typeof FollowupsAnswer>;

const emailKinds = PREVIEW_KINDS.filter((k): k is Exclude<(typeof PREVIEW_KINDS)[number], 'voicemail' | 'sms'> => k !== 'voicemail' && k !== 'sms');
export const PreviewAnswer = z
  .union([
    z.object({
      kind: z.literal('voicemail'),
      text: describe(z.string(), 'The voicemail script'),
      template: z.string(),
      variant: describe(z.nullable(z.string()), 'The script variant it speaks, such as hot.uptime.b (null when no variant competes)'),
      lines: describe(z.array(z.string()), 'The script, line by line'),
    }),
    z.object({
      kind: z.literal('sms'),
      text: z.string(),
      template: z.string(),
      segments: describe(z.int().check(z.minimum(1)), 'SMS segments the text takes'),
      encoding: describe(z.enum(['GSM-7', 'UCS-2']), 'The encoding the segments are counted in'),
    }),
    z.object({ kind: z.enum(emailKinds), subject: z.string(), text: z.string(), html: z.string(), template: z.string() }),
  ])
  .register(components, { id: 'Preview', description: 'A touch kind rendered for the prospect now: the voicemail script, the SMS, or an email' });
export type PreviewAnswer = z.infer<typeof PreviewAnswer>;

const rate = describe(z.nullable(z.number().check(z.minimum(0), z.maximum(1))), '0..1, null without calls');
const count = z.int().check(z.minimum(0));
export const PromisesReportAnswer = z
  .object({
    from: Instant,
    to: Instant,
    windowMinutes: count,
    promisesKept: z.object({
      reminders: describe(count, 'Rep reminders sent with a due time in the period'),
      kept: describe(count, 'Followed by a call within the window of the due time'),
      late: describe(count, 'Followed by a call, later than the window'),
      missed: describe(count, 'No call before the next reminder (or at all)'),
      keptRate: rate,
      medianMinutesLate: z.nullable(z.number()),
    }),
    reachByAttempt: z.array(z.object({ attempt: z.int().check(z.minimum(1)), calls: count, reached: count, rate })),
    reachByLocalHour: z.array(z.object({ hour: z.int().check(z.minimum(0), z.maximum(23)), calls: count, reached: count, rate })),
    callbacksAfterVoicemail: z.array(z.object({ template: z.string(), voicemails: count, callbacks: count, rate })),
  })
  .register(components, { id: 'PromisesReport', description: 'docs/reports.md explains each figure' });
export type PromisesReportAnswer = z.infer<typeof PromisesReportAnswer>;

export const ScriptsReportAnswer = z
  .object({
    team: z.string(),
    period: z.optional(
      describe(
        z.object({ from: Instant, to: Instant, firstDay: z.iso.date(), lastDay: z.iso.date() }),
        'The period asked for and the UTC days read for it (counts are kept by the UTC day the voicemail was left)',
      ),
    ),
    interval: z.string(),
    variants: z.array(
      z.object({
        variant: describe(z.string(), 'hot.uptime.b, or pair.price+cost_savings.a for a hand-written pair script'),
        family: z.string(),
        used: describe(count, 'Voicemails left with it'),
        callbacks: describe(count, 'Of those, followed by a call that reached the prospect'),
        rate: describe(z.nullable(z.number().check(z.minimum(0), z.maximum(1))), 'null for a variant never used'),
        low: describe(z.number(), '2.5% quantile of the rate'),
        high: describe(z.number(), '97.5% quantile of the rate'),
      }),
    ),
  })
  .register(components, { id: 'ScriptsReport' });
export type ScriptsReportAnswer = z.infer<typeof ScriptsReportAnswer>;

export const UnsubscribedAnswer = z
  .object({ unsubscribed: z.literal(true), email: z.string(), changed: describe(z.boolean(), 'false when the address was already unsubscribed') })
  .register(components, { id: 'Unsubscribed' });
export type UnsubscribedAnswer = z.infer<typeof UnsubscribedAnswer>;

export const ConsoleConfigAnswer = z
  .union([
    z.object({ signIn: z.literal('local') }),
    z.object({ signIn: z.literal('cognito'), domain: z.string(), clientId: z.string(), redirectUri: z.string(), logoutUri: z.string() }),
  ])
  .register(components, { id: 'ConsoleConfig', description: 'How the console signs in' });
export type ConsoleConfigAnswer = z.infer<typeof ConsoleConfigAnswer>;

/** The one-click unsubscribe body (RFC 8058 section 3.1). */
export const OneClickForm = z
  .object({ 'List-Unsubscribe': z.literal('One-Click') })
  .register(components, { id: 'OneClickUnsubscribe', description: 'RFC 8058: the body a mail client posts for one-click unsubscribe' });
