/**
 * The rep console as a rep finds it past the first day, in Chromium against the local runtime: a call
 * stays in Today after its reminder has gone (due now, then overdue) until it is logged, a past time
 * typed to move a reminder is refused in the rep's words before anything is sent, a refused report
 * period shows no figures of another period, and the bars of a chart share one scale at 390 px.
 * The rep is in Chicago, the prospect in New York, the browser in Berlin.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';
import { seriousViolations, signedInConsole } from './browser.js';

// Tokens are signed on the real clock: the test's "now" stays within days of it.
const monday = DateTime.now().setZone('America/New_York').plus({ weeks: 1 }).set({ weekday: 1, hour: 10, minute: 0, second: 0, millisecond: 0 });
const callback = monday.plus({ minutes: 30 });
const REP = { repId: 'rep-checks' };

let rt: TestRuntime;
let browser: Browser;
let page: Page;
let problems: string[];

/** The runtime's clock and the page's together, then Today opened afresh. */
async function openTodayAt(at: DateTime) {
  rt.clock.set(at.toJSDate());
  await page.clock.setFixedTime(at.toJSDate());
  await page.goto(`${rt.url}/app/`);
  await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
  await page.locator('.agenda-group, .empty').first().waitFor();
}

describe('rep console, past the first call', () => {
  beforeAll(async () => {
    rt = await testRuntime({ start: monday.toUTC().toISO()! });
    await rt.call('PUT', '/v1/reps/me', { name: 'Sam Rivera', email: uniqueEmail('sam'), timezone: 'America/Chicago', reminderChannel: 'email' }, REP);
    const dana = { name: 'Dana Whitfield', phone: '+12125550142', timezone: 'America/New_York', country: 'US' };
    await rt.call('POST', '/v1/prospects', { id: 'dana', ...dana }, REP);
    await rt.call('POST', '/v1/prospects', { id: 'lee', ...dana, name: 'Lee Park' }, REP);
    ({ browser, page, problems } = await signedInConsole(rt.url, REP.repId, monday.toJSDate()));
  });

  afterAll(async () => {
    await browser?.close();
    await rt?.stop();
  });

  it('keeps a call in Today once its reminder has gone: due now, then overdue, until it is logged', async () => {
    // Prepare: Dana agreed to a call at 10:30 New York time; the reminder goes out at 10:30.
    const logged = await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'callback_agreed', callbackAt: callback.toISO(), sendRecap: false }, REP);
    expect(logged.status).toBe(201);
    expect(await rt.fireUntil(callback.toJSDate())).toBeGreaterThan(0);

    // Act: two minutes after the reminder.
    await openTodayAt(callback.plus({ minutes: 2 }));

    // Assess
    const dueNow = page.locator('.agenda-now .agenda-row', { hasText: 'Dana Whitfield' });
    await dueNow.waitFor();
    expect(await dueNow.textContent()).toMatch(/9:30 AM C[SD]T your time · 10:30 AM E[SD]T theirs/);
    expect(await dueNow.getByRole('link', { name: 'Log call with Dana Whitfield' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    // Act: twenty minutes late it is overdue; logged, it leaves Today.
    await openTodayAt(callback.plus({ minutes: 20 }));
    await page.locator('.agenda-overdue .agenda-row', { hasText: 'Dana Whitfield' }).waitFor();
    expect(await page.locator('#group-overdue').textContent()).toMatch(/Overdue \(1\)/);
    expect((await rt.call('POST', '/v1/prospects/dana/calls', { outcome: 'won' }, REP)).status).toBe(201);
    await openTodayAt(callback.plus({ minutes: 21 }));
    await page.getByText('No calls pending.').waitFor();
  });

  it('refuses a past time for a reminder in words before sending anything, and forgets it once the time is fixed', async () => {
    // Prepare
    const at = callback.plus({ minutes: 30 });
    await rt.call('POST', '/v1/prospects/lee/calls', { outcome: 'no_answer', at: callback.toISO() }, REP);
    await rt.call('POST', '/v1/prospects/lee/calls', { outcome: 'callback_agreed', callbackAt: at.plus({ days: 1 }).toISO(), sendRecap: false }, REP);
    rt.clock.set(at.toJSDate());
    await page.clock.setFixedTime(at.toJSDate());
    await page.goto(`${rt.url}/app/prospects/lee`);
    const reminder = page.locator('.touch', { hasText: 'Call reminder' });
    await reminder.getByRole('button', { name: /^Reschedule/ }).click();
    const patches: string[] = [];
    page.on('request', (r) => r.method() === 'PATCH' && patches.push(r.url()));

    // Act
    await reminder.getByLabel('New time').fill('today 9am');
    await reminder.getByRole('button', { name: 'Move it' }).click();

    // Assess
    await reminder.locator('.error-text').getByText('That time has passed: pick one from now on').waitFor();
    expect(patches).toEqual([]);
    expect(await reminder.textContent()).not.toMatch(/dueAt|\d{4}-\d\d-\d\dT/);
    await reminder.getByLabel('New time').fill('tomorrow 11am');
    expect(await reminder.locator('.error-text').count()).toBe(0);
    await reminder.getByRole('button', { name: 'Move it' }).click();
    await page.getByRole('status').filter({ hasText: 'moved to' }).waitFor();
    expect(patches).toHaveLength(1);
  });

  it('refuses a callback time that passed while the call was being logged, before anything is sent', async () => {
    // Prepare: at 11:00 the rep types 11:10 for Lee; by the time they save it is 11:12.
    const at = callback.plus({ minutes: 30 });
    await page.clock.setFixedTime(at.toJSDate());
    await page.goto(`${rt.url}/app/prospects/lee`);
    await page.getByRole('radio', { name: 'Callback agreed' }).check();
    await page.getByLabel('Callback time', { exact: true }).fill(at.plus({ minutes: 10 }).toFormat('h:mma'));
    await page.locator('#callback-time-resolved').getByText('for them').waitFor();
    const posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().includes('/calls') && posts.push(r.url()));
    await page.clock.setFixedTime(at.plus({ minutes: 12 }).toJSDate());

    // Act
    await page.getByRole('button', { name: 'Save call' }).click();

    // Assess
    await page.locator('#callback-time-error').getByText('That time has passed: agree a time from now on').waitFor();
    expect(posts).toEqual([]);
    expect(await page.locator('.call-form').textContent()).not.toMatch(/callbackAt|\d{4}-\d\d-\d\dT/);
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.id')).toBe('callback-time');
  });

  it('shows no figures of an earlier period under a period the report refused', async () => {
    // Prepare
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Promises kept' }).waitFor();

    // Act: more than the 366 days a report covers.
    await page.getByLabel('From').fill(monday.minus({ years: 2 }).toISODate()!);
    await page.getByRole('button', { name: 'Show' }).click();

    // Assess
    await page.getByRole('alert').getByText(/longer than 366 days/).waitFor();
    expect(await page.getByRole('heading', { name: 'Promises kept' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Reach rate' }).count()).toBe(0);
  });

  it('draws the bars of a chart on one scale at 390 px, whatever the width of their values', async () => {
    // Prepare: Lee missed at attempt 1 and reached at attempt 2: "67% 2 of 3 calls" beside "100% 1 of 1 call".
    await page.getByLabel('From').fill(monday.minus({ days: 7 }).toISODate()!);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.setViewportSize({ width: 390, height: 844 });

    // Act
    const tracks = page.getByRole('figure', { name: /By attempt number/ }).locator('svg.bar');
    await tracks.first().waitFor();
    const boxes = await tracks.evaluateAll((svgs) => svgs.map((s) => { const r = s.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.width)]; }));

    // Assess
    expect(boxes.length).toBeGreaterThan(1);
    expect(new Set(boxes.map((b) => b.join(','))).size).toBe(1);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(problems).toEqual([]);
  });
});
