/**
 * The whole system on one machine, through the same Lambda handlers AWS runs: DynamoDB Local, the
 * local SES, and wire-compatible local endpoints for EventBridge Scheduler, End User Messaging SMS
 * and Secrets Manager. Every handler is built by its own module's createHandler from the
 * environment the stack would set (.data/lambda.env), and its SDK clients find the local services
 * through the standard AWS_ENDPOINT_URL_<SERVICE> variables.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { dynamoStore, touchScheduler } from '../adapters/aws-ports.js';
import { SWEEP_SCHEDULE_INPUT } from '../core/failure.js';
import { FirePayload } from '../core/fire-payload.js';
import { SENT_EVENT_TAG } from '../core/ses-event.js';
import type { HttpEvent, HttpResult } from '../http/router.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { loadSettings } from '../settings.js';
import { checkSchedules, type ScheduleCheck } from '../use-cases/check-schedules.js';
import { AsyncInvoker, type OnFailureRecord } from './aws/lambda-invoke.js';
import { loadOrCreateSecretFile } from './aws/secrets-service.js';
import { startLocalAws, type LocalAws } from './aws/server.js';
import type { SesEventEnvelope } from './aws/ses-front.js';
import { LocalQueue } from './aws/sqs-queue.js';
import { ensureTable, LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamo.js';
import { jsonResult, startHttp, type LocalRoute } from './http-server.js';
import { isLocalRepId, LocalTokens } from './jwt.js';
import { LOCAL_ACCOUNT, LOCAL_ARNS, localLambdaEnv, writeLambdaEnv } from './lambda-env.js';
import { PendingEvents } from './pending-events.js';
import { SesSends } from './ses-sends.js';

export const LOCAL_SCHEDULE_GROUP = 'followthrough-touches';
/** The domain of the Message-ID the local SES stamps on each message (`<MessageId@domain>`). */
export const LOCAL_SES_MESSAGE_ID_DOMAIN = 'local.amazonses.test';
/** The sweep's recurring schedule lives in a group of its own, as on AWS. */
export const LOCAL_SWEEP_GROUP = 'followthrough-sweep';
const LINK_SECRET_NAME = 'followthrough-links';

export interface LocalRuntimeOptions {
  dynamoEndpoint: string;
  sesEndpoint: string;
  tableName: string;
  /** Where schedules, keys, the SMS outbox and lambda.env live; absent keeps them in memory (tests). */
  dataDir?: string;
  /** Where the signing key lives when there is no dataDir. */
  keyFile?: string;
  apiPort: number;
  /** The local AWS endpoints' port (0: any free one). */
  awsPort?: number;
  senderEmail: string;
  /** The cadence policy JSON, as CADENCE_POLICY on AWS. */
  cadencePolicy?: string;
  clock?: Clock;
  /** Fire schedules on a timer (npm start) rather than only on runDue() (tests). */
  autoFire?: boolean;
  /**
   * Run the sweep every minute from a recurring schedule on the local Scheduler, and hand it the
   * fire function's on-failure records as SQS batches, as the stack does (default true; the test
   * runtime turns it on where a test is about it, so other tests keep exact schedule counts).
   */
  sweep?: boolean;
  /** `minute`: fire anywhere within the due minute, as EventBridge Scheduler does. */
  jitter?: 'none' | 'minute';
  random?: () => number;
  /** Signs unsubscribe and sheet links; by default a secret kept in dataDir (random in memory without one). */
  linkSecret?: string;
  unsubscribeMailto?: string;
  /** The console signs in through this Cognito-compatible hosted UI instead of with a rep id (tests of that flow). */
  cognito?: { domainUrl: string; clientId: string };
  logger?: Logger;
}

type Http = (event: HttpEvent) => Promise<HttpResult>;

export interface LocalRuntime {
  url: string;
  /** The environment the functions run with, as written to .data/lambda.env. */
  env: Record<string, string>;
  aws: LocalAws;
  tokens: LocalTokens;
  dynamo: DynamoDBClient;
  handlers: {
    api: Http;
    render: Http;
    fire: ReturnType<typeof import('../handlers/fire.js').createHandler>;
    events: ReturnType<typeof import('../handlers/events.js').createHandler>;
    sweep: ReturnType<typeof import('../handlers/sweep.js').createHandler>;
  };
  /** Fires every schedule due at the clock's now, runs retries that fell due, and waits for them; resolves with how many schedules ran. */
  runDue(): Promise<number>;
  /** Lambda's asynchronous invocations of the fire function (retries waiting, a hook to run them now). */
  lambda: AsyncInvoker;
  /** What the check on start found: every scheduled touch has a schedule, every schedule a scheduled touch. */
  startupCheck: ScheduleCheck;
  /** On-failure records of fire invocations that failed every attempt. */
  failures: OnFailureRecord[];
  /** The fire function's on-failure queue, consumed by the sweep (with `sweep`). */
  fireFailureQueue: LocalQueue;
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? silentLogger;
  const dataFile = (name: string) => (options.dataDir ? join(options.dataDir, name) : undefined);
  const tokens = await LocalTokens.open(dataFile('jwt-key.json') ?? options.keyFile ?? join(process.cwd(), '.data', 'jwt-key.json'));

