/**
 * The cadence planner: from a call outcome to the touches that keep the promises made on it.
 * Pure and deterministic: the same inputs give the same plan, which is what lets a voicemail
 * script promise a time that the next plan then keeps.
 */
import { DateTime } from 'luxon';
import {
  afterQuietHours,
  atClock,
  BusinessCalendar,
  isQuietHour,
  minutesOf,
  type BusinessHours,
  type ClockTime,
  type HolidayCalendar,
  type QuietHours,
} from './calendar.js';
import type { Plan, PlanInput, PlannedTouch, ProspectPlace, SkippedTouch, SkipReasonCode } from './plan.js';
import type { StallReason } from './schemas.js';
import { ianaZone } from './time.js';

// The plan's types live in core/plan.ts; named here too, where callers have always found them.
export type { Plan, PlanInput, PlannedTouch, ProspectPlace, SkippedTouch, SkipReasonCode, TouchKindPlanned } from './plan.js';

export interface CallWindow {
  start: ClockTime;
  end: ClockTime;
}

export interface CadencePolicy {
  /** Minutes before an agreed callback that the materials are resent. */
  resendLeadMinutes: number;
  /** Business days between unanswered attempts: retry k waits retryBusinessDays[k-1] after attempt k. */
  retryBusinessDays: number[];
  /** Total attempts (the first included) before the cadence ends with a final email. */
  maxAttempts: number;
  /** Computed attempts alternate through these windows (morning, afternoon). */
  windows: CallWindow[];
  businessHours: BusinessHours;
  quietHours: QuietHours;
  /** Where a stalled call gives no time: business days until the follow-up, by stall reason. */
  stallDefaultBusinessDays: Record<StallReason, number>;
  /** Granularity of computed times inside a window. */
  slotMinutes: number;
  /** At most `max` prospect-facing emails in any `days` days; one over budget is skipped. */
  prospectEmailBudget: { max: number; days: number };
  /** Length of the callback in the calendar invite. */
  inviteMinutes: number;
  /**
   * The short note to the prospect after a voicemail: on which attempts (1 is the first call, the
   * agreed callback) and how many minutes after the rep posts the outcome.
   */
  voicemailEmail: { attempts: number[]; delayMinutes: number };
  /**
   * Voicemail script variants: `pinned` fixes a family to one variant ({"hot.uptime": "b"});
   * `floor` is the share of choices made uniformly at random, so no variant starves.
   */
  scriptVariants: { pinned: Record<string, string>; floor: number };
}

/** Minutes a resend waits after the recap it replies to. */
export const RESEND_AFTER_RECAP_MINUTES = 1;

export const DEFAULT_POLICY: CadencePolicy = {
  resendLeadMinutes: 10,
  retryBusinessDays: [1, 2, 2, 3, 5, 7],
  maxAttempts: 7,
  windows: [
    { start: '09:30', end: '11:30' },
    { start: '14:00', end: '16:30' },
  ],
  businessHours: { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] },
  quietHours: { start: '21:00', end: '08:00' },
  stallDefaultBusinessDays: {
    waiting_on_customer: 2,
    needs_review: 1,
    decision_maker: 2,
    cooled_off: 3,
    comparing: 2,
    price: 1,
  },
  slotMinutes: 15,
  prospectEmailBudget: { max: 3, days: 7 },
  inviteMinutes: 30,
  voicemailEmail: { attempts: [1, 3, 5], delayMinutes: 5 },
  scriptVariants: { pinned: {}, floor: 0.1 },
};

export class CadencePlanner {
  readonly calendar: BusinessCalendar;

  constructor(
    readonly policy: CadencePolicy,
    private readonly holidays: HolidayCalendar,
  ) {
    this.calendar = new BusinessCalendar(policy.businessHours, holidays);
  }

  /** Business days to wait after attempt `attempt` before the next one. */
  spacingAfter(attempt: number): number {
    const list = this.policy.retryBusinessDays;
    return list[Math.min(attempt - 1, list.length - 1)] ?? 1;
  }

  /**
   * When attempt `attempt` (2 or more) happens, given the scheduled time of the attempt before it.
   * This one function both writes the promise into a voicemail script and plans the retry.
   */
  attemptTime(previousAttemptAt: DateTime, attempt: number, place: ProspectPlace, now: DateTime): DateTime {
    const zone = place.timezone;
    const window = this.windowFor(attempt);
    const day = this.calendar.addBusinessDays(previousAttemptAt.setZone(ianaZone(zone)), this.spacingAfter(attempt - 1), place.country);
    const planned = this.slotIn(day, window, place);
    if (planned > now) return planned.toUTC();
    return this.nextSlotAfter(now.setZone(ianaZone(zone)), window, place).toUTC();
  }

