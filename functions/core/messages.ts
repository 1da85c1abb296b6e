/**
 * Turns a touch and what we know about the prospect into the words that go out: the view model
 * every template reads, the voicemail script, and each kind of message.
 */
import { DateTime } from 'luxon';
import type { Call, Prospect, Rep, Touch, TouchKind } from './schemas.js';
import { humanClock, humanTime, relativeTime, zoneAbbreviation } from './time.js';
import type { TemplateLibrary } from './templates.js';
import { fitSms, fitsSms, MAX_SEGMENTS, smsSegments, type SmsEncoding } from './sms-text.js';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** The templates used, recorded on the touch and shown in previews. */
  template: string;
}

export interface RenderedSms {
  body: string;
  template: string;
  /** Segments on the wire, within MAX_SEGMENTS for the encoding. */
  segments: number;
  encoding: SmsEncoding;
  /** What was left out to make it fit, in the order it was dropped (empty when nothing was). */
  dropped: string[];
}

export interface MessageInput {
  kind: TouchKind;
  rep: Rep;
  prospect: Prospect;
  /** The call that planned this touch. */
  call?: Call;
  /** The last call where the rep reached the prospect (callback_agreed or stalled). */
  lastConversation?: Call;
  /** When the touch is due (the attempt's time for a reminder). */
  dueAt: string;
  attempt?: number;
  /** For a reminder: when the script promises the next try; null when none follows. */
  promiseAt?: string | null;
  /** For a rep notice: what happened. */
  notice?: string;
  /** The agreed (or planned) callback the touch belongs to. */
  callbackAt?: string;
  /** Materials resent before this call, and when. */
  resent?: { at: string; titles: string[] };
  now: Date;
  links?: { unsubscribe?: string; sheet?: string };
}

const STALL_LABELS: Record<string, string> = {
  waiting_on_customer: 'waiting on their customer',
  needs_review: 'reviewing the material',
  decision_maker: 'talking to the other decision maker',
  cooled_off: 'cooled off',
  comparing: 'comparing options',
  price: 'weighing the price',
};

export function label(key: string): string {
  return key.replace(/_/g, ' ');
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** Formats +15551234567 as +1 555 123 4567 for reading aloud; other numbers stay as given. */
export function phoneForSpeech(phone: string | undefined): string | null {
  if (!phone) return null;
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return us ? `${us[1]}-${us[2]}-${us[3]}` : phone;
}

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
  const then = DateTime.fromISO(at).setZone(zone);
  const today = DateTime.fromJSDate(now).setZone(zone).startOf('day');
  const days = Math.round(today.diff(then.startOf('day'), 'days').days);
  if (days <= 0) return 'earlier today';
  if (days === 1) return 'yesterday';
  if (days < 7) return `on ${then.toFormat('cccc')}`;
  return `on ${then.toFormat('LLLL d')}`;
}

