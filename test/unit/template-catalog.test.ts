/**
 * The catalog the api function chooses variants from (names and front matter, generated at build
 * time) must give the same families and choices as the full template library the fire and render
 * functions compose scripts from: otherwise a reminder would record a variant its sheet never speaks.
 */
import { describe, expect, it } from 'vitest';
import { STALL_REASONS } from '../../functions/core/schemas.js';
import { chooseScriptVariant, knownSubjects, scriptFamily } from '../../functions/core/script.js';
import { templateCatalog } from '../../functions/core/template-catalog.js';
import { TemplateLibrary } from '../../functions/core/templates.js';
import { seededRng } from '../../functions/core/variants.js';

const library = new TemplateLibrary();
const catalog = templateCatalog();
const POLICY = { pinned: {}, floor: 0.1 };

describe('templateCatalog', () => {
  it('knows the same hot buttons and stall reasons as the library', () => {
    expect(knownSubjects(catalog)).toEqual(knownSubjects(library));
    expect(knownSubjects(catalog).hotButtons).toHaveLength(8);
    expect(knownSubjects(catalog).stallReasons).toEqual([...STALL_REASONS].sort());
  });

  it('gives every hot button, stall and pair the library’s family, and the same choice from the same draws', () => {
    const { hotButtons } = knownSubjects(library);
    let families = 0;
    for (const hot of [...hotButtons, 'brand_image', undefined]) {
      for (const second of [undefined, 'uptime', 'brand_image']) {
        for (const stall of [...STALL_REASONS, undefined]) {
          const buttons = [hot, second].filter((b): b is string => Boolean(b));
          const expected = scriptFamily(library, buttons, stall);
          expect(scriptFamily(catalog, buttons, stall)).toEqual(expected);
          const counts = { [`hot.${hot}.a`]: { used: 9, callbacks: 4 }, [`hot.${hot}.b`]: { used: 7, callbacks: 1 } };
          expect(chooseScriptVariant(catalog, buttons, stall, counts, POLICY, seededRng(7))).toEqual(
            chooseScriptVariant(library, buttons, stall, counts, POLICY, seededRng(7)),
          );
          if (expected) families++;
        }
      }
    }
    expect(families).toBeGreaterThan(100);
  });

  it('holds the names of the parts and pair scripts with their front matter, no compiled template, no description', () => {
    const names = catalog.names();
    expect(names.every((n) => /^(parts\/(hot|stall)\/|voicemail\/)/.test(n))).toBe(true);
    expect(names).toEqual(library.names().filter((n) => /^(parts\/(hot|stall)\/|voicemail\/)/.test(n)));
    for (const name of names) {
      const { description: _description, ...meta } = library.meta(name);
      expect(catalog.meta(name)).toEqual(meta);
    }
    expect(catalog.meta('parts/hot/uptime/voicemail.b')).toEqual({ hotButton: 'uptime', label: 'uptime', section: 'voicemail.b' });
    expect(catalog.meta('email/recap/subject')).toEqual({});
    expect(catalog.has('parts/hot/uptime/voicemail.a')).toBe(true);
    expect(catalog.has('toString')).toBe(false);
  });
});
