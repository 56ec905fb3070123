import { isIP } from 'node:net';
import os from 'node:os';
import { z } from 'zod';
import { parseDatabaseUrl } from './db/parse-database-url.js';
import { isPublishedSecret } from './published-secrets.js';
import { parseClusterNodes, parseSentinels, type RedisTarget } from './redis/redis-target.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** A string `parse` accepts; the message it throws is the problem reported. */
const parsedBy = (parse: (raw: string) => unknown) =>
  z.string().superRefine((raw, ctx) => {
    try {
      parse(raw);
    } catch (err) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
    }
  });

/** `a, b,,c` -> ['a', 'b', 'c']; unset or empty -> []. */
const commaList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** An origin is scheme://host[:port] with nothing after it: what browsers send in `Origin`. */
function isOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === value;
  } catch {
    return false;
  }
}

function isAddressOrRange(value: string): boolean {
  const [addr, bits, ...rest] = value.split('/');
  const kind = isIP(addr ?? '');
  if (kind === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (kind === 4 ? 32 : 128));
}

/**
 * For the same-origin web app the gateway serves at `/`: its own scripts, styles (inline style
 * attributes too: React and uPlot set them) and API/socket calls, nothing framed or framing it.
 */
const DEFAULT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** SHOP_URL without its trailing slash; null when unset or not an origin (reported by its own setting). */
function shopOriginOf(raw: string | undefined): string | null {
  const origin = raw?.replace(/\/$/, '');
  return origin && isOrigin(origin) ? origin : null;
}

/** DEFAULT_CSP, with the shop's origin (and its WebSocket form) allowed to connect to. */
function defaultCspFor(shopOrigin: string | null): string {
  if (!shopOrigin) return DEFAULT_CSP;
  const ws = shopOrigin.replace(/^http/, 'ws');
  return DEFAULT_CSP.replace("connect-src 'self'", `connect-src 'self' ${shopOrigin} ${ws}`);
}

/** One environment variable, read into the property it is declared under. */
const setting = <N extends string, S extends z.ZodTypeAny>(name: N, schema: S) =>
  z.object({ [name]: schema } as { [K in N]: S }).transform((vars) => vars[name] as z.output<S>);

/** Properties that each read what they need from the whole environment. */
const group = <S extends z.ZodRawShape>(shape: S) =>
  z.preprocess((env) => Object.fromEntries(Object.keys(shape).map((key) => [key, env])), z.object(shape));

/**
 * The whole environment, validated once: each variable is declared once, under the property it
 * becomes. Nothing else reads `process.env`: the frozen result is passed down. Units are in the
 * names so tests can shrink them.
 */
