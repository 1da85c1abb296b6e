/**
 * The template library at run time: precompiled templates, selection most specific first, and
 * rendering in strict mode. Templates receive a finished view model; rep and prospect data are
 * only ever data, never compiled.
 */
import HandlebarsRuntime from 'handlebars/runtime.js';
import type HandlebarsFull from 'handlebars';
import { compiledTemplates } from '../generated/templates.js';
import type { CompiledTemplateEntry } from './template-types.js';

type Render = (context: unknown) => string;

// Only the runtime ships in the bundle; its types are the full package's.
const Handlebars = HandlebarsRuntime as unknown as typeof HandlebarsFull;

export class TemplateLibrary {
  private readonly env = Handlebars.create();
  private readonly cache = new Map<string, Render>();

  constructor(private readonly entries: Record<string, CompiledTemplateEntry> = compiledTemplates) {
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
    return Object.keys(this.entries).filter((n) => n.startsWith(prefix));
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
   * How a hot button reads to people: the `label:` a voicemail script for it declares in its front
   * matter ("risk and compliance"), else the key with spaces ("risk compliance").
   */
  hotButtonLabel(key: string, folder = 'voicemail'): string {
    const declared = this.names(`${folder}/`)
      .map((n) => this.meta(n))
      .find((meta) => meta.hotButton === key && !meta.stallReason && meta.label);
    return declared?.label ?? key.replace(/_/g, ' ');
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
