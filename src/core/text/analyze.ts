/**
 * The moderation normaliser. Matching runs on normalised tokens; every token keeps its offsets in the
 * text it came from, so reasons can highlight (and masks can replace) exactly what the reader wrote.
 * See ../shared/VIETNAMESE.md §2 for why each step exists.
 *
 * It is on the hot path of every comment, so it is one pass over the UTF-16 code units with a lookup
 * table instead of a Unicode-property regex, and each distinct word is normalised once and cached.
 */

export interface Token {
  /** NFKC, look-alikes mapped, NFC, lowercase, one tone style for oa/oe/uy, 3+ repeated letters squeezed. */
  readonly text: string;
  /** [start, end) UTF-16 offsets into the analysed text. */
  readonly start: number;
  readonly end: number;
  /** `text` is plain ASCII letters and digits: the writer typed no diacritics here. */
  readonly ascii: boolean;
  /** `text` is only digits. */
  readonly numeric: boolean;
  /** Bits from the tagger passed to `analyze` (which word lists this word starts an entry of). */
  readonly tags: number;
}

export interface Analysis {
  /** The analysed text, unchanged: token offsets point into it. */
  readonly source: string;
  readonly tokens: readonly Token[];
  /** Longest run of one repeated character (`!!!!!!!!!!`, `aaaaaaaaaa`). */
  readonly longestRun: number;
  /** Emoji and pictographs. */
  readonly emoji: number;
  /** Two tokens are separated only by mask characters (`c*c`, `đ*o`, `ch!ch`). */
  readonly maskGap: boolean;
  /** A leetspeak symbol (`@ $ ! | +`) touches an ASCII letter or digit (`bullsh!t`, `$hit`). */
  readonly leetHint: boolean;
  /** Letters in the tokens, and whether every token with a letter is written in capitals. */
  readonly letters: number;
  readonly allCaps: boolean;
}

/** Labels each distinct normalised word once; the result is cached with the word. */
export interface Tagger {
  tag(text: string, ascii: boolean, numeric: boolean): number;
}

const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const LOWER_ASCII = /^[a-z0-9]+$/;
const DIGITS = /^[0-9]+$/;
const HAS_LETTER = /\p{L}/u;
const RUN3 = /(\p{L})\1\1+/u;
const RUN3_ALL = /(\p{L})\1\1+/gu;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/** Letters that look like Vietnamese/Latin ones and are used to dodge exact-match lists. */
const LOOK_ALIKES: Record<string, string> = {
  Ð: 'Đ',
  ð: 'đ',
  Ɖ: 'Đ',
  ɖ: 'đ',
  Į: 'I',
  į: 'i',
  А: 'A',
  а: 'a',
  Е: 'E',
  е: 'e',
  О: 'O',
  о: 'o',
  Р: 'P',
  р: 'p',
  С: 'C',
  с: 'c',
  У: 'Y',
  у: 'y',
  Х: 'X',
  х: 'x',
  І: 'I',
  і: 'i',
  Ј: 'J',
  ј: 'j',
  К: 'K',
  к: 'k',
  М: 'M',
  м: 'm',
  Н: 'H',
  Т: 'T',
  В: 'B',
};
const LOOK_ALIKE_RE = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'g');

/**
 * Old and new tone placement are split about evenly (`hòa`/`hoà`, `khỏe`/`khoẻ`, `thúy`/`thuý`):
 * both become the tone-on-the-second-vowel form at the end of a syllable. `quý` is already in that form.
 */
const TONE_STYLE: Record<string, string> = {};
{
  const o = ['ò', 'ó', 'ỏ', 'õ', 'ọ'];
  const a = ['à', 'á', 'ả', 'ã', 'ạ'];
  const e = ['è', 'é', 'ẻ', 'ẽ', 'ẹ'];
  const u = ['ù', 'ú', 'ủ', 'ũ', 'ụ'];
  const y = ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'];
  for (let t = 0; t < 5; t++) {
    TONE_STYLE[`${o[t]}a`] = `o${a[t]}`;
    TONE_STYLE[`${o[t]}e`] = `o${e[t]}`;
    TONE_STYLE[`${u[t]}y`] = `u${y[t]}`;
  }
}

