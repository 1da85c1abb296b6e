/** The phone check itself (loaded on demand by phone.ts): libphonenumber-js with its compact metadata. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import type { PhoneCheck } from './phone.js';

export function checkPhone(text: string, country?: string): PhoneCheck {
  const parsed = parsePhoneNumberFromString(text.trim(), country ? { defaultCountry: country.toUpperCase() as CountryCode } : undefined);
  if (!parsed) {
    return { ok: false, message: country ? 'Not a phone number: check the digits' : 'Not a phone number: start with + and the country code, or choose the country first' };
  }
  if (!parsed.isValid()) return { ok: false, message: `Not a valid number for ${parsed.country ?? 'that country code'}: check the digits` };
  return { ok: true, e164: parsed.number, international: parsed.formatInternational() };
}
