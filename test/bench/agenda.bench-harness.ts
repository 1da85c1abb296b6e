/**
 * Figure 5b: the agenda read (GET /v1/followups, default window: from a day ago, two weeks) for a
 * rep with 2,000 pending touches, through the api function's router on DynamoDB Local: p50 and p99
 * of many reads, and whether every pending touch came back.
 *
 * The touches are copies of the two a real callback_agreed outcome plans (resend and reminder),
 * with new ids, over 200 prospects, their due times spread over the window.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { resolvePolicy } from '../../functions/core/policy.js';
import type { Touch } from '../../functions/core/schemas.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';
import { benchApp } from './app.bench-harness.js';
import { httpEvent } from './cost.bench-harness.js';
import { callbackWithMaterials, prospectInput, repInput, SENDER, START } from './fixtures.bench-harness.js';
import { HandClock, log, percentile, pool, round } from './lib.bench-harness.js';

export interface AgendaFigure {
  pending: number;
  reads: number;
  p50Ms: number;
  p99Ms: number;
  /** Touches the read answered (all of them: `pending`). */
  returned: number;
  /** Bytes of the JSON answer. */
  responseKb: number;
  /** DynamoDB calls per read, counted on the wire. */
  dynamoCallsPerRead: number;
}

const REP = 'rep-agenda';

export async function agendaFigure(options: { dynamoEndpoint: string; pending: number; reads: number }): Promise<AgendaFigure> {
  const tableName = `bench-agenda-${Date.now()}`;
  const dynamo = new DynamoDBClient({ endpoint: options.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  let calls = 0;
  let counting = false;
  dynamo.middlewareStack.add(
    (next) => async (args) => {
      if (counting) calls++;
      return next(args);
    },
    { step: 'initialize', name: 'benchAgendaCount' },
  );
  await ensureTable(dynamo, tableName);
  const clock = new HandClock(START);
  const store = new DynamoStore({ client: dynamo, tableName });
  const app = benchApp({
    store,
    scheduler: { create: async () => {}, delete: async () => {}, get: async () => undefined },
    mailer: { send: () => Promise.reject(new Error('the agenda sends nothing')) },
    clock,
    policy: resolvePolicy(),
    senderEmail: SENDER,
  });
  try {
    await app.service.putRep(REP, repInput('agenda'));
    const prospects = Array.from({ length: Math.max(1, Math.round(options.pending / 10)) }, (_, i) => `agenda-${i}`);
    await pool(prospects, 16, (id) => app.service.createProspect(REP, prospectInput(id)));
    // One real outcome gives the shape of the touches (a resend and a reminder, as planned).
    await app.service.postCall(REP, prospects[0]!, callbackWithMaterials());
    const sample = (await store.getProspectBundle(REP, prospects[0]!))!.touches.filter((t) => t.status === 'scheduled');
    const windowStart = Date.parse(START);
    const spread = 13 * 24 * 3600_000;
    const extra = options.pending - sample.length;
    log(`agenda: writing ${extra} more pending touches over ${prospects.length} prospects`);
    await pool(
      Array.from({ length: extra }, (_, i) => i),
      32,
      async (i) => {
        const like = sample[i % sample.length]!;
        const dueAt = new Date(windowStart + Math.floor(((i + 1) * spread) / (extra + 1) / 1000) * 1000).toISOString().replace('.000', '');
        const touch: Touch = { ...like, id: ulid(), prospectId: prospects[i % prospects.length]!, dueAt, prospectName: `Dana Buyer ${prospects[i % prospects.length]}` };
        await store.addTouch(touch);
      },
    );

    const read = async () => {
      const res = await app.api.handle(httpEvent('GET', '/v1/followups', undefined, REP));
      if (res.statusCode !== 200) throw new Error(`agenda answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      return res.body;
    };
    for (let i = 0; i < 5; i++) await read();
    const times: number[] = [];
    let body = '';
    counting = true;
    for (let i = 0; i < options.reads; i++) {
      const t0 = performance.now();
      body = await read();
      times.push(performance.now() - t0);
    }
    counting = false;
    const returned = (JSON.parse(body) as { touches: unknown[] }).touches.length;
    return {
      pending: options.pending,
      reads: options.reads,
      p50Ms: round(percentile(times, 50), 1),
      p99Ms: round(percentile(times, 99), 1),
      returned,
      responseKb: round(Buffer.byteLength(body) / 1024, 1),
      dynamoCallsPerRead: round(calls / options.reads, 2),
    };
  } finally {
    dynamo.destroy();
  }
}
