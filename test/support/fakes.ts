/**
 * In-memory fakes of every port, for fast unit tests of the use cases (no Java, no network).
 * Each keeps the contract its interface documents and the conditions the AWS adapter writes with
 * (functions/adapters/dynamo-store.ts): a use case that breaks a condition fails here as it would
 * on DynamoDB. Records are deep-copied in and out, so a test (or a use case) that mutates what it
 * got back cannot change stored state behind the store's back.
 */
import { DEFAULT_POLICY, type CadencePlanner } from '../../functions/core/cadence.js';
import { ConflictError, IdempotencyRaceError, VersionConflictError, AddressSuppressedError } from '../../functions/core/errors.js';
import { FirePayload } from '../../functions/core/fire-payload.js';
import { LinkTokens, type SheetCheck, type SheetClaim, type UnsubscribeClaim } from '../../functions/core/link-tokens.js';
import { nameKey } from '../../functions/core/prospect-search.js';
import type { Call, Prospect, Rep, Touch } from '../../functions/core/schemas.js';
import { templateCatalog } from '../../functions/core/template-catalog.js';
import { templateLibrary } from '../../functions/core/templates.js';
import { planner } from '../../functions/compose.js';
import type { Clock } from '../../functions/ports/clock.js';
import type { Links } from '../../functions/ports/links.js';
import type { Logger } from '../../functions/ports/logger.js';
import type { Mailer, OutgoingEmail } from '../../functions/ports/mailer.js';
import type { HeldTouchSchedule, ScheduleRequest, TouchScheduler } from '../../functions/ports/scheduler.js';
import type { OutgoingSms, SmsSender } from '../../functions/ports/sms.js';
import { applyVariantEvents, seededRng, type VariantCounts } from '../../functions/core/variants.js';
import { REP_FIELDS } from '../../functions/adapters/dynamo-claims.js';
import type { DueTouchRef, IdempotencyRecord, OutcomeCommit, OverdueTouch, ProspectBundle, ProspectListOptions, ReadClaim, ReadClaimResult, Store, Suppression, TouchUpdate } from '../../functions/ports/store.js';
import type { MailSettings, UseCaseDeps } from '../../functions/use-cases/deps.js';
import { FakeClock } from './clock.js';

export { FakeClock };

/** Monday 2026-11-23, 10:00 in New York, 15:00 in London: the default "now" of these tests. */
export const MONDAY = '2026-11-23T15:00:00Z';

const copy = <T>(value: T): T => structuredClone(value);

/** Something to run once, just before an operation does its work: the other side of a race. */
type Hook = () => Promise<unknown> | unknown;

class Hooks<K extends string> {
  private readonly before = new Map<K, Hook[]>();
  private readonly failures = new Map<K, Error[]>();

  /** Runs `hook` once, right before the next `op` reads or writes (a concurrent writer's turn). */
  interleave(op: K, hook: Hook): void {
    this.before.set(op, [...(this.before.get(op) ?? []), hook]);
  }

  /** Makes the next `op` fail with `error` before it changes anything. */
  failNext(op: K, error: Error = new Error(`${op} failed (injected)`)): void {
    this.failures.set(op, [...(this.failures.get(op) ?? []), error]);
  }

  async run(op: K): Promise<void> {
    const hook = this.before.get(op)?.shift();
    if (hook) await hook();
    const failure = this.failures.get(op)?.shift();
    if (failure) throw failure;
  }
}

type StoreOp = keyof Store;
const touchKey = (t: Pick<Touch, 'repId' | 'prospectId' | 'id'>) => `${t.repId}\u0000${t.prospectId}\u0000${t.id}`;
const prospectKey = (repId: string, prospectId: string) => `${repId}\u0000${prospectId}`;
const addressKey = (email: string) => email.trim().toLowerCase();

/** The Store on maps, with the DynamoDB adapter's conditions. */
export class InMemoryStore implements Store {
  readonly hooks = new Hooks<StoreOp>();
  private readonly reps = new Map<string, Rep>();
  private readonly prospects = new Map<string, Prospect>();
  private readonly calls = new Map<string, Call>();
  private readonly touchRecords = new Map<string, Touch>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly suppressions = new Map<string, Suppression>();
  /** Script counts by team, then by variant (the adapter's TOTAL# items) and by day (its DAY# items). */
  private readonly variantTotals = new Map<string, Record<string, VariantCounts>>();
  private readonly variantDays = new Map<string, Map<string, Record<string, VariantCounts>>>();

