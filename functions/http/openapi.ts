/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
import * as z from 'zod/mini';
import { CallInput, ProspectInput, ProspectPatch, RepInput, TouchPatch } from '../core/schemas.js';

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
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

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
      '/v1/prospects': { post: { requestBody: body('Prospect'), responses: { '201': ok('The prospect'), '409': ok('Duplicate id'), ...errors } } },
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
        parameters: [idParam, { name: 'kind', in: 'query', required: true, schema: { enum: ['voicemail', 'rep_reminder', 'resend_materials', 'recap', 'final_email', 'rep_notice', 'sms'] } }],
        get: { responses: { '200': ok('The rendered message and its template'), ...errors } },
      },
      '/v1/followups': {
        parameters: [
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
        ],
        get: { responses: { '200': ok('Pending touches by due time (`touches`) and those that could not be delivered (`failed`, with `reason`)'), ...errors } },
      },
      '/v1/touches/{id}': {
        parameters: [idParam],
        patch: { requestBody: body('TouchPatch'), responses: { '200': ok('The touch, rescheduled'), '422': ok('In the past or not pending'), ...errors } },
        delete: { responses: { '200': ok('The touch, cancelled'), ...errors } },
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
