/** Where "now" comes from, and how time passes. Injected so tests and benchmarks move time by hand and never sleep. */
export interface Clock {
  now(): Date;
  /**
   * Resolves once `ms` have passed on this clock (a rep reminder waiting for its due second). A
   * clock a test moves by hand moves itself forward instead of waiting.
   */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
