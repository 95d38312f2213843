import autocannon, { type RawRequest, type Result } from 'autocannon';
import { authorName, clientAddress } from './corpus.ts';

export interface RoundStats {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Server CPU time per request in µs (user + system of the serving process during the round). */
  cpuMicrosPerRequest: number;
}

function statsOf(r: Result, cpuMs: number): RoundStats {
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = v.count;
  return {
    rps: Math.round(r.requests.total / Math.max(r.duration, 1e-9)),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
    cpuMicrosPerRequest: Math.round((cpuMs * 1000) / Math.max(1, r.requests.total)),
  };
}

/** Traffic shape shared by the real and the bare server, so both answer the same requests. */
export interface Traffic {
  /** Ordinary comment bodies (seeding, the bare server's page). */
  bodies: readonly string[];
  /**
   * Distinct sentences that posts are composed from (two to four per post, chosen by the post's
   * number), so every post is a new text as on a real site; without them posts cycle through `bodies`.
   */
  pieces?: readonly string[];
  /** Threads posted to. */
  threads: number;
  /** Threads read (the first `readThreads` of the posted ones, popular first). */
  readThreads: number;
  /** Page size a reader's widget asks for. */
  pageSize: number;
}

/**
 * A global counter shared by every round, so client addresses and authors keep changing between
 * rounds like a burst of distinct readers (no address or author repeats within ~260k posts).
 */
let posted = 0;
const POOL = 1 << 18;

export function nextPost(t: Traffic): RawRequest {
  const n = posted++;
  // Spread evenly over many articles: the default per-thread limit (60/min) holds for every thread
  // at ~10k posts/s over 20k threads, as it would for a burst spread over a news site's articles.
  const thread = Math.floor(Math.random() * t.threads);
  const body = t.pieces ? composedBody(t.pieces, n) : (t.bodies[n % t.bodies.length] ?? 'Bình luận');
  // Author and address pools advance at different strides so pairs vary too.
  const who = (n * 7919) % POOL;
  return {
    method: 'POST',
    path: `/api/v1/threads/bench-article-${thread}/comments`,
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': clientAddress(n % POOL),
    },
    body: JSON.stringify({
      body,
      authorName: authorName(who),
      ...(n % 3 === 0 ? { authorEmail: `reader${who}@example.vn` } : {}),
    }),
  };
}

/**
 * Post n's text: two sentences that no other post below pieces.length² (~29 million) shares, so the
 * load never repeats a text (a repeat from the same pooled address or author would rightly be refused
 * as a duplicate), plus up to two more for length. `pieces` must be distinct (see {@link distinctPieces}).
 */
export function composedBody(pieces: readonly string[], n: number): string {
  const p = pieces.length;
  const m = p * p;
  // n ↦ n·K mod p² is a bijection (K, a prime, is coprime to p²): consecutive posts get unrelated pairs.
  const pair = ((n % m) * (2654435761 % m)) % m;
  const first = pieces[pair % p] ?? '';
  const second = pieces[Math.floor(pair / p)] ?? '';
  let h = Math.imul(n + 1, 0x9e3779b1) >>> 0;
  const next = () => {
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    return h;
  };
  // Under 480 characters (the limit is 500), cutting the first sentence if needed: the pair stays distinct.
  let body = `${first.slice(0, Math.max(40, 479 - second.length))} ${second}`.slice(0, 480);
  for (let k = next() % 3; k > 0; k--) {
    const more = pieces[next() % p] ?? '';
    if (body.length + 1 + more.length > 480) break;
    body += ` ${more}`;
  }
  return body;
}

/** Pieces that stay distinct after the duplicate rule's folding (case, spacing, punctuation). */
export function distinctPieces(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of texts) {
    const folded = t
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
      .trim();
    if (folded.length < 3 || seen.has(folded)) continue;
    seen.add(folded);
    out.push(t.trim());
  }
  return out;
}

export function nextGet(t: Traffic): RawRequest {
  // Readers cluster on popular articles: a skewed pick (square of a uniform).
  const u = Math.random();
  const thread = Math.floor(u * u * t.readThreads);
  return {
    method: 'GET',
    path: `/api/v1/threads/bench-article-${thread}/comments?limit=${t.pageSize}&order=newest`,
    headers: { 'x-forwarded-for': clientAddress(Math.floor(Math.random() * POOL)) },
  };
}

/** Posts `perThread` comments to each read thread (before the rounds), so their pages are full. */
export async function seedThreads(url: string, t: Traffic, perThread: number, parallel = 16): Promise<number> {
  const jobs: RawRequest[] = [];
  for (let k = 0; k < t.readThreads; k++) {
    for (let i = 0; i < perThread; i++) {
      const req = nextPost(t);
      jobs.push({ ...req, path: `/api/v1/threads/bench-article-${k}/comments` });
    }
  }
  let failed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const res = await fetch(`${url}${job.path}`, {
          method: 'POST',
          headers: job.headers ?? {},
          body: typeof job.body === 'string' ? job.body : null,
        });
        await res.arrayBuffer();
        if (res.status >= 300) failed++;
      }
    }),
  );
  return failed;
}

export async function round(
  server: { url: string; cpuMs(): number },
  kind: 'post' | 'get',
  traffic: Traffic,
  seconds: number,
  connections = 50,
): Promise<RoundStats> {
  const cpuBefore = server.cpuMs();
  const result = await autocannon({
    url: server.url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (req) => ({ ...req, ...(kind === 'post' ? nextPost(traffic) : nextGet(traffic)) }),
      },
    ],
  });
  return statsOf(result, server.cpuMs() - cpuBefore);
}

/** Sequential requests, one at a time: latency as a single reader sees it, without queueing. */
export async function sequential(
  paths: readonly string[],
  base: string,
  headers: Record<string, string> = {},
): Promise<{ p50: number; p99: number; max: number; errors: number; count: number }> {
  const times: number[] = [];
  let errors = 0;
  for (const path of paths) {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, { headers });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) errors++;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? Number.NaN;
  return { p50: round2(at(0.5)), p99: round2(at(0.99)), max: round2(at(1)), errors, count: times.length };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
