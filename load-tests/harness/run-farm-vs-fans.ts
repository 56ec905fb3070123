import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { Challenge, encodeProof, solveChallengeProof } from '../../core/contract/challenge.js';

/** One account of either side, with the address its traffic comes from (X-Forwarded-For). */
export interface Account {
  id: string;
  token: string;
}

export interface FarmVsFansOptions {
  /** A gateway that trusts the caller as a proxy (TRUSTED_PROXIES), so X-Forwarded-For counts. */
  url: string;
  adminToken: string;
  farm: Account[];
  farmAddresses: number;
  fans: Account[];
  /** Admissions the sale gives (its maxActive): the places both sides compete for. */
  places: number;
  admitPerTick: number;
  tickMs: number;
  /** Everyone arrives at a random moment within this window. */
  rampMs: number;
  /** Give up waiting for admissions after this long. */
  deadlineMs: number;
  /**
   * `altcha`: the client library's solver (WebCrypto, what a page runs; slow in Node). `native`:
   * node:crypto's synchronous SHA-256, what a farm would run: it keeps a full-size run on one
   * machine feasible. The hashes counted are the same either way.
   */
  solver?: 'altcha' | 'native';
  log?: (line: string) => void;
}

interface SideFigures {
  accounts: number;
  addresses: number;
  admitted: number;
  /** Share of all admissions (0..1). */
  share: number;
  solves: number;
  /** SHA-256 hashes the side's solvers computed (the numbers tried). */
  hashes: number;
  /** Solve time summed over the side's accounts, as each ran it (wall clock, in this process). */
  solveSeconds: number;
  /** From arrival (first join) to admission, of those admitted (ms). */
  waitP50Ms: number | null;
  waitP95Ms: number | null;
  /** Joins refused after a proof (must be 0: the door took every honest proof). */
  refusedProofs: number;
}

export interface FarmVsFansReport {
  eventId: string;
  farm: SideFigures;
  fans: SideFigures;
  /** The difficulty (maxnumber) of the challenges handed out: first, last, highest, and the one
   * offered once everyone is in (the crowd the sale ended with). */
  maxnumber: { first: number; last: number; highest: number; atEnd: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] as number;
};

interface Run {
  side: 'farm' | 'fans';
  address: string;
  arrivedAt: number;
  admittedAt: number | null;
  hashes: number;
  solveMs: number;
  solves: number;
  refusedProofs: number;
}

