import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/core/errors.ts';
import { message, pickLocale } from '../../src/core/messages.ts';
import { applyMask, runPipeline } from '../../src/core/pipeline.ts';
import { decide } from '../../src/core/policy.ts';
import type { CommentDraft, Rule, RuleResult } from '../../src/core/rule.ts';
import { lengthRule } from '../../src/core/rules/length.ts';
import { toVerdict } from '../../src/core/verdict.ts';

const draft: CommentDraft = {
  threadId: 't1',
  body: 'một bình luận bình thường',
  authorName: 'An',
  authorEmail: null,
  parentId: null,
  clientKey: null,
};
const now = new Date('2026-11-26T00:00:00Z');

function rule(name: string, result: RuleResult, opts: { stateful?: boolean; calls?: string[] } = {}): Rule {
  return {
    name,
    ...(opts.stateful ? { stateful: true } : {}),
    check() {
      opts.calls?.push(name);
      return result;
    },
  };
}

describe('runPipeline', () => {
  it('allows when every rule allows', async () => {
    const r = await runPipeline([rule('a', { action: 'allow' })], draft, { now });
    expect(r).toEqual({ action: 'allow', reasons: [], score: 0, mask: [] });
  });

  it('stops at the first refusal and does not run later rules', async () => {
    const calls: string[] = [];
    const error = new DomainError('RATE_LIMITED', { retryAfter: 3 });
    const r = await runPipeline(
      [rule('a', { action: 'refuse', error }, { calls }), rule('b', { action: 'hold' }, { calls })],
      draft,
      { now },
    );
    expect(r.action).toBe('refuse');
    expect(r.error).toBe(error);
    expect(calls).toEqual(['a']);
  });

  it('stops at a rejection', async () => {
    const calls: string[] = [];
    const r = await runPipeline(
      [
        rule('a', { action: 'reject', reasons: [{ code: 'PROFANITY_SEVERE', rule: 'a' }] }, { calls }),
        rule('b', { action: 'spam' }, { calls }),
      ],
      draft,
      { now },
    );
    expect(r.action).toBe('reject');
    expect(calls).toEqual(['a']);
  });

  it('keeps the strongest of non-decisive actions and every reason', async () => {
    const r = await runPipeline(
      [
        rule('a', { action: 'hold', reasons: [{ code: 'INSULT', rule: 'a' }] }),
        rule('b', { action: 'spam', score: 0.9, reasons: [{ code: 'SPAM', rule: 'b' }] }),
        rule('c', { action: 'allow', score: 0.2 }),
      ],
      draft,
      { now },
    );
    expect(r.action).toBe('spam');
    expect(r.score).toBe(0.9);
    expect(r.reasons.map((x) => x.code)).toEqual(['INSULT', 'SPAM']);
  });

  it('holds a comment when a rule throws, never approves it', async () => {
    const errors: string[] = [];
    const boom: Rule = {
      name: 'boom',
      check() {
        throw new Error('store down');
      },
    };
    const r = await runPipeline([boom, rule('ok', { action: 'allow' })], draft, {
      now,
      onRuleError: (name) => errors.push(name),
    });
    expect(r.action).toBe('hold');
    expect(r.reasons).toEqual([{ code: 'RULE_FAILED', rule: 'boom' }]);
    expect(errors).toEqual(['boom']);
    expect(decide(r, 'post')).toMatchObject({ kind: 'stored', status: 'pending' });
  });

  it('skips stateful rules when pure only', async () => {
    const calls: string[] = [];
    await runPipeline(
      [rule('limit', { action: 'allow' }, { stateful: true, calls }), rule('words', { action: 'allow' }, { calls })],
      draft,
      { now, pureOnly: true },
    );
    expect(calls).toEqual(['words']);
  });

  it('memoises shared work across rules', async () => {
    let computed = 0;
    const uses: Rule = {
      name: 'uses',
      check(ctx) {
        ctx.shared('tokens', () => ++computed);
        return { action: 'allow' };
      },
    };
    await runPipeline([uses, uses, uses], draft, { now });
    expect(computed).toBe(1);
  });

  it('refuses too-short text through the length rule with its limits', async () => {
    const r = await runPipeline([lengthRule({ min: 5, max: 500 })], { ...draft, body: 'abc' }, { now });
    expect(r.action).toBe('refuse');
    expect(r.error?.code).toBe('COMMENT_TOO_SHORT');
    expect(r.error?.params).toEqual({ min: 5, max: 500 });
  });
});

