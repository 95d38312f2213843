import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { type Assets, makeAsset } from '../http/assets.ts';

const SRC = resolve(import.meta.dirname, '..');

/** Bundles a browser entry point (TypeScript, may import the runtime-free core) into one script. */
export async function bundleBrowserScript(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2022'],
    platform: 'browser',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
  });
  return result.outputFiles[0]?.text ?? '';
}

/**
 * Builds the widget, moderator page and demo page once at start (esbuild takes well under a second),
 * so users never run a build step. Workers get the same output from `scripts/build-assets.ts`.
 */
let cached: Promise<Assets> | undefined;

/** Built once per process; every service instance in it (tests start many) shares the result. */
export function buildNodeAssets(): Promise<Assets> {
  cached ??= buildAll({ demo: true });
  return cached;
}

export async function buildAll(options: { demo?: boolean } = {}): Promise<Assets> {
  const assets: Assets = {};
  const widget = resolve(SRC, 'widget/widget.ts');
  const adminJs = resolve(SRC, 'admin/app.ts');
  const adminHtml = resolve(SRC, 'admin/index.html');
  const adminCss = resolve(SRC, 'admin/styles.css');
  const demo = resolve(SRC, 'runtime/demo.html');
  const jobs: Promise<void>[] = [];
  if (existsSync(widget)) {
    jobs.push(
      bundleBrowserScript(widget).then(async (js) => {
        assets['widget.js'] = await makeAsset(js, 'text/javascript; charset=utf-8');
      }),
    );
  }
  if (existsSync(adminJs)) {
    jobs.push(
      bundleBrowserScript(adminJs).then(async (js) => {
        assets['admin.js'] = await makeAsset(js, 'text/javascript; charset=utf-8');
      }),
    );
  }
  if (existsSync(adminHtml))
    assets['admin.html'] = await makeAsset(readFileSync(adminHtml, 'utf8'), 'text/html; charset=utf-8');
  if (existsSync(adminCss))
    assets['admin.css'] = await makeAsset(readFileSync(adminCss, 'utf8'), 'text/css; charset=utf-8');
  if (options.demo !== false && existsSync(demo)) {
    assets['demo.html'] = await makeAsset(readFileSync(demo, 'utf8'), 'text/html; charset=utf-8');
  }
  await Promise.all(jobs);
  return assets;
}
