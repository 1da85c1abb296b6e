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

/** Segments each encoding may use for one reminder: two GSM-7 (306 septets) or three UCS-2 (201 units). */
export const MAX_SEGMENTS: Record<SmsEncoding, number> = { 'GSM-7': 2, 'UCS-2': 3 };

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

/** Whether `text` fits the segments its encoding may use (by default two GSM-7 or three UCS-2). */
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
