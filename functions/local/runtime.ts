/**
 * The whole system on one machine: the same application as on AWS (composeApp), with DynamoDB
 * Local, the local SES endpoint, the local scheduler and the local HTTP front door.
 */
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { composeApp, type App } from '../app/compose.js';
import type { Logger } from '../app/service.js';
import type { CadencePolicy } from '../core/cadence.js';
import { resolvePolicy } from '../core/policy.js';
import { systemClock, type Clock } from '../ports.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamo.js';
import { startHttp, type LocalRoute } from './http-server.js';
import { LocalTokens } from './jwt.js';
import { LocalScheduler } from './scheduler.js';
import { sesClient } from './ses.js';

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
  logger?: Logger;
}

export interface LocalRuntime {
  url: string;
  app: App;
  scheduler: LocalScheduler;
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
  app = composeApp({
    store: new DynamoStore({ client: dynamo, tableName: options.tableName }),
    scheduler,
    mailer: new SesMailer({ client: sesClient(options.sesEndpoint) }),
    clock,
    policy,
    senderEmail: options.senderEmail,
    logger: options.logger,
  });

  const local: LocalRoute = async () => undefined;
  const http = await startHttp({ handle: (event) => app!.api.handle(event), tokens, local, port: options.apiPort });
  // Touches that fell due while the runtime was down fire now.
  if (options.autoFire) void scheduler.runDue();

  return {
    url: http.url,
    app,
    scheduler,
    tokens,
    dynamo,
    async stop() {
      await http.close();
      await scheduler.close();
      dynamo.destroy();
    },
  };
}
