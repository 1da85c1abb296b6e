/**
 * Scripts composed from parts (templates/parts/): the voicemail a rep leaves, and the sentences
 * prospect emails carry about the same hot buttons and stall. Each thing is written once, in the
 * file for its hot button or stall reason, and every message that speaks of it renders that part.
 *
 * A voicemail is spoken in this order: the opening (calling as promised, when we last spoke), the
 * stall reason's line, the top hot button's line (one of its variants), a short mention of a
 * second hot button, an open question, the rep's number, and the promise of the next try or the
 * last-attempt line. A hand-written script for the stall + hot button pair wins where one exists.
 */
import type { TemplateCatalog } from './template-catalog.js';
import type { TemplateLibrary } from './templates.js';
import { chooseVariant, type Rng, type VariantChoice, type VariantCounts, type VariantPolicy } from './variants.js';

/** A hot button or stall reason as the parts know it. */
export interface Subject {
  key: string;
  label: string;
  /** The parts file it reads from: parts/hot/uptime, or parts/hot/_other for a hot button without words of its own. */
  path: string;
}

export interface ScriptSubjects {
  /** The first hot button with words of its own, else the first one given. */
  hot: Subject | null;
  /** The next hot button after it, for a short mention. */
  second: Subject | null;
  stall: Subject | null;
  /** The hand-written whole scripts for this stall + hot button pair, when any exist. */
  pairs: string[];
}

/** The choice a voicemail offers for learning: the variants that compete for this prospect. */
export interface ScriptFamily {
  /** "hot.uptime" (composed) or "pair.price+cost_savings" (hand-written). */
  family: string;
  /** Full variant ids: "hot.uptime.a", "hot.uptime.b". */
  variants: string[];
}

export interface ComposedScript {
  /** One paragraph, as spoken. */
  text: string;
  /** The same words part by part, for the call-prep sheet. */
  lines: string[];
  /** Names the parts used: voicemail/parts[opening.as_promised,stall.price,hot.uptime.b,...]. */
  template: string;
  /** The variant id spoken ("hot.uptime.b"), null when nothing competed. */
  variant: string | null;
}

/** What prospect emails say about the hot buttons and the stall: the same parts, in writing. */
export interface Pitch {
  hot: { key: string; label: string; why: string; focus: string; question: string } | null;
  second: { key: string; label: string; mention: string } | null;
  stall: { key: string; label: string; line: string; question: string; agreed: string; ahead: string } | null;
}

const HOT = 'parts/hot/';
const STALL = 'parts/stall/';
const OTHER = `${HOT}_other`;
const GENERAL = 'parts/general';

/** The hot buttons and stall reasons the parts have words for. */
export function knownSubjects(library: TemplateCatalog): { hotButtons: string[]; stallReasons: string[] } {
  const keyed = (prefix: string, field: string) =>
    [...new Set(library.names(prefix).map((n) => library.meta(n)[field]).filter((k): k is string => Boolean(k)))].sort();
  return { hotButtons: keyed(HOT, 'hotButton'), stallReasons: keyed(STALL, 'stallReason') };
}

function subject(library: TemplateCatalog, kind: 'hot' | 'stall', key: string): Subject {
  const path = `${kind === 'hot' ? HOT : STALL}${key}`;
  if (library.names(`${path}/`).length) return { key, label: library.meta(`${path}/${firstSection(library, path)}`).label ?? key.replace(/_/g, ' '), path };
  return { key, label: key.replace(/_/g, ' '), path: kind === 'hot' ? OTHER : path };
}

function firstSection(library: TemplateCatalog, path: string): string {
  return library.names(`${path}/`)[0]!.slice(path.length + 1);
}

/** Which hot buttons and stall the script speaks to, from the prospect's ordered hot buttons. */
export function scriptSubjects(library: TemplateCatalog, hotButtons: readonly string[], stallReason?: string): ScriptSubjects {
  const unique = [...new Set(hotButtons)];
  const known = unique.filter((hb) => library.has(`${HOT}${hb}/voicemail.a`));
  const topKey = known[0] ?? unique[0];
  const secondKey = unique.filter((hb) => hb !== topKey)[0];
  const hot = topKey ? subject(library, 'hot', topKey) : null;
  const stall = stallReason && library.names(`${STALL}${stallReason}/`).length ? subject(library, 'stall', stallReason) : null;
  const pairs =
    hot && stall && hot.path !== OTHER
      ? library
          .names('voicemail/')
          .filter((n) => library.meta(n).hotButton === hot.key && library.meta(n).stallReason === stall.key)
          .sort()
      : [];
  return { hot, second: secondKey ? subject(library, 'hot', secondKey) : null, stall, pairs };
}

/** The variants that compete for a prospect with these hot buttons and stall; null when there is no choice to learn. */
export function scriptFamily(library: TemplateCatalog, hotButtons: readonly string[], stallReason?: string): ScriptFamily | null {
  const subjects = scriptSubjects(library, hotButtons, stallReason);
  return familyOf(library, subjects);
}

function familyOf(library: TemplateCatalog, subjects: ScriptSubjects): ScriptFamily | null {
  const { hot, stall, pairs } = subjects;
  if (pairs.length) {
    const family = `pair.${stall!.key}+${hot!.key}`;
    return { family, variants: pairs.map((name) => `${family}.${library.meta(name).variant ?? 'a'}`) };
  }
  if (!hot || hot.path === OTHER) return null;
  const family = `hot.${hot.key}`;
  const variants = library
    .names(`${hot.path}/voicemail.`)
    .map((name) => `${family}.${name.slice(`${hot.path}/voicemail.`.length)}`)
    .sort();
  return { family, variants };
}

