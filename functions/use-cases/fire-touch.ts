/**
 * A schedule went off for a touch. Claim it in one conditional write (only while it is still
 * scheduled for that time), check the rules that hold at send time, send it, record the result.
 * A repeated or stale delivery sends nothing.
 */
import { CLAIM_TTL_SECONDS } from '../core/claims.js';
import { prospectEmailBlock } from '../core/delivery.js';
import { composeEmail, threadParent } from '../core/email.js';
import type { FirePayload } from '../core/fire-payload.js';
import { messageInput } from '../core/message-input.js';
import { renderEmail, renderSms, type MessageInput } from '../core/messages.js';
import type { Prospect, Rep, Touch } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import { MailRejectedError } from '../ports/mailer.js';
import type { ProspectBundle } from '../ports/store.js';
import type { UseCaseDeps } from './deps.js';

export type FireResult =
  | { result: 'sent'; touchId: string; messageId: string; channel: 'email' | 'sms' }
  | { result: 'skipped'; touchId: string; reason: string }
  | { result: 'ignored'; touchId?: string; reason: string };

export type FireDeps = Pick<UseCaseDeps, 'store' | 'mailer' | 'sms' | 'links' | 'clock' | 'logger' | 'planner' | 'library' | 'mail'>;

/** A claim older than this is from a crashed delivery and may be taken over (core/claims.ts). */
export { CLAIM_TTL_SECONDS };

/**
 * A resend is due while the recap it replies to has not gone out, or before SES's Send event told
 * the Message-ID it stamped on it. Thrown (the claim released) so Lambda retries the invocation a
 * minute later: it never leaves before its recap, nor outside its thread.
 */
export class RecapNotSentError extends Error {
  constructor(touchId: string, why: string) {
    super(`resend ${touchId} waits for its recap: ${why}`);
    this.name = 'RecapNotSentError';
  }
}

/**
 * The message went out but the sent mark could not be written. Thrown with the claim kept: a retry
 * takes the touch over once the claim lapses, and finds the Send event instead of sending again.
 */
export class SentNotMarkedError extends Error {
  constructor(touchId: string, options: { cause: unknown }) {
    super(`touch ${touchId} was sent but could not be marked sent: ${String(options.cause)}`, options);
    this.name = 'SentNotMarkedError';
  }
}

/** Another delivery of the same touch is in flight; thrown so the invocation is retried later. */
export class TouchBusyError extends Error {
  constructor(touchId: string) {
    super(`touch ${touchId} is being sent by another delivery; retry later`);
    this.name = 'TouchBusyError';
  }
}

export async function fireTouch(deps: FireDeps, payload: FirePayload): Promise<FireResult> {
  const { store, clock } = deps;
  const now = clock.now();
  const ref = { repId: payload.repId, prospectId: payload.prospectId, id: payload.touchId, dueAt: payload.dueAt };
  const { claimed, current } = await store.claimTouch(ref, toUtcIso(now), toUtcIso(new Date(now.getTime() - CLAIM_TTL_SECONDS * 1000)));
  if (!claimed) {
    if (!current) return { result: 'ignored', touchId: payload.touchId, reason: 'no such touch' };
    if (current.status !== 'scheduled') return { result: 'ignored', touchId: current.id, reason: `touch is ${current.status}` };
    if (payload.dueAt && payload.dueAt !== current.dueAt) return { result: 'ignored', touchId: current.id, reason: 'touch was rescheduled; this delivery is stale' };
    // The claim's holder sent the email and could not mark it (or died doing so): SES's Send event
    // says it went out, so it is marked now, without waiting for the claim to lapse.
    if (current.sesSent) return sentBefore(deps, current, current.sesSent);
    // Another delivery holds a fresh claim. Fail so the invocation is retried: if that delivery
    // died mid-way, a retry after the claim goes stale takes the touch over.
    throw new TouchBusyError(current.id);
  }

  // A delivery that died between the send and the mark left its claim; SES's Send event, recorded
  // since, says the email went out: mark it from that, and send nothing again.
  if (claimed.sesSent) return sentBefore(deps, claimed, claimed.sesSent);

  const [bundle, rep] = await Promise.all([store.getProspectBundle(claimed.repId, claimed.prospectId), store.getRep(claimed.repId)]);
  if (!bundle || !rep) return finish(deps, claimed, 'failed', 'prospect or rep no longer exists');

  if (claimed.recipient === 'prospect') {
    const listed = bundle.prospect.email ? await store.getSuppression(bundle.prospect.email) : undefined;
    const block = prospectEmailBlock({ touch: claimed, prospect: bundle.prospect, touches: bundle.touches, listed, now }, deps.planner);
    if (block) return finish(deps, claimed, 'skipped', block.message);
  }

  try {
    // The rep's channel as it is now: a rep who switched to email since the plan gets email.
    if (claimed.kind === 'rep_reminder' && rep.reminderChannel === 'sms') return await sendSms(deps, claimed, rep, bundle);
    return await sendEmail(deps, claimed, rep, bundle);
  } catch (error) {
    return failed(deps, claimed, error);
  }
}