  /** The promise for an attempt at `attemptAt`: when the rep will try again, or null after the last. */
  promiseAfter(attemptAt: DateTime, attempt: number, place: ProspectPlace, now: DateTime): DateTime | null {
    if (attempt >= this.policy.maxAttempts) return null;
    return this.attemptTime(attemptAt, attempt + 1, place, now);
  }

  /** Default callback for a stalled call without an agreed time. */
  stallCallback(reason: StallReason | undefined, callAt: DateTime, place: ProspectPlace, now: DateTime): DateTime {
    const days = reason ? this.policy.stallDefaultBusinessDays[reason] : 2;
    const zone = place.timezone;
    const callLocal = callAt.setZone(ianaZone(zone));
    const day = this.calendar.addBusinessDays(callLocal, days, place.country);
    // Same time of day as the conversation when that was a business hour: people keep routines.
    const sameTime = day.set({ hour: callLocal.hour, minute: roundDown(callLocal.minute, this.policy.slotMinutes) });
    const planned = this.calendar.isInBusinessHours(sameTime, place.country)
      ? sameTime
      : this.slotIn(day, this.policy.windows[0] ?? { start: this.calendar.businessStart, end: this.calendar.businessEnd }, place);
    return planned > now ? planned.toUTC() : this.nextSlotAfter(now.setZone(ianaZone(zone)), this.windowFor(2), place).toUTC();
  }

  /** The next moment a prospect-facing email may go out: now, unless quiet hours or a public holiday say wait. */
  prospectSendTime(at: DateTime, place: ProspectPlace): DateTime {
    let local = afterQuietHours(at.setZone(ianaZone(place.timezone)), this.policy.quietHours);
    for (let i = 0; i < 14 && this.isHoliday(local, place.country); i++) {
      local = atClock(local.plus({ days: 1 }), this.policy.quietHours.end);
    }
    return local.toUTC();
  }

  /** Whether the local date of `local` is a public holiday in `country`. */
  isHoliday(local: DateTime, country?: string): boolean {
    return country ? this.holidays.isHoliday(local.toISODate()!, country) : false;
  }

  /**
   * When to resend materials before an agreed callback: `lead` minutes before, moved out of
   * quiet hours to the latest moment that is still before the call; null when none exists.
   */
  resendTime(callbackAt: DateTime, place: ProspectPlace, now: DateTime): DateTime | null {
    const quiet = this.policy.quietHours;
    let at: DateTime = callbackAt.minus({ minutes: this.policy.resendLeadMinutes }).setZone(ianaZone(place.timezone));
    if (at < now) at = now.setZone(ianaZone(place.timezone));
    if (isQuietHour(at, quiet)) {
      const morning = afterQuietHours(at, quiet);
      if (morning < callbackAt) {
        at = morning;
      } else {
        // The call itself is in quiet hours: send the evening before it starts.
        const eveningStart = atClock(at.hour * 60 + at.minute >= minutesOf(quiet.start) ? at : at.minus({ days: 1 }), quiet.start);
        at = eveningStart.minus({ minutes: 1 });
        if (at < now) return null;
      }
    }
    return at >= callbackAt ? null : at.toUTC();
  }

  private windowFor(attempt: number): CallWindow {
    const windows = this.policy.windows;
    return windows[(attempt - 2 + windows.length * 8) % windows.length]!;
  }

  /** A slot inside `window` on `day`, spread by prospect so one rep's retries do not collide. */
  private slotIn(day: DateTime, window: CallWindow, place: ProspectPlace): DateTime {
    const start = Math.max(minutesOf(window.start), minutesOf(this.calendar.businessStart));
    const end = Math.min(minutesOf(window.end), minutesOf(this.calendar.businessEnd));
    const slots = Math.max(1, Math.floor((end - start) / this.policy.slotMinutes));
    const minute = start + (hash(place.id) % slots) * this.policy.slotMinutes;
    let at: DateTime = day.startOf('day').set({ hour: Math.floor(minute / 60), minute: minute % 60 });
    // A slot that DST skips lands an hour late; pull it back inside business hours.
    if (!this.calendar.isInBusinessHours(at, place.country)) at = atClock(day.startOf('day'), this.calendar.businessStart);
    return at;
  }

  /** The first slot of `window` strictly after `local` on a business day. */
  private nextSlotAfter(local: DateTime, window: CallWindow, place: ProspectPlace): DateTime {
    let day = this.calendar.onOrAfterBusinessDay(local, place.country);
    for (let i = 0; i < 400; i++) {
      const candidate = this.slotIn(day, window, place);
      if (candidate > local && this.calendar.isInBusinessHours(candidate, place.country)) return candidate;
      day = this.calendar.addBusinessDays(day, 1, place.country);
    }
    throw new Error('No business day found within a year: check business days and holidays');
  }