  /** `clock` stamps updatedAt on touch updates (the adapter uses the machine's clock). */
  constructor(private readonly clock: Pick<Clock, 'now'> = { now: () => new Date() }) {}

  async getRep(repId: string): Promise<Rep | undefined> {
    await this.hooks.run('getRep');
    return copy(this.reps.get(repId));
  }

  async putRep(rep: Rep): Promise<void> {
    await this.hooks.run('putRep');
    this.reps.set(rep.id, copy(rep));
  }

  async createProspect(prospect: Prospect): Promise<void> {
    await this.hooks.run('createProspect');
    const key = prospectKey(prospect.repId, prospect.id);
    if (this.prospects.has(key)) throw new ConflictError('duplicate_id', `A prospect with id ${prospect.id} already exists`);
    this.prospects.set(key, copy(prospect));
  }

  async getProspect(repId: string, prospectId: string): Promise<Prospect | undefined> {
    await this.hooks.run('getProspect');
    return copy(this.prospects.get(prospectKey(repId, prospectId)));
  }

  async getProspectBundle(repId: string, prospectId: string): Promise<ProspectBundle | undefined> {
    await this.hooks.run('getProspectBundle');
    const prospect = this.prospects.get(prospectKey(repId, prospectId));
    if (!prospect) return undefined;
    const mine = (r: { repId: string; prospectId: string }) => r.repId === repId && r.prospectId === prospectId;
    // As the table's sort keys give them: calls by (ULID) id, touches by due time then id.
    const calls = [...this.calls.values()].filter(mine).sort((a, b) => a.id.localeCompare(b.id));
    const touches = [...this.touchRecords.values()].filter(mine).sort(byDue);
    return copy({ prospect, calls, touches });
  }

  async saveProspect(prospect: Prospect, expectedVersion: number): Promise<void> {
    await this.hooks.run('saveProspect');
    const key = prospectKey(prospect.repId, prospect.id);
    if (this.prospects.get(key)?.version !== expectedVersion) throw new VersionConflictError();
    this.prospects.set(key, copy(prospect));
  }

  async commitOutcome(commit: OutcomeCommit): Promise<void> {
    await this.hooks.run('commitOutcome');
    const { prospect } = commit;
    const variantEvents = commit.variantCounts?.events ?? [];
    const items = [
      prospectKey(prospect.repId, prospect.id),
      ...(commit.call ? [`call\u0000${commit.call.id}`] : []),
      ...commit.newTouches.map(touchKey),
      ...commit.cancelTouches.map(({ touch }) => touchKey(touch)),
      // Two items per event, as the adapter writes them: the team's total and the day's.
      ...variantEvents.flatMap((e) => [`variant\u0000${commit.variantCounts!.team}\u0000${e.variant}`, `variant\u0000${commit.variantCounts!.team}\u0000${e.day}\u0000${e.variant}`]),
    ];
    // DynamoDB refuses a transaction that names one item twice, or more than 100 items.
    if (new Set(items).size !== items.length) throw Object.assign(new Error('Transaction request cannot include multiple operations on one item'), { name: 'ValidationException' });
    if (items.length + (commit.idempotency ? 1 : 0) > 100) throw Object.assign(new Error('Too many items in a transaction'), { name: 'ValidationException' });

    const idempotencyKey = commit.idempotency ? prospectKey(prospect.repId, commit.idempotency.key) : undefined;
    // The adapter reads the idempotency item's failure first: the request then replays.
    if (idempotencyKey && this.idempotency.has(idempotencyKey)) throw new IdempotencyRaceError();
    if (commit.unsuppressed && this.suppressions.has(addressKey(commit.unsuppressed))) throw new AddressSuppressedError();
    const versionHolds = this.prospects.get(items[0]!)?.version === commit.expectedVersion;
    const callIsNew = !commit.call || !this.calls.has(commit.call.id);
    const cancelsHold = commit.cancelTouches.every(({ touch }) => this.touchRecords.get(touchKey(touch))?.status === 'scheduled');
    if (!versionHolds || !callIsNew || !cancelsHold) throw new VersionConflictError();

    this.prospects.set(items[0]!, copy(prospect));
    if (commit.call) this.calls.set(commit.call.id, copy(commit.call));
    for (const touch of commit.newTouches) this.touchRecords.set(touchKey(touch), copy(touch));
    for (const { touch, reason } of commit.cancelTouches) {
      const stored = this.touchRecords.get(touchKey(touch))!;
      Object.assign(stored, { status: 'cancelled', reason, updatedAt: prospect.updatedAt });
    }
    if (commit.idempotency && idempotencyKey) this.idempotency.set(idempotencyKey, copy(commit.idempotency));
    if (commit.variantCounts) {
      const { team } = commit.variantCounts;
      this.variantTotals.set(team, applyVariantEvents(this.variantTotals.get(team) ?? {}, variantEvents));
      const days = this.variantDays.get(team) ?? new Map<string, Record<string, VariantCounts>>();
      for (const event of variantEvents) days.set(event.day, applyVariantEvents(days.get(event.day) ?? {}, [event]));
      this.variantDays.set(team, days);
    }
  }

