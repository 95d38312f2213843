import type { ApiKey, Store } from '../db/store.ts';
import { randomBytes, sha256Hex, timingSafeEqual, toBase64Url } from '../lib/crypto.ts';
import { ulid } from '../lib/ids.ts';

export type Role = 'admin' | 'moderator';

const SECRET_PREFIX = 'duyet_';

/** The bootstrap admin from `ADMIN_TOKEN`: never stored, compared in constant time. */
export const BOOTSTRAP_KEY: ApiKey = {
  id: 'admin-token',
  name: 'ADMIN_TOKEN',
  role: 'admin',
  prefix: 'ADMIN_TOKEN',
  createdAt: new Date(0).toISOString(),
  lastUsedAt: null,
};

/** Creates a key: 256 random bits, shown once; only its SHA-256 is stored. */
export async function createKey(store: Store, name: string, role: Role): Promise<{ key: ApiKey; secret: string }> {
  const secret = `${SECRET_PREFIX}${toBase64Url(randomBytes(32))}`;
  const key = await store.createKey({
    id: ulid(),
    name,
    role,
    secretHash: await sha256Hex(secret),
    prefix: secret.slice(0, SECRET_PREFIX.length + 6),
  });
  return { key, secret };
}

/** Finds the key a bearer secret belongs to, or null. */
export async function authenticate(store: Store, adminToken: string | null, secret: string): Promise<ApiKey | null> {
  if (adminToken && timingSafeEqual(secret, adminToken)) return BOOTSTRAP_KEY;
  if (!secret.startsWith(SECRET_PREFIX) || secret.length > 200) return null;
  const hash = await sha256Hex(secret);
  const key = await store.findKeyByHash(hash);
  return key;
}
