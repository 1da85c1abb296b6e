/**
 * Lambda entry for the routes that render templates: previews and the call-prep sheet behind
 * an SMS link. Apart from the api function so that one stays small and quick to start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DynamoStore } from '../adapters/dynamo-store.js';
import { loadSecret } from '../adapters/secrets.js';
import { Router, type HttpEvent } from '../app/http.js';
import { signerSource } from '../app/links.js';
import { makePlanner } from '../app/parts.js';
import { registerPreviews } from '../app/previews.js';
import { optionalEnv, requireEnv } from '../config.js';
import { policyFromJson } from '../core/policy.js';
import { templateLibrary } from '../core/templates.js';
import { systemClock } from '../ports.js';

const logger = new Logger({ serviceName: 'followthrough' });
const router = new Router(logger);
registerPreviews(router, {
  store: new DynamoStore({ client: new DynamoDBClient({}), tableName: requireEnv('TABLE_NAME') }),
  library: templateLibrary(),
  planner: makePlanner(policyFromJson(optionalEnv('CADENCE_POLICY'))),
  clock: systemClock,
  // Fetched while the function starts, awaited on first use.
  signer: signerSource(loadSecret(requireEnv('LINK_SECRET_ARN'))),
});

export const handler = async (event: APIGatewayProxyEventV2) => router.handle(event as HttpEvent);