  async updateIdempotencyResponse(repId: string, key: string, response: unknown): Promise<void> {
    await this.hooks.run('updateIdempotencyResponse');
    const record = this.idempotency.get(prospectKey(repId, key));
    if (record) record.response = copy(response);
  }

  async getIdempotency(repId: string, key: string): Promise<IdempotencyRecord | undefined> {
    await this.hooks.run('getIdempotency');
    return copy(this.idempotency.get(prospectKey(repId, key)));
  }

  async getTouch(repId: string, prospectId: string, touchId: string): Promise<Touch | undefined> {
    await this.hooks.run('getTouch');
    return copy(this.touchRecords.get(touchKey({ repId, prospectId, id: touchId })));
  }

  async getTouches(repId: string, prospectId: string, touchIds: readonly string[]): Promise<Map<string, Touch>> {
    await this.hooks.run('getTouches');
    const found = new Map<string, Touch>();
    for (const id of touchIds) {
      const touch = this.touchRecords.get(touchKey({ repId, prospectId, id }));
      if (touch) found.set(id, copy(touch)!);
    }
    return found;
  }

  async findTouch(touchId: string): Promise<Touch | undefined> {
    await this.hooks.run('findTouch');
    return copy([...this.touchRecords.values()].find((t) => t.id === touchId));
  }

  async claimTouch(
    ref: { repId: string; prospectId: string; id: string; dueAt?: string },
    now: string,
    staleBefore: string,
  ): Promise<{ claimed?: Touch; current?: Touch }> {
    await this.hooks.run('claimTouch');
    const stored = this.touchRecords.get(touchKey(ref));
    const free = stored && stored.status === 'scheduled' && (!ref.dueAt || stored.dueAt === ref.dueAt) && (stored.claimedAt === undefined || stored.claimedAt < staleBefore);
    if (!stored || !free) return { current: copy(stored) };
    stored.claimedAt = now;
    return { claimed: copy(stored) };
  }

  async claimAsRead(claim: ReadClaim): Promise<ReadClaimResult> {
    await this.hooks.run('claimAsRead');
    const { touch } = claim;
    const stored = this.touchRecords.get(touchKey(touch));
    const moved: ('touch' | 'prospect' | 'rep' | 'suppressed')[] = [];
    const free = stored && stored.status === 'scheduled' && stored.dueAt === touch.dueAt && stored.updatedAt === touch.updatedAt && !stored.sesSent && (stored.claimedAt === undefined || stored.claimedAt < claim.staleBefore);
    if (!free) moved.push('touch');
    if (this.prospects.get(prospectKey(touch.repId, touch.prospectId))?.version !== claim.prospectVersion) moved.push('prospect');
    // As the adapter checks it: every field a message reads, as read.
    const rep = this.reps.get(claim.rep.id);
    if (!rep || REP_FIELDS.some((f) => JSON.stringify(rep[f]) !== JSON.stringify(claim.rep[f]))) moved.push('rep');
    const suppression = claim.unsuppressed ? this.suppressions.get(addressKey(claim.unsuppressed)) : undefined;
    if (suppression) moved.push('suppressed');
    if (moved.length) return { moved, ...(moved.includes('touch') ? { current: copy(stored) } : {}), ...(suppression ? { suppression: copy(suppression) } : {}) };
    stored!.claimedAt = claim.now;
    return { claimed: copy(stored!) };
  }

