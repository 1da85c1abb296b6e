/**
 * The template library at run time: precompiled templates, selection most specific first, and
 * rendering in strict mode. Templates receive a finished view model; rep and prospect data are
 * only ever data, never compiled.
 */
import HandlebarsRuntime from 'handlebars/runtime.js';
import type HandlebarsFull from 'handlebars';
import { compiledTemplates } from '../generated/templates.js';
import type { TemplateCatalog } from './template-catalog.js';
import type { CompiledTemplateEntry } from './template-types.js';

type Render = (context: unknown) => string;

// Only the runtime ships in the bundle; its types are the full package's.
const Handlebars = HandlebarsRuntime as unknown as typeof HandlebarsFull;

export class TemplateLibrary implements TemplateCatalog {
  private readonly env = Handlebars.create();
  private readonly cache = new Map<string, Render>();
  private readonly keys: string[];
  /** Labels are looked up on every render; the entries never change after construction. */
  private readonly labels = new Map<string, string | undefined>();

  constructor(private readonly entries: Record<string, CompiledTemplateEntry> = compiledTemplates) {
    this.keys = Object.keys(entries);
    for (const [name, entry] of Object.entries(entries)) {
      if (name.startsWith('partials/')) {
        // Partials are called by their file name without folder or extension: {{> layout}}.
        const partial = name.slice('partials/'.length).replace(/\.(html|text)$/, '');
        this.env.registerPartial(partial, this.env.template(entry.spec as TemplateSpecification));
        this.env.registerPartial(name.slice('partials/'.length), this.env.template(entry.spec as TemplateSpecification));
      }
    }
  }

  has(name: string): boolean {
    return name in this.entries;
  }

  names(prefix = ''): string[] {
    return this.keys.filter((n) => n.startsWith(prefix));
  }

  meta(name: string): Record<string, string> {
    return this.entries[name]?.meta ?? {};
  }

  render(name: string, context: unknown): string {
    let fn = this.cache.get(name);
    if (!fn) {
      const entry = this.entries[name];
      if (!entry) throw new Error(`no template named ${name}`);
      fn = this.env.template(entry.spec as TemplateSpecification) as Render;
      this.cache.set(name, fn);
    }
    return fn(context);
  }

  /**
   * How a hot button reads to people: the `label:` its parts file declares ("risk and compliance"),
   * else the `label:` of a script for it under `folder`, else the key with spaces ("brand image").
   */
  hotButtonLabel(key: string, folder = 'voicemail'): string {
    return this.declaredLabel('hotButton', key, ['parts/hot/', `${folder}/`]) ?? key.replace(/_/g, ' ');
  }

  /** How a stall reason reads: "talking to the other decision maker", from its parts file. */
  stallLabel(key: string): string {
    return this.declaredLabel('stallReason', key, ['parts/stall/']) ?? key.replace(/_/g, ' ');
  }

  private declaredLabel(field: 'hotButton' | 'stallReason', key: string, folders: string[]): string | undefined {
    const cacheKey = `${field}:${key}:${folders.join('|')}`;
    if (this.labels.has(cacheKey)) return this.labels.get(cacheKey);
    const other = field === 'hotButton' ? 'stallReason' : 'hotButton';
    let label: string | undefined;
    for (const folder of folders) {
      label = this.names(folder)
        .map((n) => this.meta(n))
        .find((meta) => meta[field] === key && !meta[other] && meta.label)?.label;
      if (label) break;
    }
    this.labels.set(cacheKey, label);
    return label;
  }

  /**
   * Picks the voicemail script (or another keyed family under `folder`): stall reason + hot button,
   * hot button, stall reason, default. The top hot button that has any template is the one used,
   * so an unknown hot button falls through to the next one and then to the defaults.
   */
  select(folder: string, hotButtons: readonly string[], stallReason?: string): string {
    const candidates = this.names(`${folder}/`);
    const matches = (name: string, hb: string | undefined, sr: string | undefined) => {
      const meta = this.meta(name);
      return (meta.hotButton ?? undefined) === hb && (meta.stallReason ?? undefined) === sr;
    };
    const top = hotButtons.find((hb) => candidates.some((n) => this.meta(n).hotButton === hb));
    const order: Array<[string | undefined, string | undefined]> = [];
    if (top && stallReason) order.push([top, stallReason]);
    if (top) order.push([top, undefined]);
    if (stallReason) order.push([undefined, stallReason]);
    order.push([undefined, undefined]);
    for (const [hb, sr] of order) {
      const found = candidates.find((n) => matches(n, hb, sr));
      if (found) return found;
    }
    throw new Error(`no default template in ${folder}/`);
  }
}

type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

let shared: TemplateLibrary | undefined;
/** One library per process: templates are turned into functions once. */
export function templateLibrary(): TemplateLibrary {
  shared ??= new TemplateLibrary();
  return shared;
}
