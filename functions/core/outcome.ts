/**
 * From a call outcome to the records that keep its promises: the call, the touches the planner
 * asks for, and the prospect as it stands afterwards. Pure: ids and now are given.
 */
import { DateTime } from 'luxon';
import type { CadencePlanner, Plan, SkipReasonCode, SkippedTouch } from './cadence.js';
import { RuleError, ValidationError } from './errors.js';
import type { Call, CallInput, Prospect, Touch } from './schemas.js';
import { humanClock, parseTimeInZone, toLocalIso, toUtcIso } from './time.js';

/** How far ahead of now a call's `at` may be (clock skew between the rep's device and us). */
const FUTURE_TOLERANCE_MINUTES = 5;

export interface OutcomeContext {
  input: CallInput;
  prospect: Prospect;
  reminderChannel: 'email' | 'sms';
  /** Why the prospect's address may not get email (unsubscribed, bounced, complained), if it may not. */
  emailBlocked?: 'unsubscribed' | 'bounced' | 'complained';
  /** When the prospect's emails that went out were sent (ISO instants), for the email budget. */
  sentProspectEmails?: readonly string[];
  now: DateTime;
  newId: () => string;
}

/** A touch the outcome did not plan, and why: a stable code and a sentence for the rep. */
export interface Skipped {
  kind: SkippedTouch['kind'];
  reason: SkipReasonCode;
  message: string;
}

export interface OutcomeRecords {
  call: Call;
  plan: Plan;
  touches: Touch[];
  skipped: Skipped[];
  /** The prospect after the outcome; its version is one more than the one read. */
  prospect: Prospect;
}

/** Reads an ISO-8601 instant or a wall time in `zone`; a DST gap or overlap is a refusal, not a guess. */
export function readTime(value: string, zone: string, field: string): DateTime {
  const parsed = parseTimeInZone(value, zone);
  if (parsed.ok) return parsed.utc;
  if (parsed.problem === 'invalid') throw new ValidationError(`${field} is not valid: ${parsed.message}`, [{ path: field, message: parsed.message }]);
  throw new RuleError(`${parsed.problem}_local_time`, parsed.message, [{ path: field, message: parsed.message }]);
}

export function outcomeRecords(ctx: OutcomeContext, planner: CadencePlanner): OutcomeRecords {
  const { input, prospect, now } = ctx;
  const zone = prospect.timezone;
  const callAt = input.at ? readTime(input.at, zone, 'at') : now;
  if (callAt > now.plus({ minutes: FUTURE_TOLERANCE_MINUTES })) {
    throw new RuleError('call_in_future', 'at is in the future: give the time the call happened, or leave it out for now', [
      { path: 'at', message: 'Must not be in the future' },
    ]);
  }
  let callbackAt: DateTime | undefined;
  if (input.callbackAt) {
    callbackAt = readTime(input.callbackAt, zone, 'callbackAt');
    if (callbackAt <= now) {
      throw new RuleError('callback_in_past', `callbackAt ${toLocalIso(callbackAt, zone)} is in the past: agree a time from now on`, [
        { path: 'callbackAt', message: 'Must be in the future' },
      ]);
    }
  }

  const plan = planner.plan({
    outcome: input.outcome,
    now,
    callAt,
    callbackAt,
    stallReason: input.stallReason,
    materials: input.materials ?? [],
    sendRecap: input.sendRecap ?? true,
    ...(input.sendEmail !== undefined ? { sendEmail: input.sendEmail } : {}),
    reminderChannel: ctx.reminderChannel,
    prospect: {
      id: prospect.id,
      timezone: zone,
      country: prospect.country,
      email: ctx.emailBlocked ? undefined : prospect.email,
      ...(ctx.emailBlocked ? { emailBlocked: ctx.emailBlocked } : {}),
      attempts: prospect.attempts,
      attemptDueAt: prospect.attemptDueAt ? DateTime.fromISO(prospect.attemptDueAt, { zone: 'utc' }) : undefined,
    },
    sentProspectEmails: (ctx.sentProspectEmails ?? []).map((at) => DateTime.fromISO(at, { zone: 'utc' })),
  });

  const nowIso = toUtcIso(now);
  const call: Call = {
    id: ctx.newId(),
    prospectId: prospect.id,
    repId: prospect.repId,
    outcome: input.outcome,
    at: toUtcIso(callAt),
    ...(plan.callbackAt ? { callbackAt: toUtcIso(plan.callbackAt) } : {}),
    ...(input.stallReason ? { stallReason: input.stallReason } : {}),
    hotButtons: input.hotButtons ?? [],
    ...(input.discussed ? { discussed: input.discussed } : {}),
    ...(input.whatHappensNext ? { whatHappensNext: input.whatHappensNext } : {}),
    decisionMakers: input.decisionMakers ?? [],
    materials: input.materials ?? [],
    ...(input.notes ? { notes: input.notes } : {}),
    sendRecap: input.sendRecap ?? true,
    ...(input.sendEmail !== undefined ? { sendEmail: input.sendEmail } : {}),
    recordedAt: nowIso,
  };
  const touches = touchesFor(plan, call, prospect, nowIso, ctx.newId);
  const hotButtons = dedupe([...(input.hotButtons ?? []), ...prospect.hotButtons]);
  const skipped = plan.skipped.map((skip) => ({ ...skip, message: skipMessage(skip, prospect, callAt, planner) }));
  return { call, plan, touches, skipped, prospect: prospectAfter(prospect, plan, call, hotButtons, nowIso) };
}

