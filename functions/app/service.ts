/**
 * The use cases behind the HTTP API. Everything here works through the ports, so the Lambda
 * handler and the local runtime run the same code.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { monotonicFactory } from 'ulid';
import type { CadencePlanner, Plan } from '../core/cadence.js';
import {
  ConflictError,
  IdempotencyRaceError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
  VersionConflictError,
} from '../core/errors.js';
import {
  CallInput,
  ProspectInput,
  ProspectPatch,
  RepInput,
  TouchPatch,
  type Call,
  type Prospect,
  type Rep,
  type Touch,
} from '../core/schemas.js';
import { parseTimeInZone, toLocalIso, toUtcIso } from '../core/time.js';
import type { Clock, TouchScheduler } from '../ports.js';
import { presentCall, presentProspect, presentTouch } from './present.js';
import type { Store } from './store.js';
import { parse } from './validate.js';

import { silentLogger, type Logger } from './logger.js';
export { silentLogger, type Logger } from './logger.js';

export interface ServiceDeps {
  store: Store;
  scheduler: TouchScheduler;
  clock: Clock;
  planner: CadencePlanner;
  logger?: Logger;
  /** Attempts at an optimistic-lock write before answering 409. */
  maxWriteAttempts?: number;
}

const newId = monotonicFactory();

export function scheduleName(touchId: string): string {
  return `touch-${touchId}`;
}

/** What `POST /v1/prospects/{id}/calls` answers. */
export interface CallResult {
  call: ReturnType<typeof presentCall>;
  plan: ReturnType<typeof presentTouch>[];
  nextAttemptAt?: string;
  nextAttemptAtLocal?: string;
}

export class FollowthroughService {
  private readonly store: Store;
  private readonly scheduler: TouchScheduler;
  private readonly clock: Clock;
  readonly planner: CadencePlanner;
  private readonly log: Logger;
  private readonly maxWriteAttempts: number;

  constructor(deps: ServiceDeps) {
    this.store = deps.store;
    this.scheduler = deps.scheduler;
    this.clock = deps.clock;
    this.planner = deps.planner;
    this.log = deps.logger ?? silentLogger;
    this.maxWriteAttempts = deps.maxWriteAttempts ?? 40;
  }

  // ---- reps -----------------------------------------------------------------------------

  async putRep(repId: string, body: unknown): Promise<Rep> {
    const input = parse(RepInput, body);
    if (input.reminderChannel === 'sms' && !input.phone) {
      throw new ValidationError('A phone number is needed for SMS reminders', [
        { path: 'phone', message: 'Give a phone in E.164 format, or set reminderChannel to "email"' },
      ]);
    }
    const now = this.nowIso();
    const existing = await this.store.getRep(repId);
    const rep: Rep = { id: repId, ...input, createdAt: existing?.createdAt ?? now, updatedAt: now };
    await this.store.putRep(rep);
    return rep;
  }

  async getRep(repId: string): Promise<Rep> {
    const rep = await this.store.getRep(repId);
    if (!rep) throw new NotFoundError('Your rep profile (create it with PUT /v1/reps/me)');
    return rep;
  }

  // ---- prospects ------------------------------------------------------------------------

