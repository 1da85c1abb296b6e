import type { FirePayload } from '../core/fire-payload.js';

/** One one-time schedule: deliver `payload` to the fire handler at `at` (adapters render it in UTC). */
export interface ScheduleRequest {
  /** Unique, 1-64 chars of [0-9A-Za-z-_.]; derived from the touch id. */
  name: string;
  at: Date;
  payload: FirePayload;
}

/** A touch schedule as Scheduler holds it: its payload when it is one of ours, its at() time, whether it is enabled. */
export interface HeldTouchSchedule {
  payload?: FirePayload;
  at?: Date;
  enabled?: boolean;
}

/** EventBridge Scheduler as the use cases see it: one-time schedules that invoke the fire handler. */
export interface TouchScheduler {
  /** Creates the schedule, replacing one of the same name. */
  create(request: ScheduleRequest): Promise<void>;
  /** Deletes a schedule; one that is already gone is not an error. */
  delete(name: string): Promise<void>;
  /**
   * The schedule of that name as Scheduler holds it (its payload, when it is one of ours), or
   * undefined when there is none: the sweep tells a schedule that is late from one that is lost.
   */
  get(name: string): Promise<HeldTouchSchedule | undefined>;
}
