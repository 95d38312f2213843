import { createHmac } from 'node:crypto';
import type { Hasher } from '../lib/crypto.ts';
import type { HmacKeyFactory } from '../webhooks/signing.ts';

/**
 * The same keyed hash as `createHasher` (HMAC-SHA256 keyed by `purpose:secret`, first 18 bytes,
 * base64url), computed on the calling thread. Web Crypto on Node runs every call as a thread-pool job;
 * for two short inputs per posted comment, the hop costs more than the hash.
 */
export function createNodeHasher(secret: string, purpose: string): Hasher {
  const key = Buffer.from(`${purpose}:${secret}`, 'utf8');
  return {
    hash(value) {
      const digest = createHmac('sha256', key).update(value, 'utf8').digest();
      return Promise.resolve(digest.subarray(0, 18).toString('base64url'));
    },
  };
}

/**
 * Webhook signatures with node:crypto on the calling thread: Web Crypto on Node runs each MAC as a
 * thread-pool job, which costs several times the MAC of a comment-sized body.
 */
export const nodeHmac: HmacKeyFactory = (keyBytes) => {
  const key = Buffer.from(keyBytes);
  return { sign: (message) => createHmac('sha256', key).update(message, 'utf8').digest('base64') };
};
