/**
 * The whole system on one machine: the same application as on AWS (composeApp), with DynamoDB
 * Local, the local SES endpoint, the local scheduler and the local HTTP front door.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { composeApp, type App } from '../app/compose.js';
import type { HttpResult } from '../app/http.js';
import { LinkSigner } from '../app/links.js';
import { SesEventHandler } from '../app/ses-events.js';
import type { Logger } from '../app/service.js';
import type { CadencePolicy } from '../core/cadence.js';
import { resolvePolicy } from '../core/policy.js';
import { systemClock, type Clock, type SmsSender } from '../ports.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamo.js';
import { jsonResult, startHttp, type LocalRoute } from './http-server.js';
import { LocalTokens } from './jwt.js';
import { LocalScheduler } from './scheduler.js';
import { sesClient } from './ses.js';
import { LocalSmsOutbox } from './sms-outbox.js';

export interface LocalRuntimeOptions {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  /** Where schedules, keys and the SMS outbox live; absent keeps them in memory (tests). */
  dataDir?: string;
  /** Where the signing key lives when there is no dataDir. */
  keyFile?: string;
  apiPort: number;
  senderEmail: string;
  policy?: CadencePolicy;
  clock?: Clock;
  /** Fire schedules on a timer (npm start) rather than only on runDue() (tests). */
  autoFire?: boolean;
  /** Signs unsubscribe and sheet links; by default a secret kept in dataDir (random in memory without one). */
  linkSecret?: string;
  unsubscribeMailto?: string;
  /** Where SMS go; the local outbox (GET /local/sms) by default. */
  sms?: SmsSender;
  logger?: Logger;
}

export interface LocalRuntime {
  url: string;
  app: App;
  scheduler: LocalScheduler;
  outbox: LocalSmsOutbox;
  tokens: LocalTokens;
  dynamo: DynamoDBClient;
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const clock = options.clock ?? systemClock;
  const dynamo = new DynamoDBClient({ endpoint: options.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await ensureTable(dynamo, options.tableName);
  const policy = options.policy ?? resolvePolicy();
  const dataFile = (name: string) => (options.dataDir ? join(options.dataDir, name) : undefined);
  const tokens = await LocalTokens.open(dataFile('jwt-key.json') ?? options.keyFile ?? join(process.cwd(), '.data', 'jwt-key.json'));

  let app: App | undefined;
  const scheduler = new LocalScheduler({
    file: dataFile('schedules.jsonl'),
    deadLetterFile: dataFile('dead-letters.jsonl'),
    clock,
    autoRun: options.autoFire ?? false,
    // Same as Scheduler: the target gets the Input JSON as its event.
    invoke: async (event) => app!.firer.fire(event),
    onError: (name, error) => options.logger?.error('scheduled invocation failed', { schedule: name, error: String(error) }),
  });
  const local: LocalRoute = async (req, url, body) => localRoutes(req, url, body);
  // The server starts first: links in messages need its address.
  const http = await startHttp({ handle: (event) => app!.api.handle(event), tokens, local, port: options.apiPort });
  const store = new DynamoStore({ client: dynamo, tableName: options.tableName });
  const outbox = new LocalSmsOutbox(clock, dataFile('sms-outbox.jsonl'));
  app = composeApp({
    store,
    scheduler,
    mailer: new SesMailer({ client: sesClient(options.sesEndpoint) }),
    sms: options.sms ?? outbox,
    clock,
    policy,
    senderEmail: options.senderEmail,
    signer: new LinkSigner(options.linkSecret ?? loadOrCreateSecret(dataFile('link-secret'))),
    publicApiUrl: http.url,
    unsubscribeMailto: options.unsubscribeMailto,
    logger: options.logger,
  });
  const sesEvents = new SesEventHandler({ store, service: app.service, logger: options.logger, now: () => clock.now() });

  /** Routes only the local runtime has: stand-ins for what AWS delivers by other paths. */
  async function localRoutes(req: IncomingMessage, url: URL, body: Buffer): Promise<HttpResult | undefined> {
    if (req.method === 'GET' && url.pathname === '/local/sms') return outbox.respond(req.headers.accept);
    if (req.method === 'POST' && url.pathname === '/local/ses-events') {
      // What EventBridge would hand the events Lambda: post an SES event (bounce, complaint) here.
      let event: unknown;
      try {
        event = JSON.parse(body.toString('utf8'));
      } catch {
        return jsonResult(400, { error: { code: 'invalid_request', message: 'Post an SES event as JSON' } });
      }
      return jsonResult(200, await sesEvents.handle(event));
    }
    return undefined;
  }

  // Touches that fell due while the runtime was down fire now.
  if (options.autoFire) void scheduler.runDue();

  return {
    url: http.url,
    app,
    scheduler,
    outbox,
    tokens,
    dynamo,
    async stop() {
      await http.close();
      await scheduler.close();
      dynamo.destroy();
    },
  };
}

/** The local stand-in for the Secrets Manager secret: made once, kept under .data/. */
function loadOrCreateSecret(file: string | undefined): string {
  if (!file) return randomBytes(32).toString('hex');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
