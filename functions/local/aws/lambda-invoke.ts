/**
 * Lambda's asynchronous invocation, the way Scheduler invokes a function: the caller only hands
 * the event over (Lambda answers 202) and Lambda runs the handler. When the handler throws, Lambda
 * runs it two more times by default, "with a one-minute wait between the first two attempts, and
 * two minutes between the second and third attempts", and an event older than the maximum event
 * age is discarded (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 * An event that failed every attempt, or expired, goes to the on-failure destination as an
 * invocation record (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html):
 * here, to the `onFailure` sink the runtime gives (it appends the record to a file for the sweep).
 *
 * Retries wait on the injected clock: `runDue()` runs those whose time has come (tests move a fake
 * clock first), `runRetriesNow()` runs every waiting retry at once, and with `autoRun` a timer does
 * it. Waiting retries live in memory: a stop loses them, as a deleted function loses its queue.
 */
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { Clock } from './wire.js';

export type LambdaHandler<E = unknown> = (event: E, context: Context) => unknown;

export interface AsyncInvokeConfig {
  /** The function's ARN, as the invocation record names it. */
  functionArn: string;
  /** Retries after a function error, 0-2; Lambda's default is 2. */
  maximumRetryAttempts?: number;
  /** How long Lambda keeps the event, 60-21600 s; the default is 6 hours. */
  maximumEventAgeSeconds?: number;
  /** The on-failure destination. */
  onFailure?: (record: OnFailureRecord) => void | Promise<void>;
}

/** An on-failure destination's invocation record. */
export interface OnFailureRecord {
  version: '1.0';
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: 'RetriesExhausted' | 'EventAgeExceeded'; approximateInvokeCount: number };
  requestPayload: unknown;
  responseContext: { statusCode: number; executedVersion: string; functionError: 'Unhandled' };
  responsePayload: { errorType: string; errorMessage: string; trace?: string[] };
}

export interface AsyncInvocation {
  requestId: string;
  /** Settles when the event is done with: handled, or handed to the on-failure destination. */
  settled: Promise<'succeeded' | 'failed'>;
}

export interface AsyncInvokerOptions {
  clock: Clock;
  /** Run waiting retries from a timer (npm start); tests call runDue() or runRetriesNow(). */
  autoRun?: boolean;
  /** Told of each failed attempt and of an on-failure sink that throws. */
  onError?: (requestId: string, error: unknown) => void;
}

export interface WaitingRetry {
  requestId: string;
  functionArn: string;
  /** Attempts made so far. */
  attempts: number;
  runAt: Date;
}

interface Job {
  requestId: string;
  handler: LambdaHandler<unknown>;
  payload: string;
  config: Required<Omit<AsyncInvokeConfig, 'onFailure'>> & Pick<AsyncInvokeConfig, 'onFailure'>;
  enqueuedAt: number;
  attempts: number;
  runAt?: number;
  lastError?: unknown;
  resolve: (outcome: 'succeeded' | 'failed') => void;
}

const RETRY_DELAYS_MS = [60_000, 120_000];
const MAX_TIMER_MS = 60_000;

