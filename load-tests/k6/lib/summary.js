// The end of a run, as an operator reads it: the sale's outcome (seats sold and confirmed, when it
// sold out, pushes, errors by code), every threshold, and a verdict. Pure: `report` takes the data
// k6 hands `handleSummary` and returns its outputs. The exit code comes from k6's thresholds; the
// scripts add a 0 to each outcome counter in setup() so that a `count>0` threshold over a run that
// sold nothing is judged (k6 skips thresholds of metrics without samples) and fails it.
import { ADMIN_PUSHES, ERROR_CODES, PUSHES } from './contract.js';

/** Codes the client itself gives an ack it never got. */
const CLIENT_CODES = ['TIMEOUT', 'CLOSED', 'MALFORMED'];

/**
 * @typedef {{ type?: string, contains?: string, values: Record<string, number>, thresholds?: Record<string, { ok: boolean }> }} Metric
 * @typedef {{ metrics: Record<string, Metric>, state?: { testRunDurationMs?: number }, setup_data?: any }} SummaryData
 * @typedef {{ metric: string, stat: string, atLeast: number, why: string }} OutcomeCheck
 */

/**
 * Thresholds that never fail (`count>=0`), one per tag value: k6 keeps a tagged sub-metric (and
 * shows it to handleSummary) only when a threshold names it. They give the summary its pushes by
 * name and its errors by code.
 * @returns {Record<string, string[]>}
 */
export function observerThresholds() {
  /** @type {Record<string, string[]>} */
  const out = {};
  for (const push of new Set([...PUSHES, ...ADMIN_PUSHES])) out[`evently_pushes{push:${push.replace(/:/g, '_')}}`] = ['count>=0'];
  for (const code of [...ERROR_CODES, ...CLIENT_CODES]) out[`evently_errors{code:${code}}`] = ['count>=0'];
  return out;
}

/** @param {SummaryData['metrics']} metrics @param {string} name @param {string} stat */
export function stat(metrics, name, stat) {
  const v = metrics[name]?.values?.[stat];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * Pass or fail, with every reason: a failed threshold, or an outcome check under its minimum
 * (a missing metric counts as 0, so a run that sold nothing fails here even where k6 skipped).
 * @param {SummaryData['metrics']} metrics
 * @param {OutcomeCheck[]} checks
 * @returns {{ ok: boolean, failures: string[] }}
 */
export function verdict(metrics, checks) {
  /** @type {string[]} */
  const failures = [];
  for (const [name, m] of Object.entries(metrics)) {
    for (const [expr, t] of Object.entries(m.thresholds ?? {})) if (!t.ok) failures.push(`threshold ${name} ${expr} failed`);
  }
  for (const c of checks) {
    const v = stat(metrics, c.metric, c.stat);
    if (v < c.atLeast) failures.push(`${c.why} (${c.metric} ${c.stat} ${v}, needs at least ${c.atLeast})`);
  }
  return { ok: failures.length === 0, failures };
}

/** The tag value of sub-metrics `name{tag:value}`, with their count, largest first.
 * @param {SummaryData['metrics']} metrics @param {string} name @param {string} tag */
export function byTag(metrics, name, tag) {
  const prefix = `${name}{${tag}:`;
  return Object.entries(metrics)
    .filter(([key]) => key.startsWith(prefix) && key.endsWith('}'))
    .map(([key, m]) => /** @type {[string, number]} */ ([key.slice(prefix.length, -1), m.values?.count ?? 0]))
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** @param {number} ms */
const millis = (ms) => (ms >= 100 ? `${Math.round(ms)}ms` : `${ms.toFixed(1)}ms`);

/**
 * The text an operator reads, and the JSON of it.
 * @param {SummaryData} data
 * @param {{ script: string, checks: OutcomeCheck[], lines?: (metrics: SummaryData['metrics']) => string[] }} spec
 * @returns {{ text: string, ok: boolean, failures: string[] }}
 */
export function renderSummary(data, spec) {
  const metrics = data.metrics ?? {};
  const result = verdict(metrics, spec.checks);
  const out = [`evently ${spec.script}: ${result.ok ? 'PASS' : 'FAIL'} (${seconds(data.state?.testRunDurationMs ?? 0)})`];
  if (data.setup_data?.eventId) out.push(`  event ${data.setup_data.eventId}`);
  for (const line of spec.lines?.(metrics) ?? []) out.push(`  ${line}`);
  const pushes = byTag(metrics, 'evently_pushes', 'push');
  out.push(`  pushes: ${pushes.length ? pushes.map(([p, n]) => `${p} ${n}`).join(', ') : 'none'}`);
  const errors = byTag(metrics, 'evently_errors', 'code');
  out.push(`  error acks by code: ${errors.length ? errors.map(([c, n]) => `${c} ${n}`).join(', ') : 'none'}`);
  out.push(
    `  unexpected errors ${stat(metrics, 'evently_unexpected_errors', 'count')}, connect errors ${stat(metrics, 'evently_connect_errors', 'count')} (timeouts ${stat(metrics, 'evently_connect_timeouts', 'count')}), reconnects ${stat(metrics, 'evently_reconnects', 'count')} (failed ${stat(metrics, 'evently_reconnect_failures', 'count')})`,
  );
  const trends = Object.entries(metrics)
    .filter(([name, m]) => m.type === 'trend' && name.startsWith('evently_') && (m.values?.count ?? 1) > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  if (trends.length) out.push('  latency (p50 / p95 / p99 / max):');
  for (const [name, m] of trends) {
    const v = m.values;
    out.push(
      `    ${name}: ${['med', 'p(95)', 'p(99)', 'max'].map((s) => (typeof v[s] === 'number' ? millis(v[s]) : '-')).join(' / ')}`,
    );
  }
  out.push('  thresholds:');
  for (const [name, m] of Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [expr, t] of Object.entries(m.thresholds ?? {})) {
      if (expr === 'count>=0') continue; // observers (see observerThresholds)
      out.push(`    ${t.ok ? 'ok  ' : 'FAIL'} ${name} ${expr}`);
    }
  }
  if (!result.ok) {
    out.push('  why it failed:');
    for (const f of result.failures) out.push(`    - ${f}`);
  }
  return { text: `${out.join('\n')}\n`, ok: result.ok, failures: result.failures };
}

/**
 * What `handleSummary` returns: the text on stdout, and the raw data plus the verdict as JSON in
 * the file `summaryJson` when given (env SUMMARY_JSON).
 * @param {SummaryData} data
 * @param {Parameters<typeof renderSummary>[1]} spec
 * @param {string} [summaryJson]
 * @returns {Record<string, string>}
 */
export function report(data, spec, summaryJson) {
  const r = renderSummary(data, spec);
  /** @type {Record<string, string>} */
  const out = { stdout: r.text };
  if (summaryJson) out[summaryJson] = JSON.stringify({ verdict: { ok: r.ok, failures: r.failures }, ...data }, null, 2);
  return out;
}
