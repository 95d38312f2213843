/**
 * `npm run dev:worker [-- wrangler dev flags]`: applies the D1 migrations to the local database
 * (honouring --persist-to), makes sure a local SECRET_KEY exists in .dev.vars, then runs `wrangler dev`
 * with every flag passed through (--port, --ip, --var, --persist-to, …).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const args = process.argv.slice(2);

function persistArgs(): string[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--persist-to' && args[i + 1]) return ['--persist-to', args[i + 1] as string];
    if (a.startsWith('--persist-to=')) return [a];
  }
  return [];
}

const devVars = join(ROOT, '.dev.vars');
const hasSecret = existsSync(devVars) && /^SECRET_KEY=/m.test(readFileSync(devVars, 'utf8'));
const secretOnCommandLine = args.some(
  (a, i) => (a === '--var' && args[i + 1]?.startsWith('SECRET_KEY:')) || a.startsWith('--var=SECRET_KEY:'),
);
if (!hasSecret && !secretOnCommandLine) {
  const line = `SECRET_KEY=${randomBytes(32).toString('base64url')}\n`;
  writeFileSync(devVars, existsSync(devVars) ? readFileSync(devVars, 'utf8') + line : line, { mode: 0o600 });
  console.log('wrote a local SECRET_KEY to .dev.vars');
}

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  CI: process.env.CI ?? 'true',
};
const migrate = spawnSync(
  process.execPath,
  [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', ...persistArgs()],
  {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  },
);
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn(process.execPath, [WRANGLER, 'dev', ...args], { cwd: ROOT, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
