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
    super(`the mail service refused it (${code})`, options);
    this.name = 'MailRejectedError';
  }
}
