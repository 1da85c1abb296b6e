/**
 * SES feedback through EventBridge: a permanent bounce or a complaint suppresses the address,
 * cancels the prospect's pending emails and tells the rep; a transient bounce is only recorded.
 * The touch is found from the tags every email carries (see TouchFirer).
 */
import * as z from 'zod/mini';
import type { FollowthroughService, Logger } from './service.js';
import { silentLogger } from './logger.js';
import type { Store } from './store.js';

const recipients = z.array(z.object({ emailAddress: z.string() }));

/** The part of an SES event (EventBridge envelope, SES event record as detail) we act on. */
export const SesEventSchema = z.object({
  source: z.optional(z.string()),
  'detail-type': z.optional(z.string()),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({
      messageId: z.string(),
      destination: z.optional(z.array(z.string())),
      tags: z.optional(z.record(z.string(), z.array(z.string()))),
    }),
    bounce: z.optional(z.object({ bounceType: z.string(), bounceSubType: z.optional(z.string()), bouncedRecipients: recipients })),
    complaint: z.optional(z.object({ complainedRecipients: recipients, complaintFeedbackType: z.optional(z.string()) })),
  }),
});
export type SesEvent = z.infer<typeof SesEventSchema>;

export type SesEventResult =
  | { result: 'suppressed'; reason: 'bounced' | 'complained'; emails: string[]; touchId?: string }
  | { result: 'recorded'; touchId?: string; detail: string }
  | { result: 'ignored'; reason: string };

export class SesEventHandler {
  constructor(
    private readonly deps: { store: Store; service: FollowthroughService; logger?: Logger; now: () => Date },
  ) {}

  async handle(raw: unknown): Promise<SesEventResult> {
    const log = this.deps.logger ?? silentLogger;
    const parsed = SesEventSchema.safeParse(raw);
    if (!parsed.success) {
      log.warn('not an SES event we understand; ignored', { issues: parsed.error.issues.length });
      return { result: 'ignored', reason: 'not an SES bounce or complaint event' };
    }
    const { detail } = parsed.data;
    const touchId = detail.mail.tags?.touch?.[0];
    const touch = touchId ? await this.deps.store.findTouch(touchId) : undefined;

    if (detail.eventType === 'Bounce' && detail.bounce && detail.bounce.bounceType !== 'Permanent') {
      const note = `${detail.bounce.bounceType} bounce${detail.bounce.bounceSubType ? ` (${detail.bounce.bounceSubType})` : ''}`;
      if (touch) {
        const deliveries = [...(touch.deliveries ?? []), { at: this.deps.now().toISOString(), channel: 'email' as const, ok: false, messageId: detail.mail.messageId, error: note }];
        await this.deps.store.updateTouch(touch, { deliveries });
      }
      log.info('transient bounce recorded', { touchId, note });
      return { result: 'recorded', ...(touchId ? { touchId } : {}), detail: note };
    }

    let reason: 'bounced' | 'complained';
    let emails: string[];
    if (detail.eventType === 'Bounce' && detail.bounce) {
      reason = 'bounced';
      emails = detail.bounce.bouncedRecipients.map((r) => r.emailAddress);
    } else if (detail.eventType === 'Complaint' && detail.complaint) {
      reason = 'complained';
      emails = detail.complaint.complainedRecipients.map((r) => r.emailAddress);
    } else {
      return { result: 'ignored', reason: `event ${detail.eventType} needs no action` };
    }

    if (touch && touch.recipient === 'rep') {
      // The rep's own address bounced: stopping their reminders would hurt more; log it loudly.
      log.error('an email to the rep bounced or was marked as spam', { repId: touch.repId, touchId: touch.id, reason });
      return { result: 'recorded', touchId: touch.id, detail: `rep address ${reason}` };
    }
    for (const email of emails) {
      if (touch) await this.deps.service.suppressEmail({ repId: touch.repId, prospectId: touch.prospectId, email, reason });
      else await this.deps.store.addSuppression({ email: email.toLowerCase(), reason, at: this.deps.now().toISOString() });
    }
    log.info('address suppressed after SES feedback', { reason, touchId, count: emails.length });
    return { result: 'suppressed', reason, emails, ...(touchId ? { touchId } : {}) };
  }
}
