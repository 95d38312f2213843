import type { MiddlewareHandler } from 'hono';
import type { HonoEnv } from '../env.ts';

export interface CorsOptions {
  /** `*`, or the exact origins allowed (scheme://host[:port], no trailing slash). */
  origins: string[] | '*';
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds: number;
}

/**
 * CORS for the readers' endpoints. Headers are set on the context before the route answers (Hono's
 * own cors middleware writes to a response created early, which makes every answer be copied).
 */
export function cors(options: CorsOptions): MiddlewareHandler<HonoEnv> {
  const allowMethods = options.allowMethods.join(', ');
  const allowHeaders = options.allowHeaders.join(', ');
  const exposeHeaders = options.exposeHeaders.join(', ');
  const allowed = options.origins === '*' ? null : new Set(options.origins);
  return async function corsMiddleware(c, next) {
    const origin = c.req.header('origin');
    const allowOrigin = allowed === null ? '*' : origin && allowed.has(origin) ? origin : null;
    if (allowed !== null) c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (allowOrigin) {
        c.header('Access-Control-Allow-Origin', allowOrigin);
        c.header('Access-Control-Allow-Methods', allowMethods);
        c.header('Access-Control-Allow-Headers', allowHeaders);
        c.header('Access-Control-Max-Age', String(options.maxAgeSeconds));
      }
      return c.body(null, 204);
    }
    if (allowOrigin) {
      c.header('Access-Control-Allow-Origin', allowOrigin);
      c.header('Access-Control-Expose-Headers', exposeHeaders);
    }
    await next();
  };
}
