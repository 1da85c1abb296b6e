/**
 * How long a delivery's claim on a touch holds. Its own module so the sweep, which only reads claims,
 * does not carry the fire path's rendering code.
 */

/**
 * The most a fire spends after it claims a touch: its sends are cut off then (use-cases/fire-touch.ts),
 * so a claim's holder is done with it by then, as the fire function's Lambda timeout once ensured
 * on its own. A rep reminder waits for its second before it claims (core/on-time.ts), so the
 * function's timeout is this plus the longest wait. A send takes well under a second.
 */
export const CLAIMED_WORK_SECONDS = 20;

/**
 * A claim older than this is from a crashed delivery and may be taken over. Longer than a fire's
 * work after its claim, so a live delivery never loses its claim; shorter than Lambda's first retry
 * of a failed invocation (a minute), so that retry takes a crashed delivery's touch over instead of
 * waiting for the next.
 */
export const CLAIM_TTL_SECONDS = 30;

/**
 * The instant before which a claim has lapsed, to the second as claims are stored: the store lets a
 * delivery or a move take a touch only when its claimedAt is earlier than this.
 */
export function claimLapsedBefore(now: Date): Date {
  return new Date(Math.floor((now.getTime() - CLAIM_TTL_SECONDS * 1000) / 1000) * 1000);
}

/** Whether a delivery still holds its claim on the touch at `now`: the store's takeover condition, turned round. */
export function claimHeld(touch: { claimedAt?: string }, now: Date): boolean {
  return touch.claimedAt !== undefined && Date.parse(touch.claimedAt) >= claimLapsedBefore(now).getTime();
}
