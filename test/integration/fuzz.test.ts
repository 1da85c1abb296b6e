/**
 * Seeded fuzzing of every route on the local runtime: whatever comes in, nothing answers 5xx, every
 * answer is one the OpenAPI document declares for the route (status, content type, schema), and
 * every 4xx a program asked for is the API's error shape with a message a person can act on.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/http/openapi.js';
import { ROUTES } from '../../functions/http/routing.js';
import { ContractValidator } from '../support/contract.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

const SEED = 20261125;
const REQUESTS = 1200;

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', 'null', '..', '%', '%E0%A4%A', '\ud800', 'a'.repeat(3000), '<script>x</script>', '{{constructor}}', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '0001-01-01T00:00Z', '2026-11-25T15:00', 'dana', '2027-01-05T10:00:00+99:99', '2026-02-30T10:00:00Z', '   ', '!!!', '日本', 'ftp://example.com/q', '\uFEFF{}'),
);
/** JSON values of every shape, including the fields the API knows with wrong types and values. */
const fieldNames = ['outcome', 'at', 'callbackAt', 'stallReason', 'hotButtons', 'materials', 'notes', 'sendRecap', 'sendEmail', 'name', 'email', 'phone', 'timezone', 'reminderChannel', 'country', 'id', 'dueAt', 'company', 'decisionMakers'];
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('any'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), text), tie('any'), { maxKeys: 5 })),
})).any;
/** Near-valid bodies, so requests get past the first check and into the rules. */
const nearValid = fc.oneof(
  fc.record({ outcome: fc.constantFrom('callback_agreed', 'stalled', 'voicemail', 'no_answer', 'won', 'not_interested'), callbackAt: fc.constantFrom('2026-11-27T10:00', '2026-11-20T10:00', '2026-03-08T02:30', '2026-11-27T10:00:00Z'), stallReason: fc.constantFrom('price', 'needs_review', 'nope'), materials: fc.constant([{ title: 'Quote', url: 'https://example.com/q' }]) }, { requiredKeys: ['outcome'] }),
  fc.record({ name: text, email: fc.constantFrom('a@b.example', 'not-an-email'), timezone: fc.constantFrom('America/Chicago', 'Mars/Base'), reminderChannel: fc.constantFrom('email', 'sms'), phone: fc.constantFrom('+15551234567', '555') }, { requiredKeys: ['name', 'timezone'] }),
  fc.record({ dueAt: fc.constantFrom('2026-11-27T10:00', '2025-01-01T00:00:00Z', 'soon') }),
);
const body = fc.oneof(
  nearValid.map((v) => ({ type: 'application/json', raw: JSON.stringify(v) })),
  nearValid.map((v) => ({ type: 'application/json', raw: JSON.stringify(v) })),
  value.map((v) => ({ type: 'application/json', raw: JSON.stringify(v) ?? 'null' })),
  fc.record({ outcome: fc.constantFrom('callback_agreed', 'stalled', 'voicemail', 'no_answer', 'won', 'not_interested', 'maybe'), callbackAt: text, stallReason: text, at: text }).map((v) => ({ type: 'application/json', raw: JSON.stringify(v) })),
  text.map((raw) => ({ type: 'application/json', raw })),
  text.map((raw) => ({ type: 'text/plain', raw })),
  fc.constant({ type: 'application/json', raw: JSON.stringify({ notes: 'x'.repeat(70_000) }) }),
  fc.constant(undefined),
);
const segment = fc.oneof(fc.constantFrom('dana', 'dana', 'dana', 'nobody', '01ABC'), text.map((s) => { try { return encodeURIComponent(s); } catch { return '%ED%A0%80'; } }), text);
const request = fc.record({
  route: fc.constantFrom(...ROUTES, { method: 'GET', path: '/v1/nowhere/{id}', target: 'api', auth: true }, { method: 'DELETE', path: '/v1/health', target: 'api', auth: false }),
  // Mostly the route's own method, sometimes another.
  method: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD') }),
  params: fc.array(segment, { minLength: 2, maxLength: 2 }),
  query: fc.dictionary(fc.constantFrom('from', 'to', 'kind', 'token', 'q', 'windowMinutes', 'x'), text, { maxKeys: 3 }),
  body,
  auth: fc.constantFrom('rep', 'rep', 'rep', 'other', 'none', 'garbage'),
  accept: fc.constantFrom('application/json', 'text/html', '*/*'),
});

