/**
 * Figure 1: due touches fired through the real TouchFirer (the fire Lambda's use case, composed
 * by composeApp with the DynamoDB and SES adapters), against a raw baseline that does only the
 * irreducible work per touch: one conditional UpdateItem and one SESv2 SendEmail of an email of
 * the same size, on the same emulators at the same concurrency. Rounds alternate the two sides.
 */
import { BatchWriteItemCommand, DynamoDBClient, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { SesMailer } from '../../functions/adapters/ses-mailer.js';
import { benchApp as composeApp } from './app.bench-harness.js';
import type { FirePayload } from '../../functions/core/schemas.js';
import { resolvePolicy } from '../../functions/core/policy.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';
import { sesClient } from '../../functions/local/ses.js';
import type { Mailer, OutgoingEmail } from '../../functions/ports/index.js';
import { AFTER_CALLBACK, SENDER } from './fixtures.bench-harness.js';
import { chunks, HandClock, log, median, pool, round } from './lib.bench-harness.js';

export interface FireFigure {
  touches: number;
  concurrency: number;
  rounds: number;
  firer: { perSecond: number; perRound: number[]; results: Record<string, number> };
  raw: { perSecond: number; perRound: number[] };
  ratio: number;
  /**
   * The calls the guarantees need, made raw: a consistent Query of the touch's partition, the claim
   * (TransactWriteItems: the touch's conditional update and condition checks on the prospect and
   * the rep), SendEmail of the same email, the mark (UpdateItem). No records read into objects,
   * no rules, no rendering: what one process does with those four calls alone.
   */
  sameCalls: { perSecond: number; perRound: number[] };
  /** Ours against {@link sameCalls}: what our code costs beyond its calls. */
  ratioToSameCalls: number;
  /** Raw-side touches used to warm up, not timed. */
  rawWarmup: number;
  /** DynamoDB calls per fired touch on the real path, counted on the wire (first timed round). */
  dynamoCallsPerTouch: Record<string, number>;
  /**
   * Round trips per touch by kind, counted on the wire (DynamoDB and SES calls, the link secret
   * once per process aside), each touch fired alone; `sequential` counts calls one after another
   * (calls made concurrently count once). The raw loop makes 2 (1 UpdateItem, 1 SendEmail).
   */
  roundTrips: Record<string, { touches: number; calls: number; sequential: number; byCommand: Record<string, number> }>;
  /**
   * CPU of this Node process (the firer or the raw loop, the SDK clients and the local SES server
   * it hosts) per touch, ms, over the timed rounds: what one core spends on each side's touch.
   */
  cpuMsPerTouch: { firer: number; raw: number; sameCalls: number };
}

export async function fireFigure(options: {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  payloads: FirePayload[];
  warmPayloads: FirePayload[];
  concurrency?: number;
  rounds?: number;
}): Promise<FireFigure> {
  const concurrency = options.concurrency ?? 32;
  const rounds = options.rounds ?? 3;
  const dynamo = new DynamoDBClient({ endpoint: options.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const ses = sesClient(options.sesEndpoint);
  const sesMailer = new SesMailer({ client: ses });
  const captured: OutgoingEmail[] = [];
  const capturing: Mailer = {
    send(email) {
      if (captured.length < 64) captured.push(email);
      return sesMailer.send(email);
    },
  };
  // Count DynamoDB operations on the wire, by command, while the real firer runs.
  const ops: Record<string, number> = {};
  let counting = false;
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      if (counting) ops[context.commandName ?? '?'] = (ops[context.commandName ?? '?'] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCount' },
  );
  // Per touch, alone: every DynamoDB and SES call, and how many were in flight at once.
  const trip = { on: false, calls: {} as Record<string, number>, inFlight: 0, sequential: 0 };
  const tripCounter = (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    if (!trip.on) return next(args);
    trip.calls[context.commandName ?? '?'] = (trip.calls[context.commandName ?? '?'] ?? 0) + 1;
    // A call that starts while none is in flight begins a new round trip.
    if (trip.inFlight++ === 0) trip.sequential++;
    try {
      return await next(args);
    } finally {
      trip.inFlight--;
    }
  };
  dynamo.middlewareStack.add(tripCounter as never, { step: 'initialize', name: 'benchTrips' });
  ses.middlewareStack.add(tripCounter as never, { step: 'initialize', name: 'benchTrips' });
  const clock = new HandClock(AFTER_CALLBACK);
  const app = composeApp({
    store: new DynamoStore({ client: dynamo, tableName: options.tableName }),
    scheduler: { create: () => Promise.reject(new Error('fire does not schedule')), delete: () => Promise.resolve(), get: () => Promise.resolve(undefined) },
    mailer: capturing,
    clock,
    policy: resolvePolicy(),
    senderEmail: SENDER,
  });

  try {
    const results: Record<string, number> = {};
    const fire = async (payload: FirePayload) => {
      const out = await app.firer.fire(payload);
      results[out.result] = (results[out.result] ?? 0) + 1;
    };
    // A few touches of each kind are kept from the warm-up for counting round trips.
    const kindOf = new Map<string, string>();
    const store = new DynamoStore({ client: dynamo, tableName: options.tableName });
    await pool(options.warmPayloads, 16, async (p) => kindOf.set(p.touchId, (await store.getTouch(p.repId, p.prospectId, p.touchId))?.kind ?? '?'));
    const counted: FirePayload[] = [];
    for (const kind of new Set(kindOf.values())) counted.push(...options.warmPayloads.filter((p) => kindOf.get(p.touchId) === kind).slice(0, 10));
    const warm = options.warmPayloads.filter((p) => !counted.includes(p));
    log(`fire: warm-up (${warm.length} touches)`);
    await pool(warm, concurrency, fire);
    if (captured.length === 0) throw new Error('fire warm-up sent no email: check the clock and the touches');
    for (const k of Object.keys(results)) delete results[k];
    const roundTrips: FireFigure['roundTrips'] = {};
    for (const p of counted) {
      Object.assign(trip, { on: true, calls: {}, inFlight: 0, sequential: 0 });
      const out = await app.firer.fire(p);
      trip.on = false;
      if (out.result !== 'sent') continue;
      const kind = kindOf.get(p.touchId)!;
      const row = (roundTrips[kind] ??= { touches: 0, calls: 0, sequential: 0, byCommand: {} });
      row.touches++;
      for (const [command, n] of Object.entries(trip.calls)) {
        row.calls += n;
        row.byCommand[command] = (row.byCommand[command] ?? 0) + n;
      }
      row.sequential += trip.sequential;
    }
    for (const row of Object.values(roundTrips)) {
      row.calls = round(row.calls / row.touches, 2);
      row.sequential = round(row.sequential / row.touches, 2);
      row.byCommand = Object.fromEntries(Object.entries(row.byCommand).map(([k, v]) => [k, round(v / row.touches, 2)]));
    }

    // The raw side's touches: minimal items in the same table, due and scheduled.
    const rawCount = options.payloads.length;
    const rawKeys = Array.from({ length: rawCount }, (_, i) => ({ pk: `RAWFIRE#${i}`, sk: 'TOUCH' }));
    await pool(chunks(rawKeys, Math.ceil(rawCount / 25)), 8, (batch) =>
      dynamo.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [options.tableName]: batch.map((k) => ({
              PutRequest: { Item: { pk: { S: k.pk }, sk: { S: k.sk }, status: { S: 'scheduled' }, dueAt: { S: '2026-11-25T21:00:00Z' } } },
            })),
          },
        }),
      ),
    );
    // The same-calls side: per touch a partition with a prospect and a touch, and one rep item for all.
    const sameKeys = Array.from({ length: rawCount }, (_, i) => `RAWSAME#${i}`);
    await pool(chunks(sameKeys, Math.ceil((rawCount * 2) / 24)), 8, (batch) =>
      dynamo.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [options.tableName]: batch.flatMap((pk): WriteRequest[] => [
              { PutRequest: { Item: { pk: { S: pk }, sk: { S: 'PROSPECT' }, version: { N: '2' }, name: { S: 'Dana Buyer' }, email: { S: 'dana@example.com' } } } },
              { PutRequest: { Item: { pk: { S: pk }, sk: { S: 'TOUCH#1' }, status: { S: 'scheduled' }, dueAt: { S: '2026-11-25T21:00:00Z' }, updatedAt: { S: '2026-11-25T20:00:00Z' } } } },
            ]),
          },
        }),
      ),
    );
    await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [options.tableName]: [{ PutRequest: { Item: { pk: { S: 'RAWSAMEREP' }, sk: { S: 'REP' }, updatedAt: { S: '2026-11-01T00:00:00Z' } } } }] } }));
    const sameCalls = async (pk: string, i: number) => {
      await dynamo.send(new QueryCommand({ TableName: options.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, ConsistentRead: true }));
      const now = clock.now().toISOString();
      await dynamo.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: options.tableName,
                Key: { pk: { S: pk }, sk: { S: 'TOUCH#1' } },
                UpdateExpression: 'SET claimedAt = :now',
                ConditionExpression: '#s = :sch AND updatedAt = :u AND attribute_not_exists(claimedAt)',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':now': { S: now }, ':sch': { S: 'scheduled' }, ':u': { S: '2026-11-25T20:00:00Z' } },
              },
            },
            { ConditionCheck: { TableName: options.tableName, Key: { pk: { S: pk }, sk: { S: 'PROSPECT' } }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': { N: '2' } } } },
            { ConditionCheck: { TableName: options.tableName, Key: { pk: { S: 'RAWSAMEREP' }, sk: { S: 'REP' } }, ConditionExpression: 'updatedAt = :r', ExpressionAttributeValues: { ':r': { S: '2026-11-01T00:00:00Z' } } } },
          ],
        }),
      );
      await sesMailer.send(captured[i % captured.length]!);
      await dynamo.send(
        new UpdateItemCommand({
          TableName: options.tableName,
          Key: { pk: { S: pk }, sk: { S: 'TOUCH#1' } },
          UpdateExpression: 'SET #s = :sent, sentAt = :now REMOVE claimedAt',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sent': { S: 'sent' }, ':now': { S: now } },
        }),
      );
    };
    const raw = async (key: { pk: string; sk: string }, i: number) => {
      await dynamo.send(
        new UpdateItemCommand({
          TableName: options.tableName,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          UpdateExpression: 'SET #s = :sent, sentAt = :now',
          ConditionExpression: '#s = :sch',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sent': { S: 'sent' }, ':now': { S: clock.now().toISOString() }, ':sch': { S: 'scheduled' } },
        }),
      );
      await sesMailer.send(captured[i % captured.length]!);
    };

    // Warm the raw path too (DynamoDB Local's JIT warms up over the first thousand calls).
    const rawWarm = rawKeys.slice(0, Math.min(400, Math.floor(rawCount / 4)));
    await pool(rawWarm, concurrency, (k, i) => raw(k, i));
    const rawRest = rawKeys.slice(rawWarm.length);

    const realChunks = chunks(options.payloads, rounds);
    const rawChunks = chunks(rawRest, rounds);
    // Warm the same-calls side on its first keys, as the raw side is warmed.
    const sameWarm = sameKeys.slice(0, rawWarm.length);
    await pool(sameWarm, concurrency, (k, i) => sameCalls(k, i));
    const sameChunks = chunks(sameKeys.slice(sameWarm.length), rounds);
    const sameRates: number[] = [];
    const realRates: number[] = [];
    const rawRates: number[] = [];
    let offset = rawWarm.length;
    const cpu = { firer: 0, raw: 0, same: 0, firerTouches: 0, rawTouches: 0, sameTouches: 0 };
    const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
    const runRaw = async (r: number) => {
      const rawBatch = rawChunks[r] ?? [];
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const base = offset;
      await pool(rawBatch, concurrency, (k, i) => raw(k, base + i));
      rawRates.push(rawBatch.length / ((performance.now() - t0) / 1000));
      cpu.raw += cpuMs(process.cpuUsage(c0));
      cpu.rawTouches += rawBatch.length;
      offset += rawBatch.length;
    };
    const runSame = async (r: number) => {
      const batch = sameChunks[r] ?? [];
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await pool(batch, concurrency, (k, i) => sameCalls(k, i));
      sameRates.push(batch.length / ((performance.now() - t0) / 1000));
      cpu.same += cpuMs(process.cpuUsage(c0));
      cpu.sameTouches += batch.length;
    };
    const runReal = async (r: number) => {
      counting = r === 0;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await pool(realChunks[r]!, concurrency, fire);
      realRates.push(realChunks[r]!.length / ((performance.now() - t0) / 1000));
      cpu.firer += cpuMs(process.cpuUsage(c0));
      cpu.firerTouches += realChunks[r]!.length;
      counting = false;
    };
    for (let r = 0; r < realChunks.length; r++) {
      // Alternate which side goes first, so drift in the emulators hits both alike.
      const order = [runRaw, runReal, runSame];
      for (let k = 0; k < order.length; k++) await order[(k + r) % order.length]!(r);
      log(`fire: round ${r + 1}: firer ${round(realRates[r]!, 1)}/s, raw ${round(rawRates[r]!, 1)}/s, same calls raw ${round(sameRates[r]!, 1)}/s`);
    }
    const firerRate = median(realRates);
    const rawRate = median(rawRates);
    const firstRound = realChunks[0]!.length;
    return {
      touches: options.payloads.length,
      concurrency,
      rounds: realChunks.length,
      firer: { perSecond: round(firerRate, 1), perRound: realRates.map((x) => round(x, 1)), results },
      raw: { perSecond: round(rawRate, 1), perRound: rawRates.map((x) => round(x, 1)) },
      ratio: round(firerRate / rawRate, 3),
      sameCalls: { perSecond: round(median(sameRates), 1), perRound: sameRates.map((x) => round(x, 1)) },
      ratioToSameCalls: round(firerRate / median(sameRates), 3),
      rawWarmup: rawWarm.length,
      dynamoCallsPerTouch: Object.fromEntries(Object.entries(ops).map(([k, v]) => [k, round(v / firstRound, 2)])),
      roundTrips,
      cpuMsPerTouch: { firer: round(cpu.firer / cpu.firerTouches, 2), raw: round(cpu.raw / cpu.rawTouches, 2), sameCalls: round(cpu.same / cpu.sameTouches, 2) },
    };
  } finally {
    dynamo.destroy();
    ses.destroy();
  }
}
