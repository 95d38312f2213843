import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Miniflare } from 'miniflare';
import { buildWorker } from '../../scripts/build-worker.ts';
import type { D1Like } from '../../src/db/d1.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
let built: Promise<string> | undefined;

/** Builds the Worker bundle once per test process (into dist/, which is git-ignored). */
export function workerBundle(): Promise<string> {
  built ??= buildWorker(join(ROOT, 'dist', `worker-test-${process.pid}.js`));
  return built;
}

/** Applies migrations/d1/*.sql the way `wrangler d1 migrations apply` does: each file once, in order. */
export async function applyD1Migrations(d1: D1Like): Promise<void> {
  const dir = join(ROOT, 'migrations', 'd1');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const statements = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('--'))
      .map((line) => line.replace(/;\s*$/, ''));
    await d1.batch(statements.map((s) => d1.prepare(s)));
  }
}

/** The real Worker in workerd (Miniflare) with a fresh local D1, migrated. */
export async function startWorker(vars: Record<string, string>): Promise<{ mf: Miniflare; d1: D1Like }> {
  const path = await workerBundle();
  const mf = new Miniflare({
    modules: [{ type: 'ESModule', path }],
    modulesRoot: ROOT,
    compatibilityDate: '2026-04-01',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: `duyet-test-${Date.now()}-${Math.random().toString(36).slice(2)}` },
    bindings: vars,
    host: '127.0.0.1',
    port: 0,
  });
  await mf.ready;
  const d1 = (await mf.getD1Database('DB')) as unknown as D1Like;
  await applyD1Migrations(d1);
  return { mf, d1 };
}
