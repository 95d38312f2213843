import type { MiddlewareHandler } from 'hono';
import { DomainError } from '../../core/errors.ts';
import { authenticate, type Role } from '../../services/keys.ts';
import type { HonoEnv } from '../env.ts';

const lastTouched = new Map<string, number>();

/**
 * Bearer-key auth for moderator and admin routes: 401 UNAUTHORIZED without a valid key, 403 FORBIDDEN
 * when the key's role is not enough. `admin` can do everything a moderator can.
 */
export function requireRole(role: Role): MiddlewareHandler<HonoEnv> {
  return async function requireRoleMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m?.[1]) throw new DomainError('UNAUTHORIZED');
    const deps = c.get('deps');
    const key = await authenticate(deps.store, deps.config.adminToken, m[1]);
    if (!key) throw new DomainError('UNAUTHORIZED');
    if (role === 'admin' && key.role !== 'admin') throw new DomainError('FORBIDDEN');
    c.set('apiKey', key);
    // Record use at most once a minute per key, off the request path.
    const now = deps.clock.now().getTime();
    if (key.id !== 'admin-token' && now - (lastTouched.get(key.id) ?? 0) > 60_000) {
      lastTouched.set(key.id, now);
      deps.background(deps.store.touchKey(key.id).catch(() => {}));
    }
    await next();
  };
}
