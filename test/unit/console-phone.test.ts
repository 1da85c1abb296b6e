import { describe, expect, it } from 'vitest';
import { checkPhone, dialForm } from '../../web/src/phone-check.js';

describe('dialForm (the console writes a stored number as the rep dials it)', () => {
  it('writes it nationally when rep and prospect share a country, internationally otherwise', () => {
    expect(dialForm('+12125550142', '+13125550100')).toBe('(212) 555-0142');
    expect(dialForm('+442079460958', '+13125550100')).toBe('+44 20 7946 0958');
    expect(dialForm('+442079460958', '+442071234567')).toBe('020 7946 0958');
  });

  it('writes it internationally when the rep gave no number, and as stored when it cannot be read', () => {
    expect(dialForm('+12125550142')).toBe('+1 212 555 0142');
    expect(dialForm('+12125550142', 'not a number')).toBe('+1 212 555 0142');
    expect(dialForm('12')).toBe('12');
  });

  it('agrees with the check that stored it', () => {
    const checked = checkPhone('(212) 555-0142', 'US');
    expect(checked).toMatchObject({ ok: true, e164: '+12125550142' });
    expect(dialForm(checked.ok ? checked.e164 : '')).toBe(checked.ok ? checked.international : '');
  });
});
