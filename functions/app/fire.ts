/**
 * The fire use case: a schedule went off for a touch. Re-read it, send it only if it is still
 * scheduled and current, and record the result. A repeated delivery sends nothing.
 */
import { DateTime } from 'luxon';
import { renderEmail, type MessageInput } from '../core/messages.js';
import { FirePayload, type Call, type Prospect, type Rep, type Touch } from '../core/schemas.js';
import type { TemplateLibrary } from '../core/templates.js';
import { isQuietHour, type QuietHours } from '../core/calendar.js';
import { toUtcIso } from '../core/time.js';
import type { Clock, Mailer, OutgoingEmail, SmsSender } from '../ports.js';
import type { Logger } from './service.js';
import { silentLogger } from './service.js';
import type { ProspectBundle, Store } from './store.js';

export interface FireDeps {
  store: Store;
  mailer: Mailer;
  sms?: SmsSender;
  clock: Clock;
  library: TemplateLibrary;
  senderEmail: string;
  quietHours: QuietHours;
  /** Builds the links that go into messages (sheet, unsubscribe); absent links are left out. */
  links?: LinkBuilder;
  logger?: Logger;
  /**
   * A claim older than this is taken to be from a crashed delivery and may be taken over.
   * Default 90 s: three times the fire function's timeout.
   */
  claimTtlSeconds?: number;
}

export interface LinkBuilder {
  sheet?(touch: Touch): string;
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
    const touch = await store.getTouch(payload.repId, payload.prospectId, payload.touchId);
    if (!touch) return { result: 'ignored', touchId: payload.touchId, reason: 'no such touch' };
    if (touch.status !== 'scheduled') return { result: 'ignored', touchId: touch.id, reason: `touch is ${touch.status}` };
    if (payload.dueAt && payload.dueAt !== touch.dueAt) {
      return { result: 'ignored', touchId: touch.id, reason: 'touch was rescheduled; this delivery is stale' };
    }
    const now = clock.now();
    const ttl = (this.deps.claimTtlSeconds ?? 90) * 1000;
    const claimed = await store.claimTouch(touch, toUtcIso(now), toUtcIso(new Date(now.getTime() - ttl)));
    if (!claimed) {
      const current = await store.getTouch(touch.repId, touch.prospectId, touch.id);
      if (current?.status === 'scheduled' && current.dueAt === touch.dueAt) {
        // Another delivery holds a fresh claim. Fail so Scheduler retries: if that delivery
        // died mid-way, a retry after the claim goes stale takes the touch over.
        throw new TouchBusyError(touch.id);
      }
      return { result: 'ignored', touchId: touch.id, reason: `touch is ${current?.status ?? 'gone'}` };
    }

    const bundle = await store.getProspectBundle(touch.repId, touch.prospectId);
    const rep = await store.getRep(touch.repId);
    if (!bundle || !rep) return this.finish(claimed, 'failed', 'prospect or rep no longer exists');

    if (claimed.recipient === 'prospect') {
      const reason = this.prospectBlock(bundle.prospect, now);
      if (reason) return this.finish(claimed, 'skipped', reason);
    }

    const input = this.messageInput(claimed, bundle, rep, now);
    try {
      if (claimed.channel === 'sms' && claimed.kind === 'rep_reminder') return await this.sendSms(claimed, input, rep);
      return await this.sendEmail(claimed, input, rep, bundle.prospect);
    } catch (error) {
      return this.failed(claimed, error);
    }
  }

  /** Why a prospect email must not go out now, if it must not. */
  private prospectBlock(prospect: Prospect, now: Date): string | undefined {
    if (prospect.emailSuppressed) return `the address is suppressed (${prospect.emailSuppressed.reason})`;
    if (!prospect.email) return 'the prospect has no email address';
    if (prospect.status === 'closed') return 'the prospect is closed';
    const local = DateTime.fromJSDate(now).setZone(prospect.timezone);
    if (isQuietHour(local, this.deps.quietHours)) return `quiet hours in ${prospect.timezone}`;
    return undefined;
  }

  private messageInput(touch: Touch, bundle: ProspectBundle, rep: Rep, now: Date): MessageInput {
    const call = bundle.calls.find((c) => c.id === touch.callId);
    const lastConversation = [...bundle.calls].reverse().find((c) => isConversation(c));
    const resend = bundle.touches.find((t) => t.callId === touch.callId && t.kind === 'resend_materials' && t.status === 'sent');
    const links = {
      sheet: this.deps.links?.sheet?.(touch),
      unsubscribe: touch.recipient === 'prospect' ? this.deps.links?.unsubscribe?.(bundle.prospect) : undefined,
    };
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
      links,
    };
  }

  private async sendEmail(touch: Touch, input: MessageInput, rep: Rep, prospect: Prospect): Promise<FireResult> {
    const rendered = renderEmail(input, this.deps.library);
    const toProspect = touch.recipient === 'prospect';
    const email: OutgoingEmail = {
      from: formatAddress(toProspect ? rep.name : 'followthrough', this.deps.senderEmail),
      to: [toProspect ? prospect.email! : rep.email],
      ...(toProspect ? { replyTo: [rep.email] } : {}),
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      tags: { touch: touch.id, kind: touch.kind },
    };
    const { messageId } = await this.deps.mailer.send(email);
    return this.sent(touch, 'email', messageId, rendered.template);
  }

  private async sendSms(touch: Touch, input: MessageInput, rep: Rep): Promise<FireResult> {
    // Filled in with the SMS channel; until then a reminder for an SMS rep goes by email.
    return this.sendEmail({ ...touch, channel: 'email' }, input, rep, input.prospect);
  }

  private async sent(touch: Touch, channel: 'email' | 'sms', messageId: string, template: string): Promise<FireResult> {
    const sentAt = toUtcIso(this.deps.clock.now());
    await this.deps.store.updateTouch(touch, { status: 'sent', messageId, sentAt, template, claimedAt: null, reason: null });
    this.log.info('touch sent', { touchId: touch.id, kind: touch.kind, channel, messageId });
    return { result: 'sent', touchId: touch.id, messageId, channel };
  }

  private async finish(touch: Touch, status: 'skipped' | 'failed', reason: string): Promise<FireResult> {
    await this.deps.store.updateTouch(touch, { status, reason, claimedAt: null });
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

/** "Name <address>", with RFC 2047 encoding for names that are not plain ASCII. */
export function formatAddress(name: string, address: string): string {
  const clean = name.replace(/[\r\n"]/g, ' ').trim();
  if (!clean) return address;
  // eslint-disable-next-line no-control-regex
  const display = /^[\x20-\x7e]*$/.test(clean) ? `"${clean.replace(/\\/g, '\\\\')}"` : `=?UTF-8?B?${Buffer.from(clean).toString('base64')}?=`;
  return `${display} <${address}>`;
}
