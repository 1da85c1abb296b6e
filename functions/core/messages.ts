/**
 * Turns a touch and what we know about the prospect into the words that go out: the view model
 * every template reads, the voicemail script, and each kind of message.
 */
import { DateTime } from 'luxon';
import type { Call, Prospect, Rep, TouchKind } from './schemas.js';
import { humanClock, humanTime, relativeTime, zoneAbbreviation, ianaZone } from './time.js';
import type { TemplateLibrary } from './templates.js';
import { fitSms, fitsSms, foldToGsm7, MAX_SEGMENTS, smsSegments, type SmsEncoding } from './sms-text.js';
import { nextMoves, openingQuestions, qualificationQuestions, spokenDay, spokenFutureDay } from './coaching.js';
import { dialableNumber, numberForCaller, phoneCountry } from './phone.js';
import { scriptKeys } from './message-input.js';
import { composePitch, composeVoicemail, scriptSubjects } from './script.js';

export { nextMoves, openingQuestions, QUALIFICATION_QUESTIONS, qualificationQuestions, spokenDay, spokenFutureDay } from './coaching.js';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** The templates used, recorded on the touch and shown in previews. */
  template: string;
  /** The voicemail variant in a rep reminder's sheet; null for other kinds or when nothing competed. */
  variant?: string | null;
}

export interface RenderedSms {
  body: string;
  template: string;
  /** Segments on the wire, within MAX_SEGMENTS for the encoding. */
  segments: number;
  encoding: SmsEncoding;
  /** What was left out to make it fit, in the order it was dropped (empty when nothing was). */
  dropped: string[];
  /** The voicemail script in the sheet the SMS links to, and its variant: record them on the touch. */
  voicemailTemplate?: string;
  variant?: string | null;
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
  /** For a notice about a touch that could not be delivered: which, and why. */
  about?: { touchId: string; kind: TouchKind; dueAt: string; reason: string };
  /** The agreed (or planned) callback the touch belongs to. */
  callbackAt?: string;
  /** Materials resent before this call, and when. */
  resent?: { at: string; titles: string[] };
  now: Date;
  /** page: the prospect's page in the console, which a rep notice points to. */
  links?: { unsubscribe?: string; sheet?: string; page?: string };
  /**
   * The voicemail variant chosen for this touch when it was planned ("hot.uptime.b", see
   * script.ts scriptFamily and variants.ts chooseVariant). Absent, or from another family since
   * the hot buttons changed: the family's first variant, and the result says which was used.
   */
  scriptVariant?: string;
}

