/**
 * The OpenAPI 3.1 document, generated from the zod schemas that parse requests (core/schemas.ts,
 * queries.ts) and those the presenters answer with (responses.ts), one operation for each route of
 * the route table (routing.ts) with every status it can answer. test/unit/openapi.test.ts holds it
 * to the table, to shared/API.md and to the OpenAPI 3.1 schema; the contract test drives the
 * server through it.
 */
import * as z from 'zod/mini';
import { CallInput, idSchema, ProspectInput, ProspectPatch, RepInput, TouchPatch } from '../core/schemas.js';
import { FollowupsQuery, IdempotencyKey, PreviewQuery, PromisesReportQuery, ProspectSearchQuery, ScriptsReportQuery, TokenQuery } from './queries.js';
import {
  components,
  ConsoleConfigAnswer,
  ErrorBody,
  FollowupsAnswer,
  GatewayMessage,
  Health,
  OneClickForm,
  PreviewAnswer,
  PromisesReportAnswer,
  ProspectAnswer,
  ProspectBundleAnswer,
  ProspectList,
  RecordedCallAnswer,
  RepAnswer,
  ScriptsReportAnswer,
  TouchAnswer,
  UnsubscribedAnswer,
} from './responses.js';
import { ROUTES, type RouteSpec } from './routing.js';

type Json = Record<string, unknown>;

components.add(RepInput, { id: 'RepInput' });
components.add(ProspectInput, { id: 'ProspectInput' });
components.add(ProspectPatch, { id: 'ProspectPatch', description: 'Any prospect field; null clears an optional one' });
components.add(CallInput, { id: 'CallOutcome' });
components.add(TouchPatch, { id: 'TouchPatch', description: 'An instant with an offset, or a wall time in the prospect\'s zone' });

const ref = (schema: z.ZodMiniType) => {
  const id = components.get(schema)?.id;
  if (!id) throw new Error('openapi: a schema answered or taken is not registered in responses.ts components');
  return { $ref: `#/components/schemas/${id}` };
};

/** JSON Schema for a schema that is not a component (parameters), in the shape requests take. */
function inline(schema: z.ZodMiniType): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return tidy(rest) as Json;
}

/** z.int() says "a safe integer" with bounds no reader needs. */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'maximum' && v === Number.MAX_SAFE_INTEGER) || (k === 'minimum' && v === Number.MIN_SAFE_INTEGER)) continue;
    out[k] = tidy(v);
  }
  return out;
}

const json = (schema: Json) => ({ 'application/json': { schema } });
const html = { 'text/html': { schema: { type: 'string', description: 'A page in the console\'s look' } } };
/** Errors answer JSON to programs and a page to a browser (an Accept with text/html). */
const errorContent = { ...json(ref(ErrorBody)), ...html };

const ERRORS: Record<number, string> = {
  400: 'Invalid input: the message and issues say what to fix',
  401: 'No token or a bad one. On AWS the HTTP API\'s JWT authorizer answers {"message": "Unauthorized"} before any function runs',
  404: 'Not found, or not yours',
  409: 'A version conflict or a duplicate',
  410: 'Gone for good',
  413: 'The body is over 64 KiB',
  422: 'A valid request the rules refuse',
  500: 'Something went wrong on our side; the request may be retried',
};

type Status = keyof typeof ERRORS;
type Errors = Partial<Record<Status, string>> | Status[];

function errorResponses(errors: Errors): Json {
  const entries = Array.isArray(errors) ? errors.map((s) => [s, ERRORS[s]!] as const) : Object.entries(errors).map(([s, d]) => [Number(s), d] as const);
  return Object.fromEntries(
    entries
      .sort(([a], [b]) => a - b)
      .map(([status, description]) => [
        String(status),
        {
          description,
          content: status === 401 ? { ...json({ anyOf: [ref(ErrorBody), ref(GatewayMessage)] }), ...html } : errorContent,
        },
      ]),
  );
}

/** Query parameters from the zod schema the route parses them with; `describe` adds what a reader needs. */
function queryParams(s: z.ZodMiniType, describe: Record<string, string> = {}) {
  const { properties = {}, required = [] } = inline(s) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    ...(describe[name] ? { description: describe[name] } : {}),
    schema,
  }));
}

const pathParam = (name: string, schema: Json, description?: string) => ({ name, in: 'path', required: true, ...(description ? { description } : {}), schema });
const idParam = () => pathParam('id', inline(idSchema));
const body = (schema: z.ZodMiniType) => ({ required: true, content: json(ref(schema)) });
const answer = (description: string, schema: z.ZodMiniType) => ({ description, content: json(ref(schema)) });

