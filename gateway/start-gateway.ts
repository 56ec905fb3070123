import uWS from 'uWebSockets.js';
import { keepSignedAdmissionTokens } from '../core/auth/admission-tokens.js';
import { watchEndedSessions } from '../core/auth/ended-sessions.js';
import { closeOnce } from '../core/close-once.js';
import type { Config } from '../core/config.js';
import { createPool } from '../core/db/pool.js';
import { createInFlight } from '../core/in-flight.js';
import { createSeatJobs } from '../core/jobs/seat-jobs.js';
import { createLogger, type Logger } from '../core/log.js';
import { createMetrics } from '../core/metrics.js';
import { createBulkhead } from '../core/rate-limits/create-bulkhead.js';
import { connectRedis, whenRedisReady } from '../core/redis/connect-redis.js';
import { createKeys } from '../core/redis/keys.js';
import { createSeatLocks } from '../core/redis/seat-locks.js';
import { runShutdown } from '../core/run-shutdown.js';
import { createSeatChangePublisher } from '../core/seat-change-publisher.js';
import { deleteSessionEndsBefore } from '../core/use-cases/auth/delete-session-ends-before.js';
import { findSessionEndsSince } from '../core/use-cases/auth/find-session-ends-since.js';
import { createSeatBatchers } from '../core/use-cases/seats/seat-batchers.js';
import type { AppContext } from './context/app-context.js';
import { createSocketServer, wireSocketServer } from './create-socket-server.js';
import { createTrustedProxies, limitedClientAddressOf } from './http/client-address.js';
import { createHttpHeaderPolicy } from './http/http-header-policy.js';
import { createRouter, type RouterOptions } from './http/http-router.js';
import { registerAuthRoutes } from './http/routes/auth-routes.js';
import { registerCatalogRoutes } from './http/routes/catalog-routes.js';
import { extraHttpRoutes } from './http/routes/extra-routes.js';
import { registerMetricsRoute } from './http/routes/metrics-route.js';
import { registerOpsRoutes } from './http/routes/ops-routes.js';
import { registerWebAppRoutes } from './http/routes/web-app-routes.js';
import { createCommandLimits } from './io/command-limits.js';
import { listenForMetrics } from './listen-for-metrics.js';
import { limitWatchedEvents } from './seats/limit-watched-events.js';
import { createLiveSeats } from './seats/live-seats.js';
import { afterSeatChange } from './socket/after-seat-change.js';
import { closeUserSockets } from './socket/close-user-sockets.js';
import { startConnectionReports } from './socket/report-connections.js';
import { createAdmissionPasses } from './waiting-room/admission-passes.js';
import { announceQueueState } from './waiting-room/announce-queue-state.js';
import { createHoldPathHealth } from './waiting-room/hold-path-health.js';
import { createLocalQueuePositions } from './waiting-room/local-queue-positions.js';

const REDIS_STARTUP_TIMEOUT_MS = 15_000;

export interface RunningGateway {
  port: number;
  /** The separate `/metrics` port, when METRICS_PORT is set. */
  metricsPort: number | null;
  app: AppContext;
  close(): Promise<void>;
}

