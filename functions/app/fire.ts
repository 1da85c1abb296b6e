/**
 * The fire use case: a schedule went off for a touch. Re-read it, send it only if it is still
 * scheduled and current, and record the result. A repeated delivery sends nothing.
 */
import { DateTime } from 'luxon';
import type { CadencePlanner } from '../core/cadence.js';
import { isQuietHour } from '../core/calendar.js';
import { callbackInvite } from '../core/invite.js';
import { renderEmail, renderSms, type MessageInput } from '../core/messages.js';
import { FirePayload } from '../core/fire-payload.js';
import type { Call, Prospect, Rep, Touch } from '../core/schemas.js';
import type { TemplateLibrary } from '../core/templates.js';
import { toUtcIso } from '../core/time.js';
import type { Clock, EmailAttachment, EmailHeader, Mailer, OutgoingEmail, SmsSender } from '../ports.js';
import { silentLogger, type Logger } from './logger.js';
import type { ProspectBundle, Store } from './store.js';

export interface FireDeps {
  store: Store;
  mailer: Mailer;
  sms?: SmsSender;
  clock: Clock;
  library: TemplateLibrary;
  senderEmail: string;
  /** Quiet hours, holidays and the prospect email budget come from the cadence policy. */
  planner: CadencePlanner;
  /** Builds the links that go into messages (sheet, unsubscribe); absent links are left out. */
  links?: LinkBuilder;
  /** Also offered in List-Unsubscribe, where an inbox for unsubscribe mail is configured. */
  unsubscribeMailto?: string;
  /**
   * The domain of the Message-ID SES gives each email (<MessageId@domain>), used to thread a
   * resend under the recap: email.amazonses.com in us-east-1, <region>.amazonses.com elsewhere.
   */
  messageIdDomain?: string;
  logger?: Logger;
  /**
   * A claim older than this is taken to be from a crashed delivery and may be taken over.
   * Default 90 s: three times the fire function's timeout.
   */
  claimTtlSeconds?: number;
}

export interface LinkBuilder {
  sheet?(touch: Touch, now: Date): string;
  unsubscribe?(prospect: Prospect): string;
}

export type FireResult =
  | { result: 'sent'; touchId: string; messageId: string; channel: 'email' | 'sms' }
  | { result: 'skipped'; touchId: string; reason: string }
  | { result: 'ignored'; touchId?: string; reason: string };

/** SES errors that will not get better by trying again. */
const PERMANENT = new Set([
  'MessageRejected',
  'BadRequestException',
  'NotFoundException',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
]);

export class TouchFirer {
  private readonly log: Logger;

  constructor(private readonly deps: FireDeps) {
    this.log = deps.logger ?? silentLogger;
  }

  async fire(raw: unknown): Promise<FireResult> {
    const parsed = FirePayload.safeParse(raw);
    if (!parsed.success) {
      this.log.error('fire payload is not valid; dropped', { payload: raw as Record<string, unknown> });
      return { result: 'ignored', reason: 'invalid payload' };
    }
    const payload = parsed.data;
    const { store, clock } = this.deps;
    const now = clock.now();
    const ttl = (this.deps.claimTtlSeconds ?? 90) * 1000;
    const ref = { repId: payload.repId, prospectId: payload.prospectId, id: payload.touchId, dueAt: payload.dueAt };
    const { claimed, current } = await store.claimTouch(ref, toUtcIso(now), toUtcIso(new Date(now.getTime() - ttl)));
    if (!claimed) {
      if (!current) return { result: 'ignored', touchId: payload.touchId, reason: 'no such touch' };
      if (current.status !== 'scheduled') return { result: 'ignored', touchId: current.id, reason: `touch is ${current.status}` };
      if (payload.dueAt && payload.dueAt !== current.dueAt) {
        return { result: 'ignored', touchId: current.id, reason: 'touch was rescheduled; this delivery is stale' };
      }
      // Another delivery holds a fresh claim. Fail so Scheduler retries: if that delivery
      // died mid-way, a retry after the claim goes stale takes the touch over.
      throw new TouchBusyError(current.id);
    }

    const [bundle, rep] = await Promise.all([store.getProspectBundle(claimed.repId, claimed.prospectId), store.getRep(claimed.repId)]);
    if (!bundle || !rep) return this.finish(claimed, 'failed', 'prospect or rep no longer exists');

    if (claimed.recipient === 'prospect') {
      const reason = await this.prospectBlock(claimed, bundle, now);
      if (reason) return this.finish(claimed, 'skipped', reason);
    }

    const input = messageInput(claimed, bundle, rep, now, this.deps.links);
    try {
      // The rep's channel as it is now: a rep who switched to email since the plan gets email.
      if (claimed.kind === 'rep_reminder' && rep.reminderChannel === 'sms') return await this.sendSms(claimed, input, rep, bundle);
      return await this.sendEmail(claimed, input, rep, bundle.prospect, bundle);
    } catch (error) {
      return this.failed(claimed, error);
    }
  }

