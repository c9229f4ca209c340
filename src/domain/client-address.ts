import { isIP } from 'node:net';

/**
 * The key a per-address limit counts under. An IPv4 address is one client (or one school's
 * NAT). An IPv6 client holds a whole /64 at least (RFC 6177: every customer network gets one,
 * and SLAAC privacy addresses rotate inside it), so counting single IPv6 addresses gave one
 * machine 2⁶⁴ fresh counters: the limits count the /64. An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.7`, as a dual-stack socket reports IPv4 clients) is its IPv4 address.
 * Anything that is not an address (a proxy's odd header) counts as itself.
 */
export function addressKey(ip: string): string {
  const address = ip.trim().toLowerCase().replace(/%.*$/, '');
  if (!address.includes(':')) return ip;
  const hextets = expandIpv6(address);
  if (hextets === undefined) return ip;
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    return [hextets[6]! >> 8, hextets[6]! & 0xff, hextets[7]! >> 8, hextets[7]! & 0xff].join('.');
  }
  return `${hextets.slice(0, 4).map((h) => h.toString(16)).join(':')}::/64`;
}

/**
 * One X-Forwarded-For entry as a bare address: `ip`, `ip:port` (Azure's Application Gateway
 * writes IPv4 clients with their port), `[ipv6]` or `[ipv6]:port`, a port being 0–65535; an
 * IPv6 zone id (`%eth0`, meaningless beyond its host) is taken off, an IPv4-mapped IPv6
 * address (`::ffff:192.0.2.7`) is its IPv4 address, as addressKey counts it, and any other IPv6
 * address is written as RFC 5952 says (`2001:DB8:0::1` → `2001:db8::1`), so the audit and an
 * allow list see an address one way. Undefined for anything else.
 */
export function forwardedAddress(entry: string): string | undefined {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const withPort = bracketed ? undefined : /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  const port = bracketed?.[2] ?? withPort?.[2];
  if (port !== undefined && Number(port) > 65_535) return undefined;
  const candidate = bracketed?.[1] ?? withPort?.[1] ?? text;
  const kind = isIP(candidate);
  if (kind === 4) return candidate;
  if (kind !== 6) return undefined;
  const address = candidate.replace(/%.*$/, '');
  // addressKey answers an IPv4-mapped address's IPv4 address, any other its /64.
  const key = addressKey(address);
  // WHATWG URL's host serializer writes an IPv6 address one way (RFC 5952: lower case, the longest run of zeros as ::).
  return isIP(key) === 4 ? key : new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/**
 * X-Forwarded-For made of bare addresses, for the trusted-proxy rule to read (Fastify's
 * `request.ip`, proxy-addr), which otherwise took any text a proxy wrote there as the client:
 * `203.0.113.5:1111` and `:2222` were two clients to every per-address limit, and `garbage`
 * went to the audit. Read from the nearest hop (the last entry) outwards, each entry is made
 * bare (forwardedAddress); from the first that is not an address on, the rest (farther,
 * written by whoever stands beyond) is dropped, so the client is the farthest address still
 * told, at worst the proxy itself: a stricter limit, never a free one. Answers the new value
 * (undefined when no entry is left) and whether anything was dropped.
 */
export function bareForwardedFor(header: string): { value: string | undefined; dropped: boolean } {
  const entries = header.split(',');
  const kept: string[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const address = forwardedAddress(entries[i]!);
    if (address === undefined) return { value: kept.length === 0 ? undefined : kept.reverse().join(', '), dropped: true };
    kept.push(address);
  }
  return { value: kept.reverse().join(', '), dropped: false };
}

/** The key of a client address that may be unknown (no socket address): those all count as one, `unknown`. */
export const addressKeyOf = (ip: string | null | undefined): string => (ip === null || ip === undefined ? 'unknown' : addressKey(ip));

/** The eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail allowed), or undefined. */
function expandIpv6(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (text: string | undefined): number[] | undefined => {
    if (text === undefined || text === '') return [];
    const out: number[] = [];
    const parts = text.split(':');
    for (const [index, part] of parts.entries()) {
      const dotted = index === parts.length - 1 ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(part) : null;
      if (dotted) {
        const bytes = dotted.slice(1).map(Number);
        if (bytes.some((b) => b > 255)) return undefined;
        out.push((bytes[0]! << 8) | bytes[1]!, (bytes[2]! << 8) | bytes[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(part)) {
        out.push(Number.parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}
