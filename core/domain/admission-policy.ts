/** Rules of the waiting room: how many to let in, how long the rest will wait, how fair it was. */

export interface AdmissionBudgetInput {
  paused: boolean;
  saleOpen: boolean;
  admitPerTick: number;
  maxActive: number;
  /** Live admission sessions right now. */
  active: number;
}

/** How many users one tick may admit: `min(admitPerTick, maxActive - active)`, none while paused or closed. */
export function admissionBudget(i: AdmissionBudgetInput): number {
  if (i.paused || !i.saleOpen) return 0;
  return Math.max(0, Math.min(i.admitPerTick, i.maxActive - i.active));
}

/**
 * A join skips the queue only when nobody waits and fewer live sessions than this exist (the
 * Redis script checks both atomically); zero while paused or before the sale.
 */
export function joinAdmissionCap(i: { paused: boolean; saleOpen: boolean; maxActive: number }): number {
  return i.paused || !i.saleOpen ? 0 : i.maxActive;
}

/** Admissions counted per whole second (epoch seconds). */
export interface AdmissionBucket {
  second: number;
  count: number;
}

/**
 * Admissions per second over the last `windowSeconds`, measured from the first second that saw
 * an admission (a sale that opened 5 s ago is not averaged over a minute). Null without data.
 */
export function measuredAdmissionRate(
  buckets: readonly AdmissionBucket[],
  nowSecond: number,
  windowSeconds: number,
): number | null {
  const recent = buckets.filter((b) => b.second > nowSecond - windowSeconds && b.second <= nowSecond && b.count > 0);
  if (recent.length === 0) return null;
  const first = Math.min(...recent.map((b) => b.second));
  const total = recent.reduce((sum, b) => sum + b.count, 0);
  return total / (nowSecond - first + 1);
}

/** The rate the settings allow when nothing has been measured yet (admissions per second). */
export function configuredAdmissionRate(s: { admitPerTick: number; tickMs: number }): number {
  return (s.admitPerTick * 1000) / s.tickMs;
}

/**
 * Seconds until the user with `ahead` people in front is admitted; null when it cannot be
 * known (paused, or no rate at all). The user is in the batch that admits `ahead + 1` people.
 */
export function estimateEtaSeconds(ahead: number, ratePerSecond: number | null, paused: boolean): number | null {
  if (paused || ratePerSecond === null || ratePerSecond <= 0) return null;
  return Math.ceil((ahead + 1) / ratePerSecond);
}

/**
 * Fairness as a number: the largest count of places by which anyone was overtaken, i.e. for each
 * admitted user, how many users who queued before them were admitted after them (or not yet).
 * Zero means admission order equals queue order. `queueOrder` is the order users queued in.
 */
export function maxDisplacement(queueOrder: readonly string[], admissionOrder: readonly string[]): number {
  const admittedAt = new Map(admissionOrder.map((u, i) => [u, i] as const));
  let worst = 0;
  // Walk the queue: every earlier user still not admitted by the time a later one is admitted
  // counts once against that later user.
  const pendingEarlier: number[] = [];
  for (const user of queueOrder) {
    const at = admittedAt.get(user) ?? Number.POSITIVE_INFINITY;
    const overtaken = pendingEarlier.filter((earlierAt) => earlierAt > at).length;
    worst = Math.max(worst, overtaken);
    pendingEarlier.push(at);
  }
  return worst;
}

export interface HoldPathHealth {
  /** Worst hold/confirm ack p95 across gateways over the last report (ms), null without data. */
  holdP95Ms: number | null;
  /** Commands waiting for a database connection, summed over gateways. */
  dbWaiting: number;
}

/**
 * After a cut, the loop waits this long before it cuts again: the users admitted before the cut
 * are still holding, and their latency says nothing yet about the new rate (TCP cuts once per
 * round trip for the same reason). Without it, one slow burst halved the rate on every report
 * until it reached 1, and a 20,000-user sale crawled at a few admissions a second.
 */
export const ADMIT_CUT_COOLDOWN_MS = 2000;

/**
 * Where the closed loop starts an event: a tenth of `admitPerTick` (at least 1) per tick. The
 * opening is the harshest second of a sale (the whole crowd is already queued, nobody has
 * measured the hold path yet, and the first latency report comes a second after the first
 * admissions): starting at the admin's full rate admitted 500 buyers into the first second of a
 * 20,000-user sale and made the opening the hold path's p99.
 */
export function initialAdmitLimit(admitPerTick: number): number {
  return Math.max(1, Math.ceil(admitPerTick / 10));
}

