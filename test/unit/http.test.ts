import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { html, json, Router, type HttpEvent, type HttpResult, type RouteHandler } from '../../functions/http/router.js';
import type { Logger } from '../../functions/ports/logger.js';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../../functions/core/errors.js';
import { startHttp, type LocalHttpOptions } from '../../functions/local/http-server.js';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalTokens } from '../../functions/local/jwt.js';

/** An API Gateway v2 event as the HTTP API hands it to the Lambda. */
function event(options: {
  method?: string;
  path: string;
  body?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  sub?: string;
}): HttpEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: options.path,
    rawQueryString: '',
    headers: options.headers ?? {},
    ...(options.query ? { queryStringParameters: options.query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: options.method ?? 'GET', path: options.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '10/Mar/2026:14:00:00 +0000',
      timeEpoch: Date.parse('2026-03-10T14:00:00Z'),
      ...(options.sub ? { authorizer: { jwt: { claims: { sub: options.sub } } } } : {}),
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: options.isBase64Encoded ?? false,
  } as HttpEvent;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function recordingLogger() {
  const errors: { message: string; extra: Record<string, unknown>[] }[] = [];
  const logger: Logger = { info() {}, warn() {}, error: (message, ...extra) => void errors.push({ message, extra }) };
  return { logger, errors };
}

describe('Router', () => {
  const echo: RouteHandler = async (ctx) => ({ body: { params: ctx.params } });

  it('answers 404 in the error shape for a route it does not know', async () => {
    // Prepare
    const router = new Router().on('GET', '/v1/health', echo);

    // Act
    const result = await router.handle(event({ path: '/v1/nowhere' }));

    // Assess
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body)).toEqual({ error: { code: 'not_found', message: 'The route /v1/nowhere was not found' } });
  });

  const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

  it('answers a browser that opens an unknown address with a not-found page in the console\'s look, and a program with JSON', async () => {
    // Prepare
    const router = new Router().on('GET', '/v1/health', echo);

    // Act
    const page = await router.handle(event({ path: '/pricing', headers: BROWSER }));
    const program = await router.handle(event({ path: '/pricing', headers: { accept: '*/*' } }));

    // Assess
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("style-src 'self';");
    expect(page.body).toContain('<h1>Page not found</h1>');
    expect(page.body).toMatch(/<link rel="stylesheet" href="\/app\/assets\/public-[\w-]+\.css">/);
    expect(page.body).toContain('<a href="/app/">open the console</a>');
    expect(page.body).not.toMatch(/style=|<script|unauthorized|[Ss]ign in/);
    expect(program.statusCode).toBe(404);
    expect(JSON.parse(program.body)).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers a browser with the error as a page: the status, and the message escaped', async () => {
    // Prepare
    const router = new Router()
      .on('GET', '/v1/unsubscribe', async () => {
        throw new ValidationError('The token <b>is</b> too long');
      })
      .on('GET', '/v1/boom', async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.7:8000');
      });

    // Act
    const invalid = await router.handle(event({ path: '/v1/unsubscribe', headers: BROWSER }));
    const wrongMethod = await router.handle(event({ method: 'DELETE', path: '/v1/unsubscribe', headers: BROWSER }));
    const failed = await router.handle(event({ path: '/v1/boom', headers: BROWSER }));

    // Assess
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('<p>The token &#60;b&#62;is&#60;/b&#62; too long</p>');
    expect(wrongMethod.statusCode).toBe(405);
    // The methods the route table gives the path, not only those this router serves.
    expect(wrongMethod.headers.allow).toBe('GET, POST');
    expect(wrongMethod.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(failed.statusCode).toBe(500);
    expect(failed.body).toContain('Something went wrong on our side');
    expect(failed.body).not.toContain('ECONNREFUSED');
  });

  it('answers 405 for a path of the route table that another function serves, as the $default route brings it here on AWS', async () => {
    // Prepare: a router that serves none of the render function's routes.
    const router = new Router().on('GET', '/v1/health', async () => ({ body: { ok: true } }));

    // Act
    const sheet = await router.handle(event({ method: 'POST', path: '/v1/sheets/abc' }));
    const app = await router.handle(event({ method: 'DELETE', path: '/app/prospects/p1' }));
    const nowhere = await router.handle(event({ method: 'POST', path: '/v1/sheets/abc/more' }));

    // Assess
    expect(sheet.statusCode).toBe(405);
    expect(sheet.headers.allow).toBe('GET');
    expect(JSON.parse(sheet.body)).toMatchObject({ error: { code: 'method_not_allowed', message: 'Use GET on /v1/sheets/abc' } });
    expect(app.statusCode).toBe(405);
    expect(nowhere.statusCode).toBe(404);
  });

  it('takes the rest of the path for a greedy {name+}, as API Gateway does for {proxy+}', async () => {
    // Prepare
    const router = new Router().on('GET', '/app', echo).on('GET', '/app/{proxy+}', echo);

    // Act
    const asset = await router.handle(event({ path: '/app/assets/app-X1.js' }));
    const root = await router.handle(event({ path: '/app/' }));
    const beside = await router.handle(event({ path: '/apple' }));

    // Assess
    expect(JSON.parse(asset.body)).toEqual({ params: { proxy: 'assets/app-X1.js' } });
    expect(JSON.parse(root.body)).toEqual({ params: {} });
    expect(beside.statusCode).toBe(404);
  });

  it('answers 405 with an Allow header listing the methods the path takes', async () => {
    // Prepare
    const router = new Router().on('GET', '/v1/unsubscribe', echo).on('POST', '/v1/unsubscribe', echo);

    // Act
    const result = await router.handle(event({ method: 'DELETE', path: '/v1/unsubscribe' }));

    // Assess
    expect(result.statusCode).toBe(405);
    expect(result.headers.allow).toBe('GET, POST');
    expect(JSON.parse(result.body).error.code).toBe('method_not_allowed');
  });

  it('matches the method case-insensitively and a trailing slash', async () => {
    // Prepare
    const router = new Router().on('GET', '/v1/health', async () => ({ body: { ok: true } }));

    // Act
    const result = await router.handle(event({ method: 'get', path: '/v1/health/' }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ ok: true });
  });

  it('decodes path parameters', async () => {
    // Prepare
    const router = new Router().on('GET', '/v1/prospects/{prospectId}/calls/{callId}', echo);

    // Act
    const result = await router.handle(event({ path: '/v1/prospects/acme%20corp%2Fwest/calls/c%C3%A9-1' }));

    // Assess
    expect(JSON.parse(result.body)).toEqual({ params: { prospectId: 'acme corp/west', callId: 'cé-1' } });
  });

  it('answers 400, not 500, for a path parameter with broken percent-encoding', async () => {
    // Prepare
    const { logger, errors } = recordingLogger();
    const router = new Router(logger).on('GET', '/v1/prospects/{prospectId}', echo);

    // Act
    const result = await router.handle(event({ path: '/v1/prospects/%E0%A4%A' }));

    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.code).toBe('invalid_request');
    expect(errors).toEqual([]);
  });

  it('answers with the status and JSON body a handler returns, uncached', async () => {
    // Prepare
    const router = new Router().on('POST', '/v1/reps', async () => ({ status: 201, body: { id: 'rep-1' } }));

    // Act
    const result = await router.handle(event({ method: 'POST', path: '/v1/reps' }));

    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    expect(JSON.parse(result.body)).toEqual({ id: 'rep-1' });
  });

  it('passes a complete result from a handler through as it is', async () => {
    // Prepare
    const page = html(200, '<p>Unsubscribed</p>');
    const router = new Router().on('GET', '/v1/unsubscribe', async () => page);

    // Act
    const result = await router.handle(event({ path: '/v1/unsubscribe' }));

    // Assess
    expect(result).toBe(page);
  });

  describe('JSON bodies', () => {
    const parse: RouteHandler = async (ctx) => ({ body: { got: ctx.json() } });
    const router = new Router().on('POST', '/v1/prospects', parse);

    it('parses a JSON body', async () => {
      // Prepare
      const request = event({ method: 'POST', path: '/v1/prospects', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '{"a":[1,2]}' });

      // Act
      const result = await router.handle(request);

      // Assess
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body)).toEqual({ got: { a: [1, 2] } });
    });

    it('parses a base64-encoded JSON body and a +json media type', async () => {
      // Prepare
      const body = Buffer.from('{"name":"Zoë"}').toString('base64');
      const request = event({ method: 'POST', path: '/v1/prospects', headers: { 'content-type': 'application/merge-patch+json' }, body, isBase64Encoded: true });

      // Act
      const result = await router.handle(request);

      // Assess
      expect(JSON.parse(result.body)).toEqual({ got: { name: 'Zoë' } });
    });

    it('parses a JSON body that starts with a byte order mark, as RFC 8259 lets a parser', async () => {
      // Prepare: what some Windows tools write before UTF-8 text.
      const request = event({ method: 'POST', path: '/v1/prospects', headers: JSON_HEADERS, body: '\uFEFF{"name":"Zoë"}' });

      // Act
      const result = await router.handle(request);

      // Assess
      expect(JSON.parse(result.body)).toEqual({ got: { name: 'Zoë' } });
    });

    it.each([
      ['invalid JSON', { headers: JSON_HEADERS, body: '{"a":' }, /not valid JSON/],
      ['a wrong content type', { headers: { 'content-type': 'text/plain' }, body: '{"a":1}' }, /Content-Type: application\/json/],
      ['no content type', { headers: {}, body: '{"a":1}' }, /Content-Type: application\/json/],
      ['an empty body', { headers: JSON_HEADERS, body: '' }, /needs a JSON body/],
      ['no body at all', { headers: JSON_HEADERS }, /needs a JSON body/],
      ['a body of whitespace', { headers: JSON_HEADERS, body: ' \n\t' }, /needs a JSON body/],
    ])('answers 400 for %s', async (_label, parts, message) => {
      // Prepare
      const request = event({ method: 'POST', path: '/v1/prospects', ...parts });

      // Act
      const result = await router.handle(request);

      // Assess
      expect(result.statusCode).toBe(400);
      const body = JSON.parse(result.body);
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message).toMatch(message);
    });

    it('answers 413 for a body over 64 KiB, and takes one of exactly 64 KiB', async () => {
      // Prepare
      const sized = (bytes: number) => JSON.stringify({ note: 'x'.repeat(bytes - '{"note":""}'.length) });
      const atLimit = event({ method: 'POST', path: '/v1/prospects', headers: JSON_HEADERS, body: sized(64 * 1024) });
      const overLimit = event({ method: 'POST', path: '/v1/prospects', headers: JSON_HEADERS, body: sized(64 * 1024 + 1) });

      // Act
      const results = [await router.handle(atLimit), await router.handle(overLimit)];

      // Assess
      expect(results.map((r) => r.statusCode)).toEqual([200, 413]);
      expect(JSON.parse(results[1]!.body).error.code).toBe('payload_too_large');
    });

    it('answers 413 for a body over 64 KiB on any route it serves, a route that reads no body too, without calling it', async () => {
      // Prepare: 64 KiB of form data to the one-click unsubscribe, and a body to a DELETE.
      let called = 0;
      const quiet: RouteHandler = async () => ((called += 1), { body: { ok: true } });
      const routes = new Router().on('POST', '/v1/unsubscribe', quiet).on('DELETE', '/v1/touches/{id}', quiet);
      const big = 'List-Unsubscribe=One-Click&x=' + 'y'.repeat(64 * 1024);

      // Act
      const form = await routes.handle(event({ method: 'POST', path: '/v1/unsubscribe', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: big }));
      const encoded = await routes.handle(event({ method: 'DELETE', path: '/v1/touches/t1', body: Buffer.from(big).toString('base64'), isBase64Encoded: true }));

      // Assess
      expect([form.statusCode, encoded.statusCode]).toEqual([413, 413]);
      expect(JSON.parse(form.body).error.code).toBe('payload_too_large');
      expect(called).toBe(0);
    });

    it('answers an unknown path 404 and a wrong method 405 whatever the body\'s size', async () => {
      // Prepare
      const big = 'x'.repeat(70 * 1024);

      // Act
      const unknown = await router.handle(event({ method: 'POST', path: '/v1/nowhere', headers: JSON_HEADERS, body: big }));
      const wrongMethod = await router.handle(event({ method: 'PUT', path: '/v1/prospects', headers: JSON_HEADERS, body: big }));

      // Assess
      expect([unknown.statusCode, wrongMethod.statusCode]).toEqual([404, 405]);
    });

    it('counts bytes, not characters, toward the 64 KiB limit', async () => {
      // Prepare: 33,000 characters, but 66,000 bytes in UTF-8
      const request = event({ method: 'POST', path: '/v1/prospects', headers: JSON_HEADERS, body: JSON.stringify({ note: 'é'.repeat(33_000) }) });

      // Act
      const result = await router.handle(request);

      // Assess
      expect(result.statusCode).toBe(413);
    });
  });

  describe('errors', () => {
    it.each([
      [new ValidationError('callbackAt is not valid', [{ path: 'callbackAt', message: 'Use ISO-8601' }]), 400, 'invalid_request'],
      [new NotFoundError('The prospect p-1'), 404, 'not_found'],
      [new ConflictError('already_called', 'That call was already logged'), 409, 'already_called'],
      [new RuleError('due_in_past', 'dueAt is in the past', [{ path: 'dueAt', message: 'Pick a time from now on' }]), 422, 'due_in_past'],
    ])('maps %s to its status and the error shape', async (error, status, code) => {
      // Prepare
      const router = new Router().on('GET', '/v1/boom', async () => {
        throw error;
      });

      // Act
      const result = await router.handle(event({ path: '/v1/boom' }));

      // Assess
      expect(result.statusCode).toBe(status);
      expect(JSON.parse(result.body)).toEqual({
        error: { code, message: error.message, ...(error.issues?.length ? { issues: error.issues } : {}) },
      });
    });

    it('leaves issues out when there are none', async () => {
      // Prepare
      const router = new Router().on('GET', '/v1/boom', async () => {
        throw new ValidationError('Bad request');
      });

      // Act
      const result = await router.handle(event({ path: '/v1/boom' }));

      // Assess
      expect(JSON.parse(result.body)).toEqual({ error: { code: 'invalid_request', message: 'Bad request' } });
    });

    it('maps an unexpected error to 500 without its message, and logs it', async () => {
      // Prepare
      const { logger, errors } = recordingLogger();
      const router = new Router(logger).on('GET', '/v1/boom', async () => {
        throw new Error('ECONNREFUSED dynamodb.internal:8000 secret-table');
      });

      // Act
      const result = await router.handle(event({ path: '/v1/boom' }));

      // Assess
      expect(result.statusCode).toBe(500);
      expect(result.body).not.toContain('ECONNREFUSED');
      expect(result.body).not.toContain('secret-table');
      expect(JSON.parse(result.body).error.code).toBe('internal_error');
      expect(errors).toHaveLength(1);
      expect(JSON.stringify(errors[0])).toContain('ECONNREFUSED');
    });

    it('maps a thrown non-Error to 500 too', async () => {
      // Prepare
      const router = new Router().on('GET', '/v1/boom', async () => {
        throw 'a string';
      });

      // Act
      const result = await router.handle(event({ path: '/v1/boom' }));

      // Assess
      expect(result.statusCode).toBe(500);
      expect(result.body).not.toContain('a string');
    });
  });

  describe('request context', () => {
    it('gives the rep from the token subject, and 401 when there is none', async () => {
      // Prepare
      const router = new Router().on('GET', '/v1/me', async (ctx) => ({ body: { rep: ctx.repId() } }));

      // Act
      const signedIn = await router.handle(event({ path: '/v1/me', sub: 'rep-7' }));
      const anonymous = await router.handle(event({ path: '/v1/me' }));

      // Assess
      expect(JSON.parse(signedIn.body)).toEqual({ rep: 'rep-7' });
      expect(anonymous.statusCode).toBe(401);
      expect(JSON.parse(anonymous.body).error.code).toBe('unauthorized');
    });

    it.each([
      ['a lone surrogate', '\ud800'],
      ['a trailing lone surrogate', 'rep-\udc00'],
      ['3,000 characters', 'r'.repeat(3000)],
      ['129 characters', 'r'.repeat(129)],
      ['a control character', 'rep\u0000x'],
    ])('answers 401, not 500, for a subject with %s', async (_what, sub) => {
      // Prepare
      const router = new Router().on('GET', '/v1/me', async (ctx) => ({ body: { rep: ctx.repId() } }));

      // Act
      const res = await router.handle(event({ path: '/v1/me', sub }));

      // Assess
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body).error.message).toMatch(/subject cannot be used as a rep id/);
    });

    it('takes a 128-character subject and one with an emoji', async () => {
      const router = new Router().on('GET', '/v1/me', async (ctx) => ({ body: { rep: ctx.repId() } }));
      for (const sub of ['r'.repeat(128), 'auth0|ann\ud83d\ude00']) {
        expect(JSON.parse((await router.handle(event({ path: '/v1/me', sub }))).body)).toEqual({ rep: sub });
      }
    });

    it('reads headers case-insensitively, the query, and the base URL', async () => {
      // Prepare
      const router = new Router().on('GET', '/v1/ctx', async (ctx) => ({
        body: { header: ctx.header('X-Request-Tag'), query: ctx.query, base: ctx.baseUrl() },
      }));
      const forwarded = event({ path: '/v1/ctx', headers: { 'X-Request-Tag': 'abc', 'X-Forwarded-Host': 'follow.example.com', 'X-Forwarded-Proto': 'https' }, query: { from: '2026-03-10' } });
      const plain = event({ path: '/v1/ctx' });

      // Act
      const results = [await router.handle(forwarded), await router.handle(plain)].map((r) => JSON.parse(r.body));

      // Assess
      expect(results[0]).toEqual({ header: 'abc', query: { from: '2026-03-10' }, base: 'https://follow.example.com' });
      expect(results[1]).toEqual({ query: {}, base: 'https://api.example.com' });
    });
  });
});

