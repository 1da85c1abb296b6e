/**
 * What the cadence planner answers: the touches planned for an outcome, and what it did not plan
 * and why. Types only, apart from the planner so callers can name a plan without its rules.
 */
import type { DateTime } from 'luxon';
import type { Material, Outcome, ProspectStatus, StallReason, TouchKind } from './schemas.js';

/** Where the prospect is, for the calendar. */
export interface ProspectPlace {
  id: string;
  timezone: string;
  country?: string;
}

export type TouchKindPlanned = TouchKind;

export interface PlannedTouch {
  kind: TouchKindPlanned;
  recipient: 'prospect' | 'rep';
  channel: 'email' | 'sms';
  dueAt: DateTime;
  attempt?: number;
  /** For a rep reminder: when the voicemail script promises the next try (null: none follows); for a voicemail email, the next try it names. */
  promiseAt?: DateTime | null;
  /** For a rep notice: what happened. */
  notice?: string;
}

export interface PlanInput {
  outcome: Outcome;
  now: DateTime;
  callAt: DateTime;
  callbackAt?: DateTime;
  stallReason?: StallReason;
  materials: Material[];
  sendRecap: boolean;
  /** False turns off the note after a voicemail for this call (the call's `sendEmail`); default true. */
  sendEmail?: boolean;
  reminderChannel: 'email' | 'sms';
  prospect: ProspectPlace & {
    email?: string;
    /** Why the address may not get email, when it may not (it unsubscribed, bounced or complained). */
    emailBlocked?: 'unsubscribed' | 'bounced' | 'complained';
    attempts: number;
    attemptDueAt?: DateTime;
  };
  /** When the prospect's recent emails went out (sent ones only), for the email budget. */
  sentProspectEmails?: readonly DateTime[];
}

/** Stable codes for what was not planned; core/outcome.ts words them for the rep. */
export type SkipReasonCode =
  | 'not_requested'
  | 'no_agreed_time'
  | 'no_email'
  | 'unsubscribed'
  | 'bounced'
  | 'complained'
  | 'quiet_hours'
  | 'holiday'
  | 'too_soon'
  | 'over_budget'
  | 'cadence_ended';

export interface SkippedTouch {
  kind: TouchKindPlanned;
  reason: SkipReasonCode;
}

export interface Plan {
  status: ProspectStatus;
  /** Unanswered attempts since the last conversation, after this outcome. */
  attempts: number;
  /** The scheduled time of the next attempt (agreed callback or computed retry). */
  attemptDueAt?: DateTime;
  callbackAt?: DateTime;
  nextAttemptAt?: DateTime;
  touches: PlannedTouch[];
  /** What the outcome would plan but did not, and why. */
  skipped: SkippedTouch[];
}
