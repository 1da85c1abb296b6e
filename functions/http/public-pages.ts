/** The small HTML pages people reach from a link: unsubscribe, the sheet, a link that is not valid. */
import { html, type HttpResult, type RequestContext } from './router.js';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function page(title: string, body: string, options: { heading?: boolean } = {}): string {
  const heading = options.heading === false ? '' : `<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family:Arial,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5">${heading}${body}</body></html>`;
}

/** Programs that ask for JSON get JSON; browsers get a page. */
export function wantsJson(ctx: RequestContext): boolean {
  const accept = ctx.header('accept') ?? '';
  return /application\/json/.test(accept) && !/text\/html/.test(accept);
}

export function htmlPage(status: number, title: string, body: string, headers: Record<string, string> = {}, options: { heading?: boolean } = {}): HttpResult {
  return html(status, page(title, body, options), headers);
}
