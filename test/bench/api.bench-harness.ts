/**
 * Figure 3: outcomes per second through the local HTTP API (callback_agreed with materials, two
 * touches each), against a raw baseline that does only the same DynamoDB transaction and the two
 * schedule creations, with no HTTP, auth, validation or planning. Each request has its own
 * prospect, so the figure is throughput and not lock contention. Rounds alternate the two sides.
 *
 * The touches the API run creates are kept: figure 1 fires them.
 */
import { benchAppOn, pendingPayloads, runtimeScheduler } from './app.bench-harness.js';
import { Agent, request } from 'node:http';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { DEFAULT_TEAM, type Call, type Prospect, type Touch } from '../../functions/core/schemas.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.js';
import type { FirePayload } from '../../functions/core/schemas.js';
import { callbackWithMaterials, prospectInput, repInput, SENDER, START } from './fixtures.bench-harness.js';
import { chunks, HandClock, log, median, percentile, pool, round } from './lib.bench-harness.js';

export interface ApiFigure {
  outcomes: number;
  concurrency: number;
  rounds: number;
  api: { perSecond: number; perRound: number[]; p50Ms: number; p99Ms: number; errors: number; statuses: Record<string, number> };
  raw: { perSecond: number; perRound: number[]; p50Ms: number; p99Ms: number };
  ratio: number;
  /**
   * The store and Scheduler calls an outcome makes, made directly in the order it makes them
   * (the prospect and the team's script counts together, the transaction with its check of the
   * address, the schedules, the one read back), with no HTTP, auth, validation or planning:
   * what the guarantees cost before any of our code runs.
   */
  sameCalls: { perSecond: number; perRound: number[]; p50Ms: number; p99Ms: number };
  ratioToSameCalls: number;
  /** What the raw side does per outcome. */
  rawWork: string;
}

export interface ApiRun {
  figure: ApiFigure;
  /** The fire payloads of every touch the API created (2 per outcome), warm-up included. */
  payloads: FirePayload[];
  warmPayloads: FirePayload[];
  tableName: string;
}

const REP = 'rep-bench';

