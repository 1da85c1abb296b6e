/**
 * The public pages (unsubscribe, the call-prep sheet behind an SMS link, errors, not found) in the
 * console's look: one HTML frame linking the shared stylesheet, saying who the sender is. No inline
 * style or script, so they run under a strict Content-Security-Policy.
 */
import { PUBLIC_STYLESHEET } from '../generated/console-style.js';

export interface PublicPageInput {
  /** The page's title and heading (plain text; escaped here). */
  title: string;
  /** The page's content: HTML the caller built, with every piece of data in it escaped (see escapeHtml). */
  body: string;
  /** Who the message is from, as the prospect knows them ("Sam Rivera, Acme Tools"); plain text. */
  sender?: string;
  /** The rep a page was prepared for (the call-prep sheet), when followthrough is the sender; plain text. */
  preparedFor?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function publicPage({ title, body, sender, preparedFor }: PublicPageInput): string {
  const from = sender ? `<p class="who">From ${escapeHtml(sender)}</p>` : preparedFor ? `<p class="who">For ${escapeHtml(preparedFor)}</p>` : '';
  const footer = sender
    ? `<p>${escapeHtml(sender)} sent you this through followthrough, the follow-up scheduler they use.</p>`
    : preparedFor
      ? `<p>followthrough prepared this for ${escapeHtml(preparedFor)}, from the calls they logged.</p>`
      : '<p>followthrough, a follow-up scheduler for sales calls.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${PUBLIC_STYLESHEET}">
</head>
<body>
<header class="site-header"><div class="site-header-inner"><p class="brand"><span class="brand-mark" aria-hidden="true">↻</span> followthrough</p>${from}</div></header>
<main id="main" class="site-main narrow">
<h1>${escapeHtml(title)}</h1>
${body}
</main>
<footer class="site-footer">${footer}</footer>
</body>
</html>`;
}

/**
 * Headers for a public page. `emailHtml`: the page shows a rendered email (the call-prep sheet), whose
 * style attributes need style-src 'unsafe-inline'; scripts stay forbidden either way.
 */
export function publicPageHeaders(options: { emailHtml?: boolean } = {}): Record<string, string> {
  const style = options.emailHtml ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'";
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; ${style}; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
