import type { QueueRoomState } from '../../core/contract/pushes.js';
import { rooms } from '../../core/rooms.js';
import type { TypedServer } from '../io/typed-server.js';

/**
 * `queue:state` to every socket waiting in the event's room. Admin actions (pause, resume,
 * cancel) happen on one gateway: `everywhere` sends one broadcast through the adapter to all
 * of them. Sold out is seen by every gateway that watches the event in its own memory, so each
 * tells only its own sockets (`local`): nothing crosses Redis.
 */
export function announceQueueState(io: TypedServer, eventId: string, state: QueueRoomState, reach: 'everywhere' | 'local'): void {
  const payload = { eventId, state, at: new Date().toISOString() };
  const target = reach === 'local' ? io.local.to(rooms.queueWaiting(eventId)) : io.to(rooms.queueWaiting(eventId));
  target.emit('queue:state', payload);
}
