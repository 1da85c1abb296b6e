import { describe, expect, it } from 'vitest';
import { claimHeld, claimLapsedBefore, CLAIM_TTL_SECONDS } from '../../functions/core/claims.js';

describe('claims', () => {
  const now = new Date('2026-11-25T12:00:40.700Z');

  it('lapses a claim the lease after it was taken, to the second as claims are stored', () => {
    expect(claimLapsedBefore(now).toISOString()).toBe('2026-11-25T12:00:10.000Z');
    expect(CLAIM_TTL_SECONDS).toBe(30);
  });

  it('holds a claim from the lapse second on, as the store refuses a takeover (claimedAt < lapse) then', () => {
    expect(claimHeld({ claimedAt: '2026-11-25T12:00:10Z' }, now)).toBe(true);
    expect(claimHeld({ claimedAt: '2026-11-25T12:00:40Z' }, now)).toBe(true);
    expect(claimHeld({ claimedAt: '2026-11-25T12:00:09Z' }, now)).toBe(false);
    expect(claimHeld({}, now)).toBe(false);
  });
});
