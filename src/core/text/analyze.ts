/**
 * The moderation normaliser. Matching runs on normalised tokens; every token keeps its offsets in the
 * text it came from, so reasons can highlight (and masks can replace) exactly what the reader wrote.
 * See ../shared/VIETNAMESE.md §2 for why each step exists.
 *
 * It is on the hot path of every comment, so it is one pass over the UTF-16 code units with a lookup
 * table instead of a Unicode-property regex, each distinct word is normalised once and cached, and
 * the analysis carries summaries (tags seen, symbols seen) so the rules skip passes that cannot match.
 * Measure changes with `npx tsx bench/engine.ts`: V8 is sensitive to details noted in the comments
 * (megamorphic `charCodeAt`, out-of-range reads, object literals, register pressure).
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
  /** The text contains `://`, `www.` or `WWW.`: worth searching for URLs. */
  readonly urlHint: boolean;
  /** An `@` sits between characters an email address may have there: worth searching for addresses. */
  readonly emailHint: boolean;
  /** Letters in the tokens, and whether every token with a letter is written in capitals. */
  readonly letters: number;
  readonly allCaps: boolean;
  /**
   * Summaries the rules read to skip whole passes over the tokens (most comments have nothing for
   * most passes): every tag some token carries, ...
   */
  readonly tagged: number;
  /** ...an ASCII token is shorter than written (`fuuuuck`, a zero-width space inside), ... */
  readonly squeezed: boolean;
  /** ...and two single-letter tokens are one character apart (`đ.m`, `f u c k`). */
  readonly spelled: boolean;
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

/**
 * Tokens are built with a class: every token gets one stable hidden class, and building them this
 * way measured several times cheaper per token than the same object literal in this loop.
 */
class WordToken implements Token {
  constructor(
    readonly text: string,
    readonly start: number,
    readonly end: number,
    readonly ascii: boolean,
    readonly numeric: boolean,
    readonly tags: number,
  ) {}
}

/** Character classes (plain numbers: an enum adds nothing on a path that only compares them). */
const UNKNOWN = 0;
const WORD = 1;
/** Invisible formatting inside a word: part of the token's extent, not of its text. */
const JOINER = 2;
const OTHER = 3;
const PICTOGRAPH_KIND = 4;
/** A high surrogate: the class is the code point's, looked up with the next code unit. */
const HIGH_SURROGATE = 5;

/**
 * Classes of the Basic Multilingual Plane: ASCII and the special cases up front, every other code
 * unit classified by the Unicode-property regexes on first sight, so the scan is one array read per
 * character.
 */
const KIND = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) KIND[c] = isAsciiAlnum(c) ? WORD : OTHER;
for (const c of [0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]) KIND[c] = JOINER;
KIND.fill(HIGH_SURROGATE, 0xd800, 0xdc00);

function classify(ch: string): number {
  return WORD_CHAR.test(ch) ? WORD : PICTOGRAPH.test(ch) ? PICTOGRAPH_KIND : OTHER;
}

function kindOf(c: number): number {
  const kind = classify(String.fromCharCode(c));
  KIND[c] = kind;
  return kind;
}

/** Astral code points (emoji, rare scripts): few per comment, classified through a small cache. */
const ASTRAL = new Map<number, number>();

function astralKindOf(cp: number): number {
  let kind = ASTRAL.get(cp);
  if (kind === undefined) {
    kind = classify(String.fromCodePoint(cp));
    if (ASTRAL.size >= 4096) ASTRAL.clear();
    ASTRAL.set(cp, kind);
  }
  return kind;
}

/**
 * Reading code units: `String.prototype.charCodeAt.call(text, i)`, not `text.charCodeAt(i)`.
 * Comments arrive as flat, sliced, one- and two-byte strings (word lists add more kinds), so the
 * lookup of `text.charCodeAt` sees too many string shapes, goes megamorphic, and every character pays
 * a generic method lookup and call (twice the scan's time). Through the constant built-in, the
 * optimiser inlines the read for any string.
 *
 * The code unit at `i`, or -1 outside the text. `charCodeAt` out of range returns NaN, and optimised
 * code deoptimises on it every time: the scan would fall back to the interpreter for good.
 */
