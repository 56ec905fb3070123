import { BlockList, isIP } from 'node:net';

/**
 * `::ffff:7f00:1` and uWS's fully expanded `0000:...:ffff:7f00:0001` are IPv4 clients: one
 * spelling per client, so limits per address cannot be dodged by changing the notation.
 */
export function normalizeAddress(raw: string): string {
  const ip = raw.trim().replace(/^\[|\]$/g, '');
  const kind = isIP(ip);
  if (kind !== 6) return ip;
  const groups = expandIpv6(ip);
  if (groups?.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6] as number, groups[7] as number];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return groups ? groups.map((g) => g.toString(16)).join(':') : ip.toLowerCase();
}

/**
 * The address as per-address limits count it: an IPv4 address as is, an IPv6 address as its
 * /64 (`2001:db8:1:2::/64`). One subscriber line or host is usually given a whole /64, so
 * counting full IPv6 addresses would give each client 2^64 allowances.
 */
export function limitAddressOf(address: string): string {
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  return groups
    ? `${groups
        .slice(0, 4)
        .map((g) => g.toString(16))
        .join(':')}::/64`
    : address;
}

function expandIpv6(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -(v4[1] as string).length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? h.length !== 8 : missing < 0) return null;
  const all = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...t].map((g) => Number.parseInt(g, 16));
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : null;
}

export type IsTrustedProxy = (address: string) => boolean;

/** `TRUSTED_PROXIES`: addresses and CIDR ranges (`10.0.0.0/8`, `::1`) of the load balancers in front. */
export function createTrustedProxies(entries: readonly string[]): IsTrustedProxy {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, bits] = entry.split('/') as [string, string | undefined];
    const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return (address) => {
    const kind = isIP(address);
    return kind !== 0 && list.check(address, kind === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * The client's address: the peer, unless the peer is a trusted proxy, in which case the
 * `X-Forwarded-For` entries are walked from the right (each one added by the hop after it) and
 * the first that is not a trusted proxy is the client. Entries left of it were written by the
 * client itself and prove nothing, so a spoofed header cannot pick someone else's address.
 */
export function clientAddressOf(peer: string, forwardedFor: string | undefined, isTrusted: IsTrustedProxy): string {
  let client = normalizeAddress(peer);
  if (!forwardedFor || !isTrusted(client)) return client;
  const hops = forwardedFor.split(',').map((h) => normalizeAddress(h));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (isIP(hop) === 0) return client; // garbage in the header: stop at the last good hop
    client = hop;
    if (!isTrusted(hop)) return hop;
  }
  return client;
}

/** The client's address (clientAddressOf) as every per-address limit counts it (limitAddressOf). */
export function limitedClientAddressOf(peer: string, forwardedFor: string | undefined, isTrusted: IsTrustedProxy): string {
  return limitAddressOf(clientAddressOf(peer, forwardedFor, isTrusted));
}