/** Everything a template may read. Every key is present (null when unknown) for strict mode. */
export function viewModel(input: MessageInput, library: TemplateLibrary) {
  const { rep, prospect, call, now } = input;
  const zone = prospect.timezone;
  const convo = input.lastConversation ?? call;
  const hotButtons = dedupe([...(call?.hotButtons ?? []), ...prospect.hotButtons]);
  const stallReason = convo?.outcome === 'stalled' ? convo.stallReason : undefined;
  const materials = call?.materials?.length ? call.materials : convo?.materials ?? [];
  const nowLocal = DateTime.fromJSDate(now).setZone(zone);
  const due = DateTime.fromISO(input.dueAt, { zone: 'utc' });
  const callbackAt = input.callbackAt ?? call?.callbackAt;
  const hotButtonLabel = (key: string) => library.hotButtonLabel(key);

  const base = {
    rep: {
      name: rep.name,
      firstName: firstName(rep.name),
      email: rep.email,
      phone: rep.phone ?? null,
      phoneSpoken: phoneForSpeech(rep.phone),
      company: rep.company ?? null,
      signature: rep.signature ?? null,
    },
    prospect: {
      name: prospect.name,
      firstName: firstName(prospect.name),
      company: prospect.company ?? null,
      email: prospect.email ?? null,
      phone: prospect.phone ?? null,
      telLink: prospect.phone ? `tel:${prospect.phone}` : null,
      timezone: zone,
      localTimeNow: `${nowLocal.toFormat('ccc h:mm a')} ${zoneAbbreviation(nowLocal)}`,
    },
    due: {
      human: humanTime(due, zone),
      clock: humanClock(due, zone),
      day: due.setZone(zone).toFormat('cccc'),
      today: due.setZone(zone).hasSame(nowLocal, 'day'),
      repClock: humanClock(due, rep.timezone),
      /** "Wed": the day of the call in the rep's zone, for short texts. */
      repDay: due.setZone(rep.timezone).toFormat('ccc'),
    },
    attempt: input.attempt ?? null,
    promise: input.promiseAt
      ? {
          human: humanTime(input.promiseAt, zone),
          day: DateTime.fromISO(input.promiseAt).setZone(zone).toFormat('cccc'),
          /** "Thu", for short texts. */
          dayShort: DateTime.fromISO(input.promiseAt).setZone(zone).toFormat('ccc'),
          clock: humanClock(input.promiseAt, zone),
        }
      : null,
    /** True for the last reminder of a cadence (promiseAt explicitly null): the script says a note follows. */
    lastAttempt: input.promiseAt === null,
    lastSpoke: convo
      ? {
          date: DateTime.fromISO(convo.at).setZone(zone).toFormat('cccc, LLLL d'),
          ago: relativeTime(convo.at, now, zone),
          /** For speech: "yesterday", "on Monday", "on November 3". */
          spoken: spokenDay(convo.at, now, zone),
        }
      : null,
    discussed: convo?.discussed ?? null,
    whatHappensNext: convo?.whatHappensNext ?? null,
    decisionMakers: convo?.decisionMakers ?? [],
    notes: call?.notes ?? convo?.notes ?? null,
    hotButtons: hotButtons.map((key) => ({ key, label: hotButtonLabel(key) })),
    topHotButton: hotButtons[0] ? { key: hotButtons[0], label: hotButtonLabel(hotButtons[0]) } : null,
    stallReason: stallReason ? { key: stallReason, label: STALL_LABELS[stallReason] ?? label(stallReason) } : null,
    callback: callbackAt
      ? {
          human: humanTime(callbackAt, zone),
          clock: humanClock(callbackAt, zone),
          today: DateTime.fromISO(callbackAt).setZone(zone).hasSame(nowLocal, 'day'),
        }
      : null,
    materials: materials.map((m) => ({ title: m.title, url: m.url })),
    openingQuestions: openingQuestions(stallReason),
    nextMoves: nextMoves(stallReason),
    qualificationQuestions: qualificationQuestions(convo),
    resent: input.resent
      ? { human: humanTime(input.resent.at, zone), titles: input.resent.titles }
      : null,
    notice: input.notice ? noticeText(input.notice, prospect, input.attempt) : null,
    links: { unsubscribe: input.links?.unsubscribe ?? null, sheet: input.links?.sheet ?? null },
  };
  const voicemailTemplate = library.select('voicemail', hotButtons, stallReason);
  // Scripts are written over several lines for reading; spoken, they are one paragraph.
  const voicemail = library.render(voicemailTemplate, base).replace(/\s+/g, ' ').trim();
  return { ...base, voicemail, voicemailTemplate };
}

export type ViewModel = ReturnType<typeof viewModel>;

/** Renders an email touch: subject, HTML and text from templates/email/<kind>/. */
export function renderEmail(input: MessageInput, library: TemplateLibrary): RenderedEmail {
  const view = viewModel(input, library);
  const folder = `email/${input.kind}`;
  const subject = library.render(`${folder}/subject`, view).replace(/\s+/g, ' ').trim();
  const html = library.render(`${folder}/body.html`, view);
  const text = library.render(`${folder}/body.text`, view).replace(/\n{3,}/g, '\n\n').trim() + '\n';
  const template = input.kind === 'rep_reminder' ? `${folder} + ${view.voicemailTemplate}` : folder;
  return { subject, html, text, template };
}

