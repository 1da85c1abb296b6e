/**
 * Serves the rep console at /app from the build embedded in functions/generated/console-assets.ts:
 * index.html for /app, /app/ and every /app/* page address (deep links; 404 for an address no page
 * has, see console-routes.ts), hashed assets under
 * /app/assets/ cached for a year (gzipped when the browser takes it), and /app/config.json telling the
 * page how to sign in. Pure and self-contained: no I/O, no clock, nothing from the runtime; the caller
 * routes GET /app* here.
 */
import { gunzipSync } from 'node:zlib';
import { CONSOLE_ASSETS, type ConsoleAsset } from '../generated/console-assets.js';
import type { ConsoleConfig } from './console-config.js';
import { consoleRoute } from './console-routes.js';
import { publicPage, publicPageHeaders } from './pages.js';

export type { ConsoleConfig } from './console-config.js';

export interface ConsoleResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The console's Content-Security-Policy: scripts and styles from this origin only (no inline script,
 * no style attributes), API calls to this origin and, with Cognito, the token endpoint of the hosted UI.
 */
export function consoleCsp(config: ConsoleConfig | undefined): string {
  const connect = ["'self'", ...(config?.signIn === 'cognito' ? [new URL(config.domain).origin] : [])];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  // The Cognito code comes back in the address: no page it links to may see it in a Referer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The answer for a console path, or undefined when `path` is not the console's (the caller goes on
 * routing). `request.acceptEncoding` is the Accept-Encoding header: with gzip in it, assets go gzipped.
 * Without a `config` (a deployment with no console sign-in) config.json answers 404 saying so, and the
 * page shows that.
 */
export function consoleResponse(path: string, config: ConsoleConfig | undefined, request: { acceptEncoding?: string } = {}): ConsoleResult | undefined {
  if (path !== '/app' && !path.startsWith('/app/')) return undefined;
  const rest = path === '/app' ? '' : path.slice('/app/'.length);

  if (rest === 'config.json') {
    if (!config) {
      return {
        statusCode: 404,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders },
        body: JSON.stringify({
          error: {
            code: 'console_sign_in_not_configured',
            message: 'This deployment has no console sign-in: deploy without an external token issuer (the jwt context) to get the Cognito sign-in',
          },
        }),
      };
    }
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders },
      body: JSON.stringify(config),
    };
  }
  if (rest.startsWith('assets/')) {
    const asset = Object.hasOwn(CONSOLE_ASSETS, rest) ? CONSOLE_ASSETS[rest] : undefined;
    if (!asset) return notFound();
    const headers = { 'content-type': asset.type, 'cache-control': IMMUTABLE, vary: 'accept-encoding', ...securityHeaders };
    if (asset.gzip && acceptsGzip(request.acceptEncoding)) {
      return { statusCode: 200, headers: { ...headers, 'content-encoding': 'gzip' }, body: asset.body, isBase64Encoded: true };
    }
    return { statusCode: 200, headers, body: plain(rest, asset) };
  }
  // Every other address under /app is the console's page, which routes it in the browser; one that no
  // page has still gets the page (it says "not found" in the console's look) but with a 404 status.
  const index = CONSOLE_ASSETS['index.html']!;
  return {
    statusCode: consoleRoute(path).name === 'not-found' ? 404 : 200,
    headers: {
      'content-type': index.type,
      // Always asked again, so a deploy's new asset names reach the browser at once.
      'cache-control': 'no-cache',
      'content-security-policy': consoleCsp(config),
      ...securityHeaders,
    },
    body: index.body,
  };
}

/** Whether an Accept-Encoding header takes gzip (a q of 0 refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim());
    if (name !== 'gzip' && name !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}

const unzipped = new Map<string, string>();

/** An asset as text, for the rare client that takes no gzip; unzipped once per process. */
function plain(path: string, asset: ConsoleAsset): string {
  if (!asset.gzip) return asset.body;
  const cached = unzipped.get(path);
  if (cached !== undefined) return cached;
  const text = gunzipSync(Buffer.from(asset.body, 'base64')).toString('utf8');
  unzipped.set(path, text);
  return text;
}

function notFound(): ConsoleResult {
  return {
    statusCode: 404,
    headers: { ...publicPageHeaders(), 'cache-control': 'no-store' },
    body: publicPage({
      title: 'Not found',
      body: '<p>There is nothing at this address. The console may have been updated: <a href="/app/">open it again</a>.</p>',
    }),
  };
}
