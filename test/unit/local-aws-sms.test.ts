import {
  DeleteOptedOutNumberCommand,
  PinpointSMSVoiceV2Client,
  PutOptedOutNumberCommand,
  SendTextMessageCommand,
  type SendTextMessageCommandInput,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalAws, type LocalAws } from '../../functions/local/aws/server.js';
import { FakeClock } from '../support/clock.js';
import { rejection } from '../support/sdk-errors.js';

const START = '2026-03-10T14:00:00Z';
const REP = '+12065550100';

function reminder(extra: Partial<SendTextMessageCommandInput> = {}): SendTextMessageCommandInput {
  return {
    DestinationPhoneNumber: REP,
    OriginationIdentity: '+18885550123',
    MessageBody: 'Call Dana Reyes at 2:30 PM: https://example.com/s/abc',
    MessageType: 'TRANSACTIONAL',
    TimeToLive: 900,
    Context: { touchId: 'touch-1' },
    ...extra,
  };
}

describe('local End User Messaging SMS, through @aws-sdk/client-pinpoint-sms-voice-v2', () => {
  let dir: string;
  let clock: FakeClock;
  let open: LocalAws[];
  let aws: LocalAws;
  let client: PinpointSMSVoiceV2Client;

  async function start(): Promise<LocalAws> {
    aws = await startLocalAws({ port: 0, dataDir: dir, clock, invoke: async () => {}, secrets: {}, scheduleGroups: [], accountId: '000000000000', region: 'us-east-1' });
    open.push(aws);
    client?.destroy();
    client = new PinpointSMSVoiceV2Client({ endpoint: aws.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    return aws;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'followthrough-local-aws-'));
    clock = new FakeClock(START);
    open = [];
    await start();
  });

  afterEach(async () => {
    client.destroy();
    await Promise.all(open.map((a) => a.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('SendTextMessage', () => {
    it('puts the message in the outbox and answers its MessageId', async () => {
      // Act
      const out = await client.send(new SendTextMessageCommand(reminder()));

      // Assess
      expect(out.MessageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(aws.sms.messages()).toEqual([
        {
          messageId: out.MessageId,
          to: REP,
          from: '+18885550123',
          body: 'Call Dana Reyes at 2:30 PM: https://example.com/s/abc',
          sentAt: '2026-03-10T14:00:00.000Z',
          encoding: 'GSM-7',
          segments: 1,
          messageType: 'TRANSACTIONAL',
          timeToLive: 900,
          context: { touchId: 'touch-1' },
        },
      ]);
    });

    it('sends without an OriginationIdentity, which the API reference leaves optional', async () => {
      // Act
      await client.send(new SendTextMessageCommand({ DestinationPhoneNumber: REP, MessageBody: 'Hi' }));

      // Assess
      expect(aws.sms.messages()[0]).not.toHaveProperty('from');
    });

    it('checks a DryRun message without sending it', async () => {
      // Act
      const out = await client.send(new SendTextMessageCommand(reminder({ DryRun: true })));

      // Assess
      expect(out.MessageId).toBeTruthy();
      expect(aws.sms.messages()).toEqual([]);
    });

    const invalid: [string, Partial<SendTextMessageCommandInput>, string, RegExp][] = [
      ['a number outside the pattern', { DestinationPhoneNumber: '206-555-0100' }, 'DestinationPhoneNumber', /Member must satisfy regular expression pattern: \\\+\?\[1-9\]\[0-9\]\{1,18\}/],
      ['a number without its plus (not E.164)', { DestinationPhoneNumber: '12065550100' }, 'DestinationPhoneNumber', /not a phone number in E\.164 format/],
      ['a number of 16 digits', { DestinationPhoneNumber: '+1206555010012345' }, 'DestinationPhoneNumber', /E\.164/],
      ['a body over 1600 characters', { MessageBody: 'x'.repeat(1601) }, 'MessageBody', /Member must have length less than or equal to 1600/],
      ['a blank body', { MessageBody: '   ' }, 'MessageBody', /Member must satisfy regular expression pattern/],
      ['a TimeToLive under 5 s', { TimeToLive: 4 }, 'TimeToLive', /Member must have value greater than or equal to 5/],
      ['a TimeToLive over 72 h', { TimeToLive: 259_201 }, 'TimeToLive', /Member must have value less than or equal to 259200/],
      ['six Context pairs', { Context: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }, 'Context', /Member must have length less than or equal to 5/],
      ['a Context value ending in a space', { Context: { touchId: 'touch-1 ' } }, 'Context.touchId', /regular expression pattern/],
      ['an unknown MessageType', { MessageType: 'URGENT' as never }, 'MessageType', /Member must satisfy enum value set: \[TRANSACTIONAL, PROMOTIONAL\]/],
      ['an origination identity with a space', { OriginationIdentity: 'my number' }, 'OriginationIdentity', /regular expression pattern/],
    ];
    it.each(invalid)('refuses %s with ValidationException naming the field', async (_what, extra, field, message) => {
      // Act
      const error = await rejection(client.send(new SendTextMessageCommand(reminder(extra))));

      // Assess
      expect(error.name).toBe('ValidationException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.Reason).toBe('FIELD_VALIDATION_FAILED');
      expect(error.Fields?.map((f) => f.Name)).toContain(field);
      expect(error.message).toMatch(message);
      expect(aws.sms.messages()).toEqual([]);
    });

    it('refuses a text message without a body as a missing parameter', async () => {
      // Act
      const error = await rejection(client.send(new SendTextMessageCommand({ DestinationPhoneNumber: REP })));

      // Assess
      expect([error.name, error.Reason]).toEqual(['ValidationException', 'MISSING_PARAMETER']);
    });
  });

  describe('opted-out numbers', () => {
    it('refuses to send to an opted-out number with the reason the service gives', async () => {
      // Prepare
      const put = await client.send(new PutOptedOutNumberCommand({ OptOutListName: 'Default', OptedOutNumber: REP }));

      // Act
      const error = await rejection(client.send(new SendTextMessageCommand(reminder())));

      // Assess
      expect(put).toMatchObject({ OptOutListArn: 'arn:aws:sms-voice:us-east-1:000000000000:opt-out-list/Default', OptOutListName: 'Default', OptedOutNumber: REP, OptedOutTimestamp: new Date(START), EndUserOptedOut: false });
      expect(error).toMatchObject({ name: 'ConflictException', Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ResourceType: 'opted-out-number', ResourceId: REP });
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(aws.sms.messages()).toEqual([]);
    });

    it('sends again once the number is deleted from the list, named by its ARN', async () => {
      // Prepare
      await client.send(new PutOptedOutNumberCommand({ OptOutListName: 'Default', OptedOutNumber: REP }));

      // Act
      await client.send(new DeleteOptedOutNumberCommand({ OptOutListName: 'arn:aws:sms-voice:us-east-1:000000000000:opt-out-list/Default', OptedOutNumber: REP }));
      await client.send(new SendTextMessageCommand(reminder()));

      // Assess
      expect(aws.sms.messages()).toHaveLength(1);
      expect(aws.sms.optedOutNumbers()).toEqual([]);
    });

    it('answers ResourceNotFoundException for a list that does not exist and a number not on the list', async () => {
      // Act
      const noList = await rejection(client.send(new PutOptedOutNumberCommand({ OptOutListName: 'Marketing', OptedOutNumber: REP })));
      const notListed = await rejection(client.send(new DeleteOptedOutNumberCommand({ OptOutListName: 'Default', OptedOutNumber: REP })));

      // Assess
      expect(noList).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'opt-out-list', ResourceId: 'Marketing' });
      expect(notListed).toMatchObject({ name: 'ResourceNotFoundException', ResourceType: 'opted-out-number', ResourceId: REP });
    });
  });

  describe('durability and the outbox page', () => {
    it('keeps the outbox and the opt-outs across a restart, even after a torn last line', async () => {
      // Prepare
      await client.send(new SendTextMessageCommand(reminder({ MessageBody: 'first' })));
      await client.send(new PutOptedOutNumberCommand({ OptOutListName: 'Default', OptedOutNumber: '+12065550199' }));
      await aws.close();
      appendFileSync(join(dir, 'sms', 'outbox.jsonl'), '{"messageId":"torn","to":"+1206');

      // Act
      await start();
      await client.send(new SendTextMessageCommand(reminder({ MessageBody: 'second' })));
      await aws.close();
      await start();

      // Assess
      expect(aws.sms.messages().map((m) => m.body)).toEqual(['second', 'first']);
      expect(aws.sms.optedOutNumbers()).toEqual(['+12065550199']);
    });

    it('shows the outbox at GET /local/sms as JSON, and as a page for a browser', async () => {
      // Prepare
      await client.send(new SendTextMessageCommand(reminder({ MessageBody: 'Call <b>Dana</b> https://example.com/s/abc' })));

      // Act
      const json = await fetch(`${aws.endpoint}/local/sms`);
      const page = await fetch(`${aws.endpoint}/local/sms`, { headers: { accept: 'text/html' } });
      const html = await page.text();

      // Assess
      expect(((await json.json()) as { messages: { body: string }[] }).messages.map((m) => m.body)).toEqual(['Call <b>Dana</b> https://example.com/s/abc']);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(html).toContain('Call &#60;b&#62;Dana&#60;/b&#62;');
      expect(html).toContain('<a href="https://example.com/s/abc">');
    });
  });

  it('is reached through AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 by a client given no endpoint', async () => {
    // Prepare
    const before = process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
    process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = aws.endpoint;
    const fromEnv = new PinpointSMSVoiceV2Client({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

    // Act
    try {
      await fromEnv.send(new SendTextMessageCommand(reminder()));
    } finally {
      fromEnv.destroy();
      if (before === undefined) delete process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2;
      else process.env.AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2 = before;
    }

    // Assess
    expect(aws.sms.messages()).toHaveLength(1);
  });
});
