/**
 * How times and codes read to a rep: every time in both zones (the prospect's and the rep's), DST by
 * the zones' real rules (Luxon), codes as words.
 */
import { DateTime } from 'luxon';
import { zoneAbbreviation } from '../../functions/core/time.js';

export function inZone(iso: string | Date, zone: string): DateTime {
  const dt = typeof iso === 'string' ? DateTime.fromISO(iso, { setZone: true }) : DateTime.fromJSDate(iso);
  return dt.setZone(zone);
}

/** "Tue 24 Nov, 10:00 AM EST". */
export function dayAndClock(dt: DateTime): string {
  return `${dt.toFormat('ccc d LLL, h:mm a')} ${zoneAbbreviation(dt)}`;
}

/** "10:00 AM EST". */
export function clock(dt: DateTime): string {
  return `${dt.toFormat('h:mm a')} ${zoneAbbreviation(dt)}`;
}

/**
 * One instant where the prospect is and where the rep is: the `primary` side with its day
 * ("Tue 24 Nov, 10:00 AM EST"), the other with its day only when the date differs there.
 */
export function bothZones(iso: string | Date, prospectZone: string, repZone: string, primary: 'prospect' | 'rep' = 'prospect'): { prospect: string; rep: string } {
  const there = inZone(iso, prospectZone);
  const here = inZone(iso, repZone);
  const sameDate = there.toISODate() === here.toISODate();
  return {
    prospect: primary === 'prospect' || !sameDate ? dayAndClock(there) : clock(there),
    rep: primary === 'rep' || !sameDate ? dayAndClock(here) : clock(here),
  };
}

export const OUTCOME_LABELS: Record<string, string> = {
  callback_agreed: 'Callback agreed',
  stalled: 'Stalled',
  voicemail: 'Voicemail',
  no_answer: 'No answer',
  won: 'Won',
  not_interested: 'Not interested',
};

export const STALL_LABELS: Record<string, string> = {
  waiting_on_customer: 'Waiting on their customer',
  needs_review: 'Needs to review',
  decision_maker: 'Another decision maker',
  cooled_off: 'Cooled off',
  comparing: 'Comparing options',
  price: 'Price',
};

export const KIND_LABELS: Record<string, string> = {
  rep_reminder: 'Call reminder',
  recap: 'Recap email',
  resend_materials: 'Materials resent',
  final_email: 'Final email',
  rep_notice: 'Notice to you',
  voicemail_email: 'Note after your voicemail',
};

/** What a touch is, in the words a sentence uses ("Send again: recap email to Dana"). */
export const TOUCH_WORDS: Record<string, string> = {
  rep_reminder: 'call reminder',
  recap: 'recap email',
  resend_materials: 'materials resend',
  final_email: 'last email',
  rep_notice: 'notice to you',
  voicemail_email: 'note after voicemail',
};

/** "recap email to Dana Whitfield", "call reminder about Dana Whitfield" (a rep's touch is about the prospect). */
export function touchAbout(touch: { kind: string; recipient?: string }, prospectName: string): string {
  return `${TOUCH_WORDS[touch.kind] ?? words(touch.kind)} ${touch.recipient === 'rep' ? 'about' : 'to'} ${prospectName}`;
}

export const STATUS_LABELS: Record<string, string> = {
  scheduled: 'Scheduled',
  sent: 'Sent',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/**
 * A touch's reason as a rep reads it: "superseded by the callback_agreed call 01M98..." says which
 * call replaced it, not its id; the other reasons are sentences already ("cancelled by the rep").
 */
export function reasonWords(reason: string): string {
  const superseded = /^superseded by the (\w+) call \S+$/.exec(reason);
  if (superseded) return `replaced by the plan of a later “${OUTCOME_LABELS[superseded[1]!] ?? words(superseded[1]!)}” call`;
  return reason;
}

/** "cost_savings" as "cost savings". */
export function words(code: string): string {
  return code.replace(/_/g, ' ');
}

/** A hot button's key as the scripts word it ("risk_compliance" as "risk and compliance"). */
export function hotButtonLabel(key: string): string {
  return __HOT_BUTTONS__.find((h) => h.key === key)?.label ?? words(key);
}

/**
 * What a rep typed for a hot button as the key the scripts know: a known label ("risk and compliance")
 * or key becomes that key; anything else goes as typed, and the API folds it to snake_case.
 */
export function hotButtonKey(text: string): string {
  const typed = text.trim().toLowerCase();
  return __HOT_BUTTONS__.find((h) => h.label.toLowerCase() === typed || h.key === typed.replace(/\s+/g, '_'))?.key ?? text.trim();
}

/** Comma-separated hot buttons as keys, without blanks or repeats. */
export function hotButtonKeys(list: string): string[] {
  return [...new Set(list.split(',').map(hotButtonKey).filter(Boolean))];
}

/** "cost savings" as "Cost savings", for a label that starts a line. */
export const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "1 call", "3 calls". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function percent(rate: number | null): string {
  return rate === null ? 'no data' : `${Math.round(rate * 100)}%`;
}

/** Time zones the browser knows, for the zone pickers. */
export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [Intl.DateTimeFormat().resolvedOptions().timeZone];
  }
}

/** Regions (not groupings such as the EU or the UN) the browser can name, as [code, name], by name. */
export function countries(): [string, string][] {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  const groupings = new Set(['EU', 'EZ', 'UN', 'QO', 'ZZ', 'XA', 'XB']);
  const out: [string, string][] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = names.of(code);
      if (name && name !== code && !groupings.has(code)) out.push([code, name]);
    }
  }
  return out.sort((x, y) => x[1].localeCompare(y[1]));
}

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