  /** Why a prospect email must not go out now, if it must not. */
  private async prospectBlock(touch: Touch, bundle: ProspectBundle, now: Date): Promise<string | undefined> {
    const { prospect } = bundle;
    const { policy } = this.deps.planner;
    if (prospect.emailSuppressed) return `the address is suppressed (${prospect.emailSuppressed.reason})`;
    if (!prospect.email) return 'the prospect has no email address';
    if (prospect.status === 'closed') return 'the prospect is closed';
    const listed = await this.deps.store.getSuppression(prospect.email);
    if (listed) return `the address is suppressed (${listed.reason})`;
    const local = DateTime.fromJSDate(now).setZone(prospect.timezone);
    if (isQuietHour(local, policy.quietHours)) return `quiet hours in ${prospect.timezone} (${policy.quietHours.start}-${policy.quietHours.end})`;
    // A holiday counts unless the prospect agreed to talk that very day.
    const agreedToday = touch.callbackAt && DateTime.fromISO(touch.callbackAt).setZone(prospect.timezone).hasSame(local, 'day');
    if (!agreedToday && this.deps.planner.isHoliday(local, prospect.country)) return `a public holiday in ${prospect.country}`;
    const { max, days } = policy.prospectEmailBudget;
    const since = now.getTime() - days * 24 * 3600_000;
    const recent = bundle.touches.filter((t) => t.recipient === 'prospect' && t.status === 'sent' && t.sentAt && Date.parse(t.sentAt) > since);
    if (recent.length >= max) return `over the touch budget: ${recent.length} prospect emails in the last ${days} days (at most ${max})`;
    return undefined;
  }

  private async sendEmail(touch: Touch, input: MessageInput, rep: Rep, prospect: Prospect, bundle?: ProspectBundle): Promise<FireResult> {
    const rendered = renderEmail(input, this.deps.library);
    const toProspect = touch.recipient === 'prospect';
    const headers: EmailHeader[] = [];
    const attachments: EmailAttachment[] = [];
    let subject = rendered.subject;
    if (toProspect) {
      headers.push(...this.unsubscribeHeaders(input.links?.unsubscribe));
      if (touch.kind === 'recap' && input.call && touch.callbackAt) {
        const ics = callbackInvite({
          rep,
          prospect,
          call: input.call,
          callbackAt: touch.callbackAt,
          durationMinutes: this.deps.planner.policy.inviteMinutes,
          now: input.now,
        });
        attachments.push({ filename: 'invite.ics', contentType: 'text/calendar; charset=UTF-8; method=REQUEST', content: ics });
      }
      const recap = touch.kind === 'resend_materials' ? bundle?.touches.find((t) => t.kind === 'recap' && t.callId === touch.callId && t.status === 'sent' && t.messageId) : undefined;
      if (recap) {
        // Reply in the recap's thread so the materials land on top of the same conversation.
        const parent = `<${recap.messageId}@${this.deps.messageIdDomain ?? 'email.amazonses.com'}>`;
        headers.push({ name: 'In-Reply-To', value: parent }, { name: 'References', value: parent });
        if (recap.subject) subject = /^re:/i.test(recap.subject) ? recap.subject : `Re: ${recap.subject}`;
      }
    }
    const email: OutgoingEmail = {
      from: formatAddress(toProspect ? rep.name : 'followthrough', this.deps.senderEmail),
      to: [toProspect ? prospect.email! : rep.email],
      ...(toProspect ? { replyTo: [rep.email] } : {}),
      subject,
      html: rendered.html,
      text: rendered.text,
      ...(headers.length ? { headers } : {}),
      ...(attachments.length ? { attachments } : {}),
      tags: { touch: touch.id, kind: touch.kind, recipient: touch.recipient },
    };
    const { messageId } = await this.deps.mailer.send(email);
    return this.sent(touch, 'email', messageId, rendered.template, subject);
  }

  /** RFC 8058 one-click unsubscribe, plus mailto where configured. */
  private unsubscribeHeaders(url: string | undefined): EmailHeader[] {
    if (!url) return [];
    const targets = [`<${url}>`];
    if (this.deps.unsubscribeMailto) targets.push(`<mailto:${this.deps.unsubscribeMailto}?subject=unsubscribe>`);
    return [
      { name: 'List-Unsubscribe', value: targets.join(', ') },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ];
  }

