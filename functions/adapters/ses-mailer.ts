/**
 * Mailer on SES v2 SendEmail with Simple content, which carries custom headers
 * (List-Unsubscribe, In-Reply-To) and attachments (.ics) without hand-built MIME.
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailRejectedError, type Mailer, type OutgoingEmail } from '../ports/mailer.js';

export interface SesMailerOptions {
  client: SESv2Client;
  configurationSetName?: string;
}

/** SES errors that trying again will not fix. */
const PERMANENT = new Set([
  'MessageRejected',
  'BadRequestException',
  'NotFoundException',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
]);

/**
 * A message tag's name or value may hold only ASCII letters, digits, `_` and `-`, at most 256 of them
 * (SES API v2 reference, MessageTag); anything else would fail the send.
 */
export function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';
}

export class SesMailer implements Mailer {
  constructor(private readonly options: SesMailerOptions) {}

  async send(email: OutgoingEmail, options: { signal?: AbortSignal } = {}): Promise<{ messageId: string }> {
    let out;
    try {
      out = await this.options.client.send(new SendEmailCommand(sendEmailRequest(email, this.options.configurationSetName)), { abortSignal: options.signal });
    } catch (error) {
      const name = (error as Error)?.name ?? 'Error';
      if (PERMANENT.has(name)) throw new MailRejectedError(name, { cause: error });
      throw error;
    }
    if (!out.MessageId) throw new Error('SES answered without a MessageId');
    return { messageId: out.MessageId };
  }
}

export function sendEmailRequest(email: OutgoingEmail, configurationSetName?: string): SendEmailCommand['input'] {
  return {
    FromEmailAddress: email.from,
    Destination: { ToAddresses: email.to },
    ReplyToAddresses: email.replyTo,
    ConfigurationSetName: configurationSetName,
    EmailTags: email.tags ? Object.entries(email.tags).map(([Name, Value]) => ({ Name: tagValue(Name), Value: tagValue(Value) })) : undefined,
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
          // Base64 survives any mail hop byte for byte: the invite's names and notes in any script arrive as written.
          ContentTransferEncoding: 'BASE64',
          RawContent: typeof a.content === 'string' ? new TextEncoder().encode(a.content) : a.content,
        })),
      },
    },
  };
}
