import type { Resolve } from './ssrf.ts';

interface DohAnswer {
  Answer?: { type: number; data: string }[];
}

/**
 * Resolves a host over DNS-over-HTTPS (JSON API), for runtimes without a DNS API (Workers).
 * A and AAAA answers are both checked by the URL guard.
 */
export function createDohResolver(
  endpoint = 'https://cloudflare-dns.com/dns-query',
  fetcher: typeof fetch = fetch,
): Resolve {
  return async (host) => {
    const lookups = ['A', 'AAAA'].map(async (type) => {
      const res = await fetcher(`${endpoint}?name=${encodeURIComponent(host)}&type=${type}`, {
        headers: { accept: 'application/dns-json' },
      });
      if (!res.ok) throw new Error(`DNS lookup failed: ${res.status}`);
      const json = (await res.json()) as DohAnswer;
      return (json.Answer ?? []).filter((a) => a.type === 1 || a.type === 28).map((a) => a.data);
    });
    return (await Promise.all(lookups)).flat();
  };
}
