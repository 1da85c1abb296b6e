/** The call-prep sheet behind the signed link an SMS reminder carries; no sign-in needed. */
import { messageInput } from '../core/message-input.js';
import { renderEmail } from '../core/messages.js';
import type { UseCaseDeps } from './deps.js';
import { senderFields, type Sender } from './unsubscribe.js';

/**
 * `rep`: who the sheet is for (the page says so). Not found: the link is `invalid` (altered, or not
 * ours), `expired`, or genuine but its reminder, prospect or rep is `gone`.
 */
export type Sheet =
  | { found: false; problem: 'invalid' | 'expired' | 'gone' }
  | { found: true; title: string; html: string; text: string; rep: Sender };

export async function openSheet(deps: Pick<UseCaseDeps, 'store' | 'clock' | 'library' | 'links'>, token: string): Promise<Sheet> {
  const now = deps.clock.now();
  const check = await deps.links.checkSheet(token, now);
  if ('problem' in check) return { found: false, problem: check.problem };
  const { claim } = check;
  const [touch, bundle, rep] = await Promise.all([
    deps.store.getTouch(claim.repId, claim.prospectId, claim.touchId),
    deps.store.getProspectBundle(claim.repId, claim.prospectId),
    deps.store.getRep(claim.repId),
  ]);
  if (!touch || !bundle || !rep) return { found: false, problem: 'gone' };
  const email = renderEmail(messageInput(touch, bundle, rep, now), deps.library);
  return { found: true, title: email.subject, html: email.html, text: email.text, rep: senderFields(rep) };
}
