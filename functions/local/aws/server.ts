/**
 * One loopback HTTP server for the AWS services that have no emulator package: EventBridge
 * Scheduler (restJson1, by path), End User Messaging SMS (awsJson1_0, `X-Amz-Target:
 * PinpointSMSVoiceV2.*`) and Secrets Manager (awsJson1_1, `X-Amz-Target: secretsmanager.*`).
 * The real SDK clients reach it through AWS_ENDPOINT_URL_SCHEDULER,
 * AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 and AWS_ENDPOINT_URL_SECRETS_MANAGER (or an explicit
 * `endpoint`). Requests are signed by the SDK; the signature is not checked here, any dummy
 * credentials do. `GET /local/sms` shows the SMS outbox.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JitterMode } from './schedule-expression.js';
import { LocalSchedulerService } from './scheduler-service.js';
import { LocalSecretsService } from './secrets-service.js';
import { LocalSesFront, type SesFrontOptions } from './ses-front.js';
import { LocalSmsService } from './sms-service.js';
import { AwsServiceError, awsJsonError, jsonResponse, unknownOperation, type Clock, type WireResponse } from './wire.js';

export interface LocalAwsOptions {
  /** 0 picks a free port. */
  port: number;
  /** State (schedules, dead letters, outbox, opt-outs, secret versions) lives here; absent: memory. */
  dataDir?: string;
  clock: Clock;
  /** Invokes a schedule's target; the runtime maps the fire function's ARN to its handler. */
  invoke: (targetArn: string, input: string) => Promise<void>;
  /** 'minute' fires at() schedules anywhere within their minute, as Scheduler does. */
  jitter?: JitterMode;
  random?: () => number;
  secrets: Record<string, string>;
  /** Schedule groups that exist besides `default`. */
  scheduleGroups: string[];
  accountId: string;
  region: string;
  /** Fire schedules from a timer (npm start); tests call scheduler.runDue(). */
  autoRun?: boolean;
  /** Schedule invocations in flight at once (64 by default). */
  concurrency?: number;
  /** Told of failed schedule invocations and of unexpected errors answering a request. */
  onError?: (where: string, error: unknown) => void;
  /** Stand in front of the local SES as well: its SES v2 requests come here (see ses-front.ts). */
  ses?: Pick<SesFrontOptions, 'upstream' | 'messageIdDomain' | 'publish' | 'sends'>;
}

export interface LocalAws {
  /** `http://127.0.0.1:<port>`, the endpoint for all three services. */
  endpoint: string;
  scheduler: LocalSchedulerService;
  sms: LocalSmsService;
  secrets: LocalSecretsService;
  /** In front of the local SES, when asked for. */
  ses?: LocalSesFront;
  /** Stops the scheduler (waiting for invocations in flight) and the server. */
  close(): Promise<void>;
}

const SMS_TARGET = 'PinpointSMSVoiceV2.';
const SECRETS_TARGET = 'secretsmanager.';
const JSON_1_0 = 'application/x-amz-json-1.0';
const JSON_1_1 = 'application/x-amz-json-1.1';

export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const scheduler = new LocalSchedulerService({
    clock: options.clock,
    invoke: options.invoke,
    region: options.region,
    accountId: options.accountId,
    scheduleGroups: options.scheduleGroups,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.autoRun ? { autoRun: true } : {}),
    jitter: options.jitter ?? 'none',
    ...(options.random ? { random: options.random } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.onError ? { onError: (arn: string, error: unknown) => options.onError!(arn, error) } : {}),
  });
  const sms = new LocalSmsService({ clock: options.clock, region: options.region, accountId: options.accountId, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  const secrets = new LocalSecretsService({
    clock: options.clock,
    region: options.region,
    accountId: options.accountId,
    secrets: options.secrets,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  });

  const ses = options.ses ? new LocalSesFront({ ...options.ses, clock: options.clock, region: options.region, accountId: options.accountId }) : undefined;

  const answer = async (request: IncomingMessage, body: string): Promise<WireResponse> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (ses?.handles(url.pathname)) return ses.handle(request.method ?? 'GET', request.url ?? '/', body, request.headers);
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') return awsJson(target, body);
    if (request.method === 'GET' && url.pathname === '/local/sms') return sms.outboxPage(request.headers.accept);
    return scheduler.api.handle(request.method ?? 'GET', url.pathname, url.searchParams, body);
  };

  const jsonServices = [
    { prefix: SMS_TARGET, contentType: JSON_1_0, internalError: 'InternalServerException', run: (op: string, b: Record<string, unknown>) => sms.handle(op, b) },
    { prefix: SECRETS_TARGET, contentType: JSON_1_1, internalError: 'InternalServiceError', run: (op: string, b: Record<string, unknown>) => secrets.handle(op, b) },
  ];

  const awsJson = (target: string, raw: string): WireResponse => {
    const service = jsonServices.find((s) => target.startsWith(s.prefix));
    if (!service) return unknownOperation(JSON_1_0);
    try {
      const result = service.run(target.slice(service.prefix.length), parseJsonObject(raw));
      return result === undefined ? unknownOperation(service.contentType) : jsonResponse(200, result, service.contentType);
    } catch (error) {
      if (!(error instanceof AwsServiceError)) options.onError?.(target, error);
      return awsJsonError(error, service.contentType, service.internalError);
    }
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      answer(request, Buffer.concat(chunks).toString('utf8'))
        .catch((error: unknown) => {
          options.onError?.(`${request.method} ${request.url}`, error);
          return jsonResponse(500, { Message: 'Internal error.' });
        })
        .then((result) => {
          // The SDK reads $metadata.requestId from this header.
          response.writeHead(result.status, { 'x-amzn-requestid': randomUUID(), ...result.headers, 'content-length': Buffer.byteLength(result.body) });
          response.end(result.body);
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    scheduler,
    sms,
    secrets,
    ...(ses ? { ses } : {}),
    async close() {
      await scheduler.close();
      // The SDK keeps connections alive; close them, or close() would wait for their idle timeout.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseJsonObject(raw: string): Record<string, unknown> {
  if (!raw.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new AwsServiceError('SerializationException', 'Request body is not a JSON object.');
}
