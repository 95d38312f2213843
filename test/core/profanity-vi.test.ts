import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMask, type PipelineResult, runPipeline } from '../../src/core/pipeline.ts';
import { compileRulebook, type Rulebook } from '../../src/core/rulebook.ts';
import { contentRules } from '../../src/core/rules/content.ts';
import { profanityViRule } from '../../src/core/rules/profanity-vi.ts';
import { draftOf, testNow } from '../helpers/engine.ts';

const rulesDir = resolve(import.meta.dirname, '..', '..', 'rules');
const files = readdirSync(rulesDir).map((name) => ({ name, text: readFileSync(join(rulesDir, name), 'utf8') }));
const rulebook = compileRulebook(files);

async function moderate(body: string, book: Rulebook = rulebook): Promise<PipelineResult> {
  return runPipeline(contentRules(book), draftOf(body), { pureOnly: true, now: testNow });
}

async function vi(body: string) {
  const r = await runPipeline([profanityViRule(rulebook)], draftOf(body), { pureOnly: true, now: testNow });
  return { action: r.action, codes: r.reasons.map((x) => x.code), details: r.reasons.map((x) => x.detail) };
}

describe('profanity-vi: diacritic collisions pass (VIETNAMESE.md §1)', () => {
  const innocent = [
    'Các cơ quan chức năng cần vào cuộc.',
    'Người lớn phải làm gương.',
    'Mua một lon bia.',
    'Giá thịt lợn tăng.',
    'Hai vợ chồng cãi lộn suốt.',
    'Đi đường nhớ đeo khẩu trang.',
    'Chuyện này thật kỳ dị.',
    'Dì tôi ở quê.',
    'Ngã đau cả đít.',
    'Không đủ tiền đi du lịch dù đã tiết kiệm.',
    'Đeo khẩu trang nơi công cộng.',
    'Buổi sáng ăn bưởi.',
    'Cút bắt là trò chơi, đường cụt phía trước.',
    'Đường dài, Đại học, Đài truyền hình.',
    'Bệnh nhân bị đái tháo đường cần kiêng đồ ngọt.',
    'Xỏ khuyên ở dái tai.',
    'Điểm thi năm nay cao.',
    'Cho tôi hỏi chỗ để xe.',
    'Đi ngủ sớm, học ngữ văn, ngư dân ra khơi.',
    'Nuôi cá lồng trên sông, treo lồng đèn.',
    'Đồ cho trẻ em, còn các bạn thì sao?',
  ];
  for (const text of innocent) {
    it(`passes "${text}"`, async () => {
      expect((await moderate(text)).action).toBe('allow');
    });
  }

  it('never matches a folded single syllable typed without diacritics', async () => {
    for (const text of ['cac ban oi', 'lon bia', 'deo khau trang', 'dit ga', 'di choi', 'du lich', 'buoi sang']) {
      expect((await moderate(text)).action, text).toBe('allow');
    }
  });

  it('matches unaccented multi-syllable phrases typed without any diacritics', async () => {
    for (const text of ['dit me may', 'con cac', 'vai lon that', 'du ma no', 'dau buoi']) {
      const r = await vi(text);
      expect(r.action, text).toBe('reject');
      expect(r.codes, text).toEqual(['PROFANITY_SEVERE']);
    }
  });

  it('does not fold phrases when the writer uses diacritics', async () => {
    expect((await vi('còn các bạn')).action).toBe('allow');
    expect((await vi('cho dễ hiểu')).action).toBe('allow');
  });
});

describe('profanity-vi: normalisation (VIETNAMESE.md §2)', () => {
  it('catches NFD-encoded cặc', async () => {
    expect(await vi('c\u0103\u0323c')).toEqual({ action: 'reject', codes: ['PROFANITY_SEVERE'], details: ['cặc'] });
  });

  it('catches capitals, fullwidth, zero-width and look-alike letters', async () => {
    for (const text of ['ĐÉO AI TIN', 'ｌồｎ', 'đ\u200Bịt', '\u00D0\u1ECBt', 'l\u043E\u0302\u0300n']) {
      expect((await vi(text)).action, text).toBe('reject');
    }
  });

  it('catches repeated letters', async () => {
    for (const text of ['Đmmmmm', 'vcllll luôn', 'lồnnn']) {
      expect((await vi(text)).action, text).toBe('reject');
    }
  });

  it('reports spans into the NFC body the rule receives', async () => {
    const r = await moderate('Đồ c\u0103\u0323c, c\u0103\u0323c thật');
    expect(r.reasons).toEqual([
      {
        code: 'PROFANITY_SEVERE',
        rule: 'profanity-vi',
        detail: 'cặc',
        spans: [
          [3, 6],
          [8, 11],
        ],
      },
    ]);
  });
});

