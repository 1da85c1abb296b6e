/**
 * SES feedback through EventBridge: a permanent bounce or a complaint suppresses the address,
 * cancels the prospect's pending emails and tells the rep; a transient bounce is only recorded; the
 * Send event of every touch's email records on the touch that it went out (what a delivery retried
 * after a crash reads before sending again) and the Message-ID SES stamped on it, which a recap's
 * resend names in its In-Reply-To. The touch is found from the tags every email carries.
 */
import { stampedMessageId, type SesEvent } from '../core/ses-event.js';
import { toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';
import { suppressEmail } from './suppress-email.js';

export type SesEventResult =
  | { result: 'suppressed'; reason: 'bounced' | 'complained'; emails: string[]; touchId?: string }
  | { result: 'recorded'; touchId?: string; detail: string }
  | { result: 'ignored'; reason: string };

export async function handleSesEvent(deps: Pick<UseCaseDeps, 'store' | 'scheduler' | 'clock' | 'logger'>, event: SesEvent): Promise<SesEventResult> {
  const { detail } = event;
  const log = deps.logger;
  const touchId = detail.mail.tags?.touch?.[0];
  const touch = touchId ? await deps.store.findTouch(touchId) : undefined;
  const nowIso = toUtcIso(deps.clock.now());

  if (detail.eventType === 'Send') {
    if (!touch) return { result: 'ignored', reason: 'a Send event for no touch of ours' };
    const header = stampedMessageId(detail.mail);
    // That the email went out, whatever became of the delivery that sent it: a retry after a crash
    // between the send and the sent mark reads this and sends nothing again. The same event again
    // (EventBridge delivers at least once; an operator replays the dead-letter queue) writes
    // nothing, not even a later time.
    const already = touch.sesSent?.messageId === detail.mail.messageId && (!header || touch.messageIdHeader === header);
    const subject = detail.mail.commonHeaders?.subject;
    if (!already) await deps.store.recordSendEvent(touch, { messageId: detail.mail.messageId, at: nowIso, ...(subject ? { subject } : {}), ...(header ? { header } : {}) });
    if (!header) {
      // A recap's resend waits for this (and ends failed, visibly, if it never comes): say how to unblock it.
      if (touch.kind === 'recap') {
        log.warn('the Send event does not carry the Message-ID SES stamped; set SES_MESSAGE_ID_DOMAIN to thread replies', {
          touchId: touch.id,
          messageId: detail.mail.messageId,
        });
      }
      return { result: 'recorded', touchId: touch.id, detail: 'sent; no Message-ID in the Send event' };
    }
    log.info('Message-ID recorded', { touchId: touch.id, kind: touch.kind, header });
    return { result: 'recorded', touchId: touch.id, detail: `Message-ID ${header}` };
  }

  if (detail.eventType === 'Bounce' && detail.bounce && detail.bounce.bounceType !== 'Permanent') {
    const note = `${detail.bounce.bounceType} bounce${detail.bounce.bounceSubType ? ` (${detail.bounce.bounceSubType})` : ''}`;
    // The same bounce again (a redelivery or a replay) adds no second line; two distinct bounces of
    // one message with the same type read the same to the rep anyway.
    const seen = touch?.deliveries?.some((d) => !d.ok && d.messageId === detail.mail.messageId && d.error === note);
    if (touch && !seen) {
      const deliveries = [...(touch.deliveries ?? []), { at: nowIso, channel: 'email' as const, ok: false, messageId: detail.mail.messageId, error: note }];
      await deps.store.updateTouch(touch, { deliveries });
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
    if (touch) await suppressEmail(deps, { repId: touch.repId, prospectId: touch.prospectId, email, reason });
    else await deps.store.addSuppression({ email: email.toLowerCase(), reason, at: nowIso });
  }
  log.info('address suppressed after SES feedback', { reason, touchId, count: emails.length });
  return { result: 'suppressed', reason, emails, ...(touchId ? { touchId } : {}) };
}
