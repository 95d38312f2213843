import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLength, graphemeLength, normalizeText } from '../../src/core/text/length.ts';

describe('normalizeText', () => {
  it('composes NFD Vietnamese into NFC', () => {
    const nfd = 'Bi\u0300nh luâ\u0323n';
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    expect(normalizeText(nfd)).toBe('Bình luận');
  });

  it('removes zero-width, bidi and control characters but keeps newlines and tabs', () => {
    expect(normalizeText('a\u200Bb\u200Cc\u200Dd\uFEFFe\u202Ef\u0000g\u0007h\u00ADi')).toBe('abcdefghi');
    expect(normalizeText('dòng một\ndòng\thai')).toBe('dòng một\ndòng\thai');
  });

  it('folds CRLF and CR into LF', () => {
    expect(normalizeText('một\r\nhai\rba')).toBe('một\nhai\nba');
  });

  it('trims outer whitespace only', () => {
    expect(normalizeText('  \n\t xin  chào \n ')).toBe('xin  chào');
  });

  it('drops lone surrogates', () => {
    expect(normalizeText('ab\uD800cd\uDC00e')).toBe('abcde');
    expect(normalizeText('😀')).toBe('😀');
  });
});

describe('graphemeLength', () => {
  it('counts ệ as one character in NFC and in NFD', () => {
    expect(graphemeLength('ệ')).toBe(1);
    expect(graphemeLength('e\u0323\u0302')).toBe(1);
  });

  it('counts an emoji with a skin-tone modifier as one', () => {
    expect(graphemeLength('👍🏽')).toBe(1);
    expect(graphemeLength('👨‍👩‍👧‍👦')).toBe(1);
    expect(graphemeLength('🇻🇳')).toBe(1);
  });

  it('counts ASCII by code units', () => {
    expect(graphemeLength('hello world')).toBe(11);
  });
});

describe('checkLength', () => {
  it('refuses 4 characters and accepts 5', () => {
    expect(checkLength('abcd')).toMatchObject({ ok: false, code: 'COMMENT_TOO_SHORT', length: 4 });
    expect(checkLength('abcde')).toMatchObject({ ok: true, length: 5 });
  });

  it('accepts exactly 500 and refuses 501', () => {
    expect(checkLength('ệ'.repeat(500))).toMatchObject({ ok: true, length: 500 });
    expect(checkLength('ệ'.repeat(501))).toMatchObject({ ok: false, code: 'COMMENT_TOO_LONG', length: 501 });
  });

  it('counts 500 NFD letters as 500, not as their code points', () => {
    const nfd = 'e\u0323\u0302'.repeat(500);
    expect(nfd.length).toBe(1500);
    expect(checkLength(nfd)).toMatchObject({ ok: true, length: 500 });
  });

  it('does not let zero-width padding reach the minimum', () => {
    expect(checkLength('ab\u200B\u200B\u200B\u200Bc')).toMatchObject({
      ok: false,
      code: 'COMMENT_TOO_SHORT',
      length: 3,
    });
  });

  it('does not count surrounding whitespace', () => {
    expect(checkLength('   abcd   ')).toMatchObject({ ok: false, code: 'COMMENT_TOO_SHORT', length: 4 });
  });

  it('counts five emoji with modifiers as five', () => {
    expect(checkLength('👍🏽👍🏽👍🏽👍🏽👍🏽')).toMatchObject({ ok: true, length: 5 });
    expect(checkLength('👍🏽👍🏽👍🏽👍🏽')).toMatchObject({ ok: false, length: 4 });
  });

  it('uses configured limits', () => {
    expect(checkLength('abc', { min: 2, max: 3 })).toMatchObject({ ok: true });
    expect(checkLength('abcd', { min: 2, max: 3 })).toMatchObject({ ok: false, code: 'COMMENT_TOO_LONG' });
  });
});

describe('graphemeLength agrees with Intl.Segmenter', () => {
  const segmenter = new Intl.Segmenter('vi', { granularity: 'grapheme' });
  const reference = (text: string) => [...segmenter.segment(text)].length;

  it('on arbitrary Unicode text, NFC or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme' }),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme-composite' }),
        ),
        (text) => {
          expect(graphemeLength(text)).toBe(reference(text));
          expect(graphemeLength(text.normalize('NFC'))).toBe(reference(text.normalize('NFC')));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('on Vietnamese, emoji sequences, flags, Hangul, Indic and Thai', () => {
    for (const text of [
      'Bình luận rất hay, cảm ơn tác giả!',
      'Đường lên Mộc Châu mùa mận chín 🍑🍑',
      '👨‍👩‍👧‍👦 👍🏽 🇻🇳🇯🇵 ❤️ 1️⃣ 🏳️‍🌈',
      '한국어 ᄀᄀᄀ각 ᄒᆞᆫ',
      'नमस्ते क्षत्रिय',
      'ภาษาไทย กำ',
      'e\u0323\u0302 a\u0301',
      'a\r\nb',
      '\u0600\u0661',
    ]) {
      expect(graphemeLength(text), text).toBe(reference(text));
    }
  });
});
