/**
 * An in-process validator of HTTP exchanges against the OpenAPI document (JSON Schema 2020-12 with
 * ajv): the request against its operation's parameters, security and body; the answer against the
 * statuses the operation declares and the schema of the content type it came in. Objects are closed
 * here (additionalProperties: false where the document leaves them open, as the contract adds fields
 * freely), so a field the server sends and the document does not declare is a violation too.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

type Json = Record<string, unknown>;
const BASE = 'https://followthrough.test/openapi.json';

export interface Exchange {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** The body as sent, undefined for none. */
  body?: string;
  status: number;
  responseHeaders: Headers;
  responseBody: string;
}

export interface Checked {
  /** `METHOD /path` of the document's operation, or `404 unknown path` / `405 METHOD /path`. */
  operation: string;
  request: string[];
  response: string[];
}

interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema: Json }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, { content?: Record<string, { schema: Json }>; headers?: Record<string, { required?: boolean }> }>;
  security?: unknown[];
}

/** Every object with properties that says nothing of others gets additionalProperties: false. */
function closed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(closed);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, closed(s)])) : closed(v);
  if (out.type === 'object' && out.properties && !('additionalProperties' in out) && !('unevaluatedProperties' in out)) out.additionalProperties = false;
  return out;
}

/** `#/components/...` points into the one schema that holds the document's components. */
function rebased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebased);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/') ? `${BASE}#/$defs/${v.slice('#/components/schemas/'.length)}` : rebased(v)]),
  );
}