describe('json', () => {
  it('lets extra headers join the defaults', () => {
    // Prepare + Act
    const result: HttpResult = json(200, { ok: true }, { etag: '"1"' });

    // Assess
    expect(result.headers).toEqual({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', etag: '"1"' });
  });
});

describe('startHttp', () => {
  let dir: string;
  let tokens: LocalTokens;
  let otherTokens: LocalTokens;
  let keyFile: string;
  let server: Awaited<ReturnType<typeof startHttp>> | undefined;
  let seen: HttpEvent[];
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'followthrough-http-'));
    keyFile = join(dir, 'keys', 'jwt-key.json');
    tokens = await LocalTokens.open(keyFile);
    otherTokens = await LocalTokens.open(join(dir, 'other-key.json'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const record = async (e: HttpEvent) => {
    seen.push(e);
    return json(200, { ok: true });
  };

  /** Both functions behind one test handler. */
  const both = (h: (e: HttpEvent) => Promise<HttpResult>) => ({ handlers: { api: h, render: h } });

  async function start(overrides: Partial<LocalHttpOptions> = {}) {
    server = await startHttp({
      handlers: { api: record, render: record },
      tokens,
      port: 0,
      ...overrides,
    });
    // The server binds 127.0.0.1; go there directly rather than through a name lookup.
    base = server.url.replace('localhost', '127.0.0.1');
  }

  beforeEach(() => {
    seen = [];
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Signs with the local key but lets a test choose the claims. */
  async function signWith(claims: { iss?: string; aud?: string; exp?: number; sub?: string }): Promise<string> {
    const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as { kid: string; privateJwk: JWK };
    const key = await importJWK(stored.privateJwk, 'RS256');
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
      .setSubject(claims.sub ?? 'rep-1')
      .setIssuer(claims.iss ?? LOCAL_ISSUER)
      .setAudience(claims.aud ?? LOCAL_AUDIENCE)
      .setIssuedAt(now - 7200)
      .setExpirationTime(claims.exp ?? now + 3600)
      .sign(key);
  }

  describe('the event it builds', () => {
    it('carries path, raw query, joined repeated parameters, lower-cased headers and the method', async () => {
      // Prepare
      await start();
      const token = await tokens.sign('rep-1');

      // Act
      const res = await fetch(`${base}/v1/followups?status=open&status=snoozed&q=acme%20corp&empty=`, {
        headers: { Authorization: `Bearer ${token}`, 'X-Trace-ID': 'Trace-ABC' },
      });

      // Assess
      expect(res.status).toBe(200);
      const e = seen[0]!;
      expect(e.version).toBe('2.0');
      expect(e.rawPath).toBe('/v1/followups');
      expect(e.rawQueryString).toBe('status=open&status=snoozed&q=acme%20corp&empty=');
      expect(e.queryStringParameters).toEqual({ status: 'open,snoozed', q: 'acme corp', empty: '' });
      expect(e.headers['x-trace-id']).toBe('Trace-ABC');
      expect(Object.keys(e.headers).every((k) => k === k.toLowerCase())).toBe(true);
      expect(e.requestContext.http).toMatchObject({ method: 'GET', path: '/v1/followups' });
      expect(e.body).toBeUndefined();
      expect(e.isBase64Encoded).toBe(false);
    });

    it('takes the path from the request line alone: not from a Host header it cannot parse, and // as two slashes', async () => {
      // Prepare
      await start();
      const { port } = new URL(base);
      const get = (path: string, host: string) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode!));
          });
          req.on('error', reject);
          req.end();
        });

      // Act
      const statuses = [await get('/v1/health', 'a b'), await get('/v1/health', '[::'), await get('//v1/health', 'localhost')];

      // Assess
      expect(statuses).toEqual([200, 200, 200]);
      expect(seen.map((e) => e.rawPath)).toEqual(['/v1/health', '/v1/health', '//v1/health']);
    });

    it('leaves queryStringParameters out when there is no query', async () => {
      // Prepare
      await start();

      // Act
      await fetch(`${base}/v1/health`);

      // Assess
      expect(seen[0]!.rawQueryString).toBe('');
      expect(seen[0]!.queryStringParameters).toBeUndefined();
    });

    it('passes a JSON body as text and a binary body as base64', async () => {
      // Prepare
      await start();
      const token = await tokens.sign('rep-1');
      const bytes = Buffer.from([0, 1, 2, 250, 255]);

      // Act
      await fetch(`${base}/v1/prospects`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"name":"Zoë"}' });
      await fetch(`${base}/v1/reps/me`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: bytes });

      // Assess
      expect(seen[0]).toMatchObject({ body: '{"name":"Zoë"}', isBase64Encoded: false });
      expect(seen[0]!.requestContext.http.method).toBe('POST');
      expect(seen[1]).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
      expect(seen[1]!.requestContext.http.method).toBe('PUT');
    });

    it('hands over the verified token claims as the JWT authorizer would', async () => {
      // Prepare
      await start();
      const token = await tokens.sign('rep-42');

      // Act
      await fetch(`${base}/v1/reps/me`, { headers: { authorization: `bearer ${token}` } });

      // Assess
      const claims = seen[0]!.requestContext.authorizer?.jwt?.claims;
      expect(claims).toMatchObject({ sub: 'rep-42', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, scope: 'followthrough/rep' });
      expect(typeof claims?.exp).toBe('number');
    });

    it('answers with the status, headers and body the handler returns, decoding base64', async () => {
      // Prepare
      await start({
        ...both(async () => ({ statusCode: 202, headers: { 'content-type': 'application/pdf', 'x-extra': 'yes' }, body: Buffer.from('%PDF-1').toString('base64'), isBase64Encoded: true })),
      });

      // Act
      const res = await fetch(`${base}/v1/sheets/abc`);

      // Assess
      expect(res.status).toBe(202);
      expect(res.headers.get('x-extra')).toBe('yes');
      expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('%PDF-1');
    });
  });

  describe('authorization', () => {
    async function expect401(headers: Record<string, string>, path = '/v1/reps/me') {
      const res = await fetch(`${base}${path}`, { headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }

    it('refuses a request without a token', async () => {
      // Prepare
      await start();

      // Act + Assess
      await expect401({});
      expect(seen).toEqual([]);
    });

    it('refuses a header that is not a bearer token, and garbage', async () => {
      // Prepare
      await start();

      // Act + Assess
      await expect401({ authorization: 'Basic cmVwOnB3' });
      await expect401({ authorization: 'Bearer not.a.jwt' });
      await expect401({ authorization: 'Bearer ' });
      expect(seen).toEqual([]);
    });

    it('refuses a token whose claims were changed after signing', async () => {
      // Prepare
      await start();
      const [header, , signature] = (await tokens.sign('rep-1')).split('.');
      const forgedClaims = Buffer.from(JSON.stringify({ sub: 'rep-admin', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: 4102444800 })).toString('base64url');

      // Act + Assess
      await expect401({ authorization: `Bearer ${header}.${forgedClaims}.${signature}` });
      expect(seen).toEqual([]);
    });

    it('refuses an unsigned token (alg none)', async () => {
      // Prepare
      await start();
      const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: 'rep-1', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: 4102444800 })}.`;

      // Act + Assess
      await expect401({ authorization: `Bearer ${unsigned}` });
    });

    it('refuses an expired token', async () => {
      // Prepare
      await start();
      const expired = await signWith({ exp: Math.floor(Date.now() / 1000) - 60 });

      // Act + Assess
      await expect401({ authorization: `Bearer ${expired}` });
    });

    it('refuses a token signed by another key, under its own kid or ours', async () => {
      // Prepare
      await start();
      const fromOther = await otherTokens.sign('rep-1');
      const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as { kid: string };
      const stranger = await generateKeyPair('RS256');
      const underOurKid = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: stored.kid })
        .setSubject('rep-1')
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setExpirationTime('1h')
        .sign(stranger.privateKey);

      // Act + Assess
      await expect401({ authorization: `Bearer ${fromOther}` });
      await expect401({ authorization: `Bearer ${underOurKid}` });
      expect(seen).toEqual([]);
    });

    it('refuses a token for another audience or from another issuer', async () => {
      // Prepare
      await start();
      const wrongAudience = await signWith({ aud: 'someone-else' });
      const wrongIssuer = await signWith({ iss: 'https://evil.example.com/issuer' });

      // Act + Assess
      await expect401({ authorization: `Bearer ${wrongAudience}` });
      await expect401({ authorization: `Bearer ${wrongIssuer}` });
      expect(seen).toEqual([]);
    });

    it('refuses a token with an empty subject', async () => {
      // Prepare
      await start();
      const noSubject = await signWith({ sub: '' });

      // Act + Assess
      await expect401({ authorization: `Bearer ${noSubject}` });
    });

    it('takes a token it signed itself', async () => {
      // Prepare
      await start();
      const good = await signWith({});

      // Act
      const res = await fetch(`${base}/v1/reps/me`, { headers: { authorization: `Bearer ${good}` } });

      // Assess
      expect(res.status).toBe(200);
      expect(seen[0]!.requestContext.authorizer?.jwt?.claims?.sub).toBe('rep-1');
    });

    it.each([
      ['GET', '/v1/health'],
      ['GET', '/v1/unsubscribe?t=abc'],
      ['POST', '/v1/unsubscribe'],
      ['GET', '/v1/sheets/tok_123.abc'],
    ])('lets %s %s through without a token and without claims', async (method, path) => {
      // Prepare
      await start();

      // Act
      const res = await fetch(`${base}${path}`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 't=abc' } : {}) });

      // Assess
      expect(res.status).toBe(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.requestContext.authorizer).toBeUndefined();
    });

    it.each([
      ['POST', '/v1/health'],
      ['DELETE', '/v1/unsubscribe'],
      ['GET', '/v1/sheets/tok/extra'],
      ['GET', '/v1/sheets/'],
      ['GET', '/v1/healthz'],
    ])('hands %s %s (no route of the API) to the api function without a token check, as API Gateway does', async (method, path) => {
      // Prepare: the api function answers 404 or 405 for these itself.
      await start();

      // Act
      const res = await fetch(`${base}${path}`, { method });

      // Assess
      expect(res.status).toBe(200);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.requestContext.authorizer).toBeUndefined();
      expect(seen[0]!.routeKey).toBe('$default');
    });

    it('sends previews, sheets and the console to the render function, everything else to the api function', async () => {
      // Prepare
      const targets: string[] = [];
      await start({
        handlers: {
          api: async (e) => (targets.push(`api ${e.routeKey}`), json(200, {})),
          render: async (e) => (targets.push(`render ${e.routeKey}`), json(200, {})),
        },
      });
      const token = await tokens.sign('rep-1');

      // Act
      for (const path of ['/v1/prospects/p1/preview?kind=sms', '/v1/sheets/abc', '/v1/prospects/p1', '/v1/nowhere', '/app', '/app/prospects/p1', '/nowhere']) {
        await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      }

      // Assess
      expect(targets).toEqual([
        'render GET /v1/prospects/{id}/preview',
        'render GET /v1/sheets/{token}',
        'api GET /v1/prospects/{id}',
        'api $default',
        'render GET /app',
        'render GET /app/{proxy+}',
        'api $default',
      ]);
    });
  });

  describe('limits and failures', () => {
    it('answers 413 for a body far past the limit without calling the handler', async () => {
      // Prepare
      await start();
      const token = await tokens.sign('rep-1');

      // Act
      const res = await fetch(`${base}/v1/prospects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'x'.repeat(300 * 1024) }),
      });

      // Assess
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
      expect(seen).toEqual([]);
    });

    it('answers 413 through the Router for a body between 64 KiB and the read limit', async () => {
      // Prepare
      const router = new Router().on('POST', '/v1/prospects', async (ctx) => ({ body: { got: ctx.json() } }));
      await start(both((e) => router.handle(e)));
      const token = await tokens.sign('rep-1');

      // Act
      const res = await fetch(`${base}/v1/prospects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'x'.repeat(100 * 1024) }),
      });

      // Assess
      expect(res.status).toBe(413);
    });

    it('answers a body past the read limit as API Gateway orders it: an unknown path 404, no token 401, then 413', async () => {
      // Prepare: the api function's router, as npm start runs it.
      const router = new Router().on('POST', '/v1/prospects', async (ctx) => ({ body: { got: ctx.json() } }));
      await start(both((e) => router.handle(e)));
      const token = await tokens.sign('rep-1');
      const body = JSON.stringify({ note: 'x'.repeat(300 * 1024) });
      const post = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

      // Act
      const statuses = [
        (await post('/v1/nowhere')).status,
        (await post('/v1/health')).status,
        (await post('/v1/prospects')).status,
        (await post('/v1/prospects', { authorization: `Bearer ${token}` })).status,
      ];

      // Assess
      expect(statuses).toEqual([404, 405, 401, 413]);
    });

    it('answers an address too long or a request that is not HTTP in the error shape, not Node\'s empty answer', async () => {
      // Prepare
      await start();
      const { port } = new URL(base);
      const raw = (request: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(Number(port), '127.0.0.1', () => socket.end(request));
          let text = '';
          socket.on('data', (chunk) => (text += chunk.toString()));
          socket.on('end', () => resolve(text));
          socket.on('error', reject);
        });

      // Act
      const long = await fetch(`${base}/v1/followups?from=${'x'.repeat(20_000)}`);
      const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');

      // Assess
      expect(long.status).toBe(431);
      expect(((await long.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'request_too_large', message: expect.stringMatching(/too long/) });
      expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)).error.code).toBe('invalid_request');
      expect(seen).toEqual([]);
    });

    it('answers 500 without the error text when the handler throws', async () => {
      // Prepare
      await start(both(() => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:8000'))));

      // Act
      const res = await fetch(`${base}/v1/health`);

      // Assess
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain('ECONNREFUSED');
      expect(JSON.parse(text).error.code).toBe('internal_error');
    });

    it('serves /local/ routes from the local handler, 404 when it has none for the path', async () => {
      // Prepare
      await start({ local: async (_req, url) => (url.pathname === '/local/inbox' ? json(200, { messages: [] }) : undefined) });

      // Act
      const found = await fetch(`${base}/local/inbox`);
      const missing = await fetch(`${base}/local/nothing`);

      // Assess
      expect([found.status, missing.status]).toEqual([200, 404]);
      expect((await found.json()) as unknown).toEqual({ messages: [] });
      expect(seen).toEqual([]);
    });

    it('closes with a keep-alive connection still open', async () => {
      // Prepare
      await start();
      const { port } = new URL(base);
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/health', agent: new Agent({ keepAlive: true }) }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end();
      });

      // Act
      const closing = server!.close();

      // Assess
      await expect(closing).resolves.toBeUndefined();
      server = undefined;
    });
  });
});
