import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkLength } from '../../src/core/text/length.ts';
import { bodyOfLength, loadCleanComments, makeBodies } from './corpus.ts';
import { contentAction, engineMicros, loadContentRules } from './engine.ts';
import {
  distinctPieces,
  median,
  type RoundStats,
  round,
  round2,
  seedThreads,
  sequential,
  type Traffic,
} from './load.ts';
import { freePort, ROOT, type Server, startProcess } from './processes.ts';
import { fillDatabase, type ScaleData } from './scale.ts';

export interface BenchOptions {
  rounds: number;
  seconds: number;
  connections: number;
  scaleRows: number | null;
  /** Threads read in GET rounds, and comments seeded into each (default 200 × 20, a widget's page). */
  readThreads?: number;
  pageSize?: number;
  /** Sequential requests per latency measurement of the scale phase (default 1,000). */
  scaleSamples?: number;
  /** Write V8 CPU profiles of the real server (POST/GET phase) into this directory. */
  profileDir?: string | undefined;
  /**
   * Also time the POST references in the same rounds (default true): Duyệt without a webhook
   * endpoint, Hono alone, one stored row alone.
   */
  floors?: boolean;
  /** Only POST or only GET rounds (profiling one path); both by default. */
  only?: 'post' | 'get' | undefined;
  log(line: string): void;
}

export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

/**
 * Environment of the real server. Rate limits stay on at their defaults per client address, author
 * and thread; the site-wide cap (600/min by default, a safety valve an operator sizes to the site)
 * is lifted so that the benchmark measures throughput rather than that cap.
 */
export function serverEnv(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_GLOBAL: '10000000/1m',
    LOG_LEVEL: 'warn',
    // The benchmark's webhook receiver listens on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ADMIN_TOKEN,
    SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789',
  };
}

interface Side {
  rps: number;
  p50: number;
  p99: number;
  cpuMicrosPerRequest: number;
  rounds: RoundStats[];
}

function summarise(rounds: RoundStats[]): Side {
  return {
    rps: Math.round(median(rounds.map((r) => r.rps))),
    p50: round2(median(rounds.map((r) => r.p50))),
    p99: round2(median(rounds.map((r) => r.p99))),
    cpuMicrosPerRequest: Math.round(median(rounds.map((r) => r.cpuMicrosPerRequest))),
    rounds,
  };
}

export interface BenchResult {
  at: string;
  /** The commit measured (`-dirty` with uncommitted changes), so runs compare between commits. */
  commit?: string;
  node: string;
  cpus: number;
  loadAverage: number[];
  options: { rounds: number; seconds: number; connections: number; scaleRows: number | null };
  corpus: string;
  engineMicrosPer500Chars: number;
  /** The engine timed in three windows (before and after the HTTP rounds); the figure is their median. */
  engineWindows: number[];
  post: { bare: Side; duyet: Side; ratio: number };
  /**
   * POST references in the same rounds, as ratios to the bare server: Duyệt with no webhook endpoint
   * (no outbox, no deliveries), and two floors: Hono alone (Duyệt's HTTP stack, nothing else) and
   * node:http storing the comment row alone (schema, WAL, group commit).
   */
  floors: {
    hono: Side;
    sqlite: Side;
    withoutWebhook: Side;
    honoRatio: number;
    sqliteRatio: number;
    withoutWebhookRatio: number;
  } | null;
  get: { bare: Side; duyet: Side; ratio: number };
  errors: { post: number; get: number; non2xxPost: number; non2xxGet: number; statusCodes: Record<string, number> };
  /** Webhook deliveries the receiver got over the whole run (seeding and warm-up included). */
  webhooksReceived: number;
  seedFailures: number;
  peakRssMb: { duyet: number; bare: number };
  scale: ScaleResult | null;
}

export interface ScaleResult {
  data: ScaleData;
  startupMs: number;
  queuePage: { p50: number; p99: number; max: number; errors: number; count: number };
  threadPageCold: { p50: number; p99: number; max: number; errors: number; count: number };
  threadPageWarm: { p50: number; p99: number; max: number; errors: number; count: number };
  topThreadPage: { p50: number; p99: number; max: number; errors: number; count: number };
  peakRssMb: number;
}

function errorsOf(rounds: RoundStats[]) {
  return rounds.reduce((n, r) => n + r.errors + r.timeouts, 0);
}

