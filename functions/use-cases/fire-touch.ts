/**
 * A schedule went off for a touch. Read what its message needs (the prospect's records in one
 * query, the rep from a cache checked at the claim), check the rules that hold at send time, and
 * render it; a rep reminder then waits for its due second (core/on-time.ts). Claim it in one
 * transaction that holds only while the touch, the prospect and the rep are as read and the address
 * is not suppressed, so what was rendered is current; send (cut off within the claim's lease);
 * record the result in one write. A repeated or stale delivery sends nothing, and a touch whose
 * email an earlier delivery sent (SES's Send event recorded on it) is marked sent, not sent again.
 */
import { claimHeld, claimLapsedBefore, CLAIM_TTL_SECONDS, CLAIMED_WORK_SECONDS } from '../core/claims.js';
import { prospectEmailBlock, type SkipReason } from '../core/delivery.js';
import { composeEmail, threadParent, type OutgoingEmail } from '../core/email.js';
import type { FirePayload } from '../core/fire-payload.js';
import { messageInput } from '../core/message-input.js';
import { renderEmail, renderSms, type MessageInput } from '../core/messages.js';
import { firedEarly, waitBeforeSending } from '../core/on-time.js';
import type { Prospect, Rep, Touch } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import { MailRejectedError } from '../ports/mailer.js';
import type { OutgoingSms } from '../ports/sms.js';
import type { ProspectBundle, Suppression } from '../ports/store.js';
import type { UseCaseDeps } from './deps.js';
import { addFailureNotice } from './support/failure-notice.js';
import { cachedRep, type RepCache } from './support/rep-cache.js';
import { firePayload } from './support/schedules.js';

export type FireResult =
  | { result: 'sent'; touchId: string; messageId: string; channel: 'email' | 'sms' }
  | { result: 'skipped'; touchId: string; reason: string }
  | { result: 'ignored'; touchId?: string; reason: string };

export type FireDeps = Pick<UseCaseDeps, 'store' | 'mailer' | 'sms' | 'links' | 'clock' | 'logger' | 'planner' | 'library' | 'mail'> & {
  /** Reps read lately (the fire function's own, per container): the claim checks each is still as read. */
  reps?: RepCache;
};

/** A claim older than this is from a crashed delivery and may be taken over (core/claims.ts). */
export { CLAIM_TTL_SECONDS };

/**
 * A resend is due while the recap it replies to has not gone out, or before SES's Send event told
 * the Message-ID it stamped on it. Thrown (nothing claimed) so Lambda retries the invocation a
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

/** Reads before giving up on a touch that keeps changing under the claim (each change is someone's write). */
const MAX_READS = 4;

/**
 * Claims tried again when a transaction conflict alone refused one, and the first wait between
 * them (doubling, jittered): about 0.6 s in all, then the touch is read again. DynamoDB cancels a
 * transaction that meets another in progress on one of its items ("Transaction conflict handling",
 * DynamoDB Developer Guide), and every claim checks the rep's item.
 */
const CONFLICT_RETRIES = 5;
const CONFLICT_BACKOFF_MS = 20;

/**
 * Sends still running this long after the claim are abandoned (their SDK calls aborted), leaving
 * time for the mark: the work after a claim ends within CLAIMED_WORK_SECONDS, inside the claim's
 * lease (core/claims.ts), however long the function waited for a reminder's second before it.
 */
const SEND_CUTOFF_MS = (CLAIMED_WORK_SECONDS - 5) * 1000;

/** What goes out, made before the claim: the claim then says it is still current. */
type Prepared =
  | { channel: 'email'; email: OutgoingEmail; template: string; variant?: string | null; touch: Touch }
  | { channel: 'sms'; sms: OutgoingSms; template: string; variant: string | null }
  | { channel: 'none'; status: 'skipped' | 'failed'; reason: string };

