import type { Clock } from '../../functions/ports/index.js';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }

  /**
   * Waiting on a clock the test moves: it moves itself to the end of the wait (unless the test moved
   * it past that already), so what waits finishes at once, at the time it would have.
   */
  async sleep(ms: number): Promise<void> {
    const until = this.current + Math.max(0, ms);
    await Promise.resolve();
    this.current = Math.max(this.current, until);
  }
}
