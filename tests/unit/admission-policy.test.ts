import { describe, expect, it } from 'vitest';
import {
  admissionBudget,
  configuredAdmissionRate,
  estimateEtaSeconds,
  joinAdmissionCap,
  maxDisplacement,
  measuredAdmissionRate,
} from '../../core/domain/admission-policy.js';

const open = { paused: false, saleOpen: true, admitPerTick: 50, maxActive: 100, active: 0 };

describe('admissionBudget', () => {
  it('admits min(admitPerTick, maxActive - active)', () => {
    expect(admissionBudget(open)).toBe(50);
    expect(admissionBudget({ ...open, active: 70 })).toBe(30);
    expect(admissionBudget({ ...open, active: 100 })).toBe(0);
  });
  it('never goes negative when maxActive was lowered below the live count', () => {
    expect(admissionBudget({ ...open, maxActive: 10, active: 40 })).toBe(0);
  });
  it('admits nobody while paused or before the sale', () => {
    expect(admissionBudget({ ...open, paused: true })).toBe(0);
    expect(admissionBudget({ ...open, saleOpen: false })).toBe(0);
  });
});

describe('joinAdmissionCap', () => {
  it('lets joins in up to maxActive only while the sale runs', () => {
    expect(joinAdmissionCap(open)).toBe(100);
    expect(joinAdmissionCap({ ...open, paused: true })).toBe(0);
    expect(joinAdmissionCap({ ...open, saleOpen: false })).toBe(0);
  });
});

describe('admission rate and ETA', () => {
  it('measures from the first second with admissions, within the window', () => {
    const buckets = [
      { second: 100, count: 10 },
      { second: 101, count: 20 },
      { second: 40, count: 999 },
    ];
    expect(measuredAdmissionRate(buckets, 101, 60)).toBe(15);
    expect(measuredAdmissionRate(buckets, 103, 60)).toBe(7.5);
    expect(measuredAdmissionRate([], 103, 60)).toBeNull();
    expect(measuredAdmissionRate(buckets, 500, 60)).toBeNull();
  });
  it('falls back on the configured rate', () => {
    expect(configuredAdmissionRate({ admitPerTick: 50, tickMs: 500 })).toBe(100);
  });
  it('estimates the wait, unknown while paused', () => {
    expect(estimateEtaSeconds(0, 10, false)).toBe(1);
    expect(estimateEtaSeconds(99, 10, false)).toBe(10);
    expect(estimateEtaSeconds(100, 10, false)).toBe(11);
    expect(estimateEtaSeconds(5, 10, true)).toBeNull();
    expect(estimateEtaSeconds(5, null, false)).toBeNull();
    expect(estimateEtaSeconds(5, 0, false)).toBeNull();
  });
});

describe('maxDisplacement', () => {
  it('is zero when admission follows queue order', () => {
    expect(maxDisplacement(['a', 'b', 'c'], ['a', 'b', 'c'])).toBe(0);
    expect(maxDisplacement(['a', 'b', 'c'], ['a', 'b'])).toBe(0);
  });
  it('counts how many earlier users someone overtook', () => {
    expect(maxDisplacement(['a', 'b', 'c', 'd'], ['d', 'a', 'b', 'c'])).toBe(3);
    expect(maxDisplacement(['a', 'b', 'c', 'd'], ['b', 'a', 'c', 'd'])).toBe(1);
    expect(maxDisplacement(['a', 'b', 'c'], ['c'])).toBe(2);
  });
});
