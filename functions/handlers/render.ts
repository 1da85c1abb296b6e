/**
 * Lambda entry for the routes that render templates: previews, the call-prep sheet behind an SMS link,
 * and the rep console at /app. Apart from the api function so that one stays small and quick to start.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { dynamoStore, powertoolsLogger, signedLinks } from '../adapters/aws-ports.js';
import { renderUseCases } from '../compose.js';
import { templateLibrary } from '../core/templates.js';
import { renderRoutes } from '../http/render-routes.js';
import type { HttpEvent } from '../http/router.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { loadSettings, type Env } from '../settings.js';

export function createHandler(env: Env = process.env, clock: Clock = systemClock) {
  const settings = loadSettings(env, 'render');
  const useCases = renderUseCases(settings, { store: dynamoStore(settings), links: signedLinks(settings), clock, library: templateLibrary() });
  const router = renderRoutes(useCases, powertoolsLogger(), { console: settings.console });
  return (event: APIGatewayProxyEventV2) => router.handle(event as HttpEvent);
}

export const handler = createHandler();