  /** What an outcome schedules. The service applies it; nothing here touches storage. */
  plan(input: PlanInput): Plan {
    return this.keepToBudget(this.planOutcome(input), input.sentProspectEmails ?? []);
  }

  /**
   * Leaves out prospect email that would go past the budget (at most `max` in any `days` days) when it
   * falls due, counting what was sent and what this plan sends before it: the fire path would skip it
   * then (core/delivery.ts), so the rep hears now rather than finding a skipped touch later.
   */
  private keepToBudget(plan: Plan, sent: readonly DateTime[]): Plan {
    const { max, days } = this.policy.prospectEmailBudget;
    const counted = [...sent];
    const dropped = new Set<PlannedTouch>();
    const byDue = plan.touches.filter((t) => t.recipient === 'prospect').sort((a, b) => a.dueAt.toMillis() - b.dueAt.toMillis());
    for (const touch of byDue) {
      const since = touch.dueAt.minus({ days });
      if (counted.filter((at) => at > since && at <= touch.dueAt).length >= max) dropped.add(touch);
      else counted.push(touch.dueAt);
    }
    if (dropped.size === 0) return plan;
    return {
      ...plan,
      touches: plan.touches.filter((t) => !dropped.has(t)),
      skipped: [...plan.skipped, ...[...dropped].map((t) => ({ kind: t.kind, reason: 'over_budget' as const }))],
    };
  }

  private planOutcome(input: PlanInput): Plan {
    const { outcome, now } = input;
    const place: ProspectPlace = input.prospect;
    switch (outcome) {
      case 'not_interested':
      case 'won':
        return { status: 'closed', attempts: 0, touches: [], skipped: [] };
      case 'callback_agreed':
      case 'stalled': {
        const callbackAt = input.callbackAt ?? this.stallCallback(input.stallReason, input.callAt, place, now);
        const touches: PlannedTouch[] = [];
        const skipped: SkippedTouch[] = [];
        const noEmail = this.noEmail(input);
        // The recap confirms a time the prospect agreed to; a default follow-up is the rep's own plan.
        if (!input.sendRecap) skipped.push({ kind: 'recap', reason: 'not_requested' });
        else if (!input.callbackAt) skipped.push({ kind: 'recap', reason: 'no_agreed_time' });
        else if (noEmail) skipped.push({ kind: 'recap', reason: noEmail });
        else {
          const recapAt = this.prospectSendTime(now, place);
          if (recapAt < callbackAt) touches.push({ kind: 'recap', recipient: 'prospect', channel: 'email', dueAt: recapAt });
          else skipped.push({ kind: 'recap', reason: this.heldBy(now, place) });
        }
        if (input.materials.length > 0 && noEmail) skipped.push({ kind: 'resend_materials', reason: noEmail });
        else if (input.materials.length > 0) {
          let resendAt = this.resendTime(callbackAt, place, now);
          let reason: SkipReasonCode = resendAt ? 'too_soon' : this.heldBy(callbackAt.minus({ minutes: this.policy.resendLeadMinutes }), place, 'too_soon');
          // The resend follows the recap (and replies in its thread), never races it; the gap
          // outlasts the seconds a schedule for "now" is set ahead on EventBridge Scheduler.
          const recap = touches[0];
          if (resendAt && recap && resendAt < recap.dueAt.plus({ minutes: RESEND_AFTER_RECAP_MINUTES })) {
            const later = recap.dueAt.plus({ minutes: RESEND_AFTER_RECAP_MINUTES });
            resendAt = later < callbackAt ? later : null;
            reason = 'too_soon';
          }
          if (resendAt) touches.push({ kind: 'resend_materials', recipient: 'prospect', channel: 'email', dueAt: resendAt });
          else skipped.push({ kind: 'resend_materials', reason });
        }
        touches.push(this.reminder(callbackAt, 1, place, now, input.reminderChannel));
        return { status: 'active', attempts: 0, attemptDueAt: callbackAt, callbackAt, touches, skipped };
      }
      case 'voicemail':
      case 'no_answer': {
        const attempt = input.prospect.attempts + 1;
        const base = input.prospect.attemptDueAt ?? input.callAt;
        if (attempt > this.policy.maxAttempts) {
          // The cadence already ended with its last email and the rep was told: a further try the rep
          // logs is recorded, and sends no second "last" note.
          return { status: 'exhausted', attempts: attempt, touches: [], skipped: [{ kind: 'final_email', reason: 'cadence_ended' }] };
        }
        if (attempt === this.policy.maxAttempts) {
          const touches: PlannedTouch[] = [];
          const skipped: SkippedTouch[] = [];
          const noEmail = this.noEmail(input);
          if (noEmail) skipped.push({ kind: 'final_email', reason: noEmail });
          else {
            const at = this.nextBusinessMoment(now, place);
            touches.push({ kind: 'final_email', recipient: 'prospect', channel: 'email', dueAt: this.prospectSendTime(at, place) });
          }
          touches.push({ kind: 'rep_notice', recipient: 'rep', channel: 'email', dueAt: now.toUTC(), notice: 'cadence_exhausted' });
          return { status: 'exhausted', attempts: attempt, touches, skipped };
        }
        // A time the rep names (say the greeting gave a return date) overrides the cadence.
        const next = input.callbackAt ?? this.attemptTime(base, attempt + 1, place, now);
        const skipped: SkippedTouch[] = [];
        let note: PlannedTouch | null = null;
        if (outcome === 'voicemail' && this.policy.voicemailEmail.attempts.includes(attempt)) {
          const noEmail = this.noEmail(input);
          if (input.sendEmail === false) skipped.push({ kind: 'voicemail_email', reason: 'not_requested' });
          else if (noEmail) skipped.push({ kind: 'voicemail_email', reason: noEmail });
          else {
            note = this.voicemailEmail(attempt, next, place, now, input.prospect.email);
            if (!note) skipped.push({ kind: 'voicemail_email', reason: this.heldBy(now.plus({ minutes: this.policy.voicemailEmail.delayMinutes }), place, 'too_soon') });
          }
        }
        return {
          status: 'active',
          attempts: attempt,
          attemptDueAt: next,
          nextAttemptAt: next,
          // The reminder leads: it is the next attempt, and the note names it.
          touches: [this.reminder(next, attempt + 1, place, now, input.reminderChannel), ...(note ? [note] : [])],
          skipped,
        };
      }
    }
  }

