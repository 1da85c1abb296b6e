/**
 * The contract test: the main flows on the local runtime, every exchange checked against the OpenAPI
 * document the server serves (test/support/contract.ts). A request the test means to be valid must
 * be valid by the document, and one the server refuses as malformed must be refused by the document
 * too; every answer must carry a status its operation declares, in a declared content type, with a
 * body its schema takes (objects closed: an undeclared field fails). Any 5xx fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/http/openapi.js';
import { PREVIEW_KINDS } from '../../functions/use-cases/render-preview.js';
import { ContractValidator } from '../support/contract.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York; Thanksgiving is on the Thursday.
const START = '2026-11-23T15:00:00Z';
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface Request {
  method: string;
  path: string;
  query?: Record<string, string>;
  /** The rep whose token goes along; null for none, or a raw Authorization value. */
  as?: string | null;
  authorization?: string;
  accept?: string;
  json?: unknown;
  /** A body sent as it is, with its content type. */
  raw?: { type: string; body: string };
  headers?: Record<string, string>;
  /** `invalid`: the server refuses it as malformed and the document must refuse it too. */
  request?: 'valid' | 'invalid';
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

describe('the API against its OpenAPI document', () => {
  let rt: TestRuntime;
  let contract: ContractValidator;
  const tokens = new Map<string, string>();
  /** `METHOD /path status` of every exchange: what the run covered. */
  const seen = new Set<string>();
  const repEmail = uniqueEmail('rae');
  const dana = uniqueEmail('dana');

  async function send(r: Request): Promise<Answer> {
    const headers: Record<string, string> = { ...(r.accept ? { accept: r.accept } : {}), ...r.headers };
    const as = r.as === undefined ? 'rep-1' : r.as;
    if (r.authorization) headers.authorization = r.authorization;
    else if (as !== null) {
      if (!tokens.has(as)) tokens.set(as, await rt.tokens.sign(as));
      headers.authorization = `Bearer ${tokens.get(as)}`;
    }
    let body: string | undefined;
    if (r.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(r.json);
    } else if (r.raw) {
      headers['content-type'] = r.raw.type;
      body = r.raw.body;
    }
    const query = new URLSearchParams(r.query ?? {});
    const res = await fetch(`${rt.url}${r.path}${query.size ? `?${query}` : ''}`, { method: r.method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const checked = contract.check({
      method: r.method,
      path: r.path,
      query,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      ...(body !== undefined ? { body } : {}),
      status: res.status,
      responseHeaders: res.headers,
      responseBody: text,
    });
    seen.add(`${checked.operation} ${res.status}`);
    const where = `${r.method} ${r.path} answered ${res.status} ${text.slice(0, 300)}`;
    expect(res.status, where).toBeLessThan(500);
    expect(checked.response, `the answer breaks the document: ${where}`).toEqual([]);
    if ((r.request ?? 'valid') === 'valid') expect(checked.request, `the request breaks the document: ${where}`).toEqual([]);
    else {
      expect(res.status, `the server took a request the document refuses (${checked.request.join('; ')})`).toBeGreaterThanOrEqual(400);
      expect(checked.request, `the document takes a request the server refused: ${where}`).not.toEqual([]);
    }
    let parsed: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  const prospect = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    name: `${id[0]!.toUpperCase()}${id.slice(1)} Whitfield`,
    company: 'Northwind Mills',
    email: uniqueEmail(id),
    phone: '+15557654321',
    timezone: 'America/Chicago',
    country: 'US',
    hotButtons: ['uptime'],
    ...extra,
  });

  beforeAll(async () => {
    // The sweep on, as npm start runs it: it records the fire function's failures, so a touch can end failed.
    rt = await testRuntime({ start: START, sweep: true });
    const served = await fetch(`${rt.url}/v1/openapi.json`, { headers: { authorization: `Bearer ${await rt.tokens.sign('reader')}` } });
    contract = new ContractValidator((await served.json()) as Record<string, unknown>);
  });

  afterAll(async () => {
    await rt?.stop();
  });

  it('serves the document it is generated as, public routes and health without a token', async () => {
    const doc = await send({ method: 'GET', path: '/v1/openapi.json' });
    expect(doc.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect((await send({ method: 'GET', path: '/v1/openapi.json', as: null, request: 'invalid' })).status).toBe(401);
    expect((await send({ method: 'GET', path: '/v1/health', as: null })).body).toEqual({ ok: true });
  });

  it('saves and reads the rep', async () => {
    expect((await send({ method: 'GET', path: '/v1/reps/me' })).status).toBe(404);
    const rep = { name: 'Rae Rep', email: repEmail, phone: '+15551230000', timezone: 'America/New_York', reminderChannel: 'sms', company: 'Brightline', signature: 'Rae, Brightline', team: 'east' };
    expect((await send({ method: 'PUT', path: '/v1/reps/me', json: rep })).status).toBe(200);
    expect((await send({ method: 'GET', path: '/v1/reps/me' })).body).toMatchObject({ id: 'rep-1', team: 'east' });
    expect((await send({ method: 'PUT', path: '/v1/reps/me', json: { ...rep, reminderChannel: 'pigeon' }, request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'PUT', path: '/v1/reps/me', json: { ...rep, timezone: undefined }, request: 'invalid' })).status).toBe(400);
  });

  it('adds, searches, reads and changes prospects', async () => {
    expect((await send({ method: 'POST', path: '/v1/prospects', json: prospect('dana', { email: dana }) })).status).toBe(201);
    for (const id of ['vera', 'nia', 'stan', 'wes', 'quinn', 'idem']) expect((await send({ method: 'POST', path: '/v1/prospects', json: prospect(id) })).status).toBe(201);
    expect((await send({ method: 'POST', path: '/v1/prospects', json: prospect('olga', { email: undefined }) })).status).toBe(201);
    const made = await send({ method: 'POST', path: '/v1/prospects', json: { name: 'Ángel Núñez', timezone: 'Europe/Madrid' } });
    expect(made.body.id).toMatch(/^[a-z0-9]+$/);
    expect((await send({ method: 'POST', path: '/v1/prospects', json: prospect('dana') })).body.error.code).toBe('duplicate_id');
    expect((await send({ method: 'POST', path: '/v1/prospects', json: prospect('eve', { email: 'not-an-address' }), request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'POST', path: '/v1/prospects', json: { ...prospect('eve'), favourite: 'blue' }, request: 'invalid' })).status).toBe(400);

    expect((await send({ method: 'GET', path: '/v1/prospects', query: { q: 'angel' } })).body.prospects.map((p: { name: string }) => p.name)).toEqual(['Ángel Núñez']);
    expect((await send({ method: 'GET', path: '/v1/prospects' })).body.prospects.length).toBeGreaterThan(8);
    expect((await send({ method: 'GET', path: '/v1/prospects', query: { q: 'x'.repeat(101) }, request: 'invalid' })).status).toBe(400);

    const patched = await send({ method: 'PATCH', path: '/v1/prospects/vera', json: { company: null, hotButtons: ['Cost Savings'], country: 'us' } });
    expect(patched.body).toMatchObject({ hotButtons: ['cost_savings'], country: 'US', version: 2 });
    expect(patched.body.company).toBeUndefined();
    expect((await send({ method: 'PATCH', path: '/v1/prospects/nobody', json: { name: 'No One' } })).status).toBe(404);
    expect((await send({ method: 'PATCH', path: '/v1/prospects/vera', json: { timezone: 'Mars/Base' } })).status).toBe(400);
    expect((await send({ method: 'PATCH', path: '/v1/prospects/vera', json: { status: 'won' }, request: 'invalid' })).status).toBe(400);

    expect((await send({ method: 'GET', path: '/v1/prospects/dana' })).body).toMatchObject({ prospect: { id: 'dana' }, calls: [], touches: [] });
    expect((await send({ method: 'GET', path: '/v1/prospects/dana', as: 'someone-else' })).status).toBe(404);
    expect((await send({ method: 'GET', path: '/v1/prospects/not%20an%20id', request: 'invalid' })).status).toBe(400);
  });

  it('records a call of each outcome, each answer its plan, what was skipped and why, and the next attempt', async () => {
    // callback_agreed: recap, materials before the callback, the rep's reminder at it.
    const agreed = await send({
      method: 'POST',
      path: '/v1/prospects/dana/calls',
      json: {
        outcome: 'callback_agreed',
        at: '2026-11-23T14:55:00Z',
        callbackAt: '2026-11-25T15:00',
        hotButtons: ['uptime'],
        discussed: 'Line 3 stops twice a week',
        whatHappensNext: 'Dana reviews the quote with the plant manager',
        decisionMakers: ['Lee (plant manager)'],
        materials: [{ title: 'Quote Q-1042', url: 'https://example.com/q-1042' }],
        notes: 'Prefers mornings',
        sendRecap: true,
      },
    });
    expect(agreed.status).toBe(201);
    expect(agreed.body.plan.map((t: { kind: string }) => t.kind)).toEqual(['recap', 'resend_materials', 'rep_reminder']);
    expect(agreed.body.call.callbackAtLocal).toBe('2026-11-25T15:00:00-06:00');

    // A prospect with no email: only the reminder, and the answer says why.
    const noEmail = await send({ method: 'POST', path: '/v1/prospects/olga/calls', json: { outcome: 'callback_agreed', callbackAt: '2026-11-24T10:45', sendRecap: true, materials: [{ title: 'Quote', url: 'https://example.com/q' }] } });
    expect(noEmail.body.plan.map((t: { kind: string }) => t.kind)).toEqual(['rep_reminder']);
    expect(noEmail.body.skipped).toEqual([
      { kind: 'recap', reason: 'no_email', message: expect.any(String) },
      { kind: 'resend_materials', reason: 'no_email', message: expect.any(String) },
    ]);

    const stalled = await send({ method: 'POST', path: '/v1/prospects/stan/calls', json: { outcome: 'stalled', stallReason: 'needs_review', sendRecap: false } });
    expect(stalled.status).toBe(201);
    const voicemail = await send({ method: 'POST', path: '/v1/prospects/vera/calls', json: { outcome: 'voicemail' } });
    expect(voicemail.body).toMatchObject({ nextAttemptAt: expect.stringMatching(/Z$/), nextAttemptAtLocal: expect.stringMatching(/-06:00$/) });
    expect(voicemail.body.plan.map((t: { kind: string }) => t.kind).sort()).toEqual(['rep_reminder', 'voicemail_email']);
    expect((await send({ method: 'POST', path: '/v1/prospects/nia/calls', json: { outcome: 'no_answer' } })).body.nextAttemptAt).toBeDefined();
    expect((await send({ method: 'POST', path: '/v1/prospects/wes/calls', json: { outcome: 'not_interested' } })).status).toBe(201);
    expect((await send({ method: 'POST', path: '/v1/prospects/quinn/calls', json: { outcome: 'won', sendRecap: false } })).body.plan).toEqual([]);
  });

  it('answers the first result again for the same Idempotency-Key, and 409 for the key with another call', async () => {
    const key = { 'Idempotency-Key': 'crm-call-7781' };
    const first = await send({ method: 'POST', path: '/v1/prospects/idem/calls', json: { outcome: 'voicemail' }, headers: key });
    const again = await send({ method: 'POST', path: '/v1/prospects/idem/calls', json: { outcome: 'voicemail' }, headers: key });
    expect(again.body).toEqual(first.body);
    const reused = await send({ method: 'POST', path: '/v1/prospects/idem/calls', json: { outcome: 'no_answer' }, headers: key });
    expect([reused.status, reused.body.error.code]).toEqual([409, 'idempotency_key_reused']);
    expect((await send({ method: 'POST', path: '/v1/prospects/idem/calls', json: { outcome: 'no_answer' }, headers: { 'Idempotency-Key': 'has space' }, request: 'invalid' })).status).toBe(400);
  });

  it('refuses calls the document refuses (400), the rules refuse (422), too large (413), or on no prospect (404)', async () => {
    // The document states the rules across fields too (if/then): callbackAt with callback_agreed.
    expect((await send({ method: 'POST', path: '/v1/prospects/dana/calls', json: { outcome: 'callback_agreed' }, request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'POST', path: '/v1/prospects/dana/calls', json: { outcome: 'stalled' }, request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'POST', path: '/v1/prospects/dana/calls', json: { outcome: 'maybe' }, request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'POST', path: '/v1/prospects/dana/calls', raw: { type: 'application/json', body: '{"outcome": "won",' }, request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'POST', path: '/v1/prospects/dana/calls', raw: { type: 'text/plain', body: 'won' }, request: 'invalid' })).status).toBe(400);
    const past = await send({ method: 'POST', path: '/v1/prospects/dana/calls', json: { outcome: 'callback_agreed', callbackAt: '2026-11-20T10:00' } });
    expect([past.status, past.body.error.code]).toEqual([422, 'callback_in_past']);
    const gap = await send({ method: 'POST', path: '/v1/prospects/dana/calls', json: { outcome: 'callback_agreed', callbackAt: '2027-03-14T02:30' } });
    expect(gap.status).toBe(422);
    expect((await send({ method: 'POST', path: '/v1/prospects/nobody/calls', json: { outcome: 'won' } })).status).toBe(404);
    expect((await send({ method: 'POST', path: '/v1/prospects/dana/calls', json: { outcome: 'won', notes: 'x'.repeat(70_000) }, request: 'invalid' })).status).toBe(413);
    expect((await send({ method: 'POST', path: '/v1/prospects/dana/calls', raw: { type: 'application/json', body: `"${'x'.repeat(300_000)}"` }, request: 'invalid' })).status).toBe(413);
    // Every route refuses a body over 64 KiB, one that reads none too; an unknown path is still 404.
    const padded = { type: 'application/x-www-form-urlencoded', body: `List-Unsubscribe=One-Click&pad=${'x'.repeat(70_000)}` };
    expect((await send({ method: 'POST', path: '/v1/unsubscribe', query: { token: 'x' }, as: null, raw: padded, request: 'invalid' })).status).toBe(413);
    expect((await send({ method: 'DELETE', path: '/v1/touches/some-touch', raw: { type: 'text/plain', body: 'x'.repeat(300_000) }, request: 'invalid' })).status).toBe(413);
    expect((await send({ method: 'POST', path: '/v1/nowhere', as: null, raw: { type: 'text/plain', body: 'x'.repeat(300_000) }, request: 'invalid' })).status).toBe(404);

    // A rep with no profile yet: the call is refused until they make one.
    expect((await send({ method: 'POST', path: '/v1/prospects', json: prospect('newbie-lead'), as: 'newbie' })).status).toBe(201);
    const noProfile = await send({ method: 'POST', path: '/v1/prospects/newbie-lead/calls', json: { outcome: 'won' }, as: 'newbie' });
    expect([noProfile.status, noProfile.body.error.code]).toEqual([422, 'rep_profile_missing']);
  });

  it('lists follow-ups, moves one and cancels another', async () => {
    const list = await send({ method: 'GET', path: '/v1/followups' });
    expect(list.body.touches.length).toBeGreaterThan(5);
    expect(list.body.touches[0].prospectName).toBeDefined();
    const window = await send({ method: 'GET', path: '/v1/followups', query: { from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00-05:00' } });
    expect(window.body.touches.every((t: { dueAt: string }) => t.dueAt >= '2026-11-25')).toBe(true);
    expect((await send({ method: 'GET', path: '/v1/followups', query: { from: 'yesterday' }, request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'GET', path: '/v1/followups', query: { from: '2026-11-25T00:00:00Z', to: '2026-11-24T00:00:00Z' } })).status).toBe(400);

    const reminder = (await send({ method: 'GET', path: '/v1/prospects/stan' })).body.touches.find((t: { kind: string }) => t.kind === 'rep_reminder');
    const moved = await send({ method: 'PATCH', path: `/v1/touches/${reminder.id}`, json: { dueAt: '2026-12-01T10:30' } });
    expect(moved.body).toMatchObject({ status: 'scheduled', dueAtLocal: '2026-12-01T10:30:00-06:00' });
    expect((await send({ method: 'PATCH', path: `/v1/touches/${reminder.id}`, json: { dueAt: '2026-11-01T10:30:00Z' } })).status).toBe(422);
    expect((await send({ method: 'PATCH', path: `/v1/touches/${reminder.id}`, json: { dueAt: 'tomorrow' }, request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'PATCH', path: '/v1/touches/no-such-touch', json: { dueAt: '2026-12-01T10:30' } })).status).toBe(404);

    const cancelled = await send({ method: 'DELETE', path: `/v1/touches/${reminder.id}` });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', reason: 'cancelled by the rep' });
    expect((await send({ method: 'DELETE', path: `/v1/touches/${reminder.id}` })).body.status).toBe('cancelled');
    const notPending = await send({ method: 'PATCH', path: `/v1/touches/${reminder.id}`, json: { dueAt: '2026-12-01T10:30' } });
    expect([notPending.status, notPending.body.error.code]).toEqual([422, 'touch_not_pending']);
    expect((await send({ method: 'DELETE', path: `/v1/touches/${reminder.id}`, as: 'someone-else' })).status).toBe(404);
  });

  it('previews every kind the server renders', async () => {
    for (const kind of PREVIEW_KINDS) {
      const preview = await send({ method: 'GET', path: '/v1/prospects/vera/preview', query: { kind } });
      expect(preview.body.kind, kind).toBe(kind);
    }
    expect((await send({ method: 'GET', path: '/v1/prospects/vera/preview', query: { kind: 'fax' }, request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'GET', path: '/v1/prospects/vera/preview', request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'GET', path: '/v1/prospects/nobody/preview', query: { kind: 'recap' } })).status).toBe(404);
    expect((await send({ method: 'GET', path: '/v1/prospects/newbie-lead/preview', query: { kind: 'recap' }, as: 'newbie' })).status).toBe(422);
  });

  it('opens the sheet behind an SMS link; an altered link is not valid (400), an old one expired (410), as JSON or a page', async () => {
    const sms = await send({ method: 'GET', path: '/v1/prospects/vera/preview', query: { kind: 'sms' } });
    const link = new URL(/(http:\/\/localhost:\d+\/v1\/sheets\/\S+)/.exec(sms.body.text)![1]!);
    expect((await send({ method: 'GET', path: link.pathname, as: null, accept: BROWSER })).status).toBe(200);
    const altered = `${link.pathname}x`;
    expect((await send({ method: 'GET', path: altered, as: null, accept: 'application/json' })).body.error.code).toBe('invalid_link');
    expect((await send({ method: 'GET', path: altered, as: null, accept: BROWSER })).status).toBe(400);
    const now = rt.clock.now();
    rt.clock.advance(8 * 24 * 3600_000);
    try {
      expect((await send({ method: 'GET', path: link.pathname, as: null, accept: 'application/json' })).body.error.code).toBe('link_expired');
      expect((await send({ method: 'GET', path: link.pathname, as: null })).status).toBe(410);
    } finally {
      rt.clock.set(now);
    }
  });

  it('unsubscribes by the one-click form (RFC 8058), from the page and from a mail client', async () => {
    // The recap goes out first (it is due now); the materials wait for Wednesday.
    await rt.fireNow();
    const recap = await send({ method: 'GET', path: '/v1/prospects/dana/preview', query: { kind: 'recap' } });
    const link = new URL(/(http:\/\/localhost:\d+\/v1\/unsubscribe\?token=[\w.-]+)/.exec(recap.body.text)![1]!);
    const token = link.searchParams.get('token')!;
    const page = await send({ method: 'GET', path: '/v1/unsubscribe', query: { token }, as: null, accept: BROWSER });
    expect(page.text).toContain('name="List-Unsubscribe" value="One-Click"');
    const form = { type: 'application/x-www-form-urlencoded', body: 'List-Unsubscribe=One-Click' };
    const done = await send({ method: 'POST', path: '/v1/unsubscribe', query: { token }, as: null, accept: 'application/json', raw: form });
    expect(done.body).toEqual({ unsubscribed: true, email: dana, changed: true });
    const boundary = 'ft-boundary-1';
    const multipart = { type: `multipart/form-data; boundary=${boundary}`, body: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n` };
    expect((await send({ method: 'POST', path: '/v1/unsubscribe', query: { token }, as: null, raw: multipart })).text).toContain('You are unsubscribed');

    expect((await send({ method: 'GET', path: '/v1/unsubscribe', query: { token: `${token}x` }, as: null, accept: 'application/json' })).body.error.code).toBe('invalid_token');
    expect((await send({ method: 'POST', path: '/v1/unsubscribe', query: { token: `${token}x` }, as: null, raw: form })).status).toBe(400);
    expect((await send({ method: 'GET', path: '/v1/unsubscribe', as: null, accept: BROWSER, request: 'invalid' })).status).toBe(400);
  });

  it('shows what the touches became once they fire: sent, cancelled and skipped, each with its reason', async () => {
    // Prepare: Idem's next try moves, so the note after the voicemail, naming the old one, is not sent.
    const idem = (await send({ method: 'GET', path: '/v1/prospects/idem' })).body;
    const nextTry = idem.touches.find((t: { kind: string }) => t.kind === 'rep_reminder');
    expect((await send({ method: 'PATCH', path: `/v1/touches/${nextTry.id}`, json: { dueAt: '2026-11-30T11:00' } })).status).toBe(200);

    // Act
    await rt.fireUntil('2026-11-25T21:30:00Z');

    // Assess
    const { body } = await send({ method: 'GET', path: '/v1/prospects/dana' });
    const byKind = Object.fromEntries(body.touches.map((t: { kind: string }) => [t.kind, t]));
    expect(byKind.recap).toMatchObject({ status: 'sent', sentAt: expect.any(String) });
    // Dana unsubscribed after the recap: the materials were called off, and the touch says why.
    expect(byKind.resend_materials).toMatchObject({ status: 'cancelled', reason: 'the address unsubscribed' });
    expect(byKind.rep_reminder.status).toBe('sent');
    expect(body.prospect.emailSuppressed).toMatchObject({ reason: 'unsubscribed' });
    expect(body.calls[0]).toMatchObject({ outcome: 'callback_agreed', atLocal: '2026-11-23T08:55:00-06:00' });
    const note = (await send({ method: 'GET', path: '/v1/prospects/idem' })).body.touches.find((t: { kind: string }) => t.kind === 'voicemail_email');
    expect(note).toMatchObject({ status: 'skipped', reason: expect.any(String) });

    // Vera's reminder was sent; a second voicemail answers it and counts for the script it spoke.
    expect((await send({ method: 'POST', path: '/v1/prospects/vera/calls', json: { outcome: 'voicemail' } })).body.call.scriptVariant).toMatch(/^hot\.cost_savings\./);
  });

  it('ends a touch whose sends keep failing failed: apart in the agenda, told to the rep, and retried', async () => {
    // Prepare: a recap to an address SES keeps refusing.
    const email = uniqueEmail('fay');
    expect((await send({ method: 'POST', path: '/v1/prospects', json: prospect('fay', { email }) })).status).toBe(201);
    const posted = await send({ method: 'POST', path: '/v1/prospects/fay/calls', json: { outcome: 'callback_agreed', callbackAt: '2026-11-27T11:00', discussed: 'Pumps' } });
    const recap = posted.body.plan.find((t: { kind: string }) => t.kind === 'recap');
    rt.aws.ses!.failSendsTo(email);

    // Act: the schedule fires; Lambda tries twice more; the on-failure record reaches the sweep.
    await rt.fireNow();
    await rt.fireUntil(new Date(rt.clock.now().getTime() + 60_000));
    await rt.fireUntil(new Date(rt.clock.now().getTime() + 120_000));
    await rt.fireNow();

    // Assess: failed with its reason, listed apart, and a notice that names it.
    const agenda = await send({ method: 'GET', path: '/v1/followups', query: { from: '2026-11-25T00:00:00Z', to: '2026-11-28T00:00:00Z' } });
    expect(agenda.body.failed).toEqual([expect.objectContaining({ id: recap.id, status: 'failed', reason: expect.any(String), prospectName: 'Fay Whitfield' })]);
    const touches = (await send({ method: 'GET', path: '/v1/prospects/fay' })).body.touches;
    expect(touches.find((t: { kind: string }) => t.kind === 'rep_notice')).toMatchObject({ notice: 'delivery_failed', about: { touchId: recap.id, kind: 'recap' } });

    rt.aws.ses!.clearFailures();
    const retried = await send({ method: 'POST', path: `/v1/touches/${recap.id}/retry` });
    expect(retried.body).toMatchObject({ status: 'scheduled', redrivenAt: expect.any(String) });
    const again = await send({ method: 'POST', path: `/v1/touches/${recap.id}/retry` });
    expect([again.status, again.body.error.code]).toEqual([422, 'not_failed']);
    expect((await send({ method: 'POST', path: `/v1/touches/${recap.id}/retry`, as: 'someone-else' })).status).toBe(404);
  });

  it('reports promises kept and scripts', async () => {
    const promises = await send({ method: 'GET', path: '/v1/reports/promises', query: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', windowMinutes: '30' } });
    expect(promises.body).toMatchObject({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', windowMinutes: 30 });
    expect((await send({ method: 'GET', path: '/v1/reports/promises', query: { to: '2026-12-01T00:00:00Z' }, request: 'invalid' })).status).toBe(400);
    expect((await send({ method: 'GET', path: '/v1/reports/promises', query: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', windowMinutes: '999' } })).status).toBe(400);
    const scripts = await send({ method: 'GET', path: '/v1/reports/scripts' });
    expect(scripts.body.team).toBe('east');
    expect(scripts.body.variants).toEqual([expect.objectContaining({ variant: expect.stringMatching(/^hot\.cost_savings\./), used: 1, callbacks: 0 })]);
    const period = await send({ method: 'GET', path: '/v1/reports/scripts', query: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' } });
    expect(period.body.period).toEqual({ from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', firstDay: '2026-11-01', lastDay: '2026-11-30' });
    expect((await send({ method: 'GET', path: '/v1/reports/scripts', query: { from: '2026-11-01T00:00:00Z' } })).status).toBe(400);
  });

  it('serves the console: the page, its assets and how it signs in', async () => {
    const page = await send({ method: 'GET', path: '/app', as: null, accept: BROWSER });
    for (const [, asset] of page.text.matchAll(/(?:href|src)="(\/app\/assets\/[^"]+)"/g)) expect((await send({ method: 'GET', path: asset!, as: null })).status).toBe(200);
    expect((await send({ method: 'GET', path: '/app/prospects/dana', as: null, accept: BROWSER })).status).toBe(200);
    expect((await send({ method: 'GET', path: '/app/config.json', as: null })).body).toEqual({ signIn: 'local' });
    expect((await send({ method: 'GET', path: '/app/assets/nothing-here.js', as: null })).status).toBe(404);
    // A program asking for JSON gets the error shape, as everywhere else.
    expect((await send({ method: 'GET', path: '/app/assets/nothing-here.js', as: null, accept: 'application/json' })).body.error.code).toBe('not_found');
  });

  it('answers 401 without a good token, 404 for an unknown path before any token check, 405 for another method', async () => {
    expect((await send({ method: 'GET', path: '/v1/reps/me', as: null, request: 'invalid' })).body.error.code).toBe('unauthorized');
    expect((await send({ method: 'GET', path: '/v1/followups', authorization: 'Bearer not.a.jwt' })).status).toBe(401);
    expect((await send({ method: 'GET', path: '/v1/nowhere', as: null, request: 'invalid' })).body.error.code).toBe('not_found');
    expect((await send({ method: 'GET', path: '/nowhere', as: null, accept: BROWSER, request: 'invalid' })).status).toBe(404);
    expect((await send({ method: 'DELETE', path: '/v1/health', as: null, request: 'invalid' })).headers.get('allow')).toBe('GET');
    expect((await send({ method: 'PUT', path: '/v1/prospects/dana', json: { name: 'X' }, request: 'invalid' })).headers.get('allow')).toBe('GET, PATCH');
    expect((await send({ method: 'POST', path: '/v1/sheets/abc', as: null, request: 'invalid' })).status).toBe(405);
    expect((await send({ method: 'DELETE', path: '/app/prospects', as: null, request: 'invalid' })).status).toBe(405);
    // A browser gets the error as a page.
    expect((await send({ method: 'GET', path: '/v1/prospects/nobody', accept: BROWSER })).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('covered every operation of the document and every error status the API answers', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const success = Object.keys(op.responses).find((s) => /^2/.test(s))!;
        if (!seen.has(`${method.toUpperCase()} ${path} ${success}`)) missing.push(`${method.toUpperCase()} ${path} ${success}`);
      }
    }
    expect(missing).toEqual([]);
    const statuses = new Set([...seen].map((s) => Number(s.slice(s.lastIndexOf(' ') + 1))));
    expect([400, 401, 404, 405, 409, 410, 413, 422].filter((s) => !statuses.has(s))).toEqual([]);
  });
});
