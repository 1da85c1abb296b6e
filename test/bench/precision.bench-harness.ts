/**
 * Figure 1b: how far from its due second a rep reminder arrives when the scheduler fires anywhere
 * within a minute, as EventBridge Scheduler does (the local runtime's SCHEDULER_JITTER=minute).
 *
 * Two sets of reminders with the same due seconds, in one runtime at the same time:
 * - "Scheduler alone": the schedule set for the due time itself, so the reminder would go out whenever
 *   in that minute Scheduler fires it (early when the due second is late in its minute, late otherwise):
 *   its arrival is the moment the local Scheduler invokes it, drawn as EventBridge Scheduler draws it;
 * - ours: the reminder as the application schedules it (core/on-time.ts: a minute ahead), the fire
 *   function then waiting for the due second.
 * Both go through the same fire handler. Due seconds are spread over two minutes, every second of a
 * minute taken. "Arrived" is the touch record's updatedAt, written in the update that marks it sent,
 * right after SES accepted the email (the local inbox keeps whole seconds only).
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { startLocalRuntime } from '../../functions/local/runtime.js';
import { scheduleName } from '../../functions/use-cases/support/schedules.js';
import { benchAppOn, runtimeScheduler } from './app.bench-harness.js';
import { prospectInput, repInput, SENDER } from './fixtures.bench-harness.js';
import { HandClock, log, percentile, pool, round } from './lib.bench-harness.js';

export interface ArrivalStats {
  reminders: number;
  sent: number;
  /** |arrived − due|, ms. */
  p50Ms: number;
  p99Ms: number;
  /** The earliest arrival before its due second (0 when none was early), ms. */
  earliestMs: number;
  /** The latest arrival after its due second, ms. */
  latestMs: number;
  /** Arrivals more than a second before their due second. */
  earlyOver1s: number;
  /** How long the fire function waited for the due second, on average: when the scheduler fired it (jitter drawn) to its due second, ms. */
  meanWaitMs: number;
}

export interface PrecisionFigure {
  alone: ArrivalStats;
  ours: ArrivalStats;
  /** Seconds the figure took in real time (it waits for real minutes). */
  wallSeconds: number;
}

const REP = 'rep-precision';

export async function precisionFigure(options: { dynamoEndpoint: string; sesEndpoint: string; reminders: number }): Promise<PrecisionFigure> {
  const started = Date.now();
  const tableName = `bench-precision-${Date.now()}`;
  const keyFile = join(tmpdir(), `followthrough-bench-key-${process.pid}.json`);
  const runtime = await startLocalRuntime({
    dynamoEndpoint: options.dynamoEndpoint,
    sesEndpoint: options.sesEndpoint,
    tableName,
    keyFile,
    apiPort: 0,
    senderEmail: SENDER,
    autoFire: true,
    jitter: 'minute',
    sweep: false,
  });
  try {
    const clock = new HandClock(Date.now());
    const store = new DynamoStore({ client: runtime.dynamo, tableName });
    const setup = benchAppOn(runtime, clock, tableName);
    await setup.service.putRep(REP, repInput('precision'));
    const n = options.reminders;
    const ours = Array.from({ length: n }, (_, i) => `ours-${i}`);
    const alone = Array.from({ length: n }, (_, i) => `alone-${i}`);
    await pool([...ours, ...alone], 16, (id) => setup.service.createProspect(REP, prospectInput(id, 'America/New_York')));

    // Due seconds over two minutes, starting at a minute far enough ahead that a schedule a minute
    // early still lies in the future once every outcome is posted.
    const base = Math.ceil((Date.now() + 150_000) / 60_000) * 60_000;
    // 37 is prime to 120: every second of both minutes is someone's due second.
    const dueOf = (i: number) => base + ((i * 37) % 120) * 1000;
    const dues = new Map<string, number>();
    clock.set(Date.now());
    log(`precision: posting ${2 * n} outcomes due from ${new Date(base).toISOString()}`);
    await pool([...ours, ...alone], 16, async (id) => {
      const i = Number(id.split('-')[1]);
      const due = dueOf(i);
      dues.set(id, due);
      clock.set(Date.now());
      await setup.service.postCall(REP, id, { outcome: 'callback_agreed', callbackAt: new Date(due).toISOString(), sendRecap: false, hotButtons: ['uptime'] });
    });
    // "Scheduler alone": the same reminders' schedules set for their due time itself.
    const scheduler = runtimeScheduler(runtime, clock);
    await pool(alone, 16, async (id) => {
      const touch = (await store.getProspectBundle(REP, id))!.touches.find((t) => t.kind === 'rep_reminder')!;
      clock.set(Date.now());
      await scheduler.create({ name: scheduleName(touch.id), at: new Date(touch.dueAt), payload: { v: 1, touchId: touch.id, repId: REP, prospectId: id, dueAt: touch.dueAt } });
    });
    // When each will fire (the jitter is drawn when a schedule is stored), hence how long each fire waits.
    const waits = new Map<string, number>();
    const invoked = new Map<string, number>();
    for (const s of runtime.aws.scheduler.list()) {
      const payload = JSON.parse(s.input) as { prospectId: string; dueAt: string };
      waits.set(payload.prospectId, Math.max(0, Date.parse(payload.dueAt) - s.at.getTime()));
      invoked.set(payload.prospectId, s.at.getTime());
    }
    const lastDue = Math.max(...dues.values());
    if (Date.now() > base - 60_000) log(`precision: setup ran into the first minute (${round((Date.now() - base) / 1000, 1)} s from the first due second)`);
    log(`precision: waiting for the reminders (until about ${new Date(lastDue + 60_000).toISOString().slice(11, 19)})`);
    const deadline = lastDue + 120_000;
    while (runtime.aws.scheduler.list().length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    await runtime.lambda.idle();

    const offsets = async (ids: string[]) => {
      const out: number[] = [];
      await pool(ids, 16, async (id) => {
        const touch = (await store.getProspectBundle(REP, id))?.touches.find((t) => t.kind === 'rep_reminder');
        if (touch?.status === 'sent') out.push(Date.parse(touch.updatedAt) - dues.get(id)!);
      });
      return out;
    };
    const meanWait = (ids: string[]) => ids.reduce((sum, id) => sum + (waits.get(id) ?? 0), 0) / ids.length;
    // Scheduler alone sends when Scheduler invokes (the fire function it invokes now waits for the
    // second, so those reminders' own arrivals would flatter it): its offsets are the invocation
    // times the local Scheduler drew, as EventBridge Scheduler would invoke them.
    const invocations = alone.filter((id) => invoked.has(id)).map((id) => invoked.get(id)! - dues.get(id)!);
    return {
      alone: stats(n, invocations, 0),
      ours: stats(n, await offsets(ours), meanWait(ours)),
      wallSeconds: round((Date.now() - started) / 1000, 1),
    };
  } finally {
    await runtime.stop();
    rmSync(keyFile, { force: true });
  }
}

function stats(reminders: number, offsets: number[], meanWaitMs: number): ArrivalStats {
  const abs = offsets.map(Math.abs);
  return {
    reminders,
    sent: offsets.length,
    p50Ms: round(percentile(abs, 50), 0),
    p99Ms: round(percentile(abs, 99), 0),
    earliestMs: round(Math.max(0, -Math.min(...offsets)), 0),
    latestMs: round(Math.max(0, ...offsets), 0),
    earlyOver1s: offsets.filter((o) => o < -1000).length,
    meanWaitMs: round(meanWaitMs, 0),
  };
}
