/** Lambda entry for SES bounce and complaint events delivered by EventBridge. */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { eventBridgeSchedulerFromEnv } from '../adapters/eventbridge-scheduler.js';
import { makePlanner } from '../app/parts.js';
import { makeService } from '../app/service.js';
import { SesEventHandler } from '../app/ses-events.js';
import { optionalEnv, requireEnv } from '../config.js';
import { policyFromJson } from '../core/policy.js';
import { systemClock } from '../ports.js';

const logger = new Logger({ serviceName: 'followthrough' });
const store = new DynamoStore({ client: new DynamoDBClient({}), tableName: requireEnv('TABLE_NAME') });
const service = makeService(
  {
    store,
    // The rep's notice is a touch like any other: scheduled now, sent by the fire function.
    scheduler: eventBridgeSchedulerFromEnv(new SchedulerClient({}), (name) => requireEnv(name)),
    clock: systemClock,
    logger,
  },
  makePlanner(policyFromJson(optionalEnv('CADENCE_POLICY'))),
);
const events = new SesEventHandler({ store, service, logger, now: () => systemClock.now() });

export const handler = async (event: unknown) => events.handle(event);
