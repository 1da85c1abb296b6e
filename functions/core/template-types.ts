/** Shape of one precompiled template in functions/generated/templates.ts. */
export interface CompiledTemplateEntry {
  /** Front matter: what the template matches (hotButton, stallReason, description). */
  meta: Record<string, string>;
  /** HTML templates escape their output; text templates do not. */
  html: boolean;
  /** Handlebars precompiled template spec. */
  spec: unknown;
}