/**
 * The variant a rep reminder's script should use, chosen when the reminder is planned: Thompson
 * sampling over the team's stored counts for the family this prospect's hot buttons and stall
 * select. Null when no family applies (no hot button with words of its own); a family of one (a
 * single hand-written pair) gives its variant with reason `only`, so its uses are still counted.
 * Needs only the catalog (names and front matter), not the compiled templates.
 */
export function chooseScriptVariant(
  library: TemplateCatalog,
  hotButtons: readonly string[],
  stallReason: string | undefined,
  counts: Readonly<Record<string, VariantCounts>>,
  policy: VariantPolicy,
  rng: Rng,
): (VariantChoice & { family: string }) | null {
  const family = scriptFamily(library, hotButtons, stallReason);
  if (!family) return null;
  return { family: family.family, ...chooseVariant(family.family, family.variants, counts, policy, rng) };
}

/** The family a variant id belongs to: "hot.uptime.b" is in "hot.uptime". */
export function familyOfVariant(variant: string): string {
  return variant.slice(0, variant.lastIndexOf('.'));
}

type Context = Record<string, unknown> & { promise: unknown; lastAttempt: boolean; rep: { phoneSpoken: string | null } };

function speak(library: TemplateLibrary, name: string, context: unknown): string {
  return library.render(name, context).replace(/\s+/g, ' ').trim();
}

function partContext(base: Context, subjects: ScriptSubjects) {
  const brief = (s: Subject | null) => (s ? { key: s.key, label: s.label } : null);
  return { ...base, part: { hot: brief(subjects.hot), second: brief(subjects.second), stall: brief(subjects.stall) } };
}

/**
 * The voicemail for a view model. `variant` is the id chosen for this touch (Thompson sampling at
 * planning time); one from another family, or none, gives the family's first variant. `attempt`
 * above 1 opens with "again": the script of a retry, not of the agreed call.
 */
export function composeVoicemail(
  library: TemplateLibrary,
  base: Context,
  subjects: ScriptSubjects,
  options: { variant?: string; attempt?: number | null } = {},
): ComposedScript {
  const context = partContext(base, subjects);
  const family = familyOf(library, subjects);
  const variant = family ? (family.variants.includes(options.variant ?? '') ? options.variant! : family.variants[0]!) : null;
  const { hot, second, stall } = subjects;
  const part = (path: string, section: string) => speak(library, `${path}/${section}`, context);
  const opening = (options.attempt ?? 1) > 1 ? 'again' : 'as_promised';
  const close = base.promise ? 'promise' : 'last';
  const shared = {
    opening: part(GENERAL, `opening.${opening}`),
    mention: second ? part(second.path, 'mention') : null,
    number: base.rep.phoneSpoken ? part(GENERAL, 'number') : null,
    close: part(GENERAL, close),
  };
  const sharedNames = [`opening.${opening}`, ...(second ? [`mention.${second.key}`] : []), ...(shared.number ? ['number'] : []), close];

  if (subjects.pairs.length && variant) {
    // A hand-written pair script: its own middle, the shared opening, mention, number and close.
    const name = subjects.pairs[family!.variants.indexOf(variant)]!;
    const text = speak(library, name, { ...context, script: shared });
    return { text, lines: [text], template: `${name}[${sharedNames.join(',')}]`, variant };
  }

  const used: string[] = [];
  const lines: string[] = [];
  const say = (text: string | null, name: string) => {
    if (!text) return;
    lines.push(text);
    used.push(name);
  };
  say(shared.opening, `opening.${opening}`);
  if (stall) say(part(stall.path, 'line'), `stall.${stall.key}`);
  if (hot && variant) say(part(hot.path, `voicemail.${variant.slice(variant.lastIndexOf('.') + 1)}`), variant);
  else if (hot) say(part(hot.path, 'voicemail.a'), `hot.${hot.key}`);
  else say(part(GENERAL, 'line'), 'line.general');
  if (second) say(shared.mention, `mention.${second.key}`);
  if (stall) say(part(stall.path, 'question'), `question.${stall.key}`);
  else if (hot) say(part(hot.path, 'question'), `question.${hot.key}`);
  else say(part(GENERAL, 'question'), 'question.general');
  say(shared.number, 'number');
  say(shared.close, close);
  return { text: lines.join(' '), lines, template: `voicemail/parts[${used.join(',')}]`, variant };
}

/** The email sentences about the top hot button, a second one and the stall. */
export function composePitch(library: TemplateLibrary, base: Context, subjects: ScriptSubjects): Pitch {
  const context = partContext(base, subjects);
  const { hot, second, stall } = subjects;
  const part = (path: string, section: string) => speak(library, `${path}/${section}`, context);
  return {
    hot: hot ? { key: hot.key, label: hot.label, why: part(hot.path, 'why'), focus: part(hot.path, 'focus'), question: part(hot.path, 'question') } : null,
    second: second ? { key: second.key, label: second.label, mention: part(second.path, 'mention') } : null,
    stall: stall
      ? {
          key: stall.key,
          label: stall.label,
          line: part(stall.path, 'line'),
          question: part(stall.path, 'question'),
          agreed: part(stall.path, 'agreed'),
          ahead: part(stall.path, 'ahead'),
        }
      : null,
  };
}