export function label(key: string): string {
  return key.replace(/_/g, ' ');
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** Everything a template may read. Every key is present (null when unknown) for strict mode. */
export function viewModel(input: MessageInput, library: TemplateLibrary) {
  const { rep, prospect, call, now } = input;
  const zone = prospect.timezone;
  const convo = input.lastConversation ?? call;
  // "When we last spoke" needs a conversation: a voicemail or no answer is not one.
  const spoke = convo && (convo.outcome === 'callback_agreed' || convo.outcome === 'stalled') ? convo : undefined;
  const { hotButtons, stallReason } = scriptKeys(call, input.lastConversation, prospect);
  const materials = call?.materials?.length ? call.materials : convo?.materials ?? [];
  const nowLocal = DateTime.fromJSDate(now).setZone(ianaZone(zone));
  const due = DateTime.fromISO(input.dueAt, { zone: 'utc' });
  const repDue = due.setZone(ianaZone(rep.timezone));
  // A script is spoken at its due time, or now when that has passed: "yesterday" and "tomorrow" count from
  // then, so a preview or a sheet opened the day before says what the rep will say on the call.
  const spokenAt = new Date(Math.max(now.getTime(), due.toMillis()));
  const callbackAt = input.callbackAt ?? call?.callbackAt;
  const subjects = scriptSubjects(library, hotButtons, stallReason);
  // The prospect dials the rep's number from where they are; their phone tells where when the record does not.
  const prospectCountry = prospect.country ?? phoneCountry(prospect.phone) ?? undefined;
  const repNumber = dialableNumber(rep.phone, prospectCountry);

  const base = {
    rep: {
      name: rep.name,
      firstName: firstName(rep.name),
      email: rep.email,
      phone: rep.phone ?? null,
      /** The number as the prospect dials it: "(555) 123-0000" at home, "+1 555 123 0000" abroad. */
      phoneDial: repNumber?.written ?? null,
      /** The same, to read aloud in a script. */
      phoneSpoken: repNumber?.spoken ?? null,
      phoneLink: repNumber ? `tel:${repNumber.e164}` : null,
      company: rep.company ?? null,
      signature: rep.signature ?? null,
    },
    prospect: {
      name: prospect.name,
      firstName: firstName(prospect.name),
      company: prospect.company ?? null,
      email: prospect.email ?? null,
      phone: prospect.phone ?? null,
      /** Their own number as they write it at home, for prospect-facing text. */
      phoneDial: dialableNumber(prospect.phone, prospectCountry)?.written ?? null,
      /** Their number as the rep dials it from the rep's own country: "(555) 765-4321" at home, "+49 30 901820" abroad. */
      phoneForRep: numberForCaller(prospect.phone, rep.phone),
      telLink: prospect.phone ? `tel:${prospect.phone}` : null,
      timezone: zone,
      localTimeNow: `${nowLocal.toFormat('ccc h:mm a')} ${zoneAbbreviation(nowLocal)}`,
    },
    due: {
      human: humanTime(due, zone),
      clock: humanClock(due, zone),
      repClock: humanClock(due, rep.timezone),
      /** "Wed": the day of the call in the rep's zone, for short texts. */
      repDay: repDue.toFormat('ccc'),
      // What the rep reads sits beside their own clock, so its day is theirs: 3 PM Wednesday in Chicago is Thursday in Melbourne.
      repDayName: repDue.toFormat('cccc'),
      repToday: repDue.hasSame(DateTime.fromJSDate(now).setZone(ianaZone(rep.timezone)), 'day'),
      /** "4:00 PM EST", or "Thursday 8:00 AM AEDT" when the rep's date is not the prospect's. */
      repWhen: `${repDue.toISODate() === due.setZone(ianaZone(zone)).toISODate() ? '' : `${repDue.toFormat('cccc')} `}${humanClock(due, rep.timezone)}`,
    },
    attempt: input.attempt ?? null,
    promise: input.promiseAt
      ? {
          human: humanTime(input.promiseAt, zone),
          day: DateTime.fromISO(input.promiseAt).setZone(ianaZone(zone)).toFormat('cccc'),
          /** "Thu", for short texts. */
          dayShort: DateTime.fromISO(input.promiseAt).setZone(ianaZone(zone)).toFormat('ccc'),
          clock: humanClock(input.promiseAt, zone),
          /** For speech: "tomorrow", "on Thursday", "on Tuesday, December 22". */
          spoken: spokenFutureDay(input.promiseAt, spokenAt, zone),
        }
      : null,
    /** True for the last reminder of a cadence (promiseAt explicitly null): the script says a note follows. */
    lastAttempt: input.promiseAt === null,
    lastSpoke: spoke
      ? {
          date: DateTime.fromISO(spoke.at).setZone(ianaZone(zone)).toFormat('cccc, LLLL d'),
          ago: relativeTime(spoke.at, now, zone),
          /** For speech: "yesterday", "on Monday", "on November 3". */
          spoken: spokenDay(spoke.at, spokenAt, zone),
          /** "today", "yesterday", "on Friday": a call logged days later is not thanked for "today". */
          day: spokenDay(spoke.at, spokenAt, zone).replace(/^earlier today$/, 'today'),
        }
      : null,
    discussed: convo?.discussed ?? null,
    whatHappensNext: convo?.whatHappensNext ?? null,
    decisionMakers: convo?.decisionMakers ?? [],
    notes: call?.notes ?? convo?.notes ?? null,
    hotButtons: hotButtons.map((key) => ({ key, label: library.hotButtonLabel(key) })),
    /** The hot button the script speaks to: the first with words of its own, else the first. */
    topHotButton: subjects.hot ? { key: subjects.hot.key, label: subjects.hot.label } : null,
    secondHotButton: subjects.second ? { key: subjects.second.key, label: subjects.second.label } : null,
    stallReason: subjects.stall ? { key: subjects.stall.key, label: subjects.stall.label } : null,
    callback: callbackAt
      ? {
          human: humanTime(callbackAt, zone),
          clock: humanClock(callbackAt, zone),
          today: DateTime.fromISO(callbackAt).setZone(ianaZone(zone)).hasSame(nowLocal, 'day'),
        }
      : null,
    materials: materials.map((m) => ({ title: m.title, url: m.url })),
    openingQuestions: openingQuestions(stallReason),
    nextMoves: nextMoves(stallReason),
    qualificationQuestions: qualificationQuestions(convo),
    resent: input.resent
      ? { human: humanTime(input.resent.at, zone), titles: input.resent.titles }
      : null,
    notice: input.notice ? noticeText(input.notice, prospect, input.attempt, input.about) : null,
    links: { unsubscribe: input.links?.unsubscribe ?? null, sheet: input.links?.sheet ?? null, page: input.links?.page ?? null },
  };
  const script = composeVoicemail(library, base, subjects, { variant: input.scriptVariant, attempt: input.attempt });
  const pitch = composePitch(library, base, subjects);
  return {
    ...base,
    /** The sentences prospect emails carry about the hot buttons and the stall. */
    pitch,
    voicemail: script.text,
    /** The script part by part, for the sheet. */
    voicemailLines: script.lines,
    voicemailTemplate: script.template,
    /** The variant spoken ("hot.uptime.b"); null when nothing competed. Credit callbacks to it. */
    voicemailVariant: script.variant,
  };
}

export type ViewModel = ReturnType<typeof viewModel>;

/** Renders an email touch: subject, HTML and text from templates/email/<kind>/. */
export function renderEmail(input: MessageInput, library: TemplateLibrary): RenderedEmail {
  const view = viewModel(input, library);
  const folder = `email/${input.kind}`;
  const subject = library.render(`${folder}/subject`, view).replace(/\s+/g, ' ').trim();
  const html = library.render(`${folder}/body.html`, view);
  const text = library.render(`${folder}/body.text`, view).replace(/\n{3,}/g, '\n\n').trim() + '\n';
  if (input.kind === 'rep_reminder') {
    return { subject, html, text, template: `${folder} + ${view.voicemailTemplate}`, variant: view.voicemailVariant };
  }
  return { subject, html, text, template: PITCHED.has(input.kind) ? `${folder} + ${pitchParts(view.pitch)}` : folder };
}

/** The prospect emails that carry the hot-button and stall sentences. */
const PITCHED = new Set<TouchKind>(['recap', 'resend_materials', 'voicemail_email']);

/** "parts[hot.uptime,mention.quality,stall.price]": which parts an email's sentences came from. */
function pitchParts(pitch: ViewModel['pitch']): string {
  const used = [
    ...(pitch.hot ? [`hot.${pitch.hot.key}`] : []),
    ...(pitch.second ? [`mention.${pitch.second.key}`] : []),
    ...(pitch.stall ? [`stall.${pitch.stall.key}`] : []),
  ];
  return `parts[${used.join(',')}]`;
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

/** A name or company in GSM-7 when nothing but accents and symbols are lost ("Zoë" as "Zoe"), else as it is. */
function gsmWhereLossless(text: string): string {
  const folded = foldToGsm7(text);
  return folded.lossless && folded.text ? folded.text : text;
}

/**
 * The SMS reminder to the rep, within two segments (GSM-7 or UCS-2). When the full text is too long it first
 * spells the name and company in GSM-7 where only accents or symbols are lost (one "ë" would make the whole text
 * UCS-2, with 134 characters for everything), then leaves out what matters least: the company, the stall, the
 * second hot button, long names, the voicemail promise, the hot button; then the prospect's first name alone; as a
 * last resort the text is cut, never the link to the sheet. A name in another script is kept when that loses less
 * than spelling only what GSM-7 can of it (the sheet behind the link has it whole).
 */
export function renderSms(input: MessageInput, library: TemplateLibrary): RenderedSms {
  const view = viewModel(input, library);
  type View = typeof view;
  const steps: Array<[string, (v: View) => View]> = [
    [
      'accents',
      (v) => ({
        ...v,
        prospect: { ...v.prospect, name: gsmWhereLossless(v.prospect.name), firstName: gsmWhereLossless(v.prospect.firstName), company: v.prospect.company && gsmWhereLossless(v.prospect.company) },
      }),
    ],
    ['company', (v) => ({ ...v, prospect: { ...v.prospect, company: null } })],
    ['stall reason', (v) => ({ ...v, stallReason: null })],
    ['second hot button', (v) => ({ ...v, secondHotButton: null })],
    ['long name', (v) => ({ ...v, prospect: { ...v.prospect, name: shortName(v.prospect.name, 20) } })],
    // The promise matters only if they get voicemail, later in the call; the hot button from the first word.
    ['promise', (v) => ({ ...v, promise: null, lastAttempt: false })],
    ['hot button', (v) => ({ ...v, topHotButton: null, secondHotButton: null })],
    ['surname', (v) => ({ ...v, prospect: { ...v.prospect, name: shortName(v.prospect.firstName, 12) } })],
  ];
  const render = (v: View) => library.render(SMS_TEMPLATE, v).replace(/\s+/g, ' ').trim();
  const shorten = (start: View, dropped: string[]) => {
    let current = start;
    let body = render(current);
    for (const [what, step] of steps) {
      if (fitsSms(body)) break;
      // A step that changes nothing shown yet (the first name's accents) still carries into the later ones.
      current = step(current);
      const text = render(current);
      if (text === body) continue;
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
    // What was lost: each step one, a cut more, a text that still does not fit most of all.
    return { body, dropped, lost: dropped.length + (dropped.includes('text') ? 10 : 0) + (fitsSms(body) ? 0 : 100) };
  };
  let chosen = shorten(view, []);
  if (chosen.dropped.length > 0 && smsSegments(render(view)).encoding === 'UCS-2') {
    // A name or company in another script leaves UCS-2 134 units, often no room for the sheet's link: also try
    // with what GSM-7 can spell of them (the sheet has them whole) and keep whichever loses less.
    const gsm = (text: string) => foldToGsm7(text).text;
    const folded = { ...view, prospect: { ...view.prospect, name: gsm(view.prospect.name), firstName: gsm(view.prospect.firstName), company: view.prospect.company && (gsm(view.prospect.company) || null) } };
    const other = shorten(folded, ['characters outside GSM-7']);
    // A name GSM-7 cannot spell at all leaves "your prospect": worth more than a few details.
    if (other.lost + (folded.prospect.name ? 0 : 3) < chosen.lost) chosen = other;
  }
  const { body, dropped } = chosen;
  const size = smsSegments(body);
  return {
    body,
    template: SMS_TEMPLATE,
    segments: size.segments,
    encoding: size.encoding,
    dropped,
    voicemailTemplate: view.voicemailTemplate,
    variant: view.voicemailVariant,
  };
}

/** The voicemail script alone, for previews, with the parts and the variant it used. */
export function renderVoicemail(input: MessageInput, library: TemplateLibrary): { text: string; template: string; variant: string | null; lines: string[] } {
  const view = viewModel(input, library);
  return { text: view.voicemail, template: view.voicemailTemplate, variant: view.voicemailVariant, lines: view.voicemailLines };
}

/** What each kind of touch is called in a notice to the rep. */
const KIND_NAMES: Record<TouchKind, string> = {
  recap: 'recap email',
  resend_materials: 'email resending the materials',
  rep_reminder: 'call reminder',
  final_email: 'last email',
  rep_notice: 'notice',
  voicemail_email: 'note after your voicemail',
};

/** What a rep notice says, by what happened; `todo` is what the rep can do about it (null: nothing). */
export function noticeText(
  notice: string,
  prospect: Prospect,
  attempts?: number,
  about?: MessageInput['about'],
): { title: string; detail: string; todo: string | null } {
  switch (notice) {
    case 'cadence_exhausted':
      return {
        title: 'follow-up cadence ended',
        detail: `${attempts ?? 'All'} attempts went unanswered, so the cadence has ended${prospect.email ? ' and a last email goes out to them' : ''}. Post a new outcome when they get back in touch.`,
        todo: null,
      };
    case 'unsubscribed':
      return {
        title: 'unsubscribed from email',
        detail: 'They unsubscribed: no more emails go to them, and their pending emails are cancelled. Your call reminders go on.',
        todo: null,
      };
    case 'bounced':
      return {
        title: 'email address bounced',
        detail: 'Their email address bounced permanently: it is suppressed and their pending emails are cancelled. Check the address with them on your next call.',
        todo: null,
      };
    case 'complained':
      return {
        title: 'marked our email as spam',
        detail: 'They marked an email as spam: their address is suppressed and their pending emails are cancelled.',
        todo: null,
      };
    case 'delivery_failed': {
      const what = about ? KIND_NAMES[about.kind] : 'message';
      const when = about ? ` due ${humanTime(about.dueAt, prospect.timezone)}` : '';
      // Reps work in the console: its "Send again" is POST /v1/touches/{id}/retry, which operators can call too.
      const again = `press "Send again" on ${firstName(prospect.name)}'s page in followthrough`;
      return {
        title: `the ${what} could not be sent`,
        detail: `The ${what}${when} could not be sent, and nothing went out: ${about?.reason ?? 'no reason was recorded'}.`,
        todo:
          about?.kind === 'rep_reminder'
            ? `Call ${firstName(prospect.name)} as agreed. Once the cause is fixed, ${again} to have the reminder sent again.`
            : `Once the cause is fixed, ${again} to send it again, or write to ${firstName(prospect.name)} yourself.`,
      };
    }
    default:
      return { title: notice.replace(/_/g, ' '), detail: notice.replace(/_/g, ' '), todo: null };
  }
}
