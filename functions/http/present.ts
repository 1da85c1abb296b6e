/**
 * How records look in API answers: instants in UTC with `...Local` twins in the prospect's zone,
 * internal bookkeeping left out.
 */
import type { Call, Prospect, Touch } from '../core/schemas.js';
import { toLocalIso } from '../core/time.js';
import type { ProspectBundle } from '../ports/store.js';
import type { RecordedCall } from '../use-cases/record-call.js';
import type { ScriptsReport } from '../use-cases/report-scripts.js';

export function presentTouch(t: Touch, zone: string = t.timezone) {
  return {
    id: t.id,
    prospectId: t.prospectId,
    kind: t.kind,
    channel: t.channel,
    recipient: t.recipient,
    status: t.status,
    dueAt: t.dueAt,
    dueAtLocal: toLocalIso(t.dueAt, zone),
    ...(t.attempt !== undefined ? { attempt: t.attempt } : {}),
    ...(t.promiseAt ? { promiseAt: t.promiseAt, promiseAtLocal: toLocalIso(t.promiseAt, zone) } : {}),
    ...(t.template ? { template: t.template } : {}),
    ...(t.scriptVariant ? { scriptVariant: t.scriptVariant } : {}),
    ...(t.reason ? { reason: t.reason } : {}),
    ...(t.sentAt ? { sentAt: t.sentAt } : {}),
    ...(t.messageId ? { messageId: t.messageId } : {}),
    ...(t.deliveries?.length ? { deliveries: t.deliveries } : {}),
    ...(t.redrivenAt ? { redrivenAt: t.redrivenAt } : {}),
  };
}

export function presentProspect(p: Prospect) {
  return {
    ...p,
    ...(p.callbackAt ? { callbackAtLocal: toLocalIso(p.callbackAt, p.timezone) } : {}),
    ...(p.attemptDueAt ? { attemptDueAtLocal: toLocalIso(p.attemptDueAt, p.timezone) } : {}),
  };
}

export function presentCall(c: Call, zone: string) {
  return {
    ...c,
    atLocal: toLocalIso(c.at, zone),
    ...(c.callbackAt ? { callbackAtLocal: toLocalIso(c.callbackAt, zone) } : {}),
  };
}

export function presentBundle(bundle: ProspectBundle) {
  const zone = bundle.prospect.timezone;
  return {
    prospect: presentProspect(bundle.prospect),
    calls: bundle.calls.map((c) => presentCall(c, zone)),
    touches: bundle.touches.map((t) => presentTouch(t, zone)),
  };
}

/** The answer to POST /v1/prospects/{id}/calls. */
export function presentRecordedCall(r: RecordedCall) {
  return {
    call: presentCall(r.call, r.timezone),
    plan: r.touches.map((t) => presentTouch(t, r.timezone)),
    skipped: r.skipped ?? [],
    ...(r.nextAttemptAt ? { nextAttemptAt: r.nextAttemptAt, nextAttemptAtLocal: toLocalIso(r.nextAttemptAt, r.timezone) } : {}),
  };
}

const places = (n: number) => Math.round(n * 1000) / 1000;

/** The answer to GET /v1/reports/scripts: rates and interval ends to three places. */
export function presentScriptsReport(r: ScriptsReport) {
  return {
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
  };
}