describe('profanity-vi: evasions are caught (VIETNAMESE.md §3)', () => {
  it('joins spelled-out letters onto targets', async () => {
    for (const [text, detail] of [
      ['đ.m cái bọn lừa đảo', 'đ.m'],
      ['Đ-M chúng nó', 'Đ-M'],
      ['d m chúng nó', 'd m'],
      ['Nói như l.ồ.n', 'l.ồ.n'],
      ['đồ c-ặ-c', 'c-ặ-c'],
      ['đ ị t', 'đ ị t'],
    ]) {
      expect(await vi(text!), text).toEqual({ action: 'reject', codes: ['PROFANITY_SEVERE'], details: [detail] });
    }
  });

  it('does not join letters that are not a target (clothing sizes)', async () => {
    expect((await moderate('Áo có đủ size S M L XL')).action).toBe('allow');
    expect((await moderate('Có size S, M, L')).action).toBe('allow');
  });

  it('matches masked severe words', async () => {
    for (const [text, detail] of [
      ['Đ*o hiểu kiểu gì', 'Đ*o'],
      ['nói l*n gì', 'l*n'],
      ['Đồ con c*c', 'c*c'],
      ['ch!ch nhau', 'ch!ch'],
    ]) {
      expect(await vi(text!), text).toEqual({ action: 'reject', codes: ['PROFANITY_SEVERE'], details: [detail] });
    }
  });

  it('matches glued forms', async () => {
    for (const text of ['concac', 'cailon', 'ditme', 'ditconme', 'vailon', 'matlon', 'duma', 'đouma']) {
      expect((await vi(text)).action, text).toBe('reject');
    }
  });

  it('holds invalid tone variants of severe words as suspect, never rejects', async () => {
    for (const text of ['căc', 'cằc', 'câc', 'đit', 'đỉ', 'lôn']) {
      expect(await vi(`đồ ${text}`), text).toEqual({ action: 'hold', codes: ['PROFANITY_SUSPECT'], details: [text] });
    }
  });
});

