/**
 * Bundles the Cloudflare Worker into dist/worker.js: the app, the rules files (as a virtual module,
 * validated again at isolate start) and the widget and moderator page built exactly as on Node.
 * wrangler.toml runs this as its build command; tests run it before starting Miniflare.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { buildAll } from '../src/runtime/node-assets.ts';

const ROOT = resolve(import.meta.dirname, '..');

export async function buildWorker(outfile = join(ROOT, 'dist', 'worker.js')): Promise<string> {
  const rulesDir = join(ROOT, 'rules');
  const ruleFiles = readdirSync(rulesDir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({ name: e.name, text: readFileSync(join(rulesDir, e.name), 'utf8') }));
  const assets = await buildAll({ demo: false });
  const virtual: Plugin = {
    name: 'duyet-virtual',
    setup(b) {
      b.onResolve({ filter: /^virtual:duyet-/ }, (args) => ({ path: args.path, namespace: 'duyet-virtual' }));
      b.onLoad({ filter: /.*/, namespace: 'duyet-virtual' }, (args) => ({
        contents: `export default ${JSON.stringify(args.path === 'virtual:duyet-rules' ? ruleFiles : assets)};`,
        loader: 'js',
      }));
      // Node-only stores rate-limiter-flexible references but the Worker never loads.
      b.onResolve({ filter: /^(cluster|pm2)$/ }, (args) => ({ path: args.path, namespace: 'duyet-empty' }));
      b.onLoad({ filter: /.*/, namespace: 'duyet-empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
  mkdirSync(resolve(outfile, '..'), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'src', 'runtime', 'worker.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    // leo-profanity's optional French and Russian lists (110 KB) are never used.
    external: ['french-badwords-list', 'russian-bad-words', 'node:*'],
    plugins: [virtual],
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  buildWorker(process.argv[2] ? resolve(process.argv[2]) : undefined).then(
    (out) => console.log(`built ${out}`),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