async function linksFor(deps: FireDeps, touch: Touch, prospect: Prospect, now: Date): Promise<{ sheet?: string; unsubscribe?: string }> {
  if (touch.recipient === 'prospect') return { unsubscribe: await deps.links.unsubscribeUrl(prospect) };
  if (touch.kind === 'rep_reminder') return { sheet: await deps.links.sheetUrl(touch, now) };
  return {};
}

async function sendEmail(deps: FireDeps, touch: Touch, rep: Rep, bundle: ProspectBundle): Promise<FireResult> {
  const now = deps.clock.now();
  const links = await linksFor(deps, touch, bundle.prospect, now);
  const input: MessageInput = messageInput(touch, bundle, rep, now, links);
  const thread = touch.kind === 'resend_materials' ? recapThread(deps, touch, bundle.touches) : undefined;
  const rendered = renderEmail(input, deps.library);
  const email = composeEmail({
    touch,
    rendered,
    rep,
    prospect: bundle.prospect,
    call: input.call,
    senderEmail: deps.mail.sender,
    unsubscribeUrl: links.unsubscribe,
    unsubscribeMailto: deps.mail.unsubscribeMailto,
    ...(thread ? { thread } : {}),
    inviteMinutes: deps.planner.policy.inviteMinutes,
    now,
  });
  const { messageId } = await deps.mailer.send(email);
  // A reminder records the script variant its sheet spoke, which a voicemail then credits.
  return sent(deps, touch, 'email', messageId, rendered.template, email.subject, touch.kind === 'rep_reminder' ? (rendered.variant ?? null) : undefined);
}

/**
 * The thread a resend joins: its recap's, by the Message-ID SES stamped on it. A recap still to go
 * out, or whose Message-ID is not known yet, makes the resend wait; a recap that will not go out
 * (skipped, failed, cancelled, or none planned) leaves it a message of its own.
 */
function recapThread(deps: FireDeps, touch: Touch, touches: readonly Touch[]): { messageIdHeader: string; subject?: string } | undefined {
  const recap = touches.find((t) => t.kind === 'recap' && t.callId === touch.callId);
  if (!recap || (recap.status !== 'scheduled' && recap.status !== 'sent')) return undefined;
  if (recap.status === 'scheduled') throw new RecapNotSentError(touch.id, 'it has not gone out yet');
  const messageIdHeader = threadParent(recap, deps.mail.messageIdDomain);
  if (!messageIdHeader) throw new RecapNotSentError(touch.id, "SES's Send event has not told its Message-ID yet");
  return { messageIdHeader, ...(recap.subject ? { subject: recap.subject } : {}) };
}

/**
 * The reminder by SMS: short, with a signed link to the full sheet. Without an SMS channel, or
 * when sending fails, it goes by email instead, and the touch records both attempts.
 */
