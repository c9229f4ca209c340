/**
 * Address lists in the environment: KELID_TRUST_PROXY (issue 12), which proxies in front may
 * tell the client's address, as Fastify's `trustProxy` takes it; KELID_METRICS_FROM, which
 * addresses may scrape /metrics (http/ops.ts).
 */
import { BlockList, isIP } from 'node:net';
import { ConfigError, type Env } from './env.ts';

// proxy-addr's names for address ranges, as Fastify's trustProxy accepts them, and what they name.
const RANGE_NAMES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * A comma list of IP addresses, CIDR ranges and the names above, each checked; `tooWide`, when
 * given, says which ranges `variable` refuses (why, in its message). Throws ConfigError.
 */
function addressList(variable: string, raw: string, tooWide?: { check: (address: string, family: number, bits: number) => boolean; why: string }): string[] {
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    if (entry in RANGE_NAMES) continue;
    const [address = '', bits, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
    if (family === 0 || !validBits || extra !== undefined) {
      throw new ConfigError(variable, `takes ${tooWide ? 'a hop count or ' : ''}IP addresses and CIDR ranges, got "${entry}"`);
    }
    if (tooWide && bits !== undefined && tooWide.check(address, family, Number(bits))) throw new ConfigError(variable, `takes ${tooWide.why.replace('{entry}', entry)}`);
  }
  return entries;
}

/** Whether an address is in one of an address list's entries (addressList's): addresses, CIDR ranges, names. */
export function addressMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => RANGE_NAMES[e] ?? [e])) {
    const [address = '', bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * KELID_METRICS_FROM: the addresses that may read /metrics, a comma list as KELID_TRUST_PROXY's
 * (any range allowed); by default the machine itself and private networks, where a Prometheus
 * of the cluster or the host scrapes from.
 */
export const metricsScrapers = (env: Env): string[] => addressList('KELID_METRICS_FROM', env.KELID_METRICS_FROM?.trim() || 'loopback, linklocal, uniquelocal');

/**
 * KELID_TRUST_PROXY: `0` (default), a hop count (`1`: one load balancer in front), or a comma
 * list of proxy addresses and CIDR ranges (`10.0.0.0/8, 192.168.1.7`, or `loopback`…).
 * `true` is refused: trusting every hop lets the client pick the address its limits and the
 * audit see (X-Forwarded-For's first entries are whatever the client wrote). So are ranges
 * wider than /8 (IPv4) or /16 (IPv6, private ranges excepted): `0.0.0.0/0` is `true` in disguise,
 * and so is `::ffff:0:0/96`, as IPv4 clients are matched as IPv4-mapped IPv6 addresses: an IPv6
 * range holding IPv4-mapped ones must be /104 or longer (an IPv4 /8).
 */
export function trustedProxies(env: Env): false | number | string[] {
  const raw = env.KELID_TRUST_PROXY?.trim() ?? '';
  if (raw === '' || ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) throw new ConfigError('KELID_TRUST_PROXY', `counts proxy hops (1–10), got ${hops}`);
    return hops;
  }
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) {
    throw new ConfigError('KELID_TRUST_PROXY', 'must be a hop count (e.g. 1) or a list of proxy addresses, not "true": trusting every hop lets clients choose their own address');
  }
  return addressList('KELID_TRUST_PROXY', raw, {
    check: tooWide,
    why: `the proxies' own addresses or ranges, not "{entry}": every client in so wide a range could write its own address; the shortest ranges are /${MIN_PROXY_BITS.v4} (IPv4) and /${MIN_PROXY_BITS.v6} (IPv6, or "uniquelocal")`,
  });
}

/** The widest proxy ranges trusted: `0.0.0.0/0` or `::/0` would let the whole Internet pick its own address. */
const MIN_PROXY_BITS = { v4: 8, v6: 16 } as const;

const IPV4_MAPPED = new BlockList();
IPV4_MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

/** Whether an IPv6 range holds IPv4-mapped addresses (::ffff:0:0/96) wider than an IPv4 /8. */
function mapsWideIpv4(address: string, bits: number): boolean {
  if (bits >= 96) return bits < 96 + MIN_PROXY_BITS.v4 && IPV4_MAPPED.check(address, 'ipv6');
  const range = new BlockList();
  range.addSubnet(address, bits, 'ipv6');
  return range.check('::ffff:0:0', 'ipv6');
}

/** Shorter than the minimum, except an IPv6 range inside the private fc00::/7 (uniquelocal) or fe80::/10 (linklocal); IPv4 in IPv6 as IPv4. */
function tooWide(address: string, family: number, bits: number): boolean {
  if (family === 4) return bits < MIN_PROXY_BITS.v4;
  if (mapsWideIpv4(address, bits)) return true;
  if (bits >= MIN_PROXY_BITS.v6) return false;
  const first = address.startsWith('::') ? 0 : Number.parseInt(address.split(':')[0] ?? '0', 16);
  return !((bits >= 7 && first >> 9 === 0b1111110) || (bits >= 10 && first >> 6 === 0b1111111010));
}