describe('decide', () => {
  const base = { reasons: [], score: 0, mask: [] };
  it('publishes clean comments in post mode and holds them in pre mode', () => {
    expect(decide({ ...base, action: 'allow' }, 'post')).toMatchObject({ status: 'approved' });
    expect(decide({ ...base, action: 'allow' }, 'pre')).toMatchObject({
      status: 'pending',
      reasons: [{ code: 'PREMODERATION', rule: 'policy' }],
    });
  });

  it('maps hold, spam and reject to pending, spam and rejected', () => {
    expect(decide({ ...base, action: 'hold' }, 'post')).toMatchObject({ status: 'pending' });
    expect(decide({ ...base, action: 'spam' }, 'post')).toMatchObject({ status: 'spam' });
    expect(decide({ ...base, action: 'reject' }, 'pre')).toMatchObject({ status: 'rejected' });
    expect(decide({ ...base, action: 'refuse' }, 'post')).toEqual({ kind: 'refused' });
  });

  it('turns results into the check verdict', () => {
    expect(toVerdict({ ...base, action: 'allow' }, 'post')).toMatchObject({ action: 'allow', status: 'approved' });
    expect(toVerdict({ ...base, action: 'spam' }, 'post')).toMatchObject({ action: 'review', status: 'spam' });
    expect(toVerdict({ ...base, action: 'reject' }, 'post')).toMatchObject({ action: 'reject', status: 'rejected' });
    expect(toVerdict({ ...base, action: 'refuse', error: new DomainError('COMMENT_TOO_SHORT') }, 'post')).toMatchObject(
      { action: 'reject', status: null, code: 'COMMENT_TOO_SHORT' },
    );
  });
});

describe('applyMask', () => {
  it('replaces spans with *** and merges overlaps', () => {
    expect(
      applyMask('abc XYZ def UVW', [
        [4, 7],
        [12, 15],
      ]),
    ).toBe('abc *** def ***');
    expect(
      applyMask('abcdef', [
        [1, 4],
        [2, 5],
      ]),
    ).toBe('a***f');
    expect(applyMask('abc', [])).toBe('abc');
  });
});

describe('messages', () => {
  it("renders the newspaper's wording in Vietnamese and English", () => {
    expect(message('vi', 'COMMENT_TOO_SHORT', { min: 5 })).toBe('Bạn vui lòng nhập từ 5 ký tự trở lên');
    expect(message('en', 'COMMENT_TOO_SHORT', { min: 5 })).toBe('Please enter at least 5 characters');
    expect(message('vi', 'COMMENT_TOO_LONG', { max: 500 })).toBe('Bình luận không được vượt quá 500 ký tự');
    expect(message('en', 'COMMENT_TOO_LONG', { max: 500 })).toBe('Comments can be at most 500 characters');
  });

  it('picks ?lang, then Accept-Language by weight, then the default', () => {
    expect(pickLocale('en', 'vi', 'vi')).toBe('en');
    expect(pickLocale(null, 'fr-FR,en;q=0.8,vi;q=0.9', 'en')).toBe('vi');
    expect(pickLocale(null, 'en-US,en;q=0.9', 'vi')).toBe('en');
    expect(pickLocale('xx', 'de', 'vi')).toBe('vi');
    expect(pickLocale(undefined, 'en;q=0', 'vi')).toBe('vi');
  });
});
