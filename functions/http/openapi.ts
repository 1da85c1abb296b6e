/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
import * as z from 'zod/mini';
import { CallInput, ProspectInput, ProspectPatch, RepInput, TOUCH_KINDS, TOUCH_STATUSES, TouchPatch } from '../core/schemas.js';
import { PREVIEW_KINDS } from '../use-cases/render-preview.js';
import { PromisesReportQuery, ProspectSearchQuery } from './queries.js';

const schema = (s: z.ZodMiniType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const error = { $ref: '#/components/schemas/Error' };
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const body = (ref: string) => ({ required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const errors = {
  '400': { description: 'Invalid input', content: { 'application/json': { schema: error } } },
  '401': { description: 'No or bad token' },
  '404': { description: 'Not found (or not yours)', content: { 'application/json': { schema: error } } },
};
const touchAnswer = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Touch' } } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

/** Query parameters from the zod schema the route parses them with; `describe` adds what a reader needs. */
function queryParams(s: z.ZodMiniType, describe: Record<string, { description: string; format?: string }>) {
  const { properties = {}, required = [] } = schema(s) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    description: describe[name]?.description,
    schema: { ...property, ...(describe[name]?.format ? { format: describe[name].format } : {}) },
  }));
}
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });

let cached: unknown;
export function openApiDocument(): unknown {
  cached ??= {
    openapi: '3.1.0',
    info: { title: 'followthrough', version: '1', description: 'Follow-up cadences that keep the promises made on a call.' },
    security: [{ jwt: [] }],
    components: {
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Rep: schema(RepInput),
        Prospect: schema(ProspectInput),
        ProspectPatch: schema(ProspectPatch),
        CallOutcome: schema(CallInput),
        TouchPatch: schema(TouchPatch),
        Touch: {
          type: 'object',
          required: ['id', 'prospectId', 'kind', 'channel', 'recipient', 'status', 'dueAt', 'dueAtLocal'],
          properties: {
            id: { type: 'string' },
            prospectId: { type: 'string' },
            kind: {
              enum: [...TOUCH_KINDS],
              description: 'voicemail_email: the short note to the prospect a few minutes after a voicemail, naming the next try (the call field sendEmail: false turns it off)',
            },
            channel: { enum: ['email', 'sms'] },
            recipient: { enum: ['prospect', 'rep'] },
            status: { enum: [...TOUCH_STATUSES] },
            dueAt: { type: 'string', format: 'date-time' },
            dueAtLocal: { type: 'string' },
            attempt: { type: 'integer' },
            promiseAt: { type: 'string', format: 'date-time', description: 'rep_reminder: the next try its voicemail script promises; voicemail_email: the next try it names' },
            promiseAtLocal: { type: 'string' },
            template: { type: 'string', description: 'The templates and script parts used' },
            scriptVariant: { type: 'string', description: 'rep_reminder: the voicemail script variant its script speaks, such as hot.uptime.b' },
            reason: { type: 'string' },
          },
        },
        ScriptsReport: {
          type: 'object',
          required: ['team', 'interval', 'variants'],
          properties: {
            team: { type: 'string' },
            period: {
              type: 'object',
              description: 'The period asked for and the UTC days read for it (counts are kept by the UTC day the voicemail was left)',
              properties: { from: { type: 'string' }, to: { type: 'string' }, firstDay: { type: 'string', format: 'date' }, lastDay: { type: 'string', format: 'date' } },
            },
            interval: { type: 'string' },
            variants: {
              type: 'array',
              items: {
                type: 'object',
                required: ['variant', 'family', 'used', 'callbacks', 'rate', 'low', 'high'],
                properties: {
                  variant: { type: 'string', description: 'hot.uptime.b, or pair.price+cost_savings.a for a hand-written pair script' },
                  family: { type: 'string' },
                  used: { type: 'integer', description: 'Voicemails left with it' },
                  callbacks: { type: 'integer', description: 'Of those, followed by a call that reached the prospect' },
                  rate: { type: ['number', 'null'] },
                  low: { type: 'number', description: '2.5% quantile of the rate' },
                  high: { type: 'number', description: '97.5% quantile of the rate' },
                },
              },
            },
          },
        },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
              },
            },
          },
        },
      },
    },
    paths: {
      '/v1/health': { get: { security: [], responses: { '200': ok('Up') } } },
      '/v1/reps/me': {
        get: { responses: { '200': ok('The rep'), ...errors } },
        put: { requestBody: body('Rep'), responses: { '200': ok('The rep'), ...errors } },
      },
      '/v1/prospects': {
        get: {
          summary: "Search the rep's prospects",
          parameters: queryParams(ProspectSearchQuery, { q: { description: 'Words each found in the name or company (case and accents aside); absent lists everyone' } }),
          responses: { '200': ok('{prospects: [...]}: at most 50, by name'), ...errors },
        },
        post: { requestBody: body('Prospect'), responses: { '201': ok('The prospect'), '409': ok('Duplicate id'), ...errors } },
      },
      '/v1/prospects/{id}': {
        parameters: [idParam],
        get: { responses: { '200': ok('The prospect with its calls and touches'), ...errors } },
        patch: { requestBody: body('ProspectPatch'), responses: { '200': ok('The prospect'), ...errors } },
      },
      '/v1/prospects/{id}/calls': {
        parameters: [idParam, { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }],
        post: { requestBody: body('CallOutcome'), responses: { '201': ok('The call, its plan and the next attempt'), '409': ok('Conflict'), '422': ok('Refused by the rules'), ...errors } },
      },
      '/v1/prospects/{id}/preview': {
        parameters: [idParam, { name: 'kind', in: 'query', required: true, schema: { enum: [...PREVIEW_KINDS] } }],
        get: { responses: { '200': ok('The rendered message and its template'), ...errors } },
      },
      '/v1/followups': {
        parameters: [
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
        ],
        get: { responses: { '200': ok('Pending touches by due time (`touches`) and those that could not be delivered (`failed`, with `reason`)'), ...errors } },
      },
      '/v1/reports/scripts': {
        parameters: [
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'With to: the period; neither: every count so far' },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
        ],
        get: {
          responses: {
            '200': { description: 'Per voicemail script variant of the rep’s team: used, callbacks, rate and credible interval', content: { 'application/json': { schema: { $ref: '#/components/schemas/ScriptsReport' } } } },
            ...errors,
          },
        },
      },
      '/v1/touches/{id}': {
        parameters: [idParam],
        patch: { requestBody: body('TouchPatch'), responses: { '200': touchAnswer('The touch, rescheduled'), '422': ok('In the past or not pending'), ...errors } },
        delete: { responses: { '200': touchAnswer('The touch, cancelled'), ...errors } },
      },
      '/v1/reports/promises': {
        get: {
          summary: 'Promises kept, reach rate by attempt and by local hour, callbacks after a voicemail by script',
          parameters: queryParams(PromisesReportQuery, {
            from: { description: 'Start of the period, inclusive (ISO-8601 with an offset)', format: 'date-time' },
            to: { description: 'End of the period, exclusive; at most 366 days after from', format: 'date-time' },
            windowMinutes: { description: 'A call this close to a reminder keeps its promise: 0-240, default 15' },
          }),
          responses: { '200': ok('The figures (docs/reports.md)'), '422': ok('More than 1000 prospects had activity: pick a shorter period'), ...errors },
        },
      },
      '/v1/sheets/{token}': {
        parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
        get: { security: [], responses: { '200': html('The call-prep sheet behind an SMS link'), '400': html('The link is not valid or has expired') } },
      },
      '/app': { get: { security: [], summary: 'The rep console (sign-in on the page)', responses: { '200': html('The console page') } } },
      '/app/{path}': {
        parameters: [{ name: 'path', in: 'path', required: true, description: 'A console page, an asset, or config.json', schema: { type: 'string' } }],
        get: {
          security: [],
          responses: {
            '200': { description: 'The console page, a hashed asset, or config.json: {signIn: "local"} or {signIn: "cognito", domain, clientId, redirectUri, logoutUri}' },
            '404': { description: 'An unknown asset, or config.json on a deployment with no console sign-in' },
          },
        },
      },
      '/v1/touches/{id}/retry': {
        parameters: [idParam],
        post: { responses: { '200': ok('The touch, scheduled again to go out within the minute'), '409': ok('It changed meanwhile'), '422': ok('Not failed, or replaced by a later outcome'), ...errors } },
      },
      '/v1/unsubscribe': {
        parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string' } }],
        get: { security: [], responses: { '200': { description: 'Confirmation page' }, '400': { description: 'Invalid token' } } },
        post: { security: [], responses: { '200': { description: 'Unsubscribed (one-click, RFC 8058)' }, '400': { description: 'Invalid token' } } },
      },
    },
  };
  return cached;
}
