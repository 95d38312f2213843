import { fromBase64, randomBytes, toBase64 } from '../lib/crypto.ts';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/) with Web Crypto, so the same code
 * signs on Node and in Workers. A secret is `whsec_` + base64 of the HMAC key.
 */

export const SECRET_PREFIX = 'whsec_';

const encoder = new TextEncoder();

/** A new endpoint secret: 192 random bits, the size other Standard Webhooks senders use. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${toBase64(randomBytes(24))}`;
}

/** The HMAC key bytes of a `whsec_…` secret (a bare base64 key is accepted too, as the spec's libraries do). */
export function secretKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = fromBase64(encoded);
  if (key.length === 0) throw new Error('empty webhook secret');
  return key;
}

/** An HMAC-SHA256 key ready to sign: base64 of the MAC of a message. */
export interface HmacKey {
  sign(message: string): string | Promise<string>;
}

/** Makes an {@link HmacKey} from key bytes; a runtime may give a faster one than Web Crypto's. */
export type HmacKeyFactory = (keyBytes: Uint8Array<ArrayBuffer>) => HmacKey | Promise<HmacKey>;

/** Web Crypto HMAC (Workers, and the default): a non-extractable key; each MAC is an async job. */
export const webCryptoHmac: HmacKeyFactory = async (keyBytes) => {
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return { sign: async (message) => toBase64(await crypto.subtle.sign('HMAC', key, encoder.encode(message))) };
};

/** A secret (`whsec_…`) as a signing key, by `factory` (Web Crypto by default). */
export function signingKey(secret: string, factory: HmacKeyFactory = webCryptoHmac): Promise<HmacKey> {
  return Promise.resolve(factory(secretKeyBytes(secret)));
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`; `timestamp` is in whole seconds since the epoch. */
export async function signPayload(
  secret: string | HmacKey,
  msgId: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const key = typeof secret === 'string' ? await signingKey(secret) : secret;
  return `v1,${await key.sign(`${msgId}.${timestamp}.${body}`)}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The three Standard Webhooks headers for one attempt. Every secret given signs (current first), so a
 * receiver still holding the previous secret during a rotation keeps verifying: the spec lets
 * `webhook-signature` carry several space-separated signatures and a receiver accepts any match.
 */
export async function signedHeaders(
  secrets: readonly (string | HmacKey)[],
  msgId: string,
  at: Date,
  body: string,
): Promise<SignedHeaders> {
  if (secrets.length === 0) throw new Error('at least one secret is needed to sign');
  const timestamp = Math.floor(at.getTime() / 1000);
  const signatures = await Promise.all(secrets.map((s) => signPayload(s, msgId, timestamp, body)));
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
