import type { Db } from '../../db/pool.js';
import { rooms } from '../../rooms.js';
import { listWaitlistPositions } from './list-waitlist-positions.js';

interface UserBroadcaster {
  to(room: string): { emit(event: 'waitlist:position', payload: { eventId: string; position: number }): unknown };
}

/**
 * Tells the waiting users of the event their place in line after it moved: all of them, or with
 * `afterSeq` only those behind the entry that left (the ones ahead of it kept their place).
 */
export async function pushWaitlistPositions(
  db: Db,
  broadcaster: UserBroadcaster,
  eventId: string,
  afterSeq: string | null = null,
): Promise<void> {
  for (const { userId, position } of await listWaitlistPositions(db, eventId, afterSeq)) {
    broadcaster.to(rooms.user(userId)).emit('waitlist:position', { eventId, position });
  }
}
