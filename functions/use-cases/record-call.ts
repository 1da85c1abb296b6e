/**
 * Records a call outcome: the call (never overwritten), the touches that keep its promises, the
 * prospect's new state, and the pending touches it supersedes, in one transaction conditioned on
 * the prospect's version; then the schedules. The same Idempotency-Key answers the first result.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { AddressSuppressedError, ConflictError, IdempotencyRaceError, NotFoundError, RuleError } from '../core/errors.js';
import { outcomeRecords, type Skipped } from '../core/outcome.js';
import { DEFAULT_TEAM, type Call, type CallInput, type Prospect, type Touch } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';
import { newId } from './support/ids.js';
import { cachedRep, type RepCache } from './support/rep-cache.js';
import { backOffOrThrow } from './support/retry.js';
import { applySchedules, repairSchedules } from './support/schedules.js';
import { answeredReminder, chooseReminderVariants, variantCountUpdate } from './support/script-variants.js';

/** Commits tried again when the planned email's address turns out suppressed (each time read and planned again). */
const MAX_SUPPRESSION_PASSES = 4;

/** Outcomes that end the cadence: no reminder follows them (core/cadence.ts). */
const PLANS_NO_REMINDER: ReadonlySet<string> = new Set(['not_interested', 'won']);

export interface RecordCallInput {
  repId: string;
  prospectId: string;
  call: CallInput;
  idempotencyKey?: string;
}

export interface RecordedCall {
  call: Call;
  /** The touches planned, as they stand after scheduling. */
  touches: Touch[];
  /** What the outcome would plan but did not, and why. */
  skipped: Skipped[];
  /** After voicemail or no answer: when the next attempt is (the promise the script made). */
  nextAttemptAt?: string;
  /** The prospect's zone, for showing times. */
  timezone: string;
}

