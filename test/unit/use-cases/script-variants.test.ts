/**
 * Voicemail script variants through the use cases: a reminder's variant is chosen when it is
 * planned (from the team's counts, or the policy's pin), its sheet speaks that variant, a voicemail
 * records it, and calls add uses and callbacks to the team's counts exactly once.
 */
import { describe, expect, it } from 'vitest';
import { planner } from '../../../functions/compose.js';
import { messageInput } from '../../../functions/core/message-input.js';
import { renderEmail } from '../../../functions/core/messages.js';
import { resolvePolicy } from '../../../functions/core/policy.js';
import type { CallInput, Touch } from '../../../functions/core/schemas.js';
import { fireTouch } from '../../../functions/use-cases/fire-touch.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { updateProspect } from '../../../functions/use-cases/update-prospect.js';
import { aProspect, REP_ID, seeded, useCaseDeps, type FakeDeps } from '../../support/fakes.js';

const record = (deps: FakeDeps, call: CallInput, prospectId = 'p-dana', idempotencyKey?: string) =>
  recordCall(deps, { repId: REP_ID, prospectId, call, ...(idempotencyKey ? { idempotencyKey } : {}) });
const reminderOf = (touches: Touch[]) => touches.find((t) => t.kind === 'rep_reminder')!;
const payloadOf = (t: Touch) => ({ v: 1 as const, touchId: t.id, repId: t.repId, prospectId: t.prospectId, dueAt: t.dueAt });
const LINES = {
  'hot.cost_savings.a': "Cutting costs is your priority, so I've worked out where the savings come from.",
  'hot.cost_savings.b': "I ran your figures again, and there's real money on the table here.",
} as const;

/** A voicemail on attempt 1: the rep answered the agreed callback's reminder and got voicemail. */
async function voicemailAfterCallback(deps: FakeDeps) {
  const agreed = await record(deps, { outcome: 'callback_agreed', callbackAt: '2026-11-24T10:00' });
  const reminder = reminderOf(agreed.touches);
  deps.clock.set(reminder.dueAt);
  await fireTouch(deps, payloadOf(reminder));
  deps.clock.advance(2 * 60_000);
  const voicemail = await record(deps, { outcome: 'voicemail' });
  return { reminder, voicemail };
}

