/**
 * The rep's number for the prospect: national in the same country, international across borders,
 * with the rep's country read from their number.
 */
import { describe, expect, it } from 'vitest';
import { dialableNumber, numberForCaller, phoneCountry } from '../../functions/core/phone.js';

describe('dialableNumber', () => {
  it.each([
    // rep number, prospect country, written, spoken, international
    ['+12125550123', 'US', '(212) 555-0123', '212 555 0123', false],
    ['+12125550123', 'DE', '+1 212 555 0123', '+1 212 555 0123', true],
    ['+12125550123', 'GB', '+1 212 555 0123', '+1 212 555 0123', true],
    ['+442079460000', 'GB', '020 7946 0000', '020 7946 0000', false],
    ['+442079460000', 'US', '+44 20 7946 0000', '+44 20 7946 0000', true],
    ['+4930901820', 'DE', '030 901820', '030 901820', false],
    ['+4930901820', 'AU', '+49 30 901820', '+49 30 901820', true],
    ['+61255501234', 'AU', '(02) 5550 1234', '02 5550 1234', false],
    ['+919876543210', 'IN', '098765 43210', '098765 43210', false],
    ['+919876543210', 'US', '+91 98765 43210', '+91 98765 43210', true],
    // A Canadian rep calling a US prospect: another country, so the international form.
    ['+14165550123', 'US', '+1 416 555 0123', '+1 416 555 0123', true],
  ])('gives %s to a prospect in %s as %s', (phone, country, written, spoken, international) => {
    // Act
    const number = dialableNumber(phone, country);

    // Assess
    expect(number).toEqual({ written, spoken, e164: phone, international });
  });

  it('treats a number that does not pin its country as national wherever it could belong', () => {
    // Prepare: 555 is no assigned area code, so the number could be from any NANP country.
    const phone = '+15551230000';

    // Act
    const us = dialableNumber(phone, 'US');
    const de = dialableNumber(phone, 'de');

    // Assess
    expect(phoneCountry(phone)).toBeNull();
    expect(us).toMatchObject({ written: '(555) 123-0000', spoken: '555 123 0000', international: false });
    expect(de).toMatchObject({ written: '+1 555 123 0000', spoken: '+1 555 123 0000', international: true });
  });

  it('uses the international form when the prospect’s country is unknown, and nothing without a number', () => {
    expect(dialableNumber('+4930901820', undefined)).toMatchObject({ written: '+49 30 901820', international: true });
    expect(dialableNumber(undefined, 'US')).toBeNull();
  });

  it('reads the rep’s country from the number', () => {
    expect(['+12125550123', '+442079460000', '+4930901820', '+919876543210', '+61255501234'].map(phoneCountry)).toEqual(['US', 'GB', 'DE', 'IN', 'AU']);
  });

  it.each([
    ['+4930901820', '+15551230000', '+49 30 901820'],
    ['+4930901820', '+4989123456', '030 901820'],
    ['+15557654321', '+15551230000', '(555) 765-4321'],
    ['+12125550123', '+14165550123', '+1 212 555 0123'],
    ['+442079460000', undefined, '+44 20 7946 0000'],
  ])('writes the prospect’s number %s as a rep on %s dials it: %s', (phone, repPhone, written) => {
    expect(numberForCaller(phone, repPhone)).toBe(written);
  });

  it('keeps a number it cannot read as it is, and nothing without one', () => {
    expect(numberForCaller('+999', '+15551230000')).toBe('+999');
    expect(numberForCaller(undefined, '+15551230000')).toBeNull();
  });
});
