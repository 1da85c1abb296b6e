/**
 * The process the crash run kills: the local runtime as `npm start` runs it (the handlers, the local
 * Scheduler firing on its timer, Lambda's retries, the sweep every minute, the check on start, all
 * on a data dir), with DynamoDB Local and the SES inbox left to the parent, standing in for the AWS
 * services that outlive a Lambda instance. Each fire invocation's duration is appended to
 * `<DATA_DIR>/fire-ms.txt`; "ready <json>" on stdout says it is up and what the check found.
 */
import '../../functions/local/quiet-warnings.js';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalRuntime } from '../../functions/local/runtime.js';
import { describeCheck } from '../../functions/use-cases/check-schedules.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const dataDir = env('DATA_DIR');
const runtime = await startLocalRuntime({
  dynamoEndpoint: env('CRASH_DYNAMODB_ENDPOINT'),
  sesEndpoint: env('CRASH_SES_ENDPOINT'),
  tableName: env('TABLE_NAME'),
  dataDir,
  apiPort: Number(env('PORT')),
  awsPort: Number(env('AWS_PORT')),
  senderEmail: 'followthrough@example.com',
  autoFire: true,
  sweep: true,
  logger: { info: () => {}, warn: () => {}, error: (message, ...extra) => console.error(`error: ${message}`, ...extra) },
});
const fire = runtime.handlers.fire;
const durations = join(dataDir, 'fire-ms.txt');
runtime.handlers.fire = async (event: unknown) => {
  const start = performance.now();
  try {
    return await fire(event);
  } finally {
    appendFileSync(durations, `${(performance.now() - start).toFixed(1)}\n`);
  }
};
console.log(`ready ${JSON.stringify({ check: describeCheck(runtime.startupCheck), startupCheck: runtime.startupCheck })}`);
