import type {
  AckedBooking,
  AckedHold,
  AdmissionRecord,
  ClientProcessResult,
  CommitRecord,
  LatencySample,
  ProgressReport,
} from './bench-types.js';
import type { EmitResult } from './eio-client.js';

/** Everything one client process measures and every ok ack it got, for the report and the audit. */
export class ClientRecorder {
  private readonly latencies: Record<string, LatencySample[]> = {};
  private readonly commits: CommitRecord[] = [];
  private readonly holds = new Map<string, AckedHold>();
  private readonly bookings: AckedBooking[] = [];
  private readonly admissions: AdmissionRecord[] = [];
  private readonly outcomes: Record<string, number> = {};
  private readonly unexpectedErrors: string[] = [];
  private unexpectedCount = 0;
  readonly pushCounts: Record<string, number> = {};
  readonly observed: Record<string, number[]>[] = [];
  private reportedHolds = 0;

  sample(command: string, sentAt: number, latencyMs: number, code: string): void {
    let list = this.latencies[command];
    if (!list) {
      list = [];
      this.latencies[command] = list;
    }
    list.push([sentAt, latencyMs, code]);
    const key = `${command} ${code || 'ok'}`;
    this.outcomes[key] = (this.outcomes[key] ?? 0) + 1;
  }

  unexpected(what: string): void {
    this.unexpectedCount += 1;
    // Keep the first few verbatim; the count says how many there were.
    if (this.unexpectedErrors.length < 50) this.unexpectedErrors.push(what);
  }

  commit(seatIds: string[], status: CommitRecord['status'], r: EmitResult): void {
    this.commits.push({ seatIds, status, sentAt: r.sentAt, ackAt: r.ackAt });
  }

  hold(h: AckedHold): void {
    this.holds.set(h.holdId, h);
  }

  released(holdId: string): void {
    const h = this.holds.get(holdId);
    if (h) h.released = true;
  }

  booking(b: AckedBooking): void {
    this.bookings.push(b);
  }

  admission(userId: string, joinedAt: number, position: number | null, immediate: boolean): AdmissionRecord {
    const a: AdmissionRecord = { userId, joinedAt, position, admittedAt: null, immediate };
    this.admissions.push(a);
    return a;
  }

  push(name: string): void {
    this.pushCounts[name] = (this.pushCounts[name] ?? 0) + 1;
  }

  /** Totals so far and the hold latencies since the last call (the status line). */
  progress(): ProgressReport {
    const holds = this.latencies['seats:hold'] ?? [];
    const recentHoldMs = holds.slice(this.reportedHolds).map(([, ms]) => ms);
    this.reportedHolds = holds.length;
    return {
      holdsOk: this.outcomes['seats:hold ok'] ?? 0,
      soldSeats: this.bookings.reduce((n, b) => n + b.seatIds.length, 0),
      recentHoldMs,
      joined: this.admissions.length,
      admitted: this.admissions.filter((a) => a.admittedAt !== null).length,
      unexpected: this.unexpectedCount,
    };
  }

  result(connected: number, connectFailures: string[]): ClientProcessResult {
    const unexpected = [...this.unexpectedErrors];
    if (this.unexpectedCount > unexpected.length) unexpected.push(`… and ${this.unexpectedCount - unexpected.length} more`);
    return {
      connected,
      connectFailures,
      latencies: this.latencies,
      commits: this.commits,
      holds: [...this.holds.values()],
      bookings: this.bookings,
      admissions: this.admissions,
      observed: this.observed,
      pushCounts: this.pushCounts,
      outcomes: this.outcomes,
      unexpected,
      unexpectedCount: this.unexpectedCount,
    };
  }
}
