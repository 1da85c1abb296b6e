/**
 * SMS length on the wire: GSM-7 or UCS-2, extension characters at two septets, and the segment
 * boundaries of single and concatenated messages.
 */
import { describe, expect, it } from 'vitest';
import { fitSms, fitsSms, foldToGsm7, isGsm7, smsSegments } from '../../functions/core/sms-text.js';

describe('smsSegments', () => {
  it('tells GSM-7 from UCS-2', () => {
    // Prepare
    const gsm = 'Call Dana @ 4:00 PM: £5, ¥6, é è ù ì ò Ç Ø å Δ ß É Ä Ö Ñ Ü § ¿ ¡ à ñ _ !';
    const ucs = ['Zoë', '李', 'naïve', 'Łódź', 'café’s', 'emoji 😀', '“quoted”', 'en–dash'];

    // Act + Assess
    expect(isGsm7(gsm)).toBe(true);
    expect(smsSegments(gsm).encoding).toBe('GSM-7');
    for (const text of ucs) {
      expect(isGsm7(text)).toBe(false);
      expect(smsSegments(text).encoding).toBe('UCS-2');
    }
  });

  it('counts each extension character as two septets', () => {
    for (const ch of ['€', '[', ']', '{', '}', '^', '~', '|', '\\']) {
      // Act
      const size = smsSegments(`a${ch}b`);

      // Assess
      expect(size).toEqual({ encoding: 'GSM-7', segments: 1, units: 4 });
    }
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(smsSegments(`${'€'.repeat(80)}a`)).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
  });

  it('splits GSM-7 at 160 for one message and 153 per part after that', () => {
    // Act + Assess
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', segments: 0, units: 0 });
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2, units: 161 });
    expect(smsSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', segments: 2, units: 306 });
    expect(smsSegments('a'.repeat(307))).toEqual({ encoding: 'GSM-7', segments: 3, units: 307 });
    expect(smsSegments('a'.repeat(459)).segments).toBe(3);
    expect(smsSegments('a'.repeat(460)).segments).toBe(4);
  });

  it('splits UCS-2 at 70 for one message and 67 per part after that', () => {
    // Act + Assess
    expect(smsSegments('李'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(smsSegments('李'.repeat(71))).toEqual({ encoding: 'UCS-2', segments: 2, units: 71 });
    expect(smsSegments('李'.repeat(134))).toEqual({ encoding: 'UCS-2', segments: 2, units: 134 });
    expect(smsSegments('李'.repeat(135))).toEqual({ encoding: 'UCS-2', segments: 3, units: 135 });
    expect(smsSegments(`Zoë ${'a'.repeat(197)}`)).toEqual({ encoding: 'UCS-2', segments: 3, units: 201 });
    expect(smsSegments(`Zoë ${'a'.repeat(198)}`).segments).toBe(4);
  });

  it('never splits an escape pair or a surrogate pair across segments', () => {
    // Prepare: the escape would be the 153rd septet and the emoji the 67th unit.
    const gsm = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    const ucs = `${'李'.repeat(66)}😀${'李'.repeat(66)}`;

    // Act
    const gsmSize = smsSegments(gsm);
    const ucsSize = smsSegments(ucs);

    // Assess
    expect(gsmSize).toEqual({ encoding: 'GSM-7', segments: 3, units: 306 });
    expect(ucsSize).toEqual({ encoding: 'UCS-2', segments: 3, units: 134 });
    expect(smsSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
  });
});

describe('fitsSms and fitSms', () => {
  it('allows two segments in either encoding by default', () => {
    // Act + Assess
    expect(fitsSms('a'.repeat(306))).toBe(true);
    expect(fitsSms('a'.repeat(307))).toBe(false);
    expect(fitsSms('李'.repeat(134))).toBe(true);
    expect(fitsSms('李'.repeat(135))).toBe(false);
    // One character outside GSM-7 turns a 160-character text into three UCS-2 segments.
    expect(fitsSms(`Zoë ${'a'.repeat(156)}`)).toBe(false);
    expect(fitsSms('a'.repeat(161), { 'GSM-7': 1, 'UCS-2': 1 })).toBe(false);
  });

  it('returns a text that fits unchanged', () => {
    // Act + Assess
    expect(fitSms('Call Dana now.', undefined, 'Sheet: https://x.example/s')).toBe('Call Dana now. Sheet: https://x.example/s');
  });

  it('cuts a long text at a word and keeps the suffix whole', () => {
    // Prepare
    const words = 'word '.repeat(100).trim();
    const link = `Sheet: https://followthrough.example.com/s/${'k'.repeat(80)}`;

    // Act
    const fitted = fitSms(words, undefined, link);

    // Assess
    expect(fitsSms(fitted)).toBe(true);
    expect(fitted.endsWith(` ${link}`)).toBe(true);
    expect(fitted).toMatch(/^word( word)*\.\.\. Sheet:/);
    expect(smsSegments(fitted).units).toBeGreaterThan(290);
  });

  it('cuts a UCS-2 text to two segments', () => {
    // Act
    const fitted = fitSms(`Zoë ${'李'.repeat(300)}`);

    // Assess
    expect(smsSegments(fitted)).toEqual({ encoding: 'UCS-2', segments: 2, units: 134 });
    expect(fitted.endsWith('...')).toBe(true);
  });
});

describe('foldToGsm7', () => {
  it('drops accents GSM-7 lacks, keeps the letters it has, and says when a letter could not be spelled', () => {
    // Act + Assess
    expect(foldToGsm7('Zoë Ærøskøbing')).toEqual({ text: 'Zoe Ærøskøbing', lossless: true });
    expect(foldToGsm7('Łódź Café Müller')).toEqual({ text: 'Lodz Café Müller', lossless: true });
    expect(foldToGsm7('Dana “DB” Buyer — 🚀')).toEqual({ text: 'Dana "DB" Buyer -', lossless: true });
    expect(foldToGsm7('Nigel Smythe-Ðorđević')).toEqual({ text: 'Nigel Smythe-Dordevic', lossless: true });
    expect(foldToGsm7('山田 太郎')).toEqual({ text: '', lossless: false });
    expect(foldToGsm7('Zoë Ng 李')).toEqual({ text: 'Zoe Ng', lossless: false });
    expect(isGsm7(foldToGsm7('Ἀριστοτέλης Σταγειρίτης Ñandú ç').text)).toBe(true);
  });
});
