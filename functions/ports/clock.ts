/** Where "now" comes from. Injected so tests and benchmarks move time by hand and never sleep. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