const ConfigSchema = group({
  env: setting('NODE_ENV', z.enum(['development', 'production', 'test']).default('development')),
  logLevel: setting('LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  instanceId: setting('INSTANCE_ID', z.string().min(1).max(100).default(`${os.hostname()}-${process.pid}`)),
  host: setting('HOST', z.string().min(1).default('0.0.0.0')),
  port: setting('PORT', int(0, 65535).default(3000)),
  /**
   * Which commands this gateway serves. `queue`: the waiting crowd (queue:join, queue:status,
   * availability:*); `shop`: admitted buyers (seat maps, holds, confirms, releases, bookings,
   * waitlists, me:state), seat maps and holds only for admitted users; `all`: both, one tier.
   * A command sent to the other tier is refused (FORBIDDEN) and changes nothing.
   */
  gatewayRole: setting('GATEWAY_ROLE', z.enum(['all', 'queue', 'shop']).default('all')),
  /**
   * Where admitted buyers shop: the shop tier's public origin, told in every admission
   * (`shopUrl`). Unset: admissions name no shop, the buyer stays where they are (one tier).
   */
  shopUrl: setting(
    'SHOP_URL',
    z
      .string()
      .url()
      .refine((u) => isOrigin(u.replace(/\/$/, '')), 'must be an origin like https://shop.tickets.example.com')
      .optional()
      .transform((u) => shopOriginOf(u)),
  ),
  /** One host or several (libpq syntax `postgres://user@h1:5432,h2:5432/db`): the writable one is used. */
  databaseUrl: setting('DATABASE_URL', parsedBy(parseDatabaseUrl)),
  pgPoolSize: setting('PG_POOL_SIZE', int(1, 200).default(20)),
  /** One Redis server, a Redis Cluster or a Sentinel-watched master (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS). */
  redis: z
    .object({
      REDIS_URL: z
        .string()
        .url()
        .refine((u) => /^rediss?:/.test(u), 'must be a redis:// URL')
        .optional(),
      /** Seed nodes of a Redis Cluster instead of REDIS_URL: `host:port,host:port,...`. */
      REDIS_CLUSTER_NODES: parsedBy(parseClusterNodes).optional(),
      /** Redis Sentinels instead of REDIS_URL: `host:port,host:port,...`; they name the master. */
      REDIS_SENTINELS: parsedBy(parseClusterNodes).optional(),
      /** The master group name the Sentinels monitor. */
      REDIS_SENTINEL_NAME: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 . _ -')
        .default('mymaster'),
      /** The Sentinels' own password (their requirepass), when they have one. */
      REDIS_SENTINEL_PASSWORD: z.string().min(1).max(512).optional(),
      /** A Redis command that gets no answer in this long fails (retryable) instead of waiting. */
      REDIS_COMMAND_TIMEOUT_MS: int(50, 60_000).default(2000),
      REDIS_COALESCE_WRITES: bool.default('true'),
    })
    .transform(
      (e): RedisTarget => ({
        ...(e.REDIS_CLUSTER_NODES
          ? parseClusterNodes(e.REDIS_CLUSTER_NODES)
          : e.REDIS_SENTINELS
            ? parseSentinels(e.REDIS_SENTINELS, e.REDIS_SENTINEL_NAME, e.REDIS_SENTINEL_PASSWORD)
            : { kind: 'single', url: e.REDIS_URL as string }),
        commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
        coalesceWrites: e.REDIS_COALESCE_WRITES,
      }),
    ),
  redisPrefix: setting(
    'REDIS_PREFIX',
    z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9:_-]+$/)
      .default('evently:'),
  ),
  socketAdapter: setting('SOCKET_ADAPTER', z.enum(['sharded', 'pubsub']).default('sharded')),
  jwtAccessSecret: setting('JWT_ACCESS_SECRET', z.string().min(32, 'must be at least 32 characters')),
  admissionTokenSecret: setting('ADMISSION_TOKEN_SECRET', z.string().min(32, 'must be at least 32 characters')),
  accessTokenTtlSeconds: setting('ACCESS_TOKEN_TTL_SECONDS', int(10, 86_400).default(900)),
  refreshTokenTtlSeconds: setting('REFRESH_TOKEN_TTL_SECONDS', int(60, 90 * 86_400).default(30 * 86_400)),
  /** The administrator created at start (ADMIN_EMAIL and ADMIN_PASSWORD together), or none. */
  admin: z
    .object({ ADMIN_EMAIL: z.string().email().optional(), ADMIN_PASSWORD: z.string().min(8).max(256).optional() })
    .transform(({ ADMIN_EMAIL: email, ADMIN_PASSWORD: password }) =>
      email && password ? { email: email.toLowerCase(), password } : null,
    ),
  holdTtlSeconds: setting('HOLD_TTL_SECONDS', int(5, 3600).default(300)),
  maxSeatsPerUser: setting('MAX_SEATS_PER_USER', int(1, 100).default(6)),
  admission: group({
    maxActive: setting('ADMISSION_MAX_ACTIVE', int(1, 1_000_000).default(500)),
    admitPerTick: setting('ADMISSION_ADMIT_PER_TICK', int(1, 100_000).default(50)),
    tickMs: setting('ADMISSION_TICK_MS', int(50, 60_000).default(1000)),
    sessionTtlSeconds: setting('ADMISSION_SESSION_TTL_SECONDS', int(10, 86_400).default(900)),
  }),
  queueGraceSeconds: setting('QUEUE_GRACE_SECONDS', int(0, 3600).default(60)),
  queuePositionPushMs: setting('QUEUE_POSITION_PUSH_MS', int(100, 60_000).default(1000)),
  /** How often workers mirror event rows into Redis and keep one tick scheduler per on-sale event. */
  admissionReconcileMs: setting('ADMISSION_RECONCILE_MS', int(100, 60_000).default(1000)),
  /** How often workers re-create BullMQ job schedulers a Redis restart wiped (also on reconnect). */
  schedulerReassertMs: setting('SCHEDULER_REASSERT_MS', int(100, 60_000).default(1000)),
  redlockEnabled: setting('REDLOCK_ENABLED', bool.default('false')),
  redlockTtlMs: setting('REDLOCK_TTL_MS', int(100, 60_000).default(2000)),
  /** A seat change's first window, in the process that committed it: changes per event are batched
   * this long into one message on the Redis seat-change channel. The second, each gateway's push to
   * its sockets, is seatPushCoalesceMs: two stages, two costs (Redis messages, socket pushes). */
  seatFanoutCoalesceMs: setting('SEAT_FANOUT_COALESCE_MS', int(0, 1000).default(10)),
  /** Every command is answered within this (OVERLOADED when its work could not finish in time). */
  commandDeadlineMs: setting('COMMAND_DEADLINE_MS', int(100, 120_000).default(10_000)),
  /** Commands waiting for a Postgres connection beyond this many answer OVERLOADED at once. */
  dbQueueMax: setting('DB_QUEUE_MAX', int(0, 100_000).default(1000)),
  /** Longest wait for a Postgres connection before OVERLOADED (instead of a 5 s pool timeout). */
  dbQueueWaitMs: setting('DB_QUEUE_WAIT_MS', int(10, 60_000).default(5000)),
  /** Holds are expired by one pass over the active-hold index this often; 0: one job per hold. */
  holdExpiryPassMs: setting('HOLD_EXPIRY_PASS_MS', int(0, 60_000).default(1000)),
  groupCommit: group({
    /** How long a batch collects concurrent holds of one event before it is written. */
    windowMs: setting('GROUP_COMMIT_WINDOW_MS', int(0, 100).default(2)),
    maxBatch: setting('GROUP_COMMIT_MAX_BATCH', int(1, 1000).default(100)),
    /** Batches of one event a gateway writes at the same time. */
    maxInFlight: setting('GROUP_COMMIT_MAX_IN_FLIGHT', int(1, 100).default(4)),
    /** Hold requests waiting for a batch, per gateway, beyond which they answer OVERLOADED. */
    queueMax: setting('HOLD_QUEUE_MAX', int(1, 1_000_000).default(2000)),
    /** One user's hold requests waiting per gateway (their share of the hold path). */
    userMaxPending: setting('USER_MAX_PENDING_HOLDS', int(1, 1000).default(4)),
  }),
  holdSweepCron: setting('HOLD_SWEEP_CRON', z.string().min(1).default('*/10 * * * * *')),
  waitlistOfferTtlSeconds: setting('WAITLIST_OFFER_TTL_SECONDS', int(5, 3600).default(120)),
  analyticsIntervalMs: setting('ANALYTICS_INTERVAL_MS', int(100, 60_000).default(1000)),
  /** Prometheus `/metrics` of a worker process; 0 keeps it off. */
  workerMetricsPort: setting('WORKER_METRICS_PORT', int(0, 65535).default(0)),
  httpMaxBodyBytes: setting('HTTP_MAX_BODY_BYTES', int(256, 10_000_000).default(64 * 1024)),
  /** Where notification mail goes; null: the outbox fills but nothing is sent. */
  smtpUrl: setting(
    'SMTP_URL',
    z
      .string()
      .url()
      .refine((u) => /^smtps?:/.test(u), 'must be an smtp:// or smtps:// URL')
      .optional()
      .transform((u) => u ?? null),
  ),
  mailFrom: setting('MAIL_FROM', z.string().min(3).max(200).default('Evently <no-reply@evently.local>')),
  /** How often a worker moves due outbox rows onto the notification queue. */
  notifyPollMs: setting('NOTIFY_POLL_MS', int(50, 60_000).default(500)),
  /** Delivery attempts per message (exponential backoff from notifyBackoffMs). */
  notifyMaxAttempts: setting('NOTIFY_MAX_ATTEMPTS', int(1, 100).default(10)),
  notifyBackoffMs: setting('NOTIFY_BACKOFF_MS', int(10, 600_000).default(1000)),
  /** Mail a buyer this long before a hold expires (holds shorter than twice this get none); 0: off. */
  notifyHoldReminderSeconds: setting('NOTIFY_HOLD_REMINDER_SECONDS', int(0, 3600).default(60)),
  /** The local SMTP sink's store (npm start without SMTP_URL): the gateway shows it at /dev/mail. */
  devMailDir: setting(
    'DEV_MAIL_DIR',
    z
      .string()
      .min(1)
      .optional()
      .transform((dir) => dir ?? null),
  ),
  socketMaxPayloadBytes: setting('SOCKET_MAX_PAYLOAD_BYTES', int(256, 10_000_000).default(32_768)),
  loginMaxFailures: setting('LOGIN_MAX_FAILURES', int(1, 1000).default(5)),
  loginWindowSeconds: setting('LOGIN_WINDOW_SECONDS', int(1, 86_400).default(300)),
  shutdownDeadlineMs: setting('SHUTDOWN_DEADLINE_MS', int(100, 120_000).default(10_000)),
  cors: group({
    /** Exact origins allowed to call the API from a browser; `*` allows any (without credentials). */
    origins: setting(
      'CORS_ORIGINS',
      commaList.refine(
        (list) => list.every((o) => o === '*' || isOrigin(o)),
        'comma-separated origins like https://tickets.example.com, or *',
      ),
    ),
    allowCredentials: setting('CORS_ALLOW_CREDENTIALS', bool.default('false')),
    maxAgeSeconds: setting('CORS_MAX_AGE_SECONDS', int(0, 86_400).default(600)),
  }),
  /** The default lets the web app reach the shop tier too (SHOP_URL, another origin when tiered). */
  contentSecurityPolicy: z
    .object({
      CONTENT_SECURITY_POLICY: z.string().min(1).max(4000).optional(),
      SHOP_URL: z.string().optional(),
    })
    .transform((v) => v.CONTENT_SECURITY_POLICY ?? defaultCspFor(shopOriginOf(v.SHOP_URL))),
  /** `Strict-Transport-Security` max-age; 0 leaves the header off (set it when served over TLS). */
  hstsMaxAgeSeconds: setting('HSTS_MAX_AGE_SECONDS', int(0, 2 * 365 * 86_400).default(0)),
  /** Bearer token `/metrics` requires; without one, `/metrics` is only served on `metricsPort`. */
  metricsToken: setting(
    'METRICS_TOKEN',
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .max(512)
      .optional()
      .transform((token) => token ?? null),
  ),
  /** A separate port for `/metrics` (0: any free port); null serves it on the API port. */
  metricsPort: setting(
    'METRICS_PORT',
    int(0, 65535)
      .optional()
      .transform((port) => port ?? null),
  ),
  /** Load balancers whose `X-Forwarded-For` entries are believed (addresses or CIDR ranges). */
  trustedProxies: setting(
    'TRUSTED_PROXIES',
    commaList.refine((list) => list.every(isAddressOrRange), 'comma-separated addresses or CIDR ranges, like 10.0.0.0/8,::1'),
  ),
  /** Failed logins per client address per `loginWindowSeconds` (per email: `loginMaxFailures`). */
  loginMaxFailuresPerAddress: setting('LOGIN_MAX_FAILURES_PER_ADDRESS', int(1, 1_000_000).default(100)),
  /** Registrations (each an argon2 hash) per client address per window. */
  registerLimit: group({
    maxPerAddress: setting('REGISTER_MAX_PER_ADDRESS', int(1, 1_000_000).default(20)),
    windowSeconds: setting('REGISTER_WINDOW_SECONDS', int(1, 86_400).default(3600)),
  }),
  /** Logins and registrations (argon2) running at once per gateway, and how many may wait. */
  passwordWork: group({
    concurrency: setting('PASSWORD_WORK_CONCURRENCY', int(1, 256).default(4)),
    queue: setting('PASSWORD_WORK_QUEUE', int(0, 100_000).default(100)),
  }),
  /** Waiting-room commands (queue:join, queue:status, availability:subscribe) running at once per
   * gateway, and how many may wait; the hold path never waits behind them. */
  waitingLane: group({
    concurrency: setting('WAITING_LANE_CONCURRENCY', int(1, 10_000).default(64)),
    queue: setting('WAITING_LANE_QUEUE', int(0, 1_000_000).default(50_000)),
  }),
  /** A seat change's second window, in each gateway: base and widest batching per event of the
   * seats:changed / seats:delta pushes to its sockets (the first is seatFanoutCoalesceMs). */
  seatPushCoalesceMs: setting('SEAT_PUSH_COALESCE_MS', int(0, 1000).default(20)),
  seatPushMaxCoalesceMs: setting('SEAT_PUSH_MAX_COALESCE_MS', int(0, 5000).default(120)),
  /** Availability tier: at most one `availability:changed` per event per this interval. */
  availabilityPushMs: setting('AVAILABILITY_PUSH_MS', int(1000, 60_000).default(1000)),
  /** How often each gateway compares the live events in its memory with Postgres. */
  seatRepairIntervalMs: setting('SEAT_REPAIR_INTERVAL_MS', int(100, 60_000).default(2000)),
  /** A live event nobody on this gateway watches is dropped from memory after this long. */
  liveEventIdleMs: setting('LIVE_EVENT_IDLE_MS', int(1000, 3_600_000).default(30_000)),
  /** uWS send buffer per socket; a socket past it is closed (it resyncs on reconnect). */
  socketMaxBackpressureBytes: setting('SOCKET_MAX_BACKPRESSURE_BYTES', int(1024, 1_000_000_000).default(4 * 1024 * 1024)),
  /** Test hook only: exit right after a seat commit, before publishing it. */
  testExitAfterCommit: setting('TEST_EXIT_AFTER_COMMIT', bool.default('false')),
  /** Command allowances (cost-weighted, see core/domain/command-cost.ts); RATE_LIMITED past them. */
  commandLimits: group({
    /** Token bucket of each socket, in gateway memory. */
    socketPerSecond: setting('SOCKET_COMMANDS_PER_SECOND', int(1, 100_000).default(10)),
    socketBurst: setting('SOCKET_COMMAND_BURST', int(1, 100_000).default(40)),
    /** Commands of one socket being handled at once. */
    socketMaxInFlight: setting('SOCKET_MAX_IN_FLIGHT', int(1, 10_000).default(8)),
    /** Across all sockets and gateways, in Redis; 0 turns the limit off. */
    userPerSecond: setting('USER_COMMANDS_PER_SECOND', int(0, 1_000_000).default(30)),
    addressPerSecond: setting('ADDRESS_COMMANDS_PER_SECOND', int(0, 10_000_000).default(300)),
    /** The two above are counted in gateway memory and reconciled through Redis this often;
     * 0: every command asks Redis first (exact across gateways, one round trip more each). */
    syncMs: setting('COMMAND_LIMIT_SYNC_MS', int(0, 10_000).default(250)),
  }),
  /** Per gateway: sockets one user may hold open, anonymous sockets one address may. */
  connectionLimits: group({
    socketsPerUser: setting('MAX_SOCKETS_PER_USER', int(1, 100_000).default(10)),
    anonymousSocketsPerAddress: setting('MAX_ANONYMOUS_SOCKETS_PER_ADDRESS', int(1, 1_000_000).default(50)),
    /** Engine.IO connections one address may hold open before they join a namespace (where the
     * caps above count them), and how long one may wait to join before it is closed. */
    pendingPerAddress: setting('MAX_PENDING_CONNECTIONS_PER_ADDRESS', int(1, 1_000_000).default(100)),
    pendingTimeoutMs: setting('PENDING_CONNECTION_TIMEOUT_MS', int(100, 60_000).default(10_000)),
  }),
  /**
   * Events whose availability or seat map one socket watches (past it the oldest subscription
   * ends), and the distinct events anonymous sockets may keep in one gateway's memory and repair pass.
   */
  watchLimits: group({
    eventsPerSocket: setting('MAX_WATCHED_EVENTS_PER_SOCKET', int(1, 10_000).default(60)),
    anonymousEvents: setting('MAX_ANONYMOUS_WATCHED_EVENTS', int(1, 1_000_000).default(200)),
  }),
  /**
   * A gateway trusts an admission it checked in Redis this long (its end is pushed; this bounds a
   * lost push). 0: every hold and shop-tier seat map reads the admission from Redis.
   */
  admissionPassRecheckMs: setting('ADMISSION_PASS_RECHECK_MS', int(0, 60_000).default(5000)),
  /** How often each gateway publishes its hold-path health for the admission loop. */
  holdHealthReportMs: setting('HOLD_HEALTH_REPORT_MS', int(100, 60_000).default(1000)),
  /** Closed loop: more commands than this waiting for a database connection (all gateways) is unhealthy. */
  admissionDbQueueMax: setting('ADMISSION_DB_QUEUE_MAX', int(0, 100_000).default(20)),
  /** Proof of work at queue:join: lifetime and the range of the secret number (see challengeMaxNumber). */
  challenge: group({
    ttlSeconds: setting('CHALLENGE_TTL_SECONDS', int(1, 600).default(300)),
    maxNumberMin: setting('CHALLENGE_MAX_NUMBER_MIN', int(10, 1_000_000_000).default(50_000)),
    maxNumberMax: setting('CHALLENGE_MAX_NUMBER_MAX', int(10, 1_000_000_000).default(400_000)),
    /** Waiting users per doubling of the work. */
    crowdStep: setting('CHALLENGE_CROWD_STEP', int(1, 100_000_000).default(1000)),
  }).transform((c) => ({ ...c, maxNumberMax: Math.max(c.maxNumberMin, c.maxNumberMax) })),
  /** The web app's origin, as people reach it: account mails link to its pages. */
  publicUrl: setting(
    'PUBLIC_URL',
    z
      .string()
      .url()
      .refine((u) => isOrigin(u.replace(/\/$/, '')), 'must be an origin like https://tickets.example.com')
      .default('http://localhost:3000')
      .transform((u) => u.replace(/\/$/, '')),
  ),
  passwordResetTtlSeconds: setting('PASSWORD_RESET_TTL_SECONDS', int(60, 86_400).default(1800)),
  emailVerifyTtlSeconds: setting('EMAIL_VERIFY_TTL_SECONDS', int(60, 30 * 86_400).default(86_400)),
  /** How often each gateway reads the store of ended sessions (the reliable path behind pub/sub). */
  endedSessionsPollMs: setting('ENDED_SESSIONS_POLL_MS', int(50, 5000).default(1000)),
  /** Password-reset and verification mails per account, and per address, per hour. */
  accountMails: group({
    perAccountPerHour: setting('ACCOUNT_MAILS_PER_HOUR', int(1, 1000).default(5)),
    perAddressPerHour: setting('ACCOUNT_MAILS_PER_ADDRESS_PER_HOUR', int(1, 1_000_000).default(50)),
  }),
});

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type Config = DeepReadonly<z.output<typeof ConfigSchema>>;

