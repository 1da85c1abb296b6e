import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FirePayload } from '../../functions/core/schemas.js';
import { LocalScheduler, type LocalSchedulerOptions } from '../../functions/local/scheduler.js';
import type { ScheduleRequest } from '../../functions/ports.js';
import { FakeClock } from '../support/clock.js';

const START = '2026-03-10T14:00:00Z';

function payload(touchId: string): FirePayload {
  return { v: 1, touchId, repId: 'rep-1', prospectId: 'prospect-1', dueAt: START };
}

function request(touchId: string, at: Date | string): ScheduleRequest {
  return { name: `touch-${touchId}`, at: new Date(at), payload: payload(touchId) };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets queued promise callbacks run without waiting on a timer. */
async function settle(rounds = 10) {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('LocalScheduler', () => {
  let dir: string;
  let clock: FakeClock;
  let invoked: unknown[];
  let open: LocalScheduler[];

  const journal = () => join(dir, 'schedules.jsonl');
  const deadLetters = () => join(dir, 'dead-letter.jsonl');

  function scheduler(overrides: Partial<LocalSchedulerOptions> = {}): LocalScheduler {
    const s = new LocalScheduler({
      file: journal(),
      deadLetterFile: deadLetters(),
      clock,
      invoke: async (event) => {
        invoked.push(event);
      },
      ...overrides,
    });
    open.push(s);
    return s;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'followthrough-scheduler-'));
    clock = new FakeClock(START);
    invoked = [];
    open = [];
  });

  afterEach(async () => {
    await Promise.all(open.map((s) => s.close()));
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('firing', () => {
    it('fires a schedule at its time and not a millisecond before', async () => {
      // Prepare
      const s = scheduler();
      await s.create(request('a', '2026-03-10T14:01:00Z'));

      // Act
      const early = [await s.runDue()];
      clock.set('2026-03-10T14:00:59.999Z');
      early.push(await s.runDue());
      clock.set('2026-03-10T14:01:00Z');
      const onTime = await s.runDue();

      // Assess
      expect(early).toEqual([0, 0]);
      expect(onTime).toBe(1);
      expect(invoked).toEqual([payload('a')]);
      expect(s.list()).toEqual([]);
    });

    it('fires a schedule whose time has passed at once', async () => {
      // Prepare
      const s = scheduler();
      await s.create(request('late', '2026-03-10T13:00:00Z'));

      // Act
      const fired = await s.runDue();

      // Assess
      expect(fired).toBe(1);
      expect(invoked).toEqual([payload('late')]);
    });

    it('fires each schedule once, soonest first', async () => {
      // Prepare
      const s = scheduler({ concurrency: 1 });
      await s.create(request('second', '2026-03-10T13:59:00Z'));
      await s.create(request('first', '2026-03-10T13:58:00Z'));
      await s.create(request('later', '2026-03-10T15:00:00Z'));

      // Act
      const fired = [await s.runDue(), await s.runDue()];

      // Assess
      expect(fired).toEqual([2, 0]);
      expect(invoked).toEqual([payload('first'), payload('second')]);
      expect(s.list().map((x) => x.name)).toEqual(['touch-later']);
    });

    it('invokes with a fresh object equal to JSON.parse of the payload, as Lambda would receive it', async () => {
      // Prepare
      const s = scheduler();
      const touch = request('json', START);
      touch.payload.dueAt = '2026-03-10T14:00:00Z';

      await s.create(touch);

      // Act
      await s.runDue();

      // Assess
      expect(invoked).toHaveLength(1);
      expect(invoked[0]).toEqual(JSON.parse(JSON.stringify(touch.payload)));
      expect(invoked[0]).not.toBe(touch.payload);
    });

    it('fires schedules that fall due while it is firing others', async () => {
      // Prepare
      const s = scheduler({
        invoke: async (event) => {
          invoked.push(event);
          clock.advance(10_000);
        },
      });
      await s.create(request('now', START));
      await s.create(request('soon', '2026-03-10T14:00:05Z'));

      // Act
      const fired = await s.runDue();

      // Assess
      expect(fired).toBe(2);
      expect(invoked).toEqual([payload('now'), payload('soon')]);
    });

    it('shares one run between overlapping runDue calls, so nothing fires twice', async () => {
      // Prepare
      const gate = deferred();
      const s = scheduler({
        invoke: async (event) => {
          invoked.push(event);
          await gate.promise;
        },
      });
      await s.create(request('once', START));

      // Act
      const first = s.runDue();
      const second = s.runDue();
      await settle();
      gate.resolve();
      const counts = await Promise.all([first, second]);

      // Assess
      expect(counts).toEqual([1, 1]);
      expect(invoked).toHaveLength(1);
    });

    it('refuses a name Scheduler would refuse', async () => {
      // Prepare
      const s = scheduler();

      // Act
      const act = s.create(request('has space', START));

      // Assess
      await expect(act).rejects.toThrow(/invalid schedule name/);
      expect(s.list()).toEqual([]);
    });

    it('refuses an invalid Date', async () => {
      // Prepare
      const s = scheduler();

      // Act
      const act = s.create(request('nodate', 'not a date'));

      // Assess
      await expect(act).rejects.toThrow(RangeError);
      expect(s.list()).toEqual([]);
    });
  });

  describe('delete and replace', () => {
    it('does not fire a deleted schedule', async () => {
      // Prepare
      const s = scheduler();
      await s.create(request('a', '2026-03-10T14:01:00Z'));

      // Act
      await s.delete('touch-a');
      clock.set('2026-03-10T15:00:00Z');
      const fired = await s.runDue();

      // Assess
      expect(fired).toBe(0);
      expect(invoked).toEqual([]);
    });

    it('treats deleting a schedule that is not there as done', async () => {
      // Prepare
      const s = scheduler();

      // Act
      const act = s.delete('touch-never');

      // Assess
      await expect(act).resolves.toBeUndefined();
    });

    it('replaces a schedule created again under the same name', async () => {
      // Prepare
      const s = scheduler();
      await s.create(request('a', '2026-03-10T14:10:00Z'));
      const moved = { ...request('a', '2026-03-10T14:20:00Z'), payload: { ...payload('a'), dueAt: '2026-03-10T14:20:00Z' } };

      // Act
      await s.create(moved);
      clock.set('2026-03-10T14:10:00Z');
      const atOldTime = await s.runDue();
      clock.set('2026-03-10T14:20:00Z');
      const atNewTime = await s.runDue();

      // Assess
      expect(atOldTime).toBe(0);
      expect(atNewTime).toBe(1);
      expect(invoked).toEqual([moved.payload]);
    });

    it('keeps a schedule replaced while its old version was being invoked', async () => {
      // Prepare
      const gate = deferred();
      const s = scheduler({
        invoke: async (event) => {
          invoked.push(event);
          await gate.promise;
        },
      });
      await s.create(request('a', START));

      // Act
      const run = s.runDue();
      await settle();
      await s.create(request('a', '2026-03-10T16:00:00Z'));
      gate.resolve();
      await run;

      // Assess
      expect(invoked).toHaveLength(1);
      expect(s.list().map((x) => [x.name, new Date(x.at).toISOString()])).toEqual([['touch-a', '2026-03-10T16:00:00.000Z']]);
    });
  });

  describe('durability', () => {
    it('hands pending schedules to a new scheduler on the same journal, without deleted or fired ones', async () => {
      // Prepare
      const first = scheduler();
      await first.create(request('fired', START));
      await first.create(request('deleted', '2026-03-10T15:00:00Z'));
      await first.create(request('pending', '2026-03-10T16:00:00Z'));
      await first.create(request('moved', '2026-03-10T17:00:00Z'));
      await first.create(request('moved', '2026-03-10T18:00:00Z'));
      await first.delete('touch-deleted');
      await first.runDue();
      await first.close();

      // Act
      const second = scheduler();

      // Assess
      expect(second.list().map((x) => [x.name, new Date(x.at).toISOString()])).toEqual([
        ['touch-pending', '2026-03-10T16:00:00.000Z'],
        ['touch-moved', '2026-03-10T18:00:00.000Z'],
      ]);
      expect(second.payloads()).toEqual([payload('pending'), payload('moved')]);
    });

    it('compacts the journal on open to the pending schedules', async () => {
      // Prepare
      const first = scheduler();
      await first.create(request('a', START));
      await first.create(request('b', '2026-03-10T16:00:00Z'));
      await first.runDue();
      await first.close();

      // Act
      scheduler();

      // Assess
      const lines = readFileSync(journal(), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ op: 'put', name: 'touch-b' });
    });

    it('tolerates a last line cut short by a crash and keeps appending cleanly after it', async () => {
      // Prepare
      const first = scheduler();
      await first.create(request('a', '2026-03-10T16:00:00Z'));
      await first.create(request('b', '2026-03-10T17:00:00Z'));
      await first.close();
      appendFileSync(journal(), '{"op":"put","name":"touch-c","at":17731');

      // Act
      const second = scheduler();
      await second.create(request('d', '2026-03-10T18:00:00Z'));
      await second.close();
      const third = scheduler();

      // Assess
      expect(second.list().map((x) => x.name)).toEqual(['touch-a', 'touch-b', 'touch-d']);
      expect(third.list().map((x) => x.name)).toEqual(['touch-a', 'touch-b', 'touch-d']);
    });

    it('starts empty without a journal file, and creates its directory on first write', async () => {
      // Prepare
      const file = join(dir, 'nested', 'deeper', 'schedules.jsonl');
      const s = scheduler({ file });

      // Act
      await s.create(request('a', '2026-03-10T16:00:00Z'));

      // Assess
      expect(existsSync(file)).toBe(true);
      expect(scheduler({ file }).list().map((x) => x.name)).toEqual(['touch-a']);
    });

    it('keeps schedules in memory only without a journal file', async () => {
      // Prepare
      const s = scheduler({ file: undefined });

      // Act
      await s.create(request('a', '2026-03-10T16:00:00Z'));

      // Assess
      expect(s.list()).toHaveLength(1);
      expect(existsSync(journal())).toBe(false);
    });
  });

  describe('retries and dead letters', () => {
    it('retries a failed invocation with exponential backoff, then dead-letters it after maxRetries', async () => {
      // Prepare
      const errors: string[] = [];
      const s = scheduler({
        maxRetries: 2,
        invoke: async (event) => {
          invoked.push(event);
          throw new Error('mail server down');
        },
        onError: (name, error) => errors.push(`${name}: ${(error as Error).message}`),
      });
      await s.create(request('a', START));

      // Act + Assess: first attempt fails, the retry waits 2 s
      expect(await s.runDue()).toBe(0);
      expect(s.list()[0]).toMatchObject({ retries: 1, at: Date.parse(START) + 2000 });
      clock.advance(1999);
      await s.runDue();
      expect(invoked).toHaveLength(1);

      // second attempt at +2 s fails, the next waits 4 s
      clock.advance(1);
      await s.runDue();
      expect(invoked).toHaveLength(2);
      expect(s.list()[0]).toMatchObject({ retries: 2, at: Date.parse(START) + 2000 + 4000 });
      clock.advance(3999);
      await s.runDue();
      expect(invoked).toHaveLength(2);

      // third attempt fails: past maxRetries, so it is dead-lettered
      clock.advance(1);
      await s.runDue();
      expect(invoked).toHaveLength(3);
      expect(s.list()).toEqual([]);
      expect(errors).toEqual(Array(3).fill('touch-a: mail server down'));
      const dead = readFileSync(deadLetters(), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ name: 'touch-a', retries: 2, error: 'Error: mail server down' });
      expect(JSON.parse(dead[0].input)).toEqual(payload('a'));
      expect(scheduler().list()).toEqual([]);
    });

    it('fires on a retry once the target recovers, with nothing dead-lettered', async () => {
      // Prepare
      let failures = 1;
      const s = scheduler({
        invoke: async (event) => {
          if (failures-- > 0) throw new Error('cold start timeout');
          invoked.push(event);
        },
      });
      await s.create(request('a', START));

      // Act
      const first = await s.runDue();
      clock.advance(2000);
      const second = await s.runDue();

      // Assess
      expect([first, second]).toEqual([0, 1]);
      expect(invoked).toEqual([payload('a')]);
      expect(existsSync(deadLetters())).toBe(false);
    });

    it('caps the backoff at five minutes', async () => {
      // Prepare
      const s = scheduler({
        maxRetries: 20,
        invoke: () => Promise.reject(new Error('down')),
      });
      await s.create(request('a', START));

      // Act
      for (let attempt = 0; attempt < 10; attempt++) {
        clock.set(new Date(s.list()[0]!.at));
        await s.runDue();
      }

      // Assess
      const next = s.list()[0]!;
      expect(next.retries).toBe(10);
      expect(next.at - clock.now().getTime()).toBe(300_000);
    });

    it('remembers the retry count and time across a restart', async () => {
      // Prepare
      const first = scheduler({ invoke: () => Promise.reject(new Error('down')) });
      await first.create(request('a', START));
      await first.runDue();
      await first.close();

      // Act
      const second = scheduler();

      // Assess
      expect(second.list()).toEqual([expect.objectContaining({ name: 'touch-a', retries: 1, at: Date.parse(START) + 2000 })]);
    });
  });

  describe('concurrency', () => {
    it('never has more invocations in flight than its limit, and fires all of them', async () => {
      // Prepare
      let inFlight = 0;
      let most = 0;
      const s = scheduler({
        concurrency: 2,
        invoke: async (event) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await settle(2);
          invoked.push(event);
          inFlight--;
        },
      });
      for (const id of ['a', 'b', 'c', 'd', 'e']) await s.create(request(id, START));

      // Act
      const fired = await s.runDue();

      // Assess
      expect(fired).toBe(5);
      expect(most).toBe(2);
      expect(invoked).toHaveLength(5);
    });

    it('still fires with a concurrency below one instead of spinning', async () => {
      // Prepare
      const s = scheduler({ concurrency: 0 });
      await s.create(request('a', START));

      // Act
      const fired = await s.runDue();

      // Assess
      expect(fired).toBe(1);
    });
  });

  describe('close', () => {
    it('waits for invocations in flight before it resolves', async () => {
      // Prepare
      const gate = deferred();
      const s = scheduler({
        invoke: async (event) => {
          await gate.promise;
          invoked.push(event);
        },
      });
      await s.create(request('a', START));
      void s.runDue();
      await settle();
      let closed = false;

      // Act
      const closing = s.close().then(() => (closed = true));
      await settle();
      const closedBeforeRelease = closed;
      gate.resolve();
      await closing;

      // Assess
      expect(closedBeforeRelease).toBe(false);
      expect(closed).toBe(true);
      expect(invoked).toEqual([payload('a')]);
      expect(scheduler().list()).toEqual([]);
    });

    it('fires nothing after it is closed', async () => {
      // Prepare
      const s = scheduler();
      await s.create(request('a', START));
      await s.close();

      // Act
      const fired = await s.runDue();

      // Assess
      expect(fired).toBe(0);
      expect(invoked).toEqual([]);
      expect(scheduler().list().map((x) => x.name)).toEqual(['touch-a']);
    });
  });

  describe('autoRun', () => {
    it('fires a due schedule from its own timer, and stops the timer on close', async () => {
      // Prepare
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const s = scheduler({ autoRun: true });
      await s.create(request('now', START));
      await s.create(request('later', '2026-03-10T14:00:30Z'));

      // Act
      await vi.advanceTimersByTimeAsync(0);
      await settle();
      const afterFirstTimer = [...invoked];
      await s.close();
      clock.advance(30_000);
      await vi.advanceTimersByTimeAsync(60_000);
      await settle();

      // Assess
      expect(afterFirstTimer).toEqual([payload('now')]);
      expect(invoked).toEqual([payload('now')]);
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  describe('journal format', () => {
    it('ignores blank lines and applies puts and deletes in order', () => {
      // Prepare
      const put = (name: string, at: string) => JSON.stringify({ op: 'put', name, at: Date.parse(at), input: JSON.stringify(payload(name)), retries: 0 });
      writeFileSync(
        journal(),
        [put('x', '2026-03-10T16:00:00Z'), '', put('y', '2026-03-10T17:00:00Z'), JSON.stringify({ op: 'del', name: 'x' }), '   ', put('x', '2026-03-10T18:00:00Z')].join('\n') + '\n',
      );

      // Act
      const s = scheduler();

      // Assess
      expect(s.list().map((x) => [x.name, new Date(x.at).toISOString()])).toEqual([
        ['y', '2026-03-10T17:00:00.000Z'],
        ['x', '2026-03-10T18:00:00.000Z'],
      ]);
    });
  });
});
