import type { Action, Rule, RuleResult } from '../rule.ts';
import { type Rulebook, type SpamCategory, type SpamEntry, type SpamSignal, TAG, type TrieNode } from '../rulebook.ts';
import type { Analysis, Token } from '../text/analyze.ts';
import type { Reason, Span } from '../types.ts';
import { analysisOf } from './profanity-vi.ts';

/**
 * Spam scoring: weighted signals from `rules/spam*.txt`, summed and clamped to [0, 1].
 * A topic word alone never makes spam (news readers write `lừa đảo qua Zalo`, `tín dụng đen`): without
 * a contact signal (phone, link, self-addressed contact, account number, email) the score is capped
 * below review unless several topic phrases occur together; dampeners (`cảnh giác`, `bị bắt`) subtract.
 * The policy's thresholds turn the score into `hold` (review) or `spam`.
 *
 * Detection works on the shared tokens (numbers, domain labels and their separators) rather than
 * regexes over the whole text, so a clean comment costs one pass over its token tags.
 */

interface Signal {
  code: string;
  detail: string;
  weight: number;
  /** A way to reach the writer: the gate that lets topic words add up to spam. */
  contact: boolean;
  /** A topic phrase strong enough to count towards `spam-strong-topics`. */
  topic: boolean;
  spans: Span[];
}