export async function recordCall(
  deps: Pick<UseCaseDeps, 'store' | 'scheduler' | 'clock' | 'planner' | 'logger' | 'catalog' | 'random'> & {
    /** Reps read in the last seconds (the api's own, per container; a saved rep replaces its entry). */
    reps?: RepCache;
  },
  input: RecordCallInput,
): Promise<RecordedCall> {
  const { repId, prospectId, idempotencyKey } = input;
  const requestHash = hashRequest(prospectId, input.call);
  if (idempotencyKey) {
    const replay = await replayed(deps, repId, idempotencyKey, requestHash);
    if (replay) return withSchedules(deps, repId, prospectId, replay);
  }
  // The address's suppression entry, once a commit found the address suppressed (it is checked in the commit, not read first).
  let listed: { reason: NonNullable<Prospect['emailSuppressed']>['reason'] } | undefined;
  for (let writeAttempt = 1; ; writeAttempt++) {
    const repRead = cachedRep(deps, repId);
    // The team's script counts, for the reminders this outcome plans, read beside the prospect rather than after.
    // A failed early read answers nothing and is read again where it is needed.
    const countsRead = PLANS_NO_REMINDER.has(input.call.outcome)
      ? undefined
      : repRead.then((r) => (r ? deps.store.getVariantCounts(r.team ?? DEFAULT_TEAM) : undefined)).catch(() => undefined);
    const [bundle, rep] = await Promise.all([deps.store.getProspectBundle(repId, prospectId), repRead]);
    if (!bundle) throw new NotFoundError(`Prospect ${prospectId}`);
    if (!rep) throw new RuleError('rep_profile_missing', 'Create your rep profile first, so reminders know where to go');
    const { prospect } = bundle;
    const emailBlocked = prospect.emailSuppressed?.reason ?? listed?.reason;
    const records = outcomeRecords(
      {
        input: input.call,
        prospect,
        reminderChannel: rep.reminderChannel,
        ...(emailBlocked ? { emailBlocked } : {}),
        sentProspectEmails: bundle.touches.flatMap((t) => (t.recipient === 'prospect' && t.status === 'sent' && t.sentAt ? [t.sentAt] : [])),
        now: DateTime.fromJSDate(deps.clock.now()).toUTC(),
        newId,
      },
      deps.planner,
    );
    // Voicemail scripts: the variant a voicemail left, the ones the new reminders will speak, the team's counts.
    const team = rep.team ?? DEFAULT_TEAM;
    const answered = input.call.outcome === 'voicemail' ? answeredReminder(bundle) : undefined;
    if (answered?.scriptVariant) records.call.scriptVariant = answered.scriptVariant;
    await chooseReminderVariants(deps, team, records, bundle.calls, countsRead);
    const variantCounts = variantCountUpdate(team, records.call, bundle.calls);
    const superseded = bundle.touches.filter((t) => t.status === 'scheduled');
    const result: RecordedCall = {
      call: records.call,
      touches: records.touches,
      skipped: records.skipped,
      ...(records.plan.nextAttemptAt ? { nextAttemptAt: toUtcIso(records.plan.nextAttemptAt) } : {}),
      timezone: prospect.timezone,
    };
    try {
      await deps.store.commitOutcome({
        prospect: records.prospect,
        expectedVersion: prospect.version,
        call: records.call,
        newTouches: records.touches,
        cancelTouches: superseded.map((touch) => ({ touch, reason: `superseded by the ${input.call.outcome} call ${records.call.id}` })),
        ...(variantCounts ? { variantCounts } : {}),
        ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash, statusCode: 201, response: result } } : {}),
        // Email planned to an address not known to be suppressed: the commit holds only while it is not.
        ...(prospect.email && !emailBlocked && records.touches.some((t) => t.recipient === 'prospect') ? { unsuppressed: prospect.email } : {}),
      });
    } catch (error) {
      if (error instanceof AddressSuppressedError && prospect.email && writeAttempt < MAX_SUPPRESSION_PASSES) {
        // Unsubscribed, bounced or complained since: plan again without the email, saying why.
        const entry = await deps.store.getSuppression(prospect.email);
        if (entry) listed = { reason: entry.reason };
        continue;
      }
      if (error instanceof IdempotencyRaceError && idempotencyKey) {
        const replay = await replayed(deps, repId, idempotencyKey, requestHash);
        if (replay) return withSchedules(deps, repId, prospectId, replay);
      }
      await backOffOrThrow(error, writeAttempt);
      continue;
    }
    const statuses = records.touches.map((t) => t.status);
    await applySchedules(deps, records.touches, superseded);
    // A replay answers what the first call answered: a touch that could not be scheduled included.
    if (idempotencyKey && records.touches.some((t, i) => t.status !== statuses[i])) {
      await deps.store.updateIdempotencyResponse(repId, idempotencyKey, result);
    }
    deps.logger.info('call recorded', { repId, prospectId, outcome: input.call.outcome, touches: records.touches.length, superseded: superseded.length });
    return result;
  }
}

/**
 * A retry of a recorded call: the first may have died between its commit and its schedule writes
 * (the client saw no answer, so it retries), so every touch still scheduled, and every touch the
 * call planned, gets its schedule checked and rewritten where it is missing or stale.
 */
async function withSchedules(deps: Pick<UseCaseDeps, 'store' | 'scheduler' | 'clock' | 'logger'>, repId: string, prospectId: string, replay: RecordedCall): Promise<RecordedCall> {
  const bundle = await deps.store.getProspectBundle(repId, prospectId);
  const planned = new Set(replay.touches.map((t) => t.id));
  const touches = (bundle?.touches ?? []).filter((t) => t.status === 'scheduled' || planned.has(t.id));
  const repaired = await repairSchedules(deps, touches);
  if (repaired) deps.logger.warn('a retried call found schedules missing and made them', { repId, prospectId, callId: replay.call.id, repaired });
  return replay;
}

async function replayed(deps: Pick<UseCaseDeps, 'store'>, repId: string, key: string, requestHash: string): Promise<RecordedCall | undefined> {
  const record = await deps.store.getIdempotency(repId, key);
  if (!record) return undefined;
  if (record.requestHash !== requestHash) {
    throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was used with a different request: use a new key for a new call');
  }
  return record.response as RecordedCall;
}

function hashRequest(prospectId: string, input: unknown): string {
  return createHash('sha256').update(prospectId).update('\n').update(stableJson(input)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
