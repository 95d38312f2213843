import { excerpt, type WebhookResponse, WebhookSendError, type WebhookTransport } from './transport.ts';

/**
 * Sends with `fetch` (Workers). Redirects are returned, never followed; the whole attempt is bounded
 * by the timeout. Workers' own egress cannot reach private addresses, and the URL guard still refuses
 * private literals and names before sending.
 */
export function createFetchTransport(fetcher: typeof fetch = fetch): WebhookTransport {
  return {
    async send(req): Promise<WebhookResponse> {
      const started = Date.now();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), req.timeoutMs);
      try {
        const res = await fetcher(req.url, {
          method: 'POST',
          headers: req.headers,
          body: req.body,
          redirect: 'manual',
          signal: controller.signal,
        });
        const bytes = await readAtMost(res, 4096);
        const headers: Record<string, string> = {};
        res.headers.forEach((value, key) => {
          headers[key.toLowerCase()] = value;
        });
        return { status: res.status, headers, bodyExcerpt: excerpt(bytes), durationMs: Date.now() - started };
      } catch (err) {
        const durationMs = Date.now() - started;
        if (controller.signal.aborted)
          throw new WebhookSendError('TIMEOUT', `no answer within ${req.timeoutMs} ms`, durationMs);
        throw new WebhookSendError('NETWORK', (err as Error).message ?? String(err), durationMs);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function readAtMost(res: Response, limit: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  const out = new Uint8Array(Math.min(total, limit));
  let offset = 0;
  for (const c of chunks) {
    const part = c.subarray(0, out.length - offset);
    out.set(part, offset);
    offset += part.length;
    if (offset >= out.length) break;
  }
  return out;
}