  async moveTouch(touch: Touch, to: { dueAt: string; promiseAt?: string | null }, staleBefore: string, prospect?: { next: Prospect; expectedVersion: number }): Promise<boolean> {
    await this.hooks.run('moveTouch');
    const stored = this.touchRecords.get(touchKey(touch));
    const free = stored && stored.status === 'scheduled' && stored.dueAt === touch.dueAt && (stored.claimedAt === undefined || stored.claimedAt < staleBefore);
    const pKey = prospect ? prospectKey(prospect.next.repId, prospect.next.id) : undefined;
    if (!stored || !free || (prospect && this.prospects.get(pKey!)?.version !== prospect.expectedVersion)) return false;
    stored.dueAt = to.dueAt;
    if (to.promiseAt === null) delete stored.promiseAt;
    else if (to.promiseAt !== undefined) stored.promiseAt = to.promiseAt;
    stored.updatedAt = this.clock.now().toISOString();
    if (prospect) this.prospects.set(pKey!, copy(prospect.next));
    return true;
  }

  async updateTouch(touch: Touch, update: TouchUpdate, ifStatus?: Touch['status']): Promise<boolean> {
    await this.hooks.run('updateTouch');
    const stored = this.touchRecords.get(touchKey(touch));
    if (!stored || (ifStatus && stored.status !== ifStatus)) return false;
    const fields = stored as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(update)) {
      if (value === undefined) continue;
      if (value === null) delete fields[field];
      else fields[field] = copy(value);
    }
    stored.updatedAt = this.clock.now().toISOString();
    return true;
  }

  async getSuppression(email: string): Promise<Suppression | undefined> {
    await this.hooks.run('getSuppression');
    return copy(this.suppressions.get(addressKey(email)));
  }

  async addSuppression(suppression: Suppression): Promise<boolean> {
    await this.hooks.run('addSuppression');
    const key = addressKey(suppression.email);
    if (this.suppressions.has(key)) return false;
    this.suppressions.set(key, { ...copy(suppression), email: key });
    return true;
  }

  async listFollowups(repId: string, from: string, to: string, limit = 5000): Promise<Touch[]> {
    await this.hooks.run('listFollowups');
    const due = [...this.touchRecords.values()].filter((t) => t.repId === repId && (t.status === 'scheduled' || t.status === 'failed') && t.dueAt >= from && t.dueAt < to);
    return copy(due.sort(byDue).slice(0, limit));
  }

  async listProspects(repId: string, options: ProspectListOptions = {}): Promise<Prospect[]> {
    await this.hooks.run('listProspects');
    // In the index's order: its sort key compares as one string, name and id together.
    const sortKey = (p: Prospect) => `${nameKey(p.name)}#${p.id}`;
    const mine = copy([...this.prospects.values()].filter((p) => p.repId === repId)).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    const kept = options.match ? mine.filter(options.match) : mine;
    return kept.slice(0, options.limit ?? kept.length);
  }

  async getVariantCounts(team: string): Promise<Record<string, VariantCounts>> {
    await this.hooks.run('getVariantCounts');
    return copy(this.variantTotals.get(team) ?? {});
  }

  async getVariantCountsByDay(team: string, fromDay: string, toDay: string): Promise<Record<string, VariantCounts>> {
    await this.hooks.run('getVariantCountsByDay');
    const sum: Record<string, VariantCounts> = {};
    for (const [day, counts] of this.variantDays.get(team) ?? []) {
      if (day < fromDay || day > toDay) continue;
      for (const [variant, c] of Object.entries(counts)) {
        const current = sum[variant] ?? { used: 0, callbacks: 0 };
        sum[variant] = { used: current.used + c.used, callbacks: current.callbacks + c.callbacks };
      }
    }
    return sum;
  }

  async listOverdue(before: string, limit: number): Promise<OverdueTouch[]> {
    await this.hooks.run('listOverdue');
    const overdue = [...this.touchRecords.values()].filter((t) => t.status === 'scheduled' && t.dueAt < before).sort(byDue).slice(0, limit);
    return overdue.map((t) => ({ id: t.id, repId: t.repId, prospectId: t.prospectId, dueAt: t.dueAt, kind: t.kind }));
  }

  async countRepair(ref: DueTouchRef): Promise<number | undefined> {
    await this.hooks.run('countRepair');
    const stored = this.touchRecords.get(touchKey(ref));
    if (!stored || stored.status !== 'scheduled' || stored.dueAt !== ref.dueAt) return undefined;
    stored.repairs = (stored.repairs ?? 0) + 1;
    stored.updatedAt = this.clock.now().toISOString();
    return stored.repairs;
  }

  async failTouch(ref: DueTouchRef, reason: string): Promise<boolean> {
    await this.hooks.run('failTouch');
    const stored = this.touchRecords.get(touchKey(ref));
    if (!stored || stored.status !== 'scheduled' || stored.dueAt !== ref.dueAt) return false;
    Object.assign(stored, { status: 'failed', reason, updatedAt: this.clock.now().toISOString() });
    delete stored.claimedAt;
    return true;
  }

  async addTouch(touch: Touch): Promise<boolean> {
    await this.hooks.run('addTouch');
    if (this.touchRecords.has(touchKey(touch))) return false;
    this.touchRecords.set(touchKey(touch), copy(touch));
    return true;
  }

  async recordSendEvent(ref: Pick<Touch, 'repId' | 'prospectId' | 'id'>, sent: { messageId: string; at: string; subject?: string; header?: string }): Promise<boolean> {
    await this.hooks.run('recordSendEvent');
    const stored = this.touchRecords.get(touchKey(ref));
    if (!stored) return false;
    const { header, ...seen } = sent;
    stored.sesSent = copy(seen);
    if (header) stored.messageIdHeader = header;
    return true;
  }

  // ---- for tests: seeding and looking, outside the port ----------------------------------

  /** Adds to a team's counts what many past calls would have (to its totals and to one day). */
  seedVariantCounts(team: string, day: string, counts: Record<string, VariantCounts>): void {
    const add = (into: Record<string, VariantCounts> = {}) => {
      const next = copy(into);
      for (const [variant, c] of Object.entries(counts)) {
        const current = next[variant] ?? { used: 0, callbacks: 0 };
        next[variant] = { used: current.used + c.used, callbacks: current.callbacks + c.callbacks };
      }
      return next;
    };
    this.variantTotals.set(team, add(this.variantTotals.get(team)));
    const days = this.variantDays.get(team) ?? new Map<string, Record<string, VariantCounts>>();
    days.set(day, add(days.get(day)));
    this.variantDays.set(team, days);
  }

  /** Puts a touch as it is (a touch planned earlier, or one a crashed delivery left claimed). */
  seedTouch(touch: Touch): void {
    this.touchRecords.set(touchKey(touch), copy(touch));
  }

  /** Every touch, by due time. */
  allTouches(): Touch[] {
    return copy([...this.touchRecords.values()].sort(byDue));
  }

  allCalls(): Call[] {
    return copy([...this.calls.values()].sort((a, b) => a.id.localeCompare(b.id)));
  }

  suppressionList(): Suppression[] {
    return copy([...this.suppressions.values()]);
  }

  /** Everything stored, to assert that something changed nothing. */
  dump() {
    return copy({
      reps: [...this.reps.entries()],
      prospects: [...this.prospects.entries()],
      calls: [...this.calls.entries()],
      touches: [...this.touchRecords.entries()],
      idempotency: [...this.idempotency.entries()],
      suppressions: [...this.suppressions.entries()],
      variantTotals: [...this.variantTotals.entries()],
      variantDays: [...this.variantDays.entries()].map(([team, days]) => [team, [...days.entries()]]),
    });
  }
}

