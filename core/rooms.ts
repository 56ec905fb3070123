/** Socket.IO room names, shared by gateways (join) and workers (emit). */
export const rooms = {
  /** Every socket of one user, on every gateway instance. */
  user: (userId: string) => `user:${userId}`,
  /** Every socket opened with a token of one sign-in (logout closes exactly these). */
  session: (sessionId: string) => `session:${sessionId}`,
  /** Seat-map subscribers of one event. */
  seats: (eventId: string) => `seats:${eventId}`,
  /** Compact seat-state subscribers (seats:delta); local to each gateway. */
  seatsCompact: (eventId: string) => `seats-compact:${eventId}`,
  /** Availability subscribers (availability:changed); local to each gateway. */
  availability: (eventId: string) => `availability:${eventId}`,
  /** Sockets waiting in an event's waiting room (queue:state, local queue positions). */
  queueWaiting: (eventId: string) => `queue:${eventId}`,
  /** Admin analytics subscribers: all events, or one. */
  analytics: (eventId?: string) => (eventId ? `analytics:${eventId}` : 'analytics:*'),
  /** Organizer analytics subscribers of one event: the snapshot scoped to that event. */
  analyticsScoped: (eventId: string) => `analytics-scoped:${eventId}`,
} as const;
