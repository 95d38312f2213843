import leo from 'leo-profanity';
import { ACTION_RANK, type Action, ALLOW, type RuleResult } from './rule.ts';
import { type Analysis, analyze, foldDiacritics, type Tagger, type Token } from './text/analyze.ts';
import type { Reason, Span } from './types.ts';

/**
 * The moderation rules as data. Editors change the plain-text files in `rules/`; `compileRulebook`
 * parses and validates them (errors name file and line) and compiles them once into token tries and
 * sets, so matching a comment is a few hash lookups per token and never compiles anything.
 *
 * Line format, every file: fields separated by `|`, surrounding spaces ignored, `#` starts a comment
 * line, blank lines ignored. See rules/README.md.
 */

export const TIERS = ['severe', 'vulgar', 'insult', 'mild', 'hate', 'suspect', 'minor'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_ACTIONS = ['reject', 'hold', 'mask', 'allow'] as const;
/** What the policy does with a match: `mask` publishes with the span replaced by `***`. */
export type TierAction = (typeof TIER_ACTIONS)[number];

/** Reason code of a match of each tier. */
export const TIER_CODES: Record<Tier, string> = {
  severe: 'PROFANITY_SEVERE',
  vulgar: 'PROFANITY',
  insult: 'INSULT',
  mild: 'PROFANITY_MILD',
  hate: 'HATE',
  suspect: 'PROFANITY_SUSPECT',
  minor: 'PROFANITY_MINOR',
};

/** A numeric token in a context guard (`notafter=#num`): `5 dm`, `1000 cc`, `500 ml`. */
export const NUMBER_GUARD = '#num';

export interface LexiconEntry {
  /** The term as the editor wrote it. */
  readonly term: string;
  readonly tokens: readonly string[];
  readonly tier: Tier;
  readonly category: string;
  /** Not a match right after one of these tokens (e.g. `#num` for units). */
  readonly notAfter: ReadonlySet<string> | null;
  /** Not a match right before one of these tokens (`CC mini`, `DM me`). */
  readonly notBefore: ReadonlySet<string> | null;
  /** May be joined from spelled-out letters (`đ.m`, `f u c k`). */
  readonly join: boolean;
  /** English only: also matches inside a longer ASCII word (`motherfucking`). */
  readonly stem: boolean;
  /** Matched against masked writing (`c*c`, `f*ck`). */
  readonly masked: boolean;
  /** `file:line` it came from, for moderators and error messages. */
  readonly source: string;
}

export interface TrieNode<T> {
  readonly next: Map<string, TrieNode<T>>;
  value?: T;
}

export interface Lexicon {
  /** Token n-grams exactly as normalised. */
  readonly exact: TrieNode<LexiconEntry>;
  /** Diacritic-folded multi-syllable entries, looked up only with all-ASCII n-grams. */
  readonly folded: TrieNode<LexiconEntry>;
  /** Entries matched inside longer ASCII words. */
  readonly stems: readonly LexiconEntry[];
  /** Entries matched against masked writing, as arrays of characters. */
  readonly maskTargets: readonly { entry: LexiconEntry; chars: readonly string[] }[];
  readonly size: number;
}

/** Phrases that are never profanity (`đái tháo đường`, `hạt óc chó`): matches inside them are dropped. */
export interface Whitelist {
  readonly exact: TrieNode<string>;
  readonly folded: TrieNode<string>;
}

export const SPAM_CATEGORIES = [
  'channel',
  'contact',
  'betting',
  'loan',
  'job',
  'adult',
  'degree',
  'promo',
  'brand',
  'account',
  'dampener',
] as const;
export type SpamCategory = (typeof SPAM_CATEGORIES)[number];

export const SPAM_SIGNALS = [
  'phone',
  'hotline',
  'link',
  'shortener',
  'disguised-domain',
  'email',
  'many-links',
  'repeated-chars',
  'emoji-flood',
  'keyboard-mash',
  'all-caps',
  'repeated-words',
  'income-rate',
] as const;
export type SpamSignal = (typeof SPAM_SIGNALS)[number];

export interface SpamEntry {
  readonly term: string;
  readonly tokens: readonly string[];
  readonly weight: number;
  readonly category: SpamCategory;
  readonly source: string;
}

export interface SpamConfig {
  readonly exact: TrieNode<SpamEntry>;
  readonly folded: TrieNode<SpamEntry>;
  readonly signals: Readonly<Record<SpamSignal, number>>;
  readonly shorteners: ReadonlySet<string>;
  /** Top-level domains a bare domain (`abc.xyz`) must end with to count as a link. */
  readonly tlds: readonly string[];
}

export interface Policy {
  readonly tiers: Readonly<Record<Tier, TierAction>>;
  /** Spam score from which a comment is held for review. */
  readonly spamReview: number;
  /** Spam score from which a comment is stored as spam. */
  readonly spamThreshold: number;
  /** Without a contact signal (phone, link, `ib mình`, account) the score stays below this. */
  readonly spamTopicCap: number;
  /** …unless at least this many distinct topic phrases occur. */
  readonly spamStrongTopics: number;
}

export interface Rulebook {
  /** Distinguishes rulebooks in the per-comment analysis cache. */
  readonly id: number;
  /** Tags each distinct word with the lists it can start an entry of; pass it to `analyze`. */
  readonly tagger: Tagger;
  readonly vi: Lexicon;
  readonly en: Lexicon;
  readonly whitelist: Whitelist;
  readonly spam: SpamConfig;
  readonly policy: Policy;
  /** Names of the files compiled, in order. */
  readonly files: readonly string[];
}

export interface RuleFile {
  /** File name (a path is allowed; only the last segment decides what the file holds). */
  name: string;
  text: string;
}

/** A rules file is invalid. `message` starts with `file:line:` so editors can jump to it. */
export class RulebookError extends Error {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  constructor(file: string, line: number, reason: string) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
    this.name = 'RulebookError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

interface Line {
  file: string;
  line: number;
  fields: string[];
}

function* lines(file: string, text: string): Generator<Line> {
  const all = text.split(/\r?\n/);
  for (let i = 0; i < all.length; i++) {
    const raw = (all[i] ?? '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    yield { file, line: i + 1, fields: raw.split('|').map((f) => f.trim()) };
  }
}

const TERM_SHAPE = /^[\p{L}\p{M}\p{N}]+(?: [\p{L}\p{M}\p{N}]+)*$/u;

function termTokens(at: Line, term: string): string[] {
  const collapsed = term.normalize('NFC').replace(/\s+/g, ' ');
  if (!TERM_SHAPE.test(collapsed)) {
    throw new RulebookError(at.file, at.line, `term "${term}" may contain only letters, digits and single spaces`);
  }
  const tokens = analyze(collapsed).tokens.map((t) => t.text);
  if (tokens.length === 0 || tokens.length > 4) {
    throw new RulebookError(at.file, at.line, `term "${term}" must have 1 to 4 words`);
  }
  return tokens;
}

function newNode<T>(): TrieNode<T> {
  return { next: new Map() };
}

function insert<T>(root: TrieNode<T>, tokens: readonly string[], value: T): T | undefined {
  let node = root;
  for (const t of tokens) {
    let child = node.next.get(t);
    if (child === undefined) {
      child = newNode<T>();
      node.next.set(t, child);
    }
    node = child;
  }
  const previous = node.value;
  if (previous === undefined) node.value = value;
  return previous;
}

function isAscii(tokens: readonly string[]): boolean {
  return tokens.every((t) => /^[a-z0-9]+$/.test(t));
}

function parseTier(at: Line, value: string | undefined, allowOff: boolean): Tier | 'off' {
  if (allowOff && value === 'off') return 'off';
  if (value !== undefined && (TIERS as readonly string[]).includes(value)) return value as Tier;
  throw new RulebookError(
    at.file,
    at.line,
    `unknown tier "${value ?? ''}" (expected ${TIERS.join(', ')}${allowOff ? ', off' : ''})`,
  );
}

function parseCategory(at: Line, value: string | undefined): string {
  if (value !== undefined && /^[a-z][a-z-]*$/.test(value)) return value;
  throw new RulebookError(at.file, at.line, `category "${value ?? ''}" must be lowercase letters and dashes`);
}

interface Flags {
  fold: boolean;
  join: boolean;
  stem: boolean;
  masked: boolean;
  notAfter: Set<string> | null;
  notBefore: Set<string> | null;
}

function parseFlags(at: Line, value: string | undefined): Flags {
  const flags: Flags = { fold: true, join: true, stem: false, masked: false, notAfter: null, notBefore: null };
  for (const flag of (value ?? '').split(/\s+/).filter(Boolean)) {
    const [name, list] = flag.split('=', 2);
    if (name === 'nofold' && list === undefined) flags.fold = false;
    else if (name === 'nojoin' && list === undefined) flags.join = false;
    else if (name === 'stem' && list === undefined) flags.stem = true;
    else if (name === 'masked' && list === undefined) flags.masked = true;
    else if ((name === 'notafter' || name === 'notbefore') && list) {
      const set = new Set(list.split(',').map((w) => (w === NUMBER_GUARD ? w : termTokens(at, w).join(' '))));
      if (name === 'notafter') flags.notAfter = set;
      else flags.notBefore = set;
    } else {
      throw new RulebookError(
        at.file,
        at.line,
        `unknown flag "${flag}" (expected nofold, nojoin, stem, masked, notafter=…, notbefore=…)`,
      );
    }
  }
  return flags;
}

class LexiconBuilder {
  readonly exact = newNode<LexiconEntry>();
  readonly folded = newNode<LexiconEntry>();
  readonly byKey = new Map<string, LexiconEntry>();
  readonly off = new Set<string>();
  readonly foldable = new Set<string>();

  add(at: Line, term: string, tier: Tier | 'off', category: string, flags: Flags, seeded = false): void {
    const tokens = termTokens(at, term);
    const key = tokens.join(' ');
    const source = `${at.file}:${at.line}`;
    const existing = this.byKey.get(key);
    if (existing && !seeded && !existing.source.endsWith(':seed')) {
      throw new RulebookError(at.file, at.line, `duplicate term "${term}" (first at ${existing.source})`);
    }
    if (existing && seeded) return;
    if (tier === 'off') {
      this.byKey.delete(key);
      this.off.add(key);
      return;
    }
    if (seeded && this.off.has(key)) return;
    if (flags.stem && tokens.length !== 1) {
      throw new RulebookError(at.file, at.line, 'flag "stem" needs a single word');
    }
    if (flags.masked && tokens.length !== 1) {
      throw new RulebookError(at.file, at.line, 'flag "masked" needs a single word');
    }
    this.byKey.set(key, {
      term,
      tokens,
      tier,
      category,
      notAfter: flags.notAfter,
      notBefore: flags.notBefore,
      join: flags.join && tokens.length === 1,
      stem: flags.stem,
      masked: flags.masked,
      source: seeded ? `${source}:seed` : source,
    });
    if (flags.fold && tokens.length > 1 && !isAscii(tokens)) this.foldable.add(key);
  }

  build(): Lexicon {
    const stems: LexiconEntry[] = [];
    const maskTargets: { entry: LexiconEntry; chars: readonly string[] }[] = [];
    for (const [key, entry] of this.byKey) {
      insert(this.exact, entry.tokens, entry);
      if (this.foldable.has(key)) {
        const folded = entry.tokens.map(foldDiacritics);
        const previous = insert(this.folded, folded, entry);
        // Two entries that fold alike keep the stricter tier.
        if (previous && TIERS.indexOf(previous.tier) > TIERS.indexOf(entry.tier)) {
          replace(this.folded, folded, entry);
        }
      }
      if (entry.stem) stems.push(entry);
      if (entry.masked) maskTargets.push({ entry, chars: [...(entry.tokens[0] ?? '')] });
    }
    return { exact: this.exact, folded: this.folded, stems, maskTargets, size: this.byKey.size };
  }
}

function replace<T>(root: TrieNode<T>, tokens: readonly string[], value: T): void {
  let node: TrieNode<T> | undefined = root;
  for (const t of tokens) node = node?.next.get(t);
  if (node) node.value = value;
}

function parseLexiconLine(builder: LexiconBuilder, at: Line, lang: 'vi' | 'en'): void {
  const [term = '', tierField, categoryField, flagsField] = at.fields;
  if (term.startsWith('@')) {
    // leo-profanity's English dictionary is the seed; it is read, never mutated (a process-wide singleton).
    if (term === '@seed leo-profanity' && lang === 'en') {
      const tier = parseTier(at, tierField, false) as Tier;
      const category = parseCategory(at, categoryField);
      const flags = parseFlags(at, flagsField);
      for (const word of leo.getDictionary('en')) {
        if (!TERM_SHAPE.test(word)) continue;
        builder.add(at, word, tier, category, flags, true);
      }
      return;
    }
    throw new RulebookError(at.file, at.line, `unknown directive "${term}"`);
  }
  const tier = parseTier(at, tierField, true);
  if (tier !== 'off' && at.fields.length < 3) {
    throw new RulebookError(at.file, at.line, 'expected "term | tier | category | flags | note"');
  }
  const category = tier === 'off' ? 'off' : parseCategory(at, categoryField);
  builder.add(at, term, tier, category, parseFlags(at, flagsField));
}

function parseNumber(at: Line, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new RulebookError(at.file, at.line, `"${value ?? ''}" must be a number from ${min} to ${max}`);
  }
  return n;
}

const POLICY_NUMBERS = {
  'spam-review': 'spamReview',
  'spam-threshold': 'spamThreshold',
  'spam-topic-cap': 'spamTopicCap',
  'spam-strong-topics': 'spamStrongTopics',
} as const;

function parsePolicy(file: string, text: string): Policy {
  const tiers: Partial<Record<Tier, TierAction>> = {};
  const numbers: Partial<Record<(typeof POLICY_NUMBERS)[keyof typeof POLICY_NUMBERS], number>> = {};
  for (const at of lines(file, text)) {
    const [key = '', value] = at.fields;
    if ((TIERS as readonly string[]).includes(key)) {
      if (value === undefined || !(TIER_ACTIONS as readonly string[]).includes(value)) {
        throw new RulebookError(file, at.line, `action "${value ?? ''}" must be one of ${TIER_ACTIONS.join(', ')}`);
      }
      tiers[key as Tier] = value as TierAction;
    } else if (key in POLICY_NUMBERS) {
      const name = POLICY_NUMBERS[key as keyof typeof POLICY_NUMBERS];
      numbers[name] = parseNumber(at, value, 0, name === 'spamStrongTopics' ? 100 : 1);
    } else {
      throw new RulebookError(file, at.line, `unknown policy key "${key}"`);
    }
  }
  for (const tier of TIERS) {
    if (tiers[tier] === undefined) throw new RulebookError(file, 0, `no action for tier "${tier}"`);
  }
  for (const [key, name] of Object.entries(POLICY_NUMBERS)) {
    if (numbers[name] === undefined) throw new RulebookError(file, 0, `missing "${key}"`);
  }
  const policy: Policy = {
    tiers: tiers as Record<Tier, TierAction>,
    spamReview: numbers.spamReview ?? 0,
    spamThreshold: numbers.spamThreshold ?? 0,
    spamTopicCap: numbers.spamTopicCap ?? 0,
    spamStrongTopics: numbers.spamStrongTopics ?? 0,
  };
  if (policy.spamReview > policy.spamThreshold) {
    throw new RulebookError(file, 0, '"spam-review" must not exceed "spam-threshold"');
  }
  return policy;
}

type FileKind = 'profanity-vi' | 'profanity-en' | 'whitelist' | 'spam-domains' | 'spam' | 'policy';

function kindOf(name: string): FileKind | null {
  const base = name.split(/[\\/]/).pop() ?? name;
  if (!base.endsWith('.txt')) return null;
  for (const kind of ['profanity-vi', 'profanity-en', 'whitelist', 'spam-domains', 'spam', 'policy'] as const) {
    if (base.startsWith(kind)) return kind;
  }
  throw new RulebookError(
    base,
    0,
    'unknown rules file (names start with profanity-vi, profanity-en, whitelist, spam-domains, spam or policy)',
  );
}

let rulebookCount = 0;

/**
 * Parses, validates and compiles the rules files. Pure: no I/O, so it runs in Node, Workers and
 * tests alike. Files not ending in `.txt` (a README) are ignored. Throws `RulebookError`.
 */
export function compileRulebook(files: readonly RuleFile[]): Rulebook {
  const vi = new LexiconBuilder();
  const en = new LexiconBuilder();
  const whitelist: Whitelist = { exact: newNode(), folded: newNode() };
  const spamExact = newNode<SpamEntry>();
  const spamFolded = newNode<SpamEntry>();
  const signals: Partial<Record<SpamSignal, number>> = {};
  const shorteners = new Set<string>();
  const tlds = new Set<string>();
  let policy: Policy | null = null;
  const names: string[] = [];
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  for (const { name, text } of sorted) {
    const kind = kindOf(name);
    if (kind === null) continue;
    const file = name.split(/[\\/]/).pop() ?? name;
    names.push(file);
    if (kind === 'policy') {
      if (policy) throw new RulebookError(file, 0, 'a second policy file');
      policy = parsePolicy(file, text);
      continue;
    }
    for (const at of lines(file, text)) {
      switch (kind) {
        case 'profanity-vi':
          parseLexiconLine(vi, at, 'vi');
          break;
        case 'profanity-en':
          parseLexiconLine(en, at, 'en');
          break;
        case 'whitelist': {
          const tokens = termTokens(at, at.fields[0] ?? '');
          insert(whitelist.exact, tokens, tokens.join(' '));
          if (tokens.length > 1 && !isAscii(tokens))
            insert(whitelist.folded, tokens.map(foldDiacritics), tokens.join(' '));
          break;
        }
        case 'spam-domains': {
          const [domain = '', kindField] = at.fields;
          if (!/^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/.test(domain)) {
            throw new RulebookError(file, at.line, `"${domain}" is not a lowercase domain`);
          }
          if (kindField === 'shortener') shorteners.add(domain);
          else if (kindField === 'tld') tlds.add(domain);
          else throw new RulebookError(file, at.line, `kind "${kindField ?? ''}" must be shortener or tld`);
          break;
        }
        case 'spam': {
          const [term = '', weightField, categoryField] = at.fields;
          if (term.startsWith('@signal ')) {
            const signal = term.slice('@signal '.length).trim();
            if (!(SPAM_SIGNALS as readonly string[]).includes(signal)) {
              throw new RulebookError(
                file,
                at.line,
                `unknown signal "${signal}" (expected ${SPAM_SIGNALS.join(', ')})`,
              );
            }
            signals[signal as SpamSignal] = parseNumber(at, weightField, 0, 1);
            break;
          }
          const weight = parseNumber(at, weightField, -1, 1);
          if (!(SPAM_CATEGORIES as readonly string[]).includes(categoryField ?? '')) {
            throw new RulebookError(
              file,
              at.line,
              `unknown category "${categoryField ?? ''}" (expected ${SPAM_CATEGORIES.join(', ')})`,
            );
          }
          const category = categoryField as SpamCategory;
          if ((category === 'dampener') !== weight < 0) {
            throw new RulebookError(file, at.line, 'dampeners, and only dampeners, have a negative weight');
          }
          const tokens = termTokens(at, term);
          const entry: SpamEntry = { term, tokens, weight, category, source: `${file}:${at.line}` };
          const previous = insert(spamExact, tokens, entry);
          if (previous) {
            throw new RulebookError(file, at.line, `duplicate term "${term}" (first at ${previous.source})`);
          }
          if (tokens.length > 1 && !isAscii(tokens)) insert(spamFolded, tokens.map(foldDiacritics), entry);
          break;
        }
      }
    }
  }

  if (!policy) throw new RulebookError('policy.txt', 0, 'no policy file');
  for (const signal of SPAM_SIGNALS) {
    if (signals[signal] === undefined) throw new RulebookError('spam.txt', 0, `no weight for signal "${signal}"`);
  }
  const viLexicon = vi.build();
  const enLexicon = en.build();
  const spam: SpamConfig = {
    exact: spamExact,
    folded: spamFolded,
    signals: signals as Record<SpamSignal, number>,
    shorteners,
    tlds: [...tlds],
  };
  return {
    id: ++rulebookCount,
    tagger: buildTagger(viLexicon, enLexicon, whitelist, spam),
    vi: viLexicon,
    en: enLexicon,
    whitelist,
    spam,
    policy,
    files: names,
  };
}

/* ------------------------------------------------------------------------------------------------
 * Matching. Each distinct word is tagged once (cached with its normalised form) with the lists it
 * can start an entry of, so a comment costs one pass over its tokens reading those bits and a trie
 * walk only where a bit is set. Extra passes (spelled-out, masked, leetspeak) run only when the
 * analysis saw what they look for.
 * ---------------------------------------------------------------------------------------------- */

/** Tag bits set on tokens by `Rulebook.tagger`. */
export const TAG = {
  VI: 1,
  WHITELIST: 2,
  EN: 4,
  SPAM: 8,
  TLD: 16,
  /** ASCII letters and digits mixed (`sh1t`, `fb88`, `500k`). */
  MIXED: 32,
  /** Keyboard mashing (`asdfgh`, `qwerty`). */
  MASH: 64,
} as const;

const MASHING = /asdf|qwer|zxcv|hjkl|sdfg/;

export interface LexiconMatch {
  readonly entry: LexiconEntry;
  /** [start, end) offsets into the analysed text. */
  readonly start: number;
  readonly end: number;
}

export interface MatchOptions {
  /** Skip matches lying inside one of these phrases. */
  whitelist?: Whitelist;
  /** English mode: ASCII tokens only, stems, plurals, leetspeak and squeezed repeats. */
  english?: boolean;
}

function guardsPass(entry: LexiconEntry, tokens: readonly Token[], i: number, j: number): boolean {
  if (entry.notAfter !== null && i > 0) {
    const prev = tokens[i - 1]!;
    if (entry.notAfter.has(prev.numeric ? NUMBER_GUARD : prev.text)) return false;
  }
  if (entry.notBefore !== null && j < tokens.length) {
    const next = tokens[j]!;
    if (entry.notBefore.has(next.numeric ? NUMBER_GUARD : next.text)) return false;
  }
  return true;
}

/** The longest entry starting at token i, or null. `asciiOnly` is for the folded trie. */
function longestAt(
  root: TrieNode<LexiconEntry>,
  tokens: readonly Token[],
  i: number,
  asciiOnly: boolean,
  minLength: number,
): { entry: LexiconEntry; end: number } | null {
  let best: { entry: LexiconEntry; end: number } | null = null;
  let node: TrieNode<LexiconEntry> | undefined = root;
  for (let j = i; j < tokens.length && j < i + 4; j++) {
    const token = tokens[j]!;
    if (asciiOnly && !token.ascii) break;
    node = node.next.get(token.text);
    if (node === undefined) break;
    if (node.value !== undefined && j + 1 - i >= minLength && guardsPass(node.value, tokens, i, j + 1)) {
      best = { entry: node.value, end: j + 1 };
    }
  }
  return best;
}

function longestPhraseAt(root: TrieNode<string>, tokens: readonly Token[], i: number, asciiOnly: boolean): number {
  let end = -1;
  let node: TrieNode<string> | undefined = root;
  for (let j = i; j < tokens.length && j < i + 4; j++) {
    const token = tokens[j]!;
    if (asciiOnly && !token.ascii) break;
    node = node.next.get(token.text);
    if (node === undefined) break;
    if (node.value !== undefined) end = j + 1;
  }
  return end;
}

/** Token ranges [i, j) covered by whitelisted phrases. */
function whitelistRanges(whitelist: Whitelist, tokens: readonly Token[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if ((token.tags & TAG.WHITELIST) === 0) continue;
    let end = longestPhraseAt(whitelist.exact, tokens, i, false);
    if (token.ascii) end = Math.max(end, longestPhraseAt(whitelist.folded, tokens, i, true));
    if (end > i) ranges.push([i, end]);
  }
  return ranges;
}

function covered(ranges: readonly [number, number][], i: number, j: number): boolean {
  for (const [a, b] of ranges) if (a <= i && j <= b) return true;
  return false;
}

/** Each mask character stands for 0–2 letters (`đ*o` = đéo, `f**k` = fuck). */
function maskedEquals(pattern: readonly string[], p: number, target: readonly string[], t: number): boolean {
  if (p === pattern.length) return t === target.length;
  const c = pattern[p]!;
  if (c === '*') {
    for (let k = 0; k <= 2 && t + k <= target.length; k++) {
      if (maskedEquals(pattern, p + 1, target, t + k)) return true;
    }
    return false;
  }
  return t < target.length && target[t] === c && maskedEquals(pattern, p + 1, target, t + 1);
}

function isMaskGap(source: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > 3) return false;
  for (let k = from; k < to; k++) {
    const c = source.charCodeAt(k);
    if (c !== 0x2a && c !== 0x23 && c !== 0x21) return false;
  }
  return true;
}

/** Chains of tokens joined only by mask characters, matched against the masked targets. */
function maskedMatches(lexicon: Lexicon, analysis: Analysis, out: LexiconMatch[]): void {
  if (lexicon.maskTargets.length === 0 || !analysis.maskGap) return;
  const { tokens, source } = analysis;
  let i = 0;
  while (i < tokens.length) {
    let j = i + 1;
    while (j < tokens.length && isMaskGap(source, tokens[j - 1]!.end, tokens[j]!.start)) j++;
    if (j - i >= 2) {
      const pattern: string[] = [];
      for (let k = i; k < j; k++) {
        if (k > i) for (let g = tokens[k - 1]!.end; g < tokens[k]!.start; g++) pattern.push('*');
        pattern.push(...tokens[k]!.text);
      }
      if (pattern.length <= 16) {
        for (const { entry, chars } of lexicon.maskTargets) {
          if (maskedEquals(pattern, 0, chars, 0)) {
            out.push({ entry, start: tokens[i]!.start, end: tokens[j - 1]!.end });
            break;
          }
        }
      }
    }
    i = j;
  }
}

/** Runs of 2–5 single letters separated by one space or mark (`đ.m`, `l.ồ.n`, `f u c k`). */
function spelledOutMatches(
  lexicon: Lexicon,
  tokens: readonly Token[],
  ranges: readonly [number, number][],
  english: boolean,
  out: LexiconMatch[],
): void {
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i]!;
    if (first.text.length !== 1 || first.numeric) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length) {
      const t = tokens[j]!;
      if (t.text.length !== 1 || t.numeric || t.start - tokens[j - 1]!.end !== 1) break;
      j++;
    }
    const length = j - i;
    if (length >= 2 && length <= 5) {
      let joined = '';
      for (let k = i; k < j; k++) joined += tokens[k]!.text;
      const entry = lexicon.exact.next.get(joined)?.value;
      if (
        entry?.join &&
        (!english || /^[a-z]+$/.test(joined)) &&
        guardsPass(entry, tokens, i, j) &&
        !covered(ranges, i, j)
      ) {
        out.push({ entry, start: first.start, end: tokens[j - 1]!.end });
      }
    }
    i = j;
  }
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'i',
  '+': 't',
};
const LEET_CHARS = /[0-9@$!|+]/;
const LEET_EDGES = /^[!|+]+|[!|+]+$/g;

