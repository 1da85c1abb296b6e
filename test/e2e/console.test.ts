/**
 * The rep console in a real browser against a real local runtime: sign in, set up the profile, add a
 * prospect, log a voicemail, log a callback typed "tomorrow 10am" and find it in Today at the right
 * local time, preview the script, reschedule a touch, open the report. The browser's clock is the
 * runtime's (next Monday, 10:00 in New York) and its zone is Berlin's: neither the rep (Chicago) nor the
 * prospect (New York) is where the browser is, so every time shown must come from the zones, not the machine.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { humanClock } from '../../functions/core/time.js';
import { launchChromium, screenshots, seriousViolations, watchProblems } from './browser.js';
import { startConsoleFront, type ConsoleFront } from './console-front.js';

// Tokens are signed on the real clock: the test's "now" stays within days of it.
const monday = DateTime.now().setZone('America/New_York').plus({ weeks: 1 }).set({ weekday: 1, hour: 10, minute: 0, second: 0, millisecond: 0 });
const tuesday = monday.plus({ days: 1 });

let front: ConsoleFront;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];

async function expectAccessible() {
  expect(await seriousViolations(page)).toEqual([]);
}

describe('rep console in Chromium', () => {
  beforeAll(async () => {
    front = await startConsoleFront({ start: monday.toUTC().toISO()! });
    browser = await launchChromium();
    context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.clock.setFixedTime(monday.toJSDate());
    problems = watchProblems(page);
  });

  afterAll(async () => {
    await browser?.close();
    await front?.stop();
  });

  it('serves the console under a CSP with no inline script or style, and deep links open the page', async () => {
    // Act
    const response = await page.goto(`${front.url}/app/prospects/nobody`);

    // Assess
    const csp = response!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
  });

  it('signs in with a rep id and asks a new rep for their profile', async () => {
    // Prepare
    await page.goto(`${front.url}/app/`);
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
    const stored = await front.call('GET', '/v1/prospects/dana', undefined, 'rep-dana');
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
    const calls = (await front.call('GET', '/v1/prospects/dana', undefined, 'rep-dana')).body.calls;
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
    await page.getByRole('button', { name: 'Add material' }).click();
    await page.getByLabel('Material 1 title').fill('Quote Q-1042');
    await page.getByLabel('Material 1 link').fill('https://example.com/q-1042');
    await expectAccessible();
    await screenshots(page, 'prospect-call-form');
    await page.getByRole('button', { name: 'Save call' }).click();
    await page.locator('.plan').getByText('Saved: Callback agreed').waitFor();
    await screenshots(page, 'plan-after-saving');

    const { body } = await front.call('GET', '/v1/prospects/dana', undefined, 'rep-dana');
    expect(body.prospect.callbackAt).toBe(tuesday.toUTC().toISO({ suppressMilliseconds: true }));
    expect(body.calls.at(-1)).toMatchObject({ outcome: 'callback_agreed', decisionMakers: ['Pat (plant manager)'], materials: [{ title: 'Quote Q-1042' }] });
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

    // Act
    await page.getByLabel('Name or company').focus();
    await page.keyboard.type('harbor');
    await page.keyboard.press('Enter');
    const result = page.getByRole('list', { name: 'Prospects found' }).getByRole('link', { name: 'Dana Whitfield' });
    await result.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');

    // Assess
    expect(await result.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
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
    // The script of the pending reminder (the callback agreed today): the opening names the talk, the
    // close names the next try that reminder carries, in the prospect's zone.
    const text = (await preview.textContent()) ?? '';
    expect(text).toMatch(/^Hi Dana, it's Sam Rivera from Acme Tools, calling as promised after our talk earlier today\. /);
    const touches = (await front.call('GET', '/v1/prospects/dana', undefined, 'rep-dana')).body.touches;
    const reminder = touches.find((t: { kind: string; status: string }) => t.kind === 'rep_reminder' && t.status === 'scheduled');
    const promise = DateTime.fromISO(reminder.promiseAt).setZone('America/New_York');
    expect(text.endsWith(`I'll try you again on ${promise.toFormat('cccc')} at ${humanClock(promise, 'America/New_York')}.`)).toBe(true);
  });

  it('reschedules the call reminder to a time typed in words', async () => {
    // Prepare
    const reminder = page.locator('.touch', { hasText: 'Call reminder' });

    // Act
    await reminder.getByRole('button', { name: /^Reschedule/ }).click();
    await reminder.getByLabel('New time').fill('tomorrow 11am');
    await reminder.locator('.resolved').getByText('for them').waitFor();
    await reminder.getByRole('button', { name: 'Move it' }).click();

    // Assess
    await reminder.getByRole('button', { name: 'Move it' }).waitFor({ state: 'detached' });
    await expect.poll(() => reminder.locator('p').first().textContent()).toMatch(/11:00 AM E[SD]T for them · 10:00 AM C[SD]T for you/);
    const touches = (await front.call('GET', '/v1/prospects/dana', undefined, 'rep-dana')).body.touches;
    const pending = touches.find((t: { kind: string; status: string }) => t.kind === 'rep_reminder' && t.status === 'scheduled');
    expect(pending.dueAt).toBe(tuesday.set({ hour: 11 }).toUTC().toISO({ suppressMilliseconds: true }));
  });

  it('reports the promise kept once the reminder fired and the rep called', async () => {
    // Prepare: the reminder fires at 11:00 Tuesday; the rep calls two minutes later.
    const due = tuesday.set({ hour: 11 });
    front.clock.set(due.toJSDate());
    await front.runtime.runDue();
    front.clock.set(due.plus({ minutes: 2 }).toJSDate());
    expect((await front.call('POST', '/v1/prospects/dana/calls', { outcome: 'stalled', stallReason: 'needs_review' }, 'rep-dana')).status).toBe(201);
    await page.clock.setFixedTime(due.plus({ minutes: 5 }).toJSDate());

    // Act
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Promises kept' }).waitFor();

    // Assess
    const kept = (await page.locator('.big-number').textContent()) ?? '';
    expect(kept).toMatch(/100% of 1 reminder was followed by your call within 15 minutes; median 2 minutes late/);
    const attempts = (await page.getByRole('figure', { name: /By attempt number/ }).textContent()) ?? '';
    expect(attempts).toMatch(/Attempt 1.*50%.*1 of 2 calls/);
    expect(attempts).toMatch(/Attempt 2.*100%.*1 of 1 calls/);
    expect(await page.getByRole('figure', { name: /By the voicemail script left/ }).textContent()).toMatch(/1 of 1 voicemails/);
    await expectAccessible();
    await screenshots(page, 'reports');
  });

  it('works at 390 px wide and signs out', async () => {
    // Prepare
    await page.setViewportSize({ width: 390, height: 844 });

    // Act
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    await page.goto(`${front.url}/app/no-such-page`);
    await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Assess
    expect(overflow).toBeLessThanOrEqual(0);
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await page.evaluate<string | null>("sessionStorage.getItem('followthrough.token')")).toBeNull();
    expect(problems).toEqual([]);
  });

  it('signs in through the Cognito hosted UI with PKCE, comes back to the page asked for, and signs out there', async () => {
    // Prepare
    const cognito = front.useCognito('rep-dana');
    await page.goto(`${front.url}/app/reports`);

    // Act
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();

    // Assess
    expect(cognito.log).toEqual(['authorize', 'token']);
    expect(page.url()).toBe(`${front.url}/app/reports`);
    expect(await page.getByText('Signed in as Sam Rivera, Acme Tools').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(cognito.log.at(-1)).toBe('logout');
    expect(new URL(page.url()).pathname).toBe('/app/');
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    expect(problems).toEqual([]);
  });
});
