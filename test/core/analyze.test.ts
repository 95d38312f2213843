import { describe, expect, it } from 'vitest';
import { analyze, foldDiacritics, normalizeToken } from '../../src/core/text/analyze.ts';
import { normalizeText } from '../../src/core/text/length.ts';

const words = (text: string) => analyze(text).tokens.map((t) => t.text);

describe('normalizeToken', () => {
  it('composes NFD input to NFC and lowercases it', () => {
    expect(normalizeToken('C\u0103\u0323c')).toBe('cặc');
    expect(normalizeToken('ĐÉO')).toBe('đéo');
  });

  it('maps fullwidth letters through NFKC', () => {
    expect(normalizeToken('ｆｕｃｋ')).toBe('fuck');
  });

  it('maps look-alike letters to Vietnamese and Latin ones', () => {
    expect(normalizeToken('\u00D0\u1ECBt')).toBe('địt');
    expect(normalizeToken('\u00F0m')).toBe('đm');
    expect(normalizeToken('\u0189M')).toBe('đm');
    expect(normalizeToken('l\u043En')).toBe('lon');
    expect(normalizeToken('\u0441\u0430c')).toBe('cac');
  });

  it('removes zero-width characters and soft hyphens inside a word', () => {
    expect(normalizeToken('đ\u200Bị\u00ADt')).toBe('địt');
  });

  it('puts the tone of oa, oe and uy on the second vowel, old style or new', () => {
    expect(normalizeToken('hòa')).toBe(normalizeToken('hoà'));
    expect(normalizeToken('khỏe')).toBe(normalizeToken('khoẻ'));
    expect(normalizeToken('thúy')).toBe('thuý');
    expect(normalizeToken('quý')).toBe('quý');
  });

  it('squeezes three or more repeated letters to one and keeps doubles', () => {
    expect(normalizeToken('Đmmmmm')).toBe('đm');
    expect(normalizeToken('vcllll')).toBe('vcl');
    expect(normalizeToken('lồnnn')).toBe('lồn');
    expect(normalizeToken('fuuuuck')).toBe('fuck');
    expect(normalizeToken('cool')).toBe('cool');
    expect(normalizeToken('1000')).toBe('1000');
  });
});

describe('analyze', () => {
  it('tokenises on letters, marks and digits without splitting Vietnamese words', () => {
    expect(words('Đéo tin được, 1.200.000 đồng!')).toEqual(['đéo', 'tin', 'được', '1', '200', '000', 'đồng']);
  });

  it('keeps offsets into the original text', () => {
    const text = 'Nói như  l.ồ.n!';
    const { tokens } = analyze(text);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(['Nói', 'như', 'l', 'ồ', 'n']);
  });

  it('reports offsets of NFC-normalised NFD input in the normalised body', () => {
    const body = normalizeText('Đồ c\u0103\u0323c nhé');
    const token = analyze(body).tokens[1]!;
    expect(token.text).toBe('cặc');
    expect([token.start, token.end]).toEqual([3, 6]);
    expect(body.slice(token.start, token.end)).toBe('cặc');
  });

  it('marks ASCII and numeric tokens', () => {
    const [a, b, c] = analyze('dit mẹ 5').tokens;
    expect([a?.ascii, b?.ascii, c?.ascii, c?.numeric]).toEqual([true, false, true, true]);
  });

  it('counts emoji, repeated characters and capitals for the spam rule', () => {
    const a = analyze('MUA NGAY HÔM NAY!!!!!!!!!!!! 😀😀😀');
    expect(a.emoji).toBe(3);
    expect(a.longestRun).toBe(12);
    expect(a.allCaps).toBe(true);
  });

  it('notices masks between letters and leetspeak symbols', () => {
    expect(analyze('đồ c*c').maskGap).toBe(true);
    expect(analyze('hay quá!').maskGap).toBe(false);
    expect(analyze('bullsh!t').leetHint).toBe(true);
    expect(analyze('hay quá! thật').leetHint).toBe(false);
  });
});

describe('foldDiacritics', () => {
  it('strips tones and marks and maps đ to d', () => {
    expect(foldDiacritics('địt mẹ')).toBe('dit me');
    expect(foldDiacritics('Đường')).toBe('Duong');
  });
});
