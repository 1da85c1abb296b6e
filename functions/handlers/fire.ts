/** Lambda entry that EventBridge Scheduler invokes with a touch's payload at its due time. */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { loadSecret, sesMessageIdDomain } from '../adapters/secrets.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { EndUserMessagingSms } from '../adapters/sms-sender.js';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { LinkSigner } from '../app/links.js';
import { composeApp } from '../app/compose.js';
import { optionalEnv, requireEnv } from '../config.js';
import { policyFromJson } from '../core/policy.js';
import { systemClock } from '../ports.js';

const logger = new Logger({ serviceName: 'followthrough' });
const smsFrom = optionalEnv('SMS_ORIGINATION_IDENTITY');

const app = composeApp({
  store: new DynamoStore({ client: new DynamoDBClient({}), tableName: requireEnv('TABLE_NAME') }),
  scheduler: { create: () => Promise.reject(new Error('fire does not schedule')), delete: () => Promise.resolve() },
  mailer: new SesMailer({ client: new SESv2Client({}), configurationSetName: optionalEnv('SES_CONFIGURATION_SET') }),
  // Without an origination identity, SMS reps get their reminders by email (recorded on the touch).
  sms: smsFrom
    ? new EndUserMessagingSms({ client: new PinpointSMSVoiceV2Client({}), originationIdentity: smsFrom, configurationSetName: optionalEnv('SMS_CONFIGURATION_SET') })
    : undefined,
  clock: systemClock,
  policy: policyFromJson(optionalEnv('CADENCE_POLICY')),
  senderEmail: requireEnv('SENDER_EMAIL'),
  signer: new LinkSigner(await loadSecret(requireEnv('LINK_SECRET_ARN'))),
  publicApiUrl: requireEnv('PUBLIC_API_URL'),
  unsubscribeMailto: optionalEnv('UNSUBSCRIBE_MAILTO'),
  messageIdDomain: optionalEnv('SES_MESSAGE_ID_DOMAIN') ?? sesMessageIdDomain(),
  logger,
});

export const handler = async (event: unknown) => {
  const result = await app.firer.fire(event);
  logger.info('fired', { ...result });
  return result;
};
