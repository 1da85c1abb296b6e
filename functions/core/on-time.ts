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

/**
 * How far a delivery may come before its schedule's minute and still be on time. Scheduler fires a
 * one-time schedule from the start of its minute (the guide's note on 60-second precision); a few
 * seconds more allow for Scheduler's and Lambda's clocks differing.
 */
export const EARLY_SLACK_SECONDS = 5;

/**
 * Whether a delivery at `now` came before the touch's schedule could have fired: its schedule was
 * moved earlier than the touch behind the system's back. Sending then would keep no promise (a
 * reminder waits at most {@link MAX_WAIT_SECONDS}, so it would go out early).
 */
export function firedEarly(touch: Pick<Touch, 'kind' | 'dueAt'>, now: Date): boolean {
  const minute = Math.floor(scheduleTime(touch).getTime() / 60_000) * 60_000;
  return now.getTime() < minute - EARLY_SLACK_SECONDS * 1000;
}

/**
 * How far past `now` a schedule may be set and still be a touch's own: a touch due too soon or
 * already past is set 30 s ahead (Scheduler takes only future times), so a time after the touch's
 * own is right only that close to now.
 */
export const LATEST_LEAD_SECONDS = 60;

/** A schedule as Scheduler holds it: what it delivers, when, and whether it is on. */
export interface HeldSchedule {
  payload?: { touchId: string; repId: string; prospectId: string; dueAt?: string };
  /** Its at() time; absent when its expression is not a one-time at(). */
  at?: Date;
  enabled?: boolean;
}

/**
 * Whether the schedule Scheduler holds for a scheduled touch is the one the touch needs: enabled,
 * delivering this touch for its due time, and firing at its time (a rep reminder's a minute ahead),
 * or later only by the lead a too-close time is given. A schedule moved or disabled behind the
 * system's back, or whose Input was changed, is not, and is written again.
 */
export function scheduleInStep(touch: Pick<Touch, 'id' | 'repId' | 'prospectId' | 'kind' | 'dueAt'>, schedule: HeldSchedule, now: Date): boolean {
  const p = schedule.payload;
  if (!p || p.touchId !== touch.id || p.repId !== touch.repId || p.prospectId !== touch.prospectId || p.dueAt !== touch.dueAt) return false;
  if (schedule.enabled === false || !schedule.at) return false;
  // at() holds whole seconds.
  const own = Math.floor(scheduleTime(touch).getTime() / 1000) * 1000;
  const at = schedule.at.getTime();
  return at === own || (at > own && at <= now.getTime() + LATEST_LEAD_SECONDS * 1000);
}
