/**
 * Input schemas for every edge (HTTP bodies, Scheduler payloads) and the domain types.
 * zod/mini keeps Lambda bundles small; the English locale gives messages a person can act on.
 */
import './zod-locale.js';
import * as z from 'zod/mini';
import { isValidZone } from './time.js';

export { OUTCOMES, STALL_REASONS, TOUCH_KINDS, TOUCH_STATUSES } from './constants.js';
export type { Outcome, StallReason, TouchKind, TouchStatus } from './constants.js';
import { OUTCOMES, STALL_REASONS, type Outcome, type StallReason, type TouchKind, type TouchStatus } from './constants.js';

/**
 * Text a person writes: trimmed, and refused when blank. The pattern (not only minLength after the
 * trim) puts "not blank" in the OpenAPI document too, so a validator refuses "   " as the server does.
 */
const text = (max: number) =>
  z.string().check(z.regex(/\S/, { message: 'Write something here: it cannot be empty or only spaces' }), z.trim(), z.maxLength(max));
const zone = z.string().check(
  z.refine(isValidZone, { message: 'Unknown time zone: use an IANA name such as America/New_York' }),
  z.describe('An IANA time zone name, for example America/New_York or Asia/Kathmandu'),
);
/**
 * A hot button is a short snake_case key ("cost_savings"); free text is folded to that shape, letters of any
 * script kept ("Qualität" stays "qualität", "コスト" stays "コスト", where an a-z fold made "qualit_t" and ""), and
 * text with no letter or digit refused. The pattern states that rule in the OpenAPI document too.
 */
const hotButton = z.pipe(
  z.string().check(
    z.regex(/[\p{L}\p{N}]/u, { message: 'Use words with letters or digits, for example cost_savings or "cost savings"' }),
    z.trim(),
    z.maxLength(60),
  ),
  z.transform((s) => s.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_+|_+$/g, '')),
);
const hotButtons = z.array(hotButton).check(
  z.maxLength(20),
  z.describe('What the prospect cares about, as snake_case keys ("cost_savings"); free text is folded to one, letters of any script kept'),
);
const phone = z.string().check(
  z.trim(),
  z.regex(/^\+[1-9]\d{6,14}$/, { message: 'Use E.164 format, for example +15551234567' }),
);
const email = z.email({ message: 'Invalid email address' });
const country = z.pipe(
  z.string().check(z.regex(/^[A-Za-z]{2}$/, { message: 'Use an ISO 3166-1 alpha-2 code such as US or GB' })),
  z.transform((s) => s.toUpperCase()),
);
/** Ids are path segments and key parts: keep them to a safe alphabet. */
export const idSchema = z.string().check(
  z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'Use 1-64 letters, digits, "-", "_" or "."' }),
);

/** Reps of one team learn together which voicemail scripts get called back. */
export const DEFAULT_TEAM = 'default';
const team = z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'Use 1-64 letters, digits, "-", "_" or ".", for example east-inside-sales' }));

export const RepInput = z.strictObject({
  name: text(200),
  email,
  phone: z.optional(phone),
  timezone: zone,
  reminderChannel: z.enum(['sms', 'email']),
  company: z.optional(text(200)),
  signature: z.optional(text(2000)),
  /** The team whose voicemail script counts this rep's calls add to and choose from; "default" when absent. */
  team: z.optional(team),
});
export type RepInput = z.infer<typeof RepInput>;

const prospectFields = {
  name: text(200),
  company: z.optional(text(200)),
  email: z.optional(email),
  phone: z.optional(phone),
  timezone: zone,
  country: z.optional(country),
  hotButtons: z.optional(hotButtons),
};

export const ProspectInput = z.strictObject({ id: z.optional(idSchema), ...prospectFields });
export type ProspectInput = z.infer<typeof ProspectInput>;

export const ProspectPatch = z.strictObject({
  name: z.optional(prospectFields.name),
  company: z.optional(z.nullable(text(200))),
  email: z.optional(z.nullable(email)),
  phone: z.optional(z.nullable(phone)),
  timezone: z.optional(zone),
  country: z.optional(z.nullable(country)),
  hotButtons: z.optional(hotButtons),
});
export type ProspectPatch = z.infer<typeof ProspectPatch>;

