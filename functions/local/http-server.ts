/**
 * Serves the API on localhost as the HTTP API does on AWS: each request becomes an API Gateway
 * HTTP API (payload 2.0) event for the function the route table names (api or render). Routes
 * that need a token get it checked first, as the JWT authorizer would, and its claims handed over
 * the same way; an unknown path goes to the api function, which answers 404 with no token check.
 */
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorBody, type HttpEvent, type HttpResult } from '../http/router.js';
import { matchRoute, type RouteTarget } from '../http/routing.js';
import type { LocalTokens } from './jwt.js';

export type LocalRoute = (req: IncomingMessage, url: URL, body: Buffer) => Promise<HttpResult | undefined>;

export interface LocalHttpOptions {
  /** The Lambda handlers behind the routes: api takes every path the table does not give render. */
  handlers: Record<RouteTarget, (event: HttpEvent) => Promise<HttpResult>>;
  tokens: LocalTokens;
  /** Routes under /local/ that exist only on the local runtime. */
  local?: LocalRoute;
  port: number;
  host?: string;
}

// API Gateway takes bigger bodies than we accept; stop reading well past our 64 KiB limit.
const READ_LIMIT = 256 * 1024;
const TOO_LARGE = errorBody('payload_too_large', 'The body is over 64 KiB: send less text (notes are capped at 10,000 characters)');

export async function startHttp(options: LocalHttpOptions): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void serve(options, req, res).catch(() => {
      // As the Router does: an internal error's text never reaches the client.
      if (res.headersSent) return void res.destroy();
      send(res, jsonResult(500, errorBody('internal_error', 'Something went wrong on our side; the request may be retried')));
    });
  });
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://localhost:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

async function serve(options: LocalHttpOptions, req: IncomingMessage, res: ServerResponse) {
  const url = requestUrl(req.url ?? '/');
  if (!url) return send(res, jsonResult(400, errorBody('invalid_request', 'The request target is not a valid URL: send a path such as /v1/health')));
  const method = (req.method ?? 'GET').toUpperCase();
  const read = await readBody(req);
  const tooLarge = read === 'too_large';
  const body = tooLarge ? Buffer.alloc(0) : read;
  if (url.pathname.startsWith('/local/') && options.local) {
    if (tooLarge) return send(res, jsonResult(413, TOO_LARGE));
    const result = await options.local(req, url, body);
    return send(res, result ?? jsonResult(404, errorBody('not_found', `The route ${url.pathname} was not found`)));
  }
  const { route } = matchRoute(method, url.pathname);
  let claims: Record<string, string | number | boolean | string[]> | undefined;
  if (route?.auth) {
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    const verified = token ? await options.tokens.verify(token) : undefined;
    if (!verified) {
      return send(
        res,
        jsonResult(401, errorBody('unauthorized', token ? 'The token is not valid or has expired: get a new one with npm run token -- <repId>' : 'Sign in: send Authorization: Bearer <token> (npm run token -- <repId> prints one)')),
      );
    }
    claims = Object.fromEntries(Object.entries(verified).map(([k, v]) => [k, typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : (v as string)]));
  }
  // As on AWS, the route (404, 405 from the function) and the token come before the body's size.
  if (tooLarge && route) return send(res, jsonResult(413, TOO_LARGE));
  const event = toEvent(req, url, method, body, claims, route ? `${route.method} ${route.path}` : '$default');
  send(res, await options.handlers[route?.target ?? 'api'](event));
}

/**
 * What Node refuses before any handler sees it (an address and headers past its 16 KiB, a request that
 * is not HTTP) answered in the error shape rather than with Node's empty body. On AWS the HTTP API
 * refuses a request line and headers over 10,240 bytes itself.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const tooLong = error.code === 'HPE_HEADER_OVERFLOW' || error.code === 'HPE_URI_TOO_LONG';
  const status = tooLong ? 431 : 400;
  const body = JSON.stringify(
    tooLong
      ? errorBody('request_too_large', 'The address and headers are too long: keep them under 10 KiB, as the HTTP API on AWS does')
      : errorBody('invalid_request', 'The request is not valid HTTP/1.1'),
  );
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/**
 * The request line's target as a URL on a fixed base: the Host header (which may not parse) plays no
 * part, and "//v1/x" stays a path, not a host as a relative URL would read it.
 */
function requestUrl(target: string): URL | undefined {
  try {
    return target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > READ_LIMIT) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function toEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  body: Buffer,
  claims?: Record<string, string | number | boolean | string[]>,
  routeKey = '$default',
): HttpEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  // API Gateway joins repeated query parameters with commas.
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const type = headers['content-type'] ?? '';
  const textual = body.length === 0 || /json|text|xml|x-www-form-urlencoded/i.test(type);
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  } as HttpEvent;
}

export function jsonResult(statusCode: number, body: unknown): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

function send(res: ServerResponse, result: HttpResult) {
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.writeHead(result.statusCode, result.headers);
  res.end(body);
}