  let handlers: LocalRuntime['handlers'] | undefined;
  const failures: OnFailureRecord[] = [];
  const sweepOn = options.sweep ?? true;
  // The stack's SQS event source: on-failure records reach the sweep in batches; what it reports back is received again.
  const fireFailureQueue = new LocalQueue({
    queueArn: LOCAL_ARNS.fireFailureQueue,
    region: LOCAL_REGION,
    clock,
    consumer: (event) => handlers!.sweep(event),
    ...(options.dataDir ? { file: join(options.dataDir, 'fire-failures.jsonl'), deadLetterFile: join(options.dataDir, 'fire-failures-dlq.jsonl') } : {}),
    onError: (error) => log.error('the sweep failed on a batch of fire failures', { error: String(error) }),
  });
  let sweepRuns = 0;
  /** Sweep runs Scheduler handed over, waiting for the fires in flight before they start. */
  const sweepsStarting = new Set<Promise<void>>();
  const sweepsStarted = async () => {
    while (sweepsStarting.size) await Promise.all([...sweepsStarting]);
  };
  const sesEvents = new PendingEvents<SesEventEnvelope>(dataFile('ses-events.jsonl'));
  const sesSends = new SesSends(dataFile('ses-sends.jsonl'));
  // Scheduler may fire a schedule due at start before the handlers are built: it waits for them, as Lambda queues.
  let handlersBuilt!: () => void;
  const built = new Promise<void>((resolve) => (handlersBuilt = resolve));
  // Scheduler invokes the fire function asynchronously: Lambda's own retries, then the on-failure destination.
  const lambda = new AsyncInvoker({ clock, autoRun: options.autoFire ?? false, onError: (id, error) => log.warn('fire attempt failed', { requestId: id, error: String(error) }) });
  const http = await startHttp({
    // Listening before the handlers are built (their environment names this server's URL): until then, 503.
    handlers: { api: (e) => (handlers ? handlers.api(e) : starting()), render: (e) => (handlers ? handlers.render(e) : starting()) },
    tokens,
    local: (req, url, body) => localRoutes(req, url, body),
    port: options.apiPort,
  });

  const aws = await startLocalAws({
    port: options.awsPort ?? 0,
    dataDir: options.dataDir,
    clock,
    jitter: options.jitter ?? 'none',
    ...(options.random ? { random: options.random } : {}),
    autoRun: options.autoFire ?? false,
    accountId: LOCAL_ACCOUNT,
    region: LOCAL_REGION,
    scheduleGroups: [LOCAL_SCHEDULE_GROUP, LOCAL_SWEEP_GROUP],
    secrets: { [LINK_SECRET_NAME]: options.linkSecret ?? (options.dataDir ? loadOrCreateSecretFile(join(options.dataDir, 'link-secret')) : randomBytes(32).toString('hex')) },
    // The local SES stands behind the same endpoint, and publishes Send events as SES event publishing does.
    ses: { upstream: options.sesEndpoint, messageIdDomain: LOCAL_SES_MESSAGE_ID_DOMAIN, publish: (event) => routeSesEvent(event), sends: sesSends.hooks },
    invoke: async (arn, input) => {
      await built;
      if (arn === LOCAL_ARNS.sweep && sweepOn) {
        sweepRuns += 1;
        // Scheduler hands the run over and goes on firing: waiting here would hold back every schedule due
        // meanwhile. The run starts once the fires already handed to Lambda are done, so it never takes a
        // touch being sent for a lost one.
        const handing = lambda
          .settleInFlight()
          // As the stack configures it: no retry (the next run is a minute away), events older than a run dropped.
          .then(() => lambda.asyncInvoke(handlers!.sweep, JSON.parse(input) as unknown, { functionArn: LOCAL_ARNS.sweep, maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 }))
          .then(
            () => undefined,
            (error: unknown) => log.warn('a sweep run could not start', { error: String(error) }),
          );
        sweepsStarting.add(handing);
        void handing.finally(() => sweepsStarting.delete(handing));
        return;
      }
      if (arn !== LOCAL_ARNS.fire) throw Object.assign(new Error(`Function not found: ${arn}`), { name: 'ResourceNotFoundException' });
      await lambda.asyncInvoke(handlers!.fire, JSON.parse(input) as unknown, {
        functionArn: LOCAL_ARNS.fire,
        // The stack's async invoke configuration of the fire function.
        maximumRetryAttempts: 2,
        maximumEventAgeSeconds: 3600,
        onFailure: (record) => {
          failures.push(record);
          log.error('fire failed after retries', { touch: record.requestPayload, error: record.responsePayload.errorMessage });
          if (!sweepOn) return;
          fireFailureQueue.send(JSON.stringify(record));
          if (options.autoFire) void fireFailureQueue.deliver();
        },
      });
    },
  });

