/**
 * The routes the render function serves: previews (signed in), the sheet behind an SMS link and the rep
 * console under /app (public: the page holds no rep data; its API calls carry the token).
 */
import type { RenderUseCases } from '../compose.js';
import { idSchema } from '../core/schemas.js';
import type { Logger } from '../ports/logger.js';
import type { ConsoleSignIn } from '../settings.js';
import { consoleResponse, type ConsoleConfig } from './console.js';
import { presentPreview } from './present.js';
import { byline, htmlPage, wantsJson } from './public-pages.js';
import { PreviewQuery } from './queries.js';
import { errorBody, json, Router, type RequestContext } from './router.js';
import { parse } from './validate.js';

/** What /app/config.json tells the page: Cognito comes back to this API's own /app/callback. */
export function consoleConfig(signIn: ConsoleSignIn | undefined, baseUrl: string): ConsoleConfig | undefined {
  if (!signIn) return undefined;
  if (signIn.signIn === 'local') return { signIn: 'local' };
  return { signIn: 'cognito', domain: signIn.domainUrl, clientId: signIn.clientId, redirectUri: `${baseUrl}/app/callback`, logoutUri: `${baseUrl}/app/` };
}

const ANOTHER_WAY = 'Your reminders by email carry the same sheet, and the preview of a prospect in the <a href="/app/">console</a> renders it now.';

/** A sheet link that opens nothing, by why: JSON in the error shape for a program, the page for a person. */
const SHEET_PROBLEMS = {
  invalid: {
    status: 400,
    code: 'invalid_link',
    message: 'This sheet link is not valid: open it from the reminder exactly as it was sent',
    title: 'This link is not valid',
    page: `<p>Part of the link may have been cut off or changed: open it again from the reminder. ${ANOTHER_WAY}</p>`,
  },
  expired: {
    status: 410,
    code: 'link_expired',
    message: 'This sheet link has expired (sheet links work for a week): the reminder email and the console preview carry the same sheet',
    title: 'This link has expired',
    page: `<p>Sheet links work for a week. ${ANOTHER_WAY}</p>`,
  },
  gone: {
    status: 404,
    code: 'not_found',
    message: 'The reminder behind this sheet link was not found',
    title: 'This sheet is gone',
    page: `<p>The reminder this link was made for is no longer there. ${ANOTHER_WAY}</p>`,
  },
} as const;

export function renderRoutes(useCases: RenderUseCases, logger?: Logger, options: { console?: ConsoleSignIn } = {}): Router {
  const router = new Router(logger);
  const app = async (c: RequestContext) => {
    const answer = consoleResponse(c.event.rawPath, consoleConfig(options.console, c.baseUrl()), { acceptEncoding: c.header('accept-encoding') });
    if (!answer) throw new Error(`consoleResponse refused ${c.event.rawPath}, a path its route gave it`);
    // The not-found page is for a person; a program asking for JSON gets the error shape.
    if (answer.statusCode === 404 && answer.headers['content-type']?.startsWith('text/html') && wantsJson(c)) {
      return json(404, errorBody('not_found', `There is nothing at ${c.event.rawPath}: take the console's asset names from the page at /app`));
    }
    return { ...answer, isBase64Encoded: answer.isBase64Encoded ?? false };
  };
  router.on('GET', '/app', app).on('GET', '/app/{proxy+}', app);
  router.on('GET', '/v1/prospects/{id}/preview', async (c) => {
    const repId = c.repId();
    const { kind } = parse(PreviewQuery, c.query, 'The query');
    const preview = await useCases.renderPreview({ repId, prospectId: parse(idSchema, c.params.id, 'The id in the path', 'id'), kind, baseUrl: c.baseUrl() });
    return { body: presentPreview(preview) };
  });
  router.on('GET', '/v1/sheets/{token}', async (c) => {
    const sheet = await useCases.openSheet(c.params.token!);
    if (!sheet.found) {
      const problem = SHEET_PROBLEMS[sheet.problem];
      return wantsJson(c) ? json(problem.status, errorBody(problem.code, problem.message)) : htmlPage(problem.status, { title: problem.title, body: problem.page });
    }
    // The sheet is an email's body: its own document's inner part, with the inline styles email needs.
    const inner = /<body[^>]*>([\s\S]*)<\/body>/i.exec(sheet.html)?.[1] ?? sheet.html;
    return htmlPage(200, { title: sheet.title, body: inner, preparedFor: byline(sheet.rep)! }, { emailHtml: true, headers: { 'x-robots-tag': 'noindex' } });
  });
  return router;
}
