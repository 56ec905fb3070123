/**
 * The cost of the waiting-room challenge (prints numbers, asserts nothing):
 *   npx tsx scripts/measure-challenge.ts
 * - Node: real challenges (altcha-lib) solved with the client solver at each difficulty.
 * - Headless Chromium: the same solver loop (one WebCrypto SHA-256 per number tried) in a Web
 *   Worker-less page; its hash rate gives the expected solve time at each difficulty.
 * - Server: CPU per verification (HMAC check, as spendProof runs it, without the Redis SET).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createChallenge, verifySolution } from 'altcha-lib/v1';
import { chromium } from 'playwright-core';
import { solveChallengeProof } from '../core/contract/challenge.js';

const KEY = 'measure-key-0123456789abcdef0123456789';
const LEVELS = [50_000, 100_000, 200_000, 400_000, 800_000, 1_600_000, 3_200_000];
const RUNS = Number(process.env.RUNS ?? 6);

async function nodeSolveMs(maxnumber: number): Promise<{ meanMs: number; maxMs: number }> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = await createChallenge({ hmacKey: KEY, maxnumber, algorithm: 'SHA-256' });
    const t0 = performance.now();
    await solveChallengeProof({ ...c, algorithm: 'SHA-256', maxnumber });
    times.push(performance.now() - t0);
  }
  return { meanMs: times.reduce((a, b) => a + b, 0) / times.length, maxMs: Math.max(...times) };
}

async function chromiumHashesPerSecond(): Promise<number> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    // WebCrypto needs a secure context: a page from 127.0.0.1 is one.
    const server = createServer((_req, res) => res.end('<!doctype html><title>measure</title>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    server.close();
    return await page.evaluate(async () => {
      const enc = new TextEncoder();
      const salt =
        'abcdef0123456789abcdef01?e=00000000-0000-4000-8000-000000000000&u=00000000-0000-4000-8000-000000000000&expires=1999999999&';
      const n = 200_000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const d = await crypto.subtle.digest('SHA-256', enc.encode(salt + i));
        // the solver's hex compare, as altcha-lib does it
        [...new Uint8Array(d)].map((x) => x.toString(16).padStart(2, '0')).join('');
      }
      return n / ((performance.now() - t0) / 1000);
    });
  } finally {
    await browser.close();
  }
}

async function verifyCpuMicros(): Promise<number> {
  const c = await createChallenge({ hmacKey: KEY, maxnumber: 1000, number: 500 });
  const payload = { algorithm: c.algorithm, challenge: c.challenge, number: 500, salt: c.salt, signature: c.signature };
  const n = 5000;
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) if (!(await verifySolution(payload, KEY, true))) throw new Error('verify failed');
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

const verify = await verifyCpuMicros();
console.log(`server: ${verify.toFixed(1)} µs CPU per verification (altcha-lib verifySolution: SHA-256 + HMAC)`);
const rate = await chromiumHashesPerSecond();
console.log(`headless Chromium: ${Math.round(rate).toLocaleString()} hashes/s (one thread)`);
console.log('| maxnumber | Node mean solve (ms) | Node max of runs (ms) | Chromium expected solve (ms) |');
console.log('|---|---|---|---|');
for (const m of LEVELS) {
  const node = await nodeSolveMs(m);
  console.log(
    `| ${m.toLocaleString()} | ${node.meanMs.toFixed(0)} | ${node.maxMs.toFixed(0)} | ${((m / 2 / rate) * 1000).toFixed(0)} |`,
  );
}
