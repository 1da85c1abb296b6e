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
    }),
    bounce: z.optional(z.object({ bounceType: z.string(), bounceSubType: z.optional(z.string()), bouncedRecipients: recipients })),
    complaint: z.optional(z.object({ complainedRecipients: recipients, complaintFeedbackType: z.optional(z.string()) })),
  }),
});
export type SesEvent = z.infer<typeof SesEventSchema>;
