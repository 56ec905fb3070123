import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN } from './test-env.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHIM = path.join(ROOT, 'tests/support/k6-shim');

/** What a k6 script's handleSummary wrote to SUMMARY_JSON: its verdict and k6's metrics. */
export interface K6Summary {
  verdict: { ok: boolean; failures: string[] };
  metrics: Record<string, { values: Record<string, number> }>;
}

/** A metric's (or tagged sub-metric's) count in a summary, 0 when absent. */
export const metricCount = (s: K6Summary, name: string) => s.metrics[name]?.values.count ?? 0;

/**
 * Runs `load-tests/k6/<script>` against `baseUrl` as the admin of the test env: with the real k6
 * (`engine: 'k6'`) or, where there is none, the scripts' own code in Node through the k6 shim
 * (tests/support/k6-shim). Resolves with the exit code, the output and the summary JSON.
 * K6_SHIM_PRINT=1 prints each run's output. A run still going after `timeoutMs` is killed.
 */
export function runK6Script(
  engine: 'k6' | 'node',
  script: string,
  baseUrl: string,
  extra: Record<string, string>,
  timeoutMs = 170_000,
) {
  const summaryJson = path.join(mkdtempSync(path.join(tmpdir(), 'k6-')), 'summary.json');
  const scriptPath = path.join(ROOT, 'load-tests/k6', script);
  const [command, args] =
    engine === 'k6'
      ? ['k6', ['run', '--quiet', scriptPath]]
      : [process.execPath, ['--import', path.join(SHIM, 'register.mjs'), path.join(SHIM, 'run.mjs'), scriptPath]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      BASE_URL: baseUrl,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SUMMARY_JSON: summaryJson,
      ...extra,
    },
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  return new Promise<{ status: number | null; out: string; summary: K6Summary }>((resolve) => {
    child.on('exit', (status) => {
      clearTimeout(killer);
      if (process.env.K6_SHIM_PRINT) process.stdout.write(`--- ${script} exit ${status}\n${out}\n`);
      let summary: K6Summary = { verdict: { ok: false, failures: ['no summary'] }, metrics: {} };
      try {
        summary = JSON.parse(readFileSync(summaryJson, 'utf8')) as K6Summary;
      } catch {
        // reported by the caller's assertions, with the output
      }
      resolve({ status, out, summary });
    });
  });
}
