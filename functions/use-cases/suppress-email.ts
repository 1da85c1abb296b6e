/**
 * Stops prospect-facing email to an address: on the suppression list for good, the prospect
 * marked, their pending prospect emails cancelled and the rep told. Rep reminders go on. Doing it
 * again changes nothing and tells nobody twice.
 */
import { repNotice } from '../core/outcome.js';
import type { Prospect } from '../core/schemas.js';
import { toUtcIso } from '../core/time.js';
import type { UseCaseDeps } from './deps.js';
import { newId } from './support/ids.js';
import { backOffOrThrow } from './support/retry.js';
import { applySchedules } from './support/schedules.js';

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained';

export interface SuppressEmailInput {
  repId: string;
  prospectId: string;
  email: string;
  reason: SuppressionReason;
}

export interface SuppressEmailResult {
  suppressed: true;
  /** False when the address was suppressed already. */
  changed: boolean;
  cancelled: number;
}

export async function suppressEmail(
  deps: Pick<UseCaseDeps, 'store' | 'scheduler' | 'clock' | 'logger'>,
  input: SuppressEmailInput,
): Promise<SuppressEmailResult> {
  const email = input.email.trim().toLowerCase();
  const nowIso = toUtcIso(deps.clock.now());
  const added = await deps.store.addSuppression({ email, reason: input.reason, at: nowIso, repId: input.repId, prospectId: input.prospectId });
  for (let attempt = 1; ; attempt++) {
    const bundle = await deps.store.getProspectBundle(input.repId, input.prospectId);
    if (!bundle) return { suppressed: true, changed: added, cancelled: 0 };
    const { prospect } = bundle;
    if (prospect.email?.toLowerCase() !== email || prospect.emailSuppressed) return { suppressed: true, changed: added, cancelled: 0 };
    const cancel = bundle.touches.filter((t) => t.status === 'scheduled' && t.recipient === 'prospect');
    const next: Prospect = { ...prospect, emailSuppressed: { reason: input.reason, at: nowIso }, version: prospect.version + 1, updatedAt: nowIso };
    const notice = repNotice(prospect, input.reason, nowIso, newId());
    try {
      await deps.store.commitOutcome({
        prospect: next,
        expectedVersion: prospect.version,
        newTouches: [notice],
        cancelTouches: cancel.map((touch) => ({ touch, reason: `the address ${input.reason}` })),
      });
    } catch (error) {
      await backOffOrThrow(error, attempt);
      continue;
    }
    await applySchedules(deps, [notice], cancel);
    deps.logger.info('email suppressed', { repId: prospect.repId, prospectId: prospect.id, reason: input.reason, cancelled: cancel.length });
    return { suppressed: true, changed: true, cancelled: cancel.length };
  }
}