export async function fireTouch(deps: FireDeps, payload: FirePayload): Promise<FireResult> {
  let listed: Suppression | undefined;
  for (let read = 1; ; read++) {
    const [bundle, rep] = await Promise.all([deps.store.getProspectBundle(payload.repId, payload.prospectId), cachedRep(deps, payload.repId)]);
    if (!bundle || !rep) return orphan(deps, payload);
    const touch = bundle.touches.find((t) => t.id === payload.touchId);
    if (!touch) return noSuchTouch(payload);
    const refused = await refusal(deps, touch, payload);
    if (refused) return refused;

    // Everything but the claim, before it: a rep reminder is ready at its due second, and the claim
    // is followed at once by the send.
    const firedAt = deps.clock.now();
    const wait = waitBeforeSending(touch, firedAt);
    const sendAt = new Date(firedAt.getTime() + wait);
    const prepared = await prepare(deps, touch, rep, bundle, sendAt, listed);
    if (wait > 0) await deps.clock.sleep(wait);

    const address = touch.recipient === 'prospect' && !listed ? bundle.prospect.email : undefined;
    const claimAt = (at: Date) =>
      deps.store.claimAsRead({
        touch: touch,
        now: toUtcIso(at),
        staleBefore: toUtcIso(claimLapsedBefore(at)),
        prospectVersion: bundle.prospect.version,
        rep,
        ...(address ? { unsuppressed: address } : {}),
      });
    let claim = await claimAt(deps.clock.now());
    for (let retry = 1; !claim.claimed && claim.moved.length === 0 && retry <= CONFLICT_RETRIES; retry++) {
      // Refused with nothing moved: another transaction held one of its items in that instant (on
      // DynamoDB, most often another touch of the same rep being claimed beside it). What it checks
      // still holds, so the same claim goes again after a short jittered wait, without reading and
      // rendering again.
      await deps.clock.sleep(CONFLICT_BACKOFF_MS * 2 ** (retry - 1) * (0.5 + Math.random()));
      claim = await claimAt(deps.clock.now());
    }
    if (!claim.claimed) {
      if (claim.moved.includes('touch')) {
        if (!claim.current) return noSuchTouch(payload);
        const gone = await refusal(deps, claim.current, payload);
        if (gone) return gone;
      }
      if (claim.moved.includes('rep')) deps.reps?.forget(payload.repId);
      if (claim.suppression) listed = claim.suppression;
      if (read >= MAX_READS) throw new TouchBusyError(payload.touchId);
      continue;
    }
    const claimed = claim.claimed;

    if (prepared.channel === 'none') return finish(deps, claimed, prepared.status, prepared.reason);
    // An email prepared as an SMS's fallback carries that SMS's failure.
    const going = prepared.channel === 'email' ? { ...prepared.touch, claimedAt: claimed.claimedAt } : claimed;
    // Wall time, as Lambda's timeout is: the lease holds against other deliveries' clocks.
    const signal = AbortSignal.timeout(SEND_CUTOFF_MS);
    try {
      if (prepared.channel === 'sms') return await deliverSms(deps, going, prepared, rep, bundle, signal);
      return await deliverEmail(deps, going, prepared, signal);
    } catch (error) {
      return failed(deps, going, error);
    }
  }
}

/**
 * A touch whose prospect or rep no longer exists: claimed alone (nothing to check it against),
 * then failed with that reason, so it does not linger as scheduled.
 */
async function orphan(deps: FireDeps, payload: FirePayload): Promise<FireResult> {
  const now = deps.clock.now();
  const ref = { repId: payload.repId, prospectId: payload.prospectId, id: payload.touchId, dueAt: payload.dueAt };
  const { claimed, current } = await deps.store.claimTouch(ref, toUtcIso(now), toUtcIso(claimLapsedBefore(now)));
  if (!claimed) return (current && (await refusal(deps, current, payload))) || noSuchTouch(payload);
  if (claimed.sesSent) return sentBefore(deps, claimed, claimed.sesSent);
  return finish(deps, claimed, 'failed', 'prospect or rep no longer exists');
}

function noSuchTouch(payload: FirePayload): FireResult {
  return { result: 'ignored', touchId: payload.touchId, reason: 'no such touch' };
}

/**
 * Why this delivery sends nothing (the touch done or moved, or sent by an earlier delivery, which
 * it then marks), or throws while another holds it.
 */
async function refusal(deps: FireDeps, touch: Touch, payload: FirePayload): Promise<FireResult | undefined> {
  if (touch.status !== 'scheduled') return { result: 'ignored', touchId: touch.id, reason: `touch is ${touch.status}` };
  if (payload.dueAt && payload.dueAt !== touch.dueAt) return { result: 'ignored', touchId: touch.id, reason: 'touch was rescheduled; this delivery is stale' };
  // A schedule moved earlier behind the system's back: nothing goes out early. The touch stays
  // scheduled without a schedule (this one-time schedule is spent), and the sweep delivers it.
  if (firedEarly(touch, deps.clock.now())) {
    deps.logger.warn('delivery came before its touch was due: sent nothing, the sweep delivers it', { touchId: touch.id, kind: touch.kind, dueAt: touch.dueAt });
    return { result: 'ignored', touchId: touch.id, reason: 'delivery came before the touch was due; the sweep delivers it' };
  }
  // A delivery that sent the email and could not mark it (or died doing so): SES's Send event says
  // it went out, so it is marked now, without waiting for that delivery's claim to lapse.
  if (touch.sesSent) return sentBefore(deps, touch, touch.sesSent);
  // Another delivery holds a fresh claim. Fail so the invocation is retried: if that delivery
  // died mid-way, a retry after the claim goes stale takes the touch over.
  if (claimHeld(touch, deps.clock.now())) throw new TouchBusyError(touch.id);
  return undefined;
}

