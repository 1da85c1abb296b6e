/**
 * A rep, a prospect and their last call, as the message tests render them: Ann Rep in New York
 * calls Dana Buyer; the reminder is due Wednesday 25 November 2026 at 21:00 UTC and its voicemail
 * promises Thursday 16:00 UTC. Five countries give the same prospect another zone and number.
 */
import type { MessageInput } from '../../functions/core/messages.js';
import type { Call, Prospect, Rep, StallReason, TouchKind } from '../../functions/core/schemas.js';
import { STALL_REASONS } from '../../functions/core/schemas.js';

export const KNOWN_HOT_BUTTONS = ['cost_savings', 'time_savings', 'uptime', 'quality', 'risk_compliance', 'growth', 'ease_of_use', 'service'] as const;
export const HOT_BUTTON_CASES: (string | undefined)[] = [...KNOWN_HOT_BUTTONS, 'brand_image', undefined];
export const STALL_CASES: (StallReason | undefined)[] = [...STALL_REASONS, undefined];
export const PROMISE_AT = '2026-11-26T16:00:00Z'; // Thursday 10:00 AM in Chicago
export const SHEET_URL = `https://followthrough.example.com/sheet/t_01JDXYZ?exp=1764108000&sig=${'A1b2C3d4'.repeat(10)}`.slice(0, 120);
export const UNSUBSCRIBE_URL = 'https://followthrough.example.com/u/abc';

/** The same prospect in five countries, with how the promise time and the rep's number must read there. */
export const COUNTRIES = [
  { country: 'US', timezone: 'America/Chicago', phone: '+15557654321', zone: 'CST', clock: '10:00 AM CST', repNumber: '(555) 123-0000', repSpoken: '555 123 0000' },
  { country: 'GB', timezone: 'Europe/London', phone: '+447700900123', zone: 'GMT', clock: '4:00 PM GMT', repNumber: '+1 555 123 0000', repSpoken: '+1 555 123 0000' },
  { country: 'DE', timezone: 'Europe/Berlin', phone: '+4930901820', zone: 'CET', clock: '5:00 PM CET', repNumber: '+1 555 123 0000', repSpoken: '+1 555 123 0000' },
  { country: 'IN', timezone: 'Asia/Kolkata', phone: '+919876543210', zone: 'IST', clock: '9:30 PM IST', repNumber: '+1 555 123 0000', repSpoken: '+1 555 123 0000' },
  { country: 'AU', timezone: 'Australia/Sydney', phone: '+61491570156', zone: 'AEDT', clock: '3:00 AM AEDT', repNumber: '+1 555 123 0000', repSpoken: '+1 555 123 0000' },
] as const;

export function rep(overrides: Partial<Rep> = {}): Rep {
  return {
    id: 'rep-1',
    name: 'Ann Rep',
    email: 'ann@example.com',
    phone: '+15551230000',
    timezone: 'America/New_York',
    reminderChannel: 'sms',
    company: 'Brightline Pumps',
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

export function prospect(overrides: Partial<Prospect> = {}): Prospect {
  return {
    id: 'dana',
    repId: 'rep-1',
    name: 'Dana Buyer',
    company: 'Acme Plant',
    email: 'dana@example.com',
    phone: '+15557654321',
    timezone: 'America/Chicago',
    country: 'US',
    hotButtons: [],
    status: 'active',
    attempts: 1,
    version: 3,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

export function call(overrides: Partial<Call> = {}): Call {
  return {
    id: 'call-1',
    prospectId: 'dana',
    repId: 'rep-1',
    outcome: 'callback_agreed',
    at: '2026-11-23T16:00:00Z',
    callbackAt: '2026-11-25T21:00:00Z',
    hotButtons: [],
    discussed: 'Line 3 stops twice a week; the service plan presented',
    whatHappensNext: 'Dana reviews the quote with the plant manager',
    decisionMakers: ['Dana', 'Lee (plant manager)'],
    materials: [{ title: 'Quote Q-1042', url: 'https://example.com/q-1042' }],
    notes: 'Prefers mornings',
    sendRecap: true,
    recordedAt: '2026-11-23T16:05:00Z',
    ...overrides,
  };
}

export interface InputOptions {
  kind?: TouchKind;
  hotButton?: string;
  /** A second hot button, mentioned briefly. */
  second?: string;
  stall?: StallReason;
  promise?: boolean;
  attempt?: number;
  variant?: string;
  rep?: Partial<Rep>;
  prospect?: Partial<Prospect>;
  call?: Partial<Call>;
}

export function input(options: InputOptions): MessageInput {
  const conversation = call({
    outcome: options.stall ? 'stalled' : 'callback_agreed',
    stallReason: options.stall,
    hotButtons: [options.hotButton, options.second].filter((hb): hb is string => Boolean(hb)),
    ...options.call,
  });
  return {
    kind: options.kind ?? 'rep_reminder',
    rep: rep(options.rep),
    prospect: prospect(options.prospect),
    call: conversation,
    lastConversation: conversation,
    dueAt: '2026-11-25T21:00:00Z',
    attempt: options.attempt ?? 2,
    promiseAt: options.promise === false ? null : PROMISE_AT,
    notice: options.kind === 'rep_notice' ? 'cadence_exhausted' : undefined,
    callbackAt: '2026-11-25T21:00:00Z',
    resent: { at: '2026-11-25T20:50:00Z', titles: ['Quote Q-1042'] },
    now: new Date('2026-11-25T21:00:00Z'),
    links: { sheet: SHEET_URL, unsubscribe: UNSUBSCRIBE_URL },
    ...(options.variant ? { scriptVariant: options.variant } : {}),
  };
}

/** Marks of a template that went wrong: markup left over, missing values, doubled spaces or stray punctuation. */
export function problems(text: string): string[] {
  const found: string[] = [];
  if (/\{\{|\}\}/.test(text)) found.push('markup left over');
  if (/\bundefined\b|\bnull\b|\[object Object\]/.test(text)) found.push('a missing value printed');
  if (/ {2,}| [.,;?]|\.\.(?!\.)|\?\./.test(text)) found.push('doubled space or stray punctuation');
  return found;
}

/**
 * Seconds to say `text` at 150 words a minute, a calm voicemail pace. Read as a person reads it:
 * a phone number digit by digit ("+1" is "plus one"), a clock time as one word on the hour and two
 * otherwise, and an abbreviation letter by letter ("PM", "CET").
 */
export function speakingSeconds(text: string, wordsPerMinute = 150): number {
  let words = 0;
  for (const raw of text.split(/\s+/)) {
    const token = raw.replace(/^[("]+|[.,;:?!)"]+$/g, '');
    if (!token) continue;
    if (/^\+?\d+$/.test(token)) words += token.replace('+', '').length + (token.startsWith('+') ? 1 : 0);
    else if (/^\d{1,2}:\d{2}$/.test(token)) words += token.endsWith(':00') ? 1 : 2;
    else if (/^[A-Z]{2,5}$/.test(token)) words += token.length;
    else words += 1;
  }
  return (words / wordsPerMinute) * 60;
}
