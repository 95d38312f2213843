import { describe, expect, it } from 'vitest';
import { matchLexicon, TAG } from '../../src/core/rulebook.ts';
import { contentRules } from '../../src/core/rules/content.ts';
import { analyze, normalizeToken } from '../../src/core/text/analyze.ts';
import { moderateWith, rulebook } from '../helpers/engine.ts';

/**
 * The speed work in the analyser and matchers (word cache, summaries that let rules skip passes,
 * hints instead of text searches) must never change a result: these pin the edge cases.
 */
const rules = contentRules(rulebook);
const words = (text: string) => analyze(text, rulebook.tagger).tokens.map((t) => t.text);

async function verdict(body: string) {
  const r = await moderateWith(rules, body);
  return { action: r.action, reasons: r.reasons };
}

describe('word cache', () => {
  it('never confuses words whose hashes collide', () => {
    // `Aa` and `BB` have the same 31-based hash, and so do longer words ending in them.
    expect(words('Aa BB Aa BB')).toEqual(['aa', 'bb', 'aa', 'bb']);
    expect(words('abcdAa abcdBB abcdAa')).toEqual(['abcdaa', 'abcdbb', 'abcdaa']);
    expect(words('xyzwabcdAa xyzwabcdBB')).toEqual(['xyzwabcdaa', 'xyzwabcdbb']);
  });

  it('gives the same tokens for any string representation of the same text', () => {
    const text = 'Đồ c\u0103\u0323c, ĐÉO tin được 1.200.000 đồng www.abc.com ';
    const long = `${'x'.repeat(20)}${text}${'y'.repeat(20)}`;
    const sliced = long.slice(20, 20 + text.length);
    const flat = JSON.parse(JSON.stringify(text)) as string;
    const concatenated = text.slice(0, 10) + text.slice(10);
    const expected = analyze(text, rulebook.tagger);
    for (const variant of [sliced, flat, concatenated]) {
      expect(analyze(variant, rulebook.tagger)).toEqual(expected);
    }
  });

  it('normalises the same after the cache fills up and starts over', () => {
    const before = words('Đéo Ðịt c\u0103\u0323c hoà khoẻ vcllll');
    // Far more distinct words than the cache holds.
    for (let i = 0; i < 80_000; i += 500) {
      let text = '';
      for (let k = i; k < i + 500; k++) text += `w${k.toString(36)} `;
      analyze(text);
    }
    expect(words('Đéo Ðịt c\u0103\u0323c hoà khoẻ vcllll')).toEqual(before);
    expect(before).toEqual(['đéo', 'địt', 'cặc', 'hoà', 'khoẻ', 'vcl']);
  });

  it('normalises words too long to cache like any other', () => {
    const long = `Đ${'Ê'.repeat(2)}${'ab'.repeat(60)}`;
    expect(words(long)).toEqual([normalizeToken(long)]);
    expect(words(`${long} ${long}`)).toEqual([normalizeToken(long), normalizeToken(long)]);
  });

  it('keeps surrogate pairs, joiners and emoji in offsets and runs', () => {
    const text = 'a😀😀😀b đ\u200Bị\u00ADt 𝐀𝐁';
    const a = analyze(text, rulebook.tagger);
    expect(a.tokens.map((t) => text.slice(t.start, t.end))).toEqual(['a', 'b', 'đ\u200Bị\u00ADt', '𝐀𝐁']);
    expect(a.tokens[2]?.text).toBe('địt');
    expect(a.emoji).toBe(3);
    expect(a.longestRun).toBe(3);
  });
});

describe('analysis summaries', () => {
  it('notes links and addresses only where the spam rule would find them', () => {
    expect(analyze('xem https://abc.xyz nhé').urlHint).toBe(true);
    expect(analyze('vào www.abc.xyz').urlHint).toBe(true);
    expect(analyze('VÀO WWW.ABC.XYZ').urlHint).toBe(true);
    expect(analyze('vào abc.xyz: tốt').urlHint).toBe(false);
    expect(analyze('mail abc.def@gmail.com nhé').emailHint).toBe(true);
    expect(analyze('@Nguyễn Văn A nói đúng').emailHint).toBe(false);
    expect(analyze('@Nguyen nói đúng').emailHint).toBe(false);
    expect(analyze('giá 20@ nhé').emailHint).toBe(false);
  });

  it('summarises the tags, squeezed and spelled-out tokens', () => {
    const plain = analyze('hôm nay trời đẹp', rulebook.tagger);
    expect([plain.squeezed, plain.spelled]).toEqual([false, false]);
    expect(analyze('fuuuuck', rulebook.tagger).squeezed).toBe(true);
    expect(analyze('đ.m nó', rulebook.tagger).spelled).toBe(true);
    expect(analyze('đ . m nó', rulebook.tagger).spelled).toBe(false);
    expect(analyze('size S M L', rulebook.tagger).spelled).toBe(true);
    const tagged = analyze('con chó này fb88', rulebook.tagger);
    let all = 0;
    for (const t of tagged.tokens) all |= t.tags;
    expect(tagged.tagged).toBe(all);
    expect(tagged.tagged & TAG.MIXED).toBe(TAG.MIXED);
  });

  it('finds the same matches whether or not a pass is skipped', () => {
    const a = analyze('thằng này ngu như bò, đ.m nó, c*c', rulebook.tagger);
    const spans = matchLexicon(rulebook.vi, a, { whitelist: rulebook.whitelist }).map((m) => [m.start, m.end]);
    expect(spans).toEqual(
      expect.arrayContaining([
        [10, 20],
        [22, 25],
        [30, 33],
      ]),
    );
  });
});

describe('leetspeak search from its symbols', () => {
  it('finds glued leetspeak anywhere in the text', async () => {
    for (const text of ['what a $hit', 'you a$$', 'bullsh!t!!', 'so ... bullsh!t and $hit']) {
      expect((await verdict(text)).action, text).not.toBe('allow');
    }
    const r = await verdict('so ... bullsh!t and $hit');
    expect(r.reasons.flatMap((x) => x.spans ?? [])).toEqual(
      expect.arrayContaining([
        [7, 15],
        [20, 24],
      ]),
    );
  });

  it('leaves mentions, prices and Vietnamese words glued to symbols alone', async () => {
    for (const text of ['@Nguyen nói đúng', 'giá 20$ thôi', 'Đẹp quá!!!', 'tuyệt!vời', 'a+b=c', 'x|y']) {
      expect((await verdict(text)).action, text).toBe('allow');
    }
  });
});
