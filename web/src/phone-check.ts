/** The phone check itself (loaded on demand by phone.ts): libphonenumber-js with its compact metadata. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import type { PhoneCheck } from './phone.js';

/**
 * A stored number written as the rep dials it from their own phone: national when both are in one
 * country ("(212) 555-0142"), international otherwise ("+44 20 7946 0958"); as stored when unreadable.
 */
export function dialForm(e164: string, callerE164?: string): string {
  const number = parsePhoneNumberFromString(e164);
  if (!number) return e164;
  const home = callerE164 ? parsePhoneNumberFromString(callerE164)?.country : undefined;
  return home && number.country === home ? number.formatNational() : number.formatInternational();
}

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