const mediaType = (header: string | null | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();

export class ContractValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<unknown, ValidateFunction>();
  private readonly paths: { template: string; re: RegExp; names: string[]; item: Record<string, Operation> }[];

  constructor(readonly document: Json) {
    // strict: a keyword ajv does not know (a typo, or one OpenAPI 3.1 does not allow) fails the compile;
    // `required` in an if/then may name a property the same subschema does not define.
    this.ajv = new Ajv2020({ strict: true, strictRequired: false, strictTypes: false, allErrors: true });
    formats.default(this.ajv);
    const components = document.components as Json;
    // The document's component schemas, as the $defs of one schema that $refs point into.
    this.ajv.addSchema({ $id: BASE, $defs: closed(rebased((components as { schemas: Json }).schemas)) } as Json);
    const paths = document.paths as Record<string, Record<string, Operation>>;
    this.paths = Object.entries(paths)
      // Concrete paths before templated ones, as OpenAPI matches them.
      .sort(([a], [b]) => Number(a.includes('{')) - Number(b.includes('{')))
      .map(([template, item]) => {
        const names: string[] = [];
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
          names.push(name);
          // {proxy} stands for the route table's greedy {proxy+}: the rest of the path.
          return name === 'proxy' ? '(.+)' : '([^/]+)';
        });
        return { template, re: new RegExp(`^${source}/?$`), names, item };
      });
  }

  /** Compiles every schema the document holds: ajv refuses a schema it cannot read. */
  compileAll(): number {
    let count = 0;
    const walk = (value: unknown, key?: string) => {
      if (Array.isArray(value)) return value.forEach((v) => walk(v));
      if (!value || typeof value !== 'object') return;
      if (key === 'schema') {
        this.validator(value as Json);
        count++;
        return;
      }
      for (const [k, v] of Object.entries(value)) walk(v, k);
    };
    walk(this.document.paths);
    for (const name of Object.keys((this.document.components as { schemas: Json }).schemas)) {
      this.validator({ $ref: `#/components/schemas/${name}` });
      count++;
    }
    return count;
  }

  /** What the document's `schema` finds wrong with `value` (a body or a parameter), none when it takes it. */
  schemaErrors(schema: Json, value: unknown): string[] {
    return this.errors(schema, value, 'value');
  }

  check(x: Exchange): Checked {
    const request: string[] = [];
    const response: string[] = [];
    const matched = this.paths.find((p) => p.re.test(x.path));
    const components = (this.document.components as { responses: Record<string, Operation['responses'][string]> }).responses;
    if (!matched) {
      this.checkResponse(x, { '404': components.NotFound! }, response);
      return { operation: '404 unknown path', request: ['the path is not in the document'], response };
    }
    const method = x.method.toLowerCase();
    const op = matched.item[method];
    if (!op) {
      this.checkResponse(x, { '405': components.MethodNotAllowed! }, response);
      const allow = (x.responseHeaders.get('allow') ?? '').split(/,\s*/).sort().join(', ');
      const documented = Object.keys(matched.item).map((m) => m.toUpperCase()).sort().join(', ');
      if (x.status === 405 && x.responseHeaders.has('allow') && allow !== documented) response.push(`Allow is "${allow}", the document gives the path ${documented}`);
      return { operation: `405 ${x.method} ${matched.template}`, request: [`${x.method} is not an operation of ${matched.template}`], response };
    }
    const values = matched.re.exec(x.path)!.slice(1);
    const decoded = matched.names.map((name, i) => {
      try {
        return [name, decodeURIComponent(values[i]!)];
      } catch {
        request.push(`path parameter ${name} is not valid percent-encoding`);
        return [name, values[i]!];
      }
    });
    this.checkRequest(x, op, Object.fromEntries(decoded), request);
    this.checkResponse(x, op.responses, response);
    return { operation: `${x.method} ${matched.template}`, request, response };
  }

  private checkRequest(x: Exchange, op: Operation, pathValues: Record<string, string>, problems: string[]) {
    const params = op.parameters ?? [];
    for (const p of params) {
      const value = p.in === 'path' ? pathValues[p.name] : p.in === 'query' ? (x.query.get(p.name) ?? undefined) : p.in === 'header' ? x.headers[p.name.toLowerCase()] : undefined;
      if (value === undefined) {
        if (p.required) problems.push(`${p.in} parameter ${p.name} is required`);
        continue;
      }
      problems.push(...this.errors(p.schema, value, `${p.in} parameter ${p.name}`));
    }
    for (const name of new Set(x.query.keys())) {
      if (!params.some((p) => p.in === 'query' && p.name === name)) problems.push(`query parameter ${name} is not in the document`);
    }
    if (op.security?.length !== 0 && !/^Bearer \S+/i.test(x.headers.authorization ?? '')) problems.push('the operation needs Authorization: Bearer <token>');
    if (!op.requestBody) {
      if (x.body) problems.push('the operation takes no body');
      return;
    }
    if (!x.body) {
      if (op.requestBody.required) problems.push('the body is required');
      return;
    }
    const type = mediaType(x.headers['content-type']);
    const media = op.requestBody.content[type];
    if (!media) return void problems.push(`the body's content type ${type || '(none)'} is not one of ${Object.keys(op.requestBody.content).join(', ')}`);
    let value: unknown;
    if (type === 'application/json') {
      try {
        value = JSON.parse(x.body);
      } catch {
        return void problems.push('the body is not JSON');
      }
    } else if (type === 'application/x-www-form-urlencoded') {
      value = Object.fromEntries(new URLSearchParams(x.body));
    } else if (type === 'multipart/form-data') {
      value = multipartFields(x.body, x.headers['content-type']!);
    }
    problems.push(...this.errors(media.schema, value, 'body'));
  }

  private checkResponse(x: Exchange, responses: Operation['responses'], problems: string[]) {
    const declared = responses[String(x.status)];
    if (!declared) return void problems.push(`status ${x.status} is not declared (declared: ${Object.keys(responses).join(', ')})`);
    for (const [name, header] of Object.entries(declared.headers ?? {})) {
      if (header.required && !x.responseHeaders.has(name)) problems.push(`header ${name} is missing`);
    }
    if (!declared.content) {
      if (x.responseBody) problems.push('a body where the document declares none');
      return;
    }
    const type = mediaType(x.responseHeaders.get('content-type'));
    const media = declared.content[type];
    if (!media) return void problems.push(`content type ${type || '(none)'} is not declared for ${x.status} (declared: ${Object.keys(declared.content).join(', ')})`);
    if (type === 'application/json') {
      let value: unknown;
      try {
        value = JSON.parse(x.responseBody);
      } catch {
        return void problems.push('the body is not JSON');
      }
      problems.push(...this.errors(media.schema, value, `${x.status} body`));
    } else if (type === 'text/html' && !/^<!doctype html>/i.test(x.responseBody.trimStart())) {
      problems.push('the page is not an HTML document');
    }
  }

  private validator(schema: Json): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(closed(rebased(schema)) as Json);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  private errors(schema: Json, value: unknown, where: string): string[] {
    const validate = this.validator(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${where}${e.instancePath}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }
}

/** The text fields of a multipart/form-data body. */
function multipartFields(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return {};
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`)) {
    const name = /name="([^"]+)"/.exec(part)?.[1];
    const value = /\r\n\r\n([\s\S]*?)\r\n$/.exec(part)?.[1];
    if (name && value !== undefined) fields[name] = value;
  }
  return fields;
}
