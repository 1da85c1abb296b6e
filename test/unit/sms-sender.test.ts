import { PinpointSMSVoiceV2Client, SendTextMessageCommand, ValidationException } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EndUserMessagingSms } from '../../functions/adapters/sms-sender.js';

// Limits from the SendTextMessage API reference (AWS End User Messaging SMS, API v2).
const E164 = /^\+[1-9][0-9]{1,18}$/;
const IDENTITY = /^[A-Za-z0-9_:/+-]{1,256}$/;

describe('EndUserMessagingSms', () => {
  const mock = mockClient(PinpointSMSVoiceV2Client);
  beforeEach(() => mock.reset());

  it('sends one transactional text from the origination identity, with the touch as context', async () => {
    mock.on(SendTextMessageCommand).resolves({ MessageId: 'msg-1' });
    const sms = new EndUserMessagingSms({
      client: new PinpointSMSVoiceV2Client({ region: 'us-east-1' }),
      originationIdentity: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-abc',
      configurationSetName: 'followthrough',
    });

    const out = await sms.send({ to: '+15551230000', body: 'Call Dana Buyer now at 4:00 PM EST.', context: { touch: '01ABC' } });

    expect(out).toEqual({ messageId: 'msg-1' });
    const calls = mock.commandCalls(SendTextMessageCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input).toEqual({
      DestinationPhoneNumber: '+15551230000',
      OriginationIdentity: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-abc',
      MessageBody: 'Call Dana Buyer now at 4:00 PM EST.',
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: 'followthrough',
      TimeToLive: 900,
      Context: { touch: '01ABC' },
    });
    expect(input.DestinationPhoneNumber).toMatch(E164);
    expect(input.OriginationIdentity).toMatch(IDENTITY);
    expect(input.MessageBody!.length).toBeGreaterThan(0);
    expect(input.MessageBody!.length).toBeLessThanOrEqual(1600);
    expect(input.TimeToLive).toBeGreaterThanOrEqual(5);
    expect(input.TimeToLive).toBeLessThanOrEqual(259200);
    expect(Object.keys(input.Context!).length).toBeLessThanOrEqual(5);
  });

  it('leaves out what is not configured', async () => {
    mock.on(SendTextMessageCommand).resolves({ MessageId: 'msg-2' });
    const sms = new EndUserMessagingSms({ client: new PinpointSMSVoiceV2Client({ region: 'us-east-1' }), originationIdentity: 'pool-123' });
    await sms.send({ to: '+447700900123', body: 'x' });
    const input = mock.commandCalls(SendTextMessageCommand)[0]!.args[0].input;
    expect(input).not.toHaveProperty('ConfigurationSetName');
    expect(input).not.toHaveProperty('Context');
  });

  it('passes service errors up, so the caller can fall back to email', async () => {
    mock.on(SendTextMessageCommand).rejects(new ValidationException({ message: 'bad number', $metadata: {}, Reason: 'INVALID_PARAMETER' } as never));
    const sms = new EndUserMessagingSms({ client: new PinpointSMSVoiceV2Client({ region: 'us-east-1' }), originationIdentity: 'pool-123' });
    await expect(sms.send({ to: '+15551230000', body: 'x' })).rejects.toThrow(ValidationException);
  });

  it('refuses an answer without a MessageId', async () => {
    mock.on(SendTextMessageCommand).resolves({});
    const sms = new EndUserMessagingSms({ client: new PinpointSMSVoiceV2Client({ region: 'us-east-1' }), originationIdentity: 'pool-123' });
    await expect(sms.send({ to: '+15551230000', body: 'x' })).rejects.toThrow(/MessageId/);
  });
});
