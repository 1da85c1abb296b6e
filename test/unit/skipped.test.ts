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
const plan = (input: CallInput, nowLocal: string, over: Partial<Prospect> = {}, emailBlocked?: 'unsubscribed') =>
  outcomeRecords(
    {
      input,
      prospect: { ...prospect, ...over },
      reminderChannel: 'email',
      ...(emailBlocked ? { emailBlocked } : {}),
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
});
