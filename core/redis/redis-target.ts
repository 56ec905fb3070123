/** Where Redis is: one server (or a managed endpoint) or the seed nodes of a Redis Cluster. */
export type RedisTarget = (
  | { readonly kind: 'single'; readonly url: string }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly { readonly host: string; readonly port: number }[];
      readonly username?: string;
      readonly password?: string;
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

/** For logs: where Redis is, without credentials. */
export function describeRedisTarget(t: RedisTarget): string {
  if (t.kind === 'cluster') return `cluster ${t.nodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
  const url = new URL(t.url);
  url.username = '';
  url.password = '';
  return url.toString();
}
