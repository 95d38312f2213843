import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Which peers' `X-Forwarded-For` to believe. `loopback` trusts 127.0.0.0/8 and ::1; otherwise a list
 * of CIDRs. An untrusted peer's header changes nothing: the socket address is the client.
 */
export function createProxyTrust(spec: string[] | null): (address: string) => boolean {
  if (!spec || spec.length === 0) return () => false;
  const ranges: Range[] = [];
  for (const item of spec) {
    if (item === 'loopback') {
      ranges.push(ipaddr.parseCIDR('127.0.0.0/8'), ipaddr.parseCIDR('::1/128'));
    } else if (item.includes('/')) {
      ranges.push(ipaddr.parseCIDR(item));
    } else {
      const addr = ipaddr.parse(item);
      ranges.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
    }
  }
  return (address) => {
    const addr = parseAddress(address);
    if (!addr) return false;
    return ranges.some(([net, bits]) => addr.kind() === net.kind() && addr.match([net, bits] as never));
  };
}

/** Parses an address, unwrapping IPv4-mapped IPv6 (`::ffff:1.2.3.4`) so ranges match as written. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    const addr = ipaddr.parse(text.trim().replace(/^\[|\]$/g, ''));
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      return (addr as ipaddr.IPv6).toIPv4Address();
    }
    return addr;
  } catch {
    return null;
  }
}

/**
 * The client address: walk `X-Forwarded-For` from the right while each hop is trusted; the first
 * untrusted address is the client. Without a trusted peer the header is ignored.
 */
export function resolveClientIp(
  socketAddress: string | null,
  forwardedFor: string | null,
  trusted: (address: string) => boolean,
): string | null {
  if (!socketAddress) return null;
  const socket = parseAddress(socketAddress)?.toString() ?? socketAddress;
  if (!forwardedFor || !trusted(socket)) return socket;
  const hops = forwardedFor
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  let client = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i] ?? '');
    if (!hop) break;
    client = hop.toString();
    if (!trusted(client)) break;
  }
  return client;
}