  const env = localLambdaEnv({
    tableName: options.tableName,
    scheduleGroup: LOCAL_SCHEDULE_GROUP,
    publicApiUrl: http.url,
    senderEmail: options.senderEmail,
    ...(options.cadencePolicy ? { cadencePolicy: options.cadencePolicy } : {}),
    ...(options.unsubscribeMailto ? { unsubscribeMailto: options.unsubscribeMailto } : {}),
    ...(options.cognito ? { cognito: options.cognito } : {}),
    smsOriginationIdentity: 'phone-local0001',
    linkSecretArn: aws.secrets.arnOf(LINK_SECRET_NAME),
    endpoints: { dynamodb: options.dynamoEndpoint, sesv2: aws.endpoint, scheduler: aws.endpoint, sms: aws.endpoint, secrets: aws.endpoint },
  });
  // The SDK reads the endpoint variables from the process environment, as it does on Lambda.
  Object.assign(process.env, env);
  if (options.dataDir) writeLambdaEnv(join(options.dataDir, 'lambda.env'), env);

  const dynamo = new DynamoDBClient({ endpoint: options.dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await ensureTable(dynamo, options.tableName);

  // Sends a kill split from their Send events get them now (journaled: the handlers do not exist yet).
  const recovered = await sesSends.recover(options.sesEndpoint, (request, messageId) => aws.ses!.sendEvent(request, messageId), (event) => routeSesEvent(event));
  if (recovered) log.warn('Send events of messages the inbox took before a kill, published on start', { recovered });

  // The handler modules, each built as its Lambda builds itself, with this runtime's clock.
  const [api, render, fire, events, sweep] = await Promise.all([
    import('../handlers/api.js'),
    import('../handlers/render.js'),
    import('../handlers/fire.js'),
    import('../handlers/events.js'),
    import('../handlers/sweep.js'),
  ]);
  handlers = {
    api: api.createHandler(env, clock) as Http,
    render: render.createHandler(env, clock) as Http,
    fire: fire.createHandler(env, clock),
    events: events.createHandler(env, clock),
    sweep: sweep.createHandler(env, clock),
  };
  handlersBuilt();
  // SES events a kill kept from the events function, first: a retried fire reads what they record.
  for (const { id, event } of sesEvents.waiting()) await deliverSesEvent(id, event);
  await lambda.idle();
  // After a crash or a kill, touches and schedules may disagree: made right before anything else runs.
  const startupCheck = await checkOnStart(env, clock, aws, log);
  if (sweepOn) {
    await scheduleSweep(aws.endpoint);
    // Failures kept from before a restart go to the sweep now.
    if (fireFailureQueue.waiting().length) void fireFailureQueue.deliver();
  }

  /**
   * The stack's EventBridge rules for SES events (infra/constructs/messaging.ts): bounces,
   * complaints, and the Send event of every email of a touch go to the events function, invoked
   * asynchronously; kept in a journal until it is through with them, as EventBridge keeps them.
   */
  async function routeSesEvent(event: SesEventEnvelope): Promise<void> {
    const tags = (event.detail.mail as { tags?: Record<string, string[]> } | undefined)?.tags ?? {};
    const routed =
      event['detail-type'] === 'Email Bounced' ||
      event['detail-type'] === 'Email Complaint Received' ||
      (event['detail-type'] === 'Email Sent' && Boolean(tags[SENT_EVENT_TAG]?.length));
    if (!routed) return;
    const id = sesEvents.add(event);
    // Before the handlers exist (a send at start), the event waits in the journal.
    if (handlers) await deliverSesEvent(id, event);
  }

  async function deliverSesEvent(id: string, event: SesEventEnvelope): Promise<void> {
    const invocation = await lambda.asyncInvoke(handlers!.events, event as unknown, { functionArn: LOCAL_ARNS.events, maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 });
    void invocation.settled.then(() => sesEvents.done(id));
  }

  /** Routes only the local runtime has: stand-ins for what AWS delivers by other paths. */
  async function localRoutes(req: IncomingMessage, url: URL, body: Buffer): Promise<HttpResult | undefined> {
    if (req.method === 'GET' && url.pathname === '/local/sms') return wire(aws.sms.outboxPage(req.headers.accept));
    if (req.method === 'POST' && url.pathname === '/local/token') {
      // The console's local sign-in, as npm run token: a token for any rep id.
      let repId: unknown;
      try {
        repId = (JSON.parse(body.toString('utf8')) as { repId?: unknown } | null)?.repId;
      } catch {
        repId = undefined;
      }
      if (!isLocalRepId(repId)) {
        return jsonResult(400, { error: { code: 'invalid_request', message: 'Give a rep id of 1-128 letters, digits, ".", "_", "@" or "-", as {"repId": "rep-1"}', issues: [{ path: 'repId', message: 'Use 1-128 letters, digits, . _ @ -' }] } });
      }
      // Signed on the machine's clock, which the token check uses too (not the runtime's, a test's fake one).
      return jsonResult(200, { token: await tokens.sign(repId) });
    }
    if (req.method === 'POST' && url.pathname === '/local/ses-events') {
      // What EventBridge would hand the events function: post an SES event (bounce, complaint) here.
      let event: unknown;
      try {
        event = JSON.parse(body.toString('utf8'));
      } catch {
        return jsonResult(400, { error: { code: 'invalid_request', message: 'Post an SES event as JSON' } });
      }
      return jsonResult(200, await handlers!.events(event));
    }
    return undefined;
  }

  return {
    url: http.url,
    env,
    aws,
    tokens,
    dynamo,
    handlers,
    lambda,
    failures,
    startupCheck,
    fireFailureQueue,
    async runDue() {
      const sweepsBefore = sweepRuns;
      const ran = await aws.scheduler.runDue();
      await sweepsStarted();
      await lambda.runDue();
      await lambda.idle();
      if (sweepOn) {
        await fireFailureQueue.deliver();
        await lambda.idle();
      }
      // Touch schedules only: the sweep's own runs are not what callers count.
      return ran - (sweepRuns - sweepsBefore);
    },
    async stop() {
      await http.close();
      await aws.close();
      await sweepsStarted();
      await lambda.close();
      dynamo.destroy();
    },
  };
}

/** Touches against the local Scheduler's touch schedules, through the same adapters the sweep uses. */
async function checkOnStart(env: Record<string, string>, clock: Clock, aws: LocalAws, logger: Logger): Promise<ScheduleCheck> {
  const settings = loadSettings(env, 'sweep');
  const schedules = aws.scheduler
    .list()
    .filter((s) => s.group === LOCAL_SCHEDULE_GROUP)
    .map((s) => {
      let input: unknown;
      try {
        input = JSON.parse(s.input);
      } catch {
        input = undefined;
      }
      const payload = FirePayload.safeParse(input);
      // Listed schedules are the enabled ones still to fire; `dueAt` is their at() time (a disabled one counts as missing).
      return { name: s.name, at: s.dueAt, enabled: true, ...(payload.success ? { payload: payload.data } : {}) };
    });
  return checkSchedules({ store: dynamoStore(settings), scheduler: touchScheduler(settings, clock), logger, clock }, schedules);
}

/**
 * The sweep's recurring schedule, made through the real Scheduler client as the stack's
 * CloudFormation makes it on AWS (every minute here, every 5 there); kept across restarts.
 */
async function scheduleSweep(endpoint: string): Promise<void> {
  const client = new SchedulerClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    await client.send(
      new CreateScheduleCommand({
        Name: 'followthrough-sweep',
        GroupName: LOCAL_SWEEP_GROUP,
        ScheduleExpression: 'rate(1 minute)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: LOCAL_ARNS.sweep,
          RoleArn: LOCAL_ARNS.sweepSchedulerRole,
          Input: JSON.stringify(SWEEP_SCHEDULE_INPUT),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
          DeadLetterConfig: { Arn: LOCAL_ARNS.scheduleDlq },
        },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConflictException') throw error;
  } finally {
    client.destroy();
  }
}

/** A request that came before the handlers were built: try again, as after a dropped connection. */
function starting(): Promise<HttpResult> {
  return Promise.resolve({
    statusCode: 503,
    headers: { 'content-type': 'application/json', 'retry-after': '1' },
    body: JSON.stringify({ error: { code: 'starting', message: 'The local runtime is starting: try again in a second' } }),
  });
}

/** A local service's answer as the HTTP front sends it. */
function wire(response: { status: number; headers: Record<string, string>; body: string }): HttpResult {
  return { statusCode: response.status, headers: response.headers, body: response.body };
}