const SMS_TEMPLATE = 'sms/rep_reminder';

/** "Bartholomew Featherstonehaugh-Smythe" becomes "Bartholomew F." when over `max` characters. */
function shortName(name: string, max: number): string {
  const chars = [...name.trim()];
  if (chars.length <= max) return name.trim();
  const words = name.trim().split(/\s+/);
  const last = words.length > 1 ? [...words[words.length - 1]!][0] : undefined;
  const first = [...words[0]!].slice(0, max - (last ? 3 : 0)).join('');
  return last ? `${first} ${last}.` : first;
}

/**
 * The SMS reminder to the rep, within two GSM-7 segments or three UCS-2 ones. When the full text
 * is too long it leaves out what matters least first: the company, the stall, long names, the
 * voicemail promise, the hot button; then the prospect's first name alone; as a last resort the
 * text is cut, never the link to the sheet.
 */
export function renderSms(input: MessageInput, library: TemplateLibrary): RenderedSms {
  const view = viewModel(input, library);
  type View = typeof view;
  const steps: Array<[string, (v: View) => View]> = [
    ['company', (v) => ({ ...v, prospect: { ...v.prospect, company: null } })],
    ['stall reason', (v) => ({ ...v, stallReason: null })],
    ['long name', (v) => ({ ...v, prospect: { ...v.prospect, name: shortName(v.prospect.name, 20) } })],
    // The promise matters only if they get voicemail, later in the call; the hot button from the first word.
    ['promise', (v) => ({ ...v, promise: null, lastAttempt: false })],
    ['hot button', (v) => ({ ...v, topHotButton: null })],
    ['surname', (v) => ({ ...v, prospect: { ...v.prospect, name: shortName(v.prospect.firstName, 12) } })],
  ];
  const render = (v: View) => library.render(SMS_TEMPLATE, v).replace(/\s+/g, ' ').trim();
  let current = view;
  let body = render(current);
  const dropped: string[] = [];
  for (const [what, step] of steps) {
    if (fitsSms(body)) break;
    const next = step(current);
    const text = render(next);
    if (text === body) continue;
    current = next;
    body = text;
    dropped.push(what);
  }
  if (!fitsSms(body)) {
    // Still too long (a huge link or name): cut the words, keep the link whole.
    const sheet = current.links.sheet;
    const withoutLink = render({ ...current, links: { ...current.links, sheet: null } });
    body = sheet ? fitSms(withoutLink, MAX_SEGMENTS, `Sheet: ${sheet}`) : fitSms(withoutLink);
    dropped.push('text');
  }
  const size = smsSegments(body);
  return { body, template: SMS_TEMPLATE, segments: size.segments, encoding: size.encoding, dropped };
}

/** The voicemail script alone, for previews. */
export function renderVoicemail(input: MessageInput, library: TemplateLibrary): { text: string; template: string } {
  const view = viewModel(input, library);
  return { text: view.voicemail, template: view.voicemailTemplate };
}

/** What a rep notice says, by what happened. */
export function noticeText(notice: string, prospect: Prospect, attempts?: number): { title: string; detail: string } {
  switch (notice) {
    case 'cadence_exhausted':
      return {
        title: 'follow-up cadence ended',
        detail: `${attempts ?? 'All'} attempts went unanswered, so the cadence has ended${prospect.email ? ' and a last email goes out to them' : ''}. Post a new outcome when they get back in touch.`,
      };
    case 'unsubscribed':
      return {
        title: 'unsubscribed from email',
        detail: 'They unsubscribed: no more emails go to them, and their pending emails are cancelled. Your call reminders go on.',
      };
    case 'bounced':
      return {
        title: 'email address bounced',
        detail: 'Their email address bounced permanently: it is suppressed and their pending emails are cancelled. Check the address with them on your next call.',
      };
    case 'complained':
      return {
        title: 'marked our email as spam',
        detail: 'They marked an email as spam: their address is suppressed and their pending emails are cancelled.',
      };
    default:
      return { title: notice.replace(/_/g, ' '), detail: notice.replace(/_/g, ' ') };
  }
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}
