/**
 * The part of an SES event (EventBridge envelope, SES event record as detail) that followthrough
 * acts on. https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 */
import * as z from 'zod/mini';

const recipients = z.array(z.object({ emailAddress: z.string() }));

export const SesEventSchema = z.object({
  source: z.optional(z.string()),
  'detail-type': z.optional(z.string()),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({
      messageId: z.string(),
      destination: z.optional(z.array(z.string())),
      tags: z.optional(z.record(z.string(), z.array(z.string()))),
      headers: z.optional(z.array(z.object({ name: z.string(), value: z.string() }))),
      commonHeaders: z.optional(z.object({ messageId: z.optional(z.string()), subject: z.optional(z.string()) })),
    }),
    bounce: z.optional(z.object({ bounceType: z.string(), bounceSubType: z.optional(z.string()), bouncedRecipients: recipients })),
    complaint: z.optional(z.object({ complainedRecipients: recipients, complaintFeedbackType: z.optional(z.string()) })),
  }),
});
export type SesEvent = z.infer<typeof SesEventSchema>;

/**
 * The SES events routed to the events function as EventBridge detail types: bounces and complaints,
 * and the Send event of every email that carries this message tag (each touch's email does): it
 * records that the email went out, which a delivery retried after a crash between the send and the
 * sent mark reads before sending again, and a recap's Message-ID, which its resend replies under
 * (infra/constructs/messaging.ts filters on the tag's presence).
 */
export const SENT_EVENT_TAG = 'touch';

/**
 * The Message-ID header SES stamped on the email an event is about, when the event carries it whole:
 * a `Message-ID` in `mail.headers`, or `mail.commonHeaders.messageId`, in the form `<id@domain>`
 * whose id is the one SES assigned (`mail.messageId`). SES replaces any Message-ID a sender sets
 * ("Amazon SES header fields", SES Developer Guide), so only its own value threads a reply; a bare
 * id, or another message's id, is no answer, and no domain is guessed here.
 */
export function stampedMessageId(mail: Pick<SesEvent['detail']['mail'], 'messageId' | 'headers' | 'commonHeaders'>): string | undefined {
  const candidates = [
    ...(mail.headers ?? []).filter((h) => h.name.toLowerCase() === 'message-id').map((h) => h.value),
    ...(mail.commonHeaders?.messageId ? [mail.commonHeaders.messageId] : []),
  ];
  for (const candidate of candidates) {
    const m = /^\s*<?([^<>@\s]+)@([A-Za-z0-9.-]+)>?\s*$/.exec(candidate);
    if (m && m[1] === mail.messageId) return `<${m[1]}@${m[2]}>`;
  }
  return undefined;
}
