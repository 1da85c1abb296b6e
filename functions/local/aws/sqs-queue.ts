/**
 * A local stand-in for an SQS queue consumed by a Lambda event source mapping with
 * ReportBatchItemFailures, as the stack wires the fire function's on-failure queue to the sweep:
 * messages go to the consumer in batches of up to 10 as SQS events; those the consumer reports
 * back (or all of a batch whose invocation threw) stay and are received again on the next
 * `deliver()`; after `maxReceiveCount` receives a message moves to the dead-letter file instead
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 *
 * With a file, the messages waiting survive a restart (rewritten on every change: a handful of lines).
 */
import { createHash, randomUUID } from 'node:crypto';
import { JsonLinesFile, type Clock } from './wire.js';

export interface QueuedMessage {
  messageId: string;
  body: string;
  sentAt: string;
  receiveCount: number;
}

/** The SQS event a Lambda consumer receives. */
export interface SqsEvent {
  Records: {
    messageId: string;
    receiptHandle: string;
    body: string;
    attributes: { ApproximateReceiveCount: string; SentTimestamp: string; SenderId: string; ApproximateFirstReceiveTimestamp: string };
    messageAttributes: Record<string, never>;
    md5OfBody: string;
    eventSource: 'aws:sqs';
    eventSourceARN: string;
    awsRegion: string;
  }[];
}

export interface LocalQueueOptions {
  queueArn: string;
  region: string;
  clock: Clock;
  consumer: (event: SqsEvent) => Promise<unknown>;
  /** Receives before a message goes to the dead-letter file (the stack's redrive policy: 5). */
  maxReceiveCount?: number;
  /** Waiting messages live here; absent: memory. */
  file?: string;
  deadLetterFile?: string;
  onError?: (error: unknown) => void;
}

const BATCH_SIZE = 10;

export class LocalQueue {
  private messages: QueuedMessage[];
  private readonly journal?: JsonLinesFile<QueuedMessage>;
  private readonly deadLetterJournal?: JsonLinesFile<QueuedMessage & { deadLetteredAt: string }>;
  readonly deadLetters: QueuedMessage[] = [];
  private delivering?: Promise<void>;

  constructor(private readonly options: LocalQueueOptions) {
    if (options.file) this.journal = new JsonLinesFile(options.file);
    if (options.deadLetterFile) this.deadLetterJournal = new JsonLinesFile(options.deadLetterFile);
    this.messages = this.journal?.read() ?? [];
  }

  /** SendMessage. */
  send(body: string): string {
    const message = { messageId: randomUUID(), body, sentAt: this.options.clock.now().toISOString(), receiveCount: 0 };
    this.messages.push(message);
    this.save();
    return message.messageId;
  }

  /** Messages waiting to be received, oldest first. */
  waiting(): QueuedMessage[] {
    return this.messages.map((m) => ({ ...m }));
  }

  /**
   * Hands every waiting message to the consumer once, in batches. Passes never overlap: a call made
   * while one runs gets a pass of its own after it, which sees what was sent meanwhile.
   */
  deliver(): Promise<void> {
    const next = (this.delivering ?? Promise.resolve()).then(() => this.pass());
    this.delivering = next.catch(() => {});
    return next;
  }

  private async pass(): Promise<void> {
    const due = [...this.messages];
    for (let i = 0; i < due.length; i += BATCH_SIZE) {
      const batch = due.slice(i, i + BATCH_SIZE);
      for (const m of batch) m.receiveCount += 1;
      let failed: Set<string>;
      try {
        const answer = (await this.options.consumer(this.event(batch))) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
        failed = new Set((answer?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch (error) {
        this.options.onError?.(error);
        failed = new Set(batch.map((m) => m.messageId));
      }
      const done = new Set(batch.filter((m) => !failed.has(m.messageId)).map((m) => m.messageId));
      const dead = batch.filter((m) => failed.has(m.messageId) && m.receiveCount >= (this.options.maxReceiveCount ?? 5));
      for (const m of dead) {
        done.add(m.messageId);
        this.deadLetters.push({ ...m });
        this.deadLetterJournal?.append({ ...m, deadLetteredAt: this.options.clock.now().toISOString() });
      }
      this.messages = this.messages.filter((m) => !done.has(m.messageId));
      this.save();
    }
  }

  private event(batch: QueuedMessage[]): SqsEvent {
    const now = String(this.options.clock.now().getTime());
    return {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: `${m.messageId}#${m.receiveCount}`,
        body: m.body,
        attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(Date.parse(m.sentAt)), SenderId: 'lambda', ApproximateFirstReceiveTimestamp: now },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(m.body).digest('hex'),
        eventSource: 'aws:sqs' as const,
        eventSourceARN: this.options.queueArn,
        awsRegion: this.options.region,
      })),
    };
  }

  private save(): void {
    this.journal?.rewrite(this.messages);
  }
}
