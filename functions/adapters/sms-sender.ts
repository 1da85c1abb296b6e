/**
 * SmsSender on AWS End User Messaging SMS (pinpoint-sms-voice-v2 SendTextMessage).
 */
import { SendTextMessageCommand, type PinpointSMSVoiceV2Client, type SendTextMessageCommandInput } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { OutgoingSms, SmsSender } from '../ports/sms.js';

export interface EndUserMessagingSmsOptions {
  client: PinpointSMSVoiceV2Client;
  /** Phone number, pool or sender id (or its ARN) the reminders are sent from. */
  originationIdentity: string;
  configurationSetName?: string;
  /** A reminder is worth nothing after its minute has long passed: give up after this long. */
  timeToLiveSeconds?: number;
}

export function textMessageRequest(sms: OutgoingSms, options: EndUserMessagingSmsOptions, context?: Record<string, string>): SendTextMessageCommandInput {
  return {
    DestinationPhoneNumber: sms.to,
    OriginationIdentity: options.originationIdentity,
    MessageBody: sms.body,
    // Reminders are time-sensitive and expected by the rep: transactional, not promotional.
    MessageType: 'TRANSACTIONAL',
    ...(options.configurationSetName ? { ConfigurationSetName: options.configurationSetName } : {}),
    TimeToLive: options.timeToLiveSeconds ?? 15 * 60,
    ...(context && Object.keys(context).length ? { Context: context } : {}),
  };
}

export class EndUserMessagingSms implements SmsSender {
  constructor(private readonly options: EndUserMessagingSmsOptions) {}

  async send(sms: OutgoingSms, options: { signal?: AbortSignal } = {}): Promise<{ messageId: string }> {
    const out = await this.options.client.send(new SendTextMessageCommand(textMessageRequest(sms, this.options, sms.context)), { abortSignal: options.signal });
    if (!out.MessageId) throw new Error('SendTextMessage answered without a MessageId');
    return { messageId: out.MessageId };
  }
}
