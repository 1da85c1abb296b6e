/**
 * Rep reminders on their second. EventBridge Scheduler invokes a one-time schedule anywhere within
 * the minute of its time (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html),
 * so "Call Dana now" could reach the rep up to a minute after the minute they promised, or before
 * the agreed second when it is late in its minute. A reminder is scheduled a minute ahead instead,
 * so that minute ends by its due second, and the fire function prepares it and waits for the second
 * itself. Prospect email keeps the schedule's minute: nobody waits on a recap. Pure.
 */
import { CLAIMED_WORK_SECONDS } from './claims.js';
import type { Touch } from './schemas.js';

/** How far ahead of its due second a rep reminder's schedule is set. */
export const REMINDER_LEAD_SECONDS = 60;

/**
 * The longest a fire waits for a due second: Scheduler fires from the start of the minute of
 * `due - lead`, which is at most the lead plus 59 seconds before `due`. A wait is never longer.
 */
export const MAX_WAIT_SECONDS = 120;

/** The fire function's timeout: the longest wait, then its work after the claim (core/claims.ts). */
export const FIRE_TIMEOUT_SECONDS = MAX_WAIT_SECONDS + CLAIMED_WORK_SECONDS;

/** Whether a touch goes out on its second (a rep reminder) rather than within its minute. */
export function onItsSecond(touch: Pick<Touch, 'kind'>): boolean {
  return touch.kind === 'rep_reminder';
}

/** When to schedule a touch: a rep reminder a minute before it is due, anything else at its time. */
export function scheduleTime(touch: Pick<Touch, 'kind' | 'dueAt'>): Date {
  const due = Date.parse(touch.dueAt);
  return new Date(onItsSecond(touch) ? due - REMINDER_LEAD_SECONDS * 1000 : due);
}

/** How long a touch fired at `now` waits before it is sent: a rep reminder until its due second (at most {@link MAX_WAIT_SECONDS}), anything else not at all. */
export function waitBeforeSending(touch: Pick<Touch, 'kind' | 'dueAt'>, now: Date): number {
  if (!onItsSecond(touch)) return 0;
  return Math.min(MAX_WAIT_SECONDS * 1000, Math.max(0, Date.parse(touch.dueAt) - now.getTime()));
}
