import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/core/errors.js';
import { listFollowups } from '../../../functions/use-cases/list-followups.js';
import { aProspect, aTouch, REP_ID, useCaseDeps } from '../../support/fakes.js';

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

  it('lists the calls whose time came with none logged since, once their reminder has gone', async () => {
    // Prepare: now is Monday 15:00Z.
    const deps = useCaseDeps();
    const due = (id: string, attemptDueAt: string, more: Parameters<typeof aProspect>[0] = {}) =>
      deps.store.createProspect(aProspect({ id, name: id, attemptDueAt, ...more }));
    await due('p-reminded', '2026-11-23T14:00:00Z', { attempts: 1, lastCallAt: '2026-11-20T14:00:00Z' });
    await due('p-earlier', '2026-11-23T09:00:00Z');
    await due('p-called', '2026-11-23T14:00:00Z', { lastCallAt: '2026-11-23T14:05:00Z' });
    await due('p-future', '2026-11-23T15:30:00Z');
    await due('p-closed', '2026-11-23T14:00:00Z', { status: 'closed' });
    await due('p-too-old', '2026-11-21T14:00:00Z');
    await due('p-pending', '2026-11-23T14:55:00Z');
    deps.store.seedTouch(aTouch({ prospectId: 'p-reminded', dueAt: '2026-11-23T14:00:00Z', status: 'sent', sentAt: '2026-11-23T14:00:00Z' }));
    // The sweep has yet to send this one: the agenda lists it as a pending touch, not again as a due call.
    deps.store.seedTouch(aTouch({ prospectId: 'p-pending', dueAt: '2026-11-23T14:55:00Z' }));

    // Act
    const followups = await listFollowups(deps, REP_ID, {});

    // Assess
    expect(followups.callsDue.map((c) => [c.prospect.id, c.dueAt, c.attempt])).toEqual([
      ['p-earlier', '2026-11-23T09:00:00Z', 1],
      ['p-reminded', '2026-11-23T14:00:00Z', 2],
    ]);
    expect(followups.touches.map((t) => t.prospectId)).toEqual(['p-pending']);
  });

  it('lists failed touches a rep can still send again, not those a later outcome replaced', async () => {
    // Prepare: Dana's recap of call c-1 failed, then call c-2 replanned; Lee's recap of his last call failed.
    const deps = useCaseDeps();
    await deps.store.createProspect(aProspect({ id: 'p-dana', lastCallId: 'c-2' }));
    await deps.store.createProspect(aProspect({ id: 'p-lee', name: 'Lee', lastCallId: 'c-9' }));
    const replaced = aTouch({ prospectId: 'p-dana', callId: 'c-1', kind: 'recap', recipient: 'prospect', dueAt: '2026-11-23T10:00:00Z', status: 'failed', reason: 'MessageRejected' });
    const notice = aTouch({ prospectId: 'p-dana', callId: 'c-1', kind: 'rep_notice', dueAt: '2026-11-23T10:01:00Z', status: 'failed', reason: 'MessageRejected' });
    const owed = aTouch({ prospectId: 'p-lee', callId: 'c-9', kind: 'recap', recipient: 'prospect', dueAt: '2026-11-23T11:00:00Z', status: 'failed', reason: 'MessageRejected' });
    for (const touch of [replaced, notice, owed]) deps.store.seedTouch(touch);

    // Act
    const followups = await listFollowups(deps, REP_ID, {});

    // Assess: the replaced recap stays failed in the store, but the agenda offers only what can be sent again.
    expect(followups.failed.map((t) => t.id)).toEqual([notice.id, owed.id]);
    expect((await deps.store.getTouch(REP_ID, 'p-dana', replaced.id))?.status).toBe('failed');
  });

  it('still leaves out a replaced failed touch when more calls are due than the agenda lists', async () => {
    // Prepare: 510 calls due, all before Dana and Lee in the name index the agenda reads.
    const deps = useCaseDeps();
    for (let i = 0; i < 510; i++) {
      await deps.store.createProspect(aProspect({ id: `p-due-${i}`, name: `Aaron ${String(i).padStart(3, '0')}`, attemptDueAt: '2026-11-23T09:00:00Z' }));
    }
    await deps.store.createProspect(aProspect({ id: 'p-dana', name: 'Dana', lastCallId: 'c-2' }));
    await deps.store.createProspect(aProspect({ id: 'p-lee', name: 'Lee', lastCallId: 'c-9' }));
    const replaced = aTouch({ prospectId: 'p-dana', callId: 'c-1', kind: 'recap', recipient: 'prospect', dueAt: '2026-11-23T10:00:00Z', status: 'failed', reason: 'MessageRejected' });
    const owed = aTouch({ prospectId: 'p-lee', callId: 'c-9', kind: 'recap', recipient: 'prospect', dueAt: '2026-11-23T11:00:00Z', status: 'failed', reason: 'MessageRejected' });
    for (const touch of [replaced, owed]) deps.store.seedTouch(touch);

    // Act
    const followups = await listFollowups(deps, REP_ID, {});

    // Assess
    expect(followups.failed.map((t) => t.id)).toEqual([owed.id]);
    expect(followups.callsDue).toHaveLength(500);
  });
});
