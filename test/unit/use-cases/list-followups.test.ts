import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/core/errors.js';
import { listFollowups } from '../../../functions/use-cases/list-followups.js';
import { aTouch, REP_ID, useCaseDeps } from '../../support/fakes.js';

/** Touches around Monday 2026-11-23 15:00Z, of this rep and another, in every state. */
function agenda() {
  const deps = useCaseDeps();
  const t = {
    yesterdayEarly: aTouch({ dueAt: '2026-11-22T14:59:59Z' }),
    dayAgo: aTouch({ dueAt: '2026-11-22T15:00:00Z' }),
    soon: aTouch({ dueAt: '2026-11-23T16:00:00Z', kind: 'resend_materials', recipient: 'prospect' }),
    tomorrow: aTouch({ dueAt: '2026-11-24T15:00:00Z' }),
    sameTimeOtherProspect: aTouch({ dueAt: '2026-11-24T15:00:00Z', prospectId: 'p-lee' }),
    lastInWindow: aTouch({ dueAt: '2026-12-06T14:59:59Z' }),
    windowEnd: aTouch({ dueAt: '2026-12-06T15:00:00Z' }),
    sent: aTouch({ dueAt: '2026-11-23T14:00:00Z', status: 'sent', sentAt: '2026-11-23T14:00:00Z' }),
    cancelled: aTouch({ dueAt: '2026-11-25T15:00:00Z', status: 'cancelled' }),
    failed: aTouch({ dueAt: '2026-11-25T15:00:00Z', status: 'failed' }),
    otherRep: aTouch({ dueAt: '2026-11-24T15:00:00Z', repId: 'rep-bo' }),
  };
  for (const touch of Object.values(t)) deps.store.seedTouch(touch);
  return { deps, t };
}

describe('listFollowups', () => {
  it('lists the rep’s pending touches by due time, from a day ago for two weeks', async () => {
    // Prepare
    const { deps, t } = agenda();
    // Act
    const followups = await listFollowups(deps, REP_ID, {});
    // Assess
    expect(followups.from).toBe('2026-11-22T15:00:00Z');
    expect(followups.to).toBe('2026-12-06T15:00:00Z');
    const [sameA, sameB] = [t.tomorrow, t.sameTimeOtherProspect].sort((a, b) => a.id.localeCompare(b.id));
    expect(followups.touches.map((x) => x.id)).toEqual([t.dayAgo.id, t.soon.id, sameA!.id, sameB!.id, t.lastInWindow.id]);
    expect(followups.touches[1]).toEqual(t.soon);
  });

  it('takes the window given, start included and end excluded', async () => {
    const { deps, t } = agenda();
    const followups = await listFollowups(deps, REP_ID, { from: new Date('2026-11-23T16:00:00Z'), to: new Date('2026-11-24T15:00:00Z') });
    expect(followups.touches.map((x) => x.id)).toEqual([t.soon.id]);
    const from = await listFollowups(deps, REP_ID, { from: new Date('2026-12-01T00:00:00Z') });
    expect(from.to).toBe('2026-12-15T00:00:00Z');
    expect(from.touches.map((x) => x.id)).toEqual([t.lastInWindow.id, t.windowEnd.id]);
  });

  it('refuses a window that ends before it starts', async () => {
    const { deps } = agenda();
    const at = new Date('2026-11-24T00:00:00Z');
    await expect(listFollowups(deps, REP_ID, { from: at, to: at })).rejects.toBeInstanceOf(ValidationError);
    await expect(listFollowups(deps, REP_ID, { from: at, to: new Date('2026-11-23T00:00:00Z') })).rejects.toMatchObject({ issues: [{ path: 'to' }] });
  });
});
