/**
 * SendEmail requests the local SES front passed on and had not yet published the Send event of
 * when the process was killed. On AWS, SES takes a message and publishes its event as one step; here
 * the inbox (another process) may have taken it while the event died with this one, and a retried
 * delivery, finding no Send event recorded, would send it again. So each send is journaled before it
 * is passed on, and on start any left open is looked up in the inbox: a message taken since gets its
 * Send event now, published as the front would have.
 */
import type { SendEmailBody, SesEventEnvelope } from './aws/ses-front.js';
import { PendingEvents } from './pending-events.js';
import { readInbox, type StoredEmail } from './ses.js';

export interface SendIntent {
  request: SendEmailBody;
  /** Wall-clock ms when it was passed on (the inbox stamps seconds of the machine's clock). */
  at: number;
}

export class SesSends {
  readonly journal: PendingEvents<SendIntent>;

  constructor(file?: string) {
    this.journal = new PendingEvents<SendIntent>(file);
  }

  /** The hooks the SES front calls around each send. */
  get hooks(): { begin(request: unknown): string; end(id: string): void } {
    return {
      begin: (request) => this.journal.add({ request: request as SendEmailBody, at: Date.now() }),
      end: (id) => this.journal.done(id),
    };
  }

  /**
   * Publishes the Send event of every open send the inbox took, and closes them all; returns how
   * many it found taken. The same message is matched once.
   */
  async recover(inboxEndpoint: string, sendEvent: (request: SendEmailBody, messageId: string) => SesEventEnvelope, publish: (event: SesEventEnvelope) => Promise<void>): Promise<number> {
    const open = this.journal.waiting();
    if (!open.length) return 0;
    const inbox = await readInbox(inboxEndpoint);
    const matched = new Set<string>();
    let found = 0;
    for (const { id, event: intent } of open) {
      const stored = inbox.find((e) => !matched.has(e.messageId) && sameMessage(e, intent));
      if (stored) {
        matched.add(stored.messageId);
        await publish(sendEvent(intent.request, stored.messageId));
        found += 1;
      }
      this.journal.done(id);
    }
    return found;
  }
}

function sameMessage(stored: StoredEmail, { request, at }: SendIntent): boolean {
  const simple = request.Content?.Simple;
  return (
    stored.at >= Math.floor(at / 1000) &&
    stored.subject === (simple?.Subject?.Data ?? '') &&
    (stored.body.text ?? '') === (simple?.Body?.Text?.Data ?? '') &&
    (stored.body.html ?? '') === (simple?.Body?.Html?.Data ?? '') &&
    stored.destination.to.join(',') === (request.Destination?.ToAddresses ?? []).join(',')
  );
}
