import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CONSOLE_ASSETS } from '../../functions/generated/console-assets.js';
import { PUBLIC_STYLESHEET } from '../../functions/generated/console-style.js';
import { acceptsGzip, consoleCsp, consoleResponse, type ConsoleConfig } from '../../functions/http/console.js';
import { escapeHtml, publicPage, publicPageHeaders } from '../../functions/http/pages.js';
import { consoleConfig } from '../../functions/http/render-routes.js';

const local: ConsoleConfig = { signIn: 'local' };
const cognito: ConsoleConfig = {
  signIn: 'cognito',
  domain: 'https://followthrough-1.auth.us-east-1.amazoncognito.com',
  clientId: 'abc123',
  redirectUri: 'https://api.example.com/app/callback',
};
const assetPaths = Object.keys(CONSOLE_ASSETS).filter((p) => p.startsWith('assets/'));
const appJs = assetPaths.find((p) => /^assets\/app-[\w-]+\.js$/.test(p))!;

describe('consoleResponse', () => {
  it.each(['/app', '/app/', '/app/prospects/dana', '/app/prospects/', '/app/reports', '/app/profile', '/app/callback'])('answers index.html for the page %s, never cached', (path) => {
    // Prepare + Act
    const res = consoleResponse(path, local)!;

    // Assess
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain(`<script type="module" src="/app/${appJs}">`);
    expect(res.body).not.toMatch(/<script>|<script [^>]*>[^<]|style=/);
  });

  it.each(['/app/nope', '/app/prospects/dana/notes', '/app/index.html', '/app/reports/2026'])(
    'answers the page with a 404 status for %s, an address no page has (the page says not found)',
    (path) => {
      // Prepare + Act
      const res = consoleResponse(path, local)!;

      // Assess
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.body).toContain(`<script type="module" src="/app/${appJs}">`);
    },
  );

  it.each(['/', '/v1/health', '/apple', '/application/x', '/ap'])('leaves %s to the caller', (path) => {
    // Prepare + Act + Assess
    expect(consoleResponse(path, local)).toBeUndefined();
  });

  it('sends a strict Content-Security-Policy with the page: no inline script or style, no eval', () => {
    // Prepare + Act
    const csp = consoleResponse('/app/', local)!.headers['content-security-policy']!;

    // Assess
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(csp).toContain("connect-src 'self';");
  });

  it("lets the page reach the Cognito token endpoint's origin, and only that", () => {
    // Prepare + Act
    const csp = consoleCsp(cognito);

    // Assess
    expect(csp).toContain("connect-src 'self' https://followthrough-1.auth.us-east-1.amazoncognito.com;");
  });

  it('answers the sign-in settings at /app/config.json', () => {
    // Prepare + Act
    const res = consoleResponse('/app/config.json', cognito)!;

    // Assess
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(res.body)).toEqual(cognito);
    expect(JSON.parse(consoleResponse('/app/config.json', local)!.body)).toEqual({ signIn: 'local' });
  });

  it('says at /app/config.json when the deployment has no console sign-in, and still serves the page', () => {
    // Prepare + Act
    const res = consoleResponse('/app/config.json', undefined)!;

    // Assess
    expect(res.statusCode).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'console_sign_in_not_configured', message: expect.stringMatching(/Cognito sign-in/) } });
    expect(consoleResponse('/app/', undefined)!.headers['content-security-policy']).toContain("connect-src 'self';");
  });

  it('serves every hashed asset gzipped to a browser that takes gzip, cached for a year', () => {
    // Prepare
    expect(assetPaths.length).toBeGreaterThanOrEqual(5);

    for (const path of assetPaths) {
      // Act
      const res = consoleResponse(`/app/${path}`, local, { acceptEncoding: 'gzip, deflate, br' })!;

      // Assess
      expect(res.statusCode).toBe(200);
      expect(res.isBase64Encoded).toBe(true);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers.vary).toBe('accept-encoding');
      expect(gunzipSync(Buffer.from(res.body, 'base64')).length).toBeGreaterThan(0);
    }
  });

  it('serves the same asset as plain text to a client that takes no gzip', () => {
    // Prepare
    const zipped = consoleResponse(`/app/${appJs}`, local, { acceptEncoding: 'gzip' })!;

    // Act
    const plain = consoleResponse(`/app/${appJs}`, local, { acceptEncoding: 'gzip;q=0, identity' })!;

    // Assess
    expect(plain.isBase64Encoded).toBeFalsy();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.body).toBe(gunzipSync(Buffer.from(zipped.body, 'base64')).toString('utf8'));
  });

  it.each([
    ['assets/console-X.css', 'text/css; charset=utf-8'],
    ['assets/icon-X.svg', 'image/svg+xml'],
  ])('gives %s its content type', (pattern, type) => {
    // Prepare
    const [prefix, ext] = pattern.split('-X');
    const path = assetPaths.find((p) => p.startsWith(prefix!) && p.endsWith(ext!))!;

    // Act + Assess
    expect(consoleResponse(`/app/${path}`, local)!.headers['content-type']).toBe(type);
  });

  it.each(['/app/assets/app-NOPE.js', '/app/assets/', '/app/assets/../index.html', '/app/assets/constructor', '/app/assets/__proto__'])(
    'answers a not-found page for the unknown asset %s',
    (path) => {
      // Prepare + Act
      const res = consoleResponse(path, local)!;

      // Assess
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<h1>Not found</h1>');
    },
  );
});

