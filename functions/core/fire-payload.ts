/**
 * What a Scheduler schedule (or the local scheduler) delivers to the fire handler. Its own module
 * so the fire function does not carry the API's request schemas.
 */
import * as z from 'zod/mini';

const id = z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/));

export const FirePayload = z.object({
  v: z.literal(1),
  touchId: id,
  /** The due time the schedule was made for; a touch rescheduled since refuses this delivery. */
  dueAt: z.optional(z.string()),
  repId: z.string().check(z.minLength(1), z.maxLength(256)),
  prospectId: id,
});
export type FirePayload = z.infer<typeof FirePayload>;
