import { isIP } from 'node:net';
import os from 'node:os';
import { z } from 'zod';
import { parseClusterNodes, type RedisTarget } from './redis/redis-target.js';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

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

/**
 * The whole environment, validated once. Nothing else reads `process.env`: the frozen result
 * is passed down. Units are in the names so tests can shrink them.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INSTANCE_ID: z.string().min(1).max(100).default(`${os.hostname()}-${process.pid}`),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(3000),
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:/.test(u), 'must be a postgres:// URL'),
  PG_POOL_SIZE: int(1, 200).default(20),
  REDIS_URL: z
    .string()
    .url()
    .refine((u) => /^rediss?:/.test(u), 'must be a redis:// URL')
    .optional(),
  /** Seed nodes of a Redis Cluster instead of REDIS_URL: `host:port,host:port,...`. */
  REDIS_CLUSTER_NODES: z
    .string()
    .superRefine((raw, ctx) => {
      try {
        parseClusterNodes(raw);
      } catch (err) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (err as Error).message });
      }
    })
    .optional(),
  REDIS_COMMAND_TIMEOUT_MS: int(50, 60_000).default(2000),
  REDIS_PREFIX: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9:_-]+$/)
    .default('evently:'),
  SOCKET_ADAPTER: z.enum(['sharded', 'pubsub']).default('sharded'),
  JWT_ACCESS_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ADMISSION_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters'),
  ACCESS_TOKEN_TTL_SECONDS: int(10, 86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: int(60, 90 * 86_400).default(30 * 86_400),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8).max(256).optional(),
  HOLD_TTL_SECONDS: int(5, 3600).default(300),
  MAX_SEATS_PER_USER: int(1, 100).default(6),
  ADMISSION_MAX_ACTIVE: int(1, 1_000_000).default(500),
  ADMISSION_ADMIT_PER_TICK: int(1, 100_000).default(50),
  ADMISSION_TICK_MS: int(50, 60_000).default(1000),
  ADMISSION_SESSION_TTL_SECONDS: int(10, 86_400).default(900),
  QUEUE_GRACE_SECONDS: int(0, 3600).default(60),
  QUEUE_POSITION_PUSH_MS: int(100, 60_000).default(1000),
  ADMISSION_RECONCILE_MS: int(100, 60_000).default(1000),
  SCHEDULER_REASSERT_MS: int(100, 60_000).default(1000),
  REDIS_COALESCE_WRITES: bool.default('true'),
  REDLOCK_ENABLED: bool.default('true'),
  REDLOCK_TTL_MS: int(100, 60_000).default(2000),
  SEAT_FANOUT_COALESCE_MS: int(0, 1000).default(10),
  // the hold path (issue 9): deadlines, bounded queues, group commit
  COMMAND_DEADLINE_MS: int(100, 120_000).default(10_000),
  DB_QUEUE_MAX: int(0, 100_000).default(1000),
  DB_QUEUE_WAIT_MS: int(10, 60_000).default(5000),
  GROUP_COMMIT_ENABLED: bool.default('true'),
  GROUP_COMMIT_WINDOW_MS: int(0, 100).default(2),
  GROUP_COMMIT_MAX_BATCH: int(1, 1000).default(100),
  GROUP_COMMIT_MAX_IN_FLIGHT: int(1, 100).default(4),
  HOLD_QUEUE_MAX: int(1, 1_000_000).default(2000),
  USER_MAX_PENDING_HOLDS: int(1, 1000).default(4),
  HOLD_EXPIRY_PASS_MS: int(0, 60_000).default(1000),
  HOLD_SWEEP_CRON: z.string().min(1).default('*/10 * * * * *'),
  WAITLIST_OFFER_TTL_SECONDS: int(5, 3600).default(120),
  ANALYTICS_INTERVAL_MS: int(100, 60_000).default(1000),
  WORKER_METRICS_PORT: int(0, 65535).default(0),
  HTTP_MAX_BODY_BYTES: int(256, 10_000_000).default(64 * 1024),
  SMTP_URL: z
    .string()
    .url()
    .refine((u) => /^smtps?:/.test(u), 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).max(200).default('Evently <no-reply@evently.local>'),
  NOTIFY_POLL_MS: int(50, 60_000).default(500),
  NOTIFY_MAX_ATTEMPTS: int(1, 100).default(10),
  NOTIFY_BACKOFF_MS: int(10, 600_000).default(1000),
  NOTIFY_HOLD_REMINDER_SECONDS: int(0, 3600).default(60),
  DEV_MAIL_DIR: z.string().min(1).optional(),
  SOCKET_MAX_PAYLOAD_BYTES: int(256, 10_000_000).default(1_000_000),
  LOGIN_MAX_FAILURES: int(1, 1000).default(5),
  LOGIN_WINDOW_SECONDS: int(1, 86_400).default(300),
  SHUTDOWN_DEADLINE_MS: int(100, 120_000).default(10_000),
  // browser and proxy facing (issue 11 item 9)
  CORS_ORIGINS: commaList.refine(
    (list) => list.every((o) => o === '*' || isOrigin(o)),
    'comma-separated origins like https://tickets.example.com, or *',
  ),
  CORS_ALLOW_CREDENTIALS: bool.default('false'),
  CORS_MAX_AGE_SECONDS: int(0, 86_400).default(600),
  CONTENT_SECURITY_POLICY: z.string().min(1).max(4000).default(DEFAULT_CSP),
  HSTS_MAX_AGE_SECONDS: int(0, 2 * 365 * 86_400).default(0),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  METRICS_PORT: int(0, 65535).optional(),
  // abuse limits (issue 11 items 5 and 6)
  TRUSTED_PROXIES: commaList.refine(
    (list) => list.every(isAddressOrRange),
    'comma-separated addresses or CIDR ranges, like 10.0.0.0/8,::1',
  ),
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(1, 1_000_000).default(100),
  REGISTER_MAX_PER_ADDRESS: int(1, 1_000_000).default(20),
  REGISTER_WINDOW_SECONDS: int(1, 86_400).default(3600),
  PASSWORD_WORK_CONCURRENCY: int(1, 256).default(4),
  PASSWORD_WORK_QUEUE: int(0, 100_000).default(100),
  WAITING_LANE_CONCURRENCY: int(1, 10_000).default(64),
  WAITING_LANE_QUEUE: int(0, 1_000_000).default(50_000),
  SEAT_PUSH_COALESCE_MS: int(0, 1000).default(20),
  SEAT_PUSH_MAX_COALESCE_MS: int(0, 5000).default(120),
  AVAILABILITY_PUSH_MS: int(1000, 60_000).default(1000),
  SEAT_REPAIR_INTERVAL_MS: int(100, 60_000).default(2000),
  LIVE_EVENT_IDLE_MS: int(1000, 3_600_000).default(30_000),
  SOCKET_MAX_BACKPRESSURE_BYTES: int(1024, 1_000_000_000).default(4 * 1024 * 1024),
  TEST_EXIT_AFTER_COMMIT: bool.default('false'),
  SOCKET_COMMANDS_PER_SECOND: int(1, 100_000).default(10),
  SOCKET_COMMAND_BURST: int(1, 100_000).default(40),
  SOCKET_MAX_IN_FLIGHT: int(1, 10_000).default(8),
  USER_COMMANDS_PER_SECOND: int(0, 1_000_000).default(30),
  ADDRESS_COMMANDS_PER_SECOND: int(0, 10_000_000).default(300),
  MAX_SOCKETS_PER_USER: int(1, 100_000).default(10),
  MAX_ANONYMOUS_SOCKETS_PER_ADDRESS: int(1, 1_000_000).default(50),
  HOLD_HEALTH_REPORT_MS: int(100, 60_000).default(1000),
  ADMISSION_DB_QUEUE_MAX: int(0, 100_000).default(20),
});

