/**
 * Figure 5: cost per rep-month on AWS from counted operations. A realistic mix of outcomes is
 * posted through the API router (the api Lambda's handler body) and every touch they produce is
 * fired through the TouchFirer (the fire Lambda's), on DynamoDB Local and the local SES, with:
 *   - DynamoDB capacity as the engine reports it (ReturnConsumedCapacity), split reads/writes,
 *   - Scheduler API calls counted on the scheduler port, schedule invocations = touches fired,
 *   - SES sends counted on the mailer port,
 *   - Lambda invocations and their durations timed in-process,
 *   - HTTP API requests = outcome posts.
 * Then priced with test/bench/prices.json.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DateTime } from 'luxon';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import { SesMailer } from '../../functions/adapters/ses-mailer.js';
import { benchApp as composeApp } from './app.bench-harness.js';
import type { HttpEvent } from '../../functions/http/router.js';
import { resolvePolicy } from '../../functions/core/policy.js';
import type { FirePayload } from '../../functions/core/schemas.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../functions/local/dynamo.js';
import { sesClient } from '../../functions/local/ses.js';
import type { Mailer, ScheduleRequest, TouchScheduler } from '../../functions/ports/index.js';
import { MATERIALS, prospectInput, repInput, SENDER, START } from './fixtures.bench-harness.js';
import { HandClock, log, median, percentile, pool, round } from './lib.bench-harness.js';
import { seededRng } from '../../functions/core/variants.js';

export interface Prices {
  retrieved: string;
  region: string;
  dynamodb: { writeRequestUnitPerMillion: number; readRequestUnitPerMillion: number };
  scheduler: { invocationPerMillion: number; apiCallPerMillion: number };
  ses: { outboundEmailPerThousand: number };
  lambda: { requestPerMillion: number; arm64GbSecond: number; memoryMb: number };
  httpApi: { requestPerMillion: number };
  logs: { ingestionPerGb: number };
  sms: { usPerSegment: number; usCarrierFeePerSegment: number };
  secretsManager: { secretPerMonth: number; apiCallsPer10k: number };
  cloudwatch: { alarmPerMonth: number };
  [key: string]: unknown;
}

export function loadPrices(): Prices {
  const raw = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const price = (path: string): number => {
    const entry = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], raw) as { usd?: number; value?: number } | number | undefined;
    const value = typeof entry === 'number' ? entry : (entry?.usd ?? entry?.value);
    if (typeof value !== 'number') throw new Error(`prices.json: ${path} has no usd value`);
    return value;
  };
  return {
    retrieved: String(raw.retrieved),
    region: String(raw.region),
    dynamodb: { writeRequestUnitPerMillion: price('dynamodb.writeRequestUnitPerMillion'), readRequestUnitPerMillion: price('dynamodb.readRequestUnitPerMillion') },
    scheduler: { invocationPerMillion: price('scheduler.invocationPerMillion'), apiCallPerMillion: price('scheduler.apiCallPerMillion') },
    ses: { outboundEmailPerThousand: price('ses.outboundEmailPerThousand') },
    lambda: { requestPerMillion: price('lambda.requestPerMillion'), arm64GbSecond: price('lambda.arm64GbSecond'), memoryMb: price('lambda.memoryMb') },
    httpApi: { requestPerMillion: price('httpApi.requestPerMillion') },
    logs: { ingestionPerGb: price('logs.ingestionPerGb') },
    sms: { usPerSegment: price('sms.usPerSegment'), usCarrierFeePerSegment: price('sms.usCarrierFeePerSegment') },
    secretsManager: { secretPerMonth: price('secretsManager.secretPerMonth'), apiCallsPer10k: price('secretsManager.apiCallsPer10k') },
    cloudwatch: { alarmPerMonth: price('cloudwatch.alarmPerMonth') },
  };
}

/** Assumptions that are not counted; each is shown in results.json next to the figure. */
export const ASSUMPTIONS = {
  outcomesPerRepDay: 40,
  workDaysPerMonth: 22,
  mix: { voicemail_or_no_answer: 0.5, callback_agreed_with_materials: 0.3, stalled: 0.15, won_or_not_interested: 0.05 },
  /** Every SES send publishes a delivery event that invokes the events Lambda (infra/constructs/messaging.ts). */
  eventsLambdaMsPerInvocation: 30,
  /** Share of invocations that pay a cold start (INIT is billed since 2025-08-01); a rep's traffic is sparse. */
  coldStartShare: 0.5,
  /** CloudWatch Logs bytes per invocation (Powertools JSON lines plus START/END/REPORT). */
  logBytesPerInvocation: 1200,
  /** SMS segments per rep reminder when a rep chooses SMS (templates keep it within two). */
  smsSegmentsPerReminder: 2,
  /** What the stack costs a month whoever uses it (fixedMonthlyUsd): its alarms (infra/constructs/alarms.ts watchers), */
  alarms: 5,
  /** the sweep every 5 minutes (infra/constructs/scheduling.ts SWEEP_INTERVAL), each run about this long and reading the byDue shards, */
  sweepRunsPerMonth: (30 * 24 * 60) / 5,
  sweepMsPerRun: 300,
  sweepReadUnitsPerRun: 8 * 0.5,
  /** and the one link-signing secret. */
  secrets: 1,
};

