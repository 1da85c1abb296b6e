/**
 * The contract test's validator (test/support/contract.ts) on the real document: it must catch what
 * the contract test relies on it to catch, or the contract test could not fail.
 */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/http/openapi.js';
import { ContractValidator, type Exchange } from '../support/contract.js';

const validator = new ContractValidator(openApiDocument());
const AUTH = { authorization: 'Bearer t' };
const touch = { id: 't1', prospectId: 'p1', kind: 'rep_reminder', channel: 'sms', recipient: 'rep', status: 'scheduled', dueAt: '2026-11-25T21:00:00Z', dueAtLocal: '2026-11-25T15:00:00-06:00' };

function exchange(x: Partial<Exchange> & { responseJson?: unknown; type?: string }): Exchange {
  const { responseJson, type, ...rest } = x;
  return {
    method: 'DELETE',
    path: '/v1/touches/t1',
    query: new URLSearchParams(),
    headers: AUTH,
    status: 200,
    responseHeaders: new Headers({ 'content-type': type ?? 'application/json; charset=utf-8' }),
    responseBody: JSON.stringify(responseJson ?? touch),
    ...rest,
  };
}

describe('ContractValidator', () => {
  it('takes an exchange the document describes', () => {
    expect(validator.check(exchange({}))).toEqual({ operation: 'DELETE /v1/touches/{id}', request: [], response: [] });
  });

  it('finds a field the document does not declare, a missing one, and a wrong type', () => {
    expect(validator.check(exchange({ responseJson: { ...touch, claimedAt: '2026-11-25T21:00:00Z' } })).response).toEqual(['200 body: must NOT have additional properties (claimedAt)']);
    const { dueAtLocal: _dropped, ...missing } = touch;
    expect(validator.check(exchange({ responseJson: missing })).response).toEqual(["200 body: must have required property 'dueAtLocal'"]);
    expect(validator.check(exchange({ responseJson: { ...touch, dueAt: '2026-11-25T15:00:00-06:00' } })).response.join()).toMatch(/dueAt/);
  });

  it('finds a status and a content type the operation does not declare', () => {
    expect(validator.check(exchange({ status: 409, responseJson: { error: { code: 'x', message: 'y' } } })).response).toEqual([
      'status 409 is not declared (declared: 200, 400, 401, 404, 413, 500)',
    ]);
    expect(validator.check(exchange({ type: 'text/plain', responseBody: 'ok' })).response[0]).toMatch(/^content type text\/plain is not declared/);
    expect(validator.check(exchange({ status: 404, responseJson: { message: 'Not Found' } })).response.join()).toMatch(/required property 'error'/);
  });

  it('finds a request the document refuses: a path parameter, a body, a missing token, an unknown query parameter', () => {
    const patch = { method: 'PATCH', headers: { ...AUTH, 'content-type': 'application/json' } };
    expect(validator.check(exchange({ ...patch, body: JSON.stringify({ dueAt: '2026-12-01T10:30' }) })).request).toEqual([]);
    expect(validator.check(exchange({ ...patch, body: JSON.stringify({ dueAt: 'soon', extra: 1 }) })).request).toHaveLength(2);
    expect(validator.check(exchange({ ...patch, headers: AUTH, body: '{}' })).request[0]).toMatch(/content type \(none\)/);
    expect(validator.check(exchange({ path: '/v1/touches/a%20b' })).request[0]).toMatch(/^path parameter id/);
    expect(validator.check(exchange({ headers: {} })).request).toEqual(['the operation needs Authorization: Bearer <token>']);
    expect(validator.check(exchange({ query: new URLSearchParams({ force: '1' }) })).request).toEqual(['query parameter force is not in the document']);
  });

  it('reads a form body, and holds 405 to the methods the document gives the path', () => {
    const form = { method: 'POST', path: '/v1/unsubscribe', query: new URLSearchParams({ token: 'a.b' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const ok = { responseJson: { unsubscribed: true, email: 'a@b.example', changed: true } };
    expect(validator.check(exchange({ ...form, ...ok, body: 'List-Unsubscribe=One-Click' })).request).toEqual([]);
    expect(validator.check(exchange({ ...form, ...ok, body: 'List-Unsubscribe=Two-Clicks' })).request.join()).toMatch(/constant/);

    const error = JSON.stringify({ error: { code: 'method_not_allowed', message: 'Use GET' } });
    const right = exchange({ method: 'POST', path: '/v1/health', status: 405, responseBody: error, responseHeaders: new Headers({ 'content-type': 'application/json', allow: 'GET' }) });
    expect(validator.check(right).response).toEqual([]);
    const wrong = exchange({ method: 'POST', path: '/v1/health', status: 405, responseBody: error, responseHeaders: new Headers({ 'content-type': 'application/json', allow: 'GET, POST' }) });
    expect(validator.check(wrong).response).toEqual(['Allow is "GET, POST", the document gives the path GET']);
    expect(validator.check(exchange({ method: 'POST', path: '/v1/health', status: 405, responseBody: error })).response).toEqual(['header Allow is missing']);
  });

  it('matches a concrete path before a template, and the greedy console path across slashes', () => {
    expect(validator.check(exchange({ method: 'GET', path: '/app/config.json', responseJson: { signIn: 'local' } })).operation).toBe('GET /app/config.json');
    const page = exchange({ method: 'GET', path: '/app/prospects/p1', headers: {}, type: 'text/html', responseBody: '<!doctype html><title>x</title>' });
    expect(validator.check(page)).toEqual({ operation: 'GET /app/{proxy}', request: [], response: [] });
    expect(validator.check(exchange({ method: 'GET', path: '/nowhere', status: 404, responseJson: { error: { code: 'not_found', message: 'x' } } })).operation).toBe('404 unknown path');
  });
});
