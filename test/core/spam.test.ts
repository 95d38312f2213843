import { describe, expect, it } from 'vitest';
import { spamRule } from '../../src/core/rules/spam.ts';
import { moderateWith, rulebook } from '../helpers/engine.ts';

const rules = [spamRule(rulebook)];

async function spam(body: string) {
  const r = await moderateWith(rules, body);
  return { action: r.action, score: r.score, codes: r.reasons.map((x) => x.code), reasons: r.reasons };
}

describe('spam: positives', () => {
  it('stores loan spam with a phone as spam, with every signal as a reason', async () => {
    const r = await spam('Vay tiền nhanh chỉ cần CCCD, giải ngân trong 30 phút, LH Zalo 0912.345.678');
    expect(r.action).toBe('spam');
    expect(r.score).toBe(1);
    expect(r.reasons).toContainEqual({ code: 'SPAM_PHONE', rule: 'spam', detail: '0912.345.678', spans: [[62, 74]] });
    expect(r.codes).toEqual([
      'SPAM',
      'SPAM_TOPIC',
      'SPAM_TOPIC',
      'SPAM_TOPIC',
      'SPAM_CONTACT',
      'SPAM_CONTACT',
      'SPAM_PHONE',
    ]);
  });

  it('catches betting spam with a spaced domain', async () => {
    const r = await spam('Nhà cái uy tín fb88 . com tặng 100k cho tân thủ');
    expect(r.action).toBe('spam');
    expect(r.reasons).toContainEqual({ code: 'SPAM_LINK', rule: 'spam', detail: 'fb88 . com', spans: [[15, 25]] });
  });

  it('catches disguised domains written with [.] and chấm', async () => {
    expect((await spam('Cá cược uy tín tại w88[.]com')).codes).toContain('SPAM_LINK');
    expect((await spam('Soi kèo miễn phí: w88 chấm com')).codes).toContain('SPAM_LINK');
  });

  it('catches self-addressed contact without a phone', async () => {
    expect((await spam('Tài xỉu online uy tín, nạp đầu tặng 200%, inbox mình nhé')).action).toBe('spam');
    expect((await spam('Kiếm tiền online tại nhà thu nhập 500k/ngày, ib mình hướng dẫn')).action).toBe('spam');
  });

  it('reads the letter O as zero in phone numbers', async () => {
    const r = await spam('Ai cần mua đất liên hệ O9O9 123 456');
    expect(r.action).toBe('spam');
    expect(r.reasons).toContainEqual({ code: 'SPAM_PHONE', rule: 'spam', detail: 'O9O9 123 456', spans: [[23, 35]] });
  });

  it('recognises phone formats with separators and +84', async () => {
    for (const [text, detail] of [
      ['gọi 098 765 4321 nhé', '098 765 4321'],
      ['gọi 0912-345-678 nhé', '0912-345-678'],
      ['call +84 912 345 678', '84 912 345 678'],
      ['sđt 0377123456', '0377123456'],
    ]) {
      const r = await spam(text!);
      expect(r.reasons.find((x) => x.code === 'SPAM_PHONE')?.detail, text).toBe(detail);
    }
  });

  it('stores a shortener link as spam', async () => {
    const r = await spam('Xem clip full tại bit.ly/abc123');
    expect(r.action).toBe('spam');
    expect(r.reasons).toContainEqual({ code: 'SPAM_LINK', rule: 'spam', detail: 'bit.ly/abc123', spans: [[18, 31]] });
  });

  it('catches task scams', async () => {
    expect((await spam('Tuyển CTV làm nhiệm vụ chốt đơn, lương 300k/ngày, kết bạn zalo 0987654321')).action).toBe(
      'spam',
    );
  });

  it('holds an account number for review, not as spam', async () => {
    const r = await spam('Ủng hộ 10.000.000 đồng cho bà con vùng lũ, số tài khoản 0123456789 ngân hàng X');
    expect(r.action).toBe('hold');
    expect(r.reasons).toContainEqual({
      code: 'SPAM_ACCOUNT',
      rule: 'spam',
      detail: 'số tài khoản 0123456789',
      spans: [[43, 66]],
    });
  });

  it('counts links, emails and several links', async () => {
    const r = await spam('Xem https://example.com/a và www.example.org, liên hệ ban@example.com');
    expect(r.action).toBe('spam');
    expect(r.reasons.filter((x) => x.code === 'SPAM_LINK').map((x) => x.detail)).toEqual([
      'https://example.com/a',
      'www.example.org',
      '2 links',
    ]);
    expect(r.reasons).toContainEqual({
      code: 'SPAM_CONTACT',
      rule: 'spam',
      detail: 'ban@example.com',
      spans: [[54, 69]],
    });
  });
});

describe('spam: news context stays clean', () => {
  const clean = [
    'Cảnh giác với tín dụng đen và các app vay tiền lừa đảo.',
    'Tôi bị lừa đảo qua Zalo mất 50 triệu, mong công an vào cuộc.',
    'Vụ án cá độ bóng đá qua mạng đã bị triệt phá.',
    'Kết quả xổ số kiến thiết hôm nay có chưa?',
    'Đường dây nóng của tỉnh là 1900 1234, mọi người gọi phản ánh nhé.',
    'Giá lúa năm nay 7.500 đồng/kg, nông dân lỗ nặng',
    'Ủng hộ 1.200.000 đồng cho bà con vùng lũ',
    'Lương giáo viên 5tr/tháng sao sống nổi',
    'Đối tượng đã bị bắt khi đang rao vay tiền trên mạng.',
    'Làm ăn nhanh chóng. Shop này bán hàng tốt',
    'Năm 2020. Co nhiều chuyện xảy ra',
    'Dân số 98.500.000 người, tăng 1,2%',
    'Theo vnexpress.net thì vụ việc đã được xử lý.',
  ];
  for (const text of clean) {
    it(`allows "${text}"`, async () => {
      expect((await spam(text)).action).toBe('allow');
    });
  }

  it('caps topic words without a contact signal below review', async () => {
    const r = await spam('Vay tiền nhanh, giải ngân trong ngày');
    expect(r).toMatchObject({ action: 'allow', score: 0.45, codes: [] });
  });

  it('scores shape signals alone below review', async () => {
    expect((await spam('MUA NGAY MUA NGAY MUA NGAY!!!!!!!!!!!! 😀😀😀😀😀😀😀😀😀😀')).action).toBe('allow');
  });

  it('scores in [0, 1]', async () => {
    const r = await spam('Nhà cái fb88.com w88.com casino tài xỉu nổ hũ ib mình 0912345678 0987654321 bit.ly/x');
    expect(r.score).toBe(1);
    expect((await spam('Bài viết hay quá')).score).toBe(0);
  });
});
