/**
 * For operators: sends again the touches that failed, once the cause is fixed (SES out of the
 * sandbox, a quota raised, a permission restored). Runs with your own AWS credentials, against the
 * stack's table:
 *
 *   npm run redrive -- --table <TableName> [--since 2026-11-23T00:00:00Z] [--rep <repId>] [--dry-run]
 *
 * Each failed touch of a prospect's current plan goes back to `scheduled` for the due time it had
 * (so a reminder still names the agreed minute), in one write conditioned on it still being failed;
 * the sweep finds it overdue on its next run (within 5 minutes) and schedules it, and the fire
 * function sends it as usual. Touches a later outcome replaced are skipped and listed. It reads the
 * table with Scan, which costs one read of the whole table: fine for an occasional repair.
 *
 * With --ses-events it drains the SES events dead-letter queue instead (redrive-ses-events.ts):
 *
 *   npm run redrive -- --table <TableName> --ses-events <SesEventsDeadLetterQueueUrl> [--max <n>] [--dry-run]
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoStore } from '../functions/adapters/dynamo-store.js';
import { DomainError } from '../functions/core/errors.js';
import { systemClock, type Clock } from '../functions/ports/clock.js';
import { reopenFailedTouch } from '../functions/use-cases/retry-touch.js';
import { redriveSesEvents } from './redrive-ses-events.js';

export interface RedriveOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Only touches that failed (were last written) at or after this instant. */
  since?: string;
  repId?: string;
  dryRun?: boolean;
  clock?: Clock;
  /** One line per touch. */
  print?: (line: string) => void;
}

export interface RedriveResult {
  redriven: string[];
  skipped: { touchId: string; why: string }[];
}

export async function redriveFailed(options: RedriveOptions): Promise<RedriveResult> {
  const print = options.print ?? (() => {});
  const doc = DynamoDBDocumentClient.from(options.client);
  const store = new DynamoStore({ client: doc, tableName: options.tableName });
  const deps = { store, clock: options.clock ?? systemClock };
  const result: RedriveResult = { redriven: [], skipped: [] };
  const filters = ['#type = :touch', '#status = :failed'];
  const values: Record<string, unknown> = { ':touch': 'touch', ':failed': 'failed' };
  if (options.since) {
    filters.push('updatedAt >= :since');
    values[':since'] = new Date(options.since).toISOString();
  }
  if (options.repId) {
    filters.push('repId = :rep');
    values[':rep'] = options.repId;
  }
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: options.tableName,
        FilterExpression: filters.join(' AND '),
        ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
        ExpressionAttributeValues: values,
        ProjectionExpression: 'repId, prospectId, touchId',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const touch = await store.getTouch(String(item.repId), String(item.prospectId), String(item.touchId));
      if (!touch || touch.status !== 'failed') continue;
      const what = `${touch.id} ${touch.kind} due ${touch.dueAt} (rep ${touch.repId}, prospect ${touch.prospectId}): ${touch.reason ?? 'no reason'}`;
      if (options.dryRun) {
        print(`would redrive ${what}`);
        result.redriven.push(touch.id);
        continue;
      }
      try {
        await reopenFailedTouch(deps, touch);
        result.redriven.push(touch.id);
        print(`redriven ${what}`);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        result.skipped.push({ touchId: touch.id, why: error.message });
        print(`skipped ${touch.id}: ${error.message}`);
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return result;
}

const USAGE = [
  'Usage: npm run redrive -- --table <TableName> [--since <ISO time>] [--rep <repId>] [--region <region>] [--dry-run]',
  '       npm run redrive -- --table <TableName> --ses-events <SesEventsDeadLetterQueueUrl> [--max <n>] [--region <region>] [--dry-run]',
].join('\n');

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      since: { type: 'string' },
      rep: { type: 'string' },
      region: { type: 'string' },
      'ses-events': { type: 'string' },
      max: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (!values.table) fail(USAGE);
  if (values.since && Number.isNaN(Date.parse(values.since))) fail(`--since ${values.since} is not a time: use ISO-8601, for example 2026-11-23T00:00:00Z`);
  const region = values.region ? { region: values.region } : {};
  const client = new DynamoDBClient(region);
  if (values['ses-events']) {
    // The queue's events are not failed touches: --since and --rep would filter nothing there.
    if (values.since || values.rep) fail('--since and --rep are for failed touches; --ses-events drains the whole queue (use --max to stop early)');
    const max = values.max === undefined ? undefined : Number(values.max);
    if (max !== undefined && !(Number.isInteger(max) && max > 0)) fail(`--max ${values.max} is not a count: use a whole number above 0`);
    const sqs = new SQSClient(region);
    const dryRun = values['dry-run'];
    const result = await redriveSesEvents({
      dynamo: client,
      sqs,
      tableName: values.table,
      queueUrl: values['ses-events'],
      ...(max ? { max } : {}),
      dryRun,
      print: (line) => console.log(line),
    });
    console.log(
      `${dryRun ? 'would apply' : 'applied and deleted'}: ${result.applied.length}; left in the queue: ${result.left.length}` +
        (!dryRun && result.applied.length ? ". A suppressed prospect's rep is told by the sweep's next run (within 10 minutes)." : ''),
    );
    sqs.destroy();
    client.destroy();
    // Anything left keeps the ses-events-failed alarm on: say so to a script as well as a person.
    process.exitCode = result.left.length ? 1 : 0;
  } else {
    if (values.max) fail('--max is for --ses-events');
    const result = await redriveFailed({
      client,
      tableName: values.table,
      ...(values.since ? { since: values.since } : {}),
      ...(values.rep ? { repId: values.rep } : {}),
      dryRun: values['dry-run'],
      print: (line) => console.log(line),
    });
    console.log(
      `${values['dry-run'] ? 'would redrive' : 'redriven'}: ${result.redriven.length}; skipped: ${result.skipped.length}` +
        (values['dry-run'] ? '' : '. The sweep schedules them on its next run (within 5 minutes).'),
    );
    client.destroy();
  }
}