function byDue(a: Touch, b: Touch): number {
  return a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id);
}

const SCHEDULE_NAME = /^[0-9a-zA-Z_.-]{1,64}$/;

/** EventBridge Scheduler in memory: one schedule per name, with every create and delete kept. */
export class FakeScheduler implements TouchScheduler {
  readonly hooks = new Hooks<'create' | 'delete'>();
  readonly schedules = new Map<string, ScheduleRequest>();
  readonly created: ScheduleRequest[] = [];
  readonly deleted: string[] = [];

  async create(request: ScheduleRequest): Promise<void> {
    await this.hooks.run('create');
    // What Scheduler and the fire handler would refuse: a bad name, a payload the handler cannot parse.
    if (!SCHEDULE_NAME.test(request.name)) throw new Error(`invalid schedule name: ${request.name}`);
    if (!FirePayload.safeParse(request.payload).success) throw new Error(`invalid fire payload: ${JSON.stringify(request.payload)}`);
    if (Number.isNaN(request.at.getTime())) throw new Error('invalid schedule time');
    this.schedules.set(request.name, copy(request));
    this.created.push(copy(request));
  }

  async delete(name: string): Promise<void> {
    await this.hooks.run('delete');
    this.schedules.delete(name);
    this.deleted.push(name);
  }