  /**
   * The note after a voicemail on attempt `attempt`: a few minutes later, out of quiet hours and
   * holidays, and only while it still lands before the next try, which it names (`promiseAt`).
   */
  private voicemailEmail(attempt: number, next: DateTime, place: ProspectPlace, now: DateTime, email: string | undefined): PlannedTouch | null {
    const { attempts, delayMinutes } = this.policy.voicemailEmail;
    if (!email || !attempts.includes(attempt)) return null;
    const dueAt = this.prospectSendTime(now.plus({ minutes: delayMinutes }), place);
    if (dueAt >= next) return null;
    return { kind: 'voicemail_email', recipient: 'prospect', channel: 'email', dueAt, attempt, promiseAt: next.toUTC() };
  }

  /** Why no prospect email may be planned at all, if none may. */
  private noEmail(input: PlanInput): SkipReasonCode | undefined {
    if (input.prospect.emailBlocked) return input.prospect.emailBlocked;
    return input.prospect.email ? undefined : 'no_email';
  }

  /** What held an email wanted at `at` past the moment it was still useful: quiet hours, else a holiday. */
  private heldBy(at: DateTime, place: ProspectPlace, otherwise: SkipReasonCode = 'holiday'): SkipReasonCode {
    const local = at.setZone(ianaZone(place.timezone));
    if (isQuietHour(local, this.policy.quietHours)) return 'quiet_hours';
    return this.isHoliday(local, place.country) ? 'holiday' : otherwise;
  }

  private reminder(at: DateTime, attempt: number, place: ProspectPlace, now: DateTime, channel: 'email' | 'sms'): PlannedTouch {
    return {
      kind: 'rep_reminder',
      recipient: 'rep',
      channel,
      dueAt: at.toUTC(),
      attempt,
      promiseAt: this.promiseAfter(at, attempt, place, now),
    };
  }

  /** Now when inside business hours, else the start of the next business day. */
  private nextBusinessMoment(now: DateTime, place: ProspectPlace): DateTime {
    const local = now.setZone(ianaZone(place.timezone));
    if (this.calendar.isInBusinessHours(local, place.country)) return now;
    let day = this.calendar.onOrAfterBusinessDay(local, place.country);
    let start = atClock(day, this.calendar.businessStart);
    if (start <= local) {
      day = this.calendar.addBusinessDays(day, 1, place.country);
      start = atClock(day, this.calendar.businessStart);
    }
    return start.toUTC();
  }
}

function roundDown(n: number, step: number): number {
  return Math.floor(n / step) * step;
}

/** FNV-1a: a stable small hash so a prospect keeps the same slot across runs and machines. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
