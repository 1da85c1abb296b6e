import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { parseFrontMatter, slim } from '../../scripts/build-templates.js';

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
