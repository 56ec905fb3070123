import { rooms } from '../../../core/rooms.js';
import { markQueueDisconnected, markQueueReconnected } from '../../../core/use-cases/waiting-room/mark-queue-presence.js';
import type { AppContext } from '../../context/app-context.js';
import type { UserSocket } from '../../io/typed-server.js';

/** Events whose queue this socket joined or asked about (its grace periods start on disconnect). */
const queuedEvents = new WeakMap<UserSocket, Set<string>>();

export function rememberQueuedEvent(socket: UserSocket, eventId: string): void {
  const events = queuedEvents.get(socket) ?? new Set<string>();
  events.add(eventId);
  queuedEvents.set(socket, events);
}

export function forgetQueuedEvent(socket: UserSocket, eventId: string): void {
  queuedEvents.get(socket)?.delete(eventId);
}

/**
 * Disconnect grace period: when a user's last socket (on any gateway) goes away, their places
 * are kept for QUEUE_GRACE_SECONDS; any socket of theirs connecting again ends it.
 */
export const queueLifecycle = {
  async onConnect(app: AppContext, socket: UserSocket): Promise<void> {
    const principal = socket.data.principal;
    if (principal) await markQueueReconnected(app, principal.userId);
  },
  async onDisconnect(app: AppContext, socket: UserSocket): Promise<void> {
    app.queuePositions.forget(socket);
    const principal = socket.data.principal;
    const events = queuedEvents.get(socket);
    if (!principal || !events || events.size === 0) return;
    // Another tab of the same user, here or on another gateway, keeps the places alive.
    const others = await app.io
      .in(rooms.user(principal.userId))
      .fetchSockets()
      .catch(() => []);
    if (others.length > 0) return;
    const deadline = new Date(app.now().getTime() + app.config.queueGraceSeconds * 1000);
    await markQueueDisconnected(app, [...events], principal.userId, deadline);
  },
};
