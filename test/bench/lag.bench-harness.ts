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
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, TransactWriteItemsCommand, UpdateItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { SesMailer } from '../../functions/adapters/ses-mailer.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';
import { benchAppOn } from './app.bench-harness.js';
import { REMINDER_LEAD_SECONDS } from '../../functions/core/on-time.js';
import { startLocalRuntime } from '../../functions/local/runtime.js';
import { prospectInput, repInput, SENDER } from './fixtures.bench-harness.js';
import { chunks, HandClock, log, median, percentile, pool, round } from './lib.bench-harness.js';

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
  /**
   * The floor on this machine: as many raw UpdateItem + SendEmail pairs, started together from one
   * process through the same endpoints (one client each, as the runtime's fire handler has), and
   * how long after the start each pair was done. Our lag cannot beat it.
   */
  floor: { p50Ms: number; p99Ms: number; maxMs: number; failed: number };
  /**
   * The same burst with the calls a reminder makes at its second, raw: the claim (TransactWriteItems:
   * the touch's conditional update, condition checks on its prospect and its rep), SendEmail, then the
   * sent mark (UpdateItem); timed when the email is accepted, just before the mark, as our lag is (the
   * mark writes the time it is made). What the guarantees cost at the second.
   */
  sameCallsFloor: { p50Ms: number; p99Ms: number; maxMs: number; failed: number };
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
  const keyFile = join(tmpdir(), `followthrough-bench-key-${process.pid}.json`);
  const runtime = await startLocalRuntime({
    dynamoEndpoint: options.dynamoEndpoint,
    sesEndpoint: options.sesEndpoint,
    tableName,
    keyFile,
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

    // The schedules lie a minute ahead of the due second: setup ends before them.
    const marginMs = (options.touches / Math.max(options.setupRate, 1)) * 1000 * 1.5 + 3000 + REMINDER_LEAD_SECONDS * 1000;
    const dueAt = Math.ceil((Date.now() + marginMs) / 1000) * 1000;
    setupClock.set(dueAt - 3600_000);
    const callbackAt = new Date(dueAt).toISOString();
    log(`lag: posting ${ids.length} outcomes due at ${callbackAt} (in ${round((dueAt - Date.now()) / 1000, 1)} s)`);
    await pool(ids, 16, (id) => setup.service.postCall(REP, id, { outcome: 'callback_agreed', callbackAt, sendRecap: false, hotButtons: ['uptime'] }));
    const setupSlackMs = dueAt - Date.now();
    // A rep reminder's schedule is a minute ahead of it (core/on-time.ts): the fire reads and renders
    // then, and waits for the due second to claim and send.
    const pending = runtime.aws.scheduler.list().filter((s) => s.at.getTime() === dueAt - REMINDER_LEAD_SECONDS * 1000).length;
    if (pending !== ids.length && setupSlackMs > 0) log(`lag: expected ${ids.length} schedules a minute before the due second, found ${pending}`);

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
    const floor = await rawBurst(runtime, options.dynamoEndpoint, tableName, ids.length, 'update');
    log(`lag: floor, ${ids.length} raw UpdateItem + SendEmail started together: p50 ${floor.p50Ms} ms, p99 ${floor.p99Ms} ms`);
    const sameCallsFloor = await rawBurst(runtime, options.dynamoEndpoint, tableName, ids.length, 'claim');
    log(`lag: ${ids.length} raw claim transactions + SendEmail + sent marks started together: p50 ${sameCallsFloor.p50Ms} ms, p99 ${sameCallsFloor.p99Ms} ms`);
    return {
      floor,
      sameCallsFloor,
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
    rmSync(keyFile, { force: true });
  }
}

async function rawBurst(runtime: Awaited<ReturnType<typeof startLocalRuntime>>, dynamoEndpoint: string, tableName: string, n: number, write: 'update' | 'claim'): Promise<LagFigure['floor']> {
  const dynamo = new DynamoDBClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const mailer = new SesMailer({ client: new SESv2Client({ endpoint: runtime.aws.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }) });
  const pk = (i: number) => ({ S: `RAW${write.toUpperCase()}LAG#${i}` });
  const key = (i: number) => ({ pk: pk(i), sk: { S: 'TOUCH' } });
  await pool(chunks(Array.from({ length: n }, (_, i) => i), Math.ceil(n / 12)), 8, (batch) =>
    dynamo.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [tableName]: batch.flatMap((i): WriteRequest[] => [
            { PutRequest: { Item: { ...key(i), status: { S: 'scheduled' } } } },
            { PutRequest: { Item: { pk: pk(i), sk: { S: 'PROSPECT' }, version: { N: '2' } } } },
          ]),
        },
      }),
    ),
  );
  await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: [{ PutRequest: { Item: { pk: { S: 'RAWLAGREP' }, sk: { S: 'REP' }, updatedAt: { S: 'r1' } } } }] } }));
  // An email the size of a reminder with its call-prep sheet.
  const email = { from: SENDER, to: ['rep@example.com'], subject: 'Call Dana Buyer now at 4:00 PM EST - uptime', text: 'x'.repeat(3000), html: `<p>${'x'.repeat(6000)}</p>` };
  const t0 = performance.now();
  const done: number[] = [];
  let failed = 0;
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      try {
        if (write === 'update') {
          await dynamo.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(i),
              UpdateExpression: 'SET #s = :sent',
              ConditionExpression: '#s = :sch',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':sent': { S: 'sent' }, ':sch': { S: 'scheduled' } },
            }),
          );
        } else {
          // As a reminder's claim: the touch as read, its prospect's version and its rep unchanged.
          await dynamo.send(
            new TransactWriteItemsCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: tableName,
                    Key: key(i),
                    UpdateExpression: 'SET claimedAt = :now',
                    ConditionExpression: '#s = :sch AND attribute_not_exists(claimedAt)',
                    ExpressionAttributeNames: { '#s': 'status' },
                    ExpressionAttributeValues: { ':now': { S: new Date().toISOString() }, ':sch': { S: 'scheduled' } },
                  },
                },
                { ConditionCheck: { TableName: tableName, Key: { pk: pk(i), sk: { S: 'PROSPECT' } }, ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': { N: '2' } } } },
                { ConditionCheck: { TableName: tableName, Key: { pk: { S: 'RAWLAGREP' }, sk: { S: 'REP' } }, ConditionExpression: 'updatedAt = :r', ExpressionAttributeValues: { ':r': { S: 'r1' } } } },
              ],
            }),
          );
        }
        await mailer.send(email);
        done.push(performance.now() - t0);
        // A reminder then marks itself sent; timed before it, as our lag takes the time the mark writes.
        if (write === 'claim') {
          await dynamo.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(i),
              UpdateExpression: 'SET #s = :sent, sentAt = :now REMOVE claimedAt',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':sent': { S: 'sent' }, ':now': { S: new Date().toISOString() } },
            }),
          );
        }
      } catch {
        failed++;
      }
    }),
  );
  dynamo.destroy();
  return { p50Ms: round(median(done), 0), p99Ms: round(percentile(done, 99), 0), maxMs: round(Math.max(...done), 0), failed };
}

function toSecondIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
