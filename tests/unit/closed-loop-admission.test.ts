import { describe, expect, it } from 'vitest';
import {
  ADMIT_CUT_COOLDOWN_MS,
  initialAdmitLimit,
  isPositionNews,
  nextAdmitLimit,
  positionRefreshMs,
} from '../../core/domain/admission-policy.js';
import { combineHealth } from '../../core/use-cases/waiting-room/steer-admission.js';

/** The next limit at admitPerTick 100, target 250 ms, database queue bound 20. */
const step = (
  current: number,
  holdP95Ms: number | null,
  dbWaiting = 0,
  loop: { msSinceCut?: number; slowStart?: boolean } = {},
) =>
  nextAdmitLimit({ current, admitPerTick: 100, targetHoldP95Ms: 250, dbQueueMax: 20, health: { holdP95Ms, dbWaiting }, ...loop });

describe('closed-loop admission limit', () => {
  it('halves when the latency target is missed or the database queue fills, never below 1', () => {
    expect(step(100, 251)).toBe(50);
    expect(step(50, 100, 21)).toBe(25);
    expect(step(1, 5000)).toBe(1);
  });
  it('climbs by a twentieth of admitPerTick when healthy (also without data), never above it', () => {
    expect(step(10, 100)).toBe(15);
    expect(step(10, null)).toBe(15);
    expect(step(98, 100)).toBe(100);
    expect(step(100, 10)).toBe(100);
    expect(step(500, 10)).toBe(100); // an admin lowered admitPerTick under the old limit
    expect(
      nextAdmitLimit({
        current: 1,
        admitPerTick: 5,
        targetHoldP95Ms: 250,
        dbQueueMax: 0,
        health: { holdP95Ms: 1, dbWaiting: 0 },
      }),
    ).toBe(2);
  });
  it('combines gateways: worst p95, summed queue, stale reports ignored', () => {
    const now = 10_000;
    expect(
      combineHealth(
        [
          { holdP95Ms: 100, dbWaiting: 3, atMs: 9_500 },
          { holdP95Ms: 400, dbWaiting: 4, atMs: 9_900 },
          { holdP95Ms: null, dbWaiting: 1, atMs: 9_800 },
          { holdP95Ms: 9_999, dbWaiting: 99, atMs: 1_000 }, // a gateway that stopped reporting
        ],
        now,
      ),
    ).toEqual({ holdP95Ms: 400, dbWaiting: 8, atMs: 9_900 });
    expect(combineHealth([{ holdP95Ms: 1, dbWaiting: 0, atMs: 0 }], now)).toBeNull();
  });
});

describe('closed-loop admission cooldown', () => {
  const cut = (current: number, holdP95Ms: number, msSinceCut: number) => step(current, holdP95Ms, 0, { msSinceCut });
  it('cuts at most once per cooldown, holds in between, and still climbs when healthy', () => {
    expect(cut(40, 900, ADMIT_CUT_COOLDOWN_MS - 1)).toBe(40);
    expect(cut(40, 900, ADMIT_CUT_COOLDOWN_MS)).toBe(20);
    expect(cut(40, 100, 0)).toBe(45);
  });
});

describe('closed-loop admission while a cut takes effect', () => {
  const whileCut = (current: number, holdP95Ms: number, previousP95Ms: number | null, dbWaiting = 0) =>
    nextAdmitLimit({
      current,
      admitPerTick: 100,
      targetHoldP95Ms: 250,
      dbQueueMax: 20,
      health: { holdP95Ms, dbWaiting },
      msSinceCut: ADMIT_CUT_COOLDOWN_MS * 5,
      previousP95Ms,
    });
  it('holds while a late p95 is not above the previous report, cuts when it rises again', () => {
    expect(whileCut(20, 900, 1200)).toBe(20);
    expect(whileCut(20, 900, 900)).toBe(20);
    expect(whileCut(20, 901, 900)).toBe(10);
    expect(whileCut(20, 900, null)).toBe(10); // nothing to compare with: a late report cuts
    expect(whileCut(20, 900, 100)).toBe(10);
  });
  it('a full database queue cuts even while the latency falls; a healthy report climbs', () => {
    expect(whileCut(20, 900, 1200, 21)).toBe(10);
    expect(whileCut(20, 100, 1200, 21)).toBe(10);
    expect(whileCut(20, 100, 1200)).toBe(25);
  });
});

describe('queue position pushes', () => {
  const at = (position: number | null, etaSeconds: number | null, paused?: boolean) => ({
    position,
    ahead: position === null ? 10 : position - 1,
    etaSeconds,
    ...(paused ? { paused } : {}),
  });
  it('pushes a new place, a pause or a clear ETA change, not every ETA wobble', () => {
    expect(isPositionNews(null, at(5, 60))).toBe(true);
    expect(isPositionNews(at(5, 60), at(4, 60))).toBe(true);
    expect(isPositionNews(at(5, 60), at(5, 60, true))).toBe(true);
    expect(isPositionNews(at(5, 60), at(5, 63))).toBe(false);
    expect(isPositionNews(at(5, 600), at(5, 650))).toBe(false);
    expect(isPositionNews(at(5, 600), at(5, 700))).toBe(true);
    expect(isPositionNews(at(5, 60), at(5, 67))).toBe(true);
    expect(isPositionNews(at(null, null), at(null, null))).toBe(false);
    expect(isPositionNews(at(5, null), at(5, 30))).toBe(true);
  });
  it('reads a place again every pass near the front, before the reveal and when paused, else after a tenth of the wait', () => {
    expect(positionRefreshMs(at(100, 3000), 1000)).toBe(1000);
    expect(positionRefreshMs(at(null, null), 1000)).toBe(1000);
    expect(positionRefreshMs(at(5000, null), 1000)).toBe(1000);
    expect(positionRefreshMs(at(5000, 3000, true), 1000)).toBe(1000);
    expect(positionRefreshMs(at(101, 5), 1000)).toBe(1000);
    expect(positionRefreshMs(at(2000, 30), 1000)).toBe(3000);
    expect(positionRefreshMs(at(20_000, 1200), 1000)).toBe(15_000);
    expect(positionRefreshMs(at(20_000, 1200), 20_000)).toBe(20_000);
  });
});

describe('closed-loop admission slow start', () => {
  const grow = (current: number, holdP95Ms: number | null) => step(current, holdP95Ms, 0, { slowStart: true });
  it('starts at a tenth of admitPerTick, doubles per healthy report up to it, and halves when late', () => {
    expect(initialAdmitLimit(100)).toBe(10);
    expect(initialAdmitLimit(5)).toBe(1);
    expect(grow(10, null)).toBe(20);
    expect(grow(20, 100)).toBe(40);
    expect(grow(80, 100)).toBe(100);
    expect(grow(40, 900)).toBe(20);
  });
});