/** The rules that hold at send time, then the message as it will go: rendered for `now`, the moment it is sent. */
async function prepare(deps: FireDeps, touch: Touch, rep: Rep, bundle: ProspectBundle, now: Date, listed: Suppression | undefined): Promise<Prepared> {
  if (touch.recipient === 'prospect') {
    const block: SkipReason | undefined = prospectEmailBlock({ touch, prospect: bundle.prospect, touches: bundle.touches, listed, now }, deps.planner);
    if (block) return { channel: 'none', status: 'skipped', reason: block.message };
  }
  // The rep's channel as it is now: a rep who switched to email since the plan gets email.
  if (touch.kind === 'rep_reminder' && rep.reminderChannel === 'sms') {
    const failure = !deps.sms ? 'no SMS channel is configured' : !rep.phone ? 'the rep has no phone number' : undefined;
    if (!failure) {
      const sms = renderSms(messageInput(touch, bundle, rep, now, await linksFor(deps, touch, bundle.prospect, now)), deps.library);
      // The script is in the sheet the SMS links to: record it as an email reminder records its own.
      const template = sms.voicemailTemplate ? `${sms.template} + ${sms.voicemailTemplate}` : sms.template;
      return { channel: 'sms', sms: { to: rep.phone!, body: sms.body, context: { touch: touch.id } }, template, variant: sms.variant ?? null };
    }
    return prepareEmail(deps, withFailedSms(touch, now, failure), rep, bundle, now);
  }
  return prepareEmail(deps, touch, rep, bundle, now);
}

async function linksFor(deps: FireDeps, touch: Touch, prospect: Prospect, now: Date): Promise<{ sheet?: string; unsubscribe?: string; page?: string }> {
  if (touch.recipient === 'prospect') return { unsubscribe: await deps.links.unsubscribeUrl(prospect) };
  if (touch.kind === 'rep_reminder') return { sheet: await deps.links.sheetUrl(touch, now) };
  if (touch.kind === 'rep_notice') return { page: deps.links.prospectPageUrl(prospect) };
  return {};
}

async function prepareEmail(deps: FireDeps, touch: Touch, rep: Rep, bundle: ProspectBundle, now: Date): Promise<Prepared & { channel: 'email' }> {
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
  // A reminder records the script variant its sheet spoke, which a voicemail then credits.
  return { channel: 'email', email, template: rendered.template, touch, ...(touch.kind === 'rep_reminder' ? { variant: rendered.variant ?? null } : {}) };
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

async function deliverEmail(deps: FireDeps, touch: Touch, prepared: Prepared & { channel: 'email' }, signal: AbortSignal): Promise<FireResult> {
  const { messageId } = await deps.mailer.send(prepared.email, { signal });
  return sent(deps, touch, 'email', messageId, prepared.template, prepared.email.subject, prepared.variant);
}

/**
 * The reminder by SMS: short, with a signed link to the full sheet. When sending fails it goes by
 * email instead, and the touch records both attempts.
 */
async function deliverSms(deps: FireDeps, touch: Touch, prepared: Prepared & { channel: 'sms' }, rep: Rep, bundle: ProspectBundle, signal: AbortSignal): Promise<FireResult> {
  let failure: string;
  try {
    const { messageId } = await deps.sms!.send(prepared.sms, { signal });
    return await sent(deps, touch, 'sms', messageId, prepared.template, undefined, prepared.variant);
  } catch (error) {
    // Sent, only not marked: an email now would be a second reminder.
    if (error instanceof SentNotMarkedError) throw error;
    failure = `${(error as Error).name ?? 'Error'}: ${(error as Error).message ?? String(error)}`.slice(0, 300);
    deps.logger.warn('SMS failed; falling back to email', { touchId: touch.id, error: failure });
  }
  const now = deps.clock.now();
  const fallback = withFailedSms(touch, now, failure);
  try {
    return await deliverEmail(deps, fallback, await prepareEmail(deps, fallback, rep, bundle, now), signal);
  } catch (error) {
    return failed(deps, fallback, error);
  }
}

function withFailedSms(touch: Touch, at: Date, error: string): Touch {
  return { ...touch, deliveries: [...(touch.deliveries ?? []), { at: toUtcIso(at), channel: 'sms', ok: false, error }] };
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
  // One write, no read back: the claim made this delivery the only one.
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

/**
 * Retrying cannot help, so no retry will reach the sweep's on-failure path that tells the rep: the
 * notice is added here first (once, by its id), the touch ends failed, and the notice goes at once
 * through this same path; if it cannot, it waits as an overdue touch for the sweep.
 */
async function refusedForGood(deps: FireDeps, touch: Touch, reason: string): Promise<FireResult> {
  const notice = await addFailureNotice(deps, { ...touch, reason });
  const result = await finish(deps, touch, 'failed', reason);
  if (notice) {
    try {
      await fireTouch(deps, firePayload(notice));
    } catch (error) {
      deps.logger.warn('the notice of a refused touch could not go now; the sweep sends it', { touchId: notice.id, error: String(error) });
    }
  }
  return result;
}

async function finish(deps: FireDeps, touch: Touch, status: 'skipped' | 'failed', reason: string): Promise<FireResult> {
  await deps.store.updateTouch(touch, { status, reason, claimedAt: null, deliveries: touch.deliveries });
  deps.logger.info(`touch ${status}`, { touchId: touch.id, kind: touch.kind, reason });
  return status === 'skipped' ? { result: 'skipped', touchId: touch.id, reason } : { result: 'ignored', touchId: touch.id, reason };
}

async function failed(deps: FireDeps, touch: Touch, error: unknown): Promise<FireResult> {
  if (error instanceof MailRejectedError) return refusedForGood(deps, touch, error.message);
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
