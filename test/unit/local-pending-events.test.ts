/** The local runtime's journal of SES events bound for the events function: a kill loses none. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PendingEvents } from '../../functions/local/pending-events.js';

const dirs: string[] = [];
const journalFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'pending-events-'));
  dirs.push(dir);
  return join(dir, 'ses-events.jsonl');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('PendingEvents', () => {
  it('hands a restart what was added and not done, oldest first', () => {
    const file = journalFile();
    const before = new PendingEvents<{ n: number }>(file);
    const first = before.add({ n: 1 });
    before.add({ n: 2 });
    before.add({ n: 3 });
    before.done(first);

    // A new process on the same file (the first was killed).
    const after = new PendingEvents<{ n: number }>(file);
    expect(after.waiting().map((w) => w.event)).toEqual([{ n: 2 }, { n: 3 }]);
    after.done(after.waiting()[0]!.id);
    expect(new PendingEvents<{ n: number }>(file).waiting().map((w) => w.event)).toEqual([{ n: 3 }]);
  });

  it('keeps events in memory without a file', () => {
    const events = new PendingEvents<string>();
    const id = events.add('sent');
    expect(events.waiting()).toEqual([{ id, event: 'sent' }]);
    events.done(id);
    events.done(id);
    expect(events.waiting()).toEqual([]);
  });
});
