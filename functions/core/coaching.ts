/**
 * What the call-prep sheet coaches: the open questions that start a follow-up well, the playbook's
 * next move for each stall, what is still to qualify, and how to say when something happened.
 */
import { DateTime } from 'luxon';
import type { Call } from './schemas.js';
import { calendarDaysBetween, ianaZone } from './time.js';

/** The open questions that start a follow-up well, by what was holding the prospect back. */
export function openingQuestions(stallReason: string | undefined): string[] {
  switch (stallReason) {
    case 'waiting_on_customer':
      return ['How did it go with your customer?', 'What did they like, and what questions came up?', 'What happens next on their side, and then what?'];
    case 'needs_review':
      return ['What stood out to you in the material?', 'What was of most interest, and what raised questions?', 'What would be most useful to walk through together now?'];
    case 'decision_maker':
      return ['How did the conversation with the other decision maker go?', 'What did they ask about?', 'What would they need to see to be comfortable?'];
    case 'cooled_off':
      return ['What has changed since we spoke?', 'What happens if you do nothing about this?', 'What would need to be true to move ahead?'];
    case 'comparing':
      return ['How do the options compare so far?', 'What matters most in the decision?', 'What made you change suppliers last time?'];
    case 'price':
      return ['How does the price sit with you now?', 'What does it cost you to leave things as they are?', 'What budget did you have in mind?'];
    default:
      return ['What was of most interest when we spoke?', 'What has happened since?', 'What would you like to see next?'];
  }
}

/** The playbook's move for each stall, for when the opening question confirms it. */
export function nextMoves(stallReason: string | undefined): string[] {
  switch (stallReason) {
    case 'waiting_on_customer':
      return ['If the customer has not answered: offer a short call with them and you, and agree a date for it.'];
    case 'needs_review':
      return [
        'If they have not reviewed it: offer to walk them through it now.',
        'If they are away from the computer: resend it so it is on top of their inbox, and agree a time to go through it.',
      ];
    case 'decision_maker':
      return ['If they have not talked to the other decision maker: propose a short call with both of them, and book it now.'];
    case 'cooled_off':
      return ['Ask what changed, and what happens if they do nothing: the cost of doing nothing is real.'];
    case 'comparing':
      return ['If they are comfortable with their current supplier: ask what made them change last time, and when they would change again.'];
    case 'price':
      return ['Put the price next to the cost of the problem they agreed to solve, not next to zero.'];
    default:
      return ['Aim to advance the sale on this call: agree the next concrete step, not just more time.'];
  }
}

/** Asked when the first call left the decision process unclear. */
export const QUALIFICATION_QUESTIONS = [
  'What happens next, and then what?',
  'Who else is involved in the decision, and how do you decide?',
  'When do you need this in place?',
  'Other than that, is there anything stopping you from moving forward?',
];

/** The qualification questions still open after `convo`: none when the decision process is known. */
export function qualificationQuestions(convo: Pick<Call, 'whatHappensNext' | 'decisionMakers'> | undefined): string[] {
  const missingNext = !convo?.whatHappensNext;
  const missingWho = !convo?.decisionMakers?.length;
  if (!missingNext && !missingWho) return [];
  return [
    ...(missingNext ? [QUALIFICATION_QUESTIONS[0]!] : []),
    ...(missingWho ? [QUALIFICATION_QUESTIONS[1]!] : []),
    QUALIFICATION_QUESTIONS[2]!,
    QUALIFICATION_QUESTIONS[3]!,
  ];
}

/** "earlier today", "yesterday", "on Monday" (within the week), "on November 3": for speech. */
export function spokenDay(at: string, now: Date, zone: string): string {
  const then = DateTime.fromISO(at).setZone(ianaZone(zone));
  const days = calendarDaysBetween(then, DateTime.fromJSDate(now).setZone(ianaZone(zone)));
  if (days <= 0) return 'earlier today';
  if (days === 1) return 'yesterday';
  if (days < 7) return `on ${then.toFormat('cccc')}`;
  return `on ${then.toFormat('LLLL d')}`;
}

/**
 * When a promised try is, for speech: "later today", "tomorrow", "on Thursday" within the week,
 * "on Tuesday, December 22" beyond it, where a bare weekday would name the wrong week.
 */
export function spokenFutureDay(at: string, now: Date, zone: string): string {
  const then = DateTime.fromISO(at).setZone(ianaZone(zone));
  const days = calendarDaysBetween(DateTime.fromJSDate(now).setZone(ianaZone(zone)), then);
  if (days <= 0) return 'later today';
  if (days === 1) return 'tomorrow';
  if (days < 7) return `on ${then.toFormat('cccc')}`;
  return `on ${then.toFormat('cccc, LLLL d')}`;
}
