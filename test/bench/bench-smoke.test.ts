import { describe, expect, it } from 'vitest';
import { chartSvg, compareTable, figures } from '../../bench/lib/report.ts';
import { runBench } from '../../bench/lib/suite.ts';

/** The benchmark's pieces in a tiny configuration: a well-formed result, no errors. No timing is asserted. */
describe('npm run bench (smoke)', () => {
  it('measures both servers, the floors and a small scale database and reports no errors', async () => {
    const lines: string[] = [];
    const r = await runBench({
      rounds: 1,
      seconds: 1,
      connections: 10,
      scaleRows: 2000,
      readThreads: 5,
      pageSize: 5,
      scaleSamples: 50,
      log: (line) => lines.push(line),
    });
    expect(r.errors.post + r.errors.get).toBe(0);
    expect(r.seedFailures).toBe(0);
    for (const side of [r.post.bare, r.post.duyet, r.get.bare, r.get.duyet]) {
      expect(side.rounds).toHaveLength(1);
      expect(side.rps).toBeGreaterThan(0);
      expect(Number.isFinite(side.p99)).toBe(true);
    }
    expect(r.get.duyet.rounds[0]?.statusCodes).toEqual({ 200: r.get.duyet.rounds[0]?.requests });
    expect(r.post.ratio).toBeGreaterThan(0);
    // The floors ran in the same rounds and stored or answered every request.
    for (const floor of [r.floors?.withoutWebhook, r.floors?.hono, r.floors?.sqlite]) {
      expect(floor?.rps).toBeGreaterThan(0);
      expect(floor?.rounds[0]?.non2xx).toBe(0);
    }
    expect(r.engineMicrosPer500Chars).toBeGreaterThan(0);
    // The subscribed endpoint got deliveries: the outbox was part of what was measured.
    expect(r.webhooksReceived).toBeGreaterThan(0);
    expect(r.peakRssMb.duyet).toBeGreaterThan(0);
    expect(r.scale?.data.rows).toBe(2000);
    expect(r.scale?.queuePage.errors).toBe(0);
    expect(r.scale?.threadPageCold.errors).toBe(0);
    expect(r.scale?.startupMs).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith('round 1/1 POST duyet'))).toBe(true);
    // The picture has a bar per figure with a target; the comparison a line per figure.
    const targeted = figures(r).filter((f) => f.target !== undefined);
    const svg = chartSvg(r);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x=/g)).toHaveLength(targeted.length);
    const worse = { ...r, post: { ...r.post, ratio: r.post.ratio / 2 } };
    const compared = compareTable(r, worse).split('\n');
    expect(compared).toHaveLength(figures(r).length + 1);
    expect(compared.find((l) => l.startsWith('POST ratio (webhook on)'))).toMatch(/-50 % \(worse\)/);
  }, 90_000);
});