async function post<T>(url: string, path: string, body: unknown, token: string): Promise<T> {
  const res = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * A sale behind the door, a farm and fans at once: every account connects from its side's
 * addresses, arrives at a random moment of the ramp, is refused CHALLENGE_REQUIRED, solves the
 * challenge it was given (altcha-lib, the client's solver), joins with the proof and waits for
 * `queue:admitted`. Reports each side's share of the admissions, the work it did (hashes tried,
 * solve time) and how long its admitted accounts waited.
 */
export async function runFarmVsFans(o: FarmVsFansOptions): Promise<FarmVsFansReport> {
  const event = await post<{ id: string }>(
    o.url,
    '/api/admin/events',
    {
      name: 'Farm vs fans',
      venue: 'Chaos Hall',
      startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      saleStartsAt: new Date(Date.now() - 1000).toISOString(),
      sections: [{ name: 'A', priceCents: 1000, rows: Math.ceil(o.places / 20) + 1, seatsPerRow: 20 }],
      admission: {
        maxActive: o.places,
        admitPerTick: o.admitPerTick,
        tickMs: o.tickMs,
        sessionTtlSeconds: 600,
        challenge: { required: true },
      },
    },
    o.adminToken,
  );
  const difficulties: number[] = [];
  const sockets: Socket[] = [];
  // Admissions stop at `places` (maxActive, long sessions): then nobody else gets in.
  let admittedCount = 0;
  let allPlacesTaken: () => void = () => {};
  const placesTaken = new Promise<void>((resolve) => {
    allPlacesTaken = resolve;
  });
  const markAdmitted = (run: Run) => {
    if (run.admittedAt !== null) return;
    run.admittedAt = Date.now();
    if (++admittedCount >= o.places) allPlacesTaken();
  };
  const runOne = async (account: Account, side: Run['side'], address: string): Promise<Run> => {
    const run: Run = { side, address, arrivedAt: 0, admittedAt: null, hashes: 0, solveMs: 0, solves: 0, refusedProofs: 0 };
    const socket = io(o.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { token: account.token },
      extraHeaders: { 'x-forwarded-for': address },
    });
    sockets.push(socket);
    const admitted = new Promise<void>((resolve) =>
      socket.on('queue:admitted', (p: { eventId: string }) => {
        if (p.eventId !== event.id) return;
        markAdmitted(run);
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    await sleep(Math.random() * o.rampMs);
    run.arrivedAt = Date.now();
    type Ack = { ok: boolean; data?: { state: string }; error?: { code: string; details?: { challenge?: unknown } } };
    const join = (proof?: string) =>
      socket.timeout(30_000).emitWithAck('queue:join', { eventId: event.id, ...(proof ? { proof } : {}) }) as Promise<Ack>;
    let ack = await join();
    for (let proofs = 0; !ack.ok && ack.error?.code === 'CHALLENGE_REQUIRED' && proofs < 3; proofs++) {
      if (proofs > 0) run.refusedProofs += 1;
      const c = Challenge.parse(ack.error.details?.challenge);
      difficulties.push(c.maxnumber);
      const t0 = performance.now();
      const proof = o.solver === 'native' ? await solveNative(c) : await solveChallengeProof(c);
      run.solveMs += performance.now() - t0;
      run.solves += 1;
      if (!proof) throw new Error('a challenge no number solves');
      // The solver tries 0, 1, 2 … up to the secret number: that many hashes.
      run.hashes += (JSON.parse(atob(proof)) as { number: number }).number + 1;
      ack = await join(proof);
    }
    if (!ack.ok) throw new Error(`queue:join refused: ${JSON.stringify(ack.error)}`);
    if (ack.data?.state === 'admitted') markAdmitted(run);
    else await Promise.race([admitted, placesTaken, sleep(o.deadlineMs)]);
    return run;
  };
  try {
    const farmAddress = (i: number) => `198.18.${Math.floor((i % o.farmAddresses) / 250)}.${(i % o.farmAddresses) % 250}`;
    const fanAddress = (i: number) => `100.64.${Math.floor(i / 250)}.${i % 250}`;
    const started = Date.now();
    const runs = await Promise.all([
      ...o.farm.map((a, i) => runOne(a, 'farm', farmAddress(i))),
      ...o.fans.map((a, i) => runOne(a, 'fans', fanAddress(i))),
    ]);
    o.log?.(`all ${runs.length} accounts done after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const atEnd = await fetch(`${o.url}/api/events/${event.id}/challenge`, {
      headers: { authorization: `Bearer ${o.fans[0]?.token ?? o.adminToken}` },
    }).then(async (res) => Challenge.parse(((await res.json()) as { challenge: unknown }).challenge).maxnumber);
    const totalAdmitted = runs.filter((r) => r.admittedAt !== null).length;
    const figures = (side: Run['side'], accounts: number, addresses: number): SideFigures => {
      const mine = runs.filter((r) => r.side === side);
      const admittedRuns = mine.filter((r) => r.admittedAt !== null);
      const waits = admittedRuns.map((r) => (r.admittedAt as number) - r.arrivedAt);
      return {
        accounts,
        addresses,
        admitted: admittedRuns.length,
        share: totalAdmitted === 0 ? 0 : admittedRuns.length / totalAdmitted,
        solves: mine.reduce((n, r) => n + r.solves, 0),
        hashes: mine.reduce((n, r) => n + r.hashes, 0),
        solveSeconds: mine.reduce((n, r) => n + r.solveMs, 0) / 1000,
        waitP50Ms: percentile(waits, 0.5),
        waitP95Ms: percentile(waits, 0.95),
        refusedProofs: mine.reduce((n, r) => n + r.refusedProofs, 0),
      };
    };
    return {
      eventId: event.id,
      farm: figures('farm', o.farm.length, o.farmAddresses),
      fans: figures('fans', o.fans.length, o.fans.length),
      maxnumber: {
        first: difficulties[0] ?? 0,
        last: difficulties.at(-1) ?? 0,
        highest: Math.max(0, ...difficulties),
        atEnd,
      },
    };
  } finally {
    for (const s of sockets) s.close();
  }
}

/** The report as a Markdown table (what RESULTS.md records). */
export function formatFarmVsFans(r: FarmVsFansReport, cpuMicrosPerHash: number): string {
  const row = (name: string, f: SideFigures) =>
    `| ${name} | ${f.accounts} on ${f.addresses} | ${f.admitted} (${(f.share * 100).toFixed(1)} %) | ${f.hashes.toLocaleString()} | ${((f.hashes * cpuMicrosPerHash) / 1e6).toFixed(1)} | ${(f.hashes / Math.max(1, f.accounts)).toFixed(0)} | ${f.waitP50Ms ?? '-'} / ${f.waitP95Ms ?? '-'} |`;
  return [
    `challenge maxnumber handed out: first ${r.maxnumber.first.toLocaleString()}, last ${r.maxnumber.last.toLocaleString()}, highest ${r.maxnumber.highest.toLocaleString()}; offered after the rush: ${r.maxnumber.atEnd.toLocaleString()}`,
    '| side | accounts on addresses | admitted (share) | hashes solved | CPU s (at the measured µs/hash) | hashes per account | wait p50 / p95 of the admitted (ms) |',
    '|---|---|---|---|---|---|---|',
    row('farm', r.farm),
    row('fans', r.fans),
  ].join('\n');
}

/** CPU of this process per hash tried by the client solver (one challenge solved to its end). */
export async function measureCpuMicrosPerHash(): Promise<number> {
  const { createChallenge } = await import('altcha-lib/v1');
  const maxnumber = 100_000;
  const c = await createChallenge({ hmacKey: 'calibration-key-0123456789abcdef', maxnumber, number: maxnumber - 1 });
  const before = process.cpuUsage();
  await solveChallengeProof({ ...c, algorithm: 'SHA-256', maxnumber });
  const used = process.cpuUsage(before);
  return (used.user + used.system) / maxnumber;
}

/** The farm's solver: node:crypto's SHA-256 over 0..maxnumber, yielding to the event loop now and then. */
export async function solveNative(c: Challenge): Promise<string | null> {
  for (let n = 0; n <= c.maxnumber; n++) {
    if (
      createHash('sha256')
        .update(c.salt + n)
        .digest('hex') === c.challenge
    )
      return encodeProof(c, n);
    if (n % 5000 === 4999) await new Promise((r) => setImmediate(r));
  }
  return null;
}

/** CPU per hash of solveNative (µs). */
export async function measureNativeCpuMicrosPerHash(): Promise<number> {
  const salt = 'calibration-salt-0123456789abcdef?expires=1999999999&';
  const challenge = createHash('sha256')
    .update(salt + 199_999)
    .digest('hex');
  const before = process.cpuUsage();
  await solveNative({ algorithm: 'SHA-256', challenge, salt, maxnumber: 200_000, signature: '' });
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 200_000;
}
