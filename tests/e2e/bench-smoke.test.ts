import { describe, expect, it } from 'vitest';
import { formatReport } from '../../load-tests/harness/format-report.js';
import { renderChart } from '../../load-tests/harness/render-chart.js';
import { runBench } from '../../load-tests/harness/run-bench.js';
import { adminDatabaseUrl, testRedisUrl } from '../support/services.js';

/**
 * The bench harness in small: a few hundred clients on two tiers (a queue gateway where they
 * join, a shop gateway the admission names, where they buy) and a worker, a sale that sells out
 * with releases and waitlist offers, then the audit in Postgres. Fails on any correctness
 * violation or unexpected error, never on timing.
 */
describe('npm run bench, smoke size', () => {
  it('sells out with nothing oversold, double-sold or lost', { timeout: 110_000 }, async () => {
    const lines: string[] = [];
    const report = await runBench({
      clients: 300,
      seats: 250,
      maxActive: 100,
      admitPerTick: 50,
      tickMs: 200,
      sessionTtlSeconds: 300,
      durationSeconds: 20,
      rampSeconds: 2,
      gateways: 1,
      workers: 1,
      tiered: true,
      clientsPerProcess: 150,
      observersPerProcess: 5,
      confirmRate: 0.8,
      thinkMs: [20, 200],
      pgPoolSize: 5,
      pgbenchSeconds: 2,
      pgbenchScale: 1,
      format: 'compact',
      // The door on, at a small work: every user solves a challenge before joining, as clients do.
      challenge: true,
      env: { CHALLENGE_MAX_NUMBER_MIN: '1000', CHALLENGE_MAX_NUMBER_MAX: '4000' },
      adminDatabaseUrl: adminDatabaseUrl(),
      redisUrl: testRedisUrl(),
      log: (line) => lines.push(line),
    });
    const summary = formatReport(report);
    expect(report.clients.connected, summary).toBe(300);
    expect(report.correctness.examples, summary).toEqual([]);
    expect(report.correctness.ok, summary).toBe(true);
    expect(report.unexpectedErrors, summary).toEqual({ count: 0, samples: [] });
    // The sale really happened: holds, confirms and releases were acked and audited.
    expect(report.sale.holdsOk, summary).toBeGreaterThan(0);
    expect(report.sale.confirmsOk, summary).toBeGreaterThan(0);
    expect(report.correctness.sold, summary).toBeGreaterThan(0);
    expect(report.ack['seats:hold']?.count, summary).toBeGreaterThan(0);
    // The opening seconds and the rest of the sale split the same answered holds between them.
    expect(report.holdPhases.opening.count + report.holdPhases.after.count, summary).toBe(report.ack['seats:hold']?.count);
    expect(summary).toMatch(/\| hold p99: opening 10 s \/ after/);
    // Users who arrive after the sell-out are told SOLD_OUT before any work; a refused proof would be an unexpected error.
    expect(report.ack['challenge:solve']?.count, summary).toBeGreaterThan(0);
    expect(report.pgbench?.tps ?? 0).toBeGreaterThan(0);
    // Compact format: waiting users took availability, buyers the compact state once admitted.
    expect(report.ack['availability:subscribe']?.count, summary).toBeGreaterThan(0);
    expect(report.ack['seats:subscribe']?.count, summary).toBeGreaterThan(0);
    expect(report.fanout.observers, summary).toBeGreaterThan(0);
    // Status lines during the sale.
    expect(
      lines.some((l) => /t=\d+s sold \d+\/\d+, holds\/s \d+, hold ack p99 so far/.test(l)),
      lines.join('\n'),
    ).toBe(true);
    expect(renderChart(report.timeline, report.admission.configuredPerSecond).subarray(1, 4).toString()).toBe('PNG');
  });
});
