// A stand-in for `k6 run` where no k6 binary exists (the project machines): runs a k6 script's
// own code in Node, against a real gateway, through stand-ins of the k6 modules it imports
// (this folder). Enough of k6 for the project's scripts: the `ramping-vus` and
// `per-vu-iterations` executors, setup / default / handleSummary, __ENV / __VU / __ITER, and
// thresholds judged as k6 judges them (a metric without samples is not judged; abortOnFail).
// Not k6: one process and event loop for every VU, and no k6 quirks. Exit codes as k6's: 99 when a
// threshold failed, 107 when the script threw in init or setup.
//   node --import ./register.mjs run.mjs ../../../load-tests/k6/flash-sale.js
import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDurationMs } from '../../../load-tests/k6/lib/duration.js';
import { Counter } from './metrics.mjs';

const context = new AsyncLocalStorage();
globalThis.__ENV = { ...process.env };
Object.defineProperty(globalThis, '__VU', { get: () => context.getStore()?.vu ?? 0 });
Object.defineProperty(globalThis, '__ITER', { get: () => context.getStore()?.iter ?? 0 });
const metrics = globalThis.__k6shimMetrics;
const iterations = new Counter('iterations');
const interrupted = new Counter('k6shim_interrupted_iterations');

const scriptUrl = pathToFileURL(path.resolve(process.argv[2])).href;
const startedAt = Date.now();
const ms = (d, fallback) => (d === undefined ? fallback : typeof d === 'number' ? d : parseDurationMs(d, 'k6 option'));
let aborted = false;
/** @type {() => void} */
let onAbort = () => {};
const abortedPromise = new Promise((resolve) => {
  onAbort = resolve;
});

const main = await import(`${scriptUrl}?vu=0`).catch((error) => exit(107, `init: ${error.stack ?? error}`));
const options = main.options ?? {};
let setupData;
try {
  setupData = main.setup ? await context.run({ vu: 0, iter: 0 }, () => main.setup()) : undefined;
} catch (error) {
  exit(107, `setup: ${error.stack ?? error}`);
}
const abortWatch = setInterval(checkAbort, 1000);
await Promise.all(
  Object.values(options.scenarios ?? { default: { executor: 'per-vu-iterations', vus: 1, iterations: 1 } }).map(runScenario),
);
clearInterval(abortWatch);
if (main.teardown) await context.run({ vu: 0, iter: 0 }, () => main.teardown(setupData));
const summary = summaryData();
const failed = Object.values(summary.metrics).some((m) => Object.values(m.thresholds ?? {}).some((t) => !t.ok));
const outputs = main.handleSummary ? main.handleSummary(summary) : { stdout: JSON.stringify(summary, null, 2) };
for (const [where, text] of Object.entries(outputs)) {
  if (where === 'stdout') process.stdout.write(text);
  else if (where === 'stderr') process.stderr.write(text);
  else writeFileSync(where, text);
}
exit(failed ? 99 : 0);

function exit(code, message) {
  if (message) process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function runScenario(s) {
  const vuModules = [];
  const vuModule = async (vu) => (vuModules[vu] ??= await import(`${scriptUrl}?vu=${vu}`));
  /** Runs iterations of one VU while `more()` says so; resolves when its last one ended. */
  const loop = async (vu, more) => {
    const mod = await vuModule(vu);
    const fn = s.exec ? mod[s.exec] : mod.default;
    for (let iter = 0; more(iter) && !aborted; iter++) {
      await context.run({ vu, iter }, async () => {
        try {
          await fn(setupData);
        } catch (error) {
          process.stderr.write(`VU ${vu} iteration ${iter}: ${error.stack ?? error}\n`);
        }
      });
      iterations.add(1);
    }
  };
  /** Waits for the VUs, giving up (and counting them interrupted) after `graceMs` past `endAt`. */
  const settle = async (runs, endAt, graceMs) => {
    let pending = runs.length;
    const done = Promise.all(runs.map((r) => r.finally(() => pending--)));
    const late = new Promise((resolve) => setTimeout(resolve, Math.max(0, endAt + graceMs - Date.now())).unref());
    await Promise.race([done, late, abortedPromise]);
    if (pending > 0) interrupted.add(pending);
  };
  if (s.executor === 'per-vu-iterations') {
    const endAt = Date.now() + ms(s.maxDuration, 600000);
    const runs = Array.from({ length: s.vus ?? 1 }, (_, i) =>
      loop(i + 1, (iter) => iter < (s.iterations ?? 1) && Date.now() < endAt),
    );
    return settle(runs, endAt, ms(s.gracefulStop, 30000));
  }
  if (s.executor === 'ramping-vus') {
    // Ramps up over the first stage to the largest target, holds until the last stage that
    // ramps down to 0 begins, then lets iterations finish within gracefulRampDown.
    const stages = s.stages ?? [];
    const vus = Math.max(s.startVUs ?? 0, ...stages.map((st) => st.target));
    const rampMs = ms(stages[0]?.duration, 0);
    const last = stages.at(-1);
    const activeMs = stages.slice(0, last?.target === 0 ? -1 : undefined).reduce((t, st) => t + ms(st.duration, 0), 0);
    const endAt = Date.now() + activeMs;
    const runs = Array.from({ length: vus }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (rampMs * i) / Math.max(1, vus)));
      await loop(i + 1, () => Date.now() < endAt);
    });
    return settle(runs, endAt, ms(s.gracefulRampDown, 30000));
  }
  throw new Error(`k6 shim: executor ${s.executor} not supported`);
}

