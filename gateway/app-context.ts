import type { EndedSessions } from '../core/auth/ended-sessions.js';
import type { InFlight } from '../core/in-flight.js';
import type { SeatJobs } from '../core/jobs/seat-jobs.js';
import type { ProcessContext } from '../core/process-context.js';
import type { Bulkhead } from '../core/rate-limits/create-bulkhead.js';
import type { SeatLocks } from '../core/redis/seat-locks.js';
import type { SeatBatchers } from '../core/use-cases/holds/seat-batchers.js';
import type { HoldPathHealthRecorder } from './queue/hold-path-health.js';
import type { LocalQueuePositions } from './queue/local-queue-positions.js';
import type { LiveSeats } from './seats/live-seats.js';
import type { CommandLimits } from './socket/command-limits.js';
import type { TypedServer } from './socket/typed-server.js';

/** Everything long-lived a gateway handler may use; built once in startGateway. */
export interface AppContext extends ProcessContext {
  io: TypedServer;
  /** This gateway's in-memory seat state of the events its sockets watch. */
  liveSeats: LiveSeats;
  /** queue:position for this gateway's own waiting sockets. */
  queuePositions: LocalQueuePositions;
  /** Hold/confirm latency and database queue, published each second for the admission loop. */
  holdHealth: HoldPathHealthRecorder;
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
  /** Group commit of seats:hold per event (null when GROUP_COMMIT_ENABLED=false). */
  /** Group commit of the seat commands (GROUP_COMMIT_ENABLED); null: one transaction each. */
  batchers: SeatBatchers | null;
  /** Where waiting-room commands queue (bind-commands.ts WAITING_ROOM_COMMANDS). */
  waitingLane: Bulkhead;
}
