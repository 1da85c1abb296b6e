/** Lambda entry for the HTTP API. Clients and settings are made once per cold start. */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { eventBridgeSchedulerFromEnv } from '../adapters/eventbridge-scheduler.js';
import { loadSecret } from '../adapters/secrets.js';
import { buildApi } from '../app/api.js';
import type { HttpEvent } from '../app/http.js';
import { signerSource } from '../app/links.js';
import { makePlanner } from '../app/parts.js';
import { makeService } from '../app/service.js';
import { numberEnv, optionalEnv, requireEnv } from '../config.js';
import { policyFromJson } from '../core/policy.js';
import { systemClock } from '../ports.js';

const logger = new Logger({ serviceName: 'followthrough' });
const planner = makePlanner(policyFromJson(optionalEnv('CADENCE_POLICY'), { resendLeadMinutes: numberEnv('RESEND_LEAD_MINUTES', 10) }));
const service = makeService(
  {
    store: new DynamoStore({ client: new DynamoDBClient({}), tableName: requireEnv('TABLE_NAME') }),
    scheduler: eventBridgeSchedulerFromEnv(new SchedulerClient({}), (name) => requireEnv(name)),
    clock: systemClock,
    logger,
  },
  planner,
);
// The link secret is fetched while the function starts and awaited only by the routes that need it.
// Previews and sheets render templates: the render function serves them (see handlers/render.ts).
const router = buildApi({ service, signer: signerSource(loadSecret(requireEnv('LINK_SECRET_ARN'))), logger });

export const handler = async (event: APIGatewayProxyEventV2) => router.handle(event as HttpEvent);