describe('choosing a reminder’s script variant at planning', () => {
  it('chooses from the family the prospect’s script is composed from, and the sheet speaks the variant chosen', async () => {
    // Prepare
    const deps = useCaseDeps();
    await seeded(deps);
    // Act
    const { touches } = await record(deps, { outcome: 'callback_agreed', callbackAt: '2026-11-24T10:00' });
    // Assess
    const reminder = reminderOf(touches);
    expect(reminder.scriptVariant).toMatch(/^hot\.cost_savings\.[ab]$/);
    expect(touches.filter((t) => t.kind !== 'rep_reminder').every((t) => t.scriptVariant === undefined)).toBe(true);
    deps.clock.set(reminder.dueAt);
    expect(await fireTouch(deps, payloadOf(reminder))).toMatchObject({ result: 'sent' });
    const [sheet] = deps.mailer.sent;
    const variant = reminder.scriptVariant as keyof typeof LINES;
    expect(sheet!.text).toContain(LINES[variant]);
    const other = variant === 'hot.cost_savings.a' ? 'hot.cost_savings.b' : 'hot.cost_savings.a';
    expect(sheet!.text).not.toContain(LINES[other]);
    expect(await deps.store.getTouch(REP_ID, 'p-dana', reminder.id)).toMatchObject({
      scriptVariant: variant,
      template: `email/rep_reminder + voicemail/parts[opening.as_promised,${variant},question.cost_savings,number,promise]`,
    });
  });

  it('keys the choice to the stall and the call’s hot buttons as rendering reads them, pair scripts included', async () => {
    const deps = useCaseDeps();
    await seeded(deps, {}, { hotButtons: ['uptime'] });
    // The call's hot button comes first; the stall was price: the hand-written price + cost savings script.
    const { touches } = await record(deps, { outcome: 'stalled', stallReason: 'price', hotButtons: ['cost_savings'] });
    const reminder = reminderOf(touches);
    expect(reminder.scriptVariant).toBe('pair.price+cost_savings.a');
    const bundle = (await deps.store.getProspectBundle(REP_ID, 'p-dana'))!;
    const rendered = renderEmail(messageInput(reminder, bundle, (await deps.store.getRep(REP_ID))!, deps.clock.now()), deps.library);
    expect(rendered.variant).toBe(reminder.scriptVariant);
  });

  it('records no variant when no script competes: a hot button with no words of its own', async () => {
    const deps = useCaseDeps();
    await seeded(deps, {}, { hotButtons: ['brand_image'] });
    const { touches } = await record(deps, { outcome: 'no_answer' });
    expect(reminderOf(touches).scriptVariant).toBeUndefined();
  });

  it('takes the variant the policy pins for the family', async () => {
    const deps = useCaseDeps({ planner: planner({ policy: resolvePolicy({ scriptVariants: { pinned: { 'hot.cost_savings': 'b' } } }) }) });
    await seeded(deps);
    for (let i = 0; i < 10; i++) await deps.store.createProspect(aProspect({ id: `p-${i}` }));
    const chosen = [];
    for (let i = 0; i < 10; i++) chosen.push(reminderOf((await record(deps, { outcome: 'no_answer' }, `p-${i}`)).touches).scriptVariant);
    expect(new Set(chosen)).toEqual(new Set(['hot.cost_savings.b']));
  });

  it('leans to the variant the team’s counts favour, and still tries the other', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    deps.store.seedVariantCounts('default', '2026-11-02', { 'hot.cost_savings.a': { used: 40, callbacks: 4 }, 'hot.cost_savings.b': { used: 40, callbacks: 20 } });
    for (let i = 0; i < 100; i++) await deps.store.createProspect(aProspect({ id: `p-${i}` }));
    const chosen: string[] = [];
    for (let i = 0; i < 100; i++) chosen.push(reminderOf((await record(deps, { outcome: 'no_answer' }, `p-${i}`)).touches).scriptVariant!);
    const b = chosen.filter((v) => v === 'hot.cost_savings.b').length;
    expect(b).toBeGreaterThan(85);
    expect(b).toBeLessThan(100); // the floor keeps the weaker one in play
  });

  it('chooses from the rep’s own team’s counts', async () => {
    const deps = useCaseDeps();
    await seeded(deps, { team: 'east' });
    deps.store.seedVariantCounts('east', '2026-11-02', { 'hot.cost_savings.a': { used: 200, callbacks: 120 }, 'hot.cost_savings.b': { used: 200, callbacks: 10 } });
    deps.store.seedVariantCounts('default', '2026-11-02', { 'hot.cost_savings.a': { used: 200, callbacks: 10 }, 'hot.cost_savings.b': { used: 200, callbacks: 120 } });
    for (let i = 0; i < 20; i++) await deps.store.createProspect(aProspect({ id: `p-${i}` }));
    const chosen: string[] = [];
    for (let i = 0; i < 20; i++) chosen.push(reminderOf((await record(deps, { outcome: 'no_answer' }, `p-${i}`)).touches).scriptVariant!);
    expect(chosen.filter((v) => v === 'hot.cost_savings.a').length).toBeGreaterThanOrEqual(17);
  });
});

