/** Lambda entry that EventBridge Scheduler invokes with a touch's payload at its due time. */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { loadSecret, sesMessageIdDomain } from '../adapters/secrets.js';
import { SesMailer } from '../adapters/ses-mailer.js';
import { EndUserMessagingSms } from '../adapters/sms-sender.js';
import { TouchFirer, type FireDeps } from '../app/fire.js';
import { signerSource } from '../app/links.js';
import { makeLinks, makePlanner } from '../app/parts.js';
import { optionalEnv, requireEnv } from '../config.js';
import { policyFromJson } from '../core/policy.js';
import { templateLibrary } from '../core/templates.js';
import { systemClock } from '../ports.js';

const logger = new Logger({ serviceName: 'followthrough' });
const smsFrom = optionalEnv('SMS_ORIGINATION_IDENTITY');
const publicApiUrl = requireEnv('PUBLIC_API_URL');

const deps: Omit<FireDeps, 'links'> = {
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
  unsubscribeMailto: optionalEnv('UNSUBSCRIBE_MAILTO'),
  messageIdDomain: optionalEnv('SES_MESSAGE_ID_DOMAIN') ?? sesMessageIdDomain(),
  logger,
};
// The link secret is fetched while the function starts and awaited by the first invocation.
const signer = signerSource(loadSecret(requireEnv('LINK_SECRET_ARN')));
let firer: TouchFirer | undefined;

export const handler = async (event: unknown) => {
  firer ??= new TouchFirer({ ...deps, links: makeLinks(await signer(), publicApiUrl) });
  const result = await firer.fire(event);
  logger.info('fired', { ...result });
  return result;
};
