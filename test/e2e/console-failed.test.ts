/**
 * What could not be sent, in the rep console (Chromium against the local runtime): a recap the mail
 * service refuses for good ends failed and shows under "Could not be sent" on Today with the reason the
 * API gives; "Send again" posts once, however often it is tapped, returns it to scheduled and it is then
 * delivered; the prospect page's own "Send again" does the same; a retry the rules refuse (a later call
 * replaced the plan) reads as a sentence, and any other error in the console's error notice.
 * The rep is in Chicago, the prospects in New York, the browser in Berlin.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';
import { screenshots, seriousViolations, signedInConsole } from './browser.js';

// Tokens are signed on the real clock: the test's "now" stays within days of it.
const monday = DateTime.now().setZone('America/New_York').plus({ weeks: 1 }).set({ weekday: 1, hour: 10, minute: 0, second: 0, millisecond: 0 });
const REP = { repId: 'rep-failed' };

let rt: TestRuntime;
let browser: Browser;
let page: Page;
let problems: string[];
const retries: string[] = [];

/** A prospect whose recap the mail service refuses for good (an unverified address), fired: the recap ends failed. */
async function failedRecap(id: string, name: string): Promise<{ email: string; recapId: string; refusal: string }> {
  const email = uniqueEmail(id);
  expect((await rt.call('POST', '/v1/prospects', { id, name, company: 'Acme Pumps', email, phone: '+12125550142', timezone: 'America/New_York', country: 'US' }, REP)).status).toBe(201);
  const refusal = `Email address is not verified. The following identities failed the check in region US-EAST-1: ${email}`;
  rt.aws.ses!.failSendsTo(email, { code: 'MessageRejected', status: 400, message: refusal });
  const callbackAt = DateTime.fromJSDate(rt.clock.now()).setZone('America/New_York').plus({ days: 1 }).set({ hour: 10, minute: 0 });
  const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: callbackAt.toISO(), discussed: 'Pump sizing' }, REP);
  expect(posted.status).toBe(201);
  const recapId = (posted.body.plan as { id: string; kind: string }[]).find((t) => t.kind === 'recap')!.id;
  await rt.fireNow();
  expect(await touchOf(id, recapId)).toMatchObject({ status: 'failed' });
  return { email, recapId, refusal };
}

async function touchOf(prospectId: string, touchId: string): Promise<{ status: string; reason?: string }> {
  const bundle = (await rt.call('GET', `/v1/prospects/${prospectId}`, undefined, REP)).body as { touches: { id: string; status: string; reason?: string }[] };
  return bundle.touches.find((t) => t.id === touchId)!;
}

