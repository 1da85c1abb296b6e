/**
 * Turns a touch and what we know about the prospect into the words that go out: the view model
 * every template reads, the voicemail script, and each kind of message.
 */
import { DateTime } from 'luxon';
import type { Call, Prospect, Rep, Touch, TouchKind } from './schemas.js';
import { humanClock, humanTime, relativeTime } from './time.js';
import type { TemplateLibrary } from './templates.js';

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
      return ['How did it go with your customer?', 'What did they like, and what questions came up?', 'What happens next on their side?'];
    case 'needs_review':
      return ['What stood out to you in the material?', 'What was of most interest?', 'Would it help if I walked you through it now?'];
    case 'decision_maker':
      return ['How did the conversation with the other decision maker go?', 'What did they ask about?', 'Would a short call with both of you help?'];
    case 'cooled_off':
      return ['What has changed since we spoke?', 'What happens if you do nothing about this?', 'What would need to be true to move ahead?'];
    case 'comparing':
      return ['How do the options compare so far?', 'What matters most in the decision?', 'What made you change suppliers last time?'];
    case 'price':
      return ['How does the price sit with you now?', 'What is the cost of leaving things as they are?', 'What budget did you have in mind?'];
    default:
      return ['What was of most interest when we spoke?', 'What has happened since?', 'What would you like to see next?'];
  }
}

/** Asked when the first call left the decision process unclear. */
export const QUALIFICATION_QUESTIONS = [
  'What happens next, and then what?',
  'Who else is involved in the decision, and how do you decide?',
  'When do you need this in place?',
  'Other than that, is there anything stopping you from moving forward?',
];

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
  const qualified = Boolean(convo?.whatHappensNext && convo.decisionMakers.length > 0);

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
      localTimeNow: nowLocal.toFormat('ccc h:mm a ZZZZ'),
    },
    due: {
      human: humanTime(due, zone),
      clock: humanClock(due, zone),
      day: due.setZone(zone).toFormat('cccc'),
      today: due.setZone(zone).hasSame(nowLocal, 'day'),
      repClock: humanClock(due, rep.timezone),
    },
    attempt: input.attempt ?? null,
    promise: input.promiseAt
      ? { human: humanTime(input.promiseAt, zone), day: DateTime.fromISO(input.promiseAt).setZone(zone).toFormat('cccc'), clock: humanClock(input.promiseAt, zone) }
      : null,
    lastSpoke: convo
      ? { date: DateTime.fromISO(convo.at).setZone(zone).toFormat('cccc, LLLL d'), ago: relativeTime(convo.at, now) }
      : null,
    discussed: convo?.discussed ?? null,
    whatHappensNext: convo?.whatHappensNext ?? null,
    decisionMakers: convo?.decisionMakers ?? [],
    notes: call?.notes ?? convo?.notes ?? null,
    hotButtons: hotButtons.map((key) => ({ key, label: label(key) })),
    topHotButton: hotButtons[0] ? { key: hotButtons[0], label: label(hotButtons[0]) } : null,
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
    qualificationQuestions: qualified ? [] : QUALIFICATION_QUESTIONS,
    resent: input.resent
      ? { human: humanTime(input.resent.at, zone), titles: input.resent.titles }
      : null,
    notice: input.notice ? noticeText(input.notice, prospect, input.attempt) : null,
    links: { unsubscribe: input.links?.unsubscribe ?? null, sheet: input.links?.sheet ?? null },
  };
  const voicemailTemplate = library.select('voicemail', hotButtons, stallReason);
  const voicemail = library.render(voicemailTemplate, base).trim();
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