export async function apiFigure(options: {
  dynamoEndpoint: string;
  sesEndpoint: string;
  outcomes: number;
  concurrency?: number;
  rounds?: number;
  warmup?: number;
}): Promise<ApiRun> {
  const concurrency = options.concurrency ?? 16;
  const rounds = options.rounds ?? 3;
  const warmup = options.warmup ?? 150;
  const tableName = `bench-api-${Date.now()}`;
  const clock = new HandClock(START);
  const keyFile = join(tmpdir(), `followthrough-bench-key-${process.pid}.json`);
  const runtime: LocalRuntime = await startLocalRuntime({
    dynamoEndpoint: options.dynamoEndpoint,
    sesEndpoint: options.sesEndpoint,
    tableName,
    keyFile,
    apiPort: 0,
    senderEmail: SENDER,
    clock,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    const service = benchAppOn(runtime, clock, tableName).service;
    const store = new DynamoStore({ client: runtime.dynamo, tableName });
    await service.putRep(REP, repInput('bench'));
    const token = await runtime.tokens.sign(REP);

    // Prospects for the API side, the raw side and the warm-up, made up front.
    const apiIds = Array.from({ length: options.outcomes + warmup }, (_, i) => `api-${i}`);
    const rawIds = Array.from({ length: options.outcomes + warmup }, (_, i) => `raw-${i}`);
    const sameIds = Array.from({ length: options.outcomes + warmup }, (_, i) => `same-${i}`);
    log(`api: creating ${apiIds.length + rawIds.length + sameIds.length} prospects`);
    await pool([...apiIds, ...rawIds, ...sameIds], 32, (id) => service.createProspect(REP, prospectInput(id)));

    const body = JSON.stringify(callbackWithMaterials());
    const url = new URL(runtime.url);
    const post = (prospectId: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            agent,
            host: '127.0.0.1',
            port: url.port,
            method: 'POST',
            path: `/v1/prospects/${prospectId}/calls`,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    // The raw side: one prospect read ahead of time (not timed), then per outcome exactly the
    // transaction the service commits and the two schedule creations.
    const template = await sampleOutcome(store, service, rawIds[0]!);
    const rawScheduler = runtimeScheduler(runtime, clock);
    const newId = monotonicFactory();
    const rawProspects = new Map<string, Prospect>();
    await pool(rawIds.slice(1), 32, async (id) => rawProspects.set(id, (await store.getProspect(REP, id))!));
    const raw = async (prospectId: string) => {
      const prospect = rawProspects.get(prospectId)!;
      const callId = newId();
      const now = clock.now().toISOString();
      const call: Call = { ...template.call, id: callId, prospectId, recordedAt: now };
      const touches: Touch[] = template.touches.map((t) => ({ ...t, id: newId(), prospectId, callId, createdAt: now, updatedAt: now }));
      const next: Prospect = { ...prospect, ...template.prospectChanges, version: prospect.version + 1, lastCallId: callId, updatedAt: now };
      await store.commitOutcome({ prospect: next, expectedVersion: prospect.version, call, newTouches: touches, cancelTouches: [] });
      await Promise.all(
        touches.map((t) =>
          rawScheduler.create({
            name: `touch-${t.id}`,
            at: new Date(t.dueAt),
            payload: { v: 1, touchId: t.id, repId: t.repId, prospectId: t.prospectId, dueAt: t.dueAt },
          }),
        ),
      );
      return 201;
    };

    const same = async (prospectId: string) => {
      // The rep comes from the api's cache of reps read in the last 30 s; the address is checked in the commit.
      const [bundle] = await Promise.all([store.getProspectBundle(REP, prospectId), store.getVariantCounts(DEFAULT_TEAM)]);
      const prospect = bundle!.prospect;
      const callId = newId();
      const now = clock.now().toISOString();
      const call: Call = { ...template.call, id: callId, prospectId, recordedAt: now };
      const touches: Touch[] = template.touches.map((t) => ({ ...t, id: newId(), prospectId, callId, createdAt: now, updatedAt: now }));
      const next: Prospect = { ...prospect, ...template.prospectChanges, version: prospect.version + 1, lastCallId: callId, updatedAt: now };
      await store.commitOutcome({ prospect: next, expectedVersion: prospect.version, call, newTouches: touches, cancelTouches: [], unsuppressed: prospect.email! });
      await Promise.all(
        touches.map((t) =>
          rawScheduler.create({ name: `touch-${t.id}`, at: new Date(t.dueAt), payload: { v: 1, touchId: t.id, repId: t.repId, prospectId: t.prospectId, dueAt: t.dueAt } }),
        ),
      );
      await store.getTouches(REP, prospectId, touches.map((t) => t.id));
      return 201;
    };

    const timed = async (ids: string[], fn: (id: string) => Promise<number>) => {
      const latencies: number[] = [];
      const statuses: Record<string, number> = {};
      const t0 = performance.now();
      await pool(ids, concurrency, async (id) => {
        const s = performance.now();
        let status: number;
        try {
          status = await fn(id);
        } catch (error) {
          status = 0;
          log(`api: request failed: ${String(error)}`);
        }
        latencies.push(performance.now() - s);
        statuses[status] = (statuses[status] ?? 0) + 1;
      });
      const seconds = (performance.now() - t0) / 1000;
      return { perSecond: ids.length / seconds, latencies, statuses };
    };

    log(`api: warm-up (${warmup} each side)`);
    await timed(apiIds.slice(0, warmup), post);
    await timed(rawIds.slice(1, warmup), raw);
    await timed(sameIds.slice(0, warmup), same);

    const apiChunks = chunks(apiIds.slice(warmup), rounds);
    const rawChunks = chunks(rawIds.slice(warmup), rounds);
    const sameChunks = chunks(sameIds.slice(warmup), rounds);
    const sameRates: number[] = [];
    const sameLat: number[] = [];
    const apiRates: number[] = [];
    const rawRates: number[] = [];
    const apiLat: number[] = [];
    const rawLat: number[] = [];
    const statuses: Record<string, number> = {};
    for (let r = 0; r < apiChunks.length; r++) {
      // Alternate which side goes first, so drift in the emulators hits both alike.
      // Each round starts with a different side, so drift in the emulators hits all alike.
      const sides = [() => timed(rawChunks[r] ?? [], raw), () => timed(apiChunks[r]!, post), () => timed(sameChunks[r] ?? [], same)];
      const out: Awaited<ReturnType<typeof timed>>[] = [];
      for (let k = 0; k < sides.length; k++) out[(k + r) % sides.length] = await sides[(k + r) % sides.length]!();
      const [b, a, c] = out as [Awaited<ReturnType<typeof timed>>, Awaited<ReturnType<typeof timed>>, Awaited<ReturnType<typeof timed>>];
      sameRates.push(c.perSecond);
      sameLat.push(...c.latencies);
      rawRates.push(b.perSecond);
      apiRates.push(a.perSecond);
      rawLat.push(...b.latencies);
      apiLat.push(...a.latencies);
      for (const [k, v] of Object.entries(a.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
      log(`api: round ${r + 1}: api ${round(a.perSecond, 1)}/s, raw ${round(b.perSecond, 1)}/s, same calls ${round(c.perSecond, 1)}/s`);
    }
    const errors = Object.entries(statuses).filter(([k]) => k !== '201').reduce((s, [, v]) => s + v, 0);
    const apiPerSecond = median(apiRates);
    const rawPerSecond = median(rawRates);

    // The API run's schedules, as Scheduler would deliver them: figure 1 fires these.
    const all = pendingPayloads(runtime);
    const warmSet = new Set(apiIds.slice(0, warmup));
    return {
      tableName,
      payloads: all.filter((p) => p.prospectId.startsWith('api-') && !warmSet.has(p.prospectId)),
      warmPayloads: all.filter((p) => warmSet.has(p.prospectId)),
      figure: {
        outcomes: options.outcomes,
        concurrency,
        rounds: apiChunks.length,
        api: {
          perSecond: round(apiPerSecond, 1),
          perRound: apiRates.map((r) => round(r, 1)),
          p50Ms: round(median(apiLat), 1),
          p99Ms: round(percentile(apiLat, 99), 1),
          errors,
          statuses,
        },
        raw: {
          perSecond: round(rawPerSecond, 1),
          perRound: rawRates.map((r) => round(r, 1)),
          p50Ms: round(median(rawLat), 1),
          p99Ms: round(percentile(rawLat, 99), 1),
        },
        ratio: round(apiPerSecond / rawPerSecond, 3),
        sameCalls: {
          perSecond: round(median(sameRates), 1),
          perRound: sameRates.map((r) => round(r, 1)),
          p50Ms: round(median(sameLat), 1),
          p99Ms: round(percentile(sameLat, 99), 1),
        },
        ratioToSameCalls: round(apiPerSecond / median(sameRates), 3),
        rawWork: 'DynamoStore.commitOutcome (TransactWrite: prospect put with version check, call put, 2 touch puts) + 2 CreateSchedule on the local Scheduler endpoint',
      },
    };
  } finally {
    agent.destroy();
    await runtime.stop();
    rmSync(keyFile, { force: true });
  }
}

/**
 * One real outcome through the service, read back: the call, touches and prospect changes the
 * raw side then writes again with new ids, so both sides write items of the same size.
 */
async function sampleOutcome(store: DynamoStore, service: ReturnType<typeof benchAppOn>['service'], prospectId: string) {
  await service.postCall(REP, prospectId, callbackWithMaterials());
  const bundle = (await store.getProspectBundle(REP, prospectId))!;
  const { prospect } = bundle;
  return {
    call: bundle.calls[0]!,
    touches: bundle.touches,
    prospectChanges: {
      hotButtons: prospect.hotButtons,
      status: prospect.status,
      attempts: prospect.attempts,
      lastCallAt: prospect.lastCallAt,
      ...(prospect.callbackAt ? { callbackAt: prospect.callbackAt } : {}),
      ...(prospect.attemptDueAt ? { attemptDueAt: prospect.attemptDueAt } : {}),
    } satisfies Partial<Prospect>,
  };
}