/** An English entry for one word: itself, its plural, or a stem inside it. */
function englishWord(lexicon: Lexicon, word: string): LexiconEntry | null {
  const direct = lexicon.exact.next.get(word)?.value;
  if (direct && direct.tokens.length === 1) return direct;
  if (word.length >= 4 && word.endsWith('s')) {
    const singular = lexicon.exact.next.get(word.slice(0, -1))?.value;
    if (singular && singular.tokens.length === 1) return singular;
    if (word.endsWith('es')) {
      const base = lexicon.exact.next.get(word.slice(0, -2))?.value;
      if (base && base.tokens.length === 1) return base;
    }
  }
  for (const stem of lexicon.stems) {
    if (word.length > stem.term.length && word.includes(stem.tokens[0]!)) return stem;
  }
  return null;
}

function deleet(chunk: string): string | null {
  let word = '';
  for (const c of chunk.toLowerCase()) word += LEET[c] ?? c;
  if (!/^[a-z]+$/.test(word)) return null;
  return word.replace(/([a-z])\1\1+/g, '$1');
}

function isLeetSymbol(c: number): boolean {
  return c === 0x40 || c === 0x24 || c === 0x21 || c === 0x7c || c === 0x2b; // @ $ ! | +
}

/** A character of a leetspeak chunk: an ASCII letter or digit, or a leet symbol. */
function isLeetChunkChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isLeetSymbol(c);
}

