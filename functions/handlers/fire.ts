/** Lambda entry that EventBridge Scheduler invokes with a touch's payload at its due time. */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { loadSecret, sesMessageIdDomain } from '../adapters/secrets.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { EndUserMessagingSms } from '../adapters/sms-sender.js';
import { TouchFirer } from '../app/fire.js';
import { LinkSigner } from '../app/links.js';
import { makeLinks, makePlanner } from '../app/parts.js';
import { optionalEnv, requireEnv } from '../config.js';
import { policyFromJson } from '../core/policy.js';
import { templateLibrary } from '../core/templates.js';
import { systemClock } from '../ports.js';

const logger = new Logger({ serviceName: 'followthrough' });
const smsFrom = optionalEnv('SMS_ORIGINATION_IDENTITY');

const firer = new TouchFirer({
  store: new DynamoStore({ client: new DynamoDBClient({}), tableName: requireEnv('TABLE_NAME') }),
  mailer: new SesMailer({ client: new SESv2Client({}), configurationSetName: optionalEnv('SES_CONFIGURATION_SET') }),
  // Without an origination identity, SMS reps get their reminders by email (recorded on the touch).
  sms: smsFrom
    ? new EndUserMessagingSms({ client: new PinpointSMSVoiceV2Client({}), originationIdentity: smsFrom, configurationSetName: optionalEnv('SMS_CONFIGURATION_SET') })
    : undefined,
  clock: systemClock,
  library: templateLibrary(),
  senderEmail: requireEnv('SENDER_EMAIL'),
  planner: makePlanner(policyFromJson(optionalEnv('CADENCE_POLICY'))),
  links: makeLinks(new LinkSigner(await loadSecret(requireEnv('LINK_SECRET_ARN'))), requireEnv('PUBLIC_API_URL')),
  unsubscribeMailto: optionalEnv('UNSUBSCRIBE_MAILTO'),
  messageIdDomain: optionalEnv('SES_MESSAGE_ID_DOMAIN') ?? sesMessageIdDomain(),
  logger,
});

export const handler = async (event: unknown) => {
  const result = await firer.fire(event);
  logger.info('fired', { ...result });
  return result;
};
