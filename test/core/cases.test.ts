import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/core/pipeline.ts';
import { contentRules } from '../../src/core/rules/content.ts';
import { normalizeText } from '../../src/core/text/length.ts';
import { loadRulebook } from '../../src/runtime/rules-fs.ts';

/** The shared datasets live beside the repository (CI clones shared/ next to it); missing data fails loudly. */
const repo = resolve(import.meta.dirname, '..', '..');
const file = resolve(repo, '..', 'shared', 'data', 'news_comments_vi_cases.tsv');
if (!existsSync(file)) throw new Error(`missing dataset ${file}: clone shared/ beside the repository`);

const rules = contentRules(loadRulebook(resolve(repo, 'rules')));
const now = new Date('2026-11-26T00:00:00Z');

interface Case {
  line: number;
  text: string;
  profanity: string;
  spam: string;
  note: string;
}

const cases: Case[] = readFileSync(file, 'utf8')
  .split('\n')
  .map((row, i) => ({ row, line: i + 1 }))
  .slice(1)
  .filter(({ row }) => row.trim() !== '')
  .map(({ row, line }) => {
    const [text = '', profanity = '', spam = '', note = ''] = row.split('\t');
    return { line, text, profanity, spam, note };
  });

/** What the default policy does with each expectation of the file. */
function expected(c: Case): { action: string; codes: string[] } {
  switch (c.profanity) {
    case 'severe':
      return { action: 'reject', codes: ['PROFANITY_SEVERE'] };
    case 'vulgar':
      return { action: 'hold', codes: ['PROFANITY', 'INSULT'] };
    case 'mild':
      return { action: 'hold', codes: ['PROFANITY_MILD'] };
    case 'hate':
      return { action: 'hold', codes: ['HATE'] };
  }
  if (c.spam === 'spam') return { action: 'spam', codes: ['SPAM'] };
  if (c.spam === 'review') return { action: 'hold', codes: ['SPAM'] };
  return { action: 'allow', codes: [] };
}

describe('news_comments_vi_cases.tsv', () => {
  it('has the 58 cases', () => {
    expect(cases).toHaveLength(58);
  });

  for (const c of cases) {
    const want = expected(c);
    it(`line ${c.line}: ${want.action} "${c.text}" (${c.note})`, async () => {
      const draft = {
        threadId: 'cases',
        body: normalizeText(c.text),
        authorName: '',
        authorEmail: null,
        parentId: null,
        clientKey: null,
      };
      const r = await runPipeline(rules, draft, { pureOnly: true, now });
      expect(r.action).toBe(want.action);
      if (want.codes.length === 0) expect(r.reasons).toEqual([]);
      else expect(want.codes).toContain(r.reasons[0]?.code);
    });
  }
});