  async get(name: string): Promise<HeldTouchSchedule | undefined> {
    const schedule = this.schedules.get(name);
    // As Scheduler holds it: whole seconds (adapters/eventbridge-scheduler.ts writes at() so).
    return schedule ? { payload: copy(schedule.payload), at: new Date(Math.floor(schedule.at.getTime() / 1000) * 1000), enabled: true } : undefined;
  }

  /** Makes the next create (or delete) fail. */
  failNext(op: 'create' | 'delete', error?: Error): void {
    this.hooks.failNext(op, error);
  }
}

/** SES in memory: what was sent, in order; failures injected one send at a time. */
export class FakeMailer implements Mailer {
  readonly hooks = new Hooks<'send'>();
  readonly sent: OutgoingEmail[] = [];
  /** The cut-off each send was given, in order. */
  readonly signals: (AbortSignal | undefined)[] = [];

  async send(email: OutgoingEmail, options: { signal?: AbortSignal } = {}): Promise<{ messageId: string }> {
    await this.hooks.run('send');
    this.signals.push(options.signal);
    this.sent.push(copy(email));
    return { messageId: `mail-${this.sent.length}` };
  }

  failNext(error?: Error): void {
    this.hooks.failNext('send', error);
  }
}

/** End User Messaging SMS in memory. */
export class FakeSms implements SmsSender {
  readonly hooks = new Hooks<'send'>();
  readonly sent: OutgoingSms[] = [];

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    await this.hooks.run('send');
    this.sent.push(copy(sms));
    return { messageId: `sms-${this.sent.length}` };
  }

  failNext(error?: Error): void {
    this.hooks.failNext('send', error);
  }
}

export const LINK_SECRET = 'a-fixed-test-secret-of-32-characters';
export const PUBLIC_URL = 'https://api.followthrough.test';
const SHEET_TTL_SECONDS = 7 * 24 * 3600;

/** The Links port on the real HMAC tokens with a fixed secret; `tokens` makes and forges tokens in tests. */
export class FakeLinks implements Links {
  readonly tokens = new LinkTokens(LINK_SECRET);

  constructor(private readonly baseUrl = PUBLIC_URL) {}

  async unsubscribeUrl(prospect: Pick<Prospect, 'repId' | 'id' | 'email'>, base?: string): Promise<string> {
    const token = this.tokens.unsubscribeToken({ repId: prospect.repId, prospectId: prospect.id, email: prospect.email ?? '' });
    return `${base ?? this.baseUrl}/v1/unsubscribe?token=${token}`;
  }

  async sheetUrl(touch: Pick<Touch, 'repId' | 'prospectId' | 'id'>, now: Date, base?: string): Promise<string> {
    const exp = Math.floor(now.getTime() / 1000) + SHEET_TTL_SECONDS;
    return `${base ?? this.baseUrl}/v1/sheets/${this.tokens.sheetToken({ repId: touch.repId, prospectId: touch.prospectId, touchId: touch.id, exp })}`;
  }

  prospectPageUrl(prospect: Pick<Prospect, 'id'>, base?: string): string {
    return `${base ?? this.baseUrl}/app/prospects/${encodeURIComponent(prospect.id)}`;
  }

  async verifyUnsubscribe(token: string): Promise<UnsubscribeClaim | undefined> {
    return this.tokens.verifyUnsubscribe(token);
  }

  async checkSheet(token: string, now: Date): Promise<SheetCheck> {
    return this.tokens.checkSheet(token, now);
  }

  /** Not on the port: tests read a link's claim with it. */
  async verifySheet(token: string, now: Date): Promise<SheetClaim | undefined> {
    return this.tokens.verifySheet(token, now);
  }
}

/** The token at the end of a link this port made. */
export function tokenOf(url: string): string {
  return url.includes('?token=') ? new URL(url).searchParams.get('token')! : url.slice(url.lastIndexOf('/') + 1);
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  extra: Record<string, unknown>[];
}

