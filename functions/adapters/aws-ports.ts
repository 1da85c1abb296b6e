/**
 * The ports on AWS, built from settings: SDK v3 clients made once per cold start, each wrapped in
 * its adapter. One function per port, so a handler's bundle carries only the clients it uses.
 * Every client finds its endpoint the standard way (AWS_ENDPOINT_URL_<SERVICE>, else the region's),
 * which is how the local runtime points the same code at its local services.
 */
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { SmsSender } from '../ports/sms.js';
import type { ScheduleSettings, Settings } from '../settings.js';
import { DynamoStore } from './dynamo-store.js';
import { EventBridgeTouchScheduler } from './eventbridge-scheduler.js';
import { SecretsManagerSecret } from './secrets-manager.js';
import { SesMailer } from './ses-mailer.js';
import { SignedLinks } from './signed-links.js';
import { EndUserMessagingSms } from './sms-sender.js';

export function dynamoStore(settings: Settings): DynamoStore {
  return new DynamoStore({ client: new DynamoDBClient({ region: settings.region }), tableName: settings.tableName });
}

/** The clock decides how far ahead a schedule for "now" is set (Scheduler takes only future times). */
export function touchScheduler(settings: Settings & { schedules: ScheduleSettings }, clock: Clock): EventBridgeTouchScheduler {
  const { group, targetArn, roleArn, deadLetterArn } = settings.schedules;
  return new EventBridgeTouchScheduler({
    client: new SchedulerClient({ region: settings.region }),
    groupName: group,
    targetArn,
    roleArn,
    deadLetterArn,
    now: () => clock.now(),
  });
}

/**
 * Each send attempt is cut off (the SDK retries within the fire path's own cut-off, 15 s after its
 * claim: use-cases/fire-touch.ts). The connection gets 10 s: a burst of sends from one process (the
 * local runtime) can take seconds to connect.
 */
const SEND_TIMEOUTS = { connectionTimeout: 10_000, requestTimeout: 10_000 };

export function sesMailer(settings: Settings & { mail: NonNullable<Settings['mail']> }): SesMailer {
  return new SesMailer({ client: new SESv2Client({ region: settings.region, requestHandler: SEND_TIMEOUTS }), configurationSetName: settings.mail.configurationSet });
}

/** Without an origination identity there is no SMS: SMS reps get their reminders by email. */
export function smsSender(settings: Settings): SmsSender | undefined {
  if (!settings.sms) return undefined;
  return new EndUserMessagingSms({
    client: new PinpointSMSVoiceV2Client({ region: settings.region, requestHandler: SEND_TIMEOUTS }),
    originationIdentity: settings.sms.originationIdentity,
    configurationSetName: settings.sms.configurationSet,
  });
}

export function signedLinks(settings: Settings & { linkSecretArn: string }): SignedLinks {
  const secret = new SecretsManagerSecret(new SecretsManagerClient({ region: settings.region }), settings.linkSecretArn);
  return new SignedLinks(secret, settings.publicApiUrl);
}

export function powertoolsLogger(): Logger {
  return new PowertoolsLogger({ serviceName: 'followthrough' });
}
