/**
 * How long a delivery's claim on a touch holds. Its own module so the sweep, which only reads claims,
 * does not carry the fire path's rendering code.
 */

/**
 * A claim older than this is from a crashed delivery and may be taken over. A fire claims only
 * after any wait for a reminder's second, and then sends (each SDK attempt cut off) and records:
 * three times the work a fire does after its claim (core/on-time.ts FIRE_WORK_SECONDS).
 */
export const CLAIM_TTL_SECONDS = 90;