/** Keeps log lines instead of printing them: tests stay silent and may assert what was logged. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];
  info(message: string, ...extra: Record<string, unknown>[]) {
    this.entries.push({ level: 'info', message, extra });
  }
  warn(message: string, ...extra: Record<string, unknown>[]) {
    this.entries.push({ level: 'warn', message, extra });
  }
  error(message: string, ...extra: Record<string, unknown>[]) {
    this.entries.push({ level: 'error', message, extra });
  }
}

export const MAIL_SETTINGS: MailSettings = { sender: 'followthrough@mail.example.com', messageIdDomain: 'email.amazonses.com' };

/** Every dependency of every use case, each a fake the test can look into. */
export interface FakeDeps extends UseCaseDeps {
  store: InMemoryStore;
  scheduler: FakeScheduler;
  mailer: FakeMailer;
  sms?: FakeSms;
  links: FakeLinks;
  clock: FakeClock;
  logger: RecordingLogger;
}

let sharedPlanner: CadencePlanner | undefined;

/** A full UseCaseDeps on fakes, at MONDAY, with the real planner (default policy) and templates. */
export function useCaseDeps(overrides: Partial<FakeDeps> = {}): FakeDeps {
  const clock = overrides.clock ?? new FakeClock(MONDAY);
  sharedPlanner ??= planner({ policy: DEFAULT_POLICY });
  return {
    store: new InMemoryStore(clock),
    scheduler: new FakeScheduler(),
    mailer: new FakeMailer(),
    sms: new FakeSms(),
    links: new FakeLinks(),
    logger: new RecordingLogger(),
    planner: sharedPlanner,
    library: templateLibrary(),
    catalog: templateCatalog(),
    random: seededRng(20261123),
    mail: MAIL_SETTINGS,
    ...overrides,
    clock,
  };
}

// ---- records to start from --------------------------------------------------------------

export const REP_ID = 'rep-ana';

export function aRep(overrides: Partial<Rep> = {}): Rep {
  return {
    id: REP_ID,
    name: 'Ana Rivera',
    email: 'ana@seller.example',
    phone: '+15555550100',
    timezone: 'America/Chicago',
    reminderChannel: 'email',
    company: 'Acme Pumps',
    createdAt: '2026-11-01T12:00:00Z',
    updatedAt: '2026-11-01T12:00:00Z',
    ...overrides,
  };
}

export function aProspect(overrides: Partial<Prospect> = {}): Prospect {
  return {
    id: 'p-dana',
    repId: REP_ID,
    name: 'Dana Whitfield',
    company: 'Northwind Plant',
    email: 'Dana@Northwind.example',
    phone: '+15555550142',
    timezone: 'America/New_York',
    country: 'US',
    hotButtons: ['cost_savings'],
    status: 'active',
    attempts: 0,
    version: 1,
    createdAt: '2026-11-02T12:00:00Z',
    updatedAt: '2026-11-02T12:00:00Z',
    ...overrides,
  };
}

let touchSeq = 0;

export function aTouch(overrides: Partial<Touch> = {}): Touch {
  touchSeq += 1;
  return {
    id: `t-${String(touchSeq).padStart(4, '0')}`,
    repId: REP_ID,
    prospectId: 'p-dana',
    callId: 'c-0001',
    kind: 'rep_reminder',
    channel: 'email',
    recipient: 'rep',
    status: 'scheduled',
    dueAt: MONDAY,
    timezone: 'America/New_York',
    prospectName: 'Dana Whitfield',
    createdAt: '2026-11-20T15:00:00Z',
    updatedAt: '2026-11-20T15:00:00Z',
    ...overrides,
  };
}

/** A store with the rep and the prospect in it. */
export async function seeded(deps: FakeDeps, rep: Partial<Rep> = {}, prospect: Partial<Prospect> = {}): Promise<{ rep: Rep; prospect: Prospect }> {
  const r = aRep(rep);
  const p = aProspect(prospect);
  await deps.store.putRep(r);
  await deps.store.createProspect(p);
  return { rep: r, prospect: p };
}

/** Reads a touch that must exist. */
export async function touchNamed(store: InMemoryStore, touch: Pick<Touch, 'repId' | 'prospectId' | 'id'>): Promise<Touch> {
  const found = await store.getTouch(touch.repId, touch.prospectId, touch.id);
  if (!found) throw new Error(`no touch ${touch.id}`);
  return found;
}
