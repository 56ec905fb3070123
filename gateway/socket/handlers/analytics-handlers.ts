import type { adminCommands } from '../../../core/contract/commands.js';
import { AppError } from '../../../core/domain/app-error.js';
import { emptyAnalyticsSnapshot } from '../../../core/domain/build-analytics-snapshots.js';
import { scopeSnapshotToEvent } from '../../../core/domain/scope-snapshot.js';
import { rooms } from '../../../core/rooms.js';
import { eventExists } from '../../../core/use-cases/analytics/event-exists.js';
import { findAnalyticsSnapshot } from '../../../core/use-cases/analytics/find-analytics-snapshot.js';
import type { AdminSocket } from '../../io/typed-server.js';
import type { Handlers } from '../bind-commands.js';

/**
 * Live analytics on `/admin`. The gateway never computes figures: it answers with the snapshot
 * the analytics worker stored at its last tick and lets the worker's pushes to the room follow.
 */
export const analyticsHandlers: Handlers<typeof adminCommands, AdminSocket> = {
  'analytics:subscribe': async ({ eventId }, { app, socket }) => {
    // Organizers (scopeAdminHandlers let them through for their own events only) get the snapshot
    // scoped to that event, in a room of their own.
    const scoped = socket.data.principal?.role !== 'admin' && eventId ? eventId : null;
    const room = scoped ? rooms.analyticsScoped(scoped) : rooms.analytics(eventId);
    // Join first: a tick between the read and the join would otherwise be a missed update.
    await socket.join(room);
    const stored = await findAnalyticsSnapshot(app, eventId);
    if (stored) return scoped ? scopeSnapshotToEvent(stored, scoped) : stored;
    // Not covered yet (worker starting, event just created, or over): still a real event?
    if (eventId && !(await eventExists(app.pool, eventId))) {
      await socket.leave(room);
      throw new AppError('NOT_FOUND', 'no such event');
    }
    return emptyAnalyticsSnapshot(app.now(), eventId);
  },
  'analytics:unsubscribe': async ({ eventId }, { socket }) => {
    await socket.leave(rooms.analytics(eventId));
    if (eventId) await socket.leave(rooms.analyticsScoped(eventId));
    return {};
  },
};
