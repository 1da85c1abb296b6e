/**
 * Events on their way to a function, kept until it is through with them. On AWS, EventBridge holds
 * an SES event until Lambda took it, and Lambda's queue survives whatever happens to the function
 * that sent the email; the local runtime's Lambda queue is memory. So the SES events bound for the
 * events function are journaled here before the local SES answers the send, and marked done once
 * the function is through, and a kill loses none: a restart hands over what is left (an event seen
 * twice records the same thing twice). Without a file, memory.
 */
import { randomUUID } from 'node:crypto';
import { JsonLinesFile } from './aws/wire.js';

type Entry<T> = { op: 'add'; id: string; event: T } | { op: 'done'; id: string };

export class PendingEvents<T> {
  private readonly journal?: JsonLinesFile<Entry<T>>;
  private readonly pending = new Map<string, T>();

  constructor(file?: string) {
    if (!file) return;
    this.journal = new JsonLinesFile(file);
    for (const entry of this.journal.read()) {
      if (entry.op === 'add') this.pending.set(entry.id, entry.event);
      else this.pending.delete(entry.id);
    }
    this.journal.rewrite([...this.pending].map(([id, event]) => ({ op: 'add' as const, id, event })));
  }

  add(event: T): string {
    const id = randomUUID();
    this.pending.set(id, event);
    this.journal?.append({ op: 'add', id, event });
    return id;
  }

  done(id: string): void {
    if (!this.pending.delete(id)) return;
    this.journal?.append({ op: 'done', id });
  }

  /** What is still waiting, oldest first. */
  waiting(): { id: string; event: T }[] {
    return [...this.pending].map(([id, event]) => ({ id, event }));
  }
}
