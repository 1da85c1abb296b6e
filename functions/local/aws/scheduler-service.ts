/**
 * The local EventBridge Scheduler: CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule and
 * ListSchedules on the service's restJson1 wire (scheduler-api.ts), so the real
 * `@aws-sdk/client-scheduler` talks to it unchanged, and the schedules themselves, fired at their
 * time through an injected `invoke(targetArn, input)`.
 *
 * Durable: every change is a line in a journal under the data dir, compacted on load; a restart
 * loses nothing and a torn last line is skipped. A schedule whose time has passed fires at once.
 * A failure to invoke (the invoke rejecting) is retried per the schedule's RetryPolicy with
 * exponential backoff, then written to a dead-letter file named after Target.DeadLetterConfig.Arn,
 * as Scheduler sends it to that SQS queue; without a DeadLetterConfig it is dropped, as on AWS
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html).
 * Errors thrown by the target itself are not this service's: a Lambda target's are handled by its
 * asynchronous invocation (lambda-invoke.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fireTime, nextDue, parseScheduleExpression, type JitterMode } from './schedule-expression.js';
import type { ScheduleDefinition } from './schedule-request.js';
import { SchedulerApi } from './scheduler-api.js';
import { JsonLinesFile, type Clock } from './wire.js';

export interface SchedulerServiceOptions {
  clock: Clock;
  /** Invokes a target; rejects when the target could not be invoked (Scheduler then retries). */
  invoke: (targetArn: string, input: string) => Promise<void>;
  region: string;
  accountId: string;
  /** Groups that exist besides `default`; a schedule in any other group is ResourceNotFoundException. */
  scheduleGroups: string[];
  /** Journal and dead letters live under `<dataDir>/scheduler/`; absent keeps both in memory (tests). */
  dataDir?: string;
  /** Fire from a timer (npm start); tests leave it off and call runDue() after moving the clock. */
  autoRun?: boolean;
  /** 'minute': fire anywhere within the due minute, as Scheduler does (SCHEDULER_JITTER=minute). */
  jitter?: JitterMode;
  /** Uniform in [0, 1); seed it in tests. */
  random?: () => number;
  /** Invocations in flight at once. */
  concurrency?: number;
  /** Longest Target.Input accepted; none by default, as the API reference sets only a minimum. */
  maxInputLength?: number;
  /** How long a ClientToken replays its first answer; 10 minutes by default. */
  idempotencyWindowMs?: number;
  /** Told of every failed attempt to invoke. */
  onError?: (scheduleArn: string, error: unknown) => void;
}

/** What runs next for a schedule: when it is due, when it fires (jitter applied) and which retry. */
export interface PlannedRun {
  due: number;
  fireAt: number;
  retries: number;
}

export interface StoredSchedule {
  definition: ScheduleDefinition;
  arn: string;
  created: number;
  modified: number;
  next?: PlannedRun;
}

/** A schedule that will fire, as `list()` shows it. */
export interface PendingSchedule {
  name: string;
  group: string;
  arn: string;
  /** When it fires (jitter and retry backoff applied). */
  at: Date;
  /** When its expression says it is due. */
  dueAt: Date;
  /** Target.Input, as stored. */
  input: string;
  retries: number;
}

/** A dead-letter event: the SQS message Scheduler would send to the DeadLetterConfig queue. */
export interface DeadLetter {
  queueArn: string;
  sentAt: string;
  /** The message body: the input the target would have received. */
  body: string;
  /** The message attributes Scheduler sets on a dead-letter event. */
  attributes: { ERROR_CODE: string; ERROR_MESSAGE: string; EXECUTION_ID: string; RETRY_ATTEMPTS: string; SCHEDULE_ARN: string; TARGET_ARN: string };
}

type JournalEntry = { op: 'put'; schedule: StoredSchedule } | { op: 'del'; key: string };

// Node timers overflow past ~24.8 days; re-arm at most this far ahead.
const MAX_TIMER_MS = 60_000;
// Scheduler documents "exponential backoff" but not its steps: from 2 s, doubling, at most 5 min.
const backoffMs = (retry: number) => Math.min(300_000, 2000 * 2 ** (retry - 1));

export const scheduleKey = (group: string, name: string) => `${group}/${name}`;

export class LocalSchedulerService {
  readonly api: SchedulerApi;
  private readonly schedules = new Map<string, StoredSchedule>();
  private readonly running = new Set<string>();
  private readonly journal?: JsonLinesFile<JournalEntry>;
  private readonly memoryDeadLetters: DeadLetter[] = [];
  private readonly random: () => number;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private draining?: Promise<number>;

