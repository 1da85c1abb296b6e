/**
 * The rep's number as the prospect can dial it: national when both are in one country,
 * international otherwise. libphonenumber-js knows each country's grouping and trunk prefix
 * ("030 901820" in Germany, "+49 30 901820" from anywhere else).
 */
import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js';

export interface DialableNumber {
  /** For emails and signatures: "(555) 123-0000", "+1 555 123 0000", "020 7946 0000". */
  written: string;
  /** For a script read aloud: the same digits in their groups, without brackets or dashes. */
  spoken: string;
  /** E.164, for tel: links. */
  e164: string;
  /** Whether the prospect needs the international form. */
  international: boolean;
}

/**
 * Numbers read so far. Every message reads the same rep's and prospect's numbers again, and reading
 * one is most of what formatting it costs; a PhoneNumber is not changed by formatting it.
 */
const parsedNumbers = new Map<string, PhoneNumber | undefined>();

function parsePhone(phone: string): PhoneNumber | undefined {
  if (parsedNumbers.has(phone)) return parsedNumbers.get(phone);
  const parsed = parsePhoneNumberFromString(phone);
  if (parsedNumbers.size >= 2048) parsedNumbers.clear();
  parsedNumbers.set(phone, parsed);
  return parsed;
}

/** The country a number belongs to: its own when the number pins one, else null. */
export function phoneCountry(phone: string | undefined): string | null {
  if (!phone) return null;
  return parsePhone(phone)?.country ?? null;
}

/**
 * Formats `phone` (E.164) for a prospect in `prospectCountry` (ISO 3166-1 alpha-2; unknown means
 * international, which dials from any mobile). A number that does not pin its country (a +1 number
 * whose area code is not assigned, as in examples) counts as national wherever it could belong.
 */
export function dialableNumber(phone: string | undefined, prospectCountry: string | undefined): DialableNumber | null {
  if (!phone) return null;
  const parsed = parsePhone(phone);
  if (!parsed) return { written: phone, spoken: phone, e164: phone, international: true };
  const international = !sameCountry(parsed, prospectCountry?.toUpperCase());
  const written = international ? parsed.formatInternational() : parsed.formatNational();
  return { written, spoken: speakable(written), e164: parsed.number, international };
}

function sameCountry(parsed: PhoneNumber, country: string | undefined): boolean {
  if (!country) return false;
  if (parsed.country) return parsed.country === country;
  return parsed.getPossibleCountries().includes(country as CountryCode);
}

/** "(02) 5550 1234" becomes "02 5550 1234", "(555) 123-0000" becomes "555 123 0000": groups to pause on. */
function speakable(written: string): string {
  return written.replace(/[()]/g, '').replace(/-/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The prospect's number as the rep dials it from their own phone: national when both numbers share a country
 * (or, where a number does not pin its country, its calling code), international otherwise.
 */
export function numberForCaller(phone: string | undefined, callerPhone: string | undefined): string | null {
  if (!phone) return null;
  const parsed = parsePhone(phone);
  if (!parsed) return phone;
  const caller = callerPhone ? parsePhone(callerPhone) : undefined;
  const home =
    caller !== undefined &&
    caller.countryCallingCode === parsed.countryCallingCode &&
    (!caller.country || !parsed.country || caller.country === parsed.country);
  return home ? parsed.formatNational() : parsed.formatInternational();
}
