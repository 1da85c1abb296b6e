/**
 * Headless Chromium from Debian's package (never a downloaded browser), driven by playwright-core, with
 * axe-core run in the page and a watch on what the page reports: script errors and Content-Security-
 * Policy refusals fail the test.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/** Problems the page reported: uncaught errors and CSP refusals, as the console shows them. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  return problems;
}

/**
 * A browser on the console, signed in locally as `repId` (whose profile exists) at the fixed time `at`,
 * in Berlin and at desktop width (tests go to 390 px themselves), with Today open.
 */
export async function signedInConsole(url: string, repId: string, at: Date): Promise<{ browser: Browser; page: Page; problems: string[] }> {
  const browser = await launchChromium();
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.clock.setFixedTime(at);
  const problems = watchProblems(page);
  await page.goto(`${url}/app/`);
  await page.getByLabel('Rep id').fill(repId);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
  return { browser, page, problems };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Serious and critical axe-core violations on the page as it stands. axe is evaluated through the
 * DevTools protocol, which the page's CSP does not govern, so the CSP under test stays as strict.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // A string, run in the page: this file is type-checked without the DOM library.
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
  })()`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

/** Full-page screenshots at 1280 and 390 px wide, back to the width it had; fails when a width scrolls sideways. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize() ?? { width: 1280, height: 900 };
  const files: string[] = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    if (overflow > 0) throw new Error(`${name} at ${width} px is ${overflow} px wider than the window`);
    const file = join(SCREENSHOTS, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  await page.setViewportSize(before);
  return files;
}
