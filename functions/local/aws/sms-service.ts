/**
 * The local AWS End User Messaging SMS (pinpoint-sms-voice-v2, awsJson1_0, `X-Amz-Target:
 * PinpointSMSVoiceV2.<Operation>`): SendTextMessage into a durable outbox, and PutOptedOutNumber /
 * DeleteOptedOutNumber so a test can opt a destination out. Requests are checked against the
 * API reference (https://docs.aws.amazon.com/pinpoint/latest/apireference_smsvoicev2/API_SendTextMessage.html):
 * only DestinationPhoneNumber is required there, OriginationIdentity is optional (the service picks
 * one), MessageBody is 1-1600 characters, TimeToLive 5-259200 s, Context at most 5 pairs.
 *
 * Every origination identity here uses the opt-out list `Default`, as new phone numbers and pools
 * do unless given another. Sending to a number on it answers what the service's model says: a
 * ConflictException with Reason DESTINATION_PHONE_NUMBER_OPTED_OUT (a ConflictExceptionReason, not a
 * ValidationExceptionReason, in the SDK's enums).
 *
 * The outbox is kept under the data dir (a restart loses nothing) and readable as JSON or as a
 * small page for a browser.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { smsSegments } from '../../core/sms-text.js';
import { AwsServiceError, epochSeconds, JsonLinesFile, Violations, type Clock, type WireResponse } from './wire.js';

export interface SmsServiceOptions {
  clock: Clock;
  region: string;
  accountId: string;
  /** Outbox and opt-outs live under `<dataDir>/sms/`; absent keeps them in memory. */
  dataDir?: string;
}

export interface OutboxMessage {
  messageId: string;
  to: string;
  /** The OriginationIdentity asked for, when one was. */
  from?: string;
  body: string;
  sentAt: string;
  encoding: string;
  segments: number;
  messageType?: string;
  configurationSetName?: string;
  timeToLive?: number;
  context?: Record<string, string>;
}

type Json = Record<string, unknown>;
type OptOutEntry = { op: 'put' | 'del'; list: string; number: string; at: number };

const PHONE = /^\+?[1-9][0-9]{1,18}$/;
const E164 = /^\+[1-9]\d{1,14}$/;
const IDENTITY = /^[A-Za-z0-9_:/+-]+$/;
const RESOURCE_NAME = /^[A-Za-z0-9_:/-]+$/;
const DEFAULT_LIST = 'Default';

export class LocalSmsService {
  private readonly outbox: OutboxMessage[] = [];
  private readonly optOuts = new Map<string, number>();
  private readonly outboxFile?: JsonLinesFile<OutboxMessage>;
  private readonly optOutFile?: JsonLinesFile<OptOutEntry>;

  constructor(private readonly options: SmsServiceOptions) {
    if (options.dataDir) {
      this.outboxFile = new JsonLinesFile(join(options.dataDir, 'sms', 'outbox.jsonl'));
      this.optOutFile = new JsonLinesFile(join(options.dataDir, 'sms', 'opted-out.jsonl'));
      this.outbox.push(...this.outboxFile.read());
      for (const entry of this.optOutFile.read()) {
        if (entry.op === 'put') this.optOuts.set(entry.number, entry.at);
        else this.optOuts.delete(entry.number);
      }
    }
  }

  /** Runs one operation named by X-Amz-Target; throws the service's error. */
  handle(operation: string, body: Json): Json | undefined {
    switch (operation) {
      case 'SendTextMessage':
        return this.sendTextMessage(body);
      case 'PutOptedOutNumber':
        return this.putOptedOutNumber(body);
      case 'DeleteOptedOutNumber':
        return this.deleteOptedOutNumber(body);
      default:
        return undefined;
    }
  }

