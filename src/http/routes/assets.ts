import { Hono } from 'hono';
import { DomainError } from '../../core/errors.ts';
import type { Asset, Assets } from '../assets.ts';
import type { AppContext, HonoEnv } from '../env.ts';

/**
 * The moderator page's policy: nothing inline, nothing from elsewhere. Comment text is inserted as
 * text, and this makes an injected script inert even if it were not.
 */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function serve(c: AppContext, asset: Asset | undefined, headers: Record<string, string> = {}): Response {
  if (!asset) throw new DomainError('NOT_FOUND');
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  c.header('ETag', asset.etag);
  const inm = c.req.header('if-none-match');
  if (inm?.split(',').some((t) => t.trim() === asset.etag)) return c.body(null, 304);
  c.header('Content-Type', asset.contentType);
  return c.body(asset.body);
}

/** The demo article: its own inline stylesheet, the widget script and API calls from this origin only. */
export const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Widget script, moderator page and (on Node) the demo article. */
export function assetRoutes(assets: Assets) {
  const app = new Hono<HonoEnv>();
  app.get('/widget.js', (c) =>
    serve(c, assets['widget.js'], {
      // Embedded on other origins: no same-origin resource policy, cacheable, revalidated by ETag.
      'Cache-Control': 'public, max-age=300, must-revalidate',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Access-Control-Allow-Origin': '*',
    }),
  );
  const adminHeaders = {
    'Content-Security-Policy': ADMIN_CSP,
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
  app.get('/admin', (c) => serve(c, assets['admin.html'], adminHeaders));
  app.get('/admin/', (c) => serve(c, assets['admin.html'], adminHeaders));
  app.get('/admin/app.js', (c) => serve(c, assets['admin.js'], adminHeaders));
  app.get('/admin/app.css', (c) => serve(c, assets['admin.css'], adminHeaders));
  if (assets['demo.html']) {
    app.get('/', (c) =>
      serve(c, assets['demo.html'], {
        'Cache-Control': 'no-cache',
        'Referrer-Policy': 'no-referrer',
        'Content-Security-Policy': DEMO_CSP,
      }),
    );
  }
  return app;
}
