import type { EndedSessions } from '../../core/auth/ended-sessions.js';
import type { InFlight } from '../../core/in-flight.js';
import type { SeatJobs } from '../../core/jobs/seat-jobs.js';
import type { ProcessContext } from '../../core/process-context.js';
import type { Bulkhead } from '../../core/rate-limits/create-bulkhead.js';
import type { SeatLocks } from '../../core/redis/seat-locks.js';
import type { SeatBatchers } from '../../core/use-cases/seats/seat-batchers.js';
import type { CommandLimits } from '../io/command-limits.js';
import type { TypedServer } from '../io/typed-server.js';
import type { WatchedEventLimits } from '../seats/limit-watched-events.js';
import type { LiveSeats } from '../seats/live-seats.js';
import type { AdmissionPasses } from '../waiting-room/admission-passes.js';
import type { HoldPathHealthRecorder } from '../waiting-room/hold-path-health.js';
import type { LocalQueuePositions } from '../waiting-room/local-queue-positions.js';

/** Everything long-lived a gateway handler may use; built once in startGateway. */
export interface AppContext extends ProcessContext {
  io: TypedServer;
  /** This gateway's in-memory seat state of the events its sockets watch. */
  liveSeats: LiveSeats;
  /** Bounds the events one socket, and anonymous sockets together, watch here. */
  watchedEvents: WatchedEventLimits;
  /** queue:position for this gateway's own waiting sockets. */
  queuePositions: LocalQueuePositions;
  /** Hold/confirm latency and database queue, published each second for the admission loop;
   * null on a queue-tier gateway (the loop steers by the shop's own latency). */
  holdHealth: HoldPathHealthRecorder | null;
  /** Admissions checked once and trusted until they end (holds, shop-tier seat maps). */
  admissionPasses?: AdmissionPasses;
  /** Redlock on seats (a no-op when REDLOCK_ENABLED=false). */
  seatLocks: SeatLocks;
  /** Hold-expiry and waitlist-offer jobs for the workers. */
  seatJobs: SeatJobs;
  isShuttingDown: () => boolean;
  /** Commands being handled; shutdown waits for them before closing the pools. */
  inFlight: InFlight;
  /** Users whose sessions were ended (role change, revocation): their older tokens are dead. */
  endedSessions?: EndedSessions;
  /** Per-socket, per-user and per-address command allowances, checked before every command. */
  commandLimits?: CommandLimits;
  /** Group commit of the seat commands: every hold, confirm, release and waitlist join is a request to one. */
  batchers: SeatBatchers;
  /** Where waiting-room commands queue (bind-commands.ts WAITING_ROOM_COMMANDS). */
  waitingLane: Bulkhead;
}
