import pg from 'pg';
import { parseDatabaseUrl } from './parse-database-url.js';

/** No host of a multi-host DATABASE_URL accepts writes right now (a failover under way). */
export class NoWritableHostError extends Error {
  constructor(readonly findings: readonly string[]) {
    super(`no host of DATABASE_URL accepts writes (${findings.join('; ')})`);
  }
}

export interface HostLocator {
  /** Single-host URLs in the order DATABASE_URL names them. */
  readonly urls: readonly string[];
  /** The URL of the host that accepts writes: known, or found now (throws NoWritableHostError). */
  writable(): Promise<string>;
  /** The host that accepts writes, if known now (no probe). */
  known(): string | null;
  /** `url` failed (connection error, or it refused a write as read-only): find the writable host again. */
  lost(url: string): void;
}

export interface LocatorOptions {
  /** A host that has not answered the probe in this long counts as down. */
  probeTimeoutMs?: number;
  /** After a probe round found nothing, callers get that answer at once for this long. */
  retryMs?: number;
}

/** `host:port` of a single-host URL, for messages (never the credentials). */
function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${decodeURIComponent(u.hostname)}:${u.port || 5432}`;
  } catch {
    return '(host)';
  }
}

/**
 * Whether the host accepts writes, as libpq's target_session_attrs=read-write decides it:
 * not a standby in recovery and not read-only by default.
 */
async function probe(url: string, timeoutMs: number): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ recovery: boolean; ro: string }>(
      `SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS ro`,
    );
    const row = rows[0];
    if (!row) return 'no answer';
    if (row.recovery) return 'in recovery';
    if (row.ro === 'on') return 'read-only';
    return null;
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).message ?? 'unreachable';
  } finally {
    client.end().catch(() => {});
  }
}

/**
 * Finds and remembers which host of a DATABASE_URL accepts writes. One host: that host, never
 * probed (exactly what a single-host URL always meant). Several: every host is probed at once
 * and the first writable one in the URL's order wins; callers meanwhile share that one probe
 * round, and a round that found none is the answer for `retryMs` (no probe storm while a standby
 * is being promoted). A host reported lost is forgotten and the next caller probes again.
 */
export function createHostLocator(databaseUrl: string, o: LocatorOptions = {}): HostLocator {
  const { urls } = parseDatabaseUrl(databaseUrl);
  const probeTimeoutMs = o.probeTimeoutMs ?? 2000;
  const retryMs = o.retryMs ?? 200;
  const single = urls.length === 1;
  let current: string | null = single ? (urls[0] as string) : null;
  let round: Promise<string> | null = null;
  let failed: { at: number; error: NoWritableHostError } | null = null;

  const find = async (): Promise<string> => {
    const findings = await Promise.all(urls.map((u) => probe(u, probeTimeoutMs)));
    const index = findings.indexOf(null);
    if (index < 0) throw new NoWritableHostError(urls.map((u, i) => `${hostOf(u)}: ${findings[i]}`));
    return urls[index] as string;
  };

  return {
    urls,
    known: () => current,
    writable() {
      if (current) return Promise.resolve(current);
      if (failed && Date.now() - failed.at < retryMs) return Promise.reject(failed.error);
      round ??= find().then(
        (url) => {
          round = null;
          failed = null;
          current = url;
          return url;
        },
        (err: NoWritableHostError) => {
          round = null;
          failed = { at: Date.now(), error: err };
          throw err;
        },
      );
      return round;
    },
    lost(url) {
      if (!single && current === url) current = null;
    },
  };
}

/**
 * The single-host URL of the host that accepts writes, trying for up to `waitMs` (start-up and
 * scripts: a failover in progress is waited out, not failed).
 */
export async function findWritableUrl(databaseUrl: string, waitMs = 30_000): Promise<string> {
  const locator = createHostLocator(databaseUrl);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await locator.writable();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
