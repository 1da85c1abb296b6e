/**
 * What the template library says about itself without rendering: which templates exist and their
 * front matter. Choosing a script variant needs only this (script.ts scriptFamily), so the api
 * function chooses at planning time from a small generated module instead of the compiled
 * templates and the Handlebars runtime, which stay in the functions that render.
 */
import { templateFiles } from '../generated/template-meta.js';

/** The read-only side of TemplateLibrary (templates.ts), which implements it too. */
export interface TemplateCatalog {
  has(name: string): boolean;
  /** Template names that start with `prefix`, in the library's order. */
  names(prefix?: string): string[];
  /** A template's front matter; empty for an unknown name. */
  meta(name: string): Record<string, string>;
}

/** A catalog on front matter alone (functions/generated/template-meta.ts, or a test's own). */
export class MetaCatalog implements TemplateCatalog {
  private readonly keys: string[];

  constructor(private readonly entries: Readonly<Record<string, Record<string, string>>>) {
    this.keys = Object.keys(entries);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.entries, name);
  }

  names(prefix = ''): string[] {
    return this.keys.filter((n) => n.startsWith(prefix));
  }

  meta(name: string): Record<string, string> {
    return (Object.hasOwn(this.entries, name) ? this.entries[name] : undefined) ?? {};
  }
}

/** Template names and front matter from the generated rows: a parts file's sections each name a template. */
export function expandFiles(files: Readonly<Record<string, [Record<string, string>, string[] | null]>>): Record<string, Record<string, string>> {
  const entries: Record<string, Record<string, string>> = {};
  for (const [name, [meta, sections]] of Object.entries(files)) {
    if (!sections) entries[name] = meta;
    else for (const section of sections) entries[`${name}/${section}`] = { ...meta, section };
  }
  return entries;
}

let shared: MetaCatalog | undefined;
/** The catalog of the templates built with this code (parts and pair scripts). */
export function templateCatalog(): TemplateCatalog {
  shared ??= new MetaCatalog(expandFiles(templateFiles));
  return shared;
}
