/**
 * Every email laid out by a real browser at 390 px (Debian's Chromium, never a downloaded one):
 * no horizontal scroll, even when the data carries long unbroken words: a URL pasted into the
 * call notes, a German compound, a title with no spaces. The static checks in emails.test.ts see
 * fixed widths; only layout sees a table column pushed wide by its content.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEmail } from '../../functions/core/messages.js';
import { TOUCH_KINDS } from '../../functions/core/schemas.js';
import { TemplateLibrary } from '../../functions/core/templates.js';
import { launchChromium } from '../e2e/browser.js';
import { input } from './message-fixtures.js';

const library = new TemplateLibrary();
const PASTED_URL = 'https://docs.example.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef/edit?usp=sharing';
const LONG_WORD = 'Pumpenwerkeverwaltungsgesellschaftsvertragsunterlagen';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 390, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
});

describe('every email at 390 px in Chromium', () => {
  it('scrolls only down, whatever long words the rep typed into the call', async () => {
    const wide: string[] = [];
    for (const kind of TOUCH_KINDS) {
      // Prepare
      const email = renderEmail(
        input({
          kind,
          hotButton: 'uptime',
          stall: 'decision_maker',
          prospect: { name: `Bartholomew ${LONG_WORD}`, company: `${LONG_WORD} GmbH` },
          call: {
            discussed: `The spec sheet: ${PASTED_URL}`,
            whatHappensNext: `Lee reads ${PASTED_URL}`,
            decisionMakers: [`Lee ${LONG_WORD}`],
            materials: [{ title: `Quote-${LONG_WORD}`, url: PASTED_URL }],
            notes: PASTED_URL,
          },
        }),
        library,
      );

      // Act
      await page.setContent(email.html);
      const size = await page.evaluate<{ scroll: number; client: number }>('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })');

      // Assess
      if (size.scroll > size.client) wide.push(`${kind}: ${size.scroll} px wide`);
    }
    expect(wide).toEqual([]);
  });
});
