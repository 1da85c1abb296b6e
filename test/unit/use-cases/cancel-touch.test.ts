import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../functions/core/errors.js';
import { cancelTouch } from '../../../functions/use-cases/cancel-touch.js';
import { recordCall } from '../../../functions/use-cases/record-call.js';
import { aTouch, REP_ID, seeded, useCaseDeps } from '../../support/fakes.js';

/** A voicemail plans the reminder for attempt 2 and the note to the prospect that names it. */
async function withReminder() {
  const deps = useCaseDeps();
  await seeded(deps);
  const { touches } = await recordCall(deps, { repId: REP_ID, prospectId: 'p-dana', call: { outcome: 'voicemail' } });
  expect(touches.map((t) => t.kind)).toEqual(['rep_reminder', 'voicemail_email']);
  return { deps, reminder: touches[0]!, note: touches[1]! };
}

describe('cancelTouch', () => {
  it('cancels a pending touch, says why, and deletes its schedule', async () => {
    // Prepare
    const { deps, reminder, note } = await withReminder();
    expect(deps.scheduler.schedules.has(`touch-${reminder.id}`)).toBe(true);
    // Act
    const cancelled = await cancelTouch(deps, REP_ID, reminder.id);
    // Assess: the reminder and its schedule are gone; the note, another touch, keeps its own.
    expect(cancelled).toMatchObject({ id: reminder.id, status: 'cancelled', reason: 'cancelled by the rep' });
    expect(await deps.store.getTouch(REP_ID, 'p-dana', reminder.id)).toMatchObject({ status: 'cancelled', reason: 'cancelled by the rep' });
    expect(deps.scheduler.schedules.has(`touch-${reminder.id}`)).toBe(false);
    expect([...deps.scheduler.schedules.keys()]).toEqual([`touch-${note.id}`]);
    expect(deps.scheduler.deleted).toEqual([`touch-${reminder.id}`]);
    expect(await deps.store.getTouch(REP_ID, 'p-dana', note.id)).toMatchObject({ status: 'scheduled' });
    expect((await deps.store.listFollowups(REP_ID, '2026-11-01T00:00:00Z', '2027-01-01T00:00:00Z')).map((t) => t.id)).toEqual([note.id]);
  });

  it('answers a touch no longer pending as it is, changing nothing', async () => {
    const deps = useCaseDeps();
    await seeded(deps);
    const sent = aTouch({ status: 'sent', sentAt: '2026-11-23T14:00:00Z', messageId: 'm-1' });
    deps.store.seedTouch(sent);
    const before = deps.store.dump();
    expect(await cancelTouch(deps, REP_ID, sent.id)).toEqual(sent);
    expect(deps.store.dump()).toEqual(before);
    expect(deps.scheduler.deleted).toEqual([]);
  });

  it('answers the touch as it became when it was sent while being cancelled', async () => {
    const { deps, reminder } = await withReminder();
    deps.store.hooks.interleave('updateTouch', () =>
      deps.store.updateTouch(reminder, { status: 'sent', sentAt: '2026-11-23T15:00:00Z', messageId: 'm-9' }, 'scheduled'),
    );
    const answer = await cancelTouch(deps, REP_ID, reminder.id);
    expect(answer).toMatchObject({ status: 'sent', messageId: 'm-9' });
    expect(await deps.store.getTouch(REP_ID, 'p-dana', reminder.id)).toMatchObject({ status: 'sent' });
  });

  it('releases a claim a delivery held, so the cancelled touch carries none', async () => {
    const { deps, reminder } = await withReminder();
    await deps.store.claimTouch(reminder, '2026-11-23T15:00:00Z', '2026-11-23T14:58:30Z');
    await cancelTouch(deps, REP_ID, reminder.id);
    expect((await deps.store.getTouch(REP_ID, 'p-dana', reminder.id))!.claimedAt).toBeUndefined();
  });

  it('treats another rep’s touch as not found', async () => {
    const { deps, reminder } = await withReminder();
    await expect(cancelTouch(deps, 'rep-other', reminder.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await deps.store.getTouch(REP_ID, 'p-dana', reminder.id)).toMatchObject({ status: 'scheduled' });
  });
});
