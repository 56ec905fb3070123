import { rooms } from '../../core/rooms.js';
import type { TypedServer } from '../socket/typed-server.js';

/** `queue:state sold_out` to the sockets waiting here: every gateway that watches the event sees
 * the last seat go and tells its own waiting sockets, so nothing crosses Redis per socket. */
export function announceSoldOut(io: TypedServer, eventId: string): void {
  io.local.to(rooms.queueWaiting(eventId)).emit('queue:state', { eventId, state: 'sold_out', at: new Date().toISOString() });
}
