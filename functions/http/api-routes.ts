/**
 * The routes of the public API (shared/API.md) that the api function serves: zod parses in, the
 * use case decides, present() shapes the answer.
 */
import type { ApiUseCases } from '../compose.js';
import { CallInput, idSchema, ProspectInput, ProspectPatch, RepInput, TouchPatch } from '../core/schemas.js';
import type { Logger } from '../ports/logger.js';
import { openApiDocument } from './openapi.js';
import {
  presentBundle,
  presentFollowups,
  presentPromisesReport,
  presentProspect,
  presentRecordedCall,
  presentRep,
  presentScriptsReport,
  presentTouch,
  presentUnsubscribed,
} from './present.js';
import type { Health } from './responses.js';
import { byline, escapeHtml, htmlPage, wantsJson } from './public-pages.js';
import { FollowupsQuery, IdempotencyKey, PromisesReportQuery, ProspectSearchQuery, ScriptsReportQuery, TokenQuery } from './queries.js';
import { errorBody, json, Router, type RequestContext } from './router.js';
import { parse } from './validate.js';

const id = (ctx: RequestContext, name = 'id') => parse(idSchema, ctx.params[name], `The ${name} in the path`, name);

export function apiRoutes(useCases: ApiUseCases, logger?: Logger): Router {
  const u = useCases;
  const router = new Router(logger);
  router
    .on('GET', '/v1/health', async () => ({ body: { ok: true } satisfies Health }))
    .on('PUT', '/v1/reps/me', async (c) => ({ body: presentRep(await u.saveRep(c.repId(), parse(RepInput, c.json()))) }))
    .on('GET', '/v1/reps/me', async (c) => ({ body: presentRep(await u.readRep(c.repId())) }))
    .on('GET', '/v1/prospects', async (c) => {
      const repId = c.repId();
      const { q } = parse(ProspectSearchQuery, c.query, 'The query');
      return { body: { prospects: (await u.searchProspects(repId, q)).map(presentProspect) } };
    })
    .on('POST', '/v1/prospects', async (c) => ({ status: 201, body: presentProspect(await u.createProspect(c.repId(), parse(ProspectInput, c.json()))) }))
    .on('GET', '/v1/prospects/{id}', async (c) => ({ body: presentBundle(await u.readProspect(c.repId(), id(c))) }))
    .on('PATCH', '/v1/prospects/{id}', async (c) => ({ body: presentProspect(await u.updateProspect(c.repId(), id(c), parse(ProspectPatch, c.json()))) }))
    .on('POST', '/v1/prospects/{id}/calls', async (c) => {
      const repId = c.repId();
      const key = c.header('idempotency-key');
      const input = {
        repId,
        prospectId: id(c),
        call: parse(CallInput, c.json()),
        ...(key !== undefined ? { idempotencyKey: parse(IdempotencyKey, key, 'The Idempotency-Key header', 'Idempotency-Key') } : {}),
      };
      return { status: 201, body: presentRecordedCall(await u.recordCall(input)) };
    })
    .on('GET', '/v1/followups', async (c) => {
      const repId = c.repId();
      return { body: presentFollowups(await u.listFollowups(repId, parse(FollowupsQuery, c.query, 'The query'))) };
    })
    .on('PATCH', '/v1/touches/{id}', async (c) => ({ body: presentTouch(await u.rescheduleTouch(c.repId(), id(c), parse(TouchPatch, c.json()).dueAt)) }))
    .on('DELETE', '/v1/touches/{id}', async (c) => ({ body: presentTouch(await u.cancelTouch(c.repId(), id(c))) }))
    .on('GET', '/v1/reports/promises', async (c) => {
      const repId = c.repId();
      return { body: presentPromisesReport(await u.reportPromises(repId, parse(PromisesReportQuery, c.query, 'The query'))) };
    })
    .on('GET', '/v1/reports/scripts', async (c) => ({ body: presentScriptsReport(await u.reportScripts(c.repId(), parse(ScriptsReportQuery, c.query, 'The query'))) }))
    .on('POST', '/v1/touches/{id}/retry', async (c) => ({ body: presentTouch(await u.retryTouch(c.repId(), id(c))) }))
    .on('GET', '/v1/openapi.json', async (c) => {
      c.repId();
      return { body: openApiDocument() };
    });

  // One-click unsubscribe (RFC 8058): POST unsubscribes at once; GET shows a page with a button
  // that posts the same one-click form to the same address. The token is verified before anything
  // is read or changed; the body is not required, so a client that drops it still unsubscribes.
  const invalid = (c: RequestContext) =>
    wantsJson(c)
      ? json(400, errorBody('invalid_token', 'This unsubscribe link is not valid: use the link from the email as it was sent'))
      : htmlPage(400, {
          title: 'This link is not valid',
          body: '<p>Use the unsubscribe link from the email exactly as it was sent, or reply to the email and ask to be removed.</p>',
        });
  const token = (c: RequestContext) => parse(TokenQuery, { token: c.query.token ?? '' }, 'The query').token;
  router.on('GET', '/v1/unsubscribe', async (c) => {
    const checked = await u.checkUnsubscribe(token(c));
    if (!checked.valid) return invalid(c);
    const sender = byline(checked.sender);
    return htmlPage(200, {
      title: 'Unsubscribe',
      body: `<p>Stop emails to <strong>${escapeHtml(checked.claim.email)}</strong>${sender ? ` from ${escapeHtml(sender)}` : ''} about your conversations?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
      ...(sender ? { sender } : {}),
    });
  });
  router.on('POST', '/v1/unsubscribe', async (c) => {
    const done = await u.unsubscribe(token(c));
    if (!done.valid) return invalid(c);
    if (wantsJson(c)) return json(200, presentUnsubscribed(done.claim.email, done.result?.changed ?? false));
    const sender = byline(done.sender);
    return htmlPage(200, {
      title: 'You are unsubscribed',
      body: `<p>No more emails${sender ? ` from ${escapeHtml(sender)}` : ''} will go to <strong>${escapeHtml(done.claim.email)}</strong>.</p>`,
      ...(sender ? { sender } : {}),
    });
  });
  return router;
}
