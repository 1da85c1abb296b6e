/**
 * In front of the local SES (aws-ses-v2-local, which keeps the inbox): what SES does around a send
 * that the inbox does not model. The SES v2 client talks to this endpoint; every request is passed
 * on unchanged, and after each SendEmail that names a configuration set this publishes the Send
 * event SES's event publishing would put on the EventBridge bus ("Email Sent", the SES event record
 * as detail, https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html),
 * carrying the Message-ID header `<MessageId@domain>` as the message went out. Tests can also make
 * sends to one address fail, as SES does under an outage or a throttle.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, WireResponse } from './wire.js';

export interface SesFrontOptions {
  /** The local SES endpoint that stores the mail. */
  upstream: string;
  clock: Clock;
  region: string;
  accountId: string;
  /** The domain of the Message-ID stamped on each message. */
  messageIdDomain: string;
  /** Where the events go (the EventBridge bus). */
  publish: (event: SesEventEnvelope) => Promise<void> | void;
  /**
   * Told of each SendEmail that names a configuration set before it is passed on (`begin`), and once
   * its Send event is published or the send refused (`end`): SES takes a message and publishes its
   * event as one step, which a kill of this process could otherwise split.
   */
  sends?: { begin(request: unknown): string; end(id: string): void };
}

export interface SesEventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: 'aws.ses';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

interface Failure {
  code: string;
  status: number;
  message: string;
}

const SEND_EMAIL = '/v2/email/outbound-emails';
/** Response headers the SDK reads besides the body: the error type and the request id. */
const PASSED_ON = ['x-amzn-errortype', 'x-amzn-requestid'] as const;
/** Headers that belong to one connection, not to the request passed on. */
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect']);

export class LocalSesFront {
  private readonly failing = new Map<string, Failure>();

  constructor(private readonly options: SesFrontOptions) {}

  /** Every SendEmail with `address` among its recipients answers this error until cleared. */
  failSendsTo(address: string, failure: Partial<Failure> = {}): void {
    this.failing.set(address.toLowerCase(), {
      code: failure.code ?? 'InternalFailure',
      status: failure.status ?? 500,
      message: failure.message ?? 'The request processing has failed because of an unknown error.',
    });
  }

  clearFailures(): void {
    this.failing.clear();
  }

  handles(path: string): boolean {
    return path.startsWith('/v2/email/');
  }

  /** Passes a request on with its headers (the local SES wants the SDK's Authorization, even a dummy one). */
  async handle(method: string, pathAndQuery: string, body: string, headers: Record<string, string | string[] | undefined>): Promise<WireResponse> {
    const isSend = method === 'POST' && pathAndQuery.split('?')[0] === SEND_EMAIL;
    const request = isSend ? parse(body) : undefined;
    if (request) {
      const to = recipients(request).map((a) => a.toLowerCase());
      const failure = to.map((a) => this.failing.get(a)).find(Boolean);
      if (failure) {
        return {
          status: failure.status,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': failure.code },
          body: JSON.stringify({ message: failure.message }),
        };
      }
    }
    const intent = request && typeof request.ConfigurationSetName === 'string' ? this.options.sends?.begin(request) : undefined;
    try {
      return await this.forward(method, pathAndQuery, body, headers, request);
    } finally {
      if (intent) this.options.sends?.end(intent);
    }
  }

  private async forward(method: string, pathAndQuery: string, body: string, headers: Record<string, string | string[] | undefined>, request: SendEmailBody | undefined): Promise<WireResponse> {
    const forwarded: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined || HOP_BY_HOP.has(name.toLowerCase())) continue;
      forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const res = await fetch(`${this.options.upstream}${pathAndQuery}`, {
      method,
      headers: forwarded,
      ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
    });
    const text = await res.text();
    // SES's own headers go on too: the error type is how the SDK tells MessageRejected from an outage.
    const passed: Record<string, string> = { 'content-type': res.headers.get('content-type') ?? 'application/json' };
    for (const name of PASSED_ON) {
      const value = res.headers.get(name);
      if (value !== null) passed[name] = value;
    }
    const answer: WireResponse = { status: res.status, headers: passed, body: text };
    if (request && res.ok && typeof request.ConfigurationSetName === 'string') {
      const messageId = (JSON.parse(text) as { MessageId?: string }).MessageId;
      if (messageId) await this.options.publish(this.sendEvent(request, messageId));
    }
    return answer;
  }

  /** The Send event SES publishes for this SendEmail request, once it took it as `messageId`. */
  sendEvent(request: SendEmailBody, messageId: string): SesEventEnvelope {
    const now = this.options.clock.now().toISOString();
    const to = recipients(request);
    const subject = request.Content?.Simple?.Subject?.Data ?? '';
    const stamped = `<${messageId}@${this.options.messageIdDomain}>`;
    const tags: Record<string, string[]> = { 'ses:configuration-set': [String(request.ConfigurationSetName)], 'ses:operation': ['SendEmail'] };
    for (const tag of request.EmailTags ?? []) tags[tag.Name] = [tag.Value];
    const from = request.FromEmailAddress ?? '';
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Email Sent',
      source: 'aws.ses',
      account: this.options.accountId,
      time: now,
      region: this.options.region,
      resources: [`arn:aws:ses:${this.options.region}:${this.options.accountId}:configuration-set/${request.ConfigurationSetName}`],
      detail: {
        eventType: 'Send',
        mail: {
          timestamp: now,
          source: from,
          sendingAccountId: this.options.accountId,
          messageId,
          destination: to,
          headersTruncated: false,
          headers: [
            { name: 'From', value: from },
            { name: 'To', value: to.join(', ') },
            { name: 'Subject', value: subject },
            { name: 'Message-ID', value: stamped },
            { name: 'MIME-Version', value: '1.0' },
            ...(request.Content?.Simple?.Headers ?? []).map((h) => ({ name: h.Name, value: h.Value })),
          ],
          commonHeaders: { from: [from], to, messageId: stamped, subject },
          tags,
        },
        send: {},
      },
    };
  }
}

export interface SendEmailBody {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  ConfigurationSetName?: unknown;
  EmailTags?: { Name: string; Value: string }[];
  Content?: { Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } }; Headers?: { Name: string; Value: string }[] } };
}

function parse(body: string): SendEmailBody | undefined {
  try {
    return JSON.parse(body) as SendEmailBody;
  } catch {
    return undefined;
  }
}

function recipients(request: SendEmailBody): string[] {
  const d = request.Destination ?? {};
  return [...(d.ToAddresses ?? []), ...(d.CcAddresses ?? []), ...(d.BccAddresses ?? [])];
}
