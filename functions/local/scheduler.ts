/**
 * The local stand-in for EventBridge Scheduler. It keeps one-time schedules in a journal under
 * .data/ (so a restart loses none) and, at the due time, invokes the fire handler with the same
 * JSON Scheduler would deliver. A schedule whose time has passed fires at once. Like Scheduler
 * with ActionAfterCompletion DELETE, a schedule is gone once it has run; failed invocations are
 * retried and then written to a dead-letter file.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FirePayload } from '../core/schemas.js';
import type { Clock, ScheduleRequest, TouchScheduler } from '../ports.js';

export interface LocalSchedule {
  name: string;
  /** UTC instant in ms. */
  at: number;
  /** The target Input, a JSON string, as Scheduler stores it. */
  input: string;
  retries: number;
}

export interface LocalSchedulerOptions {
  /** Journal file; absent keeps schedules in memory only (tests). */
  file?: string;
  deadLetterFile?: string;
  clock: Clock;
  /** The fire handler, invoked with the parsed Input, as Lambda would receive it. */
  invoke: (event: unknown) => Promise<unknown>;
  /** Run a timer that fires schedules when they fall due. Off in tests, which call runDue(). */
  autoRun?: boolean;
  /** Invocations in flight at once. */
  concurrency?: number;
  maxRetries?: number;
  onError?: (name: string, error: unknown) => void;
}

const NAME_RE = /^[0-9a-zA-Z_.-]{1,64}$/;
// Node timers overflow past ~24.8 days; re-arm at most this far ahead.
const MAX_TIMER_MS = 60_000;

export class LocalScheduler implements TouchScheduler {
  private readonly schedules = new Map<string, LocalSchedule>();
  private readonly running = new Set<string>();
  private timer?: NodeJS.Timeout;
  private closed = false;
  private draining?: Promise<number>;

  constructor(private readonly options: LocalSchedulerOptions) {
    this.load();
  }

  async create(request: ScheduleRequest): Promise<void> {
    if (!NAME_RE.test(request.name)) throw new Error(`invalid schedule name: ${request.name}`);
    // An invalid Date would never fall due and re-arm the timer every millisecond.
    if (!Number.isFinite(request.at.getTime())) throw new RangeError(`invalid schedule time for ${request.name}`);
    const schedule: LocalSchedule = { name: request.name, at: request.at.getTime(), input: JSON.stringify(request.payload), retries: 0 };
    this.schedules.set(schedule.name, schedule);
    this.journal({ op: 'put', ...schedule });
    this.arm();
  }

  async delete(name: string): Promise<void> {
    if (this.schedules.delete(name)) this.journal({ op: 'del', name });
  }

  /** Pending schedules, soonest first. */
  list(): LocalSchedule[] {
    return [...this.schedules.values()].sort((a, b) => a.at - b.at);
  }

  payloads(): FirePayload[] {
    return this.list().map((s) => JSON.parse(s.input) as FirePayload);
  }

  /**
   * Fires every schedule due at the clock's now, and any that fall due while doing so.
   * Resolves with how many invocations succeeded.
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

  private async drain(): Promise<number> {
    let fired = 0;
    // At least one worker: with none, a due schedule would spin this loop forever.
    const limit = Math.max(1, this.options.concurrency ?? 64);
    while (!this.closed) {
      const now = this.options.clock.now().getTime();
      const due = this.list().filter((s) => s.at <= now && !this.running.has(s.name));
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

  private async runOne(schedule: LocalSchedule): Promise<boolean> {
    this.running.add(schedule.name);
    try {
      await this.options.invoke(JSON.parse(schedule.input));
      // One-time schedules delete themselves after completion, unless replaced meanwhile.
      if (this.schedules.get(schedule.name) === schedule) await this.delete(schedule.name);
      return true;
    } catch (error) {
      this.options.onError?.(schedule.name, error);
      if (this.schedules.get(schedule.name) !== schedule) return false;
      const retries = schedule.retries + 1;
      if (retries > (this.options.maxRetries ?? 8)) {
        await this.delete(schedule.name);
        if (this.options.deadLetterFile) {
          ensureDir(this.options.deadLetterFile);
          appendFileSync(this.options.deadLetterFile, JSON.stringify({ ...schedule, error: String(error), at: new Date(schedule.at).toISOString() }) + '\n');
        }
      } else {
        // Back off like Scheduler's retry policy: exponentially, from a few seconds.
        const delay = Math.min(300_000, 2000 * 2 ** (retries - 1));
        const retry = { ...schedule, retries, at: this.options.clock.now().getTime() + delay };
        this.schedules.set(retry.name, retry);
        this.journal({ op: 'put', ...retry });
      }
      return false;
    } finally {
      this.running.delete(schedule.name);
    }
  }

  private arm(): void {
    if (!this.options.autoRun || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.list()[0];
    if (!next) return;
    const wait = Math.max(0, Math.min(MAX_TIMER_MS, next.at - this.options.clock.now().getTime()));
    this.timer = setTimeout(() => void this.runDue(), wait);
    this.timer.unref?.();
  }

  private load(): void {
    const file = this.options.file;
    if (!file || !existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as { op: 'put' | 'del' } & LocalSchedule;
        if (entry.op === 'put') this.schedules.set(entry.name, { name: entry.name, at: entry.at, input: entry.input, retries: entry.retries ?? 0 });
        else this.schedules.delete(entry.name);
      } catch {
        // A line cut short by a crash mid-write: skip it, the rest is intact.
      }
    }
    // Compact: rewrite only what is pending, atomically.
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, this.list().map((s) => JSON.stringify({ op: 'put', ...s })).join('\n') + (this.schedules.size ? '\n' : ''));
    renameSync(tmp, file);
    this.arm();
  }

  private journal(entry: Record<string, unknown>): void {
    if (!this.options.file) return;
    ensureDir(this.options.file);
    // Synchronous appends keep the journal in call order and on disk before create() resolves.
    appendFileSync(this.options.file, JSON.stringify(entry) + '\n');
  }
}

function ensureDir(file: string) {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
}
