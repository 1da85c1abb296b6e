/** Lambda entry for the HTTP API: every route but those that render templates (see render.ts). */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoStore, powertoolsLogger, signedLinks, touchScheduler } from '../adapters/aws-ports.js';
import { apiUseCases } from '../compose.js';
import { apiRoutes } from '../http/api-routes.js';
import type { HttpEvent } from '../http/router.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { loadSettings, type Env } from '../settings.js';

/** The entry from an environment; the local runtime calls it with its own clock. */
export function createHandler(env: Env = process.env, clock: Clock = systemClock) {
  const settings = loadSettings(env, 'api');
  const logger = powertoolsLogger();
  const useCases = apiUseCases(settings, { store: dynamoStore(settings), scheduler: touchScheduler(settings, clock), links: signedLinks(settings), clock, logger });
  const router = apiRoutes(useCases, logger);
  return (event: APIGatewayProxyEventV2) => router.handle(event as HttpEvent);
}

export const handler = createHandler();
