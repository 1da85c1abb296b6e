/**
 * For operators: applies the SES bounces, complaints and Send events that wait in the SES events
 * dead-letter queue (output SesEventsDeadLetterQueueUrl, alarm ses-events-failed), once the cause
 * is fixed. Until then a bounce there leaves its address unsuppressed. Runs with your own AWS
 * credentials, from `npm run redrive -- --table <TableName> --ses-events <QueueUrl>` (redrive.ts).
 *
 * SQS's start-message-move-task cannot do this: it returns messages to the queue they came from,
 * and these came from EventBridge and Lambda, not from a queue. So each message is received, its
 * SES event read back from either shape (core/ses-dead-letter.ts), applied through the use case the
 * events function runs, and deleted only then. What cannot be read or fails to apply stays in the
 * queue and is listed. Applying an event twice changes nothing (handle-ses-event.ts), so a run cut
 * short, or a message received twice, is safe to run again.
 */
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoStore } from '../functions/adapters/dynamo-store.js';
import { describeSesEvent, readSesDeadLetter, type DeadLetterAttributes } from '../functions/core/ses-dead-letter.js';
import { systemClock, type Clock } from '../functions/ports/clock.js';
import { silentLogger, type Logger } from '../functions/ports/logger.js';
import type { TouchScheduler } from '../functions/ports/scheduler.js';
import { handleSesEvent } from '../functions/use-cases/handle-ses-event.js';

export interface RedriveSesEventsOptions {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  tableName: string;
  queueUrl: string;
  /** Stop after this many messages (each counted once, applied or left). */
  max?: number;
  /** Receive and read every message, list what would be applied; write and delete nothing. */
  dryRun?: boolean;
  clock?: Clock;
  /** Long-poll wait of each receive, in seconds (1 to 20). */
  waitSeconds?: number;
  logger?: Logger;
  /** One line per message. */
  print?: (line: string) => void;
}

export interface RedriveSesEventsResult {
  /** Applied and deleted (or, in a dry run, that would be). */
  applied: { messageId: string; event: string; outcome: string }[];
  /** Still in the queue: unreadable, or failed to apply. */
  left: { messageId: string; why: string }[];
}

/**
 * A long poll asks every SQS server, so an empty answer means the queue holds nothing visible; a
 * short poll samples some servers and can come back empty while messages wait (SQS Developer
 * Guide, "Setting-up long polling"). A few seconds is enough: nothing is being added to a DLQ that
 * an operator drains once its cause is fixed.
 */
const WAIT_SECONDS = 5;
/** The most one ReceiveMessage returns. */
const BATCH = 10;

/**
 * The rep's notice a suppression adds, and the cancelled touches' schedules, without Scheduler:
 * this runs with the operator's credentials, which need not reach the schedule group or the fire
 * function's ARN. The notice is written `scheduled` and due now, so the sweep finds it overdue and
 * schedules it on its next run (within 10 minutes, counted in SweepRepaired); a cancelled touch's
 * schedule that still fires is refused by the fire function, which sends only scheduled touches.
 */
const leaveSchedulesToTheSweep: TouchScheduler = {
  async create() {},
  async delete() {},
  async get() {
    return undefined;
  },
};

export async function redriveSesEvents(options: RedriveSesEventsOptions): Promise<RedriveSesEventsResult> {
  const print = options.print ?? (() => {});
  const store = new DynamoStore({ client: DynamoDBDocumentClient.from(options.dynamo), tableName: options.tableName });
  const deps = { store, scheduler: leaveSchedulesToTheSweep, clock: options.clock ?? systemClock, logger: options.logger ?? silentLogger };
  const result: RedriveSesEventsResult = { applied: [], left: [] };
  const max = options.max ?? Number.POSITIVE_INFINITY;
  // A message left in the queue becomes visible again after the visibility timeout and may be
  // received again in this run: counted once, and a receive that brings nothing new ends the run.
  const seen = new Set<string>();
  // Received and not deleted, by id, with the latest receipt handle (the one SQS honours).
  const kept = new Map<string, Message>();

  while (seen.size < max) {
    const page = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: Math.min(BATCH, max - seen.size),
        WaitTimeSeconds: options.waitSeconds ?? WAIT_SECONDS,
        MessageAttributeNames: ['All'],
      }),
    );
    let fresh = 0;
    for (const message of page.Messages ?? []) {
      if (!message.MessageId || !message.ReceiptHandle) continue;
      if (seen.has(message.MessageId) || seen.size >= max) {
        kept.set(message.MessageId, message);
        continue;
      }
      fresh += 1;
      seen.add(message.MessageId);
      if (!(await redriveOne(options, deps, message, result, print))) kept.set(message.MessageId, message);
    }
    if (fresh === 0) break;
  }
  await release(options, [...kept.values()], print);
  return result;
}

/**
 * What was received and not deleted (all of it in a dry run) is made visible again at once, not
 * after the queue's visibility timeout: the run that follows a dry run, or a fix, finds it all.
 * Where that is refused (sqs:ChangeMessageVisibility not granted), it comes back on its own.
 */
async function release(options: RedriveSesEventsOptions, messages: Message[], print: (line: string) => void): Promise<void> {
  let refused = 0;
  for (const message of messages) {
    try {
      await options.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle!, VisibilityTimeout: 0 }));
    } catch {
      refused += 1;
    }
  }
  if (refused) print(`${refused} message(s) could not be made visible again now; they are after the queue's visibility timeout`);
}

async function redriveOne(
  options: RedriveSesEventsOptions,
  deps: Parameters<typeof handleSesEvent>[0],
  message: Message,
  result: RedriveSesEventsResult,
  print: (line: string) => void,
): Promise<boolean> {
  const messageId = message.MessageId!;
  const read = readSesDeadLetter(message.Body ?? '', attributes(message));
  if (!read.ok) {
    result.left.push({ messageId, why: read.why });
    print(`left ${messageId}: ${read.why}`);
    return false;
  }
  const event = describeSesEvent(read.event);
  if (options.dryRun) {
    result.applied.push({ messageId, event, outcome: 'not applied (dry run)' });
    print(`would apply ${messageId}: ${event}; it failed because ${read.failure}`);
    return false;
  }
  let outcome: string;
  try {
    const done = await handleSesEvent(deps, read.event);
    outcome = done.result === 'suppressed' ? `suppressed ${done.emails.join(', ')}` : done.result === 'recorded' ? `recorded: ${done.detail}` : `ignored: ${done.reason}`;
  } catch (error) {
    const why = `could not apply ${event}: ${String(error)}`;
    result.left.push({ messageId, why });
    print(`left ${messageId}: ${why}`);
    return false;
  }
  // Deleted only now it is applied: a crash before this leaves it for the next run, which changes nothing twice.
  try {
    await options.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle! }));
  } catch (error) {
    const why = `applied (${outcome}) but not deleted: ${String(error)}; running again changes nothing`;
    result.left.push({ messageId, why });
    print(`left ${messageId}: ${why}`);
    return false;
  }
  result.applied.push({ messageId, event, outcome });
  print(`applied ${messageId}: ${event}: ${outcome}`);
  return true;
}

function attributes(message: Message): DeadLetterAttributes {
  return Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]));
}
