/**
 * Reps read lately, kept for a minute: most touches a container fires belong to few reps, and a rep
 * changes rarely. In the fire function never trusted alone: the claim holds only while the rep is
 * still as read (Store.claimAsRead), and a claim that finds it changed forgets it. The api keeps
 * them half a minute for outcomes, which take only the rep's team and channel from it.
 */
import type { Rep } from '../../core/schemas.js';
import type { Clock } from '../../ports/clock.js';
import type { Store } from '../../ports/store.js';

export class RepCache {
  private readonly entries = new Map<string, { rep: Rep; at: number }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly max = 500,
  ) {}

  get(repId: string, now: Date): Rep | undefined {
    const entry = this.entries.get(repId);
    if (!entry) return undefined;
    if (now.getTime() - entry.at > this.ttlMs || now.getTime() < entry.at) {
      this.entries.delete(repId);
      return undefined;
    }
    return structuredClone(entry.rep);
  }

  put(rep: Rep, now: Date): void {
    // The oldest entry goes first once full (a Map keeps insertion order).
    if (!this.entries.has(rep.id) && this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(rep.id, { rep: structuredClone(rep), at: now.getTime() });
  }

  forget(repId: string): void {
    this.entries.delete(repId);
  }
}

/** The rep from `reps` while it holds a fresh copy, else from the store (and then kept there). */
export async function cachedRep(deps: { store: Pick<Store, 'getRep'>; clock: Clock; reps?: RepCache }, repId: string): Promise<Rep | undefined> {
  const cached = deps.reps?.get(repId, deps.clock.now());
  if (cached) return cached;
  const rep = await deps.store.getRep(repId);
  if (rep) deps.reps?.put(rep, deps.clock.now());
  return rep;
}
