/**
 * The local runtime's sweep runs beside the fires, as on AWS, where Scheduler hands each invocation
 * to Lambda and moves on: a sweep that is due while a rep reminder waits for its second must not
 * hold back the schedules that fall due after it (an outside run found reminders 27 s late, sent
 * together the moment the waits in flight ended).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock.js';
import { testRuntime, uniqueEmail, type TestRuntime } from '../support/runtime.js';

// Monday 23 November 2026, 10:00 in New York.
const START = '2026-11-23T15:00:00Z';
const MINUTE = 60_000;

/** A fake clock whose next wait holds until the test lets it go: a reminder waiting for its second. */
class HeldClock extends FakeClock {
  private holdNext = false;
  private release?: () => void;
  private began?: () => void;
  /** Holds the next wait; resolves once something waits. */
  hold(): Promise<void> {
    this.holdNext = true;
    return new Promise((resolve) => (this.began = resolve));
  }
  letGo(): void {
    this.release?.();
  }
  override async sleep(ms: number): Promise<void> {
    if (this.holdNext) {
      this.holdNext = false;
      const released = new Promise<void>((resolve) => (this.release = resolve));
      this.began?.();
      await released;
    }
    return super.sleep(ms);
  }
}

/** Whether `promise` settles within a couple of seconds of real time (it does at once unless something holds it). */
async function settles(promise: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const held = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 2_000)));
  try {
    return await Promise.race([promise.then(() => true), held]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the local sweep beside fires in flight', () => {
  let rt: TestRuntime;
  const clock = new HeldClock(START);
  const repEmail = uniqueEmail('rep');

  beforeAll(async () => {
    rt = await testRuntime({ start: START, sweep: true, clock });
    await rt.call('PUT', '/v1/reps/me', { name: 'Val Rep', email: repEmail, timezone: 'America/New_York', reminderChannel: 'email' });
  });

  afterAll(async () => {
    clock.letGo();
    await rt?.stop();
  });

  it('fires a schedule due after the sweep while an earlier reminder still waits for its second', async () => {
    // Prepare: two callbacks, 3 and 5 minutes out (their reminders are scheduled a minute ahead).
    const reminderOf = async (id: string, minutes: number) => {
      await rt.call('POST', '/v1/prospects', { id, name: `Vic ${id}`, email: uniqueEmail(id), timezone: 'America/New_York', country: 'US' });
      const posted = await rt.call('POST', `/v1/prospects/${id}/calls`, { outcome: 'callback_agreed', callbackAt: new Date(Date.parse(START) + minutes * MINUTE).toISOString(), sendRecap: false });
      return posted.body.plan.find((t: { kind: string }) => t.kind === 'rep_reminder') as { id: string };
    };
    await reminderOf('held', 3);
    await reminderOf('later', 5);
    // The first reminder fires and waits for its second (held here); the sweep falls due with it.
    const waiting = clock.hold();
    clock.set(new Date(Date.parse(START) + 2 * MINUTE));
    const first = rt.aws.scheduler.runDue();
    const held = await settles(waiting);

    // Act: the second reminder's schedule falls due while the first still waits.
    clock.set(new Date(Date.parse(START) + 4 * MINUTE));
    const second = rt.aws.scheduler.runDue();

    // Assess: Scheduler went on to it (its run ended), and its reminder went out; the first once let go.
    const moved = await settles(Promise.all([first, second]));
    clock.letGo();
    await rt.runDue();
    expect(held).toBe(true);
    expect(moved).toBe(true);
    const subjects = (await rt.inbox(repEmail)).map((e) => e.subject);
    expect(subjects.filter((s) => s.includes('Vic later'))).toHaveLength(1);
    expect(subjects.filter((s) => s.includes('Vic held'))).toHaveLength(1);
  });
});