export const Material = z.strictObject({
  title: text(300),
  // The pattern says in the document what the protocol check says here: http or https, with a host.
  url: z.url({ protocol: /^https?$/, message: 'Use an http(s) link' }).check(z.regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\/[^\s/?#]/, { message: 'Use an http(s) link' })),
});
export type Material = z.infer<typeof Material>;

/**
 * A UTC offset as zones use them, -14:00 to +14:59: Luxon would read +99:99 as an offset of four days
 * and move the time by as much.
 */
export const UTC_OFFSET = '(?:Z|[+-](?:0\\d|1[0-4]):?[0-5]\\d)';

/** ISO-8601 with an offset or Z; wall times without offset are read in the prospect's zone later. */
const isoish = z.string().check(
  z.regex(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?${UTC_OFFSET}?$`), {
    message: 'Use ISO-8601, for example 2026-11-25T15:00:00-05:00 or a local wall time 2026-11-25T15:00',
  }),
  // A call or a follow-up lives in this century or the next: year 1 or 9999 is a typo, not a time to plan around.
  z.refine((s) => Number(s.slice(0, 4)) >= 2000 && Number(s.slice(0, 4)) <= 2199, { message: 'Use a year between 2000 and 2199' }),
);

export const CallInput = z.strictObject({
  outcome: z.enum(OUTCOMES),
  at: z.optional(isoish),
  callbackAt: z.optional(isoish),
  stallReason: z.optional(z.enum(STALL_REASONS)),
  hotButtons: z.optional(hotButtons),
  discussed: z.optional(text(4000)),
  whatHappensNext: z.optional(text(4000)),
  decisionMakers: z.optional(z.array(text(200)).check(z.maxLength(20))),
  materials: z.optional(z.array(Material).check(z.maxLength(20))),
  notes: z.optional(z.string().check(z.maxLength(10_000))),
  sendRecap: z.optional(z.boolean()),
  /** After a voicemail: whether the short note to the prospect goes out (default true). */
  sendEmail: z.optional(z.boolean()),
}).check(
  // Rules across fields: what each outcome cannot do without.
  z.superRefine((call, ctx) => {
    if (call.outcome === 'callback_agreed' && !call.callbackAt) {
      ctx.addIssue({ code: 'custom', path: ['callbackAt'], message: 'Required when the outcome is callback_agreed: give the agreed time, for example 2026-11-25T15:00:00-05:00' });
    }
    if (call.outcome === 'stalled' && !call.stallReason) {
      ctx.addIssue({ code: 'custom', path: ['stallReason'], message: 'Required when the outcome is stalled: say what the prospect is waiting on, for example waiting_on_customer' });
    }
  }),
);
export type CallInput = z.infer<typeof CallInput>;

export const TouchPatch = z.strictObject({ dueAt: isoish });

export { FirePayload } from './fire-payload.js';

// ---- stored domain records -------------------------------------------------------------

export interface Rep {
  id: string;
  name: string;
  email: string;
  phone?: string;
  timezone: string;
  reminderChannel: 'sms' | 'email';
  company?: string;
  signature?: string;
  /** Absent: DEFAULT_TEAM. */
  team?: string;
  createdAt: string;
  updatedAt: string;
}

export type ProspectStatus = 'active' | 'closed' | 'exhausted';

export interface Prospect {
  id: string;
  repId: string;
  name: string;
  company?: string;
  email?: string;
  phone?: string;
  timezone: string;
  country?: string;
  hotButtons: string[];
  status: ProspectStatus;
  /** The agreed callback, UTC, when one stands. */
  callbackAt?: string;
  /** When the next attempt is scheduled (agreed callback or computed retry), UTC. */
  attemptDueAt?: string;
  /** Set when the address unsubscribed, bounced or complained: no prospect email goes out. */
  emailSuppressed?: { reason: 'unsubscribed' | 'bounced' | 'complained'; at: string };
  /** Unanswered attempts since the last conversation. */
  attempts: number;
  lastCallId?: string;
  lastCallAt?: string;
  /** Optimistic lock: every write checks and bumps it. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Call {
  id: string;
  prospectId: string;
  repId: string;
  outcome: Outcome;
  at: string;
  callbackAt?: string;
  stallReason?: StallReason;
  hotButtons: string[];
  discussed?: string;
  whatHappensNext?: string;
  decisionMakers: string[];
  materials: Material[];
  notes?: string;
  sendRecap: boolean;
  /** False when the rep turned off the note after a voicemail for this call. */
  sendEmail?: boolean;
  /** A voicemail call: the script variant the rep left (from the reminder it answered), credited if a later call reaches them. */
  scriptVariant?: string;
  recordedAt: string;
}

export interface Touch {
  id: string;
  repId: string;
  prospectId: string;
  callId: string;
  kind: TouchKind;
  channel: 'email' | 'sms';
  status: TouchStatus;
  /** UTC instant. */
  dueAt: string;
  attempt?: number;
  template?: string;
  reason?: string;
  messageId?: string;
  /** The subject line sent, so a later email can reply in the same thread. */
  subject?: string;
  sentAt?: string;
  /** Rep reminders: when the voicemail script promises the next try (null: the last attempt). Voicemail emails: the next try they name. */
  promiseAt?: string | null;
  /** Rep reminders: the voicemail script variant chosen at planning ("hot.uptime.b"), credited when a later call reaches the prospect. */
  scriptVariant?: string;
  /** The callback this touch serves (resend, reminder, recap). */
  callbackAt?: string;
  /** Rep notices: what happened. */
  notice?: string;
  /** Who it goes to. */
  recipient: 'prospect' | 'rep';
  /** Denormalized from the prospect so agenda views need no second read. */
  timezone: string;
  prospectName: string;
  /** A fire handler working on it since this instant; stale claims may be taken over. */
  claimedAt?: string;
  /** Delivery attempts that failed or fell back, newest last. */
  deliveries?: { at: string; channel: 'email' | 'sms'; ok: boolean; messageId?: string; error?: string }[];
  /** The Message-ID header SES stamped on this email, as its Send event reported it: what a reply threads to. */
  messageIdHeader?: string;
  /**
   * SES's Send event for this touch's email, recorded by the events function whatever became of the
   * delivery that sent it: a delivery that finds it sends nothing again (a crash between send and mark).
   */
  sesSent?: { messageId: string; at: string; subject?: string };
  /** How many times the sweep recreated this touch's lost schedule (reset when it is retried). */
  repairs?: number;
  /** When a failed touch was put back to scheduled by a retry or an operator's redrive. */
  redrivenAt?: string;
  /** Rep notices about a touch that could not be delivered: which, and why. */
  about?: { touchId: string; kind: TouchKind; dueAt: string; reason: string };
  createdAt: string;
  updatedAt: string;
}
