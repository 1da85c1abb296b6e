/**
 * Figure 6: renders per second of the rep_reminder sheet (renderEmail, kind rep_reminder: the
 * voicemail script, subject, HTML and text), with the shared precompiled TemplateLibrary against
 * a library that compiles the template sources with full Handlebars on every render.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { renderEmail, type MessageInput } from '../../functions/core/messages.js';
import type { Call, Prospect, Rep } from '../../functions/core/schemas.js';
import { TemplateLibrary, templateLibrary } from '../../functions/core/templates.js';
import { parseFrontMatter, splitSections } from '../../scripts/build-templates.js';
import { MATERIALS } from './fixtures.bench-harness.js';
import { median, round } from './lib.bench-harness.js';

const TEMPLATES = new URL('../../templates/', import.meta.url).pathname;

interface Source {
  meta: Record<string, string>;
  body: string;
  html: boolean;
}

function loadSources(): Map<string, Source> {
  const out = new Map<string, Source>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.hbs')) {
        const key = relative(TEMPLATES, path).replace(/\\/g, '/').replace(/\.hbs$/, '');
        const { meta, body } = parseFrontMatter(readFileSync(path, 'utf8'));
        const html = key.endsWith('.html');
        // A parts file holds named sections, each its own template (as scripts/build-templates.ts names them).
        if (key.startsWith('parts/')) for (const section of splitSections(body)) out.set(`${key}/${section.name}`, { meta, body: section.body, html });
        else out.set(key, { meta, body, html });
      }
    }
  };
  walk(TEMPLATES);
  return out;
}

/**
 * The shared library's selection and metadata, but every render() builds a fresh Handlebars
 * environment and compiles the template and its partials from source, with the build's options.
 */
export class CompilingLibrary extends TemplateLibrary {
  private readonly sources = loadSources();

  override render(name: string, context: unknown): string {
    const env = Handlebars.create();
    const options = (html: boolean) => ({ strict: true, noEscape: !html, preventIndent: true });
    for (const [key, src] of this.sources) {
      if (!key.startsWith('partials/')) continue;
      const partial = env.compile(src.body, options(src.html));
      env.registerPartial(key.slice('partials/'.length).replace(/\.(html|text)$/, ''), partial);
      env.registerPartial(key.slice('partials/'.length), partial);
    }
    const src = this.sources.get(name);
    if (!src) throw new Error(`no template named ${name}`);
    return env.compile(src.body, options(src.html))(context);
  }
}

export function sampleReminder(): MessageInput {
  const now = new Date('2026-11-25T20:59:00Z');
  const rep: Rep = {
    id: 'rep-1',
    name: 'Ann Rep',
    email: 'ann@example.com',
    phone: '+15551230000',
    timezone: 'America/New_York',
    reminderChannel: 'email',
    company: 'Brightline Pumps',
    signature: 'Ann Rep, Brightline Pumps',
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
  };
  const prospect: Prospect = {
    id: 'dana',
    repId: 'rep-1',
    name: 'Dana Buyer',
    company: 'Acme Plant',
    email: 'dana@example.com',
    phone: '+15557654321',
    timezone: 'America/Chicago',
    country: 'US',
    hotButtons: ['uptime', 'cost_savings'],
    status: 'active',
    callbackAt: '2026-11-25T21:00:00Z',
    attemptDueAt: '2026-11-25T21:00:00Z',
    attempts: 0,
    version: 2,
    createdAt: '2026-11-23T15:00:00Z',
    updatedAt: '2026-11-23T15:00:00Z',
  };
  const call: Call = {
    id: 'call-1',
    prospectId: 'dana',
    repId: 'rep-1',
    outcome: 'callback_agreed',
    at: '2026-11-23T15:00:00Z',
    callbackAt: '2026-11-25T21:00:00Z',
    hotButtons: ['uptime'],
    discussed: 'Line 3 stops twice a week; the service plan presented',
    whatHappensNext: 'Dana reviews the quote with the plant manager',
    decisionMakers: ['Dana', 'Lee (plant manager)'],
    materials: MATERIALS,
    notes: 'Asked about response times for weekend breakdowns.',
    sendRecap: false,
    recordedAt: '2026-11-23T15:00:00Z',
  };
  return {
    kind: 'rep_reminder',
    rep,
    prospect,
    call,
    lastConversation: call,
    dueAt: '2026-11-25T21:00:00Z',
    attempt: 1,
    promiseAt: '2026-11-26T15:30:00Z',
    callbackAt: '2026-11-25T21:00:00Z',
    resent: { at: '2026-11-25T20:50:00Z', titles: MATERIALS.map((m) => m.title) },
    now,
    links: { sheet: 'https://api.example.com/v1/sheets/abc', unsubscribe: undefined },
  };
}

export interface TemplateFigure {
  compiledOnce: { perSecond: number; perBatch: number[] };
  compiledPerRender: { perSecond: number; perBatch: number[] };
  ratio: number;
  sameOutput: boolean;
}

function rate(fn: () => void, ms: number): number {
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    fn();
    n++;
    if (n % 8 === 0) t = performance.now();
  }
  return n / ((performance.now() - t0) / 1000);
}

export function templateFigure(options: { batches?: number; batchMs?: number } = {}): TemplateFigure {
  const batches = options.batches ?? 5;
  const batchMs = options.batchMs ?? 400;
  const input = sampleReminder();
  const shared = templateLibrary();
  const compiling = new CompilingLibrary();
  const a = renderEmail(input, shared);
  const b = renderEmail(input, compiling);
  const sameOutput = a.html === b.html && a.text === b.text && a.subject === b.subject;
  // Warm both.
  rate(() => renderEmail(input, shared), 200);
  rate(() => renderEmail(input, compiling), 200);
  const once: number[] = [];
  const each: number[] = [];
  for (let i = 0; i < batches; i++) {
    once.push(rate(() => renderEmail(input, shared), batchMs));
    each.push(rate(() => renderEmail(input, compiling), batchMs));
  }
  return {
    compiledOnce: { perSecond: round(median(once), 0), perBatch: once.map((x) => round(x, 0)) },
    compiledPerRender: { perSecond: round(median(each), 0), perBatch: each.map((x) => round(x, 0)) },
    ratio: round(median(once) / median(each), 1),
    sameOutput,
  };
}
