/**
 * Time-sortable ids (ULID: 48-bit milliseconds + 80 random bits, Crockford base32, uppercase).
 * Monotonic within a millisecond, so ordering by id is ordering by creation, which cursors rely on.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
const lastRandom = new Uint8Array(10);

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits → 16 base32 characters.
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

function increment(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) {
    const v = bytes[i]!;
    if (v < 255) {
      bytes[i] = v + 1;
      return;
    }
    bytes[i] = 0;
  }
}

export function ulid(nowMs: number = Date.now()): string {
  if (nowMs <= lastTime) {
    increment(lastRandom);
  } else {
    lastTime = nowMs;
    crypto.getRandomValues(lastRandom);
    lastRandom[0]! &= 0x7f; // leave room to increment without overflow
  }
  return encodeTime(lastTime) + encodeRandom(lastRandom);
}

/** The smallest ULID of a millisecond: `id >= ulidFloor(t)` holds for every ULID made at or after `t`. */
export function ulidFloor(ms: number): string {
  return `${encodeTime(Math.max(0, Math.floor(ms)))}${'0'.repeat(16)}`;
}

/** Milliseconds encoded in a ULID, or NaN when it is not one. */
export function ulidTime(id: string): number {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) return Number.NaN;
  let t = 0;
  for (const ch of id.slice(0, 10)) t = t * 32 + ALPHABET.indexOf(ch);
  return t;
}
