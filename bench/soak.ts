/**
 * `npm run soak`: a 60 s soak at a steady rate against the real server (the `npm start` path), a
 * quarter posts and three quarters thread reads, sampling the server's memory every second.
 * It passes when every request got its expected answer and memory stayed flat (the second half's
 * median RSS within 15 % or 25 MB of the first half's, after warm-up). It prints a table, writes
 * bench/results/soak.json and draws bench/results/soak.svg (RSS and throughput over time).
 * Flags: --seconds N (default 60), --rate R requests/s (default 400).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { checkLength } from '../src/core/text/length.ts';
import { loadCleanComments, makeBodies } from './lib/corpus.ts';
import { contentAction, loadContentRules } from './lib/engine.ts';
import { nextGet, nextPost, type Traffic } from './lib/load.ts';
import { freePort, ROOT, startProcess } from './lib/processes.ts';
import { serverEnv } from './lib/suite.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, rate: { type: 'string', default: '400' } },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function median(xs: number[]): number {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] ?? Number.NaN) : Number.NaN;
}

function svg(samples: { t: number; rss: number; rps: number }[]): string {
  const w = 720;
  const h = 260;
  const pad = 40;
  const maxT = Math.max(1, ...samples.map((s) => s.t));
  const maxRss = Math.max(1, ...samples.map((s) => s.rss)) * 1.15;
  const maxRps = Math.max(1, ...samples.map((s) => s.rps)) * 1.15;
  const x = (t: number) => pad + ((w - 2 * pad) * t) / maxT;
  const line = (key: 'rss' | 'rps', max: number) =>
    samples
      .map((s, i) => `${i ? 'L' : 'M'}${x(s.t).toFixed(1)},${(h - pad - ((h - 2 * pad) * s[key]) / max).toFixed(1)}`)
      .join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">
<title>Duyệt soak: memory and throughput over time</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="${pad}" y="20" font-size="14">Duyệt soak: ${rate} req/s for ${seconds} s</text>
<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#999"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#999"/>
<path d="${line('rss', maxRss)}" fill="none" stroke="#b3261e" stroke-width="2"/>
<path d="${line('rps', maxRps)}" fill="none" stroke="#1565c0" stroke-width="1.5"/>
<text x="${w - pad - 150}" y="${pad}" fill="#b3261e">RSS (max ${maxRss.toFixed(0)} MB scale)</text>
<text x="${w - pad - 150}" y="${pad + 16}" fill="#1565c0">requests/s (max ${maxRps.toFixed(0)})</text>
<text x="${w / 2}" y="${h - 10}" text-anchor="middle">seconds</text>
</svg>`;
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'duyet-soak-'));
  const { comments } = loadCleanComments(join(ROOT, '..', 'shared', 'data'));
  // Only texts the rules publish: a soak measures the service, not the policy refusing a text.
  const rules = loadContentRules();
  const bodies: string[] = [];
  for (const b of makeBodies(comments, 6000, 7)) {
    if (checkLength(b).ok && (await contentAction(rules, b)) === 'allow') bodies.push(b);
  }
  const traffic: Traffic = { bodies, threads: 5000, readThreads: 200, pageSize: 20 };
  const server = await startProcess(
    'src/runtime/node-main.ts',
    await freePort(),
    serverEnv(`file:${join(dir, 'duyet.sqlite')}`),
  );
  console.log(`[soak] server up at ${server.url}; ${rate} req/s for ${seconds} s`);
  const samples: { t: number; rss: number; rps: number }[] = [];
  let answered = 0;
  let lastAnswered = 0;
  const started = Date.now();
  const sampler = setInterval(() => {
    const t = Math.round((Date.now() - started) / 1000);
    const rss = rssMb(server.pid());
    samples.push({ t, rss, rps: answered - lastAnswered });
    lastAnswered = answered;
    if (t % 10 === 0) console.log(`[soak] ${t}s  rss ${rss.toFixed(0)} MB  ${samples.at(-1)?.rps} req/s`);
  }, 1000);
  let n = 0;
  const instance = autocannon({
    url: server.url,
    connections: 20,
    overallRate: rate,
    duration: seconds,
    timeout: 10,
    requests: [{ setupRequest: (req) => ({ ...req, ...(n++ % 4 === 0 ? nextPost(traffic) : nextGet(traffic)) }) }],
  });
  const statuses: Record<number, number> = {};
  (instance as unknown as { on(e: string, f: (client: unknown, status: number) => void): void }).on(
    'response',
    (_client, status) => {
      answered++;
      statuses[status] = (statuses[status] ?? 0) + 1;
    },
  );
  const result = await instance;
  clearInterval(sampler);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });

  const half = samples.filter((s) => s.t >= 10);
  const mid = Math.floor(half.length / 2);
  const early = median(half.slice(0, mid).map((s) => s.rss));
  const late = median(half.slice(mid).map((s) => s.rss));
  const growth = late - early;
  const flat = growth <= Math.max(25, early * 0.15);
  const unexpected = result.errors + result.timeouts + result.non2xx;
  const report = {
    seconds,
    rate,
    requests: result.requests.total,
    achievedRps: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses,
    rssMb: { early: Math.round(early), late: Math.round(late), growth: Math.round(growth) },
    flat,
    ok: unexpected === 0 && flat,
    samples,
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(ROOT, 'bench', 'results', 'soak.svg'), svg(samples));
  console.log(
    `[soak] ${report.requests} requests, ${report.achievedRps} req/s, p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms; ` +
      `errors ${report.errors}, timeouts ${report.timeouts}, non-2xx ${report.non2xx} ${JSON.stringify(statuses)}; RSS ${report.rssMb.early} -> ${report.rssMb.late} MB (${flat ? 'flat' : 'GROWING'})`,
  );
  console.log(`${report.ok ? 1 : 0} passed, ${report.ok ? 0 : 1} failed`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
