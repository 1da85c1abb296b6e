/** What an outcome leaves out, and the reason it gives the rep. */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { planner } from '../../functions/compose.js';
import { DEFAULT_POLICY } from '../../functions/core/cadence.js';
import { outcomeRecords } from '../../functions/core/outcome.js';
import type { CallInput, Prospect } from '../../functions/core/schemas.js';

const prospect: Prospect = {
  id: 'kai',
  repId: 'ann',
  name: 'Kai Lee',
  email: 'kai@example.com',
  timezone: 'Australia/Sydney',
  country: 'AU',
  hotButtons: [],
  status: 'active',
  attempts: 0,
  version: 3,
  createdAt: '2026-11-01T00:00:00Z',
  updatedAt: '2026-11-01T00:00:00Z',
};
let ids = 0;
const plan = (input: CallInput, nowLocal: string, over: Partial<Prospect> = {}, emailBlocked?: 'unsubscribed', sentProspectEmails?: string[]) =>
  outcomeRecords(
    {
      input,
      prospect: { ...prospect, ...over },
      reminderChannel: 'email',
      ...(emailBlocked ? { emailBlocked } : {}),
      ...(sentProspectEmails ? { sentProspectEmails } : {}),
      now: DateTime.fromISO(nowLocal, { zone: 'Australia/Sydney' }).toUTC(),
      newId: () => `id-${++ids}`,
    },
    planner({ policy: DEFAULT_POLICY }),
  );
const materials = [{ title: 'Quote', url: 'https://example.com/q' }];

describe('what an outcome leaves out', () => {
  it('says the recap and the resend were left out for quiet hours when the callback is agreed for 04:45', () => {
    // Act: at 02:00 in Sydney the rep agrees a call at 04:45 the same night.
    const records = plan({ outcome: 'callback_agreed', callbackAt: '2026-11-26T04:45', materials }, '2026-11-26T02:00');

    // Assess
    expect(records.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
    expect(records.skipped).toEqual([
      { kind: 'recap', reason: 'quiet_hours', message: 'No recap: it would reach Kai in their quiet hours (21:00-08:00, now 2:00 AM AEDT there) and not before the next call.' },
      { kind: 'resend_materials', reason: 'quiet_hours', message: expect.stringMatching(/^Materials not resent: it would reach Kai in their quiet hours/) },
    ]);
  });

  it('leaves nothing out when everything is planned', () => {
    const records = plan({ outcome: 'callback_agreed', callbackAt: '2026-11-27T10:00', materials }, '2026-11-26T11:00');
    expect(records.touches.map((t) => t.kind)).toEqual(['recap', 'resend_materials', 'rep_reminder']);
    expect(records.skipped).toEqual([]);
  });

  it.each([
    [{ sendRecap: false }, {}, undefined, [['recap', 'not_requested']]],
    [{}, { email: undefined }, undefined, [['recap', 'no_email'], ['resend_materials', 'no_email']]],
    [{}, {}, 'unsubscribed' as const, [['recap', 'unsubscribed'], ['resend_materials', 'unsubscribed']]],
  ])('names the reason: %j %j %s', (call, over, blocked, expected) => {
    const records = plan({ outcome: 'callback_agreed', callbackAt: '2026-11-27T10:00', materials, ...call }, '2026-11-26T11:00', over, blocked);
    expect(records.skipped.map((s) => [s.kind, s.reason])).toEqual(expected);
  });

  it('says why a stalled call with no agreed time gets no recap, and why a voicemail note is off', () => {
    expect(plan({ outcome: 'stalled', stallReason: 'price' }, '2026-11-26T11:00').skipped).toEqual([
      { kind: 'recap', reason: 'no_agreed_time', message: 'No recap: no callback time was agreed, so there is no time to confirm.' },
    ]);
    expect(plan({ outcome: 'voicemail', sendEmail: false }, '2026-11-26T11:00').skipped).toEqual([
      { kind: 'voicemail_email', reason: 'not_requested', message: 'No note after the voicemail: you asked for none on this call.' },
    ]);
  });

  it('leaves out what would go past the email budget, counting what was sent and what the plan sends first', () => {
    // Prepare: two emails went out in the last week (the budget is 3 in any 7 days).
    const sent = ['2026-11-22T00:00:00Z', '2026-11-24T00:00:00Z'];

    // Act: a callback with materials wants a recap now and a resend before the call.
    const records = plan({ outcome: 'callback_agreed', callbackAt: '2026-11-27T10:00', materials }, '2026-11-26T11:00', {}, undefined, sent);

    // Assess: the recap is the third; the resend would be the fourth.
    expect(records.touches.map((t) => t.kind)).toEqual(['recap', 'rep_reminder']);
    expect(records.skipped).toEqual([
      { kind: 'resend_materials', reason: 'over_budget', message: 'Materials not resent: Kai would get more than 3 emails from you within 7 days, the most the policy allows.' },
    ]);
  });

  it('counts only what was sent within the window before each email falls due', () => {
    // The recap is due now (2026-11-26T00:00Z): one sent on the 17th is more than 7 days before it.
    const records = plan({ outcome: 'callback_agreed', callbackAt: '2026-11-27T10:00', materials }, '2026-11-26T11:00', {}, undefined, [
      '2026-11-17T00:00:00Z',
      '2026-11-24T00:00:00Z',
      '2026-11-25T00:00:00Z',
    ]);
    expect(records.touches.map((t) => t.kind)).toEqual(['recap', 'rep_reminder']);
    expect(records.skipped.map((s) => [s.kind, s.reason])).toEqual([['resend_materials', 'over_budget']]);

    // Three within the week before now: neither goes.
    const full = plan({ outcome: 'callback_agreed', callbackAt: '2026-11-27T10:00', materials }, '2026-11-26T11:00', {}, undefined, [
      '2026-11-20T00:00:00Z',
      '2026-11-24T00:00:00Z',
      '2026-11-25T00:00:00Z',
    ]);
    expect(full.touches.map((t) => t.kind)).toEqual(['rep_reminder']);
    expect(full.skipped.map((s) => [s.kind, s.reason])).toEqual([
      ['recap', 'over_budget'],
      ['resend_materials', 'over_budget'],
    ]);
  });

  it('sends one last email when the cadence ends, and none again for a try logged after it', () => {
    // Prepare: the sixth unanswered attempt is the last of the default seven.
    const last = plan({ outcome: 'no_answer' }, '2026-11-26T11:00', { attempts: DEFAULT_POLICY.maxAttempts - 1 });
    expect(last.touches.map((t) => t.kind)).toEqual(['final_email', 'rep_notice']);
    expect(last.prospect.status).toBe('exhausted');

    // Act: the rep tries once more and logs a voicemail.
    const after = plan({ outcome: 'voicemail' }, '2026-11-30T11:00', { attempts: last.prospect.attempts, status: 'exhausted' });

    // Assess: recorded, nothing planned, and the rep is told why.
    expect(after.touches).toEqual([]);
    expect(after.prospect.status).toBe('exhausted');
    expect(after.skipped).toEqual([
      {
        kind: 'final_email',
        reason: 'cadence_ended',
        message: 'No last email: the follow-up cadence already ended with one and you were told; log a callback or a stalled call to plan again.',
      },
    ]);
  });
});
