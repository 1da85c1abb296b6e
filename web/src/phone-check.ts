/** The phone check itself (loaded on demand by phone.ts): libphonenumber-js with its compact metadata. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import type { PhoneCheck } from './phone.js';

/** `countryField`: whether the form offers a country to choose (the message says so only then). */
export function checkPhone(text: string, country?: string, { countryField = true }: { countryField?: boolean } = {}): PhoneCheck {
  const parsed = parsePhoneNumberFromString(text.trim(), country ? { defaultCountry: country.toUpperCase() as CountryCode } : undefined);
  if (!parsed) {
    if (country) return { ok: false, message: 'Not a phone number: check the digits' };
    return { ok: false, message: `Not a phone number: start with + and the country code${countryField ? ', or choose the country first' : ', for example +1 312 555 0100'}` };
  }
  if (!parsed.isValid()) return { ok: false, message: `Not a valid number for ${parsed.country ?? 'that country code'}: check the digits` };
  return { ok: true, e164: parsed.number, international: parsed.formatInternational() };
}
