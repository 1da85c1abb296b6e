/**
 * What the templates need for a touch, gathered from the prospect's records: shared by firing,
 * previews and sheets so all three render the same words.
 */
import type { MessageInput } from './messages.js';
import type { Call, Rep, Touch } from './schemas.js';

export interface ProspectRecords {
  prospect: MessageInput['prospect'];
  /** Oldest first. */
  calls: Call[];
  touches: Touch[];
}

export type TouchForMessage = Pick<Touch, 'kind' | 'callId' | 'dueAt' | 'attempt' | 'promiseAt' | 'notice' | 'callbackAt' | 'recipient'> & Pick<Partial<Touch>, 'about'>;

function isConversation(call: Call): boolean {
  return call.outcome === 'callback_agreed' || call.outcome === 'stalled';
}

export function messageInput(
  touch: TouchForMessage,
  records: ProspectRecords,
  rep: Rep,
  now: Date,
  links: { sheet?: string; unsubscribe?: string } = {},
): MessageInput {
  const call = records.calls.find((c) => c.id === touch.callId) ?? records.calls.at(-1);
  const lastConversation = [...records.calls].reverse().find((c) => isConversation(c));
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
    resent: resend ? { at: resend.sentAt ?? resend.dueAt, titles: call?.materials.map((m) => m.title) ?? [] } : undefined,
    now,
    links: {
      sheet: links.sheet,
      unsubscribe: touch.recipient === 'prospect' ? links.unsubscribe : undefined,
    },
  };
}