/**
 * Words glued with leetspeak symbols (`bullsh!t`, `$hit`, `a$$`), found only when the analysis saw one.
 * A chunk is a maximal run of ASCII letters, digits and leet symbols with a symbol in it, so the search
 * starts from each symbol rather than running a regex over every ASCII run of the text.
 */
function leetMatches(lexicon: Lexicon, source: string, out: LexiconMatch[]): void {
  const n = source.length;
  let done = 0;
  for (let s = 0; s < n; s++) {
    if (s < done || !isLeetSymbol(source.charCodeAt(s))) continue;
    let a = s;
    while (a > 0 && isLeetChunkChar(source.charCodeAt(a - 1))) a--;
    let b = s + 1;
    while (b < n && isLeetChunkChar(source.charCodeAt(b))) b++;
    done = b;
    const chunk = source.slice(a, b);
    if (!/[a-z]/i.test(chunk)) continue;
    // Chunks glued to non-ASCII letters are Vietnamese words, not leetspeak.
    if ((a > 0 && source.charCodeAt(a - 1) > 0x7f) || (b < n && source.charCodeAt(b) > 0x7f)) continue;
    const trimmed = chunk.replace(LEET_EDGES, '');
    if (trimmed === '' || !LEET_CHARS.test(trimmed)) continue;
    const word = deleet(trimmed);
    const entry = word === null ? null : englishWord(lexicon, word);
    if (entry) {
      const start = a + chunk.indexOf(trimmed);
      out.push({ entry, start, end: start + trimmed.length });
    }
  }
}

