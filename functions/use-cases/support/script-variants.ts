/**
 * Voicemail script variants around a call: choosing the variant each planned reminder's script
 * will use, which variant a voicemail left, and what the call adds to the team's counts.
 */
import { lastConversationOf, scriptKeys } from '../../core/message-input.js';
import type { OutcomeRecords } from '../../core/outcome.js';
import type { Call, Touch } from '../../core/schemas.js';
import { chooseScriptVariant, scriptFamily } from '../../core/script.js';
import { reachedProspect, variantEvents } from '../../core/variants.js';
import type { VariantCounts } from '../../core/variants.js';
import type { ProspectBundle, VariantCountUpdate } from '../../ports/store.js';
import type { UseCaseDeps } from '../deps.js';

/**
 * Sets `scriptVariant` on the reminders a call planned: Thompson sampling over the team's counts
 * for the family the prospect's hot buttons and stall select (read only when there is a choice).
 */
export async function chooseReminderVariants(
  deps: Pick<UseCaseDeps, 'store' | 'catalog' | 'planner' | 'random'>,
  team: string,
  records: OutcomeRecords,
  earlierCalls: readonly Call[],
  /** The team's counts when already being read (record-call starts that read beside the prospect's). */
  countsRead?: Promise<Record<string, VariantCounts> | undefined>,
): Promise<void> {
  const reminders = records.touches.filter((t) => t.kind === 'rep_reminder');
  if (!reminders.length) return;
  const { hotButtons, stallReason } = scriptKeys(records.call, lastConversationOf([...earlierCalls, records.call]), records.prospect);
  const family = scriptFamily(deps.catalog, hotButtons, stallReason);
  if (!family) return;
  const counts = family.variants.length > 1 ? ((await countsRead) ?? (await deps.store.getVariantCounts(team))) : {};
  for (const reminder of reminders) {
    const choice = chooseScriptVariant(deps.catalog, hotButtons, stallReason, counts, deps.planner.policy.scriptVariants, deps.random);
    if (choice) reminder.scriptVariant = choice.variant;
  }
}

/**
 * The reminder a call answers: the one the prospect's last call planned, as sent (or still
 * pending when the rep calls early). Its script is the one a voicemail left.
 */
export function answeredReminder(bundle: ProspectBundle): Touch | undefined {
  const { prospect, touches } = bundle;
  return touches.filter((t) => t.kind === 'rep_reminder' && t.callId === prospect.lastCallId && (t.status === 'sent' || t.status === 'scheduled')).at(-1);
}

/** The last voicemail left since the rep last reached the prospect, of calls oldest first. */
export function lastVoicemailSinceConversation(calls: readonly Call[]): Call | undefined {
  for (const call of [...calls].reverse()) {
    if (reachedProspect(call.outcome)) return undefined;
    if (call.outcome === 'voicemail') return call;
  }
  return undefined;
}

/**
 * What a recorded call adds to its team's counts: a voicemail uses the answered reminder's
 * variant (`call.scriptVariant`); a call that reaches the prospect credits the last voicemail's.
 * Each event is dated by the UTC day of the voicemail it is about.
 */
export function variantCountUpdate(team: string, call: Call, earlierCalls: readonly Call[]): VariantCountUpdate | undefined {
  const lastVoicemail = lastVoicemailSinceConversation(earlierCalls);
  const events = variantEvents(call.outcome, { reminderVariant: call.scriptVariant, lastVoicemailVariant: lastVoicemail?.scriptVariant });
  if (!events.length) return undefined;
  return { team, events: events.map((e) => ({ ...e, day: (e.count === 'used' ? call.at : lastVoicemail!.at).slice(0, 10) })) };
}