interface Operation {
  summary: string;
  description?: string;
  parameters?: Json[];
  requestBody?: Json;
  responses: Json;
}

/** Every operation, by the route table's `METHOD path`; the unit test holds the two equal. */
function operations(): Record<string, Operation> {
  const period = { from: 'With to: the period; neither: every count so far', to: 'End of the period, exclusive' };
  return {
    'GET /v1/health': { summary: 'Whether the API is up', responses: { '200': answer('Up', Health) } },
    'PUT /v1/reps/me': {
      summary: 'Create or replace your rep profile (the token\'s sub)',
      requestBody: body(RepInput),
      responses: { '200': answer('The rep', RepAnswer), ...errorResponses([400, 401, 413, 500]) },
    },
    'GET /v1/reps/me': {
      summary: 'Your rep profile',
      responses: { '200': answer('The rep', RepAnswer), ...errorResponses({ 401: ERRORS[401], 404: 'No profile yet: create it with PUT /v1/reps/me', 500: ERRORS[500] }) },
    },
    'GET /v1/prospects': {
      summary: 'Search your prospects',
      parameters: queryParams(ProspectSearchQuery, { q: 'Words each found in the name or company (case and accents aside); absent lists everyone' }),
      responses: { '200': answer('At most 50, by name', ProspectList), ...errorResponses([400, 401, 500]) },
    },
    'POST /v1/prospects': {
      summary: 'Add a prospect (an id is made when none is given)',
      requestBody: body(ProspectInput),
      responses: { '201': answer('The prospect', ProspectAnswer), ...errorResponses({ 400: ERRORS[400], 401: ERRORS[401], 409: 'duplicate_id: a prospect with this id exists', 413: ERRORS[413], 500: ERRORS[500] }) },
    },
    'GET /v1/prospects/{id}': {
      summary: 'A prospect with its calls and touches',
      parameters: [idParam()],
      responses: { '200': answer('The prospect with its calls and touches', ProspectBundleAnswer), ...errorResponses([400, 401, 404, 500]) },
    },
    'PATCH /v1/prospects/{id}': {
      summary: 'Change a prospect\'s details',
      parameters: [idParam()],
      requestBody: body(ProspectPatch),
      responses: {
        '200': answer('The prospect', ProspectAnswer),
        ...errorResponses({ 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404], 409: 'version_conflict: changed by other requests at the same time; try again', 413: ERRORS[413], 500: ERRORS[500] }),
      },
    },
    'POST /v1/prospects/{id}/calls': {
      summary: 'Record a call outcome: the touches that keep its promises are planned and scheduled',
      description: 'The same Idempotency-Key with the same body answers the first result again and schedules nothing more.',
      parameters: [idParam(), { name: 'Idempotency-Key', in: 'header', required: false, schema: inline(IdempotencyKey) }],
      requestBody: body(CallInput),
      responses: {
        '201': answer('The call, its plan, what was not planned and why, and the next attempt', RecordedCallAnswer),
        ...errorResponses({
          400: ERRORS[400],
          401: ERRORS[401],
          404: ERRORS[404],
          409: 'idempotency_key_reused: the key came with another body; version_conflict: the prospect is being changed by other requests',
          413: ERRORS[413],
          422: 'rep_profile_missing, callback_in_past, call_in_future, or a wall time that does not exist or repeats in the prospect\'s zone',
          500: ERRORS[500],
        }),
      },
    },
    'GET /v1/prospects/{id}/preview': {
      summary: 'A touch kind rendered for the prospect now, with its template',
      parameters: [idParam(), ...queryParams(PreviewQuery, { kind: 'voicemail and sms render the rep reminder\'s voicemail script and SMS; the others, the email of that kind' })],
      responses: { '200': answer('The rendered message', PreviewAnswer), ...errorResponses({ 400: ERRORS[400], 401: ERRORS[401], 404: ERRORS[404], 422: 'rep_profile_missing', 500: ERRORS[500] }) },
    },
    'GET /v1/followups': {
      summary: 'Your pending touches by due time',
      parameters: queryParams(FollowupsQuery, { from: 'Default: a day ago', to: 'Default: two weeks after from' }),
      responses: { '200': answer('The window read and the touches in it', FollowupsAnswer), ...errorResponses([400, 401, 500]) },
    },
    'PATCH /v1/touches/{id}': {
      summary: 'Move a pending touch',
      parameters: [idParam()],
      requestBody: body(TouchPatch),
      responses: {
        '200': answer('The touch, rescheduled', TouchAnswer),
        ...errorResponses({
          400: ERRORS[400],
          401: ERRORS[401],
          404: ERRORS[404],
          409: 'touch_changed: moved by another request meanwhile; touch_sending: being sent right now; version_conflict: the prospect is being changed by other requests',
          413: ERRORS[413],
          422: 'touch_not_pending, due_in_past, or a wall time that does not exist or repeats',
          500: ERRORS[500],
        }),
      },
    },
    'DELETE /v1/touches/{id}': {
      summary: 'Cancel a pending touch (one no longer pending is answered as it is)',
      parameters: [idParam()],
      responses: { '200': answer('The touch, cancelled', TouchAnswer), ...errorResponses([400, 401, 404, 500]) },
    },
    'POST /v1/touches/{id}/retry': {
      summary: 'Send a failed touch again once its cause is fixed',
      description: 'Back to scheduled for the time it promised, out within the minute (redrivenAt says when it was put back).',
      parameters: [idParam()],
      responses: {
        '200': answer('The touch, scheduled again', TouchAnswer),
        ...errorResponses({
          400: ERRORS[400],
          401: ERRORS[401],
          404: ERRORS[404],
          409: 'touch_changed: the touch changed while it was being retried',
          422: 'not_failed: only a failed touch can be retried; superseded: a later outcome replaced its plan',
          500: ERRORS[500],
        }),
      },
    },
    'GET /v1/unsubscribe': {
      summary: 'The unsubscribe page behind an email\'s link: a button that posts the one-click form',
      parameters: queryParams(TokenQuery, { token: 'The signed token from the email\'s link' }),
      responses: {
        '200': { description: 'The confirmation page, naming the address and the sender', content: html },
        ...errorResponses({ 400: 'invalid_token: the link is not valid (JSON for Accept: application/json, a page otherwise)', 500: ERRORS[500] }),
      },
    },
    'POST /v1/unsubscribe': {
      summary: 'One-click unsubscribe (RFC 8058)',
      description: 'Mail clients post List-Unsubscribe=One-Click; the token alone decides, so a body that is missing is no error.',
      parameters: queryParams(TokenQuery, { token: 'The signed token from the List-Unsubscribe header' }),
      requestBody: { required: false, content: { 'application/x-www-form-urlencoded': { schema: ref(OneClickForm) }, 'multipart/form-data': { schema: ref(OneClickForm) } } },
      responses: {
        '200': { description: 'Unsubscribed: JSON for Accept: application/json, a page otherwise', content: { ...json(ref(UnsubscribedAnswer)), ...html } },
        ...errorResponses({ 400: 'invalid_token: the link is not valid', 413: ERRORS[413], 500: ERRORS[500] }),
      },
    },
    'GET /v1/sheets/{token}': {
      summary: 'The call-prep sheet behind an SMS reminder\'s link',
      parameters: [pathParam('token', { type: 'string' }, 'The signed token from the SMS; it opens the sheet for a week')],
      responses: {
        '200': { description: 'The sheet', content: html },
        ...errorResponses({
          400: 'invalid_link: altered or not ours (JSON for Accept: application/json, a page otherwise)',
          404: 'The reminder behind the link is gone',
          410: 'link_expired: a sheet link works for a week',
          500: ERRORS[500],
        }),
      },
    },
    'GET /v1/openapi.json': {
      summary: 'This document',
      responses: {
        '200': { description: 'The OpenAPI 3.1 document', content: json({ type: 'object', required: ['openapi', 'info', 'paths'] }) },
        ...errorResponses([401]),
      },
    },
    'GET /v1/reports/promises': {
      summary: 'Promises kept, reach rate by attempt and by local hour, callbacks after a voicemail by script',
      parameters: queryParams(PromisesReportQuery, {
        from: 'Start of the period, inclusive',
        to: 'End of the period, exclusive; at most 366 days after from',
        windowMinutes: 'A call this close to a reminder keeps its promise: 0-240, default 15',
      }),
      responses: {
        '200': answer('The figures (docs/reports.md)', PromisesReportAnswer),
        ...errorResponses({ 400: ERRORS[400], 401: ERRORS[401], 422: 'report_too_large: more than 1000 prospects had activity; pick a shorter period', 500: ERRORS[500] }),
      },
    },
    'GET /v1/reports/scripts': {
      summary: 'Per voicemail script variant of your team: used, callbacks, rate and credible interval',
      parameters: queryParams(ScriptsReportQuery, period),
      responses: { '200': answer('The variants', ScriptsReportAnswer), ...errorResponses([400, 401, 500]) },
    },
    'GET /app': { summary: 'The rep console (sign-in on the page)', responses: { '200': { description: 'The console page', content: html } } },
    'GET /app/{proxy+}': {
      summary: 'A console page or asset',
      parameters: [pathParam('proxy', { type: 'string' }, 'The rest of the path: a page of the console (answered with the console page) or assets/<hashed name>')],
      responses: {
        '200': {
          description: 'The console page or a hashed asset (gzipped for a client that takes gzip)',
          content: { ...html, 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } }, 'image/svg+xml': { schema: { type: 'string' } } },
        },
        ...errorResponses({ 400: 'The path is not valid percent-encoding' }),
        '404': { description: 'An unknown asset: a page, or the JSON error to Accept: application/json', content: errorContent },
      },
    },
  };
}

