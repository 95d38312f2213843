/**
 * `npm run bench`: Duyệt against a bare node:http server in the same run, and Duyệt at scale.
 *
 * - POST and GET thread rounds, 50 connections, alternating bare/Duyệt, medians of the rounds; ratios
 *   to the bare server are what to compare (absolute numbers depend on the machine and its load).
 * - Engine µs per 500-character comment (content rules directly).
 * - Scale: a database of 1,000,000 comments; start-up, moderation queue and thread page latency, RSS.
 *
 * Flags: `--quick` (2 s rounds, 100k rows), `--no-scale`, `--rounds N`, `--seconds S`, `--rows N`,
 * `--profile DIR` (V8 CPU profile of the server under load), `--only post|get`, `--no-floors`,
 * `--compare FILE` (a result to compare with; by default the previous run). Writes
 * bench/results/bench-<time>.json, bench/results/latest.json and bench/results/latest.svg.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/processes.ts';
import { chartSvg, compareTable } from './lib/report.ts';
import { type BenchResult, runBench } from './lib/suite.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const quick = process.argv.includes('--quick');
const noScale = process.argv.includes('--no-scale');
const rowsFlag = flag('--rows');
const options = {
  rounds: Number(flag('--rounds') ?? (quick ? 2 : 4)),
  seconds: Number(flag('--seconds') ?? (quick ? 2 : 6)),
  connections: Number(flag('--connections') ?? 50),
  scaleRows: noScale ? null : Number(rowsFlag ?? (quick ? 100_000 : 1_000_000)),
  profileDir: flag('--profile'),
  only: (['post', 'get'] as const).find((k) => k === flag('--only')),
  floors: !process.argv.includes('--no-floors'),
  log: (line: string) => console.error(`[bench] ${line}`),
};

function round1(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The table a person reads; every figure is also in the JSON file. */
export function formatTable(r: BenchResult): string {
  const rows: string[][] = [['', 'bare node:http', 'Duyệt', 'ratio', 'target']];
  const rate = (n: number) => `${n.toLocaleString('en')} req/s`;
  const lat = (p50: number, p99: number) => `p50 ${p50} / p99 ${p99} ms`;
  const ratio = (n: number) => `${n.toFixed(2)}×`;
  rows.push([
    'POST comment, webhook on',
    rate(r.post.bare.rps),
    rate(r.post.duyet.rps),
    ratio(r.post.ratio),
    '≥ 0.40×',
  ]);
  rows.push([
    '  latency',
    lat(r.post.bare.p50, r.post.bare.p99),
    lat(r.post.duyet.p50, r.post.duyet.p99),
    '',
    'p99 ≤ 25 ms',
  ]);
  rows.push([
    '  server CPU',
    `${r.post.bare.cpuMicrosPerRequest} µs/req`,
    `${r.post.duyet.cpuMicrosPerRequest} µs/req`,
    `${round1(r.post.bare.cpuMicrosPerRequest / r.post.duyet.cpuMicrosPerRequest)}×`,
    '',
  ]);
  if (r.floors) {
    const f = r.floors;
    const w = f.withoutWebhook;
    rows.push(['POST comment, no webhook endpoint', '', rate(w.rps), ratio(f.withoutWebhookRatio), '']);
    rows.push(['  latency', '', lat(w.p50, w.p99), '', '']);
    rows.push(['  server CPU', '', `${w.cpuMicrosPerRequest} µs/req`, '', '']);
    rows.push(['floor: Hono alone', '', rate(f.hono.rps), ratio(f.honoRatio), '']);
    rows.push(['floor: node:http + stored row', '', rate(f.sqlite.rps), ratio(f.sqliteRatio), '']);
  }
  rows.push(['GET thread', rate(r.get.bare.rps), rate(r.get.duyet.rps), ratio(r.get.ratio), '≥ 0.5×']);
  rows.push(['  latency', lat(r.get.bare.p50, r.get.bare.p99), lat(r.get.duyet.p50, r.get.duyet.p99), '', '']);
  rows.push([
    'errors / non-2xx',
    '',
    `${r.errors.post + r.errors.get} / ${r.errors.non2xxPost + r.errors.non2xxGet}`,
    '',
    '0',
  ]);
  rows.push([
    'status codes',
    '',
    Object.entries(r.errors.statusCodes)
      .map(([c, n]) => `${c}: ${n}`)
      .join(', '),
    '',
    '',
  ]);
  rows.push(['webhook deliveries received', '', r.webhooksReceived.toLocaleString('en'), '', '']);
  rows.push(['peak RSS (load)', `${r.peakRssMb.bare} MB`, `${r.peakRssMb.duyet} MB`, '', '']);
  rows.push(['engine', '', `${r.engineMicrosPer500Chars} µs / 500-char comment`, '', '≤ 20 µs']);
  if (r.scale) {
    const s = r.scale;
    const n = s.data.rows.toLocaleString('en');
    rows.push([`scale: ${n} comments`, '', `${s.data.pending} pending, ${s.data.threads} threads`, '', '']);
    rows.push(['  start-up', '', `${s.startupMs} ms`, '', '≤ 2000 ms']);
    rows.push(['  queue page (50)', '', lat(s.queuePage.p50, s.queuePage.p99), '', 'p99 ≤ 20 ms']);
    rows.push(['  thread page, first visit', '', lat(s.threadPageCold.p50, s.threadPageCold.p99), '', 'p99 ≤ 20 ms']);
    rows.push(['  thread page, cached', '', lat(s.threadPageWarm.p50, s.threadPageWarm.p99), '', '']);
    rows.push([
      `  biggest thread (${s.data.approvedInTopThread}), deep pages`,
      '',
      lat(s.topThreadPage.p50, s.topThreadPage.p99),
      '',
      '',
    ]);
    rows.push(['  peak RSS', '', `${s.peakRssMb} MB`, '', '≤ 250 MB']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => [...(row[i] ?? '')].length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  out.push(
    '',
    `${r.options.rounds} rounds × ${r.options.seconds} s per side, ${r.options.connections} connections, medians; ` +
      `${r.cpus} CPUs, load average ${r.loadAverage.join(' ')}; Node ${r.node}`,
  );
  return out.join('\n');
}

async function main() {
  const dir = join(ROOT, 'bench', 'results');
  // The run to compare with: --compare FILE, else the previous latest.json.
  const againstFile = flag('--compare') ?? join(dir, 'latest.json');
  const against = existsSync(againstFile) ? (JSON.parse(readFileSync(againstFile, 'utf8')) as BenchResult) : null;
  const result = await runBench(options);
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  writeFileSync(join(dir, `bench-${result.at.replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(join(dir, 'latest.json'), json);
  writeFileSync(join(dir, 'latest.svg'), chartSvg(result));
  console.log(formatTable(result));
  if (against) console.log(`\nCompared with ${againstFile}:\n${compareTable(against, result)}`);
  console.log(`\nbench/results/latest.json, and latest.svg (each figure against its target)`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