  constructor(private readonly options: SchedulerServiceOptions) {
    this.random = options.random ?? Math.random;
    if (options.dataDir) this.journal = new JsonLinesFile(join(options.dataDir, 'scheduler', 'schedules.jsonl'));
    this.api = new SchedulerApi(this, {
      clock: options.clock,
      region: options.region,
      accountId: options.accountId,
      groups: new Set(['default', ...options.scheduleGroups]),
      limits: options.maxInputLength !== undefined ? { maxInputLength: options.maxInputLength } : {},
      idempotencyWindowMs: options.idempotencyWindowMs ?? 600_000,
    });
    this.load();
  }

  // --- the store, as the API uses it ---

  get(group: string, name: string): StoredSchedule | undefined {
    return this.schedules.get(scheduleKey(group, name));
  }

  all(): StoredSchedule[] {
    return [...this.schedules.values()];
  }

  /** Stores a definition, planning its next run from now; replaces any schedule of that name. */
  put(definition: ScheduleDefinition, times: { arn: string; created: number; modified: number }): StoredSchedule {
    const schedule: StoredSchedule = { definition, ...times };
    const next = this.plan(definition, times.modified);
    if (next) schedule.next = next;
    this.save(schedule);
    this.arm();
    return schedule;
  }

  remove(group: string, name: string): boolean {
    const key = scheduleKey(group, name);
    if (!this.schedules.delete(key)) return false;
    this.journal?.append({ op: 'del', key });
    return true;
  }

  // --- what the runtime and tests see ---

  /** Schedules that will fire, soonest first. */
  list(): PendingSchedule[] {
    return this.pending().map(({ definition: d, arn, next }) => ({
      name: d.Name,
      group: d.GroupName,
      arn,
      at: new Date(next!.fireAt),
      dueAt: new Date(next!.due),
      input: d.Target.Input ?? '',
      retries: next!.retries,
    }));
  }

  /** Dead-letter events written so far, oldest first; only those for `queueArn` when given. */
  deadLetters(queueArn?: string): DeadLetter[] {
    let letters = this.memoryDeadLetters;
    const dir = this.deadLetterDir();
    if (dir && existsSync(dir)) {
      letters = readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .flatMap((f) => new JsonLinesFile<DeadLetter>(join(dir, f)).read())
        .sort((a, b) => a.sentAt.localeCompare(b.sentAt));
    }
    return queueArn ? letters.filter((l) => l.queueArn === queueArn) : [...letters];
  }