/**
 * Every match of the lexicon in the analysed text, left to right, longest first at each token,
 * without overlaps among the token matches. Matches inside whitelisted phrases are dropped.
 * The analysis must come from `analyze(text, rulebook.tagger)`.
 */
export function matchLexicon(lexicon: Lexicon, analysis: Analysis, options: MatchOptions = {}): LexiconMatch[] {
  const { tokens, source } = analysis;
  const english = options.english === true;
  const bit = english ? TAG.EN : TAG.VI;
  // The analysis summarises its tokens: each pass runs only when some token can match in it.
  const ranges =
    options.whitelist && (analysis.tagged & TAG.WHITELIST) !== 0 ? whitelistRanges(options.whitelist, tokens) : [];
  const out: LexiconMatch[] = [];
  const main = (analysis.tagged & bit) !== 0 || (english && analysis.squeezed);
  // Mixed tokens inside a matched phrase are skipped (the loop jumps over the phrase), as they always were.
  let mixed = !main && (analysis.tagged & TAG.MIXED) !== 0;
  for (let i = main ? 0 : tokens.length; i < tokens.length; ) {
    const token = tokens[i]!;
    if ((token.tags & TAG.MIXED) !== 0) mixed = true;
    const squeezed = english && token.ascii && token.end - token.start !== token.text.length;
    if ((token.tags & bit) === 0 && !squeezed) {
      i++;
      continue;
    }
    let best: { entry: LexiconEntry; end: number } | null = null;
    best = longestAt(lexicon.exact, tokens, i, english, 1);
    if (!english && token.ascii) {
      const folded = longestAt(lexicon.folded, tokens, i, true, 2);
      if (folded && (!best || folded.end > best.end)) best = folded;
    }
    if (best === null && english) {
      const entry = englishWord(lexicon, token.text) ?? (squeezed ? squeezedToTwo(lexicon, token, source) : null);
      if (entry) best = { entry, end: i + 1 };
    }
    if (best !== null) {
      if (!covered(ranges, i, best.end)) {
        out.push({ entry: best.entry, start: token.start, end: tokens[best.end - 1]!.end });
      }
      i = best.end;
    } else {
      i++;
    }
  }
  if (analysis.spelled) spelledOutMatches(lexicon, tokens, ranges, english, out);
  maskedMatches(lexicon, analysis, out);
  if (english) {
    if (mixed) {
      for (const token of tokens) {
        if ((token.tags & TAG.MIXED) === 0) continue;
        const word = deleet(token.text);
        const entry = word === null ? null : englishWord(lexicon, word);
        if (entry) out.push({ entry, start: token.start, end: token.end });
      }
    }
    if (analysis.leetHint) leetMatches(lexicon, source, out);
  }
  return out;
}

