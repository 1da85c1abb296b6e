/**
 * The HTTP side of the pages people open from a link or by hand (unsubscribe, the call-prep sheet, errors,
 * an address that is not there), in the console's look (pages.ts). Programs that ask for JSON get JSON.
 */
import { escapeHtml, publicPage, publicPageHeaders, type PublicPageInput } from './pages.js';
import type { HttpResult } from './router.js';

export { escapeHtml };

/** A rep as a page names them: "Sam Rivera, Acme Tools". */
export function byline(rep: { name: string; company?: string } | undefined): string | undefined {
  return rep ? `${rep.name}${rep.company ? `, ${rep.company}` : ''}` : undefined;
}

/** Programs that ask for JSON (and not for HTML) get JSON; browsers get a page. */
export function wantsJson(ctx: { header(name: string): string | undefined }): boolean {
  const accept = ctx.header('accept') ?? '';
  return /application\/json/.test(accept) && !/text\/html/.test(accept);
}

/** A browser opening an address asks for text/html; fetch, curl and SDKs ask for JSON or anything. */
export function prefersHtml(accept: string | undefined): boolean {
  return /text\/html/i.test(accept ?? '');
}

/** A public page as an HTTP answer. `emailHtml`: the body is a rendered email, with its inline styles. */
export function htmlPage(status: number, page: PublicPageInput, options: { emailHtml?: boolean; headers?: Record<string, string> } = {}): HttpResult {
  return {
    statusCode: status,
    headers: { ...publicPageHeaders(options.emailHtml ? { emailHtml: true } : {}), ...options.headers },
    body: publicPage(page),
  };
}

const TITLES: Record<number, string> = {
  400: 'This address is not right',
  401: 'Sign in first',
  404: 'Not found',
  405: 'Not available here',
  409: 'This changed meanwhile',
  413: 'Too much at once',
  422: 'That is not possible',
};

/** An error for a browser: the same status and message the JSON answer carries, as a page. */
export function errorPage(status: number, message: string, headers: Record<string, string> = {}): HttpResult {
  return htmlPage(status, { title: TITLES[status] ?? 'Something went wrong', body: `<p>${escapeHtml(message)}</p>` }, { headers });
}

/** An address nothing answers at, opened in a browser. */
export function notFoundPage(): HttpResult {
  return htmlPage(404, {
    title: 'Page not found',
    body: `<p>There is nothing at this address. If a link brought you here, it may have been cut short: open it again from the message it came in.</p>
<p>Reps: <a href="/app/">open the console</a>.</p>`,
  });
}