function codeAt(text: string, i: number): number {
  return i >= 0 && i < text.length ? String.prototype.charCodeAt.call(text, i) : -1;
}

function isMaskSymbol(c: number): boolean {
  return c === 0x2a || c === 0x23 || c === 0x21; // * # !
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * A character `[a-z0-9-]` matches under the spam rule's case-insensitive Unicode email regex: ASCII
 * letters and digits, `-`, and the two letters whose case folding is ASCII (`ſ` U+017F, Kelvin U+212A).
 */
function isEmailHostChar(c: number): boolean {
  return isAsciiAlnum(c) || c === 0x2d || c === 0x17f || c === 0x212a;
}

/** Likewise `[a-z0-9._%+-]`, the local part of an address. */
function isEmailLocalChar(c: number): boolean {
  return isEmailHostChar(c) || c === 0x2e || c === 0x5f || c === 0x25 || c === 0x2b;
}

interface Normalised {
  readonly hash: number;
  /**
   * The word as written (the cache key): its length in code units, the first four packed two by two
   * in `head0` and `head1`, the rest in `pool` from `offset`.
   */
  readonly length: number;
  readonly head0: number;
  readonly head1: number;
  readonly offset: number;
  readonly text: string;
  readonly ascii: boolean;
  readonly numeric: boolean;
  readonly letters: number;
  readonly allCaps: boolean;
  /** One letter (not a digit): may be part of a spelled-out word. */
  readonly single: boolean;
  /** ASCII and shorter than written. */
  readonly squeezed: boolean;
  tagger: Tagger | null;
  tags: number;
}

/**
 * Vietnamese has a few thousand syllables, so a bounded cache of normalised words hits almost always
 * and keeps Unicode normalisation off the hot path. It is an open-addressing table keyed by a hash
 * computed while scanning. A hit must be verified (a hash alone could be forged to disguise a word):
 * the scan copies the text's code units into `units` and each cached word keeps its own in `pool`,
 * so verifying compares two typed arrays, with no string access and no allocation. (A `Map` keyed by
 * the hash boxed most keys as heap numbers; comparing through the strings cost as much as the scan.)
 * Half full at most; when that or the pool's end is reached it starts over. Words longer than
 * `CACHED_LENGTH` (links, mashing) are rare and not worth a slot. It holds derived strings only.
 */
const CACHE_BITS = 16;
const CACHE_MASK = (1 << CACHE_BITS) - 1;
const CACHE_LIMIT = 1 << (CACHE_BITS - 1);
const CACHED_LENGTH = 64;
const slots: (Normalised | undefined)[] = new Array<Normalised | undefined>(1 << CACHE_BITS).fill(undefined);
const pool = new Uint16Array(CACHE_LIMIT * 16);
let poolUsed = 0;
let cached = 0;

/** The code units of the text being analysed (grown on demand, reused: a tagger must not call `analyze`). */
let units = new Uint16Array(1024);

/** Next step of the word hash (the scan computes it inline the same way). */
function step(hash: number, c: number): number {
  return (Math.imul(hash, 31) + c) | 0;
}

/** First slot to probe: the hash's bits mixed, as the low ones depend mostly on the last letter. */
function slotOf(hash: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> (32 - CACHE_BITS);
}

/** Code units `i` and `i + 1` of the text packed in one number (0 past `end`). */
function pair(i: number, end: number): number {
  return (i < end ? units[i]! : 0) | (i + 1 < end ? units[i + 1]! << 16 : 0);
}

/** The cached word `units[start, start + length)` of hash `hash`, if any. */
function cachedWord(start: number, length: number, hash: number): Normalised | undefined {
  const end = start + length;
  const head0 = pair(start, end);
  const head1 = pair(start + 2, end);
  let slot = slotOf(hash);
  for (let hit = slots[slot]; hit !== undefined; hit = slots[slot]) {
    if (hit.hash === hash && hit.length === length && hit.head0 === head0 && hit.head1 === head1) {
      // Most words are four code units or fewer: already compared in full.
      const offset = hit.offset - 4;
      let k = 4;
      while (k < length && pool[offset + k] === units[start + k]) k++;
      if (k >= length) return hit;
    }
    slot = (slot + 1) & CACHE_MASK;
  }
  return undefined;
}

/** Normalises `source[start, end)` (its code units already in `units`) and caches it. */
function remember(source: string, start: number, end: number, hash: number): Normalised {
  const length = end - start;
  if (length > CACHED_LENGTH) return normaliseWord(source.slice(start, end), hash, -1, 0, 0);
  if (cached >= CACHE_LIMIT || poolUsed + length > pool.length) {
    slots.fill(undefined);
    cached = 0;
    poolUsed = 0;
  }
  const value = normaliseWord(source.slice(start, end), hash, poolUsed, pair(start, end), pair(start + 2, end));
  if (length > 4) {
    pool.set(units.subarray(start + 4, end), poolUsed);
    poolUsed += length - 4;
  }
  let slot = slotOf(hash);
  while (slots[slot] !== undefined) slot = (slot + 1) & CACHE_MASK;
  slots[slot] = value;
  cached++;
  return value;
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

function normaliseWord(raw: string, hash: number, offset: number, head0: number, head1: number): Normalised {
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
  const ascii = LOWER_ASCII.test(text);
  const numeric = DIGITS.test(text);
  return {
    hash,
    length: raw.length,
    head0,
    head1,
    offset,
    text,
    ascii,
    numeric,
    letters: hasLetter ? text.length : 0,
    allCaps: hasLetter && raw === raw.toUpperCase() && raw !== raw.toLowerCase(),
    single: text.length === 1 && !numeric,
    squeezed: ascii && text.length !== raw.length,
    tagger: null,
    tags: 0,
  };
}

/** Normalises one word the way `analyze` normalises each token (used to compile word lists too). */
export function normalizeToken(raw: string): string {
  return normaliseWord(raw, 0, -1, 0, 0).text;
}

/** Splits text into normalised tokens (runs of letters, marks and digits) with offsets into `text`. */
/** Per-token state of one `analyze` call, kept out of the per-character loop's registers. */
class TokenState {
  readonly tokens: Token[] = [];
  lastEnd = -1;
  lastSingle = false;
  maskGap = false;
  letters = 0;
  letterTokens = 0;
  capsTokens = 0;
  tagged = 0;
  squeezed = false;
  spelled = false;
  constructor(readonly tagger: Tagger | null) {}
}

/** Adds the word `text[start, end)` (its code units in `units`, its hash `hash`) as a token. */
function addToken(state: TokenState, text: string, start: number, end: number, hash: number): void {
  const norm = cachedWord(start, end - start, hash) ?? remember(text, start, end, hash);
  if (norm.text === '') return;
  const tagger = state.tagger;
  if (tagger !== null && norm.tagger !== tagger) {
    norm.tags = tagger.tag(norm.text, norm.ascii, norm.numeric);
    norm.tagger = tagger;
  }
  const lastEnd = state.lastEnd;
  if (!state.maskGap && lastEnd >= 0 && start - lastEnd <= 3 && isMaskSymbol(units[lastEnd]!)) {
    let gap = true;
    for (let k = lastEnd + 1; k < start; k++) if (!isMaskSymbol(units[k]!)) gap = false;
    state.maskGap = gap;
  }
  state.tokens.push(new WordToken(norm.text, start, end, norm.ascii, norm.numeric, norm.tags));
  state.tagged |= norm.tags;
  if (norm.squeezed) state.squeezed = true;
  if (norm.single && state.lastSingle && start - lastEnd === 1) state.spelled = true;
  state.lastSingle = norm.single;
  if (norm.letters > 0) {
    state.letters += norm.letters;
    state.letterTokens++;
    if (norm.allCaps) state.capsTokens++;
  }
  state.lastEnd = end;
}

/**
 * Splits text into normalised tokens (runs of letters, marks and digits) with offsets into `text`.
 * One flat loop over the code units, without closures (captured variables would live on the heap);
 * the per-token work is in `addToken` so the loop's own variables stay in registers.
 */
export function analyze(text: string, tagger: Tagger | null = null): Analysis {
  const state = new TokenState(tagger);
  let longestRun = 0;
  let run = 0;
  let previous = -1;
  let emoji = 0;
  let leetHint = false;
  let urlHint = false;
  let emailHint = false;
  let start = -1;
  let hash = 0;
  const n = text.length;
  if (units.length < n) units = new Uint16Array(Math.max(n, units.length * 2));
  const code = units;
  const kinds = KIND;

  for (let i = 0; i < n; i++) {
    const c = String.prototype.charCodeAt.call(text, i);
    code[i] = c;
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
    let kind = kinds[c]!;
    let width = 1;
    if (kind === UNKNOWN) kind = kindOf(c);
    else if (kind === HIGH_SURROGATE) {
      if (i + 1 < n) {
        kind = astralKindOf(text.codePointAt(i)!);
        width = 2;
        code[i + 1] = String.prototype.charCodeAt.call(text, i + 1);
      } else kind = OTHER;
    }
    if (kind === WORD) {
      if (start < 0) {
        start = i;
        hash = 0;
      }
      hash = step(hash, c);
      if (width === 2) {
        i++;
        hash = step(hash, code[i]!);
      }
      continue;
    }
    if (kind === JOINER) {
      if (start >= 0) hash = step(hash, c);
      continue;
    }
    if (kind === PICTOGRAPH_KIND) emoji++;
    else if (c < 0x80 && c !== 32) {
      // Symbols the rules look for, noted here so they need not search the text themselves.
      // Neighbours are read through `codeAt`: an out-of-range `charCodeAt` would deoptimise the scan.
      if (c === 0x40 || c === 0x24) {
        const before = codeAt(text, i - 1);
        const after = codeAt(text, i + 1);
        // `@` and `$` stand for letters at a word's edge too (`$hit`, `a$$`).
        if (!leetHint) leetHint = isAsciiAlnum(before) || isAsciiAlnum(after);
        if (c === 0x40 && !emailHint) emailHint = isEmailLocalChar(before) && isEmailHostChar(after);
      } else if (c === 0x21 || c === 0x7c || c === 0x2b) {
        // `!`, `|`, `+` only inside one (`bullsh!t`).
        if (!leetHint) leetHint = isAsciiAlnum(codeAt(text, i - 1)) && isAsciiAlnum(codeAt(text, i + 1));
      } else if (c === 0x3a) {
        if (codeAt(text, i + 1) === 0x2f && codeAt(text, i + 2) === 0x2f) urlHint = true; // `://`
      } else if (c === 0x2e && i >= 3) {
        const w = code[i - 1]; // `www.` or `WWW.`
        if ((w === 0x77 || w === 0x57) && code[i - 2] === w && code[i - 3] === w) urlHint = true;
      }
    }
    if (start >= 0) {
      addToken(state, text, start, i, hash);
      start = -1;
    }
    i += width - 1;
  }
  if (start >= 0) addToken(state, text, start, n, hash);
  return {
    source: text,
    tokens: state.tokens,
    longestRun,
    emoji,
    maskGap: state.maskGap,
    leetHint,
    urlHint,
    emailHint,
    letters: state.letters,
    allCaps: state.letterTokens > 0 && state.capsTokens === state.letterTokens,
    tagged: state.tagged,
    squeezed: state.squeezed,
    spelled: state.spelled,
  };
}

const MARKS = /\p{M}/gu;

/** Removes diacritics and maps đ to d: the form of text typed without Vietnamese accents. */
export function foldDiacritics(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}
