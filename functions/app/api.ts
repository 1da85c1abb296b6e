/**
 * The routes of the public API (see shared/API.md), wired to the use cases.
 */
import { Router, type RouteHandler } from './http.js';
import type { SignerSource } from './links.js';
import { openApiDocument } from './openapi.js';
import type { FollowthroughService, Logger } from './service.js';
import { registerUnsubscribe } from './unsubscribe.js';

export interface ApiDeps {
  service: FollowthroughService;
  /** Verifies unsubscribe and sheet links; without it those routes are absent. */
  signer?: SignerSource;
  logger?: Logger;
  /** Extra routes (previews, unsubscribe, sheets, OpenAPI) register themselves here. */
  extend?: (router: Router) => void;
}

export function buildApi({ service, signer, logger, extend }: ApiDeps): Router {
  const router = new Router(logger);
  const health: RouteHandler = async () => ({ body: { ok: true } });
  router
    .on('GET', '/v1/health', health)
    .on('PUT', '/v1/reps/me', async (c) => ({ body: await service.putRep(c.repId(), c.json()) }))
    .on('GET', '/v1/reps/me', async (c) => ({ body: await service.getRep(c.repId()) }))
    .on('POST', '/v1/prospects', async (c) => ({ status: 201, body: await service.createProspect(c.repId(), c.json()) }))
    .on('GET', '/v1/prospects/{id}', async (c) => ({ body: await service.getProspect(c.repId(), c.params.id!) }))
    .on('PATCH', '/v1/prospects/{id}', async (c) => ({ body: await service.patchProspect(c.repId(), c.params.id!, c.json()) }))
    .on('POST', '/v1/prospects/{id}/calls', async (c) => {
      const repId = c.repId();
      return { status: 201, body: await service.postCall(repId, c.params.id!, c.json(), c.header('idempotency-key')) };
    })
    .on('GET', '/v1/followups', async (c) => ({ body: await service.listFollowups(c.repId(), c.query) }))
    .on('PATCH', '/v1/touches/{id}', async (c) => ({ body: await service.rescheduleTouch(c.repId(), c.params.id!, c.json()) }))
    .on('DELETE', '/v1/touches/{id}', async (c) => ({ body: await service.cancelTouch(c.repId(), c.params.id!) }))
    .on('GET', '/v1/openapi.json', async (c) => {
      c.repId();
      return { body: openApiDocument() };
    });
  if (signer) registerUnsubscribe(router, { signer, service });
  extend?.(router);
  return router;
}
