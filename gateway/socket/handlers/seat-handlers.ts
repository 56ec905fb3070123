import type { commands } from '../../../core/contract/commands.js';
import { rooms } from '../../../core/rooms.js';
import { getSeatMap } from '../../../core/use-cases/seats/get-seat-map.js';
import type { Handlers } from '../bind-commands.js';
import type { UserSocket } from '../typed-server.js';

/** Live seat map: anonymous sockets may watch too. */
export const seatHandlers: Handlers<typeof commands, UserSocket> = {
  'seats:subscribe': async ({ eventId }, { app, socket }) => {
    // Join before reading: a change committed in between arrives as a push with a newer
    // version, so the client never misses one (it applies only newer versions).
    await socket.join(rooms.seats(eventId));
    try {
      return { eventId, seats: await getSeatMap(app.pool, eventId) };
    } catch (err) {
      await socket.leave(rooms.seats(eventId));
      throw err;
    }
  },
  'seats:unsubscribe': async ({ eventId }, { socket }) => {
    await socket.leave(rooms.seats(eventId));
    return {};
  },
};
