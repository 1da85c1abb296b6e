/**
 * One SQS queue on a loopback port, speaking the wire the SDK's SQSClient speaks (AWS JSON 1.0:
 * POST with `X-Amz-Target: AmazonSQS.<Action>`), for ReceiveMessage, ChangeMessageVisibility and
 * DeleteMessage only: what an operator's drain of a dead-letter queue calls. Going through the
 * real client checks what a mock of `send` would not: the request the SDK builds, the body MD5 it
 * verifies on receive, and the message attributes as it parses them.
 *
 * Received messages stay in flight for `visibilitySeconds` (real time), then are visible again, as
 * on SQS; a long poll on an empty queue answers at once (nothing else sends meanwhile in a test).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMessage {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  receiveCount: number;
  /** In flight until then (ms since the epoch); visible when absent or past. */
  invisibleUntil?: number;
  receiptHandle?: string;
}

export interface FakeSqs {
  endpoint: string;
  queueUrl: string;
  /** SendMessage, as EventBridge or Lambda would: String attributes only. */
  send(body: string, attributes?: Record<string, string>): string;
  /** Every message still in the queue, visible or in flight. */
  messages(): FakeMessage[];
  /** Each request: its action and input. */
  requests: { action: string; input: Record<string, unknown> }[];
  stop(): Promise<void>;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export async function startFakeSqs(options: { visibilitySeconds?: number } = {}): Promise<FakeSqs> {
  const visibilityMs = (options.visibilitySeconds ?? 30) * 1000;
  let queue: FakeMessage[] = [];
  const requests: FakeSqs['requests'] = [];

  const actions: Record<string, (input: Record<string, unknown>) => { status: number; body: unknown }> = {
    ReceiveMessage(input) {
      const now = Date.now();
      const max = Number(input.MaxNumberOfMessages ?? 1);
      const wanted = (input.MessageAttributeNames as string[] | undefined) ?? [];
      const visible = queue.filter((m) => !m.invisibleUntil || m.invisibleUntil <= now).slice(0, max);
      for (const m of visible) {
        m.receiveCount += 1;
        m.invisibleUntil = now + visibilityMs;
        m.receiptHandle = randomUUID();
      }
      const Messages = visible.map((m) => ({
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        MD5OfBody: md5(m.body),
        Body: m.body,
        ...(wanted.length && Object.keys(m.attributes).length
          ? { MessageAttributes: Object.fromEntries(Object.entries(m.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])) }
          : {}),
      }));
      return { status: 200, body: Messages.length ? { Messages } : {} };
    },
    ChangeMessageVisibility(input) {
      const message = queue.find((m) => m.receiptHandle === input.ReceiptHandle);
      if (!message) return { status: 400, body: { __type: 'com.amazonaws.sqs#ReceiptHandleIsInvalid', message: 'The input receipt handle is invalid.' } };
      message.invisibleUntil = Date.now() + Number(input.VisibilityTimeout) * 1000;
      return { status: 200, body: {} };
    },
    DeleteMessage(input) {
      const index = queue.findIndex((m) => m.receiptHandle === input.ReceiptHandle);
      if (index < 0) return { status: 400, body: { __type: 'com.amazonaws.sqs#ReceiptHandleIsInvalid', message: 'The input receipt handle is invalid.' } };
      queue.splice(index, 1);
      return { status: 200, body: {} };
    },
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      requests.push({ action, input });
      const handler = actions[action];
      const { status, body } = handler
        ? handler(input)
        : { status: 400, body: { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: `${action} is not faked` } };
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    queueUrl: `${endpoint}/123456789012/ses-events-dlq`,
    send(body, attributes = {}) {
      const messageId = randomUUID();
      queue.push({ messageId, body, attributes, receiveCount: 0 });
      return messageId;
    },
    messages: () => queue.map((m) => ({ ...m })),
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        queue = [];
        server.close(() => resolve());
      }),
  };
}