/** Samples of `key` (`name` or `name{tag:value,...}`). */
function samplesOf(key) {
  const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key);
  const metric = metrics.get(m[1]);
  if (!metric) return null;
  const wanted = (m[2] ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => kv.split(':'));
  return { metric, samples: metric.samples.filter((s) => wanted.every(([k, v]) => s.tags[k] === v)) };
}

function values(type, samples, trendStats) {
  const xs = samples.map((s) => s.value);
  const elapsed = (Date.now() - startedAt) / 1000;
  if (type === 'counter') {
    const count = xs.reduce((a, b) => a + b, 0);
    return { count, rate: count / elapsed };
  }
  if (type === 'rate') {
    const passes = xs.filter((x) => x !== 0).length;
    return { rate: xs.length ? passes / xs.length : 0, passes, fails: xs.length - passes };
  }
  if (type === 'gauge') return { value: xs.at(-1) ?? 0, min: Math.min(...xs), max: Math.max(...xs) };
  const sorted = [...xs].sort((a, b) => a - b);
  const pct = (p) => {
    if (!sorted.length) return 0;
    const i = (p / 100) * (sorted.length - 1);
    const lo = Math.floor(i);
    return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (i - lo);
  };
  const out = {};
  for (const stat of trendStats) {
    const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
    if (p) out[stat] = pct(Number(p[1]));
    else if (stat === 'avg') out.avg = sorted.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    else if (stat === 'min') out.min = sorted[0] ?? 0;
    else if (stat === 'max') out.max = sorted.at(-1) ?? 0;
    else if (stat === 'med') out.med = pct(50);
    else if (stat === 'count') out.count = sorted.length;
  }
  return out;
}

/** `p(95)<50`, `count==0`, `rate<0.05` over a sink: true when it holds. */
function holds(expr, type, samples) {
  const m = /^\s*(\w+|p\(\d+(?:\.\d+)?\))\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(expr);
  if (!m) throw new Error(`k6 shim: threshold ${expr} not understood`);
  const v = values(type, samples, [m[1]])[m[1]] ?? values(type, samples, ['count'])[m[1]];
  const limit = Number(m[3]);
  return { '<': v < limit, '<=': v <= limit, '>': v > limit, '>=': v >= limit, '==': v === limit, '!=': v !== limit }[m[2]];
}

/** Each threshold of the options: { key, expr, ok, abortOnFail, delayMs }. Empty sinks stay ok. */
function judge() {
  const out = [];
  for (const [key, list] of Object.entries(options.thresholds ?? {})) {
    const found = samplesOf(key);
    for (const t of list) {
      const expr = typeof t === 'string' ? t : t.threshold;
      const ok = !found || found.samples.length === 0 || holds(expr, found.metric.type, found.samples);
      out.push({
        key,
        expr,
        ok,
        abortOnFail: typeof t === 'object' && t.abortOnFail,
        delayMs: ms(typeof t === 'object' ? t.delayAbortEval : undefined, 0),
      });
    }
  }
  return out;
}

function checkAbort() {
  const failing = judge().find((t) => t.abortOnFail && !t.ok && Date.now() - startedAt >= t.delayMs);
  if (failing && !aborted) {
    aborted = true;
    onAbort();
    process.stderr.write(`threshold ${failing.key} ${failing.expr} failed: aborting\n`);
  }
}

function summaryData() {
  const trendStats = options.summaryTrendStats ?? ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
  const out = {};
  for (const [name, m] of metrics) {
    if (m.samples.length) out[name] = { type: m.type, contains: m.contains, values: values(m.type, m.samples, trendStats) };
  }
  for (const t of judge()) {
    const found = samplesOf(t.key);
    if (!found) continue;
    out[t.key] ??= {
      type: found.metric.type,
      contains: found.metric.contains,
      values: values(found.metric.type, found.samples, trendStats),
    };
    out[t.key].thresholds = { ...out[t.key].thresholds, [t.expr]: { ok: t.ok } };
  }
  return {
    metrics: out,
    state: { testRunDurationMs: Date.now() - startedAt },
    setup_data: setupData,
    options: { summaryTrendStats: trendStats },
  };
}
