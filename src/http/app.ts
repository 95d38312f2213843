import { Hono } from 'hono';
import { DomainError } from '../core/errors.ts';
import type { AppDeps } from '../services/deps.ts';
import type { Assets } from './assets.ts';
import { createProxyTrust, resolveClientIp } from './client-ip.ts';
import type { AppContext, HonoEnv } from './env.ts';
import { errorResponse, onError } from './errors.ts';
import { cors } from './middleware/cors.ts';
import { jsonBody } from './middleware/json-body.ts';
import { requestContext } from './middleware/request-context.ts';
import { assetRoutes } from './routes/assets.ts';
import { docsRoutes } from './routes/docs.ts';
import { healthRoutes } from './routes/health.ts';
import { keyRoutes } from './routes/keys.ts';
import { moderationRoutes } from './routes/moderation.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { reportRoutes } from './routes/reports.ts';
import { threadRoutes } from './routes/threads.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { widgetConfigRoutes } from './routes/widget-config.ts';

export interface RuntimeHooks {
  /** The peer address of the connection (socket address on Node, CF-Connecting-IP on Workers). */
  clientAddress(c: AppContext): string | null;
  /** The widget script, moderator page and demo page, built by the runtime. */
  assets?: Assets;
  /** Extra routes a runtime serves. */
  extraRoutes?: (app: Hono<HonoEnv>) => void;
}

/** Builds the HTTP app from injected services; every runtime calls this. */
export function createApp(deps: AppDeps, runtime: RuntimeHooks): Hono<HonoEnv> {
  const app = new Hono<HonoEnv>();
  const trusted = createProxyTrust(deps.config.trustProxy);
  const origins = deps.config.allowedOrigins;

  app.onError(onError);
  app.notFound((c) => errorResponse(c, new DomainError('NOT_FOUND')));

  app.use('*', requestContext(deps));
  app.use('*', async function clientIpMiddleware(c, next) {
    let resolved: string | null | undefined;
    c.set('clientIp', () => {
      if (resolved === undefined) {
        resolved = resolveClientIp(runtime.clientAddress(c), c.req.header('x-forwarded-for') ?? null, trusted);
      }
      return resolved;
    });
    c.header('X-Content-Type-Options', 'nosniff');
    await next();
  });

  // Readers' endpoints are called by the widget from the sites' origins.
  const publicCors = cors({
    origins,
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Accept-Language'],
    exposeHeaders: ['Retry-After', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id', 'ETag'],
    maxAgeSeconds: 600,
  });
  app.use('/api/v1/threads/*', publicCors);
  app.use('/api/v1/comments/*', publicCors);
  app.use('/api/v1/widget-config', publicCors);

  app.use('/api/*', jsonBody(deps.config.bodyLimitBytes));
  // API answers are not cached unless a route says otherwise (set before the response exists, so a
  // route's own Cache-Control replaces it without Hono copying the response).
  app.use('/api/*', async function noStore(c, next) {
    c.header('Cache-Control', 'no-store');
    await next();
  });

  app.route('/', healthRoutes());
  app.route('/api/v1', threadRoutes());
  app.route('/api/v1', reportRoutes());
  app.route('/api/v1', widgetConfigRoutes());
  app.route('/api/v1', moderationRoutes());
  app.route('/api/v1', keyRoutes());
  app.route('/api/v1', privacyRoutes());
  app.route('/api/v1', webhookRoutes());
  app.route('/', assetRoutes(runtime.assets ?? {}));
  app.route('/', docsRoutes());
  runtime.extraRoutes?.(app);
  return app;
}
