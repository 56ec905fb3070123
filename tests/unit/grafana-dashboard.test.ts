import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../core/metrics.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'ops/grafana/evently.json'), 'utf8'));

/** Metric names in a PromQL expression: identifiers that are not functions, keywords or labels. */
function metricsIn(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\b(by|without)\s*\([^)]*\)/g, '');
  const words = withoutLabels.match(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*(\[|\)|$|\s|,))/g) ?? [];
  return words.filter((w) => /_/.test(w) && !w.startsWith('$'));
}

/** Histograms are queried through their series: name_bucket, name_sum, name_count. */
function exportedSeries(): Set<string> {
  const metrics = createMetrics('test');
  const names = new Set<string>();
  for (const m of (metrics.registry as any).getMetricsAsArray() as { name: string; type: string }[]) {
    names.add(m.name);
    if (m.type === 'histogram' || m.type === 'summary') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

const targets: { panel: string; expr: string }[] = dashboard.panels.flatMap((p: any) =>
  (p.targets ?? []).map((t: any) => ({ panel: p.title, expr: t.expr })),
);

describe('ops/grafana/evently.json', () => {
  it('queries only metrics the processes export', () => {
    const exported = exportedSeries();
    const used = targets.flatMap((t) => metricsIn(t.expr).map((m) => ({ panel: t.panel, metric: m })));
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((u) => !exported.has(u.metric))).toEqual([]);
  });

  it('covers connections, commands, latency, holds, admissions, fan-out, queue, database pool and queues', () => {
    const all = targets.map((t) => t.expr).join('\n');
    for (const metric of [
      'evently_socket_connections',
      'evently_commands_total',
      'evently_ack_latency_seconds_bucket',
      'evently_holds_total',
      'evently_confirms_total',
      'evently_admissions_total',
      'evently_fanout_lag_seconds_bucket',
      'evently_queue_waiting',
      'evently_db_queue_depth',
      'evently_notifications_total',
    ]) {
      expect(all).toContain(metric);
    }
  });

  it('is a well-formed dashboard: unique panel ids, a target per panel, templated datasource', () => {
    expect(dashboard.uid).toBe('evently-overview');
    const ids = dashboard.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels.filter((x: any) => x.type !== 'row')) {
      expect(p.targets.length).toBeGreaterThan(0);
      expect(p.datasource.uid).toBe('${datasource}');
      for (const t of p.targets) expect(t.expr.split('(').length).toBe(t.expr.split(')').length);
    }
    expect(dashboard.templating.list.map((v: any) => v.name)).toEqual(['datasource', 'instance']);
  });

  it('the metric parser finds what it should (so the first test can fail)', () => {
    expect(
      metricsIn('histogram_quantile(0.95, sum by (le, command) (rate(evently_x_bucket{instance=~"$instance"}[5m])))'),
    ).toEqual(['evently_x_bucket']);
    expect(metricsIn('sum(rate(evently_holds_total[$__rate_interval])) + nodejs_eventloop_lag_p99_seconds')).toEqual([
      'evently_holds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ]);
  });
});
