/**
 * Checks and precompiles every Handlebars template under templates/ into one module, so Lambdas
 * ship only the small Handlebars runtime and never compile at cold start.
 *
 * File conventions:
 *   *.html.hbs            HTML, escaped output
 *   other *.hbs           text (subjects, text parts, voicemail, SMS), unescaped output
 *   front matter          optional `---` block of `key: value` lines (what a template matches)
 *   parts/**              one file per subject (a hot button, a stall reason) holding named sections,
 *                         each started by a line `[name]`; section `s` of parts/hot/uptime.hbs becomes
 *                         the template parts/hot/uptime/s, so one file says everything about uptime
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { buildHolidays } from './build-holidays.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const templatesDir = join(root, 'templates');
const outFile = join(root, 'functions', 'generated', 'templates.ts');
const metaFile = join(root, 'functions', 'generated', 'template-meta.ts');

/**
 * What choosing a script variant reads (functions/core/template-catalog.ts): the names and front
 * matter of the parts and pair scripts, without the compiled bodies or descriptions, so the api
 * function can choose at planning time without carrying the templates and the Handlebars runtime.
 */
const CATALOG_PREFIXES = ['parts/hot/', 'parts/stall/', 'voicemail/'];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.hbs') ? [path] : [];
  });
}

export function parseFrontMatter(source: string): { meta: Record<string, string>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
  if (!match) return { meta: {}, body: source };
  const meta: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const m = /^([A-Za-z][\w]*)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new Error(`bad front matter line: ${line}`);
    meta[m[1]!] = m[2]!.trim();
  }
  return { meta, body: source.slice(match[0].length) };
}

/**
 * Splits a parts file into its sections: `[name]` on a line of its own starts one, and runs to
 * the next. Text before the first section is refused, so nothing is silently dropped.
 */
export function splitSections(body: string): Array<{ name: string; body: string }> {
  const sections: Array<{ name: string; body: string }> = [];
  let current: { name: string; lines: string[] } | undefined;
  const done = () => current && sections.push({ name: current.name, body: current.lines.join('\n').trim() });
  for (const line of body.split(/\r?\n/)) {
    const start = /^\[([a-z][\w.-]*)\]\s*$/i.exec(line);
    if (start) {
      done();
      if (sections.some((s) => s.name === start[1])) throw new Error(`section [${start[1]}] appears twice`);
      current = { name: start[1]!, lines: [] };
    } else if (current) {
      current.lines.push(line);
    } else if (line.trim()) {
      throw new Error(`text before the first [section]: ${line.trim().slice(0, 40)}`);
    }
  }
  done();
  if (!sections.length) throw new Error('a parts file needs at least one [section]');
  return sections;
}

function precompile(body: string, html: boolean): string {
  // Parsing first gives a clean syntax error with the file name.
  Handlebars.parse(body);
  return slim(Handlebars.precompile(body, { strict: true, noEscape: !html, preventIndent: true, knownHelpersOnly: true }) as string);
}

/**
 * Drops what the bundled runtime never uses from precompiled code, about half its size: the
 * fallback for runtimes before 4.6 (ours always has container.lookupProperty), and source
 * locations, which only decorate error messages (the render tests find template errors first).
 */
export function slim(spec: string): string {
  const LOC = '\\{"start":\\{"line":\\d+,"column":\\d+\\},"end":\\{"line":\\d+,"column":\\d+\\}\\}';
  return spec
    .replace(
      /container\.lookupProperty \|\| function\(parent, propertyName\) \{\s*if \(Object\.prototype\.hasOwnProperty\.call\(parent, propertyName\)\) \{\s*return parent\[propertyName\];\s*\}\s*return undefined\s*\}/g,
      'container.lookupProperty',
    )
    .replace(new RegExp(`,"loc":${LOC}`, 'g'), '')
    .replace(new RegExp(`, ${LOC} \\)`, 'g'), ')');
}

function sectionsOf(body: string, file: string): Array<{ name: string; body: string }> {
  try {
    return splitSections(body);
  } catch (error) {
    throw new Error(`template ${relative(root, file)}: ${(error as Error).message}`);
  }
}

export function buildTemplates(): { count: number; outFile: string } {
  const entries: string[] = [];
  // One row per file: its front matter once (no description) and, for a parts file, its sections.
  const catalog = new Map<string, { meta: Record<string, string>; sections: string[] | null }>();
  const files = walk(templatesDir).sort();
  for (const file of files) {
    const name = relative(templatesDir, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
    const { meta, body } = parseFrontMatter(readFileSync(file, 'utf8'));
    const html = name.endsWith('.html');
    const units = name.startsWith('parts/')
      ? sectionsOf(body, file).map((section) => ({ name: `${name}/${section.name}`, meta: { ...meta, section: section.name }, body: section.body }))
      : [{ name, meta, body }];
    for (const unit of units) {
      let spec: string;
      try {
        spec = precompile(unit.body, html);
      } catch (error) {
        throw new Error(`template ${relative(root, file)}${unit.name === name ? '' : ` [${unit.meta.section}]`}: ${(error as Error).message}`);
      }
      entries.push(`  ${JSON.stringify(unit.name)}: { meta: ${JSON.stringify(unit.meta)}, html: ${html}, spec: ${spec} },`);
      if (CATALOG_PREFIXES.some((prefix) => name.startsWith(prefix))) {
        const meta: Record<string, string> = { ...unit.meta };
        delete meta.description;
        delete meta.section;
        const row = catalog.get(name) ?? { meta, sections: name.startsWith('parts/') ? [] : null };
        if (row.sections) row.sections.push(unit.meta.section!);
        catalog.set(name, row);
      }
    }
  }
  const source = `// Generated by scripts/build-templates.ts from templates/. Do not edit; run npm run build:templates.
// @ts-nocheck
/* eslint-disable */
import type { CompiledTemplateEntry } from '../core/template-types.js';
export const compiledTemplates: Record<string, CompiledTemplateEntry> = {
${entries.join('\n')}
};
`;
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, source);
  writeFileSync(
    metaFile,
    `// Generated by scripts/build-templates.ts from templates/. Do not edit; run npm run build:templates.
/**
 * The script parts and pair scripts as choosing a variant reads them: per file, its front matter
 * (without descriptions) and, for a parts file, its sections (each the template <file>/<section>).
 */
export const templateFiles: Record<string, [Record<string, string>, string[] | null]> = {
${[...catalog].map(([name, row]) => `  ${JSON.stringify(name)}: [${JSON.stringify(row.meta)}, ${JSON.stringify(row.sections)}],`).join('\n')}
};
`,
  );
  buildHolidays(); // functions/generated/holidays.ts too, so every entry point that builds templates has both
  return { count: entries.length, outFile };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { count } = buildTemplates();
  if (!process.env.QUIET) console.log(`templates: ${count} checked and precompiled`);
}