  async createProspect(repId: string, body: unknown) {
    const input = parse(ProspectInput, body);
    const now = this.nowIso();
    const prospect: Prospect = {
      ...input,
      id: input.id ?? newId().toLowerCase(),
      repId,
      hotButtons: dedupe(input.hotButtons ?? []),
      status: 'active',
      attempts: 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.createProspect(prospect);
    return presentProspect(prospect);
  }

  async getProspect(repId: string, prospectId: string) {
    const bundle = await this.bundle(repId, prospectId);
    const zone = bundle.prospect.timezone;
    return {
      prospect: presentProspect(bundle.prospect),
      calls: bundle.calls.map((c) => presentCall(c, zone)),
      touches: bundle.touches.map((t) => presentTouch(t, zone)),
    };
  }

  async patchProspect(repId: string, prospectId: string, body: unknown) {
    const patch = parse(ProspectPatch, body);
    for (let attempt = 1; ; attempt++) {
      const prospect = await this.store.getProspect(repId, prospectId);
      if (!prospect) throw new NotFoundError(`Prospect ${prospectId}`);
      const next: Prospect = { ...prospect, version: prospect.version + 1, updatedAt: this.nowIso() };
      for (const [field, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        if (value === null) delete (next as unknown as Record<string, unknown>)[field];
        else (next as unknown as Record<string, unknown>)[field] = value;
      }
      if (patch.hotButtons) next.hotButtons = dedupe(patch.hotButtons);
      if (patch.email && patch.email !== prospect.email) delete next.emailSuppressed;
      try {
        await this.store.saveProspect(next, prospect.version);
        return presentProspect(next);
      } catch (error) {
        await this.retryOrThrow(error, attempt);
      }
    }
  }

  // ---- calls ----------------------------------------------------------------------------

  async postCall(repId: string, prospectId: string, body: unknown, idempotencyKey?: string): Promise<CallResult> {
    const input = parse(CallInput, body);
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw new ValidationError('The Idempotency-Key header is not valid', [
        { path: 'Idempotency-Key', message: 'Use 1-200 visible ASCII characters, for example a UUID' },
      ]);
    }
    if (input.outcome === 'callback_agreed' && !input.callbackAt) {
      throw new ValidationError('callbackAt is required when the outcome is callback_agreed', [
        { path: 'callbackAt', message: 'Give the agreed callback time, for example 2026-11-25T15:00:00-05:00' },
      ]);
    }
    if (input.outcome === 'stalled' && !input.stallReason) {
      throw new ValidationError('stallReason is required when the outcome is stalled', [
        { path: 'stallReason', message: 'Say what the prospect is waiting on, for example waiting_on_customer' },
      ]);
    }
    const requestHash = hashRequest(prospectId, input);
    if (idempotencyKey) {
      const replay = await this.replay(repId, idempotencyKey, requestHash);
      if (replay) return replay;
    }

    for (let writeAttempt = 1; ; writeAttempt++) {
      const [bundle, rep] = await Promise.all([this.bundle(repId, prospectId), this.store.getRep(repId)]);
      if (!rep) {
        throw new UnprocessableError('rep_profile_missing', 'Create your rep profile first with PUT /v1/reps/me, so reminders know where to go');
      }
      const { prospect } = bundle;
      const suppressed = prospect.emailSuppressed || (prospect.email ? await this.store.getSuppression(prospect.email) : undefined);
      const now = DateTime.fromJSDate(this.clock.now()).toUTC();
      const callAt = input.at ? this.readTime(input.at, prospect.timezone, 'at') : now;
      if (callAt > now.plus({ minutes: 5 })) {
        throw new UnprocessableError('call_in_future', 'at is in the future: give the time the call happened, or leave it out for now', [
          { path: 'at', message: 'Must not be in the future' },
        ]);
      }
      let callbackAt: DateTime | undefined;
      if (input.callbackAt) {
        callbackAt = this.readTime(input.callbackAt, prospect.timezone, 'callbackAt');
        if (callbackAt <= now) {
          throw new UnprocessableError(
            'callback_in_past',
            `callbackAt ${toLocalIso(callbackAt, prospect.timezone)} is in the past: agree a time from now on`,
            [{ path: 'callbackAt', message: 'Must be in the future' }],
          );
        }
      }

      const hotButtons = dedupe([...(input.hotButtons ?? []), ...prospect.hotButtons]);
      const plan = this.planner.plan({
        outcome: input.outcome,
        now,
        callAt,
        callbackAt,
        stallReason: input.stallReason,
        materials: input.materials ?? [],
        sendRecap: input.sendRecap ?? true,
        reminderChannel: rep.reminderChannel,
        prospect: {
          id: prospect.id,
          timezone: prospect.timezone,
          country: prospect.country,
          email: suppressed ? undefined : prospect.email,
          attempts: prospect.attempts,
          attemptDueAt: prospect.attemptDueAt ? DateTime.fromISO(prospect.attemptDueAt, { zone: 'utc' }) : undefined,
        },
      });

      const nowIso = toUtcIso(now);
      const call: Call = {
        id: newId(),
        prospectId,
        repId,
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
        recordedAt: nowIso,
      };
      const touches = this.touchesFor(plan, call, prospect, nowIso);
      const next = this.prospectAfter(prospect, plan, call, hotButtons, nowIso);
      const superseded = bundle.touches.filter((t) => t.status === 'scheduled');
      const result: CallResult = {
        call: presentCall(call, prospect.timezone),
        plan: touches.map((t) => presentTouch(t, prospect.timezone)),
        ...(plan.nextAttemptAt
          ? { nextAttemptAt: toUtcIso(plan.nextAttemptAt), nextAttemptAtLocal: toLocalIso(plan.nextAttemptAt, prospect.timezone) }
          : {}),
      };
      try {
        await this.store.commitOutcome({
          prospect: next,
          expectedVersion: prospect.version,
          call,
          newTouches: touches,
          cancelTouches: superseded.map((touch) => ({ touch, reason: `superseded by the ${input.outcome} call ${call.id}` })),
          ...(idempotencyKey ? { idempotency: { key: idempotencyKey, requestHash, statusCode: 201, response: result } } : {}),
        });
      } catch (error) {
        if (error instanceof IdempotencyRaceError && idempotencyKey) {
          const replay = await this.replay(repId, idempotencyKey, requestHash);
          if (replay) return replay;
        }
        await this.retryOrThrow(error, writeAttempt);
        continue;
      }
      await this.applySchedules(touches, superseded, next);
      result.plan = touches.map((t) => presentTouch(t, prospect.timezone));
      this.log.info('call recorded', { repId, prospectId, outcome: input.outcome, touches: touches.length, superseded: superseded.length });
      return result;
    }
  }

  // ---- touches --------------------------------------------------------------------------

  async listFollowups(repId: string, query: Record<string, string | undefined>) {
    const now = DateTime.fromJSDate(this.clock.now()).toUTC();
    const from = query.from ? this.readInstant(query.from, 'from') : now.minus({ days: 1 });
    const to = query.to ? this.readInstant(query.to, 'to') : from.plus({ days: 14 });
    if (to <= from) {
      throw new ValidationError('to must be after from', [{ path: 'to', message: 'Give a time after from' }]);
    }
    const touches = await this.store.listFollowups(repId, toUtcIso(from), toUtcIso(to));
    return {
      from: toUtcIso(from),
      to: toUtcIso(to),
      touches: touches.map((t) => ({ ...presentTouch(t, t.timezone), prospectName: t.prospectName })),
    };
  }

  async rescheduleTouch(repId: string, touchId: string, body: unknown) {
    const { dueAt } = parse(TouchPatch, body);
    const touch = await this.ownTouch(repId, touchId);
    if (touch.status !== 'scheduled') {
      throw new UnprocessableError('touch_not_pending', `This touch is ${touch.status}: only a scheduled touch can be moved`);
    }
    const now = DateTime.fromJSDate(this.clock.now()).toUTC();
    const due = this.readTime(dueAt, touch.timezone, 'dueAt');
    if (due <= now) {
      throw new UnprocessableError('due_in_past', `dueAt ${toLocalIso(due, touch.timezone)} is in the past: pick a time from now on`, [
        { path: 'dueAt', message: 'Must be in the future' },
      ]);
    }
    const dueIso = toUtcIso(due);
    const update: Partial<Touch> = { dueAt: dueIso };
    const prospect = await this.store.getProspect(repId, touch.prospectId);
    const isCurrentAttempt = touch.kind === 'rep_reminder' && prospect?.attemptDueAt === touch.dueAt;
    if (touch.kind === 'rep_reminder' && touch.attempt && prospect) {
      // The promise in the voicemail script is computed from the attempt's own time: move both.
      const promise = this.planner.promiseAfter(due, touch.attempt, { id: prospect.id, timezone: prospect.timezone, country: prospect.country }, now);
      update.promiseAt = promise ? toUtcIso(promise) : null;
    }
    const ok = await this.store.updateTouch(touch, { dueAt: dueIso, promiseAt: update.promiseAt }, 'scheduled');
    if (!ok) throw new ConflictError('version_conflict', 'The touch changed while it was being moved: read it again and retry');
    const moved: Touch = { ...touch, ...update } as Touch;
    if (isCurrentAttempt && prospect) await this.moveAttempt(prospect, touch.dueAt, dueIso);
    await this.scheduler.create({ name: scheduleName(touch.id), at: due.toJSDate(), payload: firePayload(moved) });
    return presentTouch(moved, touch.timezone);
  }

  async cancelTouch(repId: string, touchId: string) {
    const touch = await this.ownTouch(repId, touchId);
    if (touch.status !== 'scheduled') return presentTouch(touch, touch.timezone);
    const ok = await this.store.updateTouch(touch, { status: 'cancelled', reason: 'cancelled by the rep', claimedAt: null }, 'scheduled');
    const current = ok ? { ...touch, status: 'cancelled' as const, reason: 'cancelled by the rep' } : await this.ownTouch(repId, touchId);
    if (ok) await this.scheduler.delete(scheduleName(touch.id));
    return presentTouch(current, touch.timezone);
  }

  // ---- suppression ----------------------------------------------------------------------

  /**
   * Stops prospect-facing email to an address: on the suppression list for good, the prospect
   * marked, their pending prospect emails cancelled and the rep told. Rep reminders go on.
   * Doing it again changes nothing and tells nobody twice.
   */
  async suppressEmail(input: { repId: string; prospectId: string; email: string; reason: 'unsubscribed' | 'bounced' | 'complained' }) {
    const email = input.email.trim().toLowerCase();
    const nowIso = this.nowIso();
    const added = await this.store.addSuppression({ email, reason: input.reason, at: nowIso, repId: input.repId, prospectId: input.prospectId });
    for (let attempt = 1; ; attempt++) {
      const bundle = await this.store.getProspectBundle(input.repId, input.prospectId);
      if (!bundle) return { suppressed: true, changed: added, cancelled: 0 };
      const { prospect } = bundle;
      if (prospect.email?.toLowerCase() !== email || prospect.emailSuppressed) return { suppressed: true, changed: added, cancelled: 0 };
      const cancel = bundle.touches.filter((t) => t.status === 'scheduled' && t.recipient === 'prospect');
      const next: Prospect = { ...prospect, emailSuppressed: { reason: input.reason, at: nowIso }, version: prospect.version + 1, updatedAt: nowIso };
      const notice: Touch = {
        id: newId(),
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
        notice: input.reason,
        createdAt: nowIso,
        updatedAt: nowIso,
      };
      try {
        await this.store.commitOutcome({
          prospect: next,
          expectedVersion: prospect.version,
          newTouches: [notice],
          cancelTouches: cancel.map((touch) => ({ touch, reason: `the address ${input.reason === 'unsubscribed' ? 'unsubscribed' : input.reason}` })),
        });
      } catch (error) {
        await this.retryOrThrow(error, attempt);
        continue;
      }
      await this.applySchedules([notice], cancel, next);
      this.log.info('email suppressed', { repId: prospect.repId, prospectId: prospect.id, reason: input.reason, cancelled: cancel.length });
      return { suppressed: true, changed: true, cancelled: cancel.length };
    }
  }

  // ---- internals ------------------------------------------------------------------------

  private async bundle(repId: string, prospectId: string) {
    const bundle = await this.store.getProspectBundle(repId, prospectId);
    if (!bundle) throw new NotFoundError(`Prospect ${prospectId}`);
    return bundle;
  }

  private async ownTouch(repId: string, touchId: string): Promise<Touch> {
    const touch = await this.store.findTouch(touchId);
    if (!touch || touch.repId !== repId) throw new NotFoundError(`Touch ${touchId}`);
    return touch;
  }

  private async moveAttempt(prospect: Prospect, fromIso: string, toIso: string) {
    for (let attempt = 1; attempt <= this.maxWriteAttempts; attempt++) {
      const current = attempt === 1 ? prospect : await this.store.getProspect(prospect.repId, prospect.id);
      if (!current || current.attemptDueAt !== fromIso) return;
      try {
        await this.store.saveProspect(
          { ...current, attemptDueAt: toIso, ...(current.callbackAt === fromIso ? { callbackAt: toIso } : {}), version: current.version + 1, updatedAt: this.nowIso() },
          current.version,
        );
        return;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
      }
    }
  }

  private touchesFor(plan: Plan, call: Call, prospect: Prospect, nowIso: string): Touch[] {
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

  private prospectAfter(prospect: Prospect, plan: Plan, call: Call, hotButtons: string[], nowIso: string): Prospect {
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

  /**
   * Makes the schedules match the committed plan: deletes the superseded ones, creates the new
   * ones, and if another outcome superseded this plan meanwhile, takes back what it created.
   */
  private async applySchedules(created: Touch[], superseded: Touch[], committed: Prospect) {
    await Promise.all(superseded.map((t) => this.deleteSchedule(t)));
    await Promise.all(
      created.map(async (t) => {
        try {
          await this.scheduler.create({ name: scheduleName(t.id), at: new Date(t.dueAt), payload: firePayload(t) });
        } catch (error) {
          this.log.error('could not create schedule', { touchId: t.id, error: String(error) });
          const reason = 'could not be scheduled; post the outcome again or reschedule it';
          if (await this.store.updateTouch(t, { status: 'failed', reason }, 'scheduled')) Object.assign(t, { status: 'failed', reason });
        }
      }),
    );
    if (created.length === 0) return;
    const current = await this.store.getProspect(committed.repId, committed.id);
    if (current && current.version !== committed.version) {
      // A later outcome may have cancelled these before their schedules existed.
      const fresh = await Promise.all(created.map((t) => this.store.getTouch(t.repId, t.prospectId, t.id)));
      await Promise.all(fresh.filter((t) => t && t.status !== 'scheduled').map((t) => this.deleteSchedule(t!)));
    }
  }

  private async deleteSchedule(t: Touch) {
    try {
      await this.scheduler.delete(scheduleName(t.id));
    } catch (error) {
      // The fire handler refuses a touch that is no longer scheduled, so a leftover is harmless.
      this.log.warn('could not delete schedule', { touchId: t.id, error: String(error) });
    }
  }

  private async replay(repId: string, key: string, requestHash: string): Promise<CallResult | undefined> {
    const record = await this.store.getIdempotency(repId, key);
    if (!record) return undefined;
    if (record.requestHash !== requestHash) {
      throw new ConflictError('idempotency_key_reused', 'This Idempotency-Key was used with a different request: use a new key for a new call');
    }
    return record.response as CallResult;
  }

  private async retryOrThrow(error: unknown, attempt: number): Promise<void> {
    if (!(error instanceof VersionConflictError)) throw error;
    if (attempt >= this.maxWriteAttempts) {
      throw new ConflictError('version_conflict', 'The prospect is being changed by other requests right now: try again', { cause: error });
    }
    // Jittered backoff so concurrent writers to one prospect spread out.
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
  }

  private readTime(value: string, zone: string, field: string): DateTime {
    const parsed = parseTimeInZone(value, zone);
    if (parsed.ok) return parsed.utc;
    const status = parsed.problem === 'invalid' ? ValidationError : null;
    if (status) throw new ValidationError(`${field} is not valid: ${parsed.message}`, [{ path: field, message: parsed.message }]);
    throw new UnprocessableError(`${parsed.problem}_local_time`, parsed.message, [{ path: field, message: parsed.message }]);
  }

  private readInstant(value: string, field: string): DateTime {
    const dt = DateTime.fromISO(value, { setZone: true });
    if (!dt.isValid) {
      throw new ValidationError(`${field} is not a valid ISO-8601 time`, [{ path: field, message: 'Use ISO-8601, for example 2026-11-25T00:00:00Z' }]);
    }
    return dt.toUTC();
  }

  private nowIso(): string {
    return toUtcIso(this.clock.now());
  }
}

/** The service from its ports and the planner. */
export function makeService(ports: { store: Store; scheduler: TouchScheduler; clock: Clock; logger?: Logger }, planner: CadencePlanner): FollowthroughService {
  return new FollowthroughService({ ...ports, planner });
}

export function firePayload(t: Pick<Touch, 'id' | 'repId' | 'prospectId' | 'dueAt'>) {
  return { v: 1 as const, touchId: t.id, repId: t.repId, prospectId: t.prospectId, dueAt: t.dueAt };
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

function hashRequest(prospectId: string, input: unknown): string {
  return createHash('sha256').update(prospectId).update('\n').update(stableJson(input)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
