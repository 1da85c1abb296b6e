/**
 * npm start: everything on one machine, no AWS account. DynamoDB Local (data under .data/),
 * the local SES inbox, the local scheduler and the HTTP API.
 */
import './quiet-warnings.js';
import { resolve } from 'node:path';
import { buildTemplates } from '../../scripts/build-templates.js';
import { PolicyError, policyFromJson } from '../core/policy.js';
import { SettingsError } from '../settings.js';
import { describeCheck } from '../use-cases/check-schedules.js';
import { PrerequisiteError, startDynamo } from './dynamo.js';
import { startSes } from './ses.js';

const optionalEnv = (name: string) => process.env[name]?.trim() || undefined;

function numberEnv(name: string, fallback: number): number {
  const raw = optionalEnv(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new PrerequisiteError(`${name} must be a port number, got "${raw}"`);
  return n;
}

const consoleLogger = {
  info: () => {},
  warn: (message: string, ...extra: Record<string, unknown>[]) => console.warn(`warn: ${message}`, ...extra),
  error: (message: string, ...extra: Record<string, unknown>[]) => console.error(`error: ${message}`, ...extra),
};

async function main() {
  // The handlers log as they do on Lambda (Powertools, JSON); locally only warnings and errors, unless asked.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const dataDir = resolve(optionalEnv('DATA_DIR') ?? '.data');
  const apiPort = numberEnv('PORT', 3000);
  const sesPort = numberEnv('SES_PORT', 8005);
  const dynamoPort = numberEnv('DYNAMODB_PORT', 8000);
  const cadencePolicy = optionalEnv('CADENCE_POLICY');
  // Checked here too so a bad policy is one clear line before anything starts.
  policyFromJson(cadencePolicy);
  const jitter = optionalEnv('SCHEDULER_JITTER');
  if (jitter && jitter !== 'minute' && jitter !== 'none') throw new PrerequisiteError(`SCHEDULER_JITTER must be "minute" or "none", got "${jitter}"`);
  // Templates are precompiled into a module the runtime imports: build it before loading that.
  buildTemplates();
  const { startLocalRuntime, LOCAL_SCHEDULE_GROUP } = await import('./runtime.js');

  const dynamo = await startDynamo({ port: dynamoPort, dataDir: resolve(dataDir, 'dynamodb') });
  const stops: (() => Promise<void>)[] = [() => dynamo.stop()];
  const shutdown = async (code = 0) => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  try {
    const ses = await startSes(sesPort);
    stops.push(() => ses.stop());
    const runtime = await startLocalRuntime({
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      tableName: optionalEnv('TABLE_NAME') ?? 'followthrough',
      dataDir,
      apiPort,
      awsPort: numberEnv('AWS_PORT', 4566),
      senderEmail: optionalEnv('SENDER_EMAIL') ?? 'followthrough@example.com',
      ...(cadencePolicy ? { cadencePolicy } : {}),
      ...(jitter === 'minute' ? { jitter: 'minute' as const } : {}),
      autoFire: true,
      logger: consoleLogger,
    });
    stops.push(() => runtime.stop());
    // Touches' schedules: the sweep's recurring one is not a promise waiting.
    const pending = runtime.aws.scheduler.list().filter((s) => s.group === LOCAL_SCHEDULE_GROUP).length;
    console.log(
      [
        'followthrough is running locally (Ctrl-C stops it)',
        `  Console ${runtime.url}/app   the rep console: sign in with any rep id`,
        `  API     ${runtime.url}/v1   (GET /v1/health needs no token)`,
        `  Inbox   http://localhost:${sesPort}   every email sent, as the local SES received it`,
        `  SMS     ${runtime.url}/local/sms   reminders sent by SMS`,
        `  AWS     ${runtime.aws.endpoint}   local EventBridge Scheduler, SMS and Secrets Manager endpoints`,
        `  Data    ${dataDir}   DynamoDB Local, ${pending} pending schedule${pending === 1 ? '' : 's'}, signing key, lambda.env`,
        `  Check   ${describeCheck(runtime.startupCheck)}`,
        'Try:',
        `  TOKEN=$(npm run -s token -- rep-1)`,
        `  curl -s -X PUT ${runtime.url}/v1/reps/me -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
        `    -d '{"name":"Ann Rep","email":"ann@example.com","phone":"+15551230000","timezone":"America/New_York","reminderChannel":"email"}'`,
      ].join('\n'),
    );
  } catch (error) {
    await shutdown(fail(error));
  }
}

function fail(error: unknown): number {
  if (error instanceof PrerequisiteError || error instanceof PolicyError) console.error(`followthrough: ${error.message}`);
  else if (error instanceof SettingsError) console.error(`followthrough: ${error.message}`);
  else if ((error as NodeJS.ErrnoException)?.code === 'EADDRINUSE') console.error(`followthrough: a port is taken (${(error as Error).message}): set PORT, SES_PORT, DYNAMODB_PORT or AWS_PORT`);
  else console.error(`followthrough: could not start: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

main().catch((error) => process.exit(fail(error)));
