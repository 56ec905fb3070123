import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionControl } from '../../core/use-cases/waiting-room/admission-control.js';
import { steerAdmission } from '../../core/use-cases/waiting-room/steer-admission.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
});

const control = (eventId: string): AdmissionControl => ({
  eventId,
  settings: { maxActive: 1000, admitPerTick: 100, tickMs: 250, sessionTtlSeconds: 600, targetHoldP95Ms: 250, auto: true },
  paused: false,
  saleStartsAtMs: 0,
  endsAtMs: Date.now() + 3_600_000,
  cancelled: false,
  version: 1,
});

describe('steerAdmission between gateway reports', () => {
  it('compares each report with the p95 it kept from the one before: a falling late p95 holds, a rising one cuts', async () => {
    const probe = createQueueProbe(t.config);
    const deps = { redis: probe.redis, keys: probe.keys };
    const eventId = randomUUID();
    const now = Date.now();
    const report = (holdP95Ms: number, atMs: number) =>
      probe.redis.hset(probe.keys.holdHealth, 'gw-test', JSON.stringify({ holdP95Ms, dbWaiting: 0, atMs }));
    // A loop that cut 10 s ago (past the cooldown) and last saw a p95 of 1,200 ms.
    await probe.redis.hset(probe.keys.admissionStats(eventId), 'aimdLimit', 20, 'aimdCutAt', now - 10_000, 'holdP95Ms', 1200);
    try {
      await report(900, now);
      expect(await steerAdmission(deps, control(eventId), now, 20)).toBe(20);
      expect((await probe.stats(eventId)).holdP95Ms).toBe('900');

      await report(1500, now + 1000);
      expect(await steerAdmission(deps, control(eventId), now + 1000, 20)).toBe(10);
      expect((await probe.stats(eventId)).aimdCutAt).toBe(String(now + 1000));
    } finally {
      await probe.redis.hdel(probe.keys.holdHealth, 'gw-test');
    }
  });
});
