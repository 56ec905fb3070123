import type { AdmissionRecord, ClientProcessResult, CommitRecord, LatencySample } from './bench-types.js';

export interface Percentiles {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function percentiles(values: number[], errors = 0): Percentiles {
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => (v.length ? (v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] as number) : 0);
  const round = (x: number) => Math.round(x * 100) / 100;
  return { count: v.length, errors, p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), max: round(at(100)) };
}

/** Ack latency per command over ok and expected-error acks alike (a SOLD_OUT ack is still an answer). */
export function ackLatencies(latencies: Record<string, LatencySample[]>): Record<string, Percentiles> {
  const out: Record<string, Percentiles> = {};
  for (const [command, samples] of Object.entries(latencies)) {
    const answered = samples.filter(([, , code]) => !code.startsWith('CLIENT_'));
    out[command] = percentiles(
      answered.map(([, ms]) => ms),
      samples.filter(([, , code]) => code !== '').length,
    );
  }
  return out;
}

/** The opening window: holds sent in the sale's first 10 s against those sent after. */
export const OPENING_MS = 10_000;

export interface HoldPhases {
  openingSeconds: number;
  opening: Percentiles;
  after: Percentiles;
  /** opening p99 ÷ after p99 (target ≤ 2); null when either side has no sample. */
  p99Ratio: number | null;
}

/**
 * Hold ack latency split by when the hold was sent: in the opening window of the sale, and
 * after it. Counted over answered acks like `ackLatencies` (ok and expected errors alike).
 */
export function holdPhases(samples: LatencySample[], saleStart: number, openingMs = OPENING_MS): HoldPhases {
  const opening: number[] = [];
  const after: number[] = [];
  let openingErrors = 0;
  let afterErrors = 0;
  for (const [sentAt, ms, code] of samples) {
    if (code.startsWith('CLIENT_')) continue;
    const early = sentAt - saleStart < openingMs;
    (early ? opening : after).push(ms);
    if (code !== '') {
      if (early) openingErrors += 1;
      else afterErrors += 1;
    }
  }
  const o = percentiles(opening, openingErrors);
  const a = percentiles(after, afterErrors);
  return {
    openingSeconds: openingMs / 1000,
    opening: o,
    after: a,
    p99Ratio: o.count && a.count && a.p99 > 0 ? Math.round((o.p99 / a.p99) * 100) / 100 : null,
  };
}

/**
 * Fan-out lag: for each seat change a client committed, the time from its ok ack to the first
 * `seats:changed` carrying that seat in that status at each observer socket (a sample of all
 * subscribers). Pushes may beat the ack (negative lag): those count as 0.
 */
export function fanoutLag(commits: CommitRecord[], observers: Record<string, number[]>[]): { lag: Percentiles; missed: number } {
  const lags: number[] = [];
  let missed = 0;
  for (const c of commits) {
    for (const seatId of c.seatIds) {
      const key = `${seatId}|${c.status}`;
      for (const o of observers) {
        const times = o[key];
        const t = times?.find((x) => x >= c.sentAt);
        if (t === undefined) missed += 1;
        else lags.push(Math.max(0, t - c.ackAt));
      }
    }
  }
  return { lag: percentiles(lags), missed };
}

/**
 * Queue order vs admission order over users who waited with a known position: displacement is
 * |rank by position − rank by admission time|. Users admitted in one tick arrive in a few ms in
 * any order, so up to about `admitPerTick` of it is delivery noise, not unfairness.
 */
export function fairness(admissions: AdmissionRecord[]): { waited: number; maxDisplacement: number; p99Displacement: number } {
  const waited = admissions.filter((a) => a.position !== null && a.admittedAt !== null);
  const byPosition = [...waited].sort((a, b) => (a.position as number) - (b.position as number));
  const admitRank = new Map(
    [...waited].sort((a, b) => (a.admittedAt as number) - (b.admittedAt as number)).map((a, i) => [a, i]),
  );
  const d = byPosition.map((a, i) => Math.abs(i - (admitRank.get(a) as number)));
  const p = percentiles(d);
  return { waited: waited.length, maxDisplacement: p.max, p99Displacement: p.p99 };
}

export interface TimelinePoint {
  second: number;
  admitted: number;
  holdsOk: number;
  confirmsOk: number;
  holdP50: number | null;
  holdP99: number | null;
}

/** Per-second series from the start of the sale, for the chart. */
export function timeline(merged: MergedResults, startAt: number): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  const slot = (t: number) => {
    const s = Math.max(0, Math.floor((t - startAt) / 1000));
    while (points.length <= s)
      points.push({ second: points.length, admitted: 0, holdsOk: 0, confirmsOk: 0, holdP50: null, holdP99: null });
    return points[s] as TimelinePoint;
  };
  for (const a of merged.admissions) if (a.admittedAt !== null) slot(a.admittedAt).admitted += 1;
  const holdMs: number[][] = [];
  for (const [sentAt, ms, code] of merged.latencies['seats:hold'] ?? []) {
    const p = slot(sentAt);
    if (code === '') p.holdsOk += 1;
    const list = holdMs[p.second] ?? [];
    holdMs[p.second] = list;
    list.push(ms);
  }
  for (const [sentAt, , code] of merged.latencies['hold:confirm'] ?? []) if (code === '') slot(sentAt).confirmsOk += 1;
  for (const p of points) {
    const ms = holdMs[p.second];
    if (!ms?.length) continue;
    const q = percentiles(ms);
    p.holdP50 = q.p50;
    p.holdP99 = q.p99;
  }
  return points;
}

export type MergedResults = Omit<ClientProcessResult, 'connected' | 'connectFailures'>;

export function mergeResults(results: ClientProcessResult[]): MergedResults {
  const merged: MergedResults = {
    latencies: {},
    commits: [],
    holds: [],
    bookings: [],
    admissions: [],
    observed: [],
    pushCounts: {},
    outcomes: {},
    unexpected: [],
    unexpectedCount: 0,
  };
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  };
  for (const r of results) {
    for (const [k, v] of Object.entries(r.latencies)) {
      const list = merged.latencies[k] ?? [];
      merged.latencies[k] = list;
      for (const s of v) list.push(s);
    }
    for (const c of r.commits) merged.commits.push(c);
    for (const h of r.holds) merged.holds.push(h);
    for (const b of r.bookings) merged.bookings.push(b);
    for (const a of r.admissions) merged.admissions.push(a);
    for (const o of r.observed) merged.observed.push(o);
    add(merged.pushCounts, r.pushCounts);
    add(merged.outcomes, r.outcomes);
    merged.unexpected.push(...r.unexpected);
    merged.unexpectedCount += r.unexpectedCount;
  }
  return merged;
}
