import type { TemplatedApp } from 'uWebSockets.js';
import { Server } from 'socket.io';
import type { Config } from '../core/config.js';
import { adminCommands, commands } from '../core/contract/commands.js';
import type { Redis } from '../core/redis/connect-redis.js';
import { createGatewayAdapter } from '../core/redis/create-socket-emitter.js';
import { createKeys } from '../core/redis/keys.js';
import { rooms } from '../core/rooms.js';
import { adminCommandHandlers } from './commands/admin-commands.js';
import { socketLifecycles } from './commands/socket-lifecycle.js';
import { userCommandHandlers } from './commands/user-commands.js';
import type { AppContext } from './context/app-context.js';
import { createTrustedProxies } from './http/client-address.js';
import { visitOnlyPollingSocketsOnPublish } from './io/publish-visits-polling-only.js';
import { rawJsonParser } from './io/raw-json-parser.js';
import type { AdminNamespace, TypedServer } from './io/typed-server.js';
import { limitConnections, recordClientAddress } from './limit-connections.js';
import { limitPendingConnections } from './limit-pending-connections.js';
import { authenticateAdmin, authenticateUser } from './socket/authenticate-socket.js';
import { bindCommands } from './socket/bind-commands.js';

export function createSocketServer(config: Config, uws: TemplatedApp, pub: Redis, sub: Redis): TypedServer {
  const io: TypedServer = new Server({
    transports: ['websocket', 'polling'],
    maxHttpBufferSize: config.socketMaxPayloadBytes,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    // A transport that has not joined a namespace by then is closed (limitPendingConnections).
    connectTimeout: config.connectionLimits.pendingTimeoutMs,
    serveClient: false,
    adapter: createGatewayAdapter(config.socketAdapter, pub, sub, createKeys(config.redisPrefix).socketChannel) as never,
    // Long-polling from a browser on another origin follows the HTTP API's CORS rules.
    ...(config.cors.origins.length > 0 && {
      cors: {
        origin: config.cors.origins.includes('*') ? '*' : [...config.cors.origins],
        credentials: config.cors.allowCredentials,
      },
    }),
    parser: rawJsonParser,
  });
  attachWithBackpressureLimit(io, uws, config.socketMaxBackpressureBytes);
  visitOnlyPollingSocketsOnPublish();
  return io;
}

/**
 * uWS drops a send silently once a socket's buffer passes maxBackpressure (its default): a slow
 * reader would lose pushes and acks without anyone knowing. With closeOnBackpressureLimit it is
 * closed instead, reconnects and resyncs. engine.io's attach passes maxBackpressure through but
 * not closeOnBackpressureLimit, so its one `ws()` registration is given both here.
 */
function attachWithBackpressureLimit(io: TypedServer, uws: TemplatedApp, maxBackpressure: number): void {
  const ws = uws.ws;
  uws.ws = function patchedWs(this: TemplatedApp, pattern: string, behavior: object) {
    return ws.call(this, pattern, { ...behavior, maxBackpressure, closeOnBackpressureLimit: 1 } as never);
  } as TemplatedApp['ws'];
  try {
    io.attachApp(uws, { maxBackpressure } as never);
  } finally {
    uws.ws = ws;
  }
}

/** Authentication, rooms, lifecycle hooks and command bindings for both namespaces. */
export function wireSocketServer(app: AppContext): void {
  const { io, config, metrics, log } = app;
  const trusted = createTrustedProxies(config.trustedProxies);
  const pending = limitPendingConnections(io.engine as never, trusted, config.connectionLimits);
  io.use(recordClientAddress(trusted));
  io.use(authenticateUser(config.jwtAccessSecret, app.endedSessions));
  io.use(limitConnections(config.connectionLimits));
  const bindUserCommands = bindCommands(app, commands, userCommandHandlers);
  io.on('connection', (socket) => {
    pending.joined(socket.conn);
    metrics.connections.inc({ namespace: '/' });
    const principal = socket.data.principal;
    if (principal) void socket.join(rooms.user(principal.userId));
    if (principal?.sessionId) void socket.join(rooms.session(principal.sessionId));
    // Ended between the handshake's check and the joins above: the close missed this socket.
    if (principal && app.endedSessions?.isEnded(principal)) socket.disconnect(true);
    bindUserCommands(socket);
    for (const l of socketLifecycles) {
      Promise.resolve(l.onConnect?.(app, socket)).catch((err) => log.error({ err }, 'socket connect hook failed'));
    }
    socket.on('disconnect', (reason) => {
      metrics.connections.dec({ namespace: '/' });
      for (const l of socketLifecycles) {
        Promise.resolve(l.onDisconnect?.(app, socket, reason)).catch((err) =>
          log.error({ err }, 'socket disconnect hook failed'),
        );
      }
    });
  });
  const admin = io.of('/admin') as unknown as AdminNamespace;
  admin.use(recordClientAddress(trusted));
  admin.use(authenticateAdmin(config.jwtAccessSecret, app.pool, app.endedSessions));
  const bindAdminCommands = bindCommands(app, adminCommands, adminCommandHandlers);
  admin.on('connection', (socket) => {
    pending.joined(socket.conn);
    metrics.connections.inc({ namespace: '/admin' });
    // So ending this admin's sessions can find and close its /admin sockets too.
    if (socket.data.principal) void socket.join(rooms.user(socket.data.principal.userId));
    if (socket.data.principal?.sessionId) void socket.join(rooms.session(socket.data.principal.sessionId));
    bindAdminCommands(socket);
    socket.on('disconnect', () => metrics.connections.dec({ namespace: '/admin' }));
  });
}