function non2xxOf(rounds: RoundStats[]) {
  return rounds.reduce((n, r) => n + r.non2xx, 0);
}

function currentCommit(): string | undefined {
  try {
    const git = (args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const head = git(['rev-parse', '--short', 'HEAD']);
    return git(['status', '--porcelain', '--untracked-files=no']) === '' ? head : `${head}-dirty`;
  } catch {
    return undefined;
  }
}

/** Waits until the receiver's count stops growing (300 ms unchanged, 60 s at most); returns the wait in ms. */
async function deliveriesSettled(receiverUrl: string): Promise<number> {
  const started = performance.now();
  let last = -1;
  let unchanged = 0;
  while (unchanged < 3 && performance.now() - started < 60_000) {
    const { count } = (await (await fetch(`${receiverUrl}/hooks-received`)).json()) as { count: number };
    unchanged = count === last ? unchanged + 1 : 0;
    last = count;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Math.round(performance.now() - started);
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const { cpus, loadavg } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'duyet-bench-'));
  try {
    const rules = loadContentRules();
    const { comments, source } = loadCleanComments(resolve(ROOT, '..', 'shared', 'data'));
    // Texts the engine itself would refuse or reject are left out: the load is readers' ordinary comments.
    const pieces: string[] = [];
    for (const c of comments) if ((await contentAction(rules, c)) === 'allow') pieces.push(c);
    // Comments too short for the length rule (a few emoji) are not ordinary comments either.
    const bodies = makeBodies(pieces, 20_000, 7).filter((b) => checkLength(b).ok);
    o.log(`corpus: ${source}, ${pieces.length} pass the engine; ${bodies.length} distinct bodies`);

    const long = Array.from({ length: 200 }, (_, i) => bodyOfLength(pieces, 500, i + 1));
    // Timed now and again after the HTTP rounds; the median of the windows' medians is reported, so
    // one window slowed by a neighbour on a shared machine does not decide the figure.
    const engineWindows = [await engineMicros(rules, long, o.rounds > 2 ? 40 : 10)];
    o.log(`engine: ${engineWindows[0]} µs median per 500-character comment`);

    const traffic: Traffic = {
      bodies,
      pieces: distinctPieces(pieces),
      threads: 20_000,
      readThreads: o.readThreads ?? 200,
      pageSize: o.pageSize ?? 20,
    };
    const listFile = join(dir, 'bare-list.json');
    writeFileSync(
      listFile,
      JSON.stringify(
        bodies.slice(0, traffic.pageSize).map((body, i) => ({
          id: `01J0000000000000000000000${i % 10}`,
          threadId: 'bench-article-0',
          parentId: null,
          authorName: `Nguyễn An ${i}`,
          body,
          status: 'approved',
          createdAt: new Date().toISOString(),
        })),
      ),
    );
    const nodeArgs = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`] : [];
    if (o.profileDir) mkdirSync(o.profileDir, { recursive: true });
    const [duyetPort, barePort] = [await freePort(), await freePort()];
    const duyet = await startProcess(
      'src/runtime/node-main.ts',
      duyetPort,
      serverEnv(`file:${join(dir, 'bench.sqlite')}`),
      {
        nodeArgs,
      },
    );
    const bare = await startProcess('bench/bare-server.ts', barePort, { BARE_LIST_FILE: listFile }, { readyPath: '/' });
    o.log(`servers up: duyet ${duyet.url} (pid ${duyet.pid()}, ${Math.round(duyet.startupMs)} ms), bare ${bare.url}`);
    const withFloors = (o.floors ?? true) && o.only !== 'get';
    const floorServers = withFloors
      ? {
          hono: await startProcess('bench/floor-server.ts', await freePort(), { FLOOR: 'hono' }),
          sqlite: await startProcess('bench/floor-server.ts', await freePort(), {
            FLOOR: 'sqlite',
            FLOOR_DATABASE: join(dir, 'floor.sqlite'),
          }),
          // The real server again, with no endpoint registered: no outbox and no deliveries.
          plain: await startProcess(
            'src/runtime/node-main.ts',
            await freePort(),
            serverEnv(`file:${join(dir, 'plain.sqlite')}`),
          ),
        }
      : null;

    // A site backend subscribed to every comment event, as a deployment has: each post writes its
    // outbox event and delivery, and the dispatcher delivers them in the background meanwhile.
    const hook = await fetch(`${duyet.url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${bare.url}/hook`, events: ['*'], description: 'benchmark receiver' }),
    });
    if (hook.status !== 201) throw new Error(`registering the webhook receiver: ${hook.status} ${await hook.text()}`);
    const seedFailures = await seedThreads(duyet.url, traffic, traffic.pageSize);
    o.log(`seeded ${traffic.readThreads} threads × ${traffic.pageSize} comments (${seedFailures} failed)`);
    const warm = Math.max(1, Math.min(2, o.seconds / 2));
    const kinds = o.only ? [o.only] : (['post', 'get'] as const);
    for (const s of [bare, duyet]) {
      for (const kind of kinds) await round(s, kind, traffic, warm, o.connections);
    }
    if (floorServers) {
      for (const s of [floorServers.plain, floorServers.hono, floorServers.sqlite]) {
        await round(s, 'post', traffic, warm);
      }
    }
    o.log('warmed up');

    type SideName = 'bare' | 'duyet' | 'plain' | 'hono' | 'sqlite';
    const rounds: Record<'post' | 'get', Record<SideName, RoundStats[]>> = {
      post: { bare: [], duyet: [], plain: [], hono: [], sqlite: [] },
      get: { bare: [], duyet: [], plain: [], hono: [], sqlite: [] },
    };
    for (let i = 0; i < o.rounds; i++) {
      for (const kind of kinds) {
        const sides: [SideName, Server][] = [
          ['bare', bare],
          ['duyet', duyet],
        ];
        if (kind === 'post' && floorServers) {
          sides.push(['plain', floorServers.plain], ['hono', floorServers.hono], ['sqlite', floorServers.sqlite]);
        }
        for (const [name, s] of sides) {
          const r = await round(s, kind, traffic, o.seconds, o.connections);
          rounds[kind][name].push(r);
          o.log(
            `round ${i + 1}/${o.rounds} ${kind.toUpperCase().padEnd(4)} ${name.padEnd(6)} ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  cpu ${r.cpuMicrosPerRequest} µs/req  non-2xx ${r.non2xx}  errors ${r.errors + r.timeouts}`,
          );
          // Deliveries of the posts just made finish before the next side is timed, so that side
          // does not share the CPU with them.
          if (kind === 'post' && name === 'duyet') {
            const drained = await deliveriesSettled(bare.url);
            o.log(`  webhook deliveries settled ${drained} ms after the round`);
          }
        }
      }
    }
    const peakRss = { duyet: duyet.peakRssMb(), bare: bare.peakRssMb() };
    const received = (await (await fetch(`${bare.url}/hooks-received`)).json()) as { count: number };
    const posted = [...rounds.post.duyet].reduce((n, r) => n + r.requests, 0);
    o.log(`webhook deliveries received during the run: ${received.count} (${posted} posts in the measured rounds)`);
    await Promise.all([
      duyet.stop(),
      bare.stop(),
      floorServers?.plain.stop(),
      floorServers?.hono.stop(),
      floorServers?.sqlite.stop(),
    ]);
    for (let i = 0; i < 2; i++) engineWindows.push(await engineMicros(rules, long, o.rounds > 2 ? 40 : 10));
    const engine = median(engineWindows);
    o.log(`engine: ${engineWindows.join(', ')} µs in three windows; median ${engine} µs`);
    let floors: BenchResult['floors'] = null;
    if (floorServers) {
      const hono = summarise(rounds.post.hono);
      const sqlite = summarise(rounds.post.sqlite);
      const withoutWebhook = summarise(rounds.post.plain);
      const bareRps = summarise(rounds.post.bare).rps;
      floors = {
        hono,
        sqlite,
        withoutWebhook,
        honoRatio: round2(hono.rps / bareRps),
        sqliteRatio: round2(sqlite.rps / bareRps),
        withoutWebhookRatio: round2(withoutWebhook.rps / bareRps),
      };
    }

    const post = { bare: summarise(rounds.post.bare), duyet: summarise(rounds.post.duyet), ratio: 0 };
    post.ratio = round2(post.duyet.rps / post.bare.rps);
    const get = { bare: summarise(rounds.get.bare), duyet: summarise(rounds.get.duyet), ratio: 0 };
    get.ratio = round2(get.duyet.rps / get.bare.rps);
    const statusCodes: Record<string, number> = {};
    for (const r of [...rounds.post.duyet, ...rounds.get.duyet]) {
      for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
    }

    let scale: ScaleResult | null = null;
    if (o.scaleRows) scale = await runScale(dir, o.scaleRows, bodies, o.log, o.scaleSamples ?? 1000);

    return {
      at: new Date().toISOString(),
      commit: currentCommit(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: loadavg().map((l) => round2(l)),
      options: { rounds: o.rounds, seconds: o.seconds, connections: o.connections, scaleRows: o.scaleRows },
      corpus: source,
      engineMicrosPer500Chars: engine,
      engineWindows,
      post,
      floors,
      get,
      errors: {
        post: errorsOf(rounds.post.duyet),
        get: errorsOf(rounds.get.duyet),
        non2xxPost: non2xxOf(rounds.post.duyet),
        non2xxGet: non2xxOf(rounds.get.duyet),
        statusCodes,
      },
      seedFailures,
      webhooksReceived: received.count,
      peakRssMb: peakRss,
      scale,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runScale(
  dir: string,
  rows: number,
  bodies: readonly string[],
  log: (line: string) => void,
  samples: number,
): Promise<ScaleResult> {
  const path = join(dir, 'scale.sqlite');
  log(`scale: generating ${rows.toLocaleString('en')} comments…`);
  const data = await fillDatabase(path, rows, bodies);
  log(
    `scale: ${data.rows.toLocaleString('en')} rows, ${data.pending} pending, ${data.threads} threads in ${data.seconds} s`,
  );
  const server: Server = await startProcess('src/runtime/node-main.ts', await freePort(), serverEnv(`file:${path}`));
  try {
    log(`scale: server answered /healthz ${Math.round(server.startupMs)} ms after spawn`);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    // The queue walked page by page (cursor from each answer), then its first page again and again.
    const queuePaths: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < samples / 5; i++) {
      const path: string = `/api/v1/moderation/comments?status=pending&limit=50${cursor ? `&cursor=${cursor}` : ''}`;
      queuePaths.push(path);
      const res = await fetch(`${server.url}${path}`, { headers: auth });
      const page = (await res.json()) as { nextCursor: string | null };
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    for (let i = 0; i < (samples * 3) / 10; i++) queuePaths.push('/api/v1/moderation/comments?status=pending&limit=50');
    const queuePage = await sequential(queuePaths, server.url, auth);
    log(`scale: queue page p50 ${queuePage.p50} ms p99 ${queuePage.p99} ms (${queuePage.count} requests)`);
    // First visits to distinct threads (nothing cached yet), then the same pages again.
    const threadPaths = Array.from(
      { length: samples },
      (_, i) => `/api/v1/threads/article-${(i * 7) % data.threads}/comments?limit=20&order=newest`,
    );
    const threadPageCold = await sequential(threadPaths, server.url);
    const threadPageWarm = await sequential(threadPaths, server.url);
    // The biggest thread, deep pages through cursors (never cached), newest and oldest first.
    const topPaths: string[] = [];
    for (const order of ['newest', 'oldest']) {
      let c: string | null = null;
      for (let i = 0; i < samples / 10; i++) {
        const path: string = `/api/v1/threads/article-0/comments?limit=20&order=${order}${c ? `&cursor=${c}` : ''}`;
        topPaths.push(path);
        const res = await fetch(`${server.url}${path}`);
        c = ((await res.json()) as { nextCursor: string | null }).nextCursor;
        if (!c) break;
      }
    }
    const topThreadPage = await sequential(topPaths, server.url);
    log(
      `scale: thread page cold p50 ${threadPageCold.p50} p99 ${threadPageCold.p99} ms; warm p50 ${threadPageWarm.p50} p99 ${threadPageWarm.p99} ms; top thread pages p99 ${topThreadPage.p99} ms`,
    );
    const peakRssMb = server.peakRssMb();
    log(`scale: peak RSS ${peakRssMb} MB`);
    return {
      data,
      startupMs: Math.round(server.startupMs),
      queuePage,
      threadPageCold,
      threadPageWarm,
      topThreadPage,
      peakRssMb,
    };
  } finally {
    await server.stop();
  }
}
