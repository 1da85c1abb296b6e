/**
 * How long a delivery's claim on a touch holds. Its own module so the sweep, which only reads claims,
 * does not carry the fire path's rendering code.
 */

/** A claim older than this is from a crashed delivery and may be taken over: three fire timeouts. */
export const CLAIM_TTL_SECONDS = 90;