export interface CostCounts {
  outcomes: number;
  byOutcome: Record<string, number>;
  apiRequests: number;
  apiMs: number[];
  fireInvocations: number;
  fireMs: number[];
  /**
   * Billed time the fire function spent waiting for a rep reminder's due second (core/on-time.ts):
   * invoked by Scheduler anywhere within its schedule's minute, a minute before the due second, it
   * waits out the rest. Billed as Lambda duration; not in fireMs, which is the work.
   */
  fireWaitMs: number;
  fireResults: Record<string, number>;
  sesSends: number;
  repReminders: number;
  schedulerCreates: number;
  schedulerDeletes: number;
  readUnits: number;
  writeUnits: number;
  unitsByCommand: Record<string, { calls: number; units: number }>;
  /** DynamoDB Local answered with ConsumedCapacity on these commands. */
  capacityReported: boolean;
}

const REP = 'rep-cost';

/**
 * Counts what a realistic month-shaped workload consumes: `reps` reps (default 1) share `prospects`
 * prospects round-robin; each round posts one outcome per open prospect and fires every touch it planned.
 */
export async function countOperations(options: { dynamoEndpoint: string; sesEndpoint: string; prospects: number; rounds: number; reps?: number }): Promise<CostCounts> {
  const tableName = `bench-cost-${Date.now()}`;
  const dynamo = new DynamoDBClient({ endpoint: options.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await ensureTable(dynamo, tableName);
  const ses = sesClient(options.sesEndpoint);
  const counts: CostCounts = {
    outcomes: 0,
    byOutcome: {},
    apiRequests: 0,
    apiMs: [],
    fireInvocations: 0,
    fireMs: [],
    fireWaitMs: 0,
    fireResults: {},
    sesSends: 0,
    repReminders: 0,
    schedulerCreates: 0,
    schedulerDeletes: 0,
    readUnits: 0,
    writeUnits: 0,
    unitsByCommand: {},
    capacityReported: false,
  };
  let counting = false;
  // Seeded, so runs draw the same invocation times.
  const invokeDraw = seededRng(0x2f6e2b1);
  // Split consumed capacity by command (reads and writes are priced apart).
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (!counting) return out;
      const name = context.commandName ?? '?';
      const consumed = (out.output as undefined | { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })?.ConsumedCapacity;
      const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
      const units = list.reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
      if (list.length) counts.capacityReported = true;
      const entry = (counts.unitsByCommand[name] ??= { calls: 0, units: 0 });
      entry.calls++;
      entry.units += units;
      if (/^(Get|Query|Scan|BatchGet|TransactGet)/.test(name)) counts.readUnits += units;
      else counts.writeUnits += units;
      return out;
    },
    { step: 'initialize', name: 'benchCapacity' },
  );

  const pending = new Map<string, ScheduleRequest>();
  const scheduler: TouchScheduler = {
    async create(request) {
      counts.schedulerCreates++;
      pending.set(request.name, request);
    },
    async delete(name) {
      counts.schedulerDeletes++;
      pending.delete(name);
    },
    async get(name) {
      const request = pending.get(name);
      return request ? { payload: request.payload, at: request.at, enabled: true } : undefined;
    },
  };
  const sesMailer = new SesMailer({ client: ses });
  const mailer: Mailer = {
    send(email) {
      counts.sesSends++;
      return sesMailer.send(email);
    },
  };
  const clock = new HandClock(START);
  const app = composeApp({
    store: new DynamoStore({ client: dynamo, tableName, onConsumed: () => {} }),
    scheduler,
    mailer,
    clock,
    policy: resolvePolicy(),
    senderEmail: SENDER,
    logger: { info() {}, warn: (m, ...e) => log(`cost: warn: ${m} ${JSON.stringify(e)}`), error: (m, ...e) => log(`cost: error: ${m} ${JSON.stringify(e)}`) },
  });

  try {
    const reps = Array.from({ length: Math.max(1, options.reps ?? 1) }, (_, i) => (i === 0 ? REP : `${REP}-${i}`));
    for (const [i, rep] of reps.entries()) await app.service.putRep(rep, repInput(`cost-${i}`));
    const ids = Array.from({ length: options.prospects }, (_, i) => `cost-${i}`);
    const repOf = (i: number) => reps[i % reps.length]!;
    await pool(ids, 16, (id, i) => app.service.createProspect(repOf(i), prospectInput(id)));
    const closed = new Set<string>();
    // Warm the code paths once (not counted) so JIT compilation does not inflate durations.
    await warm(app, clock);
    counting = true;

    let roundStart = DateTime.fromISO(START, { zone: 'utc' });
    for (let r = 0; r < options.rounds; r++) {
      clock.set(roundStart.toJSDate());
      const active = ids.map((id, i) => ({ id, rep: repOf(i) })).filter(({ id }) => !closed.has(id));
      for (let i = 0; i < active.length; i++) {
        const { id, rep } = active[i]!;
        const { outcome, body } = outcomeFor(i + r * 7, roundStart);
        const t0 = performance.now();
        const res = await app.api.handle(httpEvent('POST', `/v1/prospects/${id}/calls`, body, rep));
        counts.apiMs.push(performance.now() - t0);
        counts.apiRequests++;
        if (res.statusCode !== 201) throw new Error(`cost: ${outcome} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
        counts.outcomes++;
        rememberKinds((JSON.parse(res.body) as { plan: { id: string; kind: string }[] }).plan);
        counts.byOutcome[outcome] = (counts.byOutcome[outcome] ?? 0) + 1;
        if (outcome === 'won' || outcome === 'not_interested') closed.add(id);
      }
      // Fire everything this round scheduled, in due order, at its due time.
      const due = [...pending.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
      pending.clear();
      let last = roundStart;
      for (const s of due) {
        // Scheduler invokes anywhere within the schedule's minute (FlexibleTimeWindow OFF): drawn as it would be.
        clock.set(s.at.getTime() + Math.floor(invokeDraw() * 60_000));
        const t0 = performance.now();
        const start = clock.now().getTime();
        const out = await app.firer.fire(s.payload as FirePayload);
        counts.fireMs.push(performance.now() - t0);
        // The hand clock jumps over a wait at once: what it jumped is what Lambda would bill.
        counts.fireWaitMs += clock.now().getTime() - start;
        counts.fireInvocations++;
        counts.fireResults[out.result] = (counts.fireResults[out.result] ?? 0) + 1;
        if (out.result === 'sent' && kinds.get(s.payload.touchId) === 'rep_reminder') counts.repReminders++;
        const at = DateTime.fromJSDate(s.at, { zone: 'utc' });
        if (at > last) last = at;
      }
      // The next round starts the next morning (10:00 New York) after the last touch.
      roundStart = last.plus({ days: 1 }).set({ hour: 15, minute: 0, second: 0, millisecond: 0 });
      log(`cost: round ${r + 1}: ${active.length} outcomes, ${due.length} touches fired`);
    }
    counting = false;
    return counts;
  } finally {
    dynamo.destroy();
    ses.destroy();
  }
}

/** Each planned touch's kind, from the API's answers, so fired reminders are counted without extra reads. */
const kinds = new Map<string, string>();

async function warm(app: ReturnType<typeof composeApp>, clock: HandClock) {
  await app.service.createProspect(REP, prospectInput('cost-warm'));
  clock.set(START);
  const res = await app.api.handle(httpEvent('POST', '/v1/prospects/cost-warm/calls', outcomeFor(1, DateTime.fromISO(START, { zone: 'utc' })).body));
  if (res.statusCode !== 201) throw new Error(`cost warm-up answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
}

/** The outcome mix, deterministic by index: 10 slots = 5 voicemail/no answer, 3 callback, 1.5 stalled, 0.5 closed. */
export function outcomeFor(i: number, roundStart: DateTime): { outcome: string; body: Record<string, unknown> } {
  const slot = i % 20;
  const callbackAt = roundStart.plus({ days: 2, hours: 6 }).toISO();
  if (slot < 10) return { outcome: slot % 2 ? 'no_answer' : 'voicemail', body: { outcome: slot % 2 ? 'no_answer' : 'voicemail' } };
  if (slot < 16) {
    return {
      outcome: 'callback_agreed',
      body: {
        outcome: 'callback_agreed',
        callbackAt,
        discussed: 'Line 3 stops twice a week; the service plan presented',
        whatHappensNext: 'Dana reviews the quote with the plant manager',
        decisionMakers: ['Dana', 'Lee (plant manager)'],
        materials: MATERIALS,
      },
    };
  }
  if (slot < 19) {
    return {
      outcome: 'stalled',
      body: { outcome: 'stalled', stallReason: slot === 16 ? 'needs_review' : 'waiting_on_customer', ...(slot === 17 ? { materials: MATERIALS.slice(0, 1) } : {}) },
    };
  }
  return { outcome: i % 40 < 20 ? 'won' : 'not_interested', body: { outcome: i % 40 < 20 ? 'won' : 'not_interested' } };
}

/** An API Gateway HTTP API event as the api function receives it, signed in as `repId`. */
export function httpEvent(method: string, path: string, body: unknown, repId = REP): HttpEvent {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'api.example.com' },
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: `bench-${now.getTime()}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { jwt: { claims: { sub: repId }, scopes: null } },
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  } as unknown as HttpEvent;
}

export interface CostFigure {
  counts: Omit<CostCounts, 'apiMs' | 'fireMs'> & { apiMsMedian: number; apiMsP99: number; fireMsMedian: number; fireMsP99: number };
  perOutcome: Record<string, number>;
  perOutcomeUsd: Record<string, number>;
  usdPer1000Outcomes: number;
  usdPerRepMonth: number;
  smsUsdPerRepMonth: number;
  usdPerFiredTouch: number;
  fixedMonthly: { usd: number; items: Record<string, number> };
  initMs: { api: number; fire: number };
  assumptions: typeof ASSUMPTIONS;
  prices: Prices;
}

/** Prices the counts. `initMs` is the measured module init of each bundle (figure 4). */
export function priceCounts(counts: CostCounts, prices: Prices, initMs: { api: number; fire: number }): CostFigure {
  const n = counts.outcomes;
  const a = ASSUMPTIONS;
  const gb = prices.lambda.memoryMb / 1024;
  const billedSeconds = (ms: number[]) => ms.reduce((s, m) => s + Math.ceil(m), 0) / 1000;
  const eventsInvocations = counts.sesSends;
  const lambdaInvocations = counts.apiRequests + counts.fireInvocations + eventsInvocations;
  const gbSeconds =
    (billedSeconds(counts.apiMs) +
      billedSeconds(counts.fireMs) +
      counts.fireWaitMs / 1000 +
      (eventsInvocations * a.eventsLambdaMsPerInvocation) / 1000 +
      (a.coldStartShare * (counts.apiRequests * initMs.api + (counts.fireInvocations + eventsInvocations) * initMs.fire)) / 1000) *
    gb;
  const usd = {
    dynamodbWrites: (counts.writeUnits / 1e6) * prices.dynamodb.writeRequestUnitPerMillion,
    dynamodbReads: (counts.readUnits / 1e6) * prices.dynamodb.readRequestUnitPerMillion,
    schedulerInvocations: (counts.fireInvocations / 1e6) * prices.scheduler.invocationPerMillion,
    schedulerApiCalls: ((counts.schedulerCreates + counts.schedulerDeletes) / 1e6) * prices.scheduler.apiCallPerMillion,
    ses: (counts.sesSends / 1000) * prices.ses.outboundEmailPerThousand,
    lambdaRequests: (lambdaInvocations / 1e6) * prices.lambda.requestPerMillion,
    lambdaCompute: gbSeconds * prices.lambda.arm64GbSecond,
    httpApi: (counts.apiRequests / 1e6) * prices.httpApi.requestPerMillion,
    logs: ((lambdaInvocations * a.logBytesPerInvocation) / 1024 ** 3) * prices.logs.ingestionPerGb,
    // The secret is fetched once per cold start of the functions that sign links.
    secretsApi: ((a.coldStartShare * (counts.apiRequests + counts.fireInvocations)) / 10_000) * prices.secretsManager.apiCallsPer10k,
  };
  const total = Object.values(usd).reduce((s, v) => s + v, 0);
  const perOutcomeUsd = Object.fromEntries(Object.entries(usd).map(([k, v]) => [k, v / n]));
  const repMonthOutcomes = a.outcomesPerRepDay * a.workDaysPerMonth;
  const smsPerOutcome = (counts.repReminders / n) * a.smsSegmentsPerReminder * (prices.sms.usPerSegment + prices.sms.usCarrierFeePerSegment);
  const { apiMs, fireMs, ...rest } = counts;
  return {
    counts: { ...rest, apiMsMedian: round(median(apiMs), 1), apiMsP99: round(percentile(apiMs, 99), 1), fireMsMedian: round(median(fireMs), 1), fireMsP99: round(percentile(fireMs, 99), 1) },
    perOutcome: {
      writeUnits: round(counts.writeUnits / n, 2),
      readUnits: round(counts.readUnits / n, 2),
      schedulerApiCalls: round((counts.schedulerCreates + counts.schedulerDeletes) / n, 2),
      scheduleInvocations: round(counts.fireInvocations / n, 2),
      sesSends: round(counts.sesSends / n, 2),
      lambdaInvocations: round(lambdaInvocations / n, 2),
      lambdaGbSeconds: round(gbSeconds / n, 4),
      apiRequests: round(counts.apiRequests / n, 2),
      repReminders: round(counts.repReminders / n, 2),
      reminderWaitSeconds: round(counts.fireWaitMs / 1000 / Math.max(1, counts.repReminders), 1),
    },
    perOutcomeUsd: Object.fromEntries(Object.entries(perOutcomeUsd).map(([k, v]) => [k, Number(v.toPrecision(3))])),
    usdPer1000Outcomes: round((total / n) * 1000, 4),
    usdPerRepMonth: round((total / n) * repMonthOutcomes, 4),
    smsUsdPerRepMonth: round(smsPerOutcome * repMonthOutcomes, 4),
    usdPerFiredTouch: Number((total / Math.max(1, counts.fireInvocations)).toPrecision(3)),
    fixedMonthly: fixedMonthlyUsd(prices),
    initMs,
    assumptions: a,
    prices,
  };
}

/** What the stack costs a month with no traffic at all: alarms, the sweep's runs, the secret. */
export function fixedMonthlyUsd(prices: Prices): { usd: number; items: Record<string, number> } {
  const a = ASSUMPTIONS;
  const gb = prices.lambda.memoryMb / 1024;
  const items = {
    alarms: a.alarms * prices.cloudwatch.alarmPerMonth,
    secret: a.secrets * prices.secretsManager.secretPerMonth,
    sweepLambda: a.sweepRunsPerMonth * ((prices.lambda.requestPerMillion / 1e6) + (a.sweepMsPerRun / 1000) * gb * prices.lambda.arm64GbSecond),
    sweepSchedule: (a.sweepRunsPerMonth / 1e6) * prices.scheduler.invocationPerMillion,
    sweepReads: ((a.sweepRunsPerMonth * a.sweepReadUnitsPerRun) / 1e6) * prices.dynamodb.readRequestUnitPerMillion,
    sweepLogs: ((a.sweepRunsPerMonth * a.logBytesPerInvocation) / 1024 ** 3) * prices.logs.ingestionPerGb,
  };
  const usd = Object.values(items).reduce((s, v) => s + v, 0);
  return { usd: round(usd, 4), items: Object.fromEntries(Object.entries(items).map(([k, v]) => [k, round(v, 4)])) };
}

/** The cost per rep-month when `reps` reps share one deployment: their own use plus their share of the fixed cost. */
export function usdPerRepMonthAt(cost: CostFigure, reps: number): number {
  return round(cost.usdPerRepMonth + cost.fixedMonthly.usd / reps, 4);
}

function rememberKinds(touches: { id: string; kind: string }[]): void {
  for (const t of touches) kinds.set(t.id, t.kind);
}
