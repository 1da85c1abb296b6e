/** The call-prep sheet behind the signed link an SMS reminder carries; no sign-in needed. */
import { messageInput } from '../core/message-input.js';
import { renderEmail } from '../core/messages.js';
import type { UseCaseDeps } from './deps.js';
import { senderFields, type Sender } from './unsubscribe.js';

/** `rep`: who the sheet is for (the page says so). */
export type Sheet = { found: false } | { found: true; title: string; html: string; text: string; rep: Sender };

export async function openSheet(deps: Pick<UseCaseDeps, 'store' | 'clock' | 'library' | 'links'>, token: string): Promise<Sheet> {
  const now = deps.clock.now();
  const claim = await deps.links.verifySheet(token, now);
  if (!claim) return { found: false };
  const [touch, bundle, rep] = await Promise.all([
    deps.store.getTouch(claim.repId, claim.prospectId, claim.touchId),
    deps.store.getProspectBundle(claim.repId, claim.prospectId),
    deps.store.getRep(claim.repId),
  ]);
  if (!touch || !bundle || !rep) return { found: false };
  const email = renderEmail(messageInput(touch, bundle, rep, now), deps.library);
  return { found: true, title: email.subject, html: email.html, text: email.text, rep: senderFields(rep) };
}
