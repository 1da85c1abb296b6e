/**
 * The note after a voicemail (`voicemail_email`): planned a few minutes after the voicemail, it
 * names the next try the voicemail promised; at send time it meets every prospect-email rule, and
 * is skipped once the cadence stops or its next try moves. Previews render it too.
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Touch } from '../../../functions/core/schemas.js';
import { humanClock, humanTime } from '../../../functions/core/time.js';
import { fireTouch } from '../../../functions/use-cases/fire-touch.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { renderPreview } from '../../../functions/use-cases/render-preview.js';
import { rescheduleTouch } from '../../../functions/use-cases/reschedule-touch.js';
import { aProspect, REP_ID, seeded, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

const ZONE = 'America/New_York';
const payloadOf = (t: Touch) => ({ v: 1 as const, touchId: t.id, repId: t.repId, prospectId: t.prospectId, dueAt: t.dueAt });
const noteOf = (touches: Touch[]) => touches.find((t) => t.kind === 'voicemail_email');

/** The agreed callback's reminder fires (its script promises a next try); the rep then leaves a voicemail. */
async function voicemailOnAttempt1(deps: FakeDeps) {
  const agreed = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'callback_agreed', callbackAt: '2026-11-24T10:00' } });
  const reminder = agreed.touches.find((t) => t.kind === 'rep_reminder')!;
  deps.clock.set(reminder.dueAt);
  await fireTouch(deps, payloadOf(reminder));
  deps.clock.advance(3 * 60_000);
  const voicemail = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'voicemail' } });
  return { reminder, voicemail, note: noteOf(voicemail.touches)! };
}

describe('the note after a voicemail', () => {
  it('goes five minutes after the voicemail and names the next try at the time the voicemail promised', async () => {
    // Prepare
    const deps = useCaseDeps();
    await seeded(deps);
    const { reminder, voicemail, note } = await voicemailOnAttempt1(deps);
    // The script the rep read out at attempt 1 promised this try.
    const script = deps.mailer.sent[0]!.text;
    expect(script).toContain(`I'll try you again tomorrow at ${humanClock(reminder.promiseAt!, ZONE)}.`);
    expect(note).toMatchObject({ attempt: 1, recipient: 'prospect', dueAt: '2026-11-24T15:08:00Z', promiseAt: reminder.promiseAt, status: 'scheduled' });
    expect(voicemail.nextAttemptAt).toBe(reminder.promiseAt);
    // Act
    deps.clock.set(note.dueAt);
    const result = await fireTouch(deps, payloadOf(note));
    // Assess
    expect(result).toMatchObject({ result: 'sent', channel: 'email' });
    const email = deps.mailer.sent[1]!;
    expect(email).toMatchObject({ to: ['Dana@Northwind.example'], subject: 'I just left you a voicemail about cost savings' });
    expect(email.text).toContain(`I'll try you again on ${humanTime(reminder.promiseAt!, ZONE)}.`);
    expect(email.text).toContain('I just tried you and left a voicemail, following up on our talk yesterday.');
    expect(email.text).toMatch(/\/v1\/unsubscribe\?token=/);
    expect(email.html).toContain('<meta name="viewport"');
    expect(await deps.store.getTouch(REP_ID, 'p-dana', note.id)).toMatchObject({ status: 'sent', template: 'email/voicemail_email + parts[hot.cost_savings]' });
  });

  it('is not planned for an unsubscribed prospect, and is skipped if they unsubscribe before it goes', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    await deps.store.addSuppression({ email: 'dana@northwind.example', reason: 'unsubscribed', at: '2026-11-22T00:00:00Z' });
    const planned = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'voicemail' } });
    expect(planned.touches.map((t) => t.kind)).toEqual(['rep_reminder']);

    const later = useCaseDeps();
    await seeded(later);
    const { note } = await voicemailOnAttempt1(later);
    await later.store.addSuppression({ email: 'dana@northwind.example', reason: 'unsubscribed', at: '2026-11-24T15:06:00Z' });
    later.clock.set(note.dueAt);
    expect(await fireTouch(later, payloadOf(note))).toEqual({ result: 'skipped', touchId: note.id, reason: 'the address is suppressed (unsubscribed)' });
    expect(later.mailer.sent).toHaveLength(1); // the rep's reminder only
  });

  it('is skipped when the rep moved the next try it names, rather than name a time that no longer holds', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const { voicemail, note } = await voicemailOnAttempt1(deps);
    const next = voicemail.touches.find((t) => t.kind === 'rep_reminder')!;
    await rescheduleTouch(deps, REP_ID, next.id, '2026-11-30T16:00');
    deps.clock.set(note.dueAt);
    expect(await fireTouch(deps, payloadOf(note))).toEqual({
      result: 'skipped',
      touchId: note.id,
      reason: 'the next try it names was moved, so it would promise a time that no longer holds',
    });
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('is skipped once the cadence is no longer active', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const { note } = await voicemailOnAttempt1(deps);
    const prospect = (await deps.store.getProspect(REP_ID, 'p-dana'))!;
    await deps.store.saveProspect({ ...prospect, status: 'exhausted', version: prospect.version + 1 }, prospect.version);
    deps.clock.set(note.dueAt);
    expect(await fireTouch(deps, payloadOf(note))).toMatchObject({ result: 'skipped', reason: "the prospect's cadence is exhausted" });
  });
});

describe('previewing the note after a voicemail', () => {
  const preview = (deps: FakeDeps) => renderPreview(deps, { repId: REP_ID, prospectId: 'p-dana', kind: 'voicemail_email' });

  it('renders the pending note with the next try it names', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const { note } = await voicemailOnAttempt1(deps);
    const email = await preview(deps);
    if (email.kind !== 'voicemail_email') throw new Error('not the note');
    expect(email.template).toBe('email/voicemail_email + parts[hot.cost_savings]');
    expect(email.text).toContain(`I'll try you again on ${humanTime(note.promiseAt!, ZONE)}.`);
  });

  it('with nothing pending, names the try the planner would set: the one the voicemail preview promises', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const [note, voicemail] = [await preview(deps), await renderPreview(deps, { repId: REP_ID, prospectId: 'p-dana', kind: 'voicemail' })];
    const now = DateTime.fromJSDate(deps.clock.now());
    const next = deps.planner.promiseAfter(now, 1, aProspect(), now)!;
    expect(note.text).toContain(`I'll try you again on ${humanTime(next, ZONE)}.`);
    expect(voicemail.text).toContain(`I'll try you again tomorrow at ${humanClock(next, ZONE)}.`);
  });

  it('names the try already planned ahead when there is one', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'callback_agreed', callbackAt: '2026-11-25T15:00' } });
    const email = await preview(deps);
    expect(email.text).toContain(`I'll try you again on ${humanTime('2026-11-25T20:00:00Z', ZONE)}.`);
  });
});
