import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../functions/core/errors.js';
import type { CallInput, Prospect } from '../../../functions/core/schemas.js';
import { humanClock } from '../../../functions/core/time.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { renderPreview, type PreviewKind } from '../../../functions/use-cases/render-preview.js';
import { aProspect, REP_ID, seeded, tokenOf, useCaseDeps } from '../../support/fakes.js';

const BASE = 'https://preview.followthrough.test';
const preview = (deps: ReturnType<typeof useCaseDeps>, kind: PreviewKind) => renderPreview(deps, { repId: REP_ID, prospectId: 'p-dana', kind, baseUrl: BASE });

async function prospect(overrides: Partial<Prospect> = {}, call?: CallInput) {
  const deps = useCaseDeps();
  await seeded(deps, {}, overrides);
  const recorded = call ? await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call }) : undefined;
  return { deps, touches: recorded?.touches ?? [] };
}

describe('renderPreview', () => {
  it('renders the pending reminder’s voicemail with the promise that reminder carries', async () => {
    // Prepare: voicemail posted, so attempt 2 is pending with its promise.
    const { deps, touches } = await prospect({}, { outcome: 'voicemail' });
    const promiseAt = touches[0]!.promiseAt!;
    // Act
    const vm = await preview(deps, 'voicemail');
    // Assess
    // Attempt 2 opens with "again"; the parts are the cost-savings line the reminder's variant chose, the
    // question, the number and the promise.
    const variant = touches[0]!.scriptVariant;
    expect(variant).toMatch(/^hot\.cost_savings\.[ab]$/);
    expect(vm).toMatchObject({ kind: 'voicemail', variant, template: `voicemail/parts[opening.again,${variant},question.cost_savings,number,promise]` });
    expect(vm.text).toMatch(/^Hi Dana, Ana Rivera from Acme Pumps again, following up as I said I would\. /);
    expect(vm.text).toContain(`I'll try you again on Friday at ${humanClock(promiseAt, 'America/New_York')}.`);
    expect(vm.text).toContain('Hi Dana');
    expect(vm.text).not.toMatch(/\s{2}|\n/);
  });

  it('picks the script by hot button and stall reason', async () => {
    // A hand-written pair script wins, with the shared opening, number and promise around it.
    const stalled = await prospect({ hotButtons: [] }, { outcome: 'stalled', stallReason: 'cooled_off', hotButtons: ['uptime'] });
    expect((await preview(stalled.deps, 'voicemail')).template).toBe('voicemail/cooled_off+uptime[opening.as_promised,number,promise]');
    // A stall alone: its line and question around the general line.
    const reason = await prospect({ hotButtons: [] }, { outcome: 'stalled', stallReason: 'price' });
    expect((await preview(reason.deps, 'voicemail')).template).toBe('voicemail/parts[opening.as_promised,stall.price,line.general,question.price,number,promise]');
    const none = await prospect({ hotButtons: [] });
    expect((await preview(none.deps, 'voicemail')).template).toBe('voicemail/parts[opening.as_promised,line.general,question.general,number,promise]');
  });

  it('previews a kind with nothing pending as if it were due now', async () => {
    const { deps } = await prospect();
    const vm = await preview(deps, 'voicemail');
    // Attempt 1 now (Monday 10:00 in New York): the promise is the planner's next business morning.
    const now = DateTime.fromJSDate(deps.clock.now());
    const promise = deps.planner.promiseAfter(now, 1, aProspect(), now)!;
    expect(promise.setZone('America/New_York').toISODate()).toBe('2026-11-24');
    expect(vm.text).toMatch(new RegExp(`I'll try you again tomorrow at ${humanClock(promise, 'America/New_York')}\\.$`));
    expect(humanClock(promise, 'America/New_York')).toMatch(/^\d{1,2}:\d{2} AM EST$/);
  });

  it('previews the SMS within two segments, linking the pending reminder’s sheet on the address asked on', async () => {
    const { deps, touches } = await prospect({}, { outcome: 'voicemail' });
    const sms = await preview(deps, 'sms');
    expect(sms).toMatchObject({ kind: 'sms', template: 'sms/rep_reminder', encoding: 'GSM-7' });
    if (sms.kind !== 'sms') throw new Error('not an SMS preview');
    expect(sms.segments).toBeLessThanOrEqual(2);
    const link = /Sheet: (\S+)/.exec(sms.text)![1]!;
    expect(link.startsWith(`${BASE}/v1/sheets/`)).toBe(true);
    expect(await deps.links.verifySheet(tokenOf(link), deps.clock.now())).toMatchObject({ touchId: touches[0]!.id });
  });

  it.each(['recap', 'resend_materials', 'final_email'] as const)('renders %s for the prospect with an unsubscribe link on the address asked on', async (kind) => {
    const { deps } = await prospect({}, { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00', materials: [{ title: 'Quote Q-1042', url: 'https://files.example/q.pdf' }] });
    const email = await preview(deps, kind);
    if (email.kind === 'voicemail' || email.kind === 'sms') throw new Error('not an email preview');
    // The recap and the resend speak to the prospect's hot button, and say which part they used.
    expect(email.template).toBe(kind === 'final_email' ? 'email/final_email' : `email/${kind} + parts[hot.cost_savings]`);
    expect(email.subject.length).toBeGreaterThan(5);
    const link = /(https:\/\/preview\.followthrough\.test\/v1\/unsubscribe\?token=\S+)/.exec(email.text)![1]!;
    expect(await deps.links.verifyUnsubscribe(tokenOf(link))).toEqual({ repId: REP_ID, prospectId: 'p-dana', email: 'dana@northwind.example' });
    expect(email.html).toContain('Unsubscribe');
  });

  it('renders what goes to the rep without an unsubscribe link', async () => {
    const { deps } = await prospect({}, { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00' });
    for (const kind of ['rep_reminder', 'rep_notice'] as const) {
      const email = await preview(deps, kind);
      if (email.kind === 'voicemail' || email.kind === 'sms') throw new Error('not an email preview');
      expect(email.template.startsWith(`email/${kind}`)).toBe(true);
      expect(email.text).not.toContain('/v1/unsubscribe');
    }
    const reminder = await preview(deps, 'rep_reminder');
    expect(reminder).toMatchObject({ subject: expect.stringContaining('Call Dana Whitfield on Wednesday at') });
  });

  it('answers not found for an unknown prospect and asks for a rep profile first', async () => {
    const deps = useCaseDeps();
    await expect(preview(deps, 'recap')).rejects.toBeInstanceOf(NotFoundError);
    await deps.store.createProspect(aProspect());
    await expect(preview(deps, 'recap')).rejects.toMatchObject({ code: 'rep_profile_missing' });
  });
});
