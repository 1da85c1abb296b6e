/**
 * Touches against schedules, all at once (the local runtime on start, after a crash or a kill):
 * every `scheduled` touch has a schedule in step with it (core/on-time.ts: its payload, its time, enabled),
 * and every touch schedule a `scheduled` touch.
 * A missing or stale schedule is written, an orphan deleted, each through {@link keepSchedule}
 * (re-read after writing), so the check never undoes a change that raced it.
 */
import { scheduleInStep } from '../core/on-time.js';
import type { Touch } from '../core/schemas.js';
import type { Clock } from '../ports/clock.js';
import type { HeldTouchSchedule } from '../ports/scheduler.js';
import type { ScheduleDeps } from './support/schedules.js';
import { keepSchedule, scheduleName } from './support/schedules.js';

/** Every touch still scheduled: the byDue index read to its end. */
const ALL_TIME = '9999-12-31T23:59:59Z';
const MAX_TOUCHES = 100_000;

export interface ScheduleCheck {
  /** Touches `scheduled` in the table. */
  touches: number;
  /** Touch schedules Scheduler holds. */
  schedules: number;
  /** Scheduled touches without a schedule: made. */
  missing: number;
  /** Schedules for another time or payload than their touch's, or disabled: rewritten. */
  stale: number;
  /** Schedules of touches no longer scheduled (or gone): deleted. */
  orphans: number;
  /** Could not be repaired (the error is logged); the sweep tries again. */
  errors: number;
}

export async function checkSchedules(deps: ScheduleDeps & { clock: Clock }, schedules: ({ name: string } & HeldTouchSchedule)[]): Promise<ScheduleCheck> {
  const now = deps.clock.now();
  const pending = await deps.store.listOverdue(ALL_TIME, MAX_TOUCHES);
  const byName = new Map(schedules.map((s) => [s.name, s]));
  const result: ScheduleCheck = { touches: pending.length, schedules: schedules.length, missing: 0, stale: 0, orphans: 0, errors: 0 };
  const repair = async (kind: 'missing' | 'stale' | 'orphans', touch: Touch) => {
    try {
      await keepSchedule(deps, touch);
      result[kind] += 1;
    } catch (error) {
      result.errors += 1;
      deps.logger.error('could not repair a schedule', { touchId: touch.id, error: String(error) });
    }
  };
  const seen = new Set<string>();
  for (const ref of pending) {
    const name = scheduleName(ref.id);
    seen.add(name);
    const schedule = byName.get(name);
    if (schedule && scheduleInStep(ref, schedule, now)) continue;
    // The index may lag: act on the touch as it is now.
    const touch = await deps.store.getTouch(ref.repId, ref.prospectId, ref.id);
    if (!touch) continue;
    await repair(schedule ? 'stale' : 'missing', touch);
  }
  for (const schedule of schedules) {
    if (seen.has(schedule.name) || !schedule.payload) continue;
    const { repId, prospectId, touchId } = schedule.payload;
    const touch = await deps.store.getTouch(repId, prospectId, touchId);
    if (touch?.status === 'scheduled') continue;
    if (touch) {
      await repair('orphans', touch);
    } else {
      await deps.scheduler.delete(schedule.name);
      result.orphans += 1;
    }
  }
  return result;
}

/** The check in one line, for the console. */
export function describeCheck(check: ScheduleCheck): string {
  const head = `${check.touches} scheduled touch${check.touches === 1 ? '' : 'es'}, ${check.schedules} schedule${check.schedules === 1 ? '' : 's'}`;
  const fixed = [
    check.missing ? `${check.missing} missing made` : '',
    check.stale ? `${check.stale} stale rewritten` : '',
    check.orphans ? `${check.orphans} orphan${check.orphans === 1 ? '' : 's'} deleted` : '',
    check.errors ? `${check.errors} could not be repaired (the sweep retries them)` : '',
  ].filter(Boolean);
  return fixed.length ? `${head}: ${fixed.join(', ')}` : `${head}: all in step`;
}
