import ipaddr from 'ipaddr.js';

/**
 * The SSRF guard for webhook URLs. A webhook makes the service send requests wherever an admin
 * points it, so every address a URL leads to must be on the public internet: otherwise a webhook
 * could reach the service's own network (metadata endpoints, databases, admin panels).
 * Checked at registration and again at connection time (the transport re-checks each resolved
 * address), because DNS can answer differently the second time (rebinding).
 */

/** Resolves a host name to all its addresses (A and AAAA); injected because each runtime resolves differently. */
export type Resolve = (host: string) => Promise<string[]>;

export type GuardResult =
  | { ok: true; url: URL; addresses: string[] }
  | { ok: false; reason: string; address?: string | undefined };

export interface UrlGuard {
  /** Whether private targets are allowed (WEBHOOK_ALLOW_PRIVATE): then only scheme and credentials are checked. */
  readonly allowPrivate: boolean;
  /** Parses, checks and resolves a URL; every resolved address must be public. */
  check(url: string): Promise<GuardResult>;
  /** Null when a resolved address may be connected to, else why not. */
  checkAddress(address: string): string | null;
}

/** IPv4 ranges ipaddr.js names that are not public unicast; only `unicast` is allowed. */
const IPV4_ALLOWED = 'unicast';

/**
 * Why an IP address is not a public destination, or null when it is. IPv6 forms that carry an IPv4
 * address (mapped, translated, NAT64, 6to4, Teredo) are judged by the IPv4 address they lead to.
 */
export function classifyAddress(address: string): string | null {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(text)) return 'invalid address';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(text);
  } catch {
    return 'invalid address';
  }
  if (parsed.kind() === 'ipv4') return classifyV4(parsed as ipaddr.IPv4);
  return classifyV6(parsed as ipaddr.IPv6);
}

function classifyV4(ip: ipaddr.IPv4): string | null {
  const range = ip.range();
  if (range !== IPV4_ALLOWED) return range;
  return null;
}

function v4FromParts(hi: number, lo: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function classifyV6(ip: ipaddr.IPv6): string | null {
  const p = ip.parts;
  const part = (i: number) => p[i] ?? 0;
  const range = ip.range();
  const embedded = (label: string, v4: ipaddr.IPv4): string | null => {
    const inner = classifyV4(v4);
    return inner ? `${label} ${v4.toString()} (${inner})` : null;
  };
  switch (range) {
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return embedded(range, v4FromParts(part(6), part(7)));
    case '6to4':
      return embedded('6to4', v4FromParts(part(1), part(2)));
    case 'teredo':
      // Teredo carries the server address in clear and the client address bit-inverted.
      return (
        embedded('teredo server', v4FromParts(part(2), part(3))) ??
        embedded('teredo client', v4FromParts(~part(6) & 0xffff, ~part(7) & 0xffff))
      );
    case 'unicast':
      // Only global unicast (2000::/3) is routed on the internet; this also refuses the deprecated
      // IPv4-compatible form ::a.b.c.d, which ipaddr.js calls unicast.
      if ((part(0) & 0xe000) !== 0x2000) return 'not global unicast';
      return null;
    default:
      return range;
  }
}

/**
 * Host of a URL as an address when it is an IP literal. The WHATWG URL parser already turns integer,
 * octal and hex IPv4 forms (`2130706433`, `0x7f.1`, `017700000001`) into dotted decimal; the extra
 * check catches any form it might leave for a resolver to interpret loosely.
 */
function literalAddress(hostname: string): string | null {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (ipaddr.IPv6.isValid(host) && host.includes(':')) return host;
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) return host;
  if (ipaddr.IPv4.isValid(host)) return ipaddr.IPv4.parse(host).toString();
  return null;
}

export function createUrlGuard(options: { resolve: Resolve; allowPrivate: boolean }): UrlGuard {
  const { resolve, allowPrivate } = options;
  const checkAddress = (address: string): string | null => (allowPrivate ? null : classifyAddress(address));
  return {
    allowPrivate,
    checkAddress,
    async check(raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return { ok: false, reason: 'invalid URL' };
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'only http and https' };
      if (url.username || url.password) return { ok: false, reason: 'credentials in URL' };
      if (!url.hostname) return { ok: false, reason: 'no host' };
      const literal = literalAddress(url.hostname);
      if (literal) {
        const why = checkAddress(literal);
        return why ? { ok: false, reason: why, address: literal } : { ok: true, url, addresses: [literal] };
      }
      if (allowPrivate) return { ok: true, url, addresses: [] };
      let addresses: string[];
      try {
        addresses = await resolve(url.hostname);
      } catch {
        return { ok: false, reason: 'host does not resolve' };
      }
      if (addresses.length === 0) return { ok: false, reason: 'host does not resolve' };
      for (const address of addresses) {
        const why = checkAddress(address);
        if (why) return { ok: false, reason: why, address };
      }
      return { ok: true, url, addresses };
    },
  };
}

/** For runtimes without DNS: only IP-literal URLs can be checked, so host names are refused. */
export const noResolver: Resolve = async () => [];
