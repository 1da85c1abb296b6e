/**
 * Composing an email from a rendered touch: who it is from and to, the RFC 8058 unsubscribe
 * headers, the calendar invite on a recap, and the thread a resend joins. Pure.
 */
import { callbackInvite } from './invite.js';
import type { RenderedEmail } from './messages.js';
import type { Call, Prospect, Rep, Touch } from './schemas.js';

export interface EmailHeader {
  name: string;
  value: string;
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** Raw bytes (or UTF-8 text) of the attachment. */
  content: Uint8Array | string;
  disposition?: 'attachment' | 'inline';
}

export interface OutgoingEmail {
  from: string;
  to: string[];
  replyTo?: string[];
  subject: string;
  html: string;
  text: string;
  headers?: EmailHeader[];
  attachments?: EmailAttachment[];
  /** Tags carried to delivery events (touch id, kind) so a bounce can be traced to its touch. */
  tags?: Record<string, string>;
}

export interface ComposeInput {
  touch: Touch;
  rendered: RenderedEmail;
  rep: Rep;
  prospect: Prospect;
  call?: Call;
  senderEmail: string;
  /** The signed one-click unsubscribe URL (prospect email only). */
  unsubscribeUrl?: string;
  /** Also offered in List-Unsubscribe, where an inbox for unsubscribe mail is configured. */
  unsubscribeMailto?: string;
  /** The recap this resend replies to: sent, with the Message-ID it went out with. */
  thread?: { messageIdHeader: string; subject?: string };
  inviteMinutes: number;
  now: Date;
}

export function composeEmail(input: ComposeInput): OutgoingEmail {
  const { touch, rendered, rep, prospect } = input;
  const toProspect = touch.recipient === 'prospect';
  const headers: EmailHeader[] = [];
  const attachments: EmailAttachment[] = [];
  let subject = rendered.subject;
  if (toProspect) {
    headers.push(...unsubscribeHeaders(input.unsubscribeUrl, input.unsubscribeMailto));
    if (touch.kind === 'recap' && input.call && touch.callbackAt) {
      const ics = callbackInvite({ rep, prospect, call: input.call, callbackAt: touch.callbackAt, durationMinutes: input.inviteMinutes, now: input.now });
      attachments.push({ filename: 'invite.ics', contentType: 'text/calendar; charset=UTF-8; method=REQUEST', content: ics });
    }
    if (input.thread) {
      // Reply in the recap's thread so the materials land on top of the same conversation.
      headers.push({ name: 'In-Reply-To', value: input.thread.messageIdHeader }, { name: 'References', value: input.thread.messageIdHeader });
      const parent = input.thread.subject;
      if (parent) subject = /^re:/i.test(parent) ? parent : `Re: ${parent}`;
    }
  }
  return {
    from: formatAddress(toProspect ? rep.name : 'followthrough', input.senderEmail),
    to: [toProspect ? prospect.email! : rep.email],
    ...(toProspect ? { replyTo: [rep.email] } : {}),
    subject,
    html: rendered.html,
    text: rendered.text,
    ...(headers.length ? { headers } : {}),
    ...(attachments.length ? { attachments } : {}),
    tags: { touch: touch.id, kind: touch.kind, recipient: touch.recipient },
  };
}

/**
 * The Message-ID to reply to a sent email under: the one SES stamped on it, as its Send event told
 * (checked to name the id SES returned, so a header recorded for an earlier send of the same touch
 * is not taken), else, where the operator configured SES's Message-ID domain, the id SES returned on
 * that domain; undefined while neither is known.
 */
export function threadParent(parent: Pick<Touch, 'messageId' | 'messageIdHeader'>, configuredDomain?: string): string | undefined {
  if (!parent.messageId) return undefined;
  if (parent.messageIdHeader?.startsWith(`<${parent.messageId}@`)) return parent.messageIdHeader;
  return configuredDomain ? `<${parent.messageId}@${configuredDomain}>` : undefined;
}

/** RFC 8058 one-click unsubscribe, plus mailto where configured. */
export function unsubscribeHeaders(url: string | undefined, mailto?: string): EmailHeader[] {
  if (!url) return [];
  const targets = [`<${url}>`];
  if (mailto) targets.push(`<mailto:${mailto}?subject=unsubscribe>`);
  return [
    { name: 'List-Unsubscribe', value: targets.join(', ') },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ];
}

/** "Name <address>", with RFC 2047 encoding for names that are not plain ASCII. */
export function formatAddress(name: string, address: string): string {
  const clean = name.replace(/[\r\n"]/g, ' ').trim();
  if (!clean) return address;
  const display = /^[\x20-\x7e]*$/.test(clean) ? `"${clean.replace(/\\/g, '\\\\')}"` : encodedWords(clean);
  return `${display} <${address}>`;
}

/** Bytes of UTF-8 one encoded-word carries: 60 base64 characters, so the word stays within 75 (RFC 2047, 2). */
const WORD_BYTES = 45;

/**
 * `text` as RFC 2047 "B" encoded-words of at most 75 characters each, split between characters (never inside
 * one), separated by spaces, which a reader drops between adjacent encoded-words (RFC 2047, 6.2).
 */
function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch) > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}