/**
 * Closed-loop admission, the way TCP finds a link's capacity: the number admitted per tick
 * halves when the hold path misses its latency target or its database queue fills (at most once
 * per ADMIT_CUT_COOLDOWN_MS; in between it stays). Per healthy report it doubles while the loop
 * has never cut (`slowStart`, from initialAdmitLimit), and afterwards climbs by a twentieth of the
 * admin's `admitPerTick` (at least 1). It never goes above `admitPerTick` (and the tick's budget
 * keeps `maxActive`), never below 1. Without measurements (nobody holding yet) the path counts
 * as healthy. `msSinceCut` is the time since the last cut (none: infinite).
 *
 * A late p95 that is not above the previous report's (`previousP95Ms`) does not cut, it holds:
 * the latency answers admissions seconds late (the admitted must be told, take the seat map, think
 * and hold, and each report's p95 spans three seconds of acks), so a p95 that already falls is the
 * last cut working. Cutting on it too took a 20,000-user sale from 20 admissions a tick to 1 on
 * every burst (measured, load-tests/RESULTS.md). A hold stuck behind a lock still cuts: the ages
 * of commands in flight keep its p95 rising. A full database queue cuts whatever the trend. A
 * latency that stays late without rising is left where it is: a variant that cut it again every
 * 6 s admitted less in the sale, where such a latency was the waiting crowd's (RESULTS.md).
 */
export function nextAdmitLimit(i: {
  current: number;
  admitPerTick: number;
  targetHoldP95Ms: number;
  dbQueueMax: number;
  health: HoldPathHealth;
  msSinceCut?: number;
  slowStart?: boolean;
  previousP95Ms?: number | null;
}): number {
  const current = Math.min(Math.max(1, i.current), i.admitPerTick);
  const p95 = i.health.holdP95Ms;
  const late = p95 !== null && p95 > i.targetHoldP95Ms;
  const queued = i.health.dbWaiting > i.dbQueueMax;
  if (late || queued) {
    const cooling = i.msSinceCut !== undefined && i.msSinceCut < ADMIT_CUT_COOLDOWN_MS;
    const falling = p95 !== null && i.previousP95Ms != null && p95 <= i.previousP95Ms;
    return cooling || (falling && !queued) ? current : Math.max(1, Math.floor(current / 2));
  }
  if (i.slowStart) return Math.min(i.admitPerTick, current * 2);
  return Math.min(i.admitPerTick, current + Math.max(1, Math.round(i.admitPerTick / 20)));
}

export interface PositionView {
  position: number | null;
  ahead: number;
  etaSeconds: number | null;
  paused?: boolean;
}

/**
 * Whether a waiting user should get a new `queue:position`: the place or the pause changed, or
 * the ETA moved by more than max(5 s, 10 %). The ETA follows the measured admission rate and
 * wobbles every second; pushing each wobble to every waiting socket would make a second of
 * 20,000 waiting users 20,000 socket writes for nothing a person would notice.
 */
export function isPositionNews(prev: PositionView | null, next: PositionView): boolean {
  if (!prev) return true;
  if (prev.position !== next.position || prev.ahead !== next.ahead || Boolean(prev.paused) !== Boolean(next.paused)) return true;
  if (prev.etaSeconds === null || next.etaSeconds === null) return prev.etaSeconds !== next.etaSeconds;
  return Math.abs(prev.etaSeconds - next.etaSeconds) > Math.max(5, prev.etaSeconds * 0.1);
}

/** Longest a waiting user's place goes unread (and unpushed) while it moves. */
export const POSITION_REFRESH_MAX_MS = 15_000;
/** Places up to this one are read every pass: admission is close and each step matters. */
export const POSITION_FRONT = 100;

/**
 * How soon a waiting user's place is read again, and so how soon it can be pushed: every pass
 * near the front, before the sale reveals places (null) and while no admission rate is known;
 * otherwise after a tenth of the time the user still has to wait, between one pass and 15 s.
 * Someone 20 minutes back sees a new place every 15 s, someone 30 s from the front every 3 s,
 * and 20,000 waiting sockets admitted at 35 a second cost about 2,300 reads (and at most as many
 * pushes) a second instead of 20,000 (at 400 a second, about 10,400). Measured at 20,000: 118,282
 * `queue:position` pushes in a 61 s sale instead of 1,034,204.
 * `queue:status` still answers the exact place at any time.
 */
export function positionRefreshMs(place: PositionView, passMs: number): number {
  if (place.position === null || place.position <= POSITION_FRONT || place.etaSeconds === null || place.paused) return passMs;
  return Math.max(passMs, Math.min(POSITION_REFRESH_MAX_MS, place.etaSeconds * 100));
}