async function sendSms(deps: FireDeps, touch: Touch, rep: Rep, bundle: ProspectBundle): Promise<FireResult> {
  const now = deps.clock.now();
  let failure: string;
  if (!deps.sms) {
    failure = 'no SMS channel is configured';
  } else if (!rep.phone) {
    failure = 'the rep has no phone number';
  } else {
    const sms = renderSms(messageInput(touch, bundle, rep, now, await linksFor(deps, touch, bundle.prospect, now)), deps.library);
    try {
      const { messageId } = await deps.sms.send({ to: rep.phone, body: sms.body, context: { touch: touch.id } });
      // The script is in the sheet the SMS links to: record it as an email reminder records its own.
      const template = sms.voicemailTemplate ? `${sms.template} + ${sms.voicemailTemplate}` : sms.template;
      return await sent(deps, touch, 'sms', messageId, template, undefined, sms.variant ?? null);
    } catch (error) {
      // Sent, only not marked: an email now would be a second reminder.
      if (error instanceof SentNotMarkedError) throw error;
      failure = `${(error as Error).name ?? 'Error'}: ${(error as Error).message ?? String(error)}`.slice(0, 300);
      deps.logger.warn('SMS failed; falling back to email', { touchId: touch.id, error: failure });
    }
  }
  const fallback: Touch = { ...touch, deliveries: [...(touch.deliveries ?? []), { at: toUtcIso(now), channel: 'sms', ok: false, error: failure }] };
  try {
    return await sendEmail(deps, fallback, rep, bundle);
  } catch (error) {
    return failed(deps, fallback, error);
  }
}

async function sent(
  deps: FireDeps,
  touch: Touch,
  channel: 'email' | 'sms',
  messageId: string,
  template: string,
  subject?: string,
  scriptVariant?: string | null,
): Promise<FireResult> {
  const sentAt = toUtcIso(deps.clock.now());
  const deliveries = touch.deliveries?.length ? [...touch.deliveries, { at: sentAt, channel, ok: true, messageId }] : undefined;
  try {
    await deps.store.updateTouch(touch, { status: 'sent', messageId, sentAt, template, subject, deliveries, claimedAt: null, reason: null, scriptVariant });
  } catch (error) {
    throw new SentNotMarkedError(touch.id, { cause: error });
  }
  deps.logger.info('touch sent', { touchId: touch.id, kind: touch.kind, channel, messageId });
  return { result: 'sent', touchId: touch.id, messageId, channel };
}

/** The touch went out in an earlier delivery that died before marking it: marked now from SES's Send event. */
async function sentBefore(deps: FireDeps, touch: Touch, seen: NonNullable<Touch['sesSent']>): Promise<FireResult> {
  // Only while still scheduled: the claim's holder may be marking it in the same moment, from the same send.
  const marked = await deps.store.updateTouch(touch, { status: 'sent', messageId: seen.messageId, sentAt: seen.at, subject: seen.subject, claimedAt: null, reason: null }, 'scheduled');
  if (!marked) return { result: 'ignored', touchId: touch.id, reason: 'touch was marked by the delivery that sent it' };
  deps.logger.warn('touch was sent by a delivery that died before marking it: marked from its Send event, not sent again', { touchId: touch.id, kind: touch.kind, messageId: seen.messageId });
  return { result: 'sent', touchId: touch.id, messageId: seen.messageId, channel: 'email' };
}

async function finish(deps: FireDeps, touch: Touch, status: 'skipped' | 'failed', reason: string): Promise<FireResult> {
  await deps.store.updateTouch(touch, { status, reason, claimedAt: null, deliveries: touch.deliveries });
  deps.logger.info(`touch ${status}`, { touchId: touch.id, kind: touch.kind, reason });
  return status === 'skipped' ? { result: 'skipped', touchId: touch.id, reason } : { result: 'ignored', touchId: touch.id, reason };
}

async function failed(deps: FireDeps, touch: Touch, error: unknown): Promise<FireResult> {
  if (error instanceof MailRejectedError) return finish(deps, touch, 'failed', error.message);
  if (error instanceof SentNotMarkedError) {
    // The claim stays: no retry may send before it lapses, and one after it finds the Send event.
    deps.logger.warn('sent but not marked; a retry after the claim lapses marks it', { touchId: touch.id, error: String(error.cause) });
    throw error;
  }
  // Release the claim so a retry of this invocation can take the touch (unless it was cancelled meanwhile).
  await deps.store.updateTouch(touch, { claimedAt: null }, 'scheduled');
  deps.logger.warn('send failed; the invocation will be retried', { touchId: touch.id, error: String(error) });
  throw error;
}