  sendTextMessage(body: Json): { MessageId: string } {
    const v = new Violations();
    if (v.required('DestinationPhoneNumber', body.DestinationPhoneNumber)) {
      v.string('DestinationPhoneNumber', body.DestinationPhoneNumber, { min: 1, max: 20, pattern: PHONE, patternText: '\\+?[1-9][0-9]{1,18}' });
    }
    v.string('OriginationIdentity', body.OriginationIdentity, { min: 1, max: 256, pattern: IDENTITY, patternText: '[A-Za-z0-9_:/\\+-]+' });
    v.string('MessageBody', body.MessageBody, { min: 1, max: 1600, pattern: /\S/, patternText: '(?!\\s*$)[\\s\\S]+' });
    v.oneOf('MessageType', body.MessageType, ['TRANSACTIONAL', 'PROMOTIONAL']);
    v.string('Keyword', body.Keyword, { min: 1, max: 30 });
    v.string('ConfigurationSetName', body.ConfigurationSetName, { min: 1, max: 256, pattern: RESOURCE_NAME });
    v.string('MaxPrice', body.MaxPrice, { min: 2, max: 8, pattern: /^[0-9]{0,2}\.[0-9]{1,5}$/ });
    v.integer('TimeToLive', body.TimeToLive, 5, 259_200);
    checkContext(v, body.Context);
    throwFieldErrors(v);

    const to = body.DestinationPhoneNumber as string;
    // The pattern lets through what E.164 does not (no plus, more than 15 digits).
    if (!E164.test(to)) throw fieldError('DestinationPhoneNumber', `${to} is not a phone number in E.164 format.`);
    if (typeof body.MessageBody !== 'string') {
      throw new AwsServiceError('ValidationException', 'A text message needs a MessageBody.', 400, { Reason: 'MISSING_PARAMETER', Fields: [{ Name: 'MessageBody', Message: 'Member must not be null' }] });
    }
    if (this.optOuts.has(to)) {
      throw new AwsServiceError('ConflictException', `The destination phone number ${to} is opted out.`, 400, {
        Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
        ResourceType: 'opted-out-number',
        ResourceId: to,
      });
    }
    const messageId = randomUUID();
    // DryRun: "the message is checked and validated, but isn't sent".
    if (body.DryRun === true) return { MessageId: messageId };
    const { encoding, segments } = smsSegments(body.MessageBody);
    const message: OutboxMessage = {
      messageId,
      to,
      ...(body.OriginationIdentity !== undefined ? { from: body.OriginationIdentity as string } : {}),
      body: body.MessageBody,
      sentAt: this.options.clock.now().toISOString(),
      encoding,
      segments,
      ...(body.MessageType !== undefined ? { messageType: body.MessageType as string } : {}),
      ...(body.ConfigurationSetName !== undefined ? { configurationSetName: body.ConfigurationSetName as string } : {}),
      ...(body.TimeToLive !== undefined ? { timeToLive: body.TimeToLive as number } : {}),
      ...(body.Context !== undefined ? { context: body.Context as Record<string, string> } : {}),
    };
    this.outbox.push(message);
    this.outboxFile?.append(message);
    return { MessageId: messageId };
  }

  putOptedOutNumber(body: Json): Json {
    const { list, number } = this.optOutRequest(body);
    const at = this.options.clock.now().getTime();
    this.optOuts.set(number, at);
    this.optOutFile?.append({ op: 'put', list, number, at });
    return this.optOutResult(list, number, at);
  }

  deleteOptedOutNumber(body: Json): Json {
    const { list, number } = this.optOutRequest(body);
    const at = this.optOuts.get(number);
    if (at === undefined) {
      throw new AwsServiceError('ResourceNotFoundException', `${number} is not in opt-out list ${list}.`, 400, { ResourceType: 'opted-out-number', ResourceId: number });
    }
    this.optOuts.delete(number);
    this.optOutFile?.append({ op: 'del', list, number, at: this.options.clock.now().getTime() });
    return this.optOutResult(list, number, at);
  }

  /** Messages sent, newest first. */
  messages(): OutboxMessage[] {
    return [...this.outbox].reverse();
  }

  /** Numbers on the Default opt-out list. */
  optedOutNumbers(): string[] {
    return [...this.optOuts.keys()];
  }

