import { describe, expect, it } from 'vitest';
import { NotFoundError, RuleError } from '../../../functions/core/errors.js';
import { fireTouch } from '../../../functions/use-cases/fire-touch.js';
import { retryTouch } from '../../../functions/use-cases/retry-touch.js';
import { aTouch, MONDAY, REP_ID, seeded, touchNamed, useCaseDeps } from '../../support/fakes.js';

const LATER = '2026-11-23T16:00:00Z';

async function failedReminder(overrides = {}) {
  const deps = useCaseDeps();
  await seeded(deps, {}, { lastCallId: 'c-0001' });
  const touch = aTouch({ status: 'failed', reason: 'could not be sent after 3 attempts (ThrottlingException: slow down)', repairs: 2, dueAt: MONDAY, ...overrides });
  deps.store.seedTouch(touch);
  deps.clock.set(LATER);
  return { deps, touch };
}

describe('retryTouch', () => {
  it('puts the rep’s failed touch back for the time it promised and schedules it for now', async () => {
    // Prepare
    const { deps, touch } = await failedReminder();
    // Act
    const retried = await retryTouch(deps, REP_ID, touch.id);
    // Assess
    expect(retried).toMatchObject({ status: 'scheduled', dueAt: MONDAY, redrivenAt: LATER });
    expect(retried.reason).toBeUndefined();
    const stored = await touchNamed(deps.store, touch);
    expect(stored).toMatchObject({ status: 'scheduled', dueAt: MONDAY, redrivenAt: LATER });
    expect(stored.repairs).toBeUndefined();
    const [schedule] = deps.scheduler.created;
    expect(schedule).toMatchObject({ name: `touch-${touch.id}`, at: new Date(LATER), payload: { touchId: touch.id, dueAt: MONDAY } });
    expect(await fireTouch(deps, schedule!.payload)).toMatchObject({ result: 'sent' });
  });

  it('refuses a touch that is not failed, one a later outcome replaced, and another rep’s', async () => {
    const { deps, touch } = await failedReminder();
    const pending = aTouch();
    const old = aTouch({ status: 'failed', callId: 'c-0000' });
    deps.store.seedTouch(pending);
    deps.store.seedTouch(old);

    await expect(retryTouch(deps, REP_ID, pending.id)).rejects.toMatchObject({ code: 'not_failed' });
    await expect(retryTouch(deps, REP_ID, old.id)).rejects.toThrow(RuleError);
    await expect(retryTouch(deps, REP_ID, old.id)).rejects.toMatchObject({ code: 'superseded' });
    await expect(retryTouch(deps, 'rep-other', touch.id)).rejects.toThrow(NotFoundError);
    expect(deps.scheduler.created).toHaveLength(0);
  });

  it('keeps the touch retried when its schedule cannot be made: the sweep schedules it', async () => {
    const { deps, touch } = await failedReminder();
    deps.scheduler.failNext('create');
    expect(await retryTouch(deps, REP_ID, touch.id)).toMatchObject({ status: 'scheduled' });
    expect(deps.logger.entries.some((e) => e.message === 'could not schedule a retried touch; the sweep will')).toBe(true);
  });
});
