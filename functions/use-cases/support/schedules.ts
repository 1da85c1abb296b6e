/**
 * Keeping schedules in step with touches: one one-time schedule per pending touch, named after it.
 */
import type { FirePayload } from '../../core/fire-payload.js';
import { scheduleInStep, scheduleTime } from '../../core/on-time.js';
import type { Touch } from '../../core/schemas.js';
import type { Clock } from '../../ports/clock.js';
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

/** How often a writer re-reads a touch after writing its schedule before leaving the rest to the sweep. */
export const MAX_SCHEDULE_PASSES = 5;

/** The due time a touch's schedule should carry: its own while it is scheduled, else none. */
function wantedDue(t: Touch | undefined): string | null {
  return t?.status === 'scheduled' ? t.dueAt : null;
}

/**
 * Writes the schedule a committed touch wants (its time while scheduled, none otherwise), then
 * re-reads the touch and writes again while what it wrote is not what the touch wants now.
 *
 * Writers of one touch (reschedules, an outcome that supersedes it, a cancel, the sweep) commit in
 * one order and may reach Scheduler in another. Because every writer re-reads (a consistent read)
 * after its own schedule write, the last schedule write is followed by a read that sees the last
 * commit, and is redone if it disagrees: the schedule ends with what the last accepted change
 * wants. A crash between the commit and here leaves a scheduled touch the sweep repairs. Returns
 * the touch as last read; throws what Scheduler throws.
 */
export async function keepSchedule(
  deps: ScheduleDeps,
  committed: Touch,
  options: { at?: Date; /** A pass already made by the caller: the touch as read after it wrote the committed one's schedule. */ readAfterWrite?: Touch | undefined } = {},
): Promise<Touch | undefined> {
  let touch: Touch | undefined = committed;
  let first = 1;
  if ('readAfterWrite' in options) {
    if (wantedDue(options.readAfterWrite) === wantedDue(committed)) return options.readAfterWrite;
    touch = options.readAfterWrite;
    first = 2;
  }
  for (let pass = first; pass <= MAX_SCHEDULE_PASSES; pass++) {
    const due = wantedDue(touch);
    // `at`: when to fire a touch whose own time is past (a retry: now); Scheduler would refuse that time anyway.
    await writeWanted(deps, committed, touch, touch?.dueAt === committed.dueAt ? options.at : undefined);
    const now = await deps.store.getTouch(committed.repId, committed.prospectId, committed.id);
    if (wantedDue(now) === due) return now;
    touch = now;
  }
  deps.logger.warn('the touch kept changing while its schedule was written; the sweep settles it', { touchId: committed.id });
  return touch;
}

/**
 * Checks the schedules of these touches against Scheduler and rewrites those that differ: after a
 * crash between a commit and its schedule writes, a retry of the request finds what is missing.
 * Returns how many it rewrote.
 */
export async function repairSchedules(deps: ScheduleDeps & { clock: Clock }, touches: Touch[]): Promise<number> {
  const now = deps.clock.now();
  const repaired = await Promise.all(
    touches.map(async (t) => {
      const schedule = await deps.scheduler.get(scheduleName(t.id));
      const has = schedule ? (schedule.payload?.dueAt ?? 'unreadable') : null;
      if (t.status === 'scheduled' ? schedule && scheduleInStep(t, schedule, now) : !schedule) return 0;
      deps.logger.warn('schedule out of step with its touch: rewritten', { touchId: t.id, status: t.status, dueAt: t.dueAt, schedule: has });
      await keepSchedule(deps, t);
      return 1;
    }),
  );
  return repaired.reduce<number>((a, b) => a + b, 0);
}

/**
 * Makes the schedules match a committed plan: deletes the superseded ones and creates the new
 * ones, each checked after writing ({@link keepSchedule}), so a later change that superseded or
 * moved one meanwhile keeps its own. A touch whose schedule cannot be made is marked failed with
 * the reason (mutates `created` to say so).
 */
export async function applySchedules(deps: ScheduleDeps, created: Touch[], superseded: Touch[]): Promise<void> {
  const unscheduled = async (t: Touch, error: unknown) => {
    deps.logger.error('could not create schedule', { touchId: t.id, error: String(error) });
    const reason = 'could not be scheduled; post the outcome again or reschedule it';
    if (await deps.store.failTouch(t, reason)) Object.assign(t, { status: 'failed', reason });
  };
  // keepSchedule's first pass for every touch at once: all schedules written, then the touches read
  // back in one consistent read (they share the prospect's partition) instead of one read each.
  const [, written] = await Promise.all([
    Promise.all(superseded.map((t) => deleteSchedule(deps, t))),
    Promise.all(
      created.map(async (t) => {
        try {
          await writeWanted(deps, t, t);
          return t;
        } catch (error) {
          await unscheduled(t, error);
          return undefined;
        }
      }),
    ),
  ]);
  const byProspect = new Map<string, Touch[]>();
  for (const t of written) {
    if (!t) continue;
    const key = `${t.repId}\u0000${t.prospectId}`;
    byProspect.set(key, [...(byProspect.get(key) ?? []), t]);
  }
  await Promise.all(
    [...byProspect.values()].map(async (touches) => {
      let read: Map<string, Touch> | undefined;
      try {
        read = await deps.store.getTouches(touches[0]!.repId, touches[0]!.prospectId, touches.map((t) => t.id));
      } catch (error) {
        // Each touch then makes its own passes, as keepSchedule alone does.
        deps.logger.warn('could not read the touches back after writing their schedules; each is checked alone', { error: String(error) });
      }
      await Promise.all(
        touches.map(async (t) => {
          try {
            await keepSchedule(deps, t, read ? { readAfterWrite: read.get(t.id) } : {});
          } catch (error) {
            await unscheduled(t, error);
          }
        }),
      );
    }),
  );
}

/**
 * Writes the schedule `touch` (the committed touch as last read) wants: at its own time while it is
 * scheduled, a rep reminder's a minute ahead (core/on-time.ts), or at `at` when given; none otherwise.
 */
async function writeWanted(deps: ScheduleDeps, committed: Touch, touch: Touch | undefined, at?: Date): Promise<void> {
  if (touch && wantedDue(touch)) await deps.scheduler.create({ ...touchSchedule(touch), ...(at ? { at } : {}) });
  else await deleteSchedule(deps, committed);
}
