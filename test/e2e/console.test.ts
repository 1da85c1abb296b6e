/**
 * The rep console in a real browser against the local runtime, as `npm start` runs it: the console, its
 * sign-in, the API and the public pages all come from the Lambda handlers behind the runtime's own HTTP
 * front, on DynamoDB Local. Sign in, set up the profile, add a prospect, log a voicemail, log a callback
 * typed "tomorrow 10am" and find it in Today at the right local time, preview the script, reschedule a
 * touch, open the report. The browser's clock is the runtime's (next Monday, 10:00 in New York) and its
 * zone is Berlin's: neither the rep (Chicago) nor the prospect (New York) is where the browser is, so
 * every time shown must come from the zones, not the machine.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';
import { launchChromium, screenshots, seriousViolations, watchProblems } from './browser.js';
import { FAKE_CLIENT_ID, startFakeCognito } from './fake-cognito.js';

// Tokens are signed on the real clock: the test's "now" stays within days of it.
const monday = DateTime.now().setZone('America/New_York').plus({ weeks: 1 }).set({ weekday: 1, hour: 10, minute: 0, second: 0, millisecond: 0 });
const tuesday = monday.plus({ days: 1 });

let rt: TestRuntime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

async function expectAccessible() {
  expect(await seriousViolations(page)).toEqual([]);
}

describe('rep console in Chromium', () => {
  beforeAll(async () => {
    rt = await testRuntime({ start: monday.toUTC().toISO()! });
    browser = await launchChromium();
    context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.clock.setFixedTime(monday.toJSDate());
    problems = watchProblems(page);
  });

  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
  });

  it('serves the console under a CSP with no inline script or style, and deep links open the page', async () => {
    // Act
    const response = await page.goto(`${rt.url}/app/prospects/nobody`);

    // Assess
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
  });

  it('signs in with a rep id and asks a new rep for their profile', async () => {
    // Prepare
    await page.goto(`${rt.url}/app/`);
    await expectAccessible();

    // Act
    await page.getByLabel('Rep id').fill('rep-dana');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Set up your profile' }).waitFor();
    await page.getByLabel('Your name').fill('Sam Rivera');
    await page.getByLabel('Your email').fill('sam@example.com');
    await page.getByLabel('Your time zone').selectOption('America/Chicago');
    await page.getByLabel('Your company').fill('Acme Tools');
    await page.getByRole('button', { name: 'Save profile' }).click();

    // Assess
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    expect(await page.getByText('Signed in as Sam Rivera, Acme Tools').isVisible()).toBe(true);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('followthrough.token')")).toMatch(/^ey/);
    expect(page.url()).not.toContain('token');
    await expectAccessible();
  });

  it('adds a prospect with a checked phone and a zone and country from the browser', async () => {
    // Prepare
    await page.getByRole('link', { name: 'Prospects' }).click();
    await page.getByRole('heading', { name: 'Add a prospect' }).waitFor();
    await expectAccessible();

    // Act
    await page.getByLabel('Name', { exact: true }).fill('Dana Whitfield');
    await page.getByLabel('Company', { exact: true }).fill('Harbor Mills');
    await page.getByLabel('Email', { exact: true }).fill('dana@example.com');
    await page.getByLabel('Country', { exact: true }).selectOption('US');
    await page.getByLabel('Phone', { exact: true }).fill('(212) 555-01');
    await expect.poll(() => page.getByText('Not a valid number').isVisible()).toBe(true);
    await page.getByLabel('Phone', { exact: true }).fill('(212) 555-0142');
    await page.getByText('Saved as +12125550142').waitFor();
    await page.getByLabel('Time zone', { exact: true }).selectOption('America/New_York');
    await page.getByLabel('Hot buttons', { exact: true }).fill('cost savings');
    await page.getByLabel('Id (optional)').fill('dana');
    await page.getByRole('button', { name: 'Add prospect' }).click();

    // Assess
    await page.getByRole('heading', { name: 'Dana Whitfield', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/prospects/dana');
    const stored = await rt.call('GET', '/v1/prospects/dana', undefined, { repId: 'rep-dana' });
    expect(stored.body.prospect).toMatchObject({ phone: '+12125550142', timezone: 'America/New_York', country: 'US', hotButtons: ['cost_savings'] });
    await expectAccessible();
  });

  it('logs a voicemail and shows the plan in both zones', async () => {
    // Act
    await page.getByRole('radio', { name: 'Voicemail' }).check();
    await page.getByRole('button', { name: 'Save call' }).click();

    // Assess
    const plan = page.locator('.plan');
    await plan.getByText('Saved: Voicemail').waitFor();
    expect(await plan.textContent()).toMatch(/Call reminder.*for them.*for you/);
    const calls = (await rt.call('GET', '/v1/prospects/dana', undefined, { repId: 'rep-dana' })).body.calls;
    expect(calls.map((c: { outcome: string }) => c.outcome)).toEqual(['voicemail']);
  });

  it('reads "tomorrow 10am" in the prospect\'s zone, shows both zones, and saves the callback', async () => {
    // Prepare
    await page.getByRole('radio', { name: 'Callback agreed' }).check();

    // Act
    await page.getByLabel('Callback time', { exact: true }).fill('tomorrow 10am');
    const resolved = page.locator('#callback-time-resolved');
    await resolved.getByText('for them').waitFor();

    // Assess: Tuesday 10:00 in New York is 9:00 in Chicago, whatever zone the browser is in.
    expect(await resolved.textContent()).toContain(`${tuesday.toFormat('ccc d LLL')}, 10:00 AM`);
    expect(await resolved.textContent()).toMatch(/9:00 AM C[SD]T for you/);
    await page.getByLabel('What was discussed').fill('Their uptime goals and the quote');
    await page.getByLabel('What happens next').fill('Reviews the quote with the plant manager');
    await page.getByLabel('Decision makers').fill('Pat (plant manager)');
    // The hot buttons the scripts have words for are offered; the prospect's own stays ticked.
    expect(await page.getByRole('checkbox', { name: 'Cost savings' }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: 'Uptime' }).check();
    await page.getByRole('button', { name: 'Add material' }).click();
    await page.getByLabel('Material 1 title').fill('Quote Q-1042');
    await page.getByLabel('Material 1 link').fill('https://example.com/q-1042');
    await expectAccessible();
    await screenshots(page, 'prospect-call-form');
    await page.getByRole('button', { name: 'Save call' }).click();
    await page.locator('.plan').getByText('Saved: Callback agreed').waitFor();
    await screenshots(page, 'plan-after-saving');

    const { body } = await rt.call('GET', '/v1/prospects/dana', undefined, { repId: 'rep-dana' });
    expect(body.prospect.callbackAt).toBe(tuesday.toUTC().toISO({ suppressMilliseconds: true }));
    expect(body.calls.at(-1)).toMatchObject({ outcome: 'callback_agreed', decisionMakers: ['Pat (plant manager)'], materials: [{ title: 'Quote Q-1042' }], hotButtons: ['uptime'] });
    expect(body.prospect.hotButtons).toEqual(['uptime', 'cost_savings']);
  });

  it("lists the callback in Today at the rep's and the prospect's local time", async () => {
    // Act
    await page.getByRole('link', { name: 'Today' }).click();
    const row = page.locator('.agenda-row', { hasText: 'Dana Whitfield' }).first();
    await row.waitFor();

    // Assess
    const text = (await row.textContent()) ?? '';
    expect(text).toMatch(new RegExp(`${tuesday.toFormat('ccc d LLL')}, 9:00 AM C[SD]T your time`));
    expect(text).toMatch(/10:00 AM E[SD]T theirs/);
    expect(text).toContain('Harbor Mills');
    expect(text).toContain('cost savings');
    expect(await row.getByRole('link', { name: /Call Dana Whitfield at/ }).getAttribute('href')).toBe('tel:+12125550142');
    expect(await page.locator('#group-week').textContent()).toMatch(/This week \(1\)/);
    await expectAccessible();
    await screenshots(page, 'today');
  });

  it('finds the prospect by company, from the keyboard alone', async () => {
    // Prepare
    await page.getByRole('link', { name: 'Prospects' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Find a prospect' }).waitFor();
    // The new page's heading takes focus once it has rendered: start typing after that, as a person would.
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.tagName')).toBe('H1');

    // Act
    await page.getByLabel('Name or company').focus();
    await page.keyboard.type('harbor');
    await page.keyboard.press('Enter');
    const result = page.getByRole('list', { name: 'Prospects found' }).getByRole('link', { name: 'Dana Whitfield' });
    await result.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');

    // Assess
    await expect.poll(() => result.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dana Whitfield', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/prospects/dana');
  });

  it('previews the voicemail script', async () => {
    // Prepare
    await page.getByRole('link', { name: 'Today' }).click();
    await page.getByRole('link', { name: 'Log call with Dana Whitfield' }).click();
    await page.getByRole('heading', { name: 'Dana Whitfield', level: 1 }).waitFor();

    // Act
    await page.getByRole('button', { name: 'Preview voicemail script' }).click();

    // Assess
    const preview = page.locator('.preview-text');
    await preview.waitFor();
    // Rendered from the templates for this prospect and rep (the wording is the scripts' own, and changes with them).
    const script = (await preview.textContent()) ?? '';
    expect(script).toMatch(/^Hi Dana, it's Sam Rivera from Acme Tools, /);
    expect(script).toMatch(/\b(try|call) you again\b/);

    // The call-prep sheet shows whole, wrapped: no box to scroll (axe wants one reachable by keyboard),
    // and its long template line does not push the page sideways at 390 px.
    await page.getByRole('button', { name: 'Preview call-prep sheet' }).click();
    await page.locator('.preview h3', { hasText: 'Call-prep sheet' }).waitFor();
    await expectAccessible();
    await screenshots(page, 'previews');

    // The history says why a touch went, in words: the voicemail's reminder gave way to the callback's.
    const cancelled = page.getByRole('row').filter({ hasText: 'Cancelled' }).first();
    expect(await cancelled.textContent()).toContain('replaced by the plan of a later “Callback agreed” call');
    // At 390 px the history table may scroll sideways: it is then a region the keyboard reaches.
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('reschedules the call reminder to a time typed in words', async () => {
    // Prepare
    const reminder = page.locator('.touch', { hasText: 'Call reminder' });

    // Act: from the keyboard; focus goes into the form, and to the list once moved.
    await reminder.getByRole('button', { name: /^Reschedule/ }).focus();
    await page.keyboard.press('Enter');
    // Focus moves in an effect after the form renders: wait for it rather than race it.
    await expect.poll(() => reminder.getByLabel('New time').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('tomorrow 11am');
    await reminder.locator('.resolved').getByText('for them').waitFor();
    await page.keyboard.press('Enter');

    // Assess
    await reminder.getByRole('button', { name: 'Move it' }).waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('#pending-title').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'moved to' }).textContent()).toMatch(/Call reminder.* moved to .*11:00 AM E[SD]T for them/);
    await expect.poll(() => reminder.locator('p').first().textContent()).toMatch(/11:00 AM E[SD]T for them · 10:00 AM C[SD]T for you/);
    const touches = (await rt.call('GET', '/v1/prospects/dana', undefined, { repId: 'rep-dana' })).body.touches;
    const pending = touches.find((t: { kind: string; status: string }) => t.kind === 'rep_reminder' && t.status === 'scheduled');
    expect(pending.dueAt).toBe(tuesday.set({ hour: 11 }).toUTC().toISO({ suppressMilliseconds: true }));
  });

  it('keeps the call being logged when the sign-in has expired, and says why sign-in is back', async () => {
    // Prepare: the API refuses the token from now on (as when it expires or is revoked).
    await page.getByLabel('What was discussed').fill('Asked for the uptime figures');
    await page.route('**/v1/**', (route) => route.fulfill({ status: 401, contentType: 'application/json', body: '{"message":"Unauthorized"}' }));

    // Act
    await page.getByRole('radio', { name: 'No answer' }).check();
    await page.getByRole('button', { name: 'Save call' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    const notice = (await page.getByRole('status').filter({ hasText: 'expired' }).textContent()) ?? '';
    const tokenAfter = await page.evaluate<string | null>("sessionStorage.getItem('followthrough.token')");
    await page.unroute('**/v1/**');
    await page.getByLabel('Rep id').fill('rep-dana');
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Assess: told why, the refused token gone, and back on the prospect with the notes as typed.
    expect(notice).toMatch(/sign-in has expired/);
    expect(tokenAfter).toBeNull();
    await page.getByRole('heading', { name: 'Dana Whitfield', level: 1 }).waitFor();
    expect(await page.getByLabel('What was discussed').inputValue()).toBe('Asked for the uptime figures');
    expect(await page.getByRole('radio', { name: 'No answer' }).isChecked()).toBe(true);
    await expectAccessible();

    // A retry whose first try was recorded (its answer lost) after the notes changed: said in words.
    await page.route('**/v1/prospects/dana/calls', (route) =>
      route.fulfill({ status: 409, contentType: 'application/json', body: '{"error":{"code":"idempotency_key_reused","message":"This Idempotency-Key was used with a different request"}}' }),
    );
    await page.getByRole('button', { name: 'Save call' }).click();
    expect(await page.getByRole('alert').filter({ hasText: 'earlier try' }).textContent()).toMatch(/An earlier try of this call was saved.*check History/);
    await page.unroute('**/v1/prospects/dana/calls');
    await page.getByRole('button', { name: 'Start again' }).click();
    expect(await page.getByLabel('What was discussed').inputValue()).toBe('');
    expect((await rt.call('GET', '/v1/prospects/dana', undefined, { repId: 'rep-dana' })).body.calls).toHaveLength(2);
  });

  it('reports the promise kept once the reminder fired and the rep called', async () => {
    // Prepare: the reminder fires at 11:00 Tuesday; the rep calls two minutes later.
    const due = tuesday.set({ hour: 11 });
    rt.clock.set(due.toJSDate());
    expect(await rt.runDue()).toBeGreaterThan(0);
    rt.clock.set(due.plus({ minutes: 2 }).toJSDate());
    expect((await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'stalled', stallReason: 'needs_review' }, { repId: 'rep-dana' })).status).toBe(201);
    await page.clock.setFixedTime(due.plus({ minutes: 5 }).toJSDate());

    // Act
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Promises kept' }).waitFor();

    // Assess
    const kept = (await page.locator('.big-number').textContent()) ?? '';
    expect(kept).toMatch(/100% of 1 reminder was followed by your call within 15 minutes; median 2 minutes late/);
    const attempts = (await page.getByRole('figure', { name: /By attempt number/ }).textContent()) ?? '';
    expect(attempts).toMatch(/Attempt 1.*50%.*1 of 2 calls/);
    expect(attempts).toMatch(/Attempt 2.*100%.*1 of 1 call$/);
    expect(await page.getByRole('figure', { name: /By the voicemail script left/ }).textContent()).toMatch(/1 of 1 voicemail$/);
    // The page shows what the route answers.
    const period = `from=${monday.minus({ days: 7 }).toUTC().toISO()}&to=${tuesday.plus({ days: 1 }).toUTC().toISO()}`;
    const report = (await rt.call('GET', `/v1/reports/promises?${period}`, undefined, { repId: 'rep-dana' })).body;
    expect(report.promisesKept).toMatchObject({ reminders: 1, kept: 1, keptRate: 1, medianMinutesLate: 2 });
    await expectAccessible();
    await screenshots(page, 'reports');
  });

  it("shows a not-found page in the console's look for an address outside the console, not a sign-in error", async () => {
    // Act
    const response = await page.goto(`${rt.url}/pricing`);

    // Assess
    expect(response!.status()).toBe(404);
    await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'open the console' }).getAttribute('href')).toBe('/app/');
    // The console's stylesheet applies (under the page's strict CSP): the header is the console's.
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('.site-header-inner')).display")).toBe('flex');
    expect(await page.getByText(/[Ss]ign in|unauthorized/).count()).toBe(0);
    await expectAccessible();
    await page.goBack();
  });

  it('works at 390 px wide and signs out', async () => {
    // Prepare
    await page.setViewportSize({ width: 390, height: 844 });

    // Act
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    await page.goto(`${rt.url}/app/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Assess
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await page.evaluate<string | null>("sessionStorage.getItem('followthrough.token')")).toBeNull();
    expect(problems).toEqual([]);
  });

  it('answers an unknown console address signed out with a 404 not-found page, not the sign-in form', async () => {
    // Act
    const response = await page.goto(`${rt.url}/app/prospects/dana/notes`);

    // Assess
    expect(response!.status()).toBe(404);
    await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    expect(await page.getByLabel('Rep id').count()).toBe(0);
    await expectAccessible();
    expect(problems).toEqual([]);
  });
});

describe('rep console in Chromium, signing in through Cognito', () => {
  let rt: TestRuntime;
  let hostedUi: Awaited<ReturnType<typeof startFakeCognito>>;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    // The hosted UI on its own origin, and a runtime whose console is pointed at it (as the stack sets
    // COGNITO_DOMAIN_URL and COGNITO_CLIENT_ID on the render function).
    hostedUi = await startFakeCognito('rep-dana');
    rt = await testRuntime({ start: monday.toUTC().toISO()!, cognito: { domainUrl: hostedUi.url, clientId: FAKE_CLIENT_ID } });
    hostedUi.cognito.bind(rt.url, (sub) => rt.tokens.sign(sub));
    await rt.call('PUT', '/v1/reps/me', { name: 'Sam Rivera', email: uniqueEmail('sam'), timezone: 'America/Chicago', reminderChannel: 'email', company: 'Acme Tools' }, { repId: 'rep-dana' });
    browser = await launchChromium();
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.clock.setFixedTime(monday.toJSDate());
    problems = watchProblems(page);
  });

  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
    await hostedUi?.stop();
  });

  it('signs in through the hosted UI with PKCE, comes back to the page asked for, and signs out there', async () => {
    // Prepare
    await page.goto(`${rt.url}/app/reports`);
    expect(await (await page.request.get(`${rt.url}/app/config.json`)).json()).toEqual({
      signIn: 'cognito',
      domain: hostedUi.url,
      clientId: FAKE_CLIENT_ID,
      redirectUri: `${rt.url}/app/callback`,
      logoutUri: `${rt.url}/app/`,
    });

    // Act
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();

    // Assess
    expect(hostedUi.cognito.log).toEqual(['authorize', 'token']);
    expect(page.url()).toBe(`${rt.url}/app/reports`);
    expect(await page.getByText('Signed in as Sam Rivera, Acme Tools').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(hostedUi.cognito.log.at(-1)).toBe('logout');
    expect(new URL(page.url()).pathname).toBe('/app/');
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    expect(problems).toEqual([]);
  });
});