/** Documented beside the route that serves them: paths a greedy route of the table answers in its own way. */
function subPaths(): Record<string, Record<string, Operation>> {
  return {
    '/app/config.json': {
      get: {
        summary: 'How the console signs in (served by GET /app/{proxy+})',
        responses: {
          '200': answer('{signIn: "local"} on the local runtime; the Cognito hosted UI on AWS', ConsoleConfigAnswer),
          '404': { description: 'console_sign_in_not_configured: a deployment with its own token issuer', content: json(ref(ErrorBody)) },
        },
      },
    },
  };
}

/** The table's path in OpenAPI's syntax: a greedy {proxy+} is a {proxy} parameter that may hold slashes. */
export const openApiPath = (path: string) => path.replace(/\{(\w+)\+\}/g, '{$1}');

let cached: Json | undefined;
export function openApiDocument(): Json {
  cached ??= build();
  return cached;
}

function build(): Json {
  const ops = operations();
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const key = `${route.method} ${route.path}`;
    const op = ops[key];
    if (!op) throw new Error(`openapi: no operation for ${key}`);
    (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = { ...withTooLarge(op), ...security(route) };
  }
  const extra = Object.keys(ops).filter((key) => !ROUTES.some((r) => `${r.method} ${r.path}` === key));
  if (extra.length) throw new Error(`openapi: operations for routes not in the table: ${extra.join(', ')}`);
  for (const [path, item] of Object.entries(subPaths())) paths[path] = Object.fromEntries(Object.entries(item).map(([m, op]) => [m, { ...withTooLarge(op), security: [] }]));

  const { schemas } = z.toJSONSchema(components, { uri: (id) => `#/components/schemas/${id}`, io: 'input', unrepresentable: 'any' }) as { schemas: Record<string, Json> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  const callOutcome = schemas.CallOutcome!;
  // The rules across fields that CallInput checks in code, stated so a validator knows them too.
  callOutcome.allOf = [
    { if: { properties: { outcome: { const: 'callback_agreed' } }, required: ['outcome'] }, then: { required: ['callbackAt'] } },
    { if: { properties: { outcome: { const: 'stalled' } }, required: ['outcome'] }, then: { required: ['stallReason'] } },
  ];
  return {
    openapi: '3.1.0',
    info: {
      title: 'followthrough',
      version: '1',
      description:
        'Follow-up cadences that keep the promises made on a call. An unknown path answers 404 (NotFound) before any token check; a known path with another method answers 405 (MethodNotAllowed) with Allow; an address and headers over 10 KiB answer 431 (HeadersTooLarge) before any route. A browser (an Accept with text/html) gets errors as pages; a program gets the JSON error.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    security: [{ jwt: [] }],
    paths,
    components: {
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The rep is the token\'s sub. Locally: npm run token -- <repId>' } },
      schemas: tidy(schemas),
      responses: {
        NotFound: { description: 'An unknown path', content: errorContent },
        MethodNotAllowed: {
          description: 'A known path with a method it does not take',
          headers: { Allow: { required: true, description: 'The methods the path takes', schema: { type: 'string' } } },
          content: errorContent,
        },
        HeadersTooLarge: { description: 'request_too_large: the request line and headers are over 10 KiB (on AWS, the HTTP API\'s own answer)', content: json(ref(ErrorBody)) },
      },
    },
  };
}

/** A body over 64 KiB answers 413 on every route (router.ts), a route that reads no body included. */
function withTooLarge(op: Operation): Operation {
  if (op.responses['413']) return op;
  const responses = { ...op.responses, ...errorResponses([413]) };
  return { ...op, responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))) };
}

function security(route: RouteSpec): { security?: [] } {
  return route.auth ? {} : { security: [] };
}
