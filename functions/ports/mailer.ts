import type { OutgoingEmail } from '../core/email.js';

export type { EmailAttachment, EmailHeader, OutgoingEmail } from '../core/email.js';

/** SES v2 SendEmail as the use cases see it. */
export interface Mailer {
  /**
   * Resolves with the provider's message id; rejects with MailRejectedError when retrying cannot
   * help. `signal`: the send is abandoned when it aborts (the fire path's cut-off after its claim).
   */
  send(email: OutgoingEmail, options?: { signal?: AbortSignal }): Promise<{ messageId: string }>;
}

/** The mail service refused a message for good (bad address, unverified sender, paused account). */
export class MailRejectedError extends Error {
  constructor(
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    // What the service said is what a person can act on ("Email address is not verified ...").
    const said = options?.cause instanceof Error ? options.cause.message.replace(/\s+/g, ' ').trim().slice(0, 240) : '';
    super(`the mail service refused it (${code}${said ? `: ${said}` : ''})`, options);
    this.name = 'MailRejectedError';
  }
}
