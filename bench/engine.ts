/**
 * Speed of the moderation engine alone (`npx tsx bench/engine.ts`): the content rules (Vietnamese and
 * English profanity, spam) through `runPipeline` on realistic ~20- and ~500-character comments built
 * from ViHOS comments with some English mixed in, next to leo-profanity's own `leo.check` on the same
 * texts in the same run. The machine is shared, so absolute microseconds drift with load; the ratio to
 * `leo.check` is the figure to compare between runs.
 *
 * Every engine is timed per comment, interleaved comment by comment (the order rotates) over several
 * rounds, so load spikes hit all of them alike; medians and p99 come from those samples. Comments/s
 * comes from process CPU time over whole rounds, which background load does not inflate.
 *
 *   npx tsx bench/engine.ts                    # this tree vs leo.check
 *   npx tsx bench/engine.ts --against <dir>    # also another copy of the tree (e.g. `git archive HEAD
 *                                              # src/core src/runtime/rules-fs.ts | tar -x -C <dir>` plus a
 *                                              # node_modules link), timed in the same run and checked for
 *                                              # identical verdicts on every ViHOS comment
 *   --rounds N (default 15), --count N comments per size (default 1000)
 *
 * Prints a table and writes bench/results/engine.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import leo from 'leo-profanity';
import * as pipelineModule from '../src/core/pipeline.ts';
import type { CommentDraft, Rule } from '../src/core/rule.ts';
import * as contentModule from '../src/core/rules/content.ts';
import { normalizeText } from '../src/core/text/length.ts';
import * as rulesFsModule from '../src/runtime/rules-fs.ts';
import { mixedCorpus, parseCsv } from './lib/corpus.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = resolve(root, '..', 'shared', 'data');
if (!existsSync(dataDir)) throw new Error(`dataset folder ${dataDir} is missing: clone shared/ beside the repository`);

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const rounds = Number(option('--rounds') ?? 15);
const count = Number(option('--count') ?? 1000);
const against = option('--against');

/* ---------------------------------------------------------------- corpus */

/** The `content` column of a ViHOS CSV. */
function vihosTexts(file: string): string[] {
  const rows = parseCsv(readFileSync(join(dataDir, 'vihos', file), 'utf8'));
  const header = rows.shift() ?? [];
  const content = header.indexOf('content');
  return rows.filter((r) => r.length > content).map((r) => r[content] ?? '');
}

/** Same construction as bench/quality.ts: ViHOS comments, every fifth one English, cut or concatenated. */

const comments = [
  ...vihosTexts('Span_Extraction_based_version_dev.csv'),
  ...vihosTexts('Test_data_test.csv'),
  ...vihosTexts('Span_Extraction_based_version_train.csv'),
];

/* ---------------------------------------------------------------- engines */

interface Engine {
  name: string;
  /** One comment: the content rules through `runPipeline` (async, as in the server), or `leo.check`. */
  run(body: string, draft: CommentDraft): Promise<unknown> | unknown;
}

const now = new Date();

function draftOf(body: string): CommentDraft {
  return { threadId: 'bench', body, authorName: '', authorEmail: null, parentId: null, clientKey: null };
}

function pipelineEngine(
  name: string,
  pipeline: typeof pipelineModule,
  content: typeof contentModule,
  rulesFs: typeof rulesFsModule,
): Engine {
  const rules: Rule[] = content.contentRules(rulesFs.loadRulebook(join(root, 'rules')));
  return { name, run: (_body, draft) => pipeline.runPipeline(rules, draft, { pureOnly: true, now }) };
}

const engines: Engine[] = [pipelineEngine('engine', pipelineModule, contentModule, rulesFsModule)];
if (against !== undefined) {
  const load = async <T>(path: string): Promise<T> =>
    (await import(pathToFileURL(join(resolve(against), path)).href)) as T;
  engines.push(
    pipelineEngine(
      `engine@${against}`,
      await load<typeof pipelineModule>('src/core/pipeline.ts'),
      await load<typeof contentModule>('src/core/rules/content.ts'),
      await load<typeof rulesFsModule>('src/runtime/rules-fs.ts'),
    ),
  );
}
engines.push({ name: 'leo.check', run: (body) => leo.check(body) });

/* ---------------------------------------------------------------- measurement */

