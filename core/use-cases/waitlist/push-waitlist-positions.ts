import type { Db } from '../../db/pool.js';
import { rooms } from '../../rooms.js';
import { listWaitlistPositions } from './list-waitlist-positions.js';

interface UserBroadcaster {
  to(room: string): { emit(event: 'waitlist:position', payload: { eventId: string; position: number }): unknown };
}

/** Tells every waiting user of the event their place in line (after the line moved). */
export async function pushWaitlistPositions(db: Db, broadcaster: UserBroadcaster, eventId: string): Promise<void> {
  for (const { userId, position } of await listWaitlistPositions(db, eventId)) {
    broadcaster.to(rooms.user(userId)).emit('waitlist:position', { eventId, position });
  }
}