/** `asssss` squeezes to `as`; English needs the double letter back (`ass`). */
function squeezedToTwo(lexicon: Lexicon, token: Token, source: string): LexiconEntry | null {
  const two = source
    .slice(token.start, token.end)
    .toLowerCase()
    .replace(/([a-z])\1\1+/g, '$1$1');
  if (!/^[a-z]+$/.test(two)) return null;
  return englishWord(lexicon, two);
}

function buildTagger(vi: Lexicon, en: Lexicon, whitelist: Whitelist, spam: SpamConfig): Tagger {
  // Shorteners end in labels that are not link TLDs on their own (`t.me`, `bit.ly`): tag those too.
  const tlds = new Set([...spam.tlds, ...[...spam.shorteners].map((d) => d.slice(d.lastIndexOf('.') + 1))]);
  return {
    tag(text, ascii, numeric) {
      let tags = 0;
      if (vi.exact.next.has(text) || (ascii && vi.folded.next.has(text))) tags |= TAG.VI;
      if (whitelist.exact.next.has(text) || (ascii && whitelist.folded.next.has(text))) tags |= TAG.WHITELIST;
      if (ascii && !numeric) {
        if (englishWord(en, text) !== null || en.exact.next.has(text)) tags |= TAG.EN;
        if (/[0-9]/.test(text)) tags |= TAG.MIXED;
        if (text.length >= 6 && MASHING.test(text)) tags |= TAG.MASH;
      }
      if (spam.exact.next.has(text) || (ascii && spam.folded.next.has(text))) tags |= TAG.SPAM;
      if (tlds.has(text)) tags |= TAG.TLD;
      return tags;
    },
  };
}

