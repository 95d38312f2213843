/**
 * The length rule shared by the server and the widget (see API.md "The length rule").
 * Runtime-free and dependency-free so the widget bundle can import it as is.
 */

/**
 * Control and invisible formatting characters removed from every comment and name.
 * Newline (U+000A) and tab (U+0009) are kept; CR is folded into LF first.
 * Covers C0/C1 controls, zero-width space/joiners, bidi marks and isolates, word joiner,
 * invisible operators, BOM, soft hyphen, Mongolian vowel separator and interlinear annotation marks.
 */
const INVISIBLE =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/g;

/** Lone UTF-16 surrogates cannot be stored or shown; they are removed like controls. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * NFC, CRLF/CR → LF, invisible and control characters removed, outer whitespace trimmed.
 * This is the exact text that is stored and counted.
 */
export function normalizeText(input: string): string {
  return input.replace(LONE_SURROGATE, '').normalize('NFC').replace(/\r\n?/g, '\n').replace(INVISIBLE, '').trim();
}

let segmenter: Intl.Segmenter | undefined;

/**
 * Characters that can join a neighbour into one extended grapheme cluster (UAX #29): extenders and
 * spacing marks, ZWJ, regional indicators, emoji modifiers, Hangul jamo, prepend characters and CR.
 * Text without any of them has exactly one cluster per code point; NFC Vietnamese is such text.
 */
const CLUSTERING =
  /[\p{Grapheme_Extend}\p{Mc}\p{Regional_Indicator}\p{Emoji_Modifier}\r\u1100-\u11FF\uA960-\uA97F\uD7B0-\uD7FF\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u0D4E\u0E33\u0EB3\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}]|\u200D/u;

/** Number of user-perceived characters (extended grapheme clusters). */
export function graphemeLength(text: string): number {
  // Fast path: printable ASCII, newlines and tabs are one grapheme per code unit.
  if (/^[\x20-\x7E\n\t]*$/.test(text)) return text.length;
  // Intl.Segmenter costs ~100 µs for a 200-character comment; most text needs only a code point count.
  if (!CLUSTERING.test(text)) {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0xd800 || c > 0xdbff) n++;
    }
    return n;
  }
  segmenter ??= new Intl.Segmenter('vi', { granularity: 'grapheme' });
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

export interface LengthLimits {
  min: number;
  max: number;
}

export const DEFAULT_LENGTH_LIMITS: LengthLimits = { min: 5, max: 500 };

export type LengthCheck =
  | { ok: true; text: string; length: number }
  | { ok: false; code: 'COMMENT_TOO_SHORT' | 'COMMENT_TOO_LONG'; text: string; length: number };

/** Normalises a comment body and checks it against the limits. The widget's counter uses the same. */
export function checkLength(input: string, limits: LengthLimits = DEFAULT_LENGTH_LIMITS): LengthCheck {
  const text = normalizeText(input);
  const length = graphemeLength(text);
  if (length < limits.min) return { ok: false, code: 'COMMENT_TOO_SHORT', text, length };
  if (length > limits.max) return { ok: false, code: 'COMMENT_TOO_LONG', text, length };
  return { ok: true, text, length };
}
