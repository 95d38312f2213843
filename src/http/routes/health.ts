import { Hono } from 'hono';
import type { HonoEnv } from '../env.ts';

/** `GET /healthz`: 200 when the database (and every other dependency) answers, else 503. */
export function healthRoutes() {
  return new Hono<HonoEnv>().get('/healthz', async (c) => {
    const deps = c.get('deps');
    const checks: Record<string, 'ok' | 'down'> = {};
    const probes: [string, () => Promise<void>][] = [
      ['database', () => deps.store.ping()],
      ...Object.entries(deps.healthChecks ?? {}),
    ];
    await Promise.all(
      probes.map(async ([name, probe]) => {
        try {
          await withTimeout(probe(), 2000);
          checks[name] = 'ok';
        } catch {
          checks[name] = 'down';
        }
      }),
    );
    const ok = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ok ? 'ok' : 'unavailable', checks }, ok ? 200 : 503);
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
