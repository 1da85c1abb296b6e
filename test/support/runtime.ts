/**
 * A local runtime per test file on the shared emulators: its own table, its own HTTP and local AWS
 * ports, a fake clock, and helpers to call the API as a rep and read the inbox. Everything runs
 * through the Lambda handlers, as `npm start` does.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.js';
import { readInbox, type StoredEmail } from '../../functions/local/ses.js';
import { FakeClock } from './clock.js';

export interface TestRuntime extends LocalRuntime {
  clock: FakeClock;
  sesEndpoint: string;
  /** Calls the API with a token for `repId`. */
  call(method: string, path: string, body?: unknown, options?: { repId?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  /** Emails sent to `address` so far, oldest first. */
  inbox(address: string): Promise<StoredEmail[]>;
  /** Emails sent to any of `addresses`, in the order they were sent. */
  inboxes(...addresses: string[]): Promise<StoredEmail[]>;
  /** Moves the clock to `at` and fires every schedule due by then (and waits for the deliveries). */
  fireUntil(at: Date | string): Promise<number>;
  /**
   * Fires what was just planned for "now": Scheduler takes only future times, so the adapter sets
   * a due-now touch 30 s ahead, as it does on AWS; this moves the clock past that.
   */
  fireNow(): Promise<number>;
}

export interface TestRuntimeOptions {
  start: string;
  /** The cadence policy as JSON (CADENCE_POLICY). */
  cadencePolicy?: string;
  dataDir?: string;
  /** The table, to start again on the same data (a restart); a new one by default. */
  tableName?: string;
  jitter?: 'none' | 'minute';
  random?: () => number;
  /** The console signs in through this Cognito-compatible hosted UI (see test/e2e/fake-cognito.ts). */
  cognito?: { domainUrl: string; clientId: string };
  /** Run the sweep every minute and feed it the fire failures, as npm start does (off unless a test is about it). */
  sweep?: boolean;
  /** The clock, when a test needs one of its own (it starts at `start` all the same). */
  clock?: FakeClock;
}

export async function testRuntime(options: TestRuntimeOptions): Promise<TestRuntime> {
  const clock = options.clock ?? new FakeClock(options.start);
  clock.set(options.start);
  const sesEndpoint = inject('sesEndpoint');
  const runtime = await startLocalRuntime({
    dynamoEndpoint: inject('dynamoEndpoint'),
    sesEndpoint,
    tableName: options.tableName ?? `t-${randomUUID()}`,
    dataDir: options.dataDir,
    // One key per test process, in the run's scratch folder (removed at the end of the run).
    keyFile: join(inject('scratchDir'), `link-key-${process.pid}.json`),
    apiPort: 0,
    awsPort: 0,
    senderEmail: 'followthrough@example.com',
    ...(options.cadencePolicy ? { cadencePolicy: options.cadencePolicy } : {}),
    ...(options.jitter ? { jitter: options.jitter } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.cognito ? { cognito: options.cognito } : {}),
    sweep: options.sweep ?? false,
    clock,
  });
  const tokens = new Map<string, string>();
  return {
    ...runtime,
    clock,
    sesEndpoint,
    async call(method, path, body, opts = {}) {
      const repId = opts.repId ?? 'rep-1';
      let token = tokens.get(repId);
      if (!token) {
        token = await runtime.tokens.sign(repId);
        tokens.set(repId, token);
      }
      const res = await fetch(`${runtime.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed as any };
    },
    async inbox(address) {
      return (await readInbox(sesEndpoint)).filter((e) => e.destination.to.some((to) => to.includes(address)));
    },
    async inboxes(...addresses) {
      return (await readInbox(sesEndpoint)).filter((e) => e.destination.to.some((to) => addresses.some((a) => to.includes(a))));
    },
    async fireUntil(at) {
      clock.set(at);
      return runtime.runDue();
    },
    async fireNow() {
      clock.advance(31_000);
      return runtime.runDue();
    },
  };
}

/** A unique address so tests sharing the one SES inbox never see each other's mail. */
export function uniqueEmail(name: string): string {
  return `${name}.${randomUUID().slice(0, 8)}@example.com`;
}