enum Kind {
  Unknown = 0,
  Word = 1,
  /** Invisible formatting inside a word: part of the token's extent, not of its text. */
  Joiner = 2,
  Other = 3,
  Pictograph = 4,
}

/** Character classes of the Basic Multilingual Plane: ASCII up front, the rest on first sight. */
const KIND = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) {
  const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  KIND[c] = word ? Kind.Word : Kind.Other;
}
for (const c of [0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]) KIND[c] = Kind.Joiner;

function kindOf(c: number): Kind {
  const k = KIND[c]!;
  if (k !== Kind.Unknown) return k;
  const ch = String.fromCharCode(c);
  const kind = WORD_CHAR.test(ch) ? Kind.Word : PICTOGRAPH.test(ch) ? Kind.Pictograph : Kind.Other;
  KIND[c] = kind;
  return kind;
}

function isMaskSymbol(c: number): boolean {
  return c === 0x2a || c === 0x23 || c === 0x21; // * # !
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

interface Normalised {
  /** The word as written (the cache key). */
  raw: string;
  text: string;
  ascii: boolean;
  numeric: boolean;
  letters: number;
  allCaps: boolean;
  tagger: Tagger | null;
  tags: number;
}

/**
 * Vietnamese has a few thousand syllables, so a bounded cache of normalised words hits almost
 * always and keeps Unicode normalisation off the hot path. It is keyed by a hash computed while
 * scanning and verified against the text in place, so a hit allocates nothing; a colliding word
 * simply replaces the entry. It holds derived strings only.
 */
const cache = new Map<number, Normalised>();
const CACHE_LIMIT = 50_000;

function hashOf(raw: string): number {
  let h = 0;
  for (let i = 0; i < raw.length; i++) h = (Math.imul(h, 31) + raw.charCodeAt(i)) | 0;
  return h;
}

function normaliseSlow(raw: string): string {
  let s = raw.replace(INVISIBLE, '').normalize('NFKC');
  s = s.replace(LOOK_ALIKE_RE, (c) => LOOK_ALIKES[c] ?? c);
  s = s.normalize('NFC').toLowerCase();
  if (s.length >= 2) {
    const tail = TONE_STYLE[s.slice(-2)];
    if (tail !== undefined) s = s.slice(0, -2) + tail;
  }
  if (RUN3.test(s)) s = s.replace(RUN3_ALL, '$1');
  return s;
}

function normalised(source: string, start: number, end: number, hash: number): Normalised {
  const hit = cache.get(hash);
  if (hit !== undefined && hit.raw.length === end - start && source.startsWith(hit.raw, start)) return hit;
  const raw = source.slice(start, end);
  let plain = true;
  for (let i = 0; i < raw.length; i++) {
    if (!isAsciiAlnum(raw.charCodeAt(i))) {
      plain = false;
      break;
    }
  }
  let text: string;
  if (plain) {
    text = raw.toLowerCase();
    if (RUN3.test(text)) text = text.replace(RUN3_ALL, '$1');
  } else {
    text = normaliseSlow(raw);
  }
  const hasLetter = plain ? !DIGITS.test(raw) : HAS_LETTER.test(raw);
  const value: Normalised = {
    raw,
    text,
    ascii: LOWER_ASCII.test(text),
    numeric: DIGITS.test(text),
    letters: hasLetter ? text.length : 0,
    allCaps: hasLetter && raw === raw.toUpperCase() && raw !== raw.toLowerCase(),
    tagger: null,
    tags: 0,
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(hash, value);
  return value;
}

/** Normalises one word the way `analyze` normalises each token (used to compile word lists too). */
export function normalizeToken(raw: string): string {
  return normalised(raw, 0, raw.length, hashOf(raw)).text;
}

/** Splits text into normalised tokens (runs of letters, marks and digits) with offsets into `text`. */
export function analyze(text: string, tagger: Tagger | null = null): Analysis {
  // One flat loop without closures: variables captured by a closure would live on the heap and slow
  // down the per-character path.
  const tokens: Token[] = [];
  let longestRun = 0;
  let run = 0;
  let previous = -1;
  let emoji = 0;
  let maskGap = false;
  let leetHint = false;
  let letters = 0;
  let capsTokens = 0;
  let letterTokens = 0;
  let start = -1;
  let lastEnd = -1;
  let hash = 0;
  const n = text.length;

  for (let i = 0; i <= n; i++) {
    let kind: Kind;
    let width = 1;
    if (i === n) {
      kind = Kind.Other;
    } else {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10) {
        previous = -1;
      } else if (c === previous) {
        run++;
        if (run > longestRun) longestRun = run;
      } else {
        run = 1;
        if (longestRun === 0) longestRun = 1;
        previous = c;
      }
      if (c < 0x80) {
        kind = KIND[c] as Kind;
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const ch = String.fromCodePoint(text.codePointAt(i) ?? c);
        kind = WORD_CHAR.test(ch) ? Kind.Word : PICTOGRAPH.test(ch) ? Kind.Pictograph : Kind.Other;
        width = 2;
      } else {
        kind = kindOf(c);
      }
      if (kind === Kind.Word) {
        if (start < 0) {
          start = i;
          hash = 0;
        }
        hash = (Math.imul(hash, 31) + c) | 0;
        if (width === 2) hash = (Math.imul(hash, 31) + text.charCodeAt(i + 1)) | 0;
        i += width - 1;
        continue;
      }
      if (kind === Kind.Joiner) {
        if (start >= 0) hash = (Math.imul(hash, 31) + c) | 0;
        continue;
      }
      if (kind === Kind.Pictograph) emoji++;
      else if (!leetHint && c < 0x80) {
        // `@` and `$` stand for letters at a word's edge too (`$hit`, `a$$`); `!`, `|`, `+` only inside one.
        const before = isAsciiAlnum(text.charCodeAt(i - 1));
        const after = isAsciiAlnum(text.charCodeAt(i + 1));
        if (c === 0x40 || c === 0x24) leetHint = before || after;
        else if (c === 0x21 || c === 0x7c || c === 0x2b) leetHint = before && after;
      }
    }
    if (start >= 0) {
      const norm = normalised(text, start, i, hash);
      if (norm.text !== '') {
        if (tagger !== null && norm.tagger !== tagger) {
          norm.tags = tagger.tag(norm.text, norm.ascii, norm.numeric);
          norm.tagger = tagger;
        }
        if (!maskGap && lastEnd >= 0 && start - lastEnd <= 3 && isMaskSymbol(text.charCodeAt(lastEnd))) {
          maskGap = true;
          for (let k = lastEnd + 1; k < start; k++) if (!isMaskSymbol(text.charCodeAt(k))) maskGap = false;
        }
        tokens.push({ text: norm.text, start, end: i, ascii: norm.ascii, numeric: norm.numeric, tags: norm.tags });
        if (norm.letters > 0) {
          letters += norm.letters;
          letterTokens++;
          if (norm.allCaps) capsTokens++;
        }
        lastEnd = i;
      }
      start = -1;
    }
    i += width - 1;
  }
  return {
    source: text,
    tokens,
    longestRun,
    emoji,
    maskGap,
    leetHint,
    letters,
    allCaps: letterTokens > 0 && capsTokens === letterTokens,
  };
}

const MARKS = /\p{M}/gu;

/** Removes diacritics and maps đ to d: the form of text typed without Vietnamese accents. */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}
