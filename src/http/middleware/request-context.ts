import type { MiddlewareHandler } from 'hono';
import { pickLocale } from '../../core/messages.ts';
import { ulid } from '../../lib/ids.ts';
import type { AppDeps } from '../../services/deps.ts';
import type { HonoEnv } from '../env.ts';

/** Request id, reader language, injected services and one access-log line per request. */
export function requestContext(deps: AppDeps): MiddlewareHandler<HonoEnv> {
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.:-]{1,64}$/.test(incoming) ? incoming : ulid();
    c.set('requestId', requestId);
    c.set('deps', deps);
    c.set('locale', pickLocale(c.req.query('lang'), c.req.header('accept-language'), deps.config.defaultLocale));
    const started = performance.now();
    // Headers are set before the response exists: setting one afterwards makes Hono copy the response.
    c.header('X-Request-Id', requestId);
    const inFlight = deps.inFlight;
    if (inFlight) {
      inFlight.count++;
      try {
        await next();
      } finally {
        inFlight.count--;
      }
    } else {
      await next();
    }
    const status = c.res.status;
    if (status < 500 && deps.logger.level !== 'debug') return;
    const fields = {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status >= 500) deps.logger.error('request', fields);
    else deps.logger.debug('request', fields);
  };
}
