/**
 * One-click unsubscribe (RFC 8058): POST /v1/unsubscribe?token= unsubscribes at once; GET shows
 * a small page with a button that posts to the same address. Tokens are verified before anything
 * is read or changed; a forged, altered or foreign token changes nothing.
 */
import { html, json, type RequestContext, type Router } from './http.js';
import type { SignerSource } from './links.js';
import type { FollowthroughService } from './service.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title></head>
<body style="font-family:Arial,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222;line-height:1.5"><h1 style="font-size:1.4rem">${escape(title)}</h1>${body}</body></html>`;
}

function wantsJson(ctx: RequestContext): boolean {
  return /application\/json/.test(ctx.header('accept') ?? '') && !/text\/html/.test(ctx.header('accept') ?? '');
}

export function registerUnsubscribe(router: Router, deps: { signer: SignerSource; service: FollowthroughService }) {
  const invalid = (ctx: RequestContext) =>
    wantsJson(ctx)
      ? json(400, { error: { code: 'invalid_token', message: 'This unsubscribe link is not valid: use the link from the email as it was sent' } })
      : html(400, page('This link is not valid', '<p>Use the unsubscribe link from the email exactly as it was sent, or reply to the email and ask to be removed.</p>'));

  router.on('GET', '/v1/unsubscribe', async (ctx) => {
    const claim = (await deps.signer()).verifyUnsubscribe(ctx.query.token ?? '');
    if (!claim) return invalid(ctx);
    return html(
      200,
      page(
        'Unsubscribe',
        `<p>Stop emails to <strong>${escape(claim.email)}</strong> about your conversations with us?</p>
<form method="post"><button type="submit" style="font-size:1rem;padding:.6rem 1.2rem">Unsubscribe</button></form>`,
      ),
    );
  });

  router.on('POST', '/v1/unsubscribe', async (ctx) => {
    const claim = (await deps.signer()).verifyUnsubscribe(ctx.query.token ?? '');
    if (!claim) return invalid(ctx);
    const result = await deps.service.suppressEmail({ ...claim, reason: 'unsubscribed' });
    if (wantsJson(ctx)) return json(200, { unsubscribed: true, email: claim.email, changed: result.changed });
    return html(200, page('You are unsubscribed', `<p>No more emails will go to <strong>${escape(claim.email)}</strong>.</p>`));
  });
}
