/**
 * What the templates need for a touch, gathered from the prospect's records: shared by firing,
 * previews and sheets so all three render the same words.
 */
import type { MessageInput } from './messages.js';
import type { Call, Prospect, Rep, StallReason, Touch } from './schemas.js';

export interface ProspectRecords {
  prospect: MessageInput['prospect'];
  /** Oldest first. */
  calls: Call[];
  touches: Touch[];
}

export type TouchForMessage = Pick<Touch, 'kind' | 'callId' | 'dueAt' | 'attempt' | 'promiseAt' | 'notice' | 'callbackAt' | 'recipient' | 'scriptVariant'> & Pick<Partial<Touch>, 'about'>;

function isConversation(call: Call): boolean {
  return call.outcome === 'callback_agreed' || call.outcome === 'stalled';
}

/** The last call where the rep reached the prospect, of calls oldest first. */
export function lastConversationOf(calls: readonly Call[]): Call | undefined {
  return [...calls].reverse().find((c) => isConversation(c));
}

/**
 * The hot buttons (the call's first) and the stall a message's scripts speak to. Rendering
 * (messages.ts viewModel) and choosing a reminder's variant at planning both read them here, so
 * the variant chosen is one of the family the reminder's script is composed from.
 */
export function scriptKeys(
  call: Call | undefined,
  lastConversation: Call | undefined,
  prospect: Pick<Prospect, 'hotButtons'>,
): { hotButtons: string[]; stallReason?: StallReason } {
  const convo = lastConversation ?? call;
  const stallReason = convo?.outcome === 'stalled' ? convo.stallReason : undefined;
  return { hotButtons: [...new Set([...(call?.hotButtons ?? []), ...prospect.hotButtons])], ...(stallReason ? { stallReason } : {}) };
}

export function messageInput(
  touch: TouchForMessage,
  records: ProspectRecords,
  rep: Rep,
  now: Date,
  links: { sheet?: string; unsubscribe?: string; page?: string } = {},
): MessageInput {
  const call = records.calls.find((c) => c.id === touch.callId) ?? records.calls.at(-1);
  const lastConversation = lastConversationOf(records.calls);
  const resend = records.touches.find((t) => t.callId === call?.id && t.kind === 'resend_materials' && t.status === 'sent');
  return {
    kind: touch.kind,
    rep,
    prospect: records.prospect,
    call,
    lastConversation,
    dueAt: touch.dueAt,
    attempt: touch.attempt,
    promiseAt: touch.promiseAt,
    notice: touch.notice,
    ...(touch.about ? { about: touch.about } : {}),
    callbackAt: touch.callbackAt,
    ...(touch.scriptVariant ? { scriptVariant: touch.scriptVariant } : {}),
    resent: resend ? { at: resend.sentAt ?? resend.dueAt, titles: call?.materials.map((m) => m.title) ?? [] } : undefined,
    now,
    links: {
      sheet: links.sheet,
      unsubscribe: touch.recipient === 'prospect' ? links.unsubscribe : undefined,
      page: touch.kind === 'rep_notice' ? links.page : undefined,
    },
  };
}
