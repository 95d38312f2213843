import { describe, expect, it } from 'vitest';
import { profanityEnRule } from '../../src/core/rules/profanity-en.ts';
import { moderateWith, rulebook } from '../helpers/engine.ts';

const rules = [profanityEnRule(rulebook)];

async function en(body: string) {
  const r = await moderateWith(rules, body);
  return { action: r.action, reasons: r.reasons };
}

describe('profanity-en', () => {
  it('passes words that contain a bad word (Scunthorpe problem)', async () => {
    for (const text of [
      'Scunthorpe United won',
      'Essex police',
      'a cocktail bar',
      'the assessment',
      'my therapist',
      'Dickens novels',
      'a shiitake risotto',
    ]) {
      expect((await en(text)).action, text).toBe('allow');
    }
  });

  it('passes news vocabulary and names switched off in the curated list', async () => {
    for (const text of [
      'The rapist was sentenced',
      'rape charges filed',
      'an escort vessel',
      'nude painting exhibition',
      'Dick Cheney said',
      'the cock crowed',
      'sex education',
    ]) {
      expect((await en(text)).action, text).toBe('allow');
    }
  });

  it('never meets Vietnamese words, with or without diacritics', async () => {
    for (const text of [
      'Chúc mừng cô giáo Ngọc Bích',
      'Dịch cúm gia cầm bùng phát ở cụm dân cư',
      'Báo giật tít câu view',
      'dich cum ga',
      'giat tit',
    ]) {
      expect((await en(text)).action, text).toBe('allow');
    }
  });

  it('rejects fuck in every spelling with the words as written', async () => {
    for (const [text, detail] of [
      ['what the fuck', 'fuck'],
      ['FUCK this', 'FUCK'],
      ['fuuuuck', 'fuuuuck'],
      ['f u c k you', 'f u c k'],
      ['f*ck off', 'f*ck'],
      ['f**k off', 'f**k'],
      ['fucking hell', 'fucking'],
      ['motherfucking idiots', 'motherfucking'],
      ['fucks given', 'fucks'],
      ['ｆｕｃｋ', 'ｆｕｃｋ'],
    ]) {
      const r = await en(text!);
      expect(r.action, text).toBe('reject');
      expect(r.reasons, text).toEqual([
        {
          code: 'PROFANITY_SEVERE',
          rule: 'profanity-en',
          detail,
          spans: [[text!.indexOf(detail!), text!.indexOf(detail!) + detail!.length]],
        },
      ]);
    }
  });

  it('holds leetspeak, punctuation-glued and plural vulgarities', async () => {
    for (const [text, detail] of [
      ['sh1t happens', 'sh1t'],
      ['you b1tch', 'b1tch'],
      ['total bullsh!t', 'bullsh!t'],
      ['what an ass!', 'ass'],
      ['$hit', '$hit'],
      ['assholes everywhere', 'assholes'],
      ['asssss', 'asssss'],
      ['bitching again', 'bitching'],
    ]) {
      const r = await en(text!);
      expect(r.action, text).toBe('hold');
      expect(r.reasons[0]?.code, text).toBe('PROFANITY');
      expect(r.reasons[0]?.detail, text).toBe(detail);
    }
  });

  it('holds slurs as hate speech', async () => {
    expect((await en('those niggers')).reasons).toEqual([
      { code: 'HATE', rule: 'profanity-en', detail: 'niggers', spans: [[6, 13]] },
    ]);
  });

  it('reports spans across newlines and punctuation', async () => {
    const r = await en('ok\nshit.\nfine');
    expect(r.reasons).toEqual([{ code: 'PROFANITY', rule: 'profanity-en', detail: 'shit', spans: [[3, 7]] }]);
  });
});