export class AsyncInvoker {
  private readonly waiting = new Set<Job>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: AsyncInvokerOptions) {}

  /**
   * Queues `event` for `handler` and returns once Lambda would have accepted it; the first attempt
   * starts at once. The handler receives its own copy of the event, parsed from JSON as Lambda
   * delivers it. Rejects only when the event cannot be accepted (not JSON-serializable).
   */
  async asyncInvoke<E>(handler: LambdaHandler<E>, event: E, config: AsyncInvokeConfig): Promise<AsyncInvocation> {
    const maximumRetryAttempts = config.maximumRetryAttempts ?? 2;
    const maximumEventAgeSeconds = config.maximumEventAgeSeconds ?? 21_600;
    if (!Number.isInteger(maximumRetryAttempts) || maximumRetryAttempts < 0 || maximumRetryAttempts > 2) {
      throw new RangeError(`maximumRetryAttempts must be 0, 1 or 2, not ${maximumRetryAttempts}`);
    }
    if (!Number.isInteger(maximumEventAgeSeconds) || maximumEventAgeSeconds < 60 || maximumEventAgeSeconds > 21_600) {
      throw new RangeError(`maximumEventAgeSeconds must be 60-21600, not ${maximumEventAgeSeconds}`);
    }
    const payload = JSON.stringify(event);
    if (payload === undefined) throw new TypeError('The event must be JSON-serializable');
    if (this.closed) throw new Error('The invoker is closed');
    let resolve!: Job['resolve'];
    const settled = new Promise<'succeeded' | 'failed'>((r) => (resolve = r));
    const job: Job = {
      requestId: randomUUID(),
      handler: handler as LambdaHandler<unknown>,
      payload,
      config: { functionArn: config.functionArn, maximumRetryAttempts, maximumEventAgeSeconds, onFailure: config.onFailure },
      enqueuedAt: this.now(),
      attempts: 0,
      resolve,
    };
    this.start(job);
    return { requestId: job.requestId, settled };
  }

  /** Runs the waiting retries whose time has come. Resolves with how many were run. */
  async runDue(): Promise<number> {
    const now = this.now();
    return this.runWaiting([...this.waiting].filter((job) => job.runAt! <= now));
  }

  /** Test hook: runs every waiting retry now, whatever its time. */
  async runRetriesNow(): Promise<number> {
    return this.runWaiting([...this.waiting]);
  }

  /** Retries waiting for their time, soonest first. */
  pending(): WaitingRetry[] {
    return [...this.waiting]
      .sort((a, b) => a.runAt! - b.runAt!)
      .map((job) => ({ requestId: job.requestId, functionArn: job.config.functionArn, attempts: job.attempts, runAt: new Date(job.runAt!) }));
  }

  /** Waits until no attempt is running (waiting retries stay waiting). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /** Waits for the attempts in flight now, not for any started meanwhile (under steady load the invoker may never be idle). */
  async settleInFlight(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /** Waits for attempts in flight; runs no more retries. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private async runWaiting(jobs: Job[]): Promise<number> {
    if (this.closed) return 0;
    for (const job of jobs) this.waiting.delete(job);
    await Promise.all(jobs.map((job) => this.start(job)));
    return jobs.length;
  }

  private start(job: Job): Promise<void> {
    const attempt = this.attempt(job).finally(() => this.inFlight.delete(attempt));
    this.inFlight.add(attempt);
    return attempt;
  }

  private async attempt(job: Job): Promise<void> {
    // Lambda discards an event that waited longer than the maximum event age.
    if (job.attempts > 0 && this.now() - job.enqueuedAt > job.config.maximumEventAgeSeconds * 1000) {
      return this.fail(job, 'EventAgeExceeded');
    }
    job.attempts += 1;
    try {
      await job.handler(JSON.parse(job.payload), this.context(job));
      job.resolve('succeeded');
    } catch (error) {
      job.lastError = error;
      this.options.onError?.(job.requestId, error);
      if (job.attempts > job.config.maximumRetryAttempts) return this.fail(job, 'RetriesExhausted');
      job.runAt = this.now() + RETRY_DELAYS_MS[job.attempts - 1]!;
      this.waiting.add(job);
      this.arm();
    }
  }

  private async fail(job: Job, condition: OnFailureRecord['requestContext']['condition']): Promise<void> {
    const error = job.lastError;
    const record: OnFailureRecord = {
      version: '1.0',
      timestamp: new Date(this.now()).toISOString(),
      requestContext: { requestId: job.requestId, functionArn: qualified(job.config.functionArn), condition, approximateInvokeCount: job.attempts },
      requestPayload: JSON.parse(job.payload),
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: errorPayload(error),
    };
    try {
      await job.config.onFailure?.(record);
    } catch (sinkError) {
      this.options.onError?.(job.requestId, sinkError);
    }
    job.resolve('failed');
  }

  private arm(): void {
    if (!this.options.autoRun || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    const soonest = Math.min(...[...this.waiting].map((job) => job.runAt!));
    if (!Number.isFinite(soonest)) return;
    const wait = Math.max(0, Math.min(MAX_TIMER_MS, soonest - this.now()));
    this.timer = setTimeout(() => void this.runDue().finally(() => this.arm()), wait);
    this.timer.unref?.();
  }

  private context(job: Job): Context {
    const functionName = job.config.functionArn.split(':')[6] ?? 'function';
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: job.config.functionArn,
      memoryLimitInMB: '1024',
      awsRequestId: job.requestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => 30_000,
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }
}

/** An invoker: `createAsyncInvoker({ clock }).asyncInvoke(handler, event, config)`. */
export function createAsyncInvoker(options: AsyncInvokerOptions): AsyncInvoker {
  return new AsyncInvoker(options);
}

/** Records name the version that ran: an unqualified ARN gets `:$LATEST`. */
function qualified(functionArn: string): string {
  return functionArn.split(':').length >= 8 ? functionArn : `${functionArn}:$LATEST`;
}

/** What the Node.js runtime answers for an unhandled error. */
function errorPayload(error: unknown): OnFailureRecord['responsePayload'] {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, ...(error.stack ? { trace: error.stack.split('\n') } : {}) };
  }
  return { errorType: typeof error, errorMessage: String(error) };
}
