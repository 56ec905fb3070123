import { AppError } from '../domain/app-error.js';

/** What a client is told to wait before retrying a command that found Redis away. */
export const REDIS_RETRY_AFTER_MS = 1000;

// The failures ioredis reports when Redis cannot be reached right now, as opposed to a command
// Redis answered with an error (WRONGTYPE, a script error: real bugs, left INTERNAL).
const UNAVAILABLE = [
  /Stream isn't writeable/,
  /Cluster isn't ready/,
  /Command timed out/,
  /Connection is closed/,
  /Cluster is disconnect/,
  /None of startup nodes is available/,
  /Node is disconnected/,
  /Too many Cluster redirections/,
  /Failed to refresh slots cache/,
  /Reached the max retries per request limit/,
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT/,
  /^LOADING /,
  /^CLUSTERDOWN /,
  /^TRYAGAIN /,
  /^MASTERDOWN /,
  // Sentinel: a demoted master refuses writes until the client has followed the failover;
  // no Sentinel names a master yet, or every Sentinel is away.
  /^READONLY /,
  /All sentinels are unreachable/,
];

/** Whether the error means "Redis is unavailable for now" (retrying later may succeed). */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError' || err.name === 'ClusterAllFailedError') return true;
  return UNAVAILABLE.some((re) => re.test(err.message));
}

/**
 * Translates "Redis is away" into a retryable OVERLOADED with `retryAfterMs`, once, at the edge:
 * the command was shed, not queued until Redis returns (a client would wait forever).
 */
export function translateRedisError(err: unknown): unknown {
  if (!isRedisUnavailable(err)) return err;
  return new AppError(
    'OVERLOADED',
    'a backing store is unavailable, retry shortly',
    { retryAfterMs: REDIS_RETRY_AFTER_MS },
    true,
  );
}
