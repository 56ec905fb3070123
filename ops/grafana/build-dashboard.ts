/**
 * Writes ops/grafana/evently.json, the Grafana dashboard for the gateways' and workers'
 * Prometheus metrics (core/metrics.ts). Run after adding a panel:
 *   npx tsx ops/grafana/build-dashboard.ts
 * tests/unit/grafana-dashboard.test.ts checks that every metric the dashboard queries is exported.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Panel {
  title: string;
  unit: string;
  targets: { expr: string; legend: string }[];
  description?: string;
}

const q = (h: string, metric: string, by = '') =>
  `histogram_quantile(${h}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}_bucket{instance=~"$instance"}[$__rate_interval])))`;
const rate = (metric: string, by: string) => `sum by (${by}) (rate(${metric}{instance=~"$instance"}[$__rate_interval]))`;

const rows: { title: string; panels: Panel[] }[] = [
  {
    title: 'Traffic',
    panels: [
      {
        title: 'Socket connections',
        unit: 'short',
        targets: [
          {
            expr: 'sum by (instance, namespace) (evently_socket_connections{instance=~"$instance"})',
            legend: '{{instance}} {{namespace}}',
          },
        ],
      },
      {
        title: 'Commands per second by outcome',
        unit: 'ops',
        targets: [{ expr: rate('evently_commands_total', 'outcome'), legend: '{{outcome}}' }],
      },
      {
        title: 'Commands per second by command',
        unit: 'ops',
        targets: [{ expr: rate('evently_commands_total', 'command'), legend: '{{command}}' }],
      },
      {
        title: 'HTTP requests per second',
        unit: 'reqps',
        targets: [
          {
            expr: 'sum by (route, status) (rate(evently_http_request_seconds_count{instance=~"$instance"}[$__rate_interval]))',
            legend: '{{route}} {{status}}',
          },
        ],
      },
    ],
  },
  {
    title: 'Latency',
    panels: [
      {
        title: 'Ack latency (all commands)',
        unit: 's',
        targets: [
          { expr: q('0.5', 'evently_ack_latency_seconds'), legend: 'p50' },
          { expr: q('0.95', 'evently_ack_latency_seconds'), legend: 'p95' },
          { expr: q('0.99', 'evently_ack_latency_seconds'), legend: 'p99' },
        ],
      },
      {
        title: 'Ack latency p95 by command',
        unit: 's',
        targets: [{ expr: q('0.95', 'evently_ack_latency_seconds', 'command'), legend: '{{command}}' }],
      },
      {
        title: 'HTTP latency p95 by route',
        unit: 's',
        targets: [{ expr: q('0.95', 'evently_http_request_seconds', 'route'), legend: '{{route}}' }],
      },
      {
        title: 'Seat fan-out lag',
        unit: 's',
        description: 'Commit to push, per seat-change batch',
        targets: [
          { expr: q('0.5', 'evently_fanout_lag_seconds'), legend: 'p50' },
          { expr: q('0.99', 'evently_fanout_lag_seconds'), legend: 'p99' },
        ],
      },
    ],
  },
  {
    title: 'Sales',
    panels: [
      {
        title: 'Holds and confirms per second',
        unit: 'ops',
        targets: [
          { expr: 'sum(rate(evently_holds_total{instance=~"$instance"}[$__rate_interval]))', legend: 'holds' },
          { expr: 'sum(rate(evently_confirms_total{instance=~"$instance"}[$__rate_interval]))', legend: 'confirms' },
        ],
      },
      {
        title: 'Waiting room length',
        unit: 'short',
        targets: [{ expr: 'max by (event) (evently_queue_waiting)', legend: '{{event}}' }],
      },
      {
        title: 'Admissions per second',
        unit: 'ops',
        targets: [{ expr: 'sum by (event) (rate(evently_admissions_total[$__rate_interval]))', legend: '{{event}}' }],
      },
      {
        title: 'Admission order displacement (max)',
        unit: 'short',
        targets: [{ expr: 'max by (event) (evently_admission_max_displacement)', legend: '{{event}}' }],
      },
    ],
  },
  {
    title: 'Database and queues',
    panels: [
      {
        title: 'Commands waiting for Postgres',
        unit: 'short',
        targets: [{ expr: 'sum by (instance) (evently_db_queue_depth{instance=~"$instance"})', legend: '{{instance}}' }],
      },
      {
        title: 'Group commit: requests per transaction and duration p95',
        unit: 'short',
        targets: [
          { expr: q('0.5', 'evently_hold_batch_size'), legend: 'batch size p50' },
          { expr: q('0.95', 'evently_hold_batch_seconds'), legend: 'transaction p95 (s)' },
        ],
      },
      {
        title: 'Shed commands (OVERLOADED) per second',
        unit: 'ops',
        targets: [{ expr: rate('evently_shed_total', 'reason'), legend: '{{reason}}' }],
      },
      {
        title: 'Seat map repairs per second',
        unit: 'ops',
        targets: [{ expr: 'sum(rate(evently_seat_repairs_total[$__rate_interval]))', legend: 'repairs' }],
      },
    ],
  },
  {
    title: 'Workers',
    panels: [
      { title: 'Analytics tick p95', unit: 's', targets: [{ expr: q('0.95', 'evently_analytics_tick_seconds'), legend: 'p95' }] },
      {
        title: 'Audit entries rolled up per second',
        unit: 'ops',
        targets: [{ expr: 'sum(rate(evently_analytics_rolled_up_total[$__rate_interval]))', legend: 'entries' }],
      },
      {
        title: 'Notification mail per second',
        unit: 'ops',
        targets: [{ expr: 'sum by (outcome) (rate(evently_notifications_total[$__rate_interval]))', legend: '{{outcome}}' }],
      },
      {
        title: 'Process CPU and event-loop lag',
        unit: 's',
        targets: [
          { expr: 'rate(process_cpu_seconds_total{instance=~"$instance"}[$__rate_interval])', legend: 'cpu {{instance}}' },
          { expr: 'nodejs_eventloop_lag_p99_seconds{instance=~"$instance"}', legend: 'loop lag p99 {{instance}}' },
        ],
      },
    ],
  },
];

let id = 1;
let y = 0;
const panels: unknown[] = [];
for (const row of rows) {
  panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y: y++ }, panels: [] });
  row.panels.forEach((p, i) => {
    panels.push({
      id: id++,
      type: 'timeseries',
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: y + Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
      targets: p.targets.map((t, j) => ({
        refId: String.fromCharCode(65 + j),
        datasource: { type: 'prometheus', uid: '${datasource}' },
        expr: t.expr,
        legendFormat: t.legend,
      })),
    });
  });
  y += Math.ceil(row.panels.length / 2) * 8;
}

const dashboard = {
  uid: 'evently-overview',
  title: 'Evently',
  tags: ['evently'],
  timezone: 'utc',
  schemaVersion: 39,
  version: 1,
  refresh: '10s',
  time: { from: 'now-1h', to: 'now' },
  templating: {
    list: [
      { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' },
      {
        name: 'instance',
        type: 'query',
        label: 'Instance',
        datasource: { type: 'prometheus', uid: '${datasource}' },
        query: 'label_values(evently_socket_connections, instance)',
        includeAll: true,
        multi: true,
        allValue: '.*',
        current: { text: 'All', value: '$__all' },
        refresh: 2,
      },
    ],
  },
  panels,
};

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'evently.json');
writeFileSync(out, `${JSON.stringify(dashboard, null, 2)}\n`);
