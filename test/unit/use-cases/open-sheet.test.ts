import { describe, expect, it } from 'vitest';
import { humanTime } from '../../../functions/core/time.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { openSheet } from '../../../functions/use-cases/open-sheet.js';
import { REP_ID, seeded, tokenOf, useCaseDeps } from '../../support/fakes.js';

/** The reminder for a voicemail attempt, and the signed sheet link its SMS would carry. */
async function sheetLink() {
  const deps = useCaseDeps();
  await seeded(deps, {}, { hotButtons: ['uptime'] });
  const { touches } = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'voicemail', notes: 'Ask for <b>Dana</b>' } });
  const reminder = touches[0]!;
  return { deps, reminder, token: tokenOf(await deps.links.sheetUrl(reminder, deps.clock.now())) };
}

describe('openSheet', () => {
  it('opens the call-prep sheet of the touch the token names, with no sign-in', async () => {
    // Prepare
    const { deps, reminder, token } = await sheetLink();
    deps.clock.advance(24 * 3600_000);
    // Act
    const sheet = await openSheet(deps, token);
    // Assess
    expect(sheet.found).toBe(true);
    if (!sheet.found) return;
    expect(sheet.title).toContain('Call Dana Whitfield');
    expect(sheet.rep).toEqual({ name: 'Ana Rivera', company: 'Acme Pumps' });
    expect(sheet.text).toContain('uptime');
    // The sheet carries the promise the reminder was planned with, Thanksgiving skipped.
    expect(sheet.text).toContain(humanTime(reminder.promiseAt!, 'America/New_York'));
    expect(humanTime(reminder.promiseAt!, 'America/New_York')).toMatch(/^Friday, November 27 at /);
    // Rep notes are data, escaped in HTML, never markup.
    expect(sheet.html).toContain('Ask for &lt;b&gt;Dana&lt;/b&gt;');
  });

  it('says why it finds nothing: an altered or foreign token is invalid, a week-old one expired, a missing touch gone', async () => {
    const { deps, reminder, token } = await sheetLink();
    expect(await openSheet(deps, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toEqual({ found: false, problem: 'invalid' });
    const unsubscribe = tokenOf(await deps.links.unsubscribeUrl({ repId: REP_ID, id: 'p-dana', email: 'dana@northwind.example' }));
    expect(await openSheet(deps, unsubscribe)).toEqual({ found: false, problem: 'invalid' });
    const elsewhere = deps.links.tokens.sheetToken({ repId: REP_ID, prospectId: 'p-dana', touchId: 'no-such-touch', exp: 4_102_444_800 });
    expect(await openSheet(deps, elsewhere)).toEqual({ found: false, problem: 'gone' });
    deps.clock.advance(8 * 24 * 3600_000);
    expect(await openSheet(deps, token)).toEqual({ found: false, problem: 'expired' });
    // An expired token altered is invalid: only a genuine token is told it expired.
    expect(await openSheet(deps, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toEqual({ found: false, problem: 'invalid' });
    expect((await deps.store.getTouch(REP_ID, 'p-dana', reminder.id))!.status).toBe('scheduled');
  });
});