describe('consoleConfig', () => {
  it('sends Cognito back to this API\'s /app/callback, and signs out to /app/', () => {
    // Prepare + Act
    const config = consoleConfig({ signIn: 'cognito', domainUrl: 'https://followthrough-1.auth.us-east-1.amazoncognito.com', clientId: 'abc123' }, 'https://api.example.com');

    // Assess
    expect(config).toEqual({ ...cognito, logoutUri: 'https://api.example.com/app/' });
    expect(consoleConfig({ signIn: 'local' }, 'http://localhost:3000')).toEqual(local);
    expect(consoleConfig(undefined, 'https://api.example.com')).toBeUndefined();
  });
});

describe('acceptsGzip', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['*', true],
    ['gzip;q=0', false],
    ['identity', false],
    ['', false],
    [undefined, false],
  ])('reads %j as %s', (header, expected) => {
    // Prepare + Act + Assess
    expect(acceptsGzip(header)).toBe(expected);
  });
});

describe('publicPage', () => {
  it("frames the body in the console's look and says who the sender is, escaped", () => {
    // Prepare + Act
    const html = publicPage({ title: 'You are <unsubscribed>', body: '<p>No more emails.</p>', sender: 'Sam "Rivera" & Co' });

    // Assess
    expect(html).toContain(`<link rel="stylesheet" href="${PUBLIC_STYLESHEET}">`);
    expect(PUBLIC_STYLESHEET).toMatch(/^\/app\/assets\/public-[\w-]+\.css$/);
    expect(Object.keys(CONSOLE_ASSETS)).toContain(PUBLIC_STYLESHEET.slice('/app/'.length));
    expect(html).toContain('<h1>You are &#60;unsubscribed&#62;</h1>');
    expect(html).toContain('From Sam &#34;Rivera&#34; &#38; Co');
    expect(html).toContain('<p>No more emails.</p>');
    expect(html).not.toMatch(/style=|<script/);
  });

  it('names followthrough when there is no sender', () => {
    // Prepare + Act + Assess
    expect(publicPage({ title: 'Not found', body: '' })).toContain('followthrough, a follow-up scheduler');
  });

  it('allows inline style only for a page that shows a rendered email, and never inline script', () => {
    // Prepare + Act
    const strict = publicPageHeaders()['content-security-policy'];
    const email = publicPageHeaders({ emailHtml: true })['content-security-policy'];

    // Assess
    expect(strict).toContain("style-src 'self';");
    expect(strict).not.toContain('unsafe-inline');
    expect(email).toContain("style-src 'self' 'unsafe-inline'");
    expect(email).not.toContain('script-src');
    expect(email).toContain("default-src 'none'");
  });

  it('escapes the five HTML specials', () => {
    // Prepare + Act + Assess
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});