  /**
   * Fires every schedule due at the clock's now, and any that fall due meanwhile. Overlapping calls
   * share one run, so nothing fires twice. Resolves with how many invocations succeeded.
   */
  async runDue(): Promise<number> {
    if (this.draining) return this.draining;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      this.arm();
    });
    return this.draining;
  }

  /** Stops the timer and waits for invocations in flight, so a stop never cuts a send in half. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.draining?.catch(() => {});
  }

  // --- firing ---

  private pending(): StoredSchedule[] {
    return this.all()
      .filter((s) => s.next && s.definition.State === 'ENABLED')
      .sort((a, b) => a.next!.fireAt - b.next!.fireAt);
  }

  private plan(definition: ScheduleDefinition, since: number, after?: number): PlannedRun | undefined {
    if (definition.State === 'DISABLED') return undefined;
    const timing = parseScheduleExpression(definition.ScheduleExpression, definition.ScheduleExpressionTimezone);
    const due = nextDue(timing, { startDate: definition.StartDate, endDate: definition.EndDate, since }, after);
    if (due === undefined) return undefined;
    // Only a FLEXIBLE window widens the minute; with Mode OFF a stray MaximumWindowInMinutes means nothing.
    const { Mode, MaximumWindowInMinutes } = definition.FlexibleTimeWindow;
    const window = Mode === 'FLEXIBLE' ? MaximumWindowInMinutes : undefined;
    return { due, fireAt: fireTime(due, this.options.jitter ?? 'none', this.random, window), retries: 0 };
  }

  private async drain(): Promise<number> {
    let fired = 0;
    // At least one worker: with none, a due schedule would spin this loop forever.
    const limit = Math.max(1, this.options.concurrency ?? 64);
    while (!this.closed) {
      const now = this.options.clock.now().getTime();
      const due = this.pending().filter((s) => s.next!.fireAt <= now && !this.running.has(keyOf(s)));
      if (due.length === 0) return fired;
      let index = 0;
      const worker = async () => {
        while (index < due.length) {
          const schedule = due[index++]!;
          if (await this.runOne(schedule)) fired++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(limit, due.length) }, worker));
    }
    return fired;
  }

  private async runOne(schedule: StoredSchedule): Promise<boolean> {
    const key = keyOf(schedule);
    const { definition: d, next } = schedule;
    const executionId = randomBytes(8).toString('hex');
    const input = withContextAttributes(d.Target.Input, schedule.arn, next!, executionId);
    this.running.add(key);
    try {
      await this.options.invoke(d.Target.Arn, input);
      // A schedule replaced or deleted while it was being invoked keeps its new self.
      if (this.schedules.get(key) === schedule) this.complete(schedule);
      return true;
    } catch (error) {
      this.options.onError?.(schedule.arn, error);
      if (this.schedules.get(key) !== schedule) return false;
      const now = this.options.clock.now().getTime();
      const retries = next!.retries + 1;
      const retryAt = now + backoffMs(retries);
      const { MaximumRetryAttempts, MaximumEventAgeInSeconds } = d.Target.RetryPolicy;
      if (retries > MaximumRetryAttempts || retryAt - next!.due > MaximumEventAgeInSeconds * 1000) {
        this.deadLetter(schedule, input, executionId, next!.retries, error);
        this.complete(schedule);
      } else {
        this.save({ ...schedule, next: { ...next!, fireAt: retryAt, retries } });
      }
      return false;
    } finally {
      this.running.delete(key);
    }
  }

  /** After a run (or its last retry): the next occurrence of a rate() or cron(), or the end of an at(). */
  private complete(schedule: StoredSchedule): void {
    const { definition: d } = schedule;
    const now = this.options.clock.now().getTime();
    const next = this.plan(d, schedule.modified, Math.max(now, schedule.next!.due));
    if (next) return this.save({ ...schedule, next });
    if (d.ActionAfterCompletion === 'DELETE') this.remove(d.GroupName, d.Name);
    else this.save({ definition: d, arn: schedule.arn, created: schedule.created, modified: schedule.modified });
  }

  private deadLetter(schedule: StoredSchedule, body: string, executionId: string, retries: number, error: unknown): void {
    const queueArn = schedule.definition.Target.DeadLetterConfig?.Arn;
    if (!queueArn) return;
    const letter: DeadLetter = {
      queueArn,
      sentAt: this.options.clock.now().toISOString(),
      body,
      attributes: {
        ERROR_CODE: (error as Error)?.name ?? 'Error',
        ERROR_MESSAGE: (error as Error)?.message ?? String(error),
        EXECUTION_ID: executionId,
        RETRY_ATTEMPTS: String(retries),
        SCHEDULE_ARN: schedule.arn,
        TARGET_ARN: schedule.definition.Target.Arn,
      },
    };
    const dir = this.deadLetterDir();
    if (!dir) return void this.memoryDeadLetters.push(letter);
    // One file per queue, named after the queue the ARN names.
    new JsonLinesFile<DeadLetter>(join(dir, `${queueArn.split(':').pop()}.jsonl`)).append(letter);
  }

  private deadLetterDir(): string | undefined {
    return this.options.dataDir ? join(this.options.dataDir, 'scheduler', 'dead-letters') : undefined;
  }

  private save(schedule: StoredSchedule): void {
    this.schedules.set(keyOf(schedule), schedule);
    this.journal?.append({ op: 'put', schedule });
  }

  private arm(): void {
    if (!this.options.autoRun || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.pending()[0];
    if (!next) return;
    const wait = Math.max(0, Math.min(MAX_TIMER_MS, next.next!.fireAt - this.options.clock.now().getTime()));
    this.timer = setTimeout(() => void this.runDue(), wait);
    this.timer.unref?.();
  }

  private load(): void {
    if (!this.journal) return;
    for (const entry of this.journal.read()) {
      if (entry.op === 'put' && entry.schedule?.definition) this.schedules.set(keyOf(entry.schedule), entry.schedule);
      else if (entry.op === 'del') this.schedules.delete(entry.key);
    }
    // Compact: keep only what exists, atomically.
    this.journal.rewrite(this.all().map((schedule) => ({ op: 'put' as const, schedule })));
    this.arm();
  }
}

function keyOf(schedule: StoredSchedule): string {
  return scheduleKey(schedule.definition.GroupName, schedule.definition.Name);
}

/**
 * Fills the context attributes Scheduler replaces in a target's input
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
 * Without an Input, Scheduler sends "a default notification"; here, an empty JSON object.
 */
function withContextAttributes(input: string | undefined, arn: string, run: PlannedRun, executionId: string): string {
  if (input === undefined) return '{}';
  return input
    .replaceAll('<aws.scheduler.schedule-arn>', arn)
    .replaceAll('<aws.scheduler.scheduled-time>', new Date(run.due).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .replaceAll('<aws.scheduler.execution-id>', executionId)
    .replaceAll('<aws.scheduler.attempt-number>', String(run.retries + 1));
}