/**
 * Turns matches into a rule outcome through the policy: one reason per tier and term with every
 * span; `detail` is the text as the reader wrote it, so a rejected writer sees what to change.
 */
export function lexiconOutcome(
  rule: string,
  matches: readonly LexiconMatch[],
  source: string,
  policy: Policy,
): RuleResult {
  if (matches.length === 0) return ALLOW;
  // One reason per entry (its term and tier decide the code), in order of first appearance.
  const grouped = new Map<LexiconEntry, Reason & { spans: Span[] }>();
  const mask: Span[] = [];
  let action: Action = 'allow';
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  for (let k = 0; k < sorted.length; k++) {
    const m = sorted[k]!;
    // Only the first match of a span counts; equal spans are next to each other once sorted.
    const before = k > 0 ? sorted[k - 1]! : null;
    if (before !== null && before.start === m.start && before.end === m.end) continue;
    const tierAction = policy.tiers[m.entry.tier];
    if (tierAction === 'allow') continue;
    const code = TIER_CODES[m.entry.tier];
    const span: Span = [m.start, m.end];
    const reason = grouped.get(m.entry);
    if (reason) reason.spans.push(span);
    else grouped.set(m.entry, { code, rule, detail: source.slice(m.start, m.end), spans: [span] });
    if (tierAction === 'mask') mask.push(span);
    const wanted: Action = tierAction === 'reject' ? 'reject' : tierAction === 'hold' ? 'hold' : 'allow';
    if (ACTION_RANK[wanted] > ACTION_RANK[action]) action = wanted;
  }
  if (grouped.size === 0) return ALLOW;
  return { action, reasons: [...grouped.values()], ...(mask.length > 0 ? { mask } : {}) };
}
