import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { parseFrontMatter, slim, splitSections } from '../../scripts/build-templates.js';

/** Runs a precompiled spec the way the generated module does. */
function load(spec: string) {
  // eslint-disable-next-line no-eval
  return Handlebars.template((0, eval)(`(${spec})`));
}

describe('slim (precompiled template trimming)', () => {
  const source = 'Hi {{a.b}} {{#if c}}{{#each d}}[{{this}}]{{/each}}{{else}}none{{/if}} {{> p}}';

  it('keeps output identical and strict mode strict, at a fraction of the size', () => {
    // Prepare
    const full = Handlebars.precompile(source, { strict: true }) as string;
    const slimmed = slim(full);
    Handlebars.registerPartial('p', 'partial');

    // Act
    const [before, after] = [load(full), load(slimmed)];

    // Assess
    const data = { a: { b: '<b>' }, c: true, d: [1, 2] };
    expect(after(data)).toBe(before(data));
    expect(after({ a: { b: 1 }, c: false, d: [] })).toBe('Hi 1 none partial');
    expect(() => after({ a: {}, c: true, d: [] })).toThrow(/"b" not defined/);
    expect(slimmed).not.toContain('"loc"');
    expect(slimmed).not.toContain('hasOwnProperty');
    expect(slimmed.length).toBeLessThan(full.length * 0.8);
  });
});

describe('parseFrontMatter', () => {
  it('reads key: value lines and returns the body after them', () => {
    expect(parseFrontMatter('---\nhotButton: uptime\n# a comment\nlabel: up time\n---\nHello')).toEqual({ meta: { hotButton: 'uptime', label: 'up time' }, body: 'Hello' });
    expect(parseFrontMatter('No front matter')).toEqual({ meta: {}, body: 'No front matter' });
    expect(() => parseFrontMatter('---\nnot a pair\n---\nx')).toThrow(/bad front matter line/);
  });
});

describe('splitSections (parts files)', () => {
  it('splits a parts file into named sections, trimmed, in order', () => {
    expect(splitSections('\n[voicemail.a]\nHi {{prospect.firstName}},\nthere.\n\n[mention]\nAlso this.\n')).toEqual([
      { name: 'voicemail.a', body: 'Hi {{prospect.firstName}},\nthere.' },
      { name: 'mention', body: 'Also this.' },
    ]);
  });

  it('refuses text before the first section, a section twice, and a file without sections', () => {
    expect(() => splitSections('stray words\n[a]\nx')).toThrow(/text before the first \[section\]: stray words/);
    expect(() => splitSections('[a]\nx\n[a]\ny')).toThrow(/section \[a\] appears twice/);
    expect(() => splitSections('\n\n')).toThrow(/at least one \[section\]/);
  });

  it('keeps a bracketed word inside a line as text', () => {
    expect(splitSections('[a]\nSee [note] here')).toEqual([{ name: 'a', body: 'See [note] here' }]);
  });
});
