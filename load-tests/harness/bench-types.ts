/** Messages and records exchanged between the bench orchestrator and its client processes. */

export interface BenchUser {
  id: string;
  token: string;
}

export interface ScenarioSettings {
  eventId: string;
  sections: string[];
  /** Share of successful holds that are confirmed; the rest are released. */
  confirmRate: number;
  thinkMs: [number, number];
  /** Spread of the users' start over this many ms (0: all at once). */
  rampMs: number;
  /** Users stop where they are at this epoch ms. */
  deadlineAt: number;
  /** Waitlisted users wait for an offer until this epoch ms. */
  waitlistUntil: number;
  /** compact: users watch availability while waiting and take the compact seat state once
   * admitted, as a frontend does; full: every socket holds the full map all along. */
  format: SeatMapFormat;
}

export type SeatMapFormat = 'compact' | 'full';

/** What a client process reports every few seconds during the sale (the bench's status line). */
export interface ProgressReport {
  holdsOk: number;
  soldSeats: number;
  /** Hold ack latencies (ms) since the previous report. */
  recentHoldMs: number[];
  joined: number;
  admitted: number;
  unexpected: number;
}

export interface ClientProcessSetup {
  gatewayUrls: string[];
  users: BenchUser[];
  /** Index of this process; sockets are spread over gateways by global index. */
  offset: number;
  /** This many sockets record every seat change they receive, for fan-out lag. */
  observers: number;
  eventId: string;
  connectConcurrency: number;
  /** Two tiers: the gateways are the queue tier; admitted users follow `shopUrl` with a second
   * socket, and observers watch availability until they are admitted (seat maps are the shop's). */
  tiered: boolean;
}

export type ToClient =
  | { type: 'setup'; setup: ClientProcessSetup }
  | { type: 'subscribe'; eventId: string; concurrency: number; format: SeatMapFormat }
  | { type: 'go'; scenario: ScenarioSettings }
  | { type: 'finish' };

/** One command latency sample: epoch ms when sent, ms until the ack, error code or ''. */
export type LatencySample = [sentAt: number, latencyMs: number, code: string];

/** A seat state change this client caused and got an ok ack for. */
export interface CommitRecord {
  seatIds: string[];
  status: 'held' | 'sold' | 'available';
  sentAt: number;
  ackAt: number;
}

export interface AckedHold {
  holdId: string;
  userId: string;
  seatIds: string[];
  /** 'user': seats:hold ack; 'waitlist': waitlist:offer push. */
  source: 'user' | 'waitlist';
  released: boolean;
}

export interface AckedBooking {
  bookingId: string;
  holdId: string;
  userId: string;
  seatIds: string[];
  ackAt: number;
}

export interface AdmissionRecord {
  userId: string;
  joinedAt: number;
  /** Queue position from the join reply; null when admitted at once or before the shuffle. */
  position: number | null;
  admittedAt: number | null;
  immediate: boolean;
}

export interface ClientProcessResult {
  connected: number;
  connectFailures: string[];
  latencies: Record<string, LatencySample[]>;
  commits: CommitRecord[];
  holds: AckedHold[];
  bookings: AckedBooking[];
  admissions: AdmissionRecord[];
  /** Per observer: `${seatId}|${status}` -> receipt times (epoch ms), ascending. */
  observed: Record<string, number[]>[];
  pushCounts: Record<string, number>;
  outcomes: Record<string, number>;
  /** The first few unexpected errors verbatim, and how many there were. */
  unexpected: string[];
  unexpectedCount: number;
}

export type FromClient =
  | { type: 'connected'; connected: number; failures: string[] }
  | { type: 'subscribed' }
  | { type: 'progress'; progress: ProgressReport }
  | { type: 'result'; result: ClientProcessResult }
  | { type: 'error'; message: string };
