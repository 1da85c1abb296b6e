/**
 * Figure 2: fire lag on the local runtime. N touches fall due in the same second; the runtime's
 * own LocalScheduler (autoFire, the real timer, the system clock) fires them through the same
 * TouchFirer. Lag = sent − due per touch.
 *
 * The touches are made by the real service (callback_agreed, no materials, no recap: one rep
 * reminder at exactly the agreed callback), posted with a hand clock an hour before so the
 * callback is in the future, into the runtime's own scheduler.
 *
 * "Sent" is the touch record's updatedAt, which the store writes with millisecond precision in
 * the same update that marks the touch sent, right after SES accepted the email (sentAt itself
 * is kept to the second).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { benchAppOn } from './app.bench-harness.js';
import { resolvePolicy } from '../../functions/core/policy.js';
import { startLocalRuntime } from '../../functions/local/runtime.js';
import { prospectInput, repInput, SENDER } from './fixtures.bench-harness.js';
import { HandClock, log, median, percentile, pool, round } from './lib.bench-harness.js';

export interface LagFigure {
  touches: number;
  sent: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How long before the due second the last schedule was created (negative: setup overran). */
  setupSlackMs: number;
  drainMs: number;
  schedulerConcurrency: number;
  valid: boolean;
}

const REP = 'rep-lag';

export async function lagFigure(options: {
  dynamoEndpoint: string;
  sesEndpoint: string;
  touches: number;
  /** Outcomes per second the setup can post, to place the due second just after it. */
  setupRate: number;
}): Promise<LagFigure> {
  const tableName = `bench-lag-${Date.now()}`;
  const runtime = await startLocalRuntime({
    dynamoEndpoint: options.dynamoEndpoint,
    sesEndpoint: options.sesEndpoint,
    tableName,
    keyFile: join(tmpdir(), `followthrough-bench-key-${process.pid}.json`),
    apiPort: 0,
    senderEmail: SENDER,
    autoFire: true,
    // The sweep's own minute runs would only add noise here.
    sweep: false,
  });
  try {
    const setupClock = new HandClock(Date.now());
    const store = new DynamoStore({ client: runtime.dynamo, tableName });
    // The same application, with a hand clock, writing into the runtime's Scheduler endpoint.
    const setup = benchAppOn(runtime, setupClock, tableName);
    await setup.service.putRep(REP, repInput('lag'));
    const ids = Array.from({ length: options.touches }, (_, i) => `lag-${i}`);
    await pool(ids, 32, (id) => setup.service.createProspect(REP, prospectInput(id)));

    const marginMs = (options.touches / Math.max(options.setupRate, 1)) * 1000 * 1.5 + 3000;
    const dueAt = Math.ceil((Date.now() + marginMs) / 1000) * 1000;
    setupClock.set(dueAt - 3600_000);
    const callbackAt = new Date(dueAt).toISOString();
    log(`lag: posting ${ids.length} outcomes due at ${callbackAt} (in ${round((dueAt - Date.now()) / 1000, 1)} s)`);
    await pool(ids, 16, (id) => setup.service.postCall(REP, id, { outcome: 'callback_agreed', callbackAt, sendRecap: false, hotButtons: ['uptime'] }));
    const setupSlackMs = dueAt - Date.now();
    const pending = runtime.aws.scheduler.list().filter((s) => s.at.getTime() === dueAt).length;
    if (pending !== ids.length && setupSlackMs > 0) log(`lag: expected ${ids.length} schedules at the due second, found ${pending}`);

    // Wait for the timer to fire them all (schedules delete themselves once run).
    const deadline = dueAt + 90_000;
    while (runtime.aws.scheduler.list().some((s) => s.at.getTime() <= dueAt) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // Scheduler hands each touch to Lambda's asynchronous invocation: the sends finish after the schedules are gone.
    await runtime.lambda.idle();
    const drainMs = Date.now() - dueAt;

    const lags: number[] = [];
    await pool(ids, 32, async (id) => {
      const bundle = await store.getProspectBundle(REP, id);
      for (const t of bundle?.touches ?? []) {
        if (t.status === 'sent' && t.dueAt === toSecondIso(dueAt)) lags.push(Date.parse(t.updatedAt) - Date.parse(t.dueAt));
      }
    });
    return {
      touches: ids.length,
      sent: lags.length,
      p50Ms: round(median(lags), 0),
      p99Ms: round(percentile(lags, 99), 0),
      maxMs: round(Math.max(...lags), 0),
      setupSlackMs: Math.round(setupSlackMs),
      drainMs,
      schedulerConcurrency: 64,
      valid: setupSlackMs > 0 && lags.length === ids.length,
    };
  } finally {
    await runtime.stop();
  }
}

function toSecondIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
