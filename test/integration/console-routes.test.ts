/**
 * What the rep console needs from the system, on the local runtime through the Lambda handlers: the
 * console itself at /app, the local sign-in, prospect search, the promises report, and the public
 * pages a browser opens (in the console's look, saying who the sender is), with JSON kept for programs.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the console and its routes on the local runtime', () => {
  let rt: TestRuntime;

  beforeAll(async () => {
    rt = await testRuntime({ start: START });
    await rt.call('PUT', '/v1/reps/me', { name: 'Rae Rep', email: uniqueEmail('rae'), phone: '+15551230000', timezone: 'America/Chicago', reminderChannel: 'email', company: 'Brightline' });
    for (const [id, name, company] of [
      ['dana', 'Dana Whitfield', 'Harbor Mills'],
      ['zoe', 'Zoë Brandt', 'Northwind'],
      ['abe', 'Abe Harbor', undefined],
    ] as const) {
      const created = await rt.call('POST', '/v1/prospects', { id, name, ...(company ? { company } : {}), email: uniqueEmail(id), phone: '+15557654321', timezone: 'America/New_York', country: 'US' });
      expect(created.status).toBe(201);
    }
  });

  afterAll(async () => {
    await rt?.stop();
  });

  describe('/app', () => {
    it('serves the page for every console address under a strict CSP, with no token', async () => {
      for (const path of ['/app', '/app/', '/app/prospects/dana', '/app/reports']) {
        // Act
        const res = await fetch(`${rt.url}${path}`, { headers: BROWSER });

        // Assess
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
        expect(await res.text()).toMatch(/<script type="module" src="\/app\/assets\/app-[\w-]+\.js">/);
      }
    });

    it('serves its assets gzipped, and says at /app/config.json that locally a rep id signs in', async () => {
      // Prepare
      const page = await (await fetch(`${rt.url}/app/`)).text();
      const script = /src="(\/app\/assets\/app-[\w-]+\.js)"/.exec(page)![1]!;

      // Act
      const asset = await fetch(`${rt.url}${script}`, { headers: { 'accept-encoding': 'identity' } });
      const config = await fetch(`${rt.url}/app/config.json`);

      // Assess
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect((await asset.text()).length).toBeGreaterThan(1000);
      expect(await config.json()).toEqual({ signIn: 'local' });
      expect(rt.env.CONSOLE_SIGN_IN).toBe('local');
    });

    it('hands a browser that takes gzip the gzipped bytes', async () => {
      // Prepare
      const page = await (await fetch(`${rt.url}/app/`)).text();
      const style = /href="(\/app\/assets\/console-[\w-]+\.css)"/.exec(page)![1]!;

      // Act: node's fetch would unzip it; read the raw bytes through the handler instead.
      const res = await rt.handlers.render(eventFor(style, { 'accept-encoding': 'gzip' }));

      // Assess
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(Buffer.from(res.body, 'base64')).toString('utf8')).toMatch(/^[\s\S]*\{/);
    });
  });

  describe('POST /local/token', () => {
    it('signs a token for a rep id, which the API takes', async () => {
      // Act
      const res = await fetch(`${rt.url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ repId: 'rep-new' }) });
      const { token } = (await res.json()) as { token: string };
      const me = await fetch(`${rt.url}/v1/reps/me`, { headers: { authorization: `Bearer ${token}` } });

      // Assess
      expect(res.status).toBe(200);
      // Signed in: the new rep has no profile yet (404), rather than 401.
      expect(me.status).toBe(404);
      expect(((await me.json()) as { error: { message: string } }).error.message).toMatch(/rep profile was not found/);
    });

    it.each([['{"repId":"rep 1"}'], ['{"repId":""}'], ['{}'], ['not json'], ['null'], [JSON.stringify({ repId: 'x'.repeat(129) })]])('refuses %s with a 400 saying what a rep id is', async (body) => {
      const res = await fetch(`${rt.url}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^Give a rep id of 1-128 letters/);
    });
  });

  describe('GET /v1/prospects?q=', () => {
    it("finds the rep's prospects by name or company, accents and case aside, by name", async () => {
      // Act
      const harbor = await rt.call('GET', '/v1/prospects?q=HARBOR');
      const zoe = await rt.call('GET', '/v1/prospects?q=zoe');
      const all = await rt.call('GET', '/v1/prospects');
      const theirs = await rt.call('GET', '/v1/prospects?q=harbor', undefined, { repId: 'rep-other' });

      // Assess
      expect(harbor.status).toBe(200);
      expect(harbor.body.prospects.map((p: { id: string }) => p.id)).toEqual(['abe', 'dana']);
      expect(harbor.body.prospects[1]).toMatchObject({ id: 'dana', name: 'Dana Whitfield', company: 'Harbor Mills', timezone: 'America/New_York', version: 1 });
      expect(zoe.body.prospects.map((p: { name: string }) => p.name)).toEqual(['Zoë Brandt']);
      expect(all.body.prospects.map((p: { id: string }) => p.id)).toEqual(['abe', 'dana', 'zoe']);
      expect(theirs.body).toEqual({ prospects: [] });
    });

    it('refuses a search over 100 characters, and a caller without a token', async () => {
      const long = await rt.call('GET', `/v1/prospects?q=${'a'.repeat(101)}`);
      expect(long.status).toBe(400);
      expect(long.body.error.issues).toEqual([{ path: 'q', message: 'Search with at most 100 characters' }]);
      expect((await fetch(`${rt.url}/v1/prospects?q=dana`)).status).toBe(401);
    });
  });

  describe('GET /v1/reports/promises', () => {
    it.each([
      ['', 'from'],
      ['?from=2026-11-01T00:00:00Z', 'to'],
      ['?from=yesterday&to=2026-12-01T00:00:00Z', 'from'],
      ['?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z', 'to'],
      ['?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&windowMinutes=abc', 'windowMinutes'],
      ['?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&windowMinutes=500', 'windowMinutes'],
      ['?from=2024-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', 'from'],
    ])('answers %s with a 400 naming %s', async (query, path) => {
      const res = await rt.call('GET', `/v1/reports/promises${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.issues[0].path).toBe(path);
      expect(res.body.error.message).not.toMatch(/undefined|NaN|RangeError/);
    });

    it('counts a reminder the rep called on within the window, from the real calls and touches', async () => {
      // Prepare: a voicemail now plans the next attempt's reminder; it fires; the rep calls 3 minutes later.
      rt.clock.set(START);
      const voicemail = await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'voicemail' });
      expect(voicemail.status).toBe(201);
      const reminder = voicemail.body.plan.find((t: { kind: string }) => t.kind === 'rep_reminder');
      await rt.fireUntil(reminder.dueAt);
      rt.clock.set(new Date(Date.parse(reminder.dueAt) + 3 * 60_000));
      expect((await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'stalled', stallReason: 'needs_review' })).status).toBe(201);

      // Act
      const report = await rt.call('GET', '/v1/reports/promises?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z');
      const strict = await rt.call('GET', '/v1/reports/promises?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z&windowMinutes=2');
      const otherRep = await rt.call('GET', '/v1/reports/promises?from=2026-11-01T00:00:00Z&to=2026-12-31T00:00:00Z', undefined, { repId: 'rep-other' });

      // Assess
      expect(report.status).toBe(200);
      expect(report.body.promisesKept).toEqual({ reminders: 1, kept: 1, late: 0, missed: 0, keptRate: 1, medianMinutesLate: 3 });
      expect(report.body.reachByAttempt).toEqual([
        { attempt: 1, calls: 1, reached: 0, rate: 0 },
        { attempt: 2, calls: 1, reached: 1, rate: 1 },
      ]);
      expect(report.body.callbacksAfterVoicemail).toEqual([expect.objectContaining({ voicemails: 1, callbacks: 1, rate: 1 })]);
      expect(strict.body.promisesKept).toMatchObject({ kept: 0, late: 1 });
      expect(otherRep.body.promisesKept.reminders).toBe(0);
    });
  });

  it('lists the new routes in the OpenAPI document, with their query parameters', async () => {
    const { body } = await rt.call('GET', '/v1/openapi.json');
    expect(body.paths['/v1/prospects'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['q']);
    expect(body.paths['/v1/reports/promises'].get.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required])).toEqual([
      ['from', true],
      ['to', true],
      ['windowMinutes', false],
    ]);
    expect(body.paths['/app'].get.security).toEqual([]);
    expect(body.paths['/v1/sheets/{token}'].get.security).toEqual([]);
  });

  describe('public pages', () => {
    it('answers an unknown address a browser opens with a not-found page, and a program with JSON', async () => {
      for (const path of ['/', '/pricing', '/v1/nowhere']) {
        const page = await fetch(`${rt.url}${path}`, { headers: BROWSER });
        expect(page.status).toBe(404);
        expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
        const html = await page.text();
        expect(html).toContain('<h1>Page not found</h1>');
        expect(html).toMatch(/<link rel="stylesheet" href="\/app\/assets\/public-[\w-]+\.css">/);
        expect(html).not.toMatch(/[Ss]ign in|unauthorized/);
      }
      const program = await fetch(`${rt.url}/pricing`);
      expect(program.status).toBe(404);
      expect(await program.json()).toMatchObject({ error: { code: 'not_found' } });
    });

    it('shows the unsubscribe page and its answer in the console\'s look, from the rep by name and company', async () => {
      // Prepare: the link a recap to Zoë would carry.
      const preview = await rt.call('GET', '/v1/prospects/zoe/preview?kind=recap');
      const link = /(http:\/\/localhost:\d+\/v1\/unsubscribe\?token=[\w.-]+)/.exec(preview.body.text)![1]!;

      // Act
      const ask = await fetch(link, { headers: BROWSER });
      const done = await fetch(link, { method: 'POST', headers: { ...BROWSER, 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      const forProgram = await fetch(link, { method: 'POST', headers: { accept: 'application/json' } });
      const bad = await fetch(`${link}x`, { headers: BROWSER });

      // Assess
      const askHtml = await ask.text();
      expect(ask.headers.get('content-security-policy')).toContain("style-src 'self';");
      expect(askHtml).toContain('<p class="who">From Rae Rep, Brightline</p>');
      expect(askHtml).toContain('<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>');
      expect(askHtml).not.toContain('style=');
      const doneHtml = await done.text();
      expect(doneHtml).toContain('<h1>You are unsubscribed</h1>');
      expect(doneHtml).toContain('No more emails from Rae Rep, Brightline will go to');
      expect(await forProgram.json()).toMatchObject({ unsubscribed: true, changed: false });
      expect(bad.status).toBe(400);
      const badHtml = await bad.text();
      expect(badHtml).toContain('<h1>This link is not valid</h1>');
      expect(badHtml).not.toContain('class="who"');
    });

    it('shows the call-prep sheet behind an SMS link as a page for the rep; an altered link and an expired one as pages that say which', async () => {
      // Prepare
      const preview = await rt.call('GET', '/v1/prospects/dana/preview?kind=sms');
      const link = /(http:\/\/localhost:\d+\/v1\/sheets\/\S+)/.exec(preview.body.text)![1]!;

      // Act
      const sheet = await fetch(link, { headers: BROWSER });
      const altered = await fetch(`${link}x`, { headers: BROWSER });
      const alteredJson = await fetch(`${link}x`, { headers: { accept: 'application/json' } });
      const now = rt.clock.now();
      rt.clock.advance(8 * 24 * 3600_000);
      const expired = await fetch(link, { headers: BROWSER });
      const expiredJson = await fetch(link, { headers: { accept: 'application/json' } });
      rt.clock.set(now);

      // Assess
      const html = await sheet.text();
      expect(sheet.status).toBe(200);
      expect(html).toContain('<p class="who">For Rae Rep, Brightline</p>');
      expect(html).toMatch(/<h1>Call Dana Whitfield/);
      expect(html).toContain('href="tel:+15557654321"');
      // One document: the email's own <html> and <body> are not nested inside the page.
      expect(html.match(/<body/g)).toHaveLength(1);
      expect(sheet.headers.get('content-security-policy')).not.toContain('script-src');
      expect(altered.status).toBe(400);
      expect(await altered.text()).toContain('<h1>This link is not valid</h1>');
      expect(alteredJson.status).toBe(400);
      expect(await alteredJson.json()).toMatchObject({ error: { code: 'invalid_link' } });
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain('<h1>This link has expired</h1>');
      expect(expiredJson.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await expiredJson.json()).toMatchObject({ error: { code: 'link_expired', message: expect.stringContaining('a week') } });
    });
  });

  function eventFor(path: string, headers: Record<string, string>) {
    return {
      version: '2.0',
      routeKey: 'GET /app/{proxy+}',
      rawPath: path,
      rawQueryString: '',
      headers,
      requestContext: { domainName: 'localhost', http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' } },
      isBase64Encoded: false,
    } as never;
  }
});
