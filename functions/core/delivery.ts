/**
 * The rules checked when a touch falls due, apart from how it is sent: may this prospect email go
 * out now? Pure: the caller reads the prospect, their recent touches and the suppression list.
 */
import { DateTime } from 'luxon';
import type { CadencePlanner } from './cadence.js';
import { isQuietHour } from './calendar.js';
import type { Prospect, Touch } from './schemas.js';
import { ianaZone } from './time.js';

/** Why a touch was not sent: a stable code for programs and a sentence for the rep. */
export interface SkipReason {
  code: 'unsubscribed' | 'bounced' | 'complained' | 'no_email' | 'closed' | 'quiet_hours' | 'holiday' | 'over_budget' | 'not_active' | 'next_try_moved';
  message: string;
}

export interface ProspectEmailCheck {
  /** `kind` and `promiseAt` matter for the note after a voicemail. */
  touch: Pick<Touch, 'callbackAt'> & Partial<Pick<Touch, 'kind' | 'promiseAt'>>;
  prospect: Prospect;
  /** The prospect's touches (any status), to count what was sent lately. */
  touches: readonly Touch[];
  /** The address's entry on the global suppression list, if any. */
  listed?: { reason: 'unsubscribed' | 'bounced' | 'complained' };
  now: Date;
}

/** Why a prospect email must not go out now, or undefined when it may. */
export function prospectEmailBlock(check: ProspectEmailCheck, planner: CadencePlanner): SkipReason | undefined {
  const { prospect, now } = check;
  const { policy } = planner;
  const suppressed = prospect.emailSuppressed?.reason ?? check.listed?.reason;
  if (suppressed) return { code: suppressed, message: `the address is suppressed (${suppressed})` };
  if (!prospect.email) return { code: 'no_email', message: 'the prospect has no email address' };
  if (prospect.status === 'closed') return { code: 'closed', message: 'the prospect is closed' };
  if (check.touch.kind === 'voicemail_email') {
    const block = voicemailEmailBlock(check.touch, prospect);
    if (block) return block;
  }
  const local = DateTime.fromJSDate(now).setZone(ianaZone(prospect.timezone));
  if (isQuietHour(local, policy.quietHours)) {
    return { code: 'quiet_hours', message: `quiet hours in ${prospect.timezone} (${policy.quietHours.start}-${policy.quietHours.end})` };
  }
  // A holiday counts unless the prospect agreed to talk that very day.
  const agreedToday = check.touch.callbackAt && DateTime.fromISO(check.touch.callbackAt).setZone(ianaZone(prospect.timezone)).hasSame(local, 'day');
  if (!agreedToday && planner.isHoliday(local, prospect.country)) {
    return { code: 'holiday', message: `a public holiday in ${prospect.country}` };
  }
  const { max, days } = policy.prospectEmailBudget;
  const since = now.getTime() - days * 24 * 3600_000;
  const recent = check.touches.filter((t) => t.recipient === 'prospect' && t.status === 'sent' && t.sentAt && Date.parse(t.sentAt) > since);
  if (recent.length >= max) {
    return { code: 'over_budget', message: `over the touch budget: ${recent.length} prospect emails in the last ${days} days (at most ${max})` };
  }
  return undefined;
}

/**
 * The note after a voicemail names the next try: it goes only while the cadence runs and that try
 * stands. When the rep moved the try (or a later outcome replanned it) the note is skipped rather
 * than sent with a time that no longer holds, or with a new time the voicemail did not promise.
 */
function voicemailEmailBlock(touch: Partial<Pick<Touch, 'promiseAt'>>, prospect: Prospect): SkipReason | undefined {
  if (prospect.status !== 'active') return { code: 'not_active', message: `the prospect's cadence is ${prospect.status}` };
  if (touch.promiseAt && prospect.attemptDueAt !== touch.promiseAt) {
    return { code: 'next_try_moved', message: 'the next try it names was moved, so it would promise a time that no longer holds' };
  }
  return undefined;
}