/** VN mobiles: (+84|84|0) + network prefix + 7 digits. */
const MOBILE = /^(?:84|0)(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}$/;
const HOTLINE = /^(?:1800|1900)\d{4,6}$/;
/** A number followed by one of these is an amount, not a phone (`1.200.000 đồng`). */
const MONEY_UNITS = new Set([
  'đ',
  'đồng',
  'dong',
  'vnđ',
  'vnd',
  'k',
  'tr',
  'triệu',
  'trieu',
  'tỷ',
  'tỉ',
  'ty',
  'nghìn',
  'ngàn',
  'ngan',
  'usd',
  'usdt',
  'kg',
  'km',
  'người',
  'nguoi',
]);
const INCOME_AMOUNT = /^\d+(?:k|tr|đ|usd)$/;
const INCOME_UNITS = new Set(['k', 'tr', 'triệu', 'trieu', 'đ', 'usd']);
const PERIODS = new Set(['ngày', 'ngay', 'tháng', 'thang', 'giờ', 'gio', 'h', 'tuần', 'tuan']);
/** Spaced-dot disguises (`fb88 . com`) are believed only for these endings. */
const DISGUISE_TLDS = new Set(['com', 'net', 'org', 'vn', 'info', 'xyz', 'club', 'vip', 'bet']);
const DOT_WORDS = new Set(['chấm', 'cham', 'dot']);
const URL = /(?:https?:\/\/|www\.)[^\s<>"'()]+/giu;
const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/giu;
const PHONEISH = /^[0-9o]+$/;

const CATEGORY_CODE: Record<SpamCategory, string> = {
  channel: 'SPAM_CONTACT',
  contact: 'SPAM_CONTACT',
  account: 'SPAM_ACCOUNT',
  betting: 'SPAM_TOPIC',
  loan: 'SPAM_TOPIC',
  job: 'SPAM_TOPIC',
  adult: 'SPAM_TOPIC',
  degree: 'SPAM_TOPIC',
  promo: 'SPAM_TOPIC',
  brand: 'SPAM_TOPIC',
  dampener: 'SPAM_DAMPENER',
};

type Weights = Readonly<Record<SpamSignal, number>>;

class Signals {
  readonly list: Signal[] = [];
  add(code: string, detail: string, weight: number, contact: boolean, topic: boolean, span: Span | null): void {
    const same = this.list.find((x) => x.code === code && x.detail === detail);
    if (same) {
      if (span) same.spans.push(span);
    } else this.list.push({ code, detail, weight, contact, topic, spans: span ? [span] : [] });
  }
}

function longestSpam(root: TrieNode<SpamEntry>, tokens: readonly Token[], i: number, asciiOnly: boolean) {
  let best: { entry: SpamEntry; end: number } | null = null;
  let node: TrieNode<SpamEntry> | undefined = root;
  for (let j = i; j < tokens.length && j < i + 4; j++) {
    const token = tokens[j]!;
    if (asciiOnly && !token.ascii) break;
    node = node.next.get(token.text);
    if (node === undefined) break;
    if (node.value !== undefined) best = { entry: node.value, end: j + 1 };
  }
  return best;
}

/** Tokens i..j-1 are separated by exactly one of `sep` each. */
function gapIs(source: string, a: Token, b: Token, sep: string): boolean {
  return b.start - a.end === 1 && sep.includes(source[a.end] ?? '');
}

function phoneish(t: Token): boolean {
  return t.numeric || ((t.tags & TAG.MIXED) !== 0 && PHONEISH.test(t.text));
}

/** Numbers written as digit groups (`0912.345.678`, `098 765 4321`, `O9O9 123 456`, `+84 912…`). */
function phones(analysis: Analysis, signals: Signals, weights: Weights): void {
  const { tokens, source } = analysis;
  let i = 0;
  while (i < tokens.length) {
    if (!phoneish(tokens[i]!)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length && phoneish(tokens[j]!) && gapIs(source, tokens[j - 1]!, tokens[j]!, ' .-')) j++;
    let length = 0;
    for (let k = i; k < j; k++) length += tokens[k]!.text.length;
    const after = tokens[j];
    const money =
      length < 8 ||
      (after !== undefined && after.start - tokens[j - 1]!.end <= 1 && MONEY_UNITS.has(after.text)) ||
      source[tokens[j - 1]!.end] === '%';
    if (!money) {
      let g = i;
      while (g < j) {
        let digits = '';
        let found = false;
        for (let h = g; h < j; h++) {
          digits += tokens[h]!.text.replaceAll('o', '0');
          if (digits.length > 12) break;
          const span: Span = [tokens[g]!.start, tokens[h]!.end];
          const written = source.slice(span[0], span[1]);
          const real = written.replace(/[^0-9]/g, '').length;
          if (MOBILE.test(digits) && real >= 6) {
            signals.add('SPAM_PHONE', written, weights.phone, true, false, span);
            found = true;
          } else if (HOTLINE.test(digits) && real === digits.length) {
            signals.add('SPAM_PHONE', written, weights.hotline, false, false, span);
            found = true;
          }
          if (found) {
            g = h + 1;
            break;
          }
        }
        if (!found) g++;
      }
    }
    i = j;
  }
}

/** Bare domains (`abc.xyz`, `bit.ly/abc`), shorteners and disguised ones (`fb88 . com`, `w88 chấm com`). */
function domains(
  analysis: Analysis,
  signals: Signals,
  weights: Weights,
  shorteners: ReadonlySet<string>,
  tlds: ReadonlySet<string>,
  linkSpans: Span[],
): void {
  const { tokens, source } = analysis;
  for (let j = 1; j < tokens.length; j++) {
    const last = tokens[j]!;
    if ((last.tags & TAG.TLD) === 0) continue;
    const next = tokens[j + 1];
    if (next && gapIs(source, last, next, '.') && (next.tags & TAG.TLD) !== 0) continue;
    if (gapIs(source, tokens[j - 1]!, last, '.')) {
      let k = j - 1;
      while (k > 0 && gapIs(source, tokens[k - 1]!, tokens[k]!, '.-')) k--;
      const labels = tokens.slice(k, j + 1);
      if (!labels.every((t) => t.ascii)) continue;
      const before = source[tokens[k]!.start - 1];
      if (before === '@' || before === '.' || before === '/') continue;
      const host = source.slice(tokens[k]!.start, last.end).toLowerCase();
      const short = shorteners.has(host) || shorteners.has(host.slice(host.indexOf('.') + 1));
      if (!short && !tlds.has(last.text)) continue;
      let end = last.end;
      if (source[end] === '/') while (end < source.length && !/\s/.test(source[end]!)) end++;
      const span: Span = [tokens[k]!.start, end];
      if (linkSpans.some(([a, b]) => a <= span[0] && span[0] < b)) continue;
      linkSpans.push(span);
      signals.add(
        'SPAM_LINK',
        source.slice(span[0], span[1]),
        weights[short ? 'shortener' : 'link'],
        true,
        false,
        span,
      );
      continue;
    }
    if (!DISGUISE_TLDS.has(last.text)) continue;
    // Spaced dots count only after a label with letters and digits (`fb88 . com`), so `nhanh chóng. Shop`
    // or `năm 2020. Co` are not domains.
    let label = tokens[j - 1]!;
    let gap = source.slice(label.end, last.start);
    if (DOT_WORDS.has(label.text) && j >= 2 && gap === ' ') {
      const word = label;
      label = tokens[j - 2]!;
      gap = source.slice(label.end, word.start) === ' ' ? ' . ' : '';
    }
    if ((label.tags & TAG.MIXED) === 0 || INCOME_AMOUNT.test(label.text)) continue;
    if (!/^(?: ?\[\.\] ?| ?\(\.\) ?| +\. ?|\. +)$/.test(gap)) continue;
    const span: Span = [label.start, last.end];
    linkSpans.push(span);
    signals.add('SPAM_LINK', source.slice(span[0], span[1]), weights['disguised-domain'], true, false, span);
  }
}

/** `số tài khoản 0123 456 789`: an account number right after the phrase. */
function accountNumber(tokens: readonly Token[], source: string, end: number): Span | null {
  let k = end;
  if (tokens[k]?.text === 'là') k++;
  const first = tokens[k];
  if (first === undefined || !first.numeric || first.start - (tokens[k - 1]?.end ?? 0) > 3) return null;
  let digits = first.text.length;
  let j = k + 1;
  while (j < tokens.length && tokens[j]!.numeric && gapIs(source, tokens[j - 1]!, tokens[j]!, ' .-')) {
    digits += tokens[j]!.text.length;
    j++;
  }
  if (digits < 6 || digits > 19) return null;
  return [first.start, tokens[j - 1]!.end];
}

/** `500k/ngày`, `10 triệu / tháng`: pay per period, the bait of job scams. */
function incomeRate(tokens: readonly Token[], source: string, i: number): Span | null {
  const t = tokens[i]!;
  let next = i + 1;
  // A plain number is never an amount with its unit glued on: no need for the regex.
  if (t.numeric || !INCOME_AMOUNT.test(t.text)) {
    const unit = tokens[i + 1];
    if (!t.numeric || unit === undefined || unit.start - t.end > 1 || !INCOME_UNITS.has(unit.text)) return null;
    next = i + 2;
  }
  const period = tokens[next];
  if (period === undefined || !PERIODS.has(period.text)) return null;
  const gap = source.slice(tokens[next - 1]!.end, period.start).trim();
  return gap === '/' ? [t.start, period.end] : null;
}

/** The spam rule. Named `spam`; reasons SPAM, SPAM_PHONE, SPAM_LINK, SPAM_CONTACT, SPAM_ACCOUNT, SPAM_TOPIC, SPAM_SHAPE. */
export function spamRule(rulebook: Rulebook): Rule {
  const { spam, policy } = rulebook;
  const weights = spam.signals;
  const tlds = new Set(spam.tlds);
  const { spamReview, spamThreshold, spamTopicCap, spamStrongTopics } = policy;

  return {
    name: 'spam',
    check(ctx): RuleResult {
      const analysis = analysisOf(ctx, rulebook);
      const { tokens, source } = analysis;
      const signals = new Signals();
      const linkSpans: Span[] = [];
      let numbers = false;
      let tldSeen = false;
      let run = 1;
      let longestRun = 1;

      for (let i = 0; i < tokens.length; i++) {
        const token = tokens[i]!;
        const before = i > 0 ? tokens[i - 1]!.text : '';
        // Lengths first: comparing the strings themselves is a call, and most neighbours differ in length.
        if (token.text.length === before.length && token.text === before) {
          run++;
          if (run > longestRun) longestRun = run;
        } else run = 1;
        if (token.numeric || (token.tags & TAG.MIXED) !== 0) {
          numbers = true;
          const income = incomeRate(tokens, source, i);
          if (income) {
            signals.add('SPAM_TOPIC', source.slice(income[0], income[1]), weights['income-rate'], false, true, income);
          }
        }
        if ((token.tags & TAG.TLD) !== 0) tldSeen = true;
        if ((token.tags & TAG.MASH) !== 0) {
          signals.add('SPAM_SHAPE', 'keyboard mashing', weights['keyboard-mash'], false, false, [
            token.start,
            token.end,
          ]);
        }
        if ((token.tags & TAG.SPAM) === 0) continue;
        let best = spam.exact.next.has(token.text) ? longestSpam(spam.exact, tokens, i, false) : null;
        if (token.ascii && spam.folded.next.has(token.text)) {
          const folded = longestSpam(spam.folded, tokens, i, true);
          if (folded && (!best || folded.end > best.end)) best = folded;
        }
        if (best === null) continue;
        const { entry, end } = best;
        const span: Span = [token.start, tokens[end - 1]!.end];
        if (entry.category === 'account') {
          const number = accountNumber(tokens, source, end);
          if (number) {
            const whole: Span = [span[0], number[1]];
            signals.add('SPAM_ACCOUNT', source.slice(whole[0], whole[1]), entry.weight, true, false, whole);
          }
        } else {
          const c = entry.category;
          const topic = c !== 'channel' && c !== 'contact' && c !== 'dampener' && entry.weight >= 0.2;
          signals.add(CATEGORY_CODE[c], source.slice(span[0], span[1]), entry.weight, c === 'contact', topic, span);
        }
        i = end - 1;
        run = 1;
      }

      if (numbers) phones(analysis, signals, weights);
      if (analysis.urlHint) {
        URL.lastIndex = 0;
        for (let m = URL.exec(source); m !== null; m = URL.exec(source)) {
          const url = m[0].replace(/[.,;:!?)\]]+$/, '');
          const host =
            url
              .replace(/^(?:https?:\/\/)?(?:www\.)?/i, '')
              .split(/[/?#]/)[0]
              ?.toLowerCase() ?? '';
          const span: Span = [m.index, m.index + url.length];
          linkSpans.push(span);
          const short = spam.shorteners.has(host);
          signals.add('SPAM_LINK', url, weights[short ? 'shortener' : 'link'], true, false, span);
        }
      }
      if (tldSeen) domains(analysis, signals, weights, spam.shorteners, tlds, linkSpans);
      if (linkSpans.length >= 2) {
        signals.add('SPAM_LINK', `${linkSpans.length} links`, weights['many-links'], true, false, null);
      }
      if (analysis.emailHint) {
        EMAIL.lastIndex = 0;
        for (let m = EMAIL.exec(source); m !== null; m = EMAIL.exec(source)) {
          signals.add('SPAM_CONTACT', m[0], weights.email, true, false, [m.index, m.index + m[0].length]);
        }
      }
      if (analysis.longestRun >= 10) {
        signals.add('SPAM_SHAPE', 'repeated characters', weights['repeated-chars'], false, false, null);
      }
      if (analysis.emoji >= 10) signals.add('SPAM_SHAPE', 'emoji flood', weights['emoji-flood'], false, false, null);
      if (longestRun >= 5) signals.add('SPAM_SHAPE', 'repeated words', weights['repeated-words'], false, false, null);
      if (analysis.allCaps && analysis.letters >= 20) {
        signals.add('SPAM_SHAPE', 'all caps', weights['all-caps'], false, false, null);
      }
      if (signals.list.length === 0) return { action: 'allow' };

      let positive = 0;
      let dampening = 0;
      let channels = 0;
      let contact = false;
      let topics = 0;
      for (const s of signals.list) {
        if (s.weight < 0) dampening += s.weight;
        else if (s.code === 'SPAM_CONTACT' && !s.contact) channels += s.weight;
        else positive += s.weight;
        if (s.contact) contact = true;
        if (s.topic) topics++;
      }
      // Channel names (`zalo`, `ib`) add up to one middling signal at most.
      let score = positive + Math.min(channels, 0.3) + dampening;
      if (!contact && topics < spamStrongTopics) score = Math.min(score, spamTopicCap);
      score = Math.round(Math.min(1, Math.max(0, score)) * 100) / 100;

      const action: Action = score >= spamThreshold ? 'spam' : score >= spamReview ? 'hold' : 'allow';
      if (action === 'allow') return score > 0 ? { action, score } : { action };
      const reasons: Reason[] = [{ code: 'SPAM', rule: 'spam', detail: `score ${score}` }];
      for (const s of signals.list) {
        if (s.weight <= 0) continue;
        reasons.push({
          code: s.code,
          rule: 'spam',
          detail: s.detail,
          ...(s.spans.length > 0 ? { spans: s.spans } : {}),
        });
      }
      return { action, score, reasons };
    },
  };
}
