/** Lambda entry for the HTTP API. Clients and settings are made once per cold start. */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { EventBridgeTouchScheduler } from '../adapters/eventbridge-scheduler.js';
import { loadSecret } from '../adapters/secrets.js';
import { LinkSigner } from '../app/links.js';
import { composeApp } from '../app/compose.js';
import type { HttpEvent } from '../app/http.js';
import { numberEnv, optionalEnv, requireEnv } from '../config.js';
import { policyFromJson } from '../core/policy.js';
import { systemClock } from '../ports.js';

const logger = new Logger({ serviceName: 'followthrough' });
const policy = policyFromJson(optionalEnv('CADENCE_POLICY'), { resendLeadMinutes: numberEnv('RESEND_LEAD_MINUTES', 10) });

const app = composeApp({
  store: new DynamoStore({ client: new DynamoDBClient({}), tableName: requireEnv('TABLE_NAME') }),
  scheduler: new EventBridgeTouchScheduler({
    client: new SchedulerClient({}),
    groupName: requireEnv('SCHEDULE_GROUP'),
    targetArn: requireEnv('FIRE_FUNCTION_ARN'),
    roleArn: requireEnv('SCHEDULER_ROLE_ARN'),
    deadLetterArn: requireEnv('SCHEDULE_DLQ_ARN'),
  }),
  // The API never sends mail itself; firing does.
  mailer: { send: () => Promise.reject(new Error('the api function does not send mail')) },
  clock: systemClock,
  policy,
  senderEmail: optionalEnv('SENDER_EMAIL') ?? 'unused@example.com',
  signer: new LinkSigner(await loadSecret(requireEnv('LINK_SECRET_ARN'))),
  logger,
});

export const handler = async (event: APIGatewayProxyEventV2) => app.api.handle(event as HttpEvent);
