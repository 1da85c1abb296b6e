/**
 * How long a delivery's claim on a touch holds. Its own module so the sweep, which only reads claims,
 * does not carry the fire path's rendering code.
 */

/**
 * The fire function's Lambda timeout (infra/stack.ts): a claim's holder is gone by then, since
 * Lambda ends an invocation at its timeout. A send takes well under a second.
 */
export const FIRE_TIMEOUT_SECONDS = 20;

/**
 * A claim older than this is from a crashed delivery and may be taken over. Longer than the fire
 * timeout, so a live delivery never loses its claim; shorter than Lambda's first retry of a failed
 * invocation (a minute), so that retry takes a crashed delivery's touch over instead of waiting for
 * the next.
 */
export const CLAIM_TTL_SECONDS = 30;