describe('profanity-vi: tiers (VIETNAMESE.md §4)', () => {
  it('rejects severe words and phrases', async () => {
    const severe = ['lồn', 'cặc', 'buồi', 'địt', 'đụ', 'đĩ', 'đéo', 'chịch', 'nứng', 'lìn', 'đệch'];
    const phrases = ['địt mẹ', 'đụ má', 'vãi lồn', 'mặt lồn', 'con đĩ', 'đầu buồi', 'mẹ kiếp'];
    for (const text of [...severe, ...phrases]) {
      expect((await vi(`thằng ${text} này`)).codes, text).toEqual(['PROFANITY_SEVERE']);
    }
  });

  it('rejects severe teencode as whole ASCII tokens', async () => {
    for (const text of [
      'đm',
      'dm',
      'đmm',
      'dmm',
      'đcm',
      'dcm',
      'đkm',
      'dkm',
      'cmm',
      'clgt',
      'clm',
      'clg',
      'vkl',
      'vcc',
      'loz',
      'djt',
      'tml',
    ]) {
      expect((await vi(`${text} luôn`)).codes, text).toEqual(['PROFANITY_SEVERE']);
    }
  });

  it('holds vulgar words and insult phrases', async () => {
    for (const text of [
      'cứt',
      'đếch',
      'chó má',
      'chó đẻ',
      'óc chó',
      'óc lợn',
      'súc vật',
      'khốn nạn',
      'mất dạy',
      'ngu như bò',
      'câm mồm',
      'im mồm',
    ]) {
      const r = await vi(`thằng kia ${text}`);
      expect(r.action, text).toBe('hold');
      expect(['PROFANITY', 'INSULT']).toContain(r.codes[0]);
    }
  });

  it('holds mild teencode and publishes vãi as a plain intensifier', async () => {
    for (const text of ['vl', 'vcl', 'cmn', 'cmnr', 'sml']) {
      const r = await vi(`hay ${text} thật`);
      expect(r.action, text).toBe(text === 'vcl' ? 'reject' : 'hold');
    }
    expect(await vi('Hay vãi, xem mà cười')).toEqual({ action: 'allow', codes: [], details: [] });
  });

  it('matches everyday insult words only inside phrases', async () => {
    for (const text of ['Tôi ngủ ngon', 'Con bò ăn cỏ', 'Trời nóng phát điên', 'ngu', 'Nhà có con chó']) {
      expect((await vi(text)).action, text).toBe('allow');
    }
    expect((await vi('Thằng ngu')).codes).toEqual(['INSULT']);
  });

  it('reads ambiguous teencode in context', async () => {
    expect((await moderate('Ống nước đường kính 5 dm, dài 20 m.')).action).toBe('allow');
    expect((await moderate('Xe 1000 cc chạy trong phố là phạm luật.')).action).toBe('allow');
    expect((await moderate('Chung cư CC mini xây sai phép.')).action).toBe('allow');
    expect((await moderate('Uống 500 ml nước mỗi sáng.')).action).toBe('allow');
    expect((await moderate('Haha lol, funny')).action).toBe('allow');
    expect((await moderate('Giá 100 đ có rẻ không')).action).toBe('allow');
    expect((await moderate('Máy tính Dell của tôi bảo hành ở đâu?')).action).toBe('allow');
    expect((await moderate('Xe bị méo cửa sau va chạm.')).action).toBe('allow');
    expect((await moderate('Món này đb ngon.')).action).toBe('allow');
    expect((await vi('cc thằng kia')).codes).toEqual(['PROFANITY_SEVERE']);
    expect((await vi('xạo lol vừa thôi')).codes).toEqual(['PROFANITY_SEVERE']);
    expect((await vi('dell hiểu kiểu gì')).codes).toEqual(['PROFANITY_SEVERE']);
  });

  it('never flags ck, vk, vc, ncc, cu, m, t, mày, tao', async () => {
    expect((await moderate('ck vk nhà t với m đi chơi, vc ncc cu mày tao')).action).toBe('allow');
  });

  it('applies whitelisted phrases first', async () => {
    for (const text of [
      'Hạt óc chó rất tốt',
      'Sữa óc chó cho bé',
      'Đoàn công tác thăm Cu Ba',
      'Con chó nhà hàng xóm cắn người',
      'Chó nghiệp vụ phát hiện ma tuý',
      'gieo vãi hạt giống',
      'Máy Dell chạy êm',
      'Người Mường ở Hoà Bình',
    ]) {
      expect((await moderate(text)).action, text).toBe('allow');
    }
    expect((await vi('Thằng này óc chó thật')).codes).toEqual(['INSULT']);
  });

  it('holds hate speech and slurs for an editor', async () => {
    for (const text of [
      'bắc kỳ',
      'parky',
      'ba que',
      '3 que',
      'bò đỏ',
      'dư luận viên',
      'mọi rợ',
      'tàu khựa',
      'khựa',
      'chệt',
      'bê đê',
      'pê đê',
    ]) {
      expect(await vi(`Bọn ${text} đó`), text).toMatchObject({ action: 'hold', codes: ['HATE'] });
    }
    expect((await moderate('Mọi người nên tiết kiệm điện nước.')).action).toBe('allow');
  });
});

describe('profanity-vi: policy mapping', () => {
  function withPolicy(policy: string): Rulebook {
    return compileRulebook([...files.filter((f) => f.name !== 'policy.txt'), { name: 'policy.txt', text: policy }]);
  }
  const base =
    'vulgar | hold\ninsult | hold\nhate | hold\nsuspect | hold\nminor | allow\nspam-review | 0.5\nspam-threshold | 0.8\nspam-topic-cap | 0.45\nspam-strong-topics | 3\n';

  it('masks instead of holding when the policy says mask', async () => {
    const book = withPolicy(`severe | reject\nmild | mask\n${base}`);
    const r = await moderate('hay vl thật', book);
    expect(r.action).toBe('allow');
    expect(r.mask).toEqual([[4, 6]]);
    expect(r.reasons).toEqual([{ code: 'PROFANITY_MILD', rule: 'profanity-vi', detail: 'vl', spans: [[4, 6]] }]);
    expect(applyMask(draftOf('hay vl thật').body, r.mask)).toBe('hay *** thật');
  });

  it('holds severe words when the policy prefers review to rejection', async () => {
    const book = withPolicy(`severe | hold\nmild | hold\n${base}`);
    expect((await moderate('Đéo tin được', book)).action).toBe('hold');
  });

  it('ignores a tier the policy allows', async () => {
    const book = withPolicy(`severe | reject\nmild | allow\n${base}`);
    expect(await moderate('hay vl thật', book)).toEqual({ action: 'allow', reasons: [], score: 0, mask: [] });
  });
});
