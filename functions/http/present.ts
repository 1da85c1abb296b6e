/**
 * How records look in API answers: instants in UTC with `...Local` twins in the prospect's zone,
 * internal bookkeeping left out. Each presenter returns the type of its response schema
 * (responses.ts), which the OpenAPI document is generated from: a field named here and not there,
 * or required there and missing here, fails the type check. The import is types only, so the
 * schemas stay out of the Lambda bundles.
 */
import type { Call, Prospect, Rep, Touch } from '../core/schemas.js';
import type { PromisesReport } from '../core/reports.js';
import { toLocalIso } from '../core/time.js';
import type { ProspectBundle } from '../ports/store.js';
import type { Followups } from '../use-cases/list-followups.js';
import type { RecordedCall } from '../use-cases/record-call.js';
import type { Preview } from '../use-cases/render-preview.js';
import type { ScriptsReport } from '../use-cases/report-scripts.js';
import type {
  CallAnswer,
  FollowupsAnswer,
  PreviewAnswer,
  PromisesReportAnswer,
  ProspectAnswer,
  ProspectBundleAnswer,
  RecordedCallAnswer,
  RepAnswer,
  ScriptsReportAnswer,
  TouchAnswer,
  UnsubscribedAnswer,
} from './responses.js';

/**
 * The answer exactly as its schema declares it: missing or mistyped fields fail as with a plain
 * return type, and so does a field the schema does not declare (spreads escape excess-property checks).
 */
const exactly =
  <T>() =>
  <U extends T>(value: U & { [K in Exclude<keyof U, keyof T>]: never }): T =>
    value;

/** Present only the fields that are there: an absent field stays absent, never `undefined`. */
const some = <K extends string, V>(key: K, value: V | null | undefined) => (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };

export function presentRep(r: Rep): RepAnswer {
  return exactly<RepAnswer>()({
    id: r.id,
    name: r.name,
    email: r.email,
    ...some('phone', r.phone),
    timezone: r.timezone,
    reminderChannel: r.reminderChannel,
    ...some('company', r.company),
    ...some('signature', r.signature),
    ...some('team', r.team),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  });
}

export function presentTouch(t: Touch, zone: string = t.timezone): TouchAnswer {
  return exactly<TouchAnswer>()({
    id: t.id,
    prospectId: t.prospectId,
    kind: t.kind,
    channel: t.channel,
    recipient: t.recipient,
    status: t.status,
    dueAt: t.dueAt,
    dueAtLocal: toLocalIso(t.dueAt, zone),
    ...some('attempt', t.attempt),
    ...(t.promiseAt ? { promiseAt: t.promiseAt, promiseAtLocal: toLocalIso(t.promiseAt, zone) } : {}),
    ...some('template', t.template),
    ...some('scriptVariant', t.scriptVariant),
    ...some('reason', t.reason),
    ...some('sentAt', t.sentAt),
    ...some('messageId', t.messageId),
    ...some('redrivenAt', t.redrivenAt),
    ...some('notice', t.notice),
    ...some('about', t.about),
    ...(t.deliveries?.length ? { deliveries: t.deliveries } : {}),
  });
}

export function presentProspect(p: Prospect): ProspectAnswer {
  const local = (at: string | undefined) => (at ? toLocalIso(at, p.timezone) : undefined);
  return exactly<ProspectAnswer>()({
    id: p.id,
    repId: p.repId,
    name: p.name,
    ...some('company', p.company),
    ...some('email', p.email),
    ...some('phone', p.phone),
    timezone: p.timezone,
    ...some('country', p.country),
    hotButtons: p.hotButtons,
    status: p.status,
    ...some('callbackAt', p.callbackAt),
    ...some('callbackAtLocal', local(p.callbackAt)),
    ...some('attemptDueAt', p.attemptDueAt),
    ...some('attemptDueAtLocal', local(p.attemptDueAt)),
    ...some('emailSuppressed', p.emailSuppressed),
    attempts: p.attempts,
    ...some('lastCallId', p.lastCallId),
    ...some('lastCallAt', p.lastCallAt),
    ...some('lastCallAtLocal', local(p.lastCallAt)),
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  });
}

