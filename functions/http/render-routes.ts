/**
 * The routes the render function serves: previews (signed in), the sheet behind an SMS link and the rep
 * console under /app (public: the page holds no rep data; its API calls carry the token).
 */
import type { RenderUseCases } from '../compose.js';
import { idSchema } from '../core/schemas.js';
import type { Logger } from '../ports/logger.js';
import type { ConsoleSignIn } from '../settings.js';
import { consoleResponse, type ConsoleConfig } from './console.js';
import { byline, htmlPage } from './public-pages.js';
import { PreviewQuery } from './queries.js';
import { Router, type RequestContext } from './router.js';
import { parse } from './validate.js';

/** What /app/config.json tells the page: Cognito comes back to this API's own /app/callback. */
export function consoleConfig(signIn: ConsoleSignIn | undefined, baseUrl: string): ConsoleConfig | undefined {
  if (!signIn) return undefined;
  if (signIn.signIn === 'local') return { signIn: 'local' };
  return { signIn: 'cognito', domain: signIn.domainUrl, clientId: signIn.clientId, redirectUri: `${baseUrl}/app/callback`, logoutUri: `${baseUrl}/app/` };
}

export function renderRoutes(useCases: RenderUseCases, logger?: Logger, options: { console?: ConsoleSignIn } = {}): Router {
  const router = new Router(logger);
  const app = async (c: RequestContext) => {
    const answer = consoleResponse(c.event.rawPath, consoleConfig(options.console, c.baseUrl()), { acceptEncoding: c.header('accept-encoding') });
    if (!answer) throw new Error(`consoleResponse refused ${c.event.rawPath}, a path its route gave it`);
    return { ...answer, isBase64Encoded: answer.isBase64Encoded ?? false };
  };
  router.on('GET', '/app', app).on('GET', '/app/{proxy+}', app);
  router.on('GET', '/v1/prospects/{id}/preview', async (c) => {
    const repId = c.repId();
    const { kind } = parse(PreviewQuery, c.query, 'The query');
    const preview = await useCases.renderPreview({ repId, prospectId: parse(idSchema, c.params.id, 'The id in the path'), kind, baseUrl: c.baseUrl() });
    const { kind: _kind, ...body } = preview;
    return { body };
  });
  router.on('GET', '/v1/sheets/{token}', async (c) => {
    const sheet = await useCases.openSheet(c.params.token!);
    if (!sheet.found) {
      return htmlPage(400, {
        title: 'This link has expired',
        body: '<p>Sheet links work for a week. Your reminders by email carry the same sheet, and the preview of a prospect in the <a href="/app/">console</a> renders it now.</p>',
      });
    }
    // The sheet is an email's body: its own document's inner part, with the inline styles email needs.
    const inner = /<body[^>]*>([\s\S]*)<\/body>/i.exec(sheet.html)?.[1] ?? sheet.html;
    return htmlPage(200, { title: sheet.title, body: inner, preparedFor: byline(sheet.rep)! }, { emailHtml: true, headers: { 'x-robots-tag': 'noindex' } });
  });
  return router;
}
