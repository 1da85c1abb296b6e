/**
 * A preview: any touch kind rendered for a prospect now, with its template's name. It renders the
 * pending touch of that kind when there is one, else one as if it were due now.
 */
import { DateTime } from 'luxon';
import type { CadencePlanner } from '../core/cadence.js';
import { NotFoundError, RuleError } from '../core/errors.js';
import { messageInput, type TouchForMessage } from '../core/message-input.js';
import { renderEmail, renderSms, renderVoicemail } from '../core/messages.js';
import type { TouchKind } from '../core/schemas.js';
import type { SmsEncoding } from '../core/sms-text.js';
import { toUtcIso } from '../core/time.js';
import type { ProspectBundle } from '../ports/store.js';
import type { UseCaseDeps } from './deps.js';

export const PREVIEW_KINDS = ['voicemail', 'rep_reminder', 'resend_materials', 'recap', 'final_email', 'rep_notice', 'sms', 'voicemail_email'] as const;
export type PreviewKind = (typeof PREVIEW_KINDS)[number];

export type Preview =
  | { kind: 'voicemail'; text: string; template: string; variant: string | null; lines: string[] }
  | { kind: 'sms'; text: string; template: string; segments: number; encoding: SmsEncoding }
  | { kind: Exclude<PreviewKind, 'voicemail' | 'sms'>; subject: string; text: string; html: string; template: string };

export interface PreviewInput {
  repId: string;
  prospectId: string;
  kind: PreviewKind;
  /** The address the request came in on: links in the preview point there. */
  baseUrl?: string;
}

export async function renderPreview(deps: Pick<UseCaseDeps, 'store' | 'clock' | 'planner' | 'library' | 'links'>, input: PreviewInput): Promise<Preview> {
  const [bundle, rep] = await Promise.all([deps.store.getProspectBundle(input.repId, input.prospectId), deps.store.getRep(input.repId)]);
  if (!bundle) throw new NotFoundError(`Prospect ${input.prospectId}`);
  if (!rep) throw new RuleError('rep_profile_missing', 'Create your rep profile first, so messages can be written in your name');
  const now = deps.clock.now();
  const touchKind: TouchKind = input.kind === 'voicemail' || input.kind === 'sms' ? 'rep_reminder' : input.kind;
  const pending = bundle.touches.find((t) => t.kind === touchKind && t.status === 'scheduled');
  const touch = pending ?? previewTouch(touchKind, bundle, deps.planner, now);
  // A sheet link needs a touch to point at: only a pending reminder has one.
  const links = {
    ...(touch.recipient === 'prospect' ? { unsubscribe: await deps.links.unsubscribeUrl(bundle.prospect, input.baseUrl) } : {}),
    ...(pending?.kind === 'rep_reminder' ? { sheet: await deps.links.sheetUrl(pending, now, input.baseUrl) } : {}),
    ...(touch.kind === 'rep_notice' ? { page: deps.links.prospectPageUrl(bundle.prospect, input.baseUrl) } : {}),
  };
  const message = messageInput(touch, bundle, rep, now, links);
  if (input.kind === 'voicemail') return { kind: 'voicemail', ...renderVoicemail(message, deps.library) };
  if (input.kind === 'sms') {
    const sms = renderSms(message, deps.library);
    return { kind: 'sms', text: sms.body, template: sms.template, segments: sms.segments, encoding: sms.encoding };
  }
  const email = renderEmail(message, deps.library);
  return { kind: input.kind, subject: email.subject, text: email.text, html: email.html, template: email.template };
}

/**
 * A touch of that kind as if it were due now. A note after a voicemail (left now, on this attempt)
 * names the prospect's next try when one is planned ahead, else the one the planner would set.
 */
function previewTouch(kind: TouchKind, bundle: ProspectBundle, planner: CadencePlanner, now: Date): TouchForMessage {
  const { prospect } = bundle;
  const attempt = prospect.attempts + 1;
  const at = DateTime.fromJSDate(now);
  const promise = kind === 'rep_reminder' || kind === 'voicemail_email' ? planner.promiseAfter(at, attempt, prospect, at) : null;
  const planned = prospect.attemptDueAt && Date.parse(prospect.attemptDueAt) > now.getTime() ? prospect.attemptDueAt : undefined;
  return {
    kind,
    callId: prospect.lastCallId ?? '',
    dueAt: toUtcIso(now),
    recipient: kind === 'rep_reminder' || kind === 'rep_notice' ? 'rep' : 'prospect',
    ...(kind === 'rep_reminder' ? { attempt, promiseAt: promise ? toUtcIso(promise) : null } : {}),
    ...(kind === 'voicemail_email' ? { attempt, promiseAt: planned ?? (promise ? toUtcIso(promise) : null) } : {}),
    ...(kind === 'rep_notice' ? { notice: 'cadence_exhausted' } : {}),
    ...(prospect.callbackAt ? { callbackAt: prospect.callbackAt } : {}),
  };
}