describe('counting uses and callbacks', () => {
  it('records the answered reminder’s variant on a voicemail and counts one use on its day', async () => {
    // Prepare
    const deps = useCaseDeps();
    await seeded(deps);
    // Act
    const { reminder, voicemail } = await voicemailAfterCallback(deps);
    // Assess
    const variant = reminder.scriptVariant!;
    expect(voicemail.call).toMatchObject({ outcome: 'voicemail', scriptVariant: variant });
    expect(deps.store.allCalls().at(-1)).toMatchObject({ scriptVariant: variant });
    expect(await deps.store.getVariantCounts('default')).toEqual({ [variant]: { used: 1, callbacks: 0 } });
    expect(await deps.store.getVariantCountsByDay('default', '2026-11-24', '2026-11-24')).toEqual({ [variant]: { used: 1, callbacks: 0 } });
    expect(await deps.store.getVariantCountsByDay('default', '2026-11-23', '2026-11-23')).toEqual({});
  });

  it('credits the last voicemail once when a later call reaches the prospect, on the voicemail’s day', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const { reminder } = await voicemailAfterCallback(deps);
    const variant = reminder.scriptVariant!;
    // A no answer in between leaves no message and takes no credit.
    deps.clock.set('2026-11-25T15:00:00Z');
    await record(deps, { outcome: 'no_answer' });
    expect(await deps.store.getVariantCounts('default')).toEqual({ [variant]: { used: 1, callbacks: 0 } });
    // Act: Friday, they pick up.
    deps.clock.set('2026-11-27T15:00:00Z');
    const reached = await record(deps, { outcome: 'stalled', stallReason: 'needs_review' });
    // Assess
    expect(reached.call.scriptVariant).toBeUndefined();
    expect(await deps.store.getVariantCounts('default')).toEqual({ [variant]: { used: 1, callbacks: 1 } });
    expect(await deps.store.getVariantCountsByDay('default', '2026-11-24', '2026-11-24')).toEqual({ [variant]: { used: 1, callbacks: 1 } });
    expect(await deps.store.getVariantCountsByDay('default', '2026-11-25', '2026-11-30')).toEqual({});
    // A second conversation starts a new run: nothing more to credit.
    deps.clock.set('2026-11-30T15:00:00Z');
    await record(deps, { outcome: 'won' });
    expect(await deps.store.getVariantCounts('default')).toEqual({ [variant]: { used: 1, callbacks: 1 } });
  });

  it('counts under the rep’s team', async () => {
    const deps = useCaseDeps();
    await seeded(deps, { team: 'east' });
    const { reminder } = await voicemailAfterCallback(deps);
    expect(await deps.store.getVariantCounts('east')).toEqual({ [reminder.scriptVariant!]: { used: 1, callbacks: 0 } });
    expect(await deps.store.getVariantCounts('default')).toEqual({});
  });

  it('counts a voicemail once, whether the request is replayed or the write lost a race and was retried', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const agreed = await record(deps, { outcome: 'callback_agreed', callbackAt: '2026-11-24T10:00' });
    const variant = reminderOf(agreed.touches).scriptVariant!;
    deps.clock.set('2026-11-24T15:02:00Z');
    deps.store.hooks.interleave('commitOutcome', () => updateProspect(deps, REP_ID, 'p-dana', { company: 'Northwind Holdings' }));
    const first = await record(deps, { outcome: 'voicemail' }, 'p-dana', 'vm-1');
    const again = await record(deps, { outcome: 'voicemail' }, 'p-dana', 'vm-1');
    expect(again).toEqual(first);
    expect(deps.store.allCalls().filter((c) => c.outcome === 'voicemail')).toHaveLength(1);
    expect(await deps.store.getVariantCounts('default')).toEqual({ [variant]: { used: 1, callbacks: 0 } });
  });

  it('counts nothing for a voicemail with no reminder to answer, or one whose script had no variants', async () => {
    const deps = useCaseDeps();
    await seeded(deps, {}, { hotButtons: ['brand_image'] });
    await record(deps, { outcome: 'voicemail' });
    deps.clock.set('2026-11-24T16:00:00Z');
    const second = await record(deps, { outcome: 'voicemail' });
    expect(second.call.scriptVariant).toBeUndefined();
    deps.clock.set('2026-11-25T16:00:00Z');
    await record(deps, { outcome: 'callback_agreed', callbackAt: '2026-11-26T11:00' });
    expect(deps.store.dump().variantTotals).toEqual([]);
  });
});

describe('the call’s sendEmail', () => {
  it('false plans no note after the voicemail, and the call keeps it', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const off = await record(deps, { outcome: 'voicemail', sendEmail: false });
    expect(off.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
    expect(off.call.sendEmail).toBe(false);
    deps.clock.set('2026-11-24T15:00:00Z');
    await record(deps, { outcome: 'no_answer' });
    deps.clock.set('2026-11-26T20:00:00Z');
    // Attempt 3 is on the policy's list: a voicemail with sendEmail left out plans the note.
    const on = await record(deps, { outcome: 'voicemail' });
    expect(on.touches.map((t) => t.kind)).toEqual(['rep_reminder', 'voicemail_email']);
    expect(on.call.sendEmail).toBeUndefined();
  });
});