/** Rules across variables, checked on the raw input so they are reported with all the others. */
function crossFieldProblems(input: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if ((input.ADMIN_EMAIL === undefined) !== (input.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_PASSWORD: set ADMIN_EMAIL and ADMIN_PASSWORD together');
  }
  if ([input.REDIS_URL, input.REDIS_CLUSTER_NODES, input.REDIS_SENTINELS].filter((v) => v !== undefined).length !== 1) {
    problems.push(
      'REDIS_URL: set exactly one of REDIS_URL (one server), REDIS_CLUSTER_NODES (a Redis Cluster) and REDIS_SENTINELS (Redis Sentinel)',
    );
  }
  // Browsers refuse `*` with credentials; echoing any origin with credentials would be worse.
  if ((input.CORS_ALLOW_CREDENTIALS === 'true' || input.CORS_ALLOW_CREDENTIALS === '1') && input.CORS_ORIGINS?.includes('*')) {
    problems.push('CORS_ALLOW_CREDENTIALS: cannot be combined with CORS_ORIGINS=*; list the origins');
  }
  if (input.NODE_ENV === 'production') problems.push(...productionSecretProblems(input));
  return problems;
}

/**
 * With NODE_ENV=production a process does not start (exit 78) on a weak secret: one shorter
 * than 32 bytes, or one written in this repository (compose file, examples, tests).
 */
function productionSecretProblems(input: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const name of ['JWT_ACCESS_SECRET', 'ADMISSION_TOKEN_SECRET', 'METRICS_TOKEN', 'ADMIN_PASSWORD'] as const) {
    const value = input[name];
    if (value === undefined) continue;
    if (name !== 'ADMIN_PASSWORD' && Buffer.byteLength(value) < 32) {
      problems.push(`${name}: in production a secret must be at least 32 bytes`);
    }
    if (isPublishedSecret(value)) problems.push(`${name}: this value is published in the repository; generate your own`);
  }
  return problems;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Validates the environment; throws a ConfigError listing every problem at once. */
export function loadConfig(source: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(input);
  const problems = [
    // Each issue's path ends with the variable's name (the properties it is read into come before).
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.at(-1) ?? '(env)'}: ${i.message}`)),
    ...crossFieldProblems(input),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(parsed.data);
}

/** For entry points: load or print every problem and exit 78 (EX_CONFIG). */
export function loadConfigOrExit(source: Record<string, string | undefined>): Config {
  try {
    return loadConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
