import { availableParallelism } from 'node:os';
import type { BenchReport } from './run-bench.js';
import type { Percentiles } from './summarize-run.js';

const n = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/** The short Markdown summary printed after a run and written next to the JSON. */
export function formatReport(r: BenchReport): string {
  const c = r.correctness;
  const h = r.holdPhases;
  const phase = (p: Percentiles) => `${n(p.p99, 0)} ms (p50 ${n(p.p50, 0)}, ${p.count} acks)`;
  const lines = [
    `### Flash-sale bench, ${r.startedAt}`,
    '',
    `${r.clients.connected} of ${r.clients.requested} clients connected (${r.clients.processes} client processes, ${r.options.gateways} gateways, ${r.options.workers} worker(s)); ${c.capacity} seats; admission ${r.options.admitPerTick} per ${r.options.tickMs} ms, max ${r.options.maxActive} active.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| clients connected | ${r.clients.connected} |`,
    `| gateway RSS per connection (connected, idle) | ${n(r.rssPerConnectionKiB, 2)} KiB (${r.gatewayRss.map((g) => `${n(g.beforeKiB / 1024, 0)}→${n(g.afterKiB / 1024, 0)} MiB`).join(', ')}) |`,
    `| gateway RSS per connection after seats:subscribe (seat map fetched, room joined) | ${n(r.rssPerSubscriberKiB, 2)} KiB |`,
    `| time to sell out | ${r.sale.soldOutAfterSeconds === null ? `not sold out in ${n(r.sale.seconds)} s (${c.sold} of ${c.capacity} sold)` : `${n(r.sale.soldOutAfterSeconds)} s`} |`,
    `| holds ok / confirms ok / releases ok | ${r.sale.holdsOk} / ${r.sale.confirmsOk} / ${r.sale.releasesOk} |`,
    `| holds per second (mean / peak 1 s) | ${n(r.sale.holdsPerSecond)} / ${r.sale.peakHoldsPerSecond} |`,
    `| confirms per second | ${n(r.sale.confirmsPerSecond)} |`,
    `| pgbench -N | ${r.pgbench ? `${n(r.pgbench.tps, 0)} tps; holds/s ÷ pgbench = ${n(r.pgbench.holdsRatio, 3)}` : 'skipped'} |`,
    `| hold p99: opening ${h.openingSeconds} s / after (target: opening ≤ 2 × after and ≤ 500 ms) | ${phase(h.opening)} / ${phase(h.after)}; ratio ${h.p99Ratio === null ? '–' : n(h.p99Ratio, 2)} |`,
    `| fan-out lag p50 / p99 (${r.fanout.observers} observer sockets, ${r.fanout.count} samples) | ${n(r.fanout.p50)} / ${n(r.fanout.p99)} ms (max ${n(r.fanout.max)}, missed ${r.fanout.missed}) |`,
    `| admissions: measured vs configured | ${n(r.admission.measuredPerSecond)} /s vs ${n(r.admission.configuredPerSecond)} /s (${r.admission.admitted} admitted, ${r.admission.immediate} at once) |`,
    `| fairness displacement max / p99 (${r.admission.waited} waited) | ${r.admission.maxDisplacement} / ${r.admission.p99Displacement} |`,
    `| unexpected errors | ${r.unexpectedErrors.count} |`,
    `| oversold / double-sold / orphan held | ${c.oversold} / ${c.doubleSold} / ${c.orphanHeld} |`,
    `| lost acked holds / bookings | ${c.lostHolds} / ${c.lostBookings} |`,
    `| verdict | ${c.ok ? 'correct' : 'VIOLATIONS'} |`,
    '',
    '| command | acks | errors | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|---|',
    ...Object.entries(r.ack).map(([k, p]) => `| ${k} | ${p.count} | ${p.errors} | ${p.p50} | ${p.p95} | ${p.p99} | ${p.max} |`),
  ];
  const server = Object.entries(r.serverAck ?? {});
  if (server.length)
    lines.push(
      '',
      'Gateway-side ack latency (receipt to ack; upper bounds of the histogram buckets), next to the client-side figures above:',
      '',
      '| command | acks | p50 ≤ ms | p95 ≤ ms | p99 ≤ ms |',
      '|---|---|---|---|---|',
      ...server.map(([k, p]) => `| ${k} | ${p.count} | ${p.p50} | ${p.p95} | ${p.p99} |`),
    );
  if (r.saleCpu?.length) {
    const byRole = new Map<string, number>();
    for (const p of r.saleCpu) byRole.set(p.role, (byRole.get(p.role) ?? 0) + p.cpuSeconds);
    lines.push(
      '',
      `CPU during the ${n(r.sale.seconds)} s sale (the machine has ${n(availableParallelism() * r.sale.seconds)} core-seconds in that time): ${[...byRole].map(([role, sec]) => `${role} ${n(sec)} s`).join(', ')}.`,
      '',
      `CPU per successful hold (${r.sale.holdsOk} holds; each also brings its confirm or release, joins, pushes): ${[...byRole].map(([role, sec]) => `${role} ${((sec * 1000) / Math.max(1, r.sale.holdsOk)).toFixed(2)} ms`).join(', ')}.`,
    );
  }
  if (c.examples.length) lines.push('', 'Violations:', ...c.examples.map((e) => `- ${e}`));
  if (r.unexpectedErrors.samples.length)
    lines.push('', 'Unexpected errors (first few):', ...r.unexpectedErrors.samples.map((e) => `- ${e}`));
  return `${lines.join('\n')}\n`;
}
