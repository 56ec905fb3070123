/** How many hosts one DATABASE_URL may name (libpq has no limit; ours keeps a probe round small). */
const MAX_HOSTS = 16;
const MAX_LENGTH = 4096;
const DEFAULT_PORT = 5432;
/** A host as a URL writes it: a name or IPv4 address (a unix socket directory percent-encoded), or [IPv6]. */
const HOST_ENTRY = /^(\[[0-9A-Fa-f:.]+(?:%25[A-Za-z0-9]+)?\]|[A-Za-z0-9._~%-]+)(?::(\d*))?$/;
/** Query parameters that name hosts themselves: with a host list in the URL they would be ambiguous. */
const HOST_PARAMS = ['host', 'hostaddr', 'port'];
/** target_session_attrs values that ask for a host that accepts writes (what Evently needs). */
const WRITABLE_ATTRS = new Set(['read-write', 'primary']);

export interface DatabaseUrl {
  /** `host:port` of each host, in the URL's order (for logs; no credentials). */
  readonly hosts: readonly string[];
  /** The same URL once per host, naming that host alone, in the URL's order. */
  readonly urls: readonly string[];
}

/**
 * Parses a libpq-style connection URL that may name several hosts,
 * `postgres://user:pass@h1:5432,h2:5432/db?sslmode=require`, into one single-host URL per host
 * (what pg and slonik understand). A URL naming one host comes back unchanged. Throws with a
 * message (never the password) on anything else: another scheme, whitespace or control
 * characters, an empty host entry, a port outside 1..65535, more than 16 hosts, host/port query
 * parameters next to a host list, or a target_session_attrs that would allow a read-only host.
 */
export function parseDatabaseUrl(raw: string): DatabaseUrl {
  if (typeof raw !== 'string' || raw.length === 0) throw new Error('is empty');
  if (raw.length > MAX_LENGTH) throw new Error(`is longer than ${MAX_LENGTH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) throw new Error('contains whitespace or control characters');
  const m = /^(postgres(?:ql)?):\/\/([^/?#]*)([/?#].*)?$/i.exec(raw);
  if (!m) throw new Error('must be a postgres:// or postgresql:// URL');
  const authority = m[2] as string;
  const rest = m[3] ?? '';
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const hostList = authority.slice(at + 1);
  const query = new URLSearchParams(/\?([^#]*)/.exec(rest)?.[1] ?? '');
  const attrs = query.get('target_session_attrs');
  if (attrs !== null && !WRITABLE_ATTRS.has(attrs)) {
    throw new Error('target_session_attrs must be read-write or primary (Evently writes)');
  }
  const entries = hostList === '' ? [] : hostList.split(',');
  if (entries.length > MAX_HOSTS) throw new Error(`names more than ${MAX_HOSTS} hosts`);
  const hosts = entries.map((entry, i) => parseHost(entry, i));
  if (hosts.length > 1) {
    for (const p of HOST_PARAMS) {
      if (query.has(p)) throw new Error(`names hosts in the URL and in ?${p}=: use one of them`);
    }
  }
  const urls = hosts.length <= 1 ? [raw] : hosts.map((h) => `${m[1]}://${userinfo}${h.written}${rest}`);
  for (const url of urls) {
    try {
      new URL(url);
    } catch {
      throw new Error('is not a valid URL');
    }
  }
  return {
    hosts: hosts.length === 0 ? ['(default)'] : hosts.map((h) => `${h.name}:${h.port}`),
    urls,
  };
}

function parseHost(entry: string, index: number): { name: string; port: number; written: string } {
  const where = `host ${index + 1}`;
  if (entry === '') throw new Error(`${where} is empty`);
  const m = HOST_ENTRY.exec(entry);
  if (!m) throw new Error(`${where} is not a host name, an address or [an IPv6 address]`);
  const name = m[1] as string;
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    throw new Error(`${where} has a broken %-escape`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\s\u0000-\u001f\u007f,@?#]/.test(decoded)) throw new Error(`${where} decodes to characters a host cannot have`);
  let port = DEFAULT_PORT;
  if (m[2] !== undefined) {
    if (!/^\d{1,5}$/.test(m[2])) throw new Error(`${where} needs a port after ':'`);
    port = Number(m[2]);
    if (port < 1 || port > 65535) throw new Error(`${where} has a port outside 1..65535`);
  }
  return { name: decoded, port, written: `${name}:${port}` };
}