/** Builds and starts one gateway: uWS app serving Socket.IO and HTTP on one port. */
export async function startGateway(
  config: Config,
  log: Logger = createLogger(config.logLevel, { role: 'gateway', instance: config.instanceId }),
): Promise<RunningGateway> {
  // Every hold checks its admission token here: the ones this gateway hands out are known at once.
  keepSignedAdmissionTokens();
  const pool = createPool(config.databaseUrl, config.pgPoolSize, {
    maxWaiting: config.dbQueueMax,
    waitMs: config.dbQueueWaitMs,
  });
  const redis = connectRedis(config.redis);
  const pub = connectRedis(config.redis, { role: 'stream' });
  const sub = connectRedis(config.redis, { role: 'stream' });
  // Commands fail fast while Redis is away; at start-up that means: wait for it, or exit.
  await whenRedisReady(redis, REDIS_STARTUP_TIMEOUT_MS);
  const metrics = createMetrics(config.instanceId);
  const uws = uWS.App();
  const io = createSocketServer(config, uws, pub, sub);
  let shuttingDown = false;
  const keys = createKeys(config.redisPrefix);
  const endedSessions = await watchEndedSessions(
    redis,
    connectRedis(config.redis, { role: 'stream' }),
    keys,
    { findSince: (ms) => findSessionEndsSince(pool, ms), deleteBefore: (ms) => deleteSessionEndsBefore(pool, ms) },
    { accessTokenTtlMs: config.accessTokenTtlSeconds * 1000, pollMs: config.endedSessionsPollMs },
    (ended) => closeUserSockets(io, ended, ended.reason),
  );
  const seatJobs = createSeatJobs(config.redis, keys, undefined, { perHoldExpiryJobs: config.holdExpiryPassMs === 0 });
  const liveSeats = createLiveSeats(
    io,
    pool,
    { ...config, onSoldOut: (eventId) => announceQueueState(io, eventId, 'sold_out', 'local') },
    log,
    metrics,
  );
  const seatChanges = createSeatChangePublisher((m) => redis.publish(keys.seatChanges, m), config.seatFanoutCoalesceMs, {
    exitAfterCommit: config.testExitAfterCommit,
    onError: (err) => log.warn({ err }, 'seat change not published (the repair pass will catch up)'),
    onFlush: (since) => metrics.fanoutLag.observe((Date.now() - since) / 1000),
  });
  // Its own connection: a subscriber connection cannot run commands. ioredis re-subscribes after
  // a reconnect; what was published meanwhile is found by the repair pass.
  const seatSub = connectRedis(config.redis, { role: 'stream' });
  seatSub.on('message', (_channel: string, message: string) => liveSeats.onMessage(message));
  await seatSub.subscribe(keys.seatChanges);
  const queuePositions = createLocalQueuePositions({
    pool,
    redis,
    keys,
    intervalMs: config.queuePositionPushMs,
    log,
    now: () => new Date(),
  });
  // A queue-tier gateway runs no holds: its reports (no latency, its own database queue of
  // waiting-room reads) would only dilute the shop's, which the admission loop steers by.
  const holdHealth =
    config.gatewayRole === 'queue'
      ? null
      : createHoldPathHealth({
          redis,
          keys,
          pool,
          instanceId: config.instanceId,
          intervalMs: config.holdHealthReportMs,
          log,
        });
  const admissionPasses = await createAdmissionPasses({
    redis,
    subscriber: connectRedis(config.redis, { role: 'stream' }),
    keys,
    admissionTokenSecret: config.admissionTokenSecret,
    recheckMs: config.admissionPassRecheckMs,
  });
  const app: AppContext = {
    config,
    log,
    pool,
    redis,
    keys,
    metrics,
    io,
    seatChanges,
    liveSeats,
    watchedEvents: limitWatchedEvents(config.watchLimits),
    queuePositions,
    holdHealth,
    admissionPasses,
    seatLocks: createSeatLocks(redis, keys, { enabled: config.redlockEnabled, ttlMs: config.redlockTtlMs }),
    seatJobs,
    now: () => new Date(),
    isShuttingDown: () => shuttingDown,
    inFlight: createInFlight(),
    endedSessions,
    commandLimits: createCommandLimits(redis, keys, config.commandLimits, Date.now, (err) =>
      log.warn({ err }, 'command allowances not reconciled through Redis (each gateway limits on its own meanwhile)'),
    ),
    batchers: createSeatBatchers(pool, metrics, () => new Date(), config.groupCommit),
    waitingLane: createBulkhead(
      config.waitingLane.concurrency,
      config.waitingLane.queue,
      1000,
      'the waiting room is busy; retry shortly',
    ),
  };
  // What closed-loop admission and /metrics read: waiting for a connection or for a batch.
  metrics.dbQueue.setSource({ depth: () => pool.waitingCount + app.batchers.pending() });
  const trustedProxies = createTrustedProxies(config.trustedProxies);
  const routerOptions: RouterOptions = {
    maxBodyBytes: config.httpMaxBodyBytes,
    log,
    isShuttingDown: app.isShuttingDown,
    isSessionEnded: endedSessions.isEnded,
    headerPolicy: createHttpHeaderPolicy(config),
    clientAddress: (peer, forwardedFor) => limitedClientAddressOf(peer, forwardedFor, trustedProxies),
    onResponse: (method, route, status, seconds) => metrics.http.observe({ method, route, status: String(status) }, seconds),
    afterCommit: (effects) => afterSeatChange(app, effects),
  };
  const router = createRouter(uws, routerOptions);
  registerOpsRoutes(router, app);
  registerAuthRoutes(router, app);
  registerCatalogRoutes(router, app);
  for (const register of extraHttpRoutes) register(router, app);
  registerMetricsRoute(router, app, false);
  // The web app's `/*` answers only GETs no API route claims (its files and client routes).
  registerWebAppRoutes(router, app);
  router.installFallbacks();
  const metricsServer = config.metricsPort === null ? null : await listenForMetrics(app, routerOptions);
  wireSocketServer(app);
  const connectionReports = startConnectionReports(app);

  const listenSocket = await new Promise<uWS.us_listen_socket>((resolve, reject) => {
    uws.listen(config.host, config.port, (token) =>
      token ? resolve(token) : reject(new Error(`cannot listen on ${config.host}:${config.port}`)),
    );
  });
  const port = uWS.us_socket_local_port(listenSocket);
  log.info({ port, role: config.gatewayRole }, 'gateway listening');

  const close = closeOnce(async () => {
    // From here on new commands answer SHUTTING_DOWN; the ones already running finish and ack.
    shuttingDown = true;
    await runShutdown(
      [
        ['listen socket', () => uWS.us_listen_socket_close(listenSocket)],
        ['metrics listen socket', () => metricsServer?.close()],
        ['in-flight commands', () => app.inFlight.drained()],
        ['pending seat pushes', () => seatChanges.flushAll()],
        ['live seats', () => liveSeats.close()],
        ['queue positions', () => queuePositions.close()],
        ['hold-path health', () => holdHealth?.close()],
        ['admission passes', () => admissionPasses.close()],
        ['command limits', () => app.commandLimits?.close()],
        ['socket.io', () => io.close()],
        ['connection report', () => connectionReports.stop()],
        ['seat jobs', () => seatJobs.close()],
        ['ended sessions', () => endedSessions.close()],
        ['redis', () => Promise.all([redis.quit(), pub.quit(), sub.quit(), seatSub.quit()])],
        ['postgres', () => pool.end()],
      ],
      config.shutdownDeadlineMs,
      (step, err) => log.warn({ err, step }, 'shutdown step failed'),
    );
    log.info('gateway stopped');
  });
  return { port, metricsPort: metricsServer?.port ?? null, app, close };
}