function touchesFor(plan: Plan, call: Call, prospect: Prospect, nowIso: string, newId: () => string): Touch[] {
  return plan.touches.map((p) => ({
    id: newId(),
    repId: call.repId,
    prospectId: call.prospectId,
    callId: call.id,
    kind: p.kind,
    channel: p.channel,
    recipient: p.recipient,
    status: 'scheduled' as const,
    dueAt: toUtcIso(p.dueAt),
    timezone: prospect.timezone,
    prospectName: prospect.name,
    ...(p.attempt !== undefined ? { attempt: p.attempt } : {}),
    ...(p.promiseAt !== undefined ? { promiseAt: p.promiseAt ? toUtcIso(p.promiseAt) : null } : {}),
    ...(call.callbackAt && p.kind !== 'final_email' && p.kind !== 'rep_notice' ? { callbackAt: call.callbackAt } : {}),
    ...(p.notice ? { notice: p.notice } : {}),
    createdAt: nowIso,
    updatedAt: nowIso,
  }));
}

function prospectAfter(prospect: Prospect, plan: Plan, call: Call, hotButtons: string[], nowIso: string): Prospect {
  const next: Prospect = {
    ...prospect,
    hotButtons,
    status: plan.status,
    attempts: plan.attempts,
    lastCallId: call.id,
    lastCallAt: call.at,
    version: prospect.version + 1,
    updatedAt: nowIso,
  };
  if (plan.attemptDueAt) next.attemptDueAt = toUtcIso(plan.attemptDueAt);
  else delete next.attemptDueAt;
  if (plan.callbackAt) next.callbackAt = toUtcIso(plan.callbackAt);
  if (plan.status === 'closed') delete next.callbackAt;
  return next;
}

/** A rep notice: a touch to the rep, due now, saying what happened to a prospect. */
export function repNotice(prospect: Prospect, notice: string, nowIso: string, id: string): Touch {
  return {
    id,
    repId: prospect.repId,
    prospectId: prospect.id,
    callId: prospect.lastCallId ?? 'none',
    kind: 'rep_notice',
    channel: 'email',
    recipient: 'rep',
    status: 'scheduled',
    dueAt: nowIso,
    timezone: prospect.timezone,
    prospectName: prospect.name,
    notice,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
}

export function dedupe(list: readonly string[]): string[] {
  return [...new Set(list)];
}

const WHAT: Record<SkippedTouch['kind'], string> = {
  recap: 'No recap',
  resend_materials: 'Materials not resent',
  voicemail_email: 'No note after the voicemail',
  final_email: 'No last email',
  rep_reminder: 'No reminder',
  rep_notice: 'No notice',
};

/** The sentence a rep reads for a touch that was left out. */
export function skipMessage(skip: SkippedTouch, prospect: Prospect, callAt: DateTime, planner: CadencePlanner): string {
  const name = prospect.name.split(/\s+/)[0] ?? prospect.name;
  const { quietHours, prospectEmailBudget: budget } = planner.policy;
  const why: Record<SkipReasonCode, string> = {
    not_requested: 'you asked for none on this call',
    no_agreed_time: 'no callback time was agreed, so there is no time to confirm',
    no_email: `${name} has no email address on file`,
    unsubscribed: `${name} unsubscribed from email`,
    bounced: `${name}'s email address bounced`,
    complained: `${name} marked an email as spam`,
    quiet_hours: `it would reach ${name} in their quiet hours (${quietHours.start}-${quietHours.end}, now ${humanClock(callAt, prospect.timezone)} there) and not before the next call`,
    holiday: `it is a public holiday where ${name} is${prospect.country ? ` (${prospect.country})` : ''}, and the next call comes first`,
    too_soon: 'the next call is too soon for it to arrive first',
    over_budget: `${name} would get more than ${budget.max} emails from you within ${budget.days} days, the most the policy allows`,
    cadence_ended: `the follow-up cadence already ended with one and you were told; log a callback or a stalled call to plan again`,
  };
  return `${WHAT[skip.kind]}: ${why[skip.reason]}.`;
}
