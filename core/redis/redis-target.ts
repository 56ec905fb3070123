/** Where Redis is: one server (or a managed endpoint), the seed nodes of a Redis Cluster, or the
 * Sentinels that know which server of a replicated group is the master. */
export type RedisTarget = (
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly { readonly host: string; readonly port: number }[];
      readonly username?: string;
      readonly password?: string;
      readonly tls: boolean;
    }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly { readonly host: string; readonly port: number }[];
      /** The master group name the Sentinels monitor (REDIS_SENTINEL_NAME). */
      readonly name: string;
      /** Credentials of the data nodes (the master and its replicas). */
      readonly username?: string;
      readonly password?: string;
      /** The Sentinels' own password, when they have one (REDIS_SENTINEL_PASSWORD). */
      readonly sentinelPassword?: string;
      readonly tls: boolean;
    }
) & {
  /** How long a command waits for its answer before it fails (REDIS_COMMAND_TIMEOUT_MS). */
  readonly commandTimeoutMs?: number;
  /** One socket write per connection and event-loop turn (REDIS_COALESCE_WRITES; default on). */
  readonly coalesceWrites?: boolean;
};

/**
 * Parses `REDIS_CLUSTER_NODES`: `host:port` or `redis://[user:pass@]host:port` entries, comma
 * separated (`rediss://` for TLS; credentials and TLS must agree across entries). Throws with a
 * message naming the bad entry.
 */
export function parseClusterNodes(raw: string): Extract<RedisTarget, { kind: 'cluster' }> {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('needs at least one host:port');
  const parsed = entries.map((entry) => {
    const url = new URL(/^[a-z]+:\/\//i.test(entry) ? entry : `redis://${entry}`);
    if (!/^rediss?:$/.test(url.protocol)) throw new Error(`${entry}: must be host:port or a redis:// URL`);
    const port = Number(url.port);
    if (!url.hostname || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`${entry}: needs a host and a port`);
    if (url.pathname !== '' && url.pathname !== '/') throw new Error(`${entry}: a cluster has no databases (no /db)`);
    return {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port,
      username: decodeURIComponent(url.username) || undefined,
      password: decodeURIComponent(url.password) || undefined,
      tls: url.protocol === 'rediss:',
    };
  });
  const first = parsed[0] as (typeof parsed)[number];
  for (const p of parsed) {
    if (p.tls !== first.tls || p.password !== first.password || p.username !== first.username) {
      throw new Error('every node needs the same scheme and credentials');
    }
  }
  return {
    kind: 'cluster',
    nodes: parsed.map(({ host, port }) => ({ host, port })),
    username: first.username,
    password: first.password,
    tls: first.tls,
  };
}

/**
 * Parses `REDIS_SENTINELS`: the Sentinels, written as `REDIS_CLUSTER_NODES` entries are
 * (`host:port` or `redis://[user:pass@]host:port`; credentials in the entries are the data
 * nodes', `rediss://` is TLS to the data nodes and the Sentinels). Throws naming the bad entry.
 */
export function parseSentinels(raw: string, name: string, sentinelPassword?: string): Extract<RedisTarget, { kind: 'sentinel' }> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new Error('the master group name must be 1-64 of A-Z a-z 0-9 . _ -');
  const { nodes, username, password, tls } = parseClusterNodes(raw);
  return { kind: 'sentinel', sentinels: nodes, name, username, password, sentinelPassword, tls };
}