  /**
   * The reminder by SMS: short, with a signed link to the full sheet. Without an SMS channel, or
   * when sending fails, it goes by email instead, and the touch records both attempts.
   */
  private async sendSms(touch: Touch, input: MessageInput, rep: Rep, bundle: ProspectBundle): Promise<FireResult> {
    const at = toUtcIso(this.deps.clock.now());
    let failure: string;
    if (!this.deps.sms) {
      failure = 'no SMS channel is configured';
    } else if (!rep.phone) {
      failure = 'the rep has no phone number';
    } else {
      const sms = renderSms(input, this.deps.library);
      try {
        const { messageId } = await this.deps.sms.send({ to: rep.phone, body: sms.body, context: { touch: touch.id } });
        return await this.sent(touch, 'sms', messageId, sms.template);
      } catch (error) {
        failure = `${(error as Error).name ?? 'Error'}: ${(error as Error).message ?? String(error)}`.slice(0, 300);
        this.log.warn('SMS failed; falling back to email', { touchId: touch.id, error: failure });
      }
    }
    // The email fallback carries the failed attempt, so the touch records both.
    const fallback: Touch = { ...touch, deliveries: [...(touch.deliveries ?? []), { at, channel: 'sms', ok: false, error: failure }] };
    try {
      return await this.sendEmail(fallback, input, rep, bundle.prospect, bundle);
    } catch (error) {
      return this.failed(fallback, error);
    }
  }

  private async sent(touch: Touch, channel: 'email' | 'sms', messageId: string, template: string, subject?: string): Promise<FireResult> {
    const sentAt = toUtcIso(this.deps.clock.now());
    const deliveries = touch.deliveries?.length ? [...touch.deliveries, { at: sentAt, channel, ok: true, messageId }] : undefined;
    await this.deps.store.updateTouch(touch, { status: 'sent', messageId, sentAt, template, subject, deliveries, claimedAt: null, reason: null });
    this.log.info('touch sent', { touchId: touch.id, kind: touch.kind, channel, messageId });
    return { result: 'sent', touchId: touch.id, messageId, channel };
  }

  private async finish(touch: Touch, status: 'skipped' | 'failed', reason: string): Promise<FireResult> {
    await this.deps.store.updateTouch(touch, { status, reason, claimedAt: null, deliveries: touch.deliveries });
    this.log.info(`touch ${status}`, { touchId: touch.id, kind: touch.kind, reason });
    return status === 'skipped'
      ? { result: 'skipped', touchId: touch.id, reason }
      : { result: 'ignored', touchId: touch.id, reason };
  }

  private async failed(touch: Touch, error: unknown): Promise<FireResult> {
    const name = (error as Error)?.name ?? 'Error';
    if (PERMANENT.has(name)) {
      return this.finish(touch, 'failed', `the mail service refused it (${name})`);
    }
    // Let Scheduler retry: release the claim so the next delivery can take it.
    await this.deps.store.updateTouch(touch, { claimedAt: null });
    this.log.warn('send failed; Scheduler will retry', { touchId: touch.id, error: String(error) });
    throw error;
  }
}

/** Another delivery of the same touch is in flight; thrown so the scheduler retries later. */
export class TouchBusyError extends Error {
  constructor(touchId: string) {
    super(`touch ${touchId} is being sent by another delivery; retry later`);
    this.name = 'TouchBusyError';
  }
}

function isConversation(call: Call): boolean {
  return call.outcome === 'callback_agreed' || call.outcome === 'stalled';
}

/** What the templates need for a touch, from the prospect's record: shared by firing, sheets and previews. */
export function messageInput(
  touch: Pick<Touch, 'kind' | 'callId' | 'dueAt' | 'attempt' | 'promiseAt' | 'notice' | 'callbackAt' | 'recipient'> & Partial<Touch>,
  bundle: ProspectBundle,
  rep: Rep,
  now: Date,
  links?: LinkBuilder,
): MessageInput {
  const call = bundle.calls.find((c) => c.id === touch.callId) ?? bundle.calls.at(-1);
  const lastConversation = [...bundle.calls].reverse().find((c) => isConversation(c));
  const resend = bundle.touches.find((t) => t.callId === call?.id && t.kind === 'resend_materials' && t.status === 'sent');
  return {
    kind: touch.kind,
    rep,
    prospect: bundle.prospect,
    call,
    lastConversation,
    dueAt: touch.dueAt,
    attempt: touch.attempt,
    promiseAt: touch.promiseAt,
    notice: touch.notice,
    callbackAt: touch.callbackAt,
    resent: resend ? { at: resend.sentAt ?? resend.dueAt, titles: call?.materials.map((m) => m.title) ?? [] } : undefined,
    now,
    links: {
      sheet: touch.id && touch.repId && touch.prospectId ? links?.sheet?.(touch as Touch, now) : undefined,
      unsubscribe: touch.recipient === 'prospect' ? links?.unsubscribe?.(bundle.prospect) : undefined,
    },
  };
}

/** "Name <address>", with RFC 2047 encoding for names that are not plain ASCII. */
export function formatAddress(name: string, address: string): string {
  const clean = name.replace(/[\r\n"]/g, ' ').trim();
  if (!clean) return address;
  // eslint-disable-next-line no-control-regex
  const display = /^[\x20-\x7e]*$/.test(clean) ? `"${clean.replace(/\\/g, '\\\\')}"` : `=?UTF-8?B?${Buffer.from(clean).toString('base64')}?=`;
  return `${display} <${address}>`;
}
