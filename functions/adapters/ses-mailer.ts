/**
 * Mailer on SES v2 SendEmail with Simple content, which carries custom headers
 * (List-Unsubscribe, In-Reply-To) and attachments (.ics) without hand-built MIME.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from '../ports.js';

export interface SesMailerOptions {
  client: SESv2Client;
  configurationSetName?: string;
}

/** SES tag values allow only [A-Za-z0-9_-.@]. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, 256) || '_';
}

export class SesMailer implements Mailer {
  constructor(private readonly options: SesMailerOptions) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const out = await this.options.client.send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        Destination: { ToAddresses: email.to },
        ReplyToAddresses: email.replyTo,
        ConfigurationSetName: this.options.configurationSetName,
        EmailTags: email.tags
          ? Object.entries(email.tags).map(([Name, Value]) => ({ Name: tagValue(Name), Value: tagValue(Value) }))
          : undefined,
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
            Headers: email.headers?.map((h) => ({ Name: h.name, Value: h.value })),
            Attachments: email.attachments?.map((a) => ({
              FileName: a.filename,
              ContentType: a.contentType,
              ContentDisposition: a.disposition === 'inline' ? 'INLINE' : 'ATTACHMENT',
              RawContent: typeof a.content === 'string' ? new TextEncoder().encode(a.content) : a.content,
            })),
          },
        },
      }),
    );
    if (!out.MessageId) throw new Error('SES answered without a MessageId');
    return { messageId: out.MessageId };
  }
}
