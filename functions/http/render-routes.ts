/** The routes the render function serves: previews (signed in) and the sheet behind an SMS link (public). */
import type { RenderUseCases } from '../compose.js';
import { idSchema } from '../core/schemas.js';
import type { Logger } from '../ports/logger.js';
import { htmlPage } from './public-pages.js';
import { PreviewQuery } from './queries.js';
import { html, Router } from './router.js';
import { parse } from './validate.js';

export function renderRoutes(useCases: RenderUseCases, logger?: Logger): Router {
  const router = new Router(logger);
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
      return htmlPage(400, 'This link has expired', '<p>Sheet links work for a week. Your reminders by email carry the same sheet, and the preview of a prospect renders it now.</p>');
    }
    // The sheet is the reminder email's own HTML document (viewport and all): served as it is, not wrapped in a page.
    return html(200, sheet.html, { 'x-robots-tag': 'noindex' });
  });
  return router;
}
