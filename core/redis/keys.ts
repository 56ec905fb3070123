/**
 * Every Redis key and channel name, built in one place. Per-event keys carry a `{eventId}` hash
 * tag so one event's keys live in one Redis Cluster slot (multi-key Lua scripts stay legal).
 */
export function createKeys(prefix: string) {
  const ev = (eventId: string) => `${prefix}ev:{${eventId}}`;
  return {
    prefix,
    /**
     * BullMQ's own prefix, hash-tagged: BullMQ's scripts touch many keys of a queue at once, so on
     * a Redis Cluster every key of a queue must share one slot (all queues share this one). The
     * tag comes after the prefix so that everything of a deployment still starts with it.
     */
    bullPrefix: `${prefix}{bull}`,
    /** Socket.IO adapter / emitter channel prefix. */
    socketChannel: `${prefix}sio`,
    loginFailures: `${prefix}rl:login`,
    registrations: `${prefix}rl:register`,
    /** Account mails (password reset, verification) per account and per address. */
    accountMails: `${prefix}rl:account-mail`,
    /** Command allowances across gateways (rate-limiter-flexible key prefixes). */
    commandRateUser: `${prefix}rl:cmd:user`,
    commandRateAddress: `${prefix}rl:cmd:ip`,
    /** ZSET `u:<userId>` (tokens issued before the score, in ms, are dead) and `s:<sessionId>:<userId>`
     * (every token of that sign-in is dead), scored by when they ended; every gateway reads it. */
    sessionsEndedLog: `${prefix}sessions:ended:log`,
    /** STRING, a random id set when missing: a new one means the store lost its ended sessions. */
    sessionsEndedGeneration: `${prefix}sessions:ended:gen`,
    /** Pub/sub channel telling every gateway to close one user's live sockets. */
    sessionsEndedChannel: `${prefix}sessions:ended:ch`,
    // waiting room
    queue: (eventId: string) => `${ev(eventId)}:queue`,
    queueSeq: (eventId: string) => `${ev(eventId)}:queue:seq`,
    queueDisconnected: (eventId: string) => `${ev(eventId)}:queue:gone`,
    /** ZSET userId -> session expiry (ms): the live admission sessions. */
    active: (eventId: string) => `${ev(eventId)}:active`,
    /** HASH userId -> `sessionId:issuedAtSec:expiresAtSec`, enough to re-sign the user's token. */
    admissionSessions: (eventId: string) => `${ev(eventId)}:active:sessions`,
    /** Pub/sub channel: `eventId userId` whose admission session ended (leave, last hold done). */
    admissionEndedChannel: `${prefix}admission:ended`,
    admissionControl: (eventId: string) => `${ev(eventId)}:admission`,
    admissionStats: (eventId: string) => `${ev(eventId)}:admission:stats`,
    admittedLog: (eventId: string) => `${ev(eventId)}:admitted`,
    /** Admitted users whose `queue:admitted` push is not known to have gone out yet. */
    admittedUnnotified: (eventId: string) => `${ev(eventId)}:admitted:unnotified`,
    onSaleEvents: `${prefix}onsale`,
    /** STRING, set once: this proof-of-work challenge (by its signature) was spent on a join. */
    challengeSpent: (eventId: string, signature: string) => `${ev(eventId)}:pow:${signature}`,
    /** HASH gateway instance -> its latest hold-path health report (closed-loop admission). */
    holdHealth: `${prefix}hold-health`,
    // seats
    /** Pub/sub channel: committed seat changes, applied by every gateway to its live seat state. */
    seatChanges: `${prefix}seat-changes`,
    seatLock: (eventId: string, seatId: string) => `${ev(eventId)}:lock:seat:${seatId}`,
    /** BullMQ queue names (under bullPrefix): one delayed job per hold, offers per event. */
    holdExpiryQueue: 'hold-expiry',
    waitlistOfferQueue: 'waitlist-offers',
    // analytics
    instanceConnections: `${prefix}connections`,
    /** HASH `*` (whole system) or eventId -> the latest AnalyticsSnapshot JSON, written each tick. */
    analyticsSnapshots: `${prefix}analytics:snapshots`,
    /** BullMQ queue whose job scheduler runs one analytics tick per interval across all workers. */
    analyticsQueue: 'analytics',
    // notifications
    /** BullMQ queue of outbox messages to deliver (job id = outbox id). */
    notificationQueue: 'notifications',
  } as const;
}

export type Keys = ReturnType<typeof createKeys>;
