/**
 * How long an SMS is on the wire: GSM-7 when every character is in the GSM 03.38 default alphabet
 * (extension characters such as € and { take two septets, an escape and the character), UCS-2
 * otherwise. A single message holds 160 septets or 70 UTF-16 units; a concatenated one loses room
 * to its header and holds 153 septets or 67 units per segment. An escape pair and a surrogate pair
 * are never split across segments, so a segment may end one unit short.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSize {
  encoding: SmsEncoding;
  /** Segments the text is sent as (0 for an empty text). */
  segments: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
}

/** The GSM 03.38 default alphabet, one septet each. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: escape plus the character, two septets each. */
const GSM_EXTENDED = new Set('\f^{}\\[~]|€');

export const SMS_LIMITS = {
  'GSM-7': { single: 160, multipart: 153 },
  'UCS-2': { single: 70, multipart: 67 },
} as const;

/**
 * Segments one reminder may use: two in either encoding, 306 septets or 134 UTF-16 units. One character outside
 * GSM-7 makes the whole text UCS-2 with less than half the room, so a reminder whose name or company has one
 * first spells them in GSM-7 where it can ({@link foldToGsm7}).
 */
export const MAX_SEGMENTS: Record<SmsEncoding, number> = { 'GSM-7': 2, 'UCS-2': 2 };

export function isGsm7(text: string): boolean {
  for (const ch of text) if (!GSM_BASIC.has(ch) && !GSM_EXTENDED.has(ch)) return false;
  return true;
}

/** The encoding, segment count and length of `text`. */
export function smsSegments(text: string): SmsSize {
  const encoding: SmsEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  // Each character's width in units; neither escapes nor surrogate pairs are split.
  const widths: number[] = [];
  for (const ch of text) widths.push(encoding === 'GSM-7' ? (GSM_EXTENDED.has(ch) ? 2 : 1) : ch.length);
  const units = widths.reduce((a, b) => a + b, 0);
  const { single, multipart } = SMS_LIMITS[encoding];
  if (units === 0) return { encoding, segments: 0, units };
  if (units <= single) return { encoding, segments: 1, units };
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > multipart) {
      segments += 1;
      used = 0;
    }
    used += w;
  }
  return { encoding, segments, units };
}

/** Whether `text` fits the segments its encoding may use (by default two, in either encoding). */
export function fitsSms(text: string, maxSegments: Record<SmsEncoding, number> = MAX_SEGMENTS): boolean {
  const size = smsSegments(text);
  return size.segments <= maxSegments[size.encoding];
}

/**
 * The last resort when a message is still too long after dropping what matters least: cuts
 * `text` at a word boundary and ends it with "...", keeping `keep` (for example a link) whole
 * at the end. Returns the text unchanged when it already fits.
 */
export function fitSms(
  text: string,
  maxSegments: Record<SmsEncoding, number> = MAX_SEGMENTS,
  keep = '',
): string {
  const whole = keep ? `${text} ${keep}` : text;
  if (fitsSms(whole, maxSegments)) return whole;
  const chars = [...text];
  // Binary search on the number of characters of `text` that still fit with the suffix.
  const build = (n: number) => {
    let head = chars.slice(0, n).join('');
    if (n < chars.length) {
      const cut = head.lastIndexOf(' ');
      if (cut > n * 0.6) head = head.slice(0, cut);
      head = head.replace(/[\s.,;:-]+$/, '') + '...';
    }
    return keep ? `${head} ${keep}` : head;
  };
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fitsSms(build(mid), maxSegments)) lo = mid;
    else hi = mid - 1;
  }
  return build(lo);
}

/** Common characters outside GSM-7 whose accents alone do not say how to spell them in it. */
const STAND_INS: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u2013': '-', '\u2014': '-',
  '\u2026': '...', '\u00A0': ' ', '\u202F': ' ', 'ł': 'l', 'Ł': 'L', 'đ': 'd', 'Đ': 'D', 'ð': 'd', 'Ð': 'D', 'þ': 'th', 'Þ': 'Th',
  'œ': 'oe', 'Œ': 'OE', 'ı': 'i', 'ŀ': 'l', 'Ŀ': 'L', 'ħ': 'h', 'Ħ': 'H', 'ŧ': 't', 'Ŧ': 'T',
};

/**
 * `text` spelled in GSM-7: characters of the alphabet kept, accented letters without the accents outside it
 * ("Zoë" as "Zoe", "Łódź" as "Lodz"), typographic quotes and dashes as plain ones, anything else (emoji, CJK)
 * left out. `lossless` says whether every letter and digit made it through, so a name is still the name.
 */
export function foldToGsm7(text: string): { text: string; lossless: boolean } {
  let out = '';
  let lossless = true;
  for (const ch of text) {
    if (GSM_BASIC.has(ch) || GSM_EXTENDED.has(ch)) {
      out += ch;
      continue;
    }
    const bare = STAND_INS[ch] ?? ch.normalize('NFD').replace(/\p{M}/gu, '');
    if (bare && [...bare].every((c) => GSM_BASIC.has(c) || GSM_EXTENDED.has(c))) out += bare;
    else if (/[\p{L}\p{N}]/u.test(ch)) lossless = false;
  }
  return { text: out.replace(/\s+/g, ' ').trim(), lossless };
}
