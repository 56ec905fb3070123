import type { commands } from '../../../core/contract/commands.js';
import { rooms } from '../../../core/rooms.js';
import type { UserSocket } from '../../io/typed-server.js';
import type { Handlers } from '../bind-commands.js';

/**
 * Live seat map and availability, answered from this gateway's memory (never Postgres per
 * subscribe); anonymous sockets may watch too. The RawJson replies are the serialization
 * cached per seq, spliced into the ack as they are.
 */
export const seatHandlers: Handlers<typeof commands, UserSocket> = {
  'seats:subscribe': async ({ eventId, format }, { app, socket }) => {
    app.watchedEvents.admit(socket, eventId);
    const map =
      format === 'compact'
        ? await app.liveSeats.subscribeCompact(socket, eventId)
        : await app.liveSeats.subscribeFull(socket, eventId);
    app.watchedEvents.watching(socket, eventId);
    return map as never;
  },
  'seats:unsubscribe': async ({ eventId }, { socket }) => {
    await Promise.all([socket.leave(rooms.seats(eventId)), socket.leave(rooms.seatsCompact(eventId))]);
    return {};
  },
  'availability:subscribe': async ({ eventId }, { app, socket }) => {
    app.watchedEvents.admit(socket, eventId);
    const availability = await app.liveSeats.subscribeAvailability(socket, eventId);
    app.watchedEvents.watching(socket, eventId);
    return availability;
  },
  'availability:unsubscribe': async ({ eventId }, { socket }) => {
    await socket.leave(rooms.availability(eventId));
    return {};
  },
};