/** Rules across variables, checked on the raw input so they are reported with all the others. */
function crossFieldProblems(input: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if ((input.ADMIN_EMAIL === undefined) !== (input.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_PASSWORD: set ADMIN_EMAIL and ADMIN_PASSWORD together');
  }
  if ((input.REDIS_URL === undefined) === (input.REDIS_CLUSTER_NODES === undefined)) {
    problems.push('REDIS_URL: set exactly one of REDIS_URL (one server) and REDIS_CLUSTER_NODES (a Redis Cluster)');
  }
  // Browsers refuse `*` with credentials; echoing any origin with credentials would be worse.
  if ((input.CORS_ALLOW_CREDENTIALS === 'true' || input.CORS_ALLOW_CREDENTIALS === '1') && input.CORS_ORIGINS?.includes('*')) {
    problems.push('CORS_ALLOW_CREDENTIALS: cannot be combined with CORS_ORIGINS=*; list the origins');
  }
  return problems;
}

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly logLevel: Env['LOG_LEVEL'];
  readonly instanceId: string;
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly pgPoolSize: number;
  /** One Redis server or a Redis Cluster (REDIS_URL or REDIS_CLUSTER_NODES). */
  readonly redis: RedisTarget;
  readonly redisPrefix: string;
  readonly socketAdapter: Env['SOCKET_ADAPTER'];
  readonly jwtAccessSecret: string;
  readonly admissionTokenSecret: string;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly admin: { readonly email: string; readonly password: string } | null;
  readonly holdTtlSeconds: number;
  readonly maxSeatsPerUser: number;
  readonly admission: {
    readonly maxActive: number;
    readonly admitPerTick: number;
    readonly tickMs: number;
    readonly sessionTtlSeconds: number;
  };
  readonly queueGraceSeconds: number;
  readonly queuePositionPushMs: number;
  /** How often workers mirror event rows into Redis and keep one tick scheduler per on-sale event. */
  readonly admissionReconcileMs: number;
  /** How often workers re-create BullMQ job schedulers a Redis restart wiped (also on reconnect). */
  readonly schedulerReassertMs: number;
  readonly redlockEnabled: boolean;
  readonly redlockTtlMs: number;
  readonly seatFanoutCoalesceMs: number;
  /** Every command is answered within this (OVERLOADED when its work could not finish in time). */
  readonly commandDeadlineMs: number;
  /** Commands waiting for a Postgres connection beyond this many answer OVERLOADED at once. */
  readonly dbQueueMax: number;
  /** Longest wait for a Postgres connection before OVERLOADED (instead of a 5 s pool timeout). */
  readonly dbQueueWaitMs: number;
  /** Holds are expired by one pass over the active-hold index this often; 0: one job per hold. */
  readonly holdExpiryPassMs: number;
  readonly groupCommit: {
    readonly enabled: boolean;
    /** How long a batch collects concurrent holds of one event before it is written. */
    readonly windowMs: number;
    readonly maxBatch: number;
    /** Batches of one event a gateway writes at the same time. */
    readonly maxInFlight: number;
    /** Hold requests waiting for a batch, per gateway, beyond which they answer OVERLOADED. */
    readonly queueMax: number;
    /** One user's hold requests waiting per gateway (their share of the hold path). */
    readonly userMaxPending: number;
  };
  readonly holdSweepCron: string;
  readonly waitlistOfferTtlSeconds: number;
  readonly analyticsIntervalMs: number;
  /** Prometheus `/metrics` of a worker process; 0 keeps it off. */
  readonly workerMetricsPort: number;
  readonly httpMaxBodyBytes: number;
  /** Where notification mail goes; null: the outbox fills but nothing is sent. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /** How often a worker moves due outbox rows onto the notification queue. */
  readonly notifyPollMs: number;
  /** Delivery attempts per message (exponential backoff from notifyBackoffMs). */
  readonly notifyMaxAttempts: number;
  readonly notifyBackoffMs: number;
  /** Mail a buyer this long before a hold expires (holds shorter than twice this get none); 0: off. */
  readonly notifyHoldReminderSeconds: number;
  /** The local SMTP sink's store (npm start without SMTP_URL): the gateway shows it at /dev/mail. */
  readonly devMailDir: string | null;
  readonly socketMaxPayloadBytes: number;
  readonly loginMaxFailures: number;
  readonly loginWindowSeconds: number;
  readonly shutdownDeadlineMs: number;
  readonly cors: {
    /** Exact origins allowed to call the API from a browser; `*` allows any (without credentials). */
    readonly origins: readonly string[];
    readonly allowCredentials: boolean;
    readonly maxAgeSeconds: number;
  };
  readonly contentSecurityPolicy: string;
  /** `Strict-Transport-Security` max-age; 0 leaves the header off (set it when served over TLS). */
  readonly hstsMaxAgeSeconds: number;
  /** Bearer token `/metrics` requires; without one, `/metrics` is only served on `metricsPort`. */
  readonly metricsToken: string | null;
  /** A separate port for `/metrics` (0: any free port); null serves it on the API port. */
  readonly metricsPort: number | null;
  /** Load balancers whose `X-Forwarded-For` entries are believed (addresses or CIDR ranges). */
  readonly trustedProxies: readonly string[];
  /** Failed logins per client address per `loginWindowSeconds` (per email: `loginMaxFailures`). */
  readonly loginMaxFailuresPerAddress: number;
  /** Registrations (each an argon2 hash) per client address per window. */
  readonly registerLimit: { readonly maxPerAddress: number; readonly windowSeconds: number };
  /** Logins and registrations (argon2) running at once per gateway, and how many may wait. */
  readonly passwordWork: { readonly concurrency: number; readonly queue: number };
  /** Waiting-room commands (queue:join, queue:status, availability:subscribe) running at once per
   * gateway, and how many may wait; the hold path never waits behind them. */
  readonly waitingLane: { readonly concurrency: number; readonly queue: number };
  /** Per-seat tier (seats:changed / seats:delta): base and widest coalescing window per event. */
  readonly seatPushCoalesceMs: number;
  readonly seatPushMaxCoalesceMs: number;
  /** Availability tier: at most one `availability:changed` per event per this interval. */
  readonly availabilityPushMs: number;
  /** How often each gateway compares the live events in its memory with Postgres. */
  readonly seatRepairIntervalMs: number;
  /** A live event nobody on this gateway watches is dropped from memory after this long. */
  readonly liveEventIdleMs: number;
  /** uWS send buffer per socket; a socket past it is closed (it resyncs on reconnect). */
  readonly socketMaxBackpressureBytes: number;
  /** Test hook only: exit right after a seat commit, before publishing it. */
  readonly testExitAfterCommit: boolean;
  /** Command allowances (cost-weighted, see core/domain/command-cost.ts); RATE_LIMITED past them. */
  readonly commandLimits: {
    /** Token bucket of each socket, in gateway memory. */
    readonly socketPerSecond: number;
    readonly socketBurst: number;
    /** Commands of one socket being handled at once. */
    readonly socketMaxInFlight: number;
    /** Across all sockets and gateways, in Redis; 0 turns the limit off. */
    readonly userPerSecond: number;
    readonly addressPerSecond: number;
  };
  /** Per gateway: sockets one user may hold open, anonymous sockets one address may. */
  readonly connectionLimits: { readonly socketsPerUser: number; readonly anonymousSocketsPerAddress: number };
  /** How often each gateway publishes its hold-path health for the admission loop. */
  readonly holdHealthReportMs: number;
  /** Closed loop: more commands than this waiting for a database connection (all gateways) is unhealthy. */
  readonly admissionDbQueueMax: number;
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
  const parsed = EnvSchema.safeParse(input);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`)),
    ...crossFieldProblems(input),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return deepFreeze({
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    instanceId: e.INSTANCE_ID,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    pgPoolSize: e.PG_POOL_SIZE,
    redis: {
      ...(e.REDIS_CLUSTER_NODES ? parseClusterNodes(e.REDIS_CLUSTER_NODES) : { kind: 'single', url: e.REDIS_URL as string }),
      // A Redis command that gets no answer in this long fails (retryable) instead of waiting.
      commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
      coalesceWrites: e.REDIS_COALESCE_WRITES,
    },
    redisPrefix: e.REDIS_PREFIX,
    socketAdapter: e.SOCKET_ADAPTER,
    jwtAccessSecret: e.JWT_ACCESS_SECRET,
    admissionTokenSecret: e.ADMISSION_TOKEN_SECRET,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD } : null,
    holdTtlSeconds: e.HOLD_TTL_SECONDS,
    maxSeatsPerUser: e.MAX_SEATS_PER_USER,
    admission: {
      maxActive: e.ADMISSION_MAX_ACTIVE,
      admitPerTick: e.ADMISSION_ADMIT_PER_TICK,
      tickMs: e.ADMISSION_TICK_MS,
      sessionTtlSeconds: e.ADMISSION_SESSION_TTL_SECONDS,
    },
    queueGraceSeconds: e.QUEUE_GRACE_SECONDS,
    queuePositionPushMs: e.QUEUE_POSITION_PUSH_MS,
    admissionReconcileMs: e.ADMISSION_RECONCILE_MS,
    schedulerReassertMs: e.SCHEDULER_REASSERT_MS,
    redlockEnabled: e.REDLOCK_ENABLED,
    redlockTtlMs: e.REDLOCK_TTL_MS,
    seatFanoutCoalesceMs: e.SEAT_FANOUT_COALESCE_MS,
    commandDeadlineMs: e.COMMAND_DEADLINE_MS,
    dbQueueMax: e.DB_QUEUE_MAX,
    dbQueueWaitMs: e.DB_QUEUE_WAIT_MS,
    holdExpiryPassMs: e.HOLD_EXPIRY_PASS_MS,
    groupCommit: {
      enabled: e.GROUP_COMMIT_ENABLED,
      windowMs: e.GROUP_COMMIT_WINDOW_MS,
      maxBatch: e.GROUP_COMMIT_MAX_BATCH,
      maxInFlight: e.GROUP_COMMIT_MAX_IN_FLIGHT,
      queueMax: e.HOLD_QUEUE_MAX,
      userMaxPending: e.USER_MAX_PENDING_HOLDS,
    },
    holdSweepCron: e.HOLD_SWEEP_CRON,
    waitlistOfferTtlSeconds: e.WAITLIST_OFFER_TTL_SECONDS,
    analyticsIntervalMs: e.ANALYTICS_INTERVAL_MS,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    httpMaxBodyBytes: e.HTTP_MAX_BODY_BYTES,
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    notifyPollMs: e.NOTIFY_POLL_MS,
    notifyMaxAttempts: e.NOTIFY_MAX_ATTEMPTS,
    notifyBackoffMs: e.NOTIFY_BACKOFF_MS,
    notifyHoldReminderSeconds: e.NOTIFY_HOLD_REMINDER_SECONDS,
    devMailDir: e.DEV_MAIL_DIR ?? null,
    socketMaxPayloadBytes: e.SOCKET_MAX_PAYLOAD_BYTES,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginWindowSeconds: e.LOGIN_WINDOW_SECONDS,
    shutdownDeadlineMs: e.SHUTDOWN_DEADLINE_MS,
    cors: {
      origins: e.CORS_ORIGINS,
      allowCredentials: e.CORS_ALLOW_CREDENTIALS,
      maxAgeSeconds: e.CORS_MAX_AGE_SECONDS,
    },
    contentSecurityPolicy: e.CONTENT_SECURITY_POLICY,
    hstsMaxAgeSeconds: e.HSTS_MAX_AGE_SECONDS,
    metricsToken: e.METRICS_TOKEN ?? null,
    metricsPort: e.METRICS_PORT ?? null,
    trustedProxies: e.TRUSTED_PROXIES,
    loginMaxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
    registerLimit: { maxPerAddress: e.REGISTER_MAX_PER_ADDRESS, windowSeconds: e.REGISTER_WINDOW_SECONDS },
    passwordWork: { concurrency: e.PASSWORD_WORK_CONCURRENCY, queue: e.PASSWORD_WORK_QUEUE },
    waitingLane: { concurrency: e.WAITING_LANE_CONCURRENCY, queue: e.WAITING_LANE_QUEUE },
    seatPushCoalesceMs: e.SEAT_PUSH_COALESCE_MS,
    seatPushMaxCoalesceMs: e.SEAT_PUSH_MAX_COALESCE_MS,
    availabilityPushMs: e.AVAILABILITY_PUSH_MS,
    seatRepairIntervalMs: e.SEAT_REPAIR_INTERVAL_MS,
    liveEventIdleMs: e.LIVE_EVENT_IDLE_MS,
    socketMaxBackpressureBytes: e.SOCKET_MAX_BACKPRESSURE_BYTES,
    testExitAfterCommit: e.TEST_EXIT_AFTER_COMMIT,
    commandLimits: {
      socketPerSecond: e.SOCKET_COMMANDS_PER_SECOND,
      socketBurst: e.SOCKET_COMMAND_BURST,
      socketMaxInFlight: e.SOCKET_MAX_IN_FLIGHT,
      userPerSecond: e.USER_COMMANDS_PER_SECOND,
      addressPerSecond: e.ADDRESS_COMMANDS_PER_SECOND,
    },
    connectionLimits: {
      socketsPerUser: e.MAX_SOCKETS_PER_USER,
      anonymousSocketsPerAddress: e.MAX_ANONYMOUS_SOCKETS_PER_ADDRESS,
    },
    holdHealthReportMs: e.HOLD_HEALTH_REPORT_MS,
    admissionDbQueueMax: e.ADMISSION_DB_QUEUE_MAX,
  });
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
