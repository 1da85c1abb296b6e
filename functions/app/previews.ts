/**
 * Previews (any touch kind rendered for a prospect now, with its template's name) and the
 * call-prep sheet behind the signed link an SMS reminder carries.
 */
import { DateTime } from 'luxon';
import type { CadencePlanner } from '../core/cadence.js';
import { NotFoundError, UnprocessableError, ValidationError } from '../core/errors.js';
import { renderEmail, renderSms, renderVoicemail } from '../core/messages.js';
import type { Touch, TouchKind } from '../core/schemas.js';
import type { TemplateLibrary } from '../core/templates.js';
import { toUtcIso } from '../core/time.js';
import type { Clock } from '../ports.js';
import { messageInput, type LinkBuilder } from './fire.js';
import { html, type Router } from './http.js';
import { SignedLinks, type SignerSource } from './links.js';
import type { ProspectBundle, Store } from './store.js';

export const PREVIEW_KINDS = ['voicemail', 'rep_reminder', 'resend_materials', 'recap', 'final_email', 'rep_notice', 'sms'] as const;
type PreviewKind = (typeof PREVIEW_KINDS)[number];

export interface PreviewDeps {
  store: Store;
  library: TemplateLibrary;
  planner: CadencePlanner;
  clock: Clock;
  signer?: SignerSource;
  links?: LinkBuilder;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function registerPreviews(router: Router, deps: PreviewDeps) {
  router.on('GET', '/v1/prospects/{id}/preview', async (ctx) => {
    const repId = ctx.repId();
    const kind = ctx.query.kind as PreviewKind | undefined;
    if (!kind || !PREVIEW_KINDS.includes(kind)) {
      throw new ValidationError('kind is missing or unknown', [{ path: 'kind', message: `Use one of ${PREVIEW_KINDS.join(', ')}` }]);
    }
    const bundle = await deps.store.getProspectBundle(repId, ctx.params.id!);
    if (!bundle) throw new NotFoundError(`Prospect ${ctx.params.id}`);
    const rep = await deps.store.getRep(repId);
    if (!rep) throw new UnprocessableError('rep_profile_missing', 'Create your rep profile first with PUT /v1/reps/me');
    const now = deps.clock.now();
    const touchKind: TouchKind = kind === 'voicemail' || kind === 'sms' ? 'rep_reminder' : kind;
    const links = deps.links ?? (deps.signer ? new SignedLinks(await deps.signer(), ctx.baseUrl()) : undefined);
    const input = messageInput(previewTouch(touchKind, bundle, deps.planner, now), bundle, rep, now, links);
    if (kind === 'voicemail') return { body: renderVoicemail(input, deps.library) };
    if (kind === 'sms') {
      const sms = renderSms(input, deps.library);
      return { body: { text: sms.body, template: sms.template, segments: sms.segments, encoding: sms.encoding } };
    }
    const email = renderEmail(input, deps.library);
    return { body: { subject: email.subject, text: email.text, html: email.html, template: email.template } };
  });

  if (!deps.signer) return;
  const signer = deps.signer;
  router.on('GET', '/v1/sheets/{token}', async (ctx) => {
    const now = deps.clock.now();
    const claim = (await signer()).verifySheet(ctx.params.token!, now);
    const notValid = () =>
      html(400, page('This link has expired', '<p>Sheet links work for a week. Your reminders by email carry the same sheet, and <code>GET /v1/prospects/{id}/preview?kind=rep_reminder</code> renders it now.</p>'));
    if (!claim) return notValid();
    const [touch, bundle, rep] = await Promise.all([
      deps.store.getTouch(claim.repId, claim.prospectId, claim.touchId),
      deps.store.getProspectBundle(claim.repId, claim.prospectId),
      deps.store.getRep(claim.repId),
    ]);
    if (!touch || !bundle || !rep) return notValid();
    const email = renderEmail(messageInput(touch, bundle, rep, now), deps.library);
    return html(200, page(email.subject, email.html), { 'x-robots-tag': 'noindex' });
  });
}

/** The touch a preview renders: the pending one of that kind, or one as if it were due now. */
function previewTouch(kind: TouchKind, bundle: ProspectBundle, planner: CadencePlanner, now: Date): Pick<Touch, 'kind' | 'callId' | 'dueAt' | 'attempt' | 'promiseAt' | 'notice' | 'callbackAt' | 'recipient'> {
  const pending = bundle.touches.find((t) => t.kind === kind && t.status === 'scheduled');
  if (pending) return pending;
  const { prospect } = bundle;
  const attempt = prospect.attempts + 1;
  const promise = kind === 'rep_reminder' ? planner.promiseAfter(DateTime.fromJSDate(now), attempt, prospect, DateTime.fromJSDate(now)) : null;
  return {
    kind,
    callId: prospect.lastCallId ?? '',
    dueAt: toUtcIso(now),
    recipient: kind === 'rep_reminder' || kind === 'rep_notice' ? 'rep' : 'prospect',
    ...(kind === 'rep_reminder' ? { attempt, promiseAt: promise ? toUtcIso(promise) : null } : {}),
    ...(kind === 'rep_notice' ? { notice: 'cadence_exhausted' } : {}),
    ...(prospect.callbackAt ? { callbackAt: prospect.callbackAt } : {}),
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title></head>
<body style="max-width:44rem;margin:1.5rem auto;padding:0 1rem">${body}</body></html>`;
}