export function presentCall(c: Call, zone: string): CallAnswer {
  return exactly<CallAnswer>()({
    id: c.id,
    prospectId: c.prospectId,
    repId: c.repId,
    outcome: c.outcome,
    at: c.at,
    atLocal: toLocalIso(c.at, zone),
    ...(c.callbackAt ? { callbackAt: c.callbackAt, callbackAtLocal: toLocalIso(c.callbackAt, zone) } : {}),
    ...some('stallReason', c.stallReason),
    hotButtons: c.hotButtons,
    ...some('discussed', c.discussed),
    ...some('whatHappensNext', c.whatHappensNext),
    decisionMakers: c.decisionMakers,
    materials: c.materials,
    ...some('notes', c.notes),
    sendRecap: c.sendRecap,
    ...some('sendEmail', c.sendEmail),
    ...some('scriptVariant', c.scriptVariant),
    recordedAt: c.recordedAt,
  });
}

export function presentBundle(bundle: ProspectBundle): ProspectBundleAnswer {
  const zone = bundle.prospect.timezone;
  return exactly<ProspectBundleAnswer>()({
    prospect: presentProspect(bundle.prospect),
    calls: bundle.calls.map((c) => presentCall(c, zone)),
    touches: bundle.touches.map((t) => presentTouch(t, zone)),
  });
}

/** The answer to POST /v1/prospects/{id}/calls. */
export function presentRecordedCall(r: RecordedCall): RecordedCallAnswer {
  return exactly<RecordedCallAnswer>()({
    call: presentCall(r.call, r.timezone),
    plan: r.touches.map((t) => presentTouch(t, r.timezone)),
    skipped: r.skipped ?? [],
    ...(r.nextAttemptAt ? { nextAttemptAt: r.nextAttemptAt, nextAttemptAtLocal: toLocalIso(r.nextAttemptAt, r.timezone) } : {}),
  });
}

/** The answer to GET /v1/followups: each touch names its prospect, so the agenda needs no second read. */
export function presentFollowups(f: Followups): FollowupsAnswer {
  const present = (t: Touch) => ({ ...presentTouch(t), prospectName: t.prospectName });
  return {
    from: f.from,
    to: f.to,
    touches: f.touches.map(present),
    failed: f.failed.map(present),
    callsDue: f.callsDue.map((c) => ({
      prospectId: c.prospect.id,
      prospectName: c.prospect.name,
      dueAt: c.dueAt,
      dueAtLocal: toLocalIso(c.dueAt, c.prospect.timezone),
      attempt: c.attempt,
    })),
  };
}

/** A preview names its kind, so a client can tell an email from a voicemail script or an SMS. */
export function presentPreview(p: Preview): PreviewAnswer {
  if (p.kind === 'voicemail') return exactly<Extract<PreviewAnswer, { kind: 'voicemail' }>>()({ kind: p.kind, text: p.text, template: p.template, variant: p.variant, lines: p.lines });
  if (p.kind === 'sms') return exactly<Extract<PreviewAnswer, { kind: 'sms' }>>()({ kind: p.kind, text: p.text, template: p.template, segments: p.segments, encoding: p.encoding });
  return exactly<Extract<PreviewAnswer, { subject: string }>>()({ kind: p.kind, subject: p.subject, text: p.text, html: p.html, template: p.template });
}

export function presentPromisesReport(r: PromisesReport): PromisesReportAnswer {
  return exactly<PromisesReportAnswer>()({
    from: r.from,
    to: r.to,
    windowMinutes: r.windowMinutes,
    promisesKept: r.promisesKept,
    reachByAttempt: r.reachByAttempt,
    reachByLocalHour: r.reachByLocalHour,
    callbacksAfterVoicemail: r.callbacksAfterVoicemail,
  });
}

const places = (n: number) => Math.round(n * 1000) / 1000;

/** The answer to GET /v1/reports/scripts: rates and interval ends to three places. */
export function presentScriptsReport(r: ScriptsReport): ScriptsReportAnswer {
  return exactly<ScriptsReportAnswer>()({
    team: r.team,
    ...(r.period ? { period: r.period } : {}),
    interval: '95% equal-tailed credible interval of the callback rate (Beta posterior, uniform prior)',
    variants: r.variants.map((v) => ({
      variant: v.variant,
      family: v.family,
      used: v.used,
      callbacks: v.callbacks,
      rate: v.rate === null ? null : places(v.rate),
      low: places(v.low),
      high: places(v.high),
    })),
  });
}

/** The one-click unsubscribe's answer to a program (Accept: application/json). */
export function presentUnsubscribed(email: string, changed: boolean): UnsubscribedAnswer {
  return { unsubscribed: true, email, changed };
}