  /** The outbox: JSON for programs, a page for a browser (an Accept that names text/html). */
  outboxPage(accept: string | undefined): WireResponse {
    const messages = this.messages();
    if (!/text\/html/.test(accept ?? '')) {
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ messages }) };
    }
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const linkify = (s: string) => esc(s).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');
    const rows = messages
      .map(
        (m) => `<li style="margin:0 0 1rem;padding:.75rem 1rem;background:#f3f6fb;border-radius:12px;list-style:none">
<div style="color:#666;font-size:12px">${esc(m.sentAt)} &middot; to ${esc(m.to)}${m.from ? ` from ${esc(m.from)}` : ''} &middot; ${m.segments} ${esc(m.encoding)} segment${m.segments === 1 ? '' : 's'}</div>
<div style="white-space:pre-wrap;margin-top:.25rem">${linkify(m.body)}</div></li>`,
      )
      .join('\n');
    const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10"><title>SMS outbox</title></head>
<body style="font-family:Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222"><h1 style="font-size:1.3rem">SMS outbox (${messages.length})</h1>
<ul style="padding:0">${rows || '<li style="list-style:none;color:#666">No SMS yet. Reps with reminderChannel "sms" get their reminders here.</li>'}</ul></body></html>`;
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
  }

  private optOutRequest(body: Json): { list: string; number: string } {
    const v = new Violations();
    if (v.required('OptOutListName', body.OptOutListName)) v.string('OptOutListName', body.OptOutListName, { min: 1, max: 256, pattern: RESOURCE_NAME });
    if (v.required('OptedOutNumber', body.OptedOutNumber)) {
      v.string('OptedOutNumber', body.OptedOutNumber, { min: 1, max: 20, pattern: PHONE, patternText: '\\+?[1-9][0-9]{1,18}' });
    }
    throwFieldErrors(v);
    const asked = body.OptOutListName as string;
    // Either the list's name or its ARN.
    const list = asked.startsWith('arn:') ? asked.split('/').pop()! : asked;
    if (list !== DEFAULT_LIST || (asked.startsWith('arn:') && asked !== this.listArn(list))) {
      throw new AwsServiceError('ResourceNotFoundException', `Opt-out list ${asked} does not exist.`, 400, { ResourceType: 'opt-out-list', ResourceId: asked });
    }
    return { list, number: body.OptedOutNumber as string };
  }

  private optOutResult(list: string, number: string, at: number): Json {
    return { OptOutListArn: this.listArn(list), OptOutListName: list, OptedOutNumber: number, OptedOutTimestamp: epochSeconds(at), EndUserOptedOut: false };
  }

  private listArn(list: string): string {
    return `arn:aws:sms-voice:${this.options.region}:${this.options.accountId}:opt-out-list/${list}`;
  }
}

function checkContext(v: Violations, context: unknown): void {
  if (context === undefined || context === null) return;
  if (typeof context !== 'object' || Array.isArray(context)) return v.add('Context', context, 'Member must be a map');
  const entries = Object.entries(context as Record<string, unknown>);
  if (entries.length > 5) v.add('Context', context, 'Member must have length less than or equal to 5');
  for (const [key, value] of entries) {
    v.string(`Context.${key}`, key, { min: 1, max: 100, pattern: /^\S+$/, patternText: '\\S+' });
    v.string(`Context.${key}`, value, { min: 1, max: 800, pattern: /^(?!\s)[\s\S]+(?<!\s)$/, patternText: '(?!\\s)^[\\s\\S]+(?<!\\s)' });
  }
}

function throwFieldErrors(v: Violations): void {
  const message = v.message();
  if (message) throw new AwsServiceError('ValidationException', message, 400, { Reason: 'FIELD_VALIDATION_FAILED', Fields: v.fields() });
}

function fieldError(name: string, message: string): AwsServiceError {
  return new AwsServiceError('ValidationException', message, 400, { Reason: 'FIELD_VALIDATION_FAILED', Fields: [{ Name: name, Message: message }] });
}
