/**
 * The From header's display name: plain ASCII quoted, anything else as RFC 2047 encoded-words of at most 75
 * characters each, split between characters, which decode back to the name.
 */
import { describe, expect, it } from 'vitest';
import { formatAddress } from '../../functions/core/email.js';

/** Decodes adjacent "B" encoded-words as a mail reader does: the spaces between them are dropped. */
function decode(display: string): string {
  const words = display.split(' ');
  for (const w of words) expect(w).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/);
  return Buffer.concat(words.map((w) => Buffer.from(w.slice('=?UTF-8?B?'.length, -2), 'base64'))).toString('utf8');
}

describe('formatAddress', () => {
  it('quotes an ASCII name and escapes what a quoted string cannot hold', () => {
    // Act + Assess
    expect(formatAddress('Ann O\'Neil & Co <Sales>', 'ann@example.com')).toBe('"Ann O\'Neil & Co <Sales>" <ann@example.com>');
    expect(formatAddress('A "B" C\\D', 'a@example.com')).toBe('"A  B  C\\\\D" <a@example.com>');
    expect(formatAddress('  ', 'a@example.com')).toBe('a@example.com');
  });

  it('encodes a long name outside ASCII in encoded-words of at most 75 characters that decode to the name', () => {
    // Prepare: 100 characters, several bytes each, an emoji (4 bytes) among them.
    const name = `Zoë Ærøskøbing-Müller von Großherzog 山田太郎 🚀 ${'Ø'.repeat(50)}`;

    // Act
    const from = formatAddress(name, 'followthrough@example.com');

    // Assess
    const display = from.slice(0, from.lastIndexOf(' <'));
    expect(from.endsWith(' <followthrough@example.com>')).toBe(true);
    expect(display.split(' ').length).toBeGreaterThan(2);
    for (const word of display.split(' ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(decode(display)).toBe(name);
    expect(decode(formatAddress('Jörg Weiß', 'a@example.com').slice(0, -' <a@example.com>'.length))).toBe('Jörg Weiß');
  });
});
