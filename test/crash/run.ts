/**
 * The crash run (`npm run crash-run`): kill -9 of the local runtime during a burst of callbacks, and
 * what it costs. The parent keeps DynamoDB Local and the SES inbox (the services that outlive a Lambda
 * instance); the child (test/crash/child.ts) is the runtime as `npm start` runs it, on a data dir.
 *
 * 1. A rep and N prospects; then N `callback_agreed` calls with materials, 16 at a time, each with its
 *    Idempotency-Key, the callback a few minutes out: each plans a recap now, a resend a minute later,
 *    and the rep's reminder at the callback. The child is killed (SIGKILL) halfway through the posts,
 *    started again, and every call that got no answer is sent again with its key, as a client would.
 * 2. The child is killed again in the middle of the recaps going out, and in the middle of the
 *    reminders, and started again each time.
 * 3. Then the run waits until no touch is left scheduled (the sweep's grace is five minutes) and counts:
 *    touches stranded (still scheduled, or never sent), emails sent twice (same recipient and subject),
 *    what each check on start found, the fire invocations' durations, and how late each touch went out.
 *
 * Options: --callbacks 200 --callback-minutes 4 --timeout-minutes 15 --json <file>
 */
import '../../functions/local/quiet-warnings.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoStore } from '../../functions/adapters/dynamo-store.js';
import type { Touch } from '../../functions/core/schemas.js';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamo } from '../../functions/local/dynamo.js';
import { LocalTokens } from '../../functions/local/jwt.js';
import { readInbox, startSes } from '../../functions/local/ses.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const { values: args } = parseArgs({
  options: {
    callbacks: { type: 'string', default: '200' },
    'callback-minutes': { type: 'string', default: '4' },
    'timeout-minutes': { type: 'string', default: '15' },
    json: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const CALLBACKS = Number(args.callbacks);
const CALLBACK_MINUTES = Number(args['callback-minutes']);
const TIMEOUT_MS = Number(args['timeout-minutes']) * 60_000;
const REP = 'rep-crash';
const root = resolve(import.meta.dirname, '../..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const dynamo = await startDynamo({ port: await freePort() });
const ses = await startSes(await freePort());
const dataDir = mkdtempSync(join(tmpdir(), 'followthrough-crash-'));
const tableName = `crash-${Date.now()}`;
const apiPort = await freePort();
const awsPort = await freePort();
const api = `http://127.0.0.1:${apiPort}`;

interface Start {
  check: string;
  startupCheck: Record<string, number>;
}
const starts: Start[] = [];
const kills: { at: string; during: string }[] = [];
/** Warnings and errors the handlers logged, by message. */
const logged = new Map<string, number>();
let child: ChildProcess | undefined;

async function startChild(): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/crash/child.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      TABLE_NAME: tableName,
      PORT: String(apiPort),
      AWS_PORT: String(awsPort),
      CRASH_DYNAMODB_ENDPOINT: dynamo.endpoint,
      CRASH_SES_ENDPOINT: ses.endpoint,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  const ready = new Promise<Start>((resolveReady, reject) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('ready ')) resolveReady(JSON.parse(line.slice(6)) as Start);
        else if (line.startsWith('{')) {
          try {
            const message = (JSON.parse(line) as { message?: string }).message ?? '?';
            logged.set(message, (logged.get(message) ?? 0) + 1);
          } catch {
            // not a log line
          }
        }
      }
    });
    // The handlers' warnings and errors (Powertools writes them to stderr) are counted by message.
    let errBuffer = '';
    proc.stderr!.on('data', (chunk: Buffer) => {
      errBuffer += chunk.toString();
      let newline: number;
      while ((newline = errBuffer.indexOf('\n')) >= 0) {
        const line = errBuffer.slice(0, newline);
        errBuffer = errBuffer.slice(newline + 1);
        try {
          const message = (JSON.parse(line) as { message?: string }).message ?? '?';
          logged.set(message, (logged.get(message) ?? 0) + 1);
        } catch {
          process.stderr.write(`${line}\n`);
        }
      }
    });
    proc.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before it was ready`)));
  });
  const start = await ready;
  starts.push(start);
  log(`child ${proc.pid} up; check on start: ${start.check}`);
}

function kill(during: string): void {
  if (!child?.pid) return;
  child.kill('SIGKILL');
  kills.push({ at: new Date().toISOString(), during });
  log(`kill -9 ${child.pid} during ${during}`);
  child = undefined;
}

let token = '';
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/**
 * Sends until the API answers, through kills and restarts, the way a client retries on a dropped
 * connection or a 503 (the runtime is starting).
 */
async function callUntilAnswered(method: string, path: string, body: unknown, headers: Record<string, string>, attempts: { n: number }) {
  for (;;) {
    attempts.n += 1;
    try {
      const answer = await call(method, path, body, headers);
      if (answer.status !== 503) return answer;
    } catch {
      // The connection dropped or was refused: the child is down.
    }
    await sleep(500);
  }
}

async function emailsOfRun(addresses: Set<string>) {
  return (await readInbox(ses.endpoint)).filter((e) => e.destination.to.some((to) => addresses.has(to.toLowerCase())));
}

try {
  await startChild();
  token = await (await LocalTokens.open(join(dataDir, 'jwt-key.json'))).sign(REP);
  const repEmail = `rep.crash@example.com`;
  await call('PUT', '/v1/reps/me', { name: 'Kit Rep', email: repEmail, timezone: 'America/New_York', reminderChannel: 'email' });
  const addresses = new Set([repEmail]);
  for (let i = 0; i < CALLBACKS; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, CALLBACKS - i) }, async (_, k) => {
        const n = i + k;
        addresses.add(`prospect.${n}@example.com`);
        const created = await call('POST', '/v1/prospects', { id: `k-${n}`, name: `Kim Prospect ${n}`, email: `prospect.${n}@example.com`, timezone: 'America/New_York', country: 'US' });
        if (created.status !== 201) throw new Error(`prospect k-${n}: ${created.status} ${JSON.stringify(created.body)}`);
      }),
    );
  }
  log(`${CALLBACKS} prospects created`);

  // 1. The burst of calls, killed halfway.
  const callbackAt = iso(Date.now() + CALLBACK_MINUTES * 60_000);
  const attempts = { n: 0 };
  const statuses: number[] = [];
  let posted = 0;
  let restarting: Promise<void> | undefined;
  const burstStart = Date.now();
  const post = async (n: number) => {
    posted += 1;
    if (posted === Math.ceil(CALLBACKS / 2) && !restarting) {
      kill('the burst of calls');
      restarting = sleep(300).then(startChild);
    }
    const body = { outcome: 'callback_agreed', callbackAt, discussed: 'Line 3 stops twice a week', materials: [{ title: 'Quote Q-1042', url: 'https://files.example/q-1042.pdf' }] };
    const answer = await callUntilAnswered('POST', `/v1/prospects/k-${n}/calls`, body, { 'idempotency-key': `crash-call-${n}` }, attempts);
    statuses.push(answer.status);
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < CALLBACKS) await post(next++);
    }),
  );
  await restarting;
  log(`${CALLBACKS} calls answered in ${((Date.now() - burstStart) / 1000).toFixed(1)} s (${attempts.n} requests; statuses ${JSON.stringify(countBy(statuses))})`);

  // 2. Kills in the middle of the recaps, then of the reminders, going out.
  const waitForEmails = async (count: number, limitMs: number) => {
    const until = Date.now() + limitMs;
    for (;;) {
      const sent = (await emailsOfRun(addresses)).length;
      if (sent >= count || Date.now() > until) return sent;
      await sleep(50);
    }
  };
  let sent = await waitForEmails(Math.ceil(CALLBACKS / 2), 5 * 60_000);
  kill(`the recaps going out (${sent} emails sent)`);
  await sleep(300);
  await startChild();
  sent = await waitForEmails(2 * CALLBACKS + Math.ceil(CALLBACKS / 2), Date.parse(callbackAt) - Date.now() + 5 * 60_000);
  kill(`the reminders going out (${sent} emails sent)`);
  await sleep(300);
  await startChild();

  // 3. Wait until nothing is left scheduled, then count.
  const store = new DynamoStore({ client: new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }), tableName });
  const touchesOfRun = async () => (await Promise.all(Array.from({ length: CALLBACKS }, (_, n) => store.getProspectBundle(REP, `k-${n}`)))).flatMap((b) => b?.touches ?? []);
  const deadline = Date.now() + TIMEOUT_MS;
  let touches: Touch[] = [];
  for (;;) {
    touches = await touchesOfRun();
    const left = touches.filter((t) => t.status === 'scheduled').length;
    if (left === 0 || Date.now() > deadline) break;
    log(`${left} touches still scheduled`);
    await sleep(15_000);
  }
  await sleep(3000);
  touches = await touchesOfRun();
  const emails = await emailsOfRun(addresses);
  const byMessage = new Map<string, number>();
  for (const e of emails) {
    const key = `${e.destination.to.join(',').toLowerCase()} | ${e.subject}`;
    byMessage.set(key, (byMessage.get(key) ?? 0) + 1);
  }
  const duplicates = [...byMessage].filter(([, n]) => n > 1).map(([key, n]) => ({ email: key, times: n }));
  const stranded = touches.filter((t) => t.status === 'scheduled' || (t.kind !== 'rep_notice' && t.status !== 'sent'));
  const fireMs = readFileSync(join(dataDir, 'fire-ms.txt'), 'utf8').split('\n').filter(Boolean).map(Number);
  const lateS = touches.filter((t) => t.status === 'sent' && t.sentAt).map((t) => Math.max(0, (Date.parse(t.sentAt!) - Date.parse(t.dueAt)) / 1000));
  const report = {
    callbacks: CALLBACKS,
    kills,
    checksOnStart: starts.map((s) => s.check),
    touches: { total: touches.length, byStatus: countBy(touches.map((t) => t.status)), stranded: stranded.map((t) => ({ id: t.id, kind: t.kind, status: t.status, reason: t.reason })) },
    emails: { total: emails.length, expected: touches.filter((t) => t.status === 'sent' && t.channel === 'email').length, duplicates },
    markedFromSendEvent: logged.get('touch was sent by a delivery that died before marking it: marked from its Send event, not sent again') ?? 0,
    fireInvocationMs: { count: fireMs.length, p50: percentile(fireMs, 50), p99: percentile(fireMs, 99), max: Math.max(...fireMs) },
    lateSeconds: { p50: percentile(lateS, 50), p99: percentile(lateS, 99), max: Math.max(...lateS) },
    logged: Object.fromEntries(logged),
  };
  console.log(JSON.stringify(report, null, 2));
  if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2));
} finally {
  child?.kill('SIGKILL');
  await ses.stop();
  await dynamo.stop();
  if (!args.keep) rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);

function countBy<T extends string | number>(values: T[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[String(v)] = (counts[String(v)] ?? 0) + 1;
  return counts;
}
