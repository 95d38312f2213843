import type { MiddlewareHandler } from 'hono';
import { DomainError } from '../../core/errors.ts';
import type { HonoEnv } from '../env.ts';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Guards every JSON body before validation: 415 for another content type, 413 over the limit
 * (counted in bytes, whether or not Content-Length is sent), 400 for malformed JSON. The parsed body is
 * cached by Hono, so validators read it without parsing again.
 */
export function jsonBody(limitBytes: number): MiddlewareHandler<HonoEnv> {
  return async function jsonBodyMiddleware(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'DELETE' || c.req.method === 'OPTIONS') {
      return next();
    }
    const length = c.req.header('content-length');
    if (length && Number(length) > limitBytes) throw new DomainError('PAYLOAD_TOO_LARGE', {}, { limit: limitBytes });
    const type = c.req.header('content-type') ?? '';
    if (type && !JSON_TYPE.test(type)) throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
    const raw = c.req.raw;
    // With a declared length within the limit the runtime reads the body in one piece (on Node without
    // building a web stream); without one it is streamed and counted, so an endless body stops at the limit.
    // An empty body on an action endpoint is an empty object; validators decide what is required.
    let text: string;
    if (length !== undefined && /^\d+$/.test(length)) {
      const bytes = new Uint8Array(await raw.arrayBuffer());
      if (bytes.byteLength > limitBytes) throw new DomainError('PAYLOAD_TOO_LARGE', {}, { limit: limitBytes });
      text = new TextDecoder().decode(bytes);
    } else {
      text = raw.body ? new TextDecoder().decode(await readLimited(raw.body, limitBytes)) : '';
    }
    if (text.trim() === '') {
      text = '{}';
    } else {
      if (!type) throw new DomainError('UNSUPPORTED_MEDIA_TYPE');
      try {
        JSON.parse(text);
      } catch {
        throw new DomainError('INVALID_JSON');
      }
    }
    cacheText(c.req, text);
    return next();
  };
}

/** Hono's request caches the body text; validators then read it instead of the consumed stream. */
function cacheText(req: unknown, text: string): void {
  (req as { bodyCache: { text?: Promise<string> } }).bodyCache.text = Promise.resolve(text);
}

async function readLimited(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new DomainError('PAYLOAD_TOO_LARGE', {}, { limit });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
