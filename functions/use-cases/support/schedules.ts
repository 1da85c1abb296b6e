/**
 * Keeping schedules in step with touches: one one-time schedule per pending touch, named after it.
 */
import type { FirePayload } from '../../core/fire-payload.js';
import { scheduleTime } from '../../core/on-time.js';
import type { Prospect, Touch } from '../../core/schemas.js';
import type { Logger } from '../../ports/logger.js';
import type { ScheduleRequest, TouchScheduler } from '../../ports/scheduler.js';
import type { Store } from '../../ports/store.js';

export function scheduleName(touchId: string): string {
  return `touch-${touchId}`;
}

export function firePayload(t: Pick<Touch, 'id' | 'repId' | 'prospectId' | 'dueAt'>): FirePayload {
  return { v: 1, touchId: t.id, repId: t.repId, prospectId: t.prospectId, dueAt: t.dueAt };
}

/** A touch's schedule: named after it, carrying its payload, at its time (a rep reminder's a minute ahead: core/on-time.ts). */
export function touchSchedule(t: Pick<Touch, 'id' | 'repId' | 'prospectId' | 'dueAt' | 'kind'>): ScheduleRequest {
  return { name: scheduleName(t.id), at: scheduleTime(t), payload: firePayload(t) };
}

export interface ScheduleDeps {
  store: Store;
  scheduler: TouchScheduler;
  logger: Logger;
}

export async function deleteSchedule(deps: ScheduleDeps, t: Pick<Touch, 'id'>): Promise<void> {
  try {
    await deps.scheduler.delete(scheduleName(t.id));
  } catch (error) {
    // The fire handler refuses a touch that is no longer scheduled, so a leftover is harmless.
    deps.logger.warn('could not delete schedule', { touchId: t.id, error: String(error) });
  }
}

/**
 * Makes the schedules match a committed plan: deletes the superseded ones, creates the new ones,
 * and if a later change superseded this plan meanwhile, takes back what it created. A touch whose
 * schedule cannot be made is marked failed with the reason (mutates `created` to say so).
 */
export async function applySchedules(deps: ScheduleDeps, created: Touch[], superseded: Touch[], committed: Prospect): Promise<void> {
  await Promise.all(superseded.map((t) => deleteSchedule(deps, t)));
  await Promise.all(
    created.map(async (t) => {
      try {
        await deps.scheduler.create(touchSchedule(t));
      } catch (error) {
        deps.logger.error('could not create schedule', { touchId: t.id, error: String(error) });
        const reason = 'could not be scheduled; post the outcome again or reschedule it';
        if (await deps.store.updateTouch(t, { status: 'failed', reason }, 'scheduled')) Object.assign(t, { status: 'failed', reason });
      }
    }),
  );
  if (created.length === 0) return;
  const current = await deps.store.getProspect(committed.repId, committed.id);
  if (current && current.version !== committed.version) {
    const fresh = await Promise.all(created.map((t) => deps.store.getTouch(t.repId, t.prospectId, t.id)));
    await Promise.all(fresh.filter((t): t is Touch => Boolean(t && t.status !== 'scheduled')).map((t) => deleteSchedule(deps, t)));
  }
}