interface Figures {
  medianUs: number;
  p99Us: number;
  /** From process CPU time over the timed rounds. */
  cpuUsPerComment: number;
  perSecond: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

async function measure(texts: readonly string[]): Promise<Figures[]> {
  const bodies = texts.map(normalizeText);
  const drafts = bodies.map(draftOf);
  // Warm up every engine (JIT, normalisation caches) before timing.
  for (let r = 0; r < 3; r++)
    for (const e of engines) for (let i = 0; i < bodies.length; i++) await e.run(bodies[i]!, drafts[i]!);

  const samples = engines.map(() => new Float64Array(rounds * bodies.length));
  const cpu = engines.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    // Comment by comment with a rotating order: all engines see the same load.
    for (let i = 0; i < bodies.length; i++) {
      for (let k = 0; k < engines.length; k++) {
        const e = (i + r + k) % engines.length;
        const t0 = process.hrtime.bigint();
        await engines[e]!.run(bodies[i]!, drafts[i]!);
        samples[e]![r * bodies.length + i] = Number(process.hrtime.bigint() - t0) / 1000;
      }
    }
    // CPU time per engine over a whole pass, engines alternating from round to round.
    for (let k = 0; k < engines.length; k++) {
      const e = (r + k) % engines.length;
      const before = process.cpuUsage();
      for (let i = 0; i < bodies.length; i++) await engines[e]!.run(bodies[i]!, drafts[i]!);
      const used = process.cpuUsage(before);
      cpu[e]! += used.user + used.system;
    }
  }
  return samples.map((s, e) => {
    s.sort();
    const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
    const cpuUs = cpu[e]! / (rounds * bodies.length);
    return {
      medianUs: round2(at(0.5)),
      p99Us: round2(at(0.99)),
      cpuUsPerComment: round2(cpuUs),
      perSecond: Math.round(1e6 / cpuUs),
    };
  });
}

/** With `--against`: both engines must give the same verdict on every text (a speed change only). */
async function differences(texts: readonly string[]): Promise<number> {
  if (engines.length < 3) return 0;
  let differ = 0;
  for (const t of texts) {
    const body = normalizeText(t);
    const a = JSON.stringify(await engines[0]!.run(body, draftOf(body)));
    const b = JSON.stringify(await engines[1]!.run(body, draftOf(body)));
    if (a !== b) {
      if (differ < 5) console.log(`verdicts differ on ${JSON.stringify(t.slice(0, 80))}:\n  ${a}\n  ${b}`);
      differ++;
    }
  }
  return differ;
}

const sizes = [
  { label: '~20 chars', texts: mixedCorpus(comments, 20, count) },
  { label: '~500 chars', texts: mixedCorpus(comments, 500, count) },
];
const results: Record<string, unknown> = {};
const rows: string[] = [];
for (const { label, texts } of sizes) {
  const figures = await measure(texts);
  const leoFigures = figures[figures.length - 1]!;
  const avgLength = Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length);
  const bySize: Record<string, unknown> = { avgLength, comments: texts.length, rounds };
  engines.forEach((e, k) => {
    const f = figures[k]!;
    const ratio = round2(f.medianUs / leoFigures.medianUs);
    const cpuRatio = round2(f.cpuUsPerComment / leoFigures.cpuUsPerComment);
    bySize[e.name] = { ...f, ratioToLeoMedian: ratio, ratioToLeoCpu: cpuRatio };
    rows.push(
      `${label.padEnd(11)} ${e.name.padEnd(24)} ${String(f.medianUs).padStart(9)} ${String(f.p99Us).padStart(8)} ${String(f.cpuUsPerComment).padStart(8)} ${String(f.perSecond).padStart(11)} ${`${ratio}×`.padStart(10)} ${`${cpuRatio}×`.padStart(9)}`,
    );
  });
  results[label === '~20 chars' ? 'chars20' : 'chars500'] = bySize;
}
const differ = against === undefined ? null : await differences([...comments, ...sizes.flatMap((s) => s.texts)]);

console.log('\nsize        engine                    median µs  p99 µs   CPU µs  comments/s  ×leo med  ×leo CPU');
for (const row of rows) console.log(row);
console.log(
  `(one core; ${rounds} rounds × ${count} comments per size, interleaved; leo.check = leo-profanity alone on the same texts)`,
);
if (differ !== null) console.log(`verdicts differing from ${against}: ${differ}`);

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(root, 'bench', 'results', 'engine.json'),
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.versions.node, ...results, ...(differ !== null ? { against, differ } : {}) }, null, 2)}\n`,
);
console.log('written bench/results/engine.json');
