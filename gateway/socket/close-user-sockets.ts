import { rooms } from '../../core/rooms.js';
import type { AdminNamespace, TypedServer } from '../io/typed-server.js';

/**
 * Tells and closes this gateway's sockets of one user (or of one of its sessions), on `/` and
 * `/admin`. Every gateway runs it for each "sessions ended" announcement, so `local` keeps it
 * from fanning out N times. The push is written before the close frame: Engine.IO drains its
 * buffer before closing.
 */
export function closeUserSockets(io: TypedServer, ended: { userId: string; sessionId?: string }, reason: string): void {
  const room = ended.sessionId ? rooms.session(ended.sessionId) : rooms.user(ended.userId);
  io.local.to(room).emit('session:ended', { reason });
  io.local.in(room).disconnectSockets(true);
  const admin = io.of('/admin') as unknown as AdminNamespace;
  admin.local.to(room).emit('session:ended', { reason });
  admin.local.in(room).disconnectSockets(true);
}