/** The runtime's clock and the page's together, then `path` opened afresh. */
async function openAtNow(path: string) {
  await page.clock.setFixedTime(rt.clock.now());
  await page.goto(`${rt.url}${path}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
}

describe('rep console, what could not be sent', () => {
  beforeAll(async () => {
    rt = await testRuntime({ start: monday.toUTC().toISO()! });
    await rt.call('PUT', '/v1/reps/me', { name: 'Sam Rivera', email: uniqueEmail('sam'), timezone: 'America/Chicago', reminderChannel: 'email' }, REP);
    ({ browser, page, problems } = await signedInConsole(rt.url, REP.repId, monday.toJSDate()));
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/retry') && retries.push(r.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
  });

  it('shows no "Could not be sent" while nothing failed', async () => {
    // Act
    await openAtNow('/app/');
    await page.getByText('No calls pending.').waitFor();

    // Assess
    expect(await page.getByRole('heading', { name: /Could not be sent/ }).count()).toBe(0);
  });

  it('lists a refused recap under "Could not be sent" with its reason, and "Send again" posts once and it is delivered', async () => {
    // Prepare
    const { email, recapId, refusal } = await failedRecap('dana', 'Dana Whitfield');
    rt.aws.ses!.clearFailures();
    retries.length = 0;

    // Act
    await openAtNow('/app/');
    const section = page.getByRole('region', { name: /Could not be sent/ });
    const row = section.locator('.agenda-row', { hasText: 'Dana Whitfield' });
    await row.waitFor();

    // Assess: what it was, to whom, when in both zones, why, in plain words; accessible and narrow enough at 390 px.
    expect(await section.getByRole('heading', { level: 2 }).textContent()).toBe('Could not be sent (1)');
    const text = (await row.textContent())!;
    expect(text).toContain('Recap email to Dana Whitfield · Acme Pumps');
    expect(text).toMatch(/Due Mon \d+ \w+, 9:0\d AM C[SD]T your time · 10:0\d AM E[SD]T theirs/);
    expect(text).toContain(`Why it failed: the mail service refused it (MessageRejected: ${refusal})`);
    expect(text).not.toMatch(/_|\d{4}-\d\d-\d\dT/);
    expect(await row.getByRole('link', { name: 'Dana Whitfield' }).getAttribute('href')).toBe('/app/prospects/dana');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'today-could-not-be-sent');

    // Act: a double tap.
    const button = row.getByRole('button', { name: 'Send again: recap email to Dana Whitfield' });
    await button.dblclick();

    // Assess: posted once; announced; the row gone and focus on the section's heading; scheduled, then delivered.
    await section.getByRole('status').getByText('Recap email to Dana Whitfield is scheduled again: it goes out within the minute.').waitFor();
    await expect.poll(() => section.locator('.agenda-row').count()).toBe(0);
    expect(retries).toHaveLength(1);
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('group-failed');
    expect(await touchOf('dana', recapId)).toMatchObject({ status: 'scheduled' });
    await page.locator('#group-emails').waitFor();
    expect(await page.getByRole('region', { name: /Emails to prospects/ }).textContent()).toContain('Recap email to Dana Whitfield');
    expect(await seriousViolations(page)).toEqual([]);
    await rt.fireNow();
    expect((await rt.inbox(email)).map((e) => e.subject)).toEqual([expect.stringMatching(/^Recap of our call/)]);
    expect(await touchOf('dana', recapId)).toMatchObject({ status: 'sent' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('sends a failed touch again from the prospect page, from the keyboard', async () => {
    // Prepare
    rt.clock.advance(60 * 60_000);
    const { email, recapId } = await failedRecap('lee', 'Lee Park');
    rt.aws.ses!.clearFailures();
    retries.length = 0;
    await openAtNow('/app/prospects/lee');
    const row = page.locator('tr', { hasText: 'Recap email' });
    await row.getByText('Failed', { exact: true }).waitFor();
    await screenshots(page, 'prospect-send-again');

    // Act: from the keyboard.
    await row.getByRole('button', { name: 'Send again: recap email to Lee Park' }).focus();
    await page.keyboard.press('Enter');

    // Assess
    await page.getByRole('status').getByText('Recap email to Lee Park is scheduled again: it goes out within the minute.').waitFor();
    await row.getByText('Scheduled', { exact: true }).waitFor();
    expect(await row.getByRole('button').count()).toBe(0);
    expect(await page.locator('.touch', { hasText: 'Recap email' }).count()).toBe(1);
    expect(retries).toHaveLength(1);
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Touches');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await rt.fireNow();
    expect((await rt.inbox(email)).map((e) => e.subject)).toEqual([expect.stringMatching(/^Recap of our call/)]);
    expect(await touchOf('lee', recapId)).toMatchObject({ status: 'sent' });
  });

  it('says in words why a retry was refused when a later call replaced the plan, and shows any other error in the error notice', async () => {
    // Prepare: the recap fails; Today is open; meanwhile a later call replaces the plan.
    rt.clock.advance(60 * 60_000);
    await failedRecap('kim', 'Kim Osei');
    rt.aws.ses!.clearFailures();
    await openAtNow('/app/');
    const row = page.getByRole('region', { name: /Could not be sent/ }).locator('.agenda-row', { hasText: 'Kim Osei' });
    await row.waitFor();
    expect((await rt.call('POST', '/v1/prospects/kim/calls', { outcome: 'no_answer' }, REP)).status).toBe(201);

    // Act
    await row.getByRole('button', { name: 'Send again: recap email to Kim Osei' }).click();

    // Assess: a sentence, no code or field name; the row stays.
    const alert = row.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('A later call replaced the plan this recap email to Kim Osei was part of, so it is not sent again. Log a call to plan what comes next.');
    expect(await alert.locator('li').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    // Act: the server fails outright.
    await page.route('**/retry', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: '{"message":"Service Unavailable"}' }));
    await row.getByRole('button', { name: /^Send again/ }).click();

    // Assess
    await row.getByRole('alert').getByText('The server could not answer just now (503): try again in a minute').waitFor();
    await page.unroute('**/retry');
    expect(problems).toEqual([]);
  });
});
