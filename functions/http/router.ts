/**
 * Routing over API Gateway HTTP API (payload 2.0) events: path and method, auth claims, JSON in
 * and out; errors become answers through http/errors.ts.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { silentLogger, type Logger } from '../ports/logger.js';
import { errorAnswer, PayloadTooLargeError, UnauthorizedError } from './errors.js';
import { errorPage, notFoundPage, prefersHtml } from './public-pages.js';
import type { ErrorBody } from './responses.js';
import { matchRoute } from './routing.js';

/** The event as the HTTP API's JWT authorizer hands it over (claims of a verified token). */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, string | number | boolean | string[]> } };
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string; headers: Record<string, string> };

export interface RequestContext {
  event: HttpEvent;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** The rep (the token's sub); throws 401 when the route needs it and there is none. */
  repId(): string;
  /** The parsed JSON body. */
  json(): unknown;
  header(name: string): string | undefined;
  /** The API's own base URL as the client reached it. */
  baseUrl(): string;
}

export type RouteHandler = (ctx: RequestContext) => Promise<HttpResult | { status?: number; body: unknown }>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: RouteHandler;
}

const MAX_BODY = 64 * 1024;
/** Cognito subjects are UUIDs; other issuers' ("auth0|abc...") fit well inside this. */
export const MAX_SUBJECT = 128;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isUsableSubject(sub: string): boolean {
  // A lone surrogate cannot be stored as UTF-8; control characters have no place in an id.
  return sub.length <= MAX_SUBJECT && !LONE_SURROGATE.test(sub) && !/[\u0000-\u001f\u007f]/.test(sub);
}

export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly log: Logger = silentLogger) {}

  on(method: string, path: string, handler: RouteHandler): this {
    const keys: string[] = [];
    // {name} takes one segment; {name+} the rest of the path, as API Gateway's greedy {proxy+}.
    const pattern = new RegExp(
      `^${path.replace(/\{(\w+)(\+?)\}/g, (_, key: string, greedy: string) => {
        keys.push(key);
        return greedy ? '(.+)' : '([^/]+)';
      })}/?$`,
    );
    this.routes.push({ method, pattern, keys, handler });
    return this;
  }

  async handle(event: HttpEvent): Promise<HttpResult> {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath;
    // A browser opening an address gets a page for an error; programs get the JSON error.
    const page = prefersHtml(lowerKeys(event.headers ?? {}).accept);
    try {
      const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
      if (!route) {
        // A path of the route table answers 405 with the methods it takes, whichever function serves
        // them: on AWS the $default route brings POST /v1/sheets/x here, to the api function.
        const table = matchRoute(method, path);
        const methods = [...new Set([...this.routes.filter((r) => r.pattern.test(path)).map((r) => r.method), ...table.methods])];
        if (methods.length === 0 || table.route) {
          if (page) return notFoundPage();
          throw new NotFoundError(`The route ${path}`);
        }
        const allow = { allow: methods.join(', ') };
        const message = `Use ${methods.join(' or ')} on ${path}`;
        return page ? errorPage(405, message, allow) : json(405, errorBody('method_not_allowed', message), allow);
      }
      // API.md: a body over 64 KiB answers 413 on every route, whether or not the route reads one.
      if (bodyBytes(event) > MAX_BODY) throw new PayloadTooLargeError();
      const m = route.pattern.exec(path)!;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodePathParam(k, m[i + 1]!)));
      const result = await route.handler(context(event, params));
      if ('statusCode' in result) return result;
      return json(result.status ?? 200, result.body);
    } catch (error) {
      return this.errorResponse(error, method, path, page);
    }
  }

  private errorResponse(error: unknown, method: string, path: string, page: boolean): HttpResult {
    const answer = errorAnswer(error);
    if (answer) return page ? errorPage(answer.status, answer.message) : json(answer.status, errorBody(answer.code, answer.message, answer.issues));
    this.log.error('unhandled error', { method, path, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    const message = 'Something went wrong on our side; the request may be retried';
    return page ? errorPage(500, message) : json(500, errorBody('internal_error', message));
  }
}

function context(event: HttpEvent, params: Record<string, string>): RequestContext {
  const headers = lowerKeys(event.headers ?? {});
  let parsed: { value: unknown } | undefined;
  return {
    event,
    params,
    query: event.queryStringParameters ?? {},
    header: (name) => headers[name.toLowerCase()],
    repId() {
      const sub = event.requestContext.authorizer?.jwt?.claims?.sub;
      if (typeof sub !== 'string' || !sub) throw new UnauthorizedError();
      // The subject becomes a key part and a schedule payload field: refuse what those cannot hold.
      if (!isUsableSubject(sub)) {
        throw new UnauthorizedError(`The token's subject cannot be used as a rep id: it must be 1-${MAX_SUBJECT} printable characters; sign in with another identity provider user`);
      }
      return sub;
    },
    json() {
      if (parsed) return parsed.value;
      const raw = event.body ?? '';
      const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
      if (!text.trim()) throw new ValidationError('The request needs a JSON body');
      const type = headers['content-type'] ?? '';
      if (!/^application\/(.+\+)?json\b/i.test(type)) {
        throw new ValidationError('Send the body as JSON with Content-Type: application/json');
      }
      try {
        // RFC 8259 section 8.1: a parser may ignore a leading byte order mark, and some tools write one.
        parsed = { value: JSON.parse(text.replace(/^\uFEFF/, '')) };
      } catch {
        throw new ValidationError('The body is not valid JSON: check quotes and commas');
      }
      return parsed.value;
    },
    baseUrl() {
      const host = headers['x-forwarded-host'] ?? event.requestContext.domainName ?? headers.host ?? 'localhost';
      const proto = headers['x-forwarded-proto'] ?? (host.startsWith('localhost') || host.startsWith('127.') ? 'http' : 'https');
      return `${proto}://${host}`;
    },
  };
}

function bodyBytes(event: HttpEvent): number {
  if (!event.body) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').length : Buffer.byteLength(event.body);
}

/** A malformed escape such as %E0%A4%A is the client's mistake (400), not a crash (500). */
function decodePathParam(key: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ValidationError(`The path parameter ${key} is not valid percent-encoding`, [{ path: key, message: 'Not valid percent-encoding' }]);
  }
}

function lowerKeys(h: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

export function errorBody(code: string, message: string, issues?: { path: string; message: string }[]): ErrorBody {
  return { error: { code, message, ...(issues?.length ? { issues } : {}) } };
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function html(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      ...headers,
    },
    body,
  };
}