describe('fuzzing every route', () => {
  const contract = new ContractValidator(openApiDocument());
  let rt: TestRuntime;
  let tokens: Record<string, string>;

  beforeAll(async () => {
    rt = await testRuntime({ start: '2026-11-23T15:00:00Z' });
    await rt.call('PUT', '/v1/reps/me', { name: 'Fuzz Rep', email: uniqueEmail('fuzz'), timezone: 'America/New_York', reminderChannel: 'email' }, { repId: 'fuzz' });
    await rt.call('POST', '/v1/prospects', { id: 'dana', name: 'Dana', email: uniqueEmail('dana'), timezone: 'America/Chicago', country: 'US' }, { repId: 'fuzz' });
    tokens = { rep: await rt.tokens.sign('fuzz'), other: await rt.tokens.sign('someone-else'), garbage: 'not.a.jwt' };
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it(`answers ${REQUESTS} seeded random requests without a 5xx, each answer as the document declares it, each 4xx in the error shape`, async () => {
    const samples = fc.sample(request, { seed: SEED, numRuns: REQUESTS });
    const problems: string[] = [];
    const statuses: Record<number, number> = {};
    for (const r of samples) {
      let i = 0;
      const path = r.route.path.replace(/\{[^}]+\}/g, () => r.params[i++] ?? 'x').replace('/{proxy+}', '/x');
      const method = r.method ?? r.route.method;
      const qs = new URLSearchParams(r.query).toString();
      const url = `${rt.url}${path.startsWith('/') ? path : `/${path}`}${qs ? `?${qs}` : ''}`;
      const headers: Record<string, string> = { accept: r.accept };
      if (r.auth !== 'none') headers.authorization = `Bearer ${tokens[r.auth]}`;
      if (r.body && method !== 'GET' && method !== 'HEAD') headers['content-type'] = r.body.type;
      let res: Response;
      try {
        res = await fetch(url, { method, headers, ...(r.body && method !== 'GET' && method !== 'HEAD' ? { body: r.body.raw } : {}) });
      } catch {
        continue; // a URL fetch itself refuses (malformed by construction) never reached the server
      }
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const text = method === 'HEAD' ? '' : await res.text();
      const what = `${method} ${url.slice(rt.url.length, 200)} -> ${res.status}`;
      if (res.status >= 500) problems.push(`${what}: ${text.slice(0, 200)}`);
      // Whatever came in, the answer is one the document declares, in its schema.
      if (method !== 'HEAD') {
        const u = new URL(url);
        const { response } = contract.check({ method, path: u.pathname, query: u.searchParams, headers, status: res.status, responseHeaders: res.headers, responseBody: text });
        if (response.length) problems.push(`${what}: ${response.join('; ')}`);
      }
      if (res.status >= 400 && method !== 'HEAD' && /application\/json/.test(res.headers.get('content-type') ?? '')) {
        const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
        if (typeof parsed.error?.code !== 'string' || typeof parsed.error?.message !== 'string' || !parsed.error.message) problems.push(`${what}: not the error shape: ${text.slice(0, 200)}`);
      }
    }
    if (process.env.FUZZ_REPORT) console.info(`fuzz: ${REQUESTS} requests, statuses ${JSON.stringify(statuses)}`);
    expect(problems).toEqual([]);
    // The run reached past the edge: some requests were taken, not only refused.
    expect(Object.keys(statuses).some((s) => Number(s) < 300)).toBe(true);
  }, 120_000);
});
