import type { EventlyClient } from '../../core/contract/create-client.js';
import { dbQuery } from '../support/db-query.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { waitUntil } from '../support/wait-until.js';
import { type BuyerLog, runBuyer } from './buyer.js';
import { summarizeBuyers } from './summarize-buyers.js';

/** Short intervals so a store failover is noticed and caught up with within a test's seconds. */
export const FAILOVER_TEST_ENV = {
  ADMISSION_RECONCILE_MS: '200',
  QUEUE_POSITION_PUSH_MS: '300',
  SCHEDULER_REASSERT_MS: '500',
  HOLD_SWEEP_CRON: '*/2 * * * * *',
} as const;

/** A worker and two gateways on the same environment. */
export async function startSaleProcesses(
  env: Record<string, string>,
): Promise<{ worker: StartedProcess; gateways: StartedProcess[] }> {
  // Generous start-up budgets: three processes start at once next to other test files.
  const [worker, ...gateways] = await Promise.all([
    startWorkerProcess(env, 90_000),
    startGatewayProcess(env, 90_000),
    startGatewayProcess(env, 90_000),
  ]);
  return { worker: worker as StartedProcess, gateways };
}

export interface Sale {
  /** Seats of the event sold now, read from `databaseUrl()`. */
  soldNow(): Promise<number>;
  /** Resolves once at least `n` seats are sold (mid-sale: the moment to break something). */
  untilSold(n: number): Promise<void>;
  /** Every seat sold or every buyer done, then the buyers are told to stop; their logs. */
  finish(seats: number, timeoutMs?: number): Promise<{ sold: boolean; logs: BuyerLog[] }>;
}

/**
 * Every client buys 1 or 2 seats of the event (runBuyer: queue, hold, confirm, retrying retryable
 * errors with the same idempotency key). `databaseUrl` is asked each time: a failover moves it.
 */
export function runSale(clients: readonly EventlyClient[], eventId: string, databaseUrl: () => string, runForMs = 100_000): Sale {
  let over = false;
  let done = false;
  const deadline = Date.now() + runForMs;
  const buyers = clients.map((c, i) => runBuyer(c, eventId, 1 + (i % 2), { deadline, isOver: () => over }));
  void Promise.all(buyers).then(() => {
    done = true;
  });
  const soldNow = async () =>
    (
      await dbQuery<{ n: number }>(
        databaseUrl(),
        `SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'sold'`,
        [eventId],
      )
    )[0]!.n;
  return {
    soldNow,
    async untilSold(n) {
      await waitUntil(`${n} seats sold`, async () => (await soldNow()) >= n, 60_000, 100);
    },
    async finish(seats, timeoutMs = 90_000) {
      // Every seat sold, or every buyer done (then the report says why not).
      try {
        await waitUntil('every seat sold or every buyer done', async () => done || (await soldNow()) === seats, timeoutMs, 200);
      } catch (err) {
        over = true;
        // What the sale looked like when it stopped moving: the failure's only evidence.
        const [seatStates] = await dbQuery<{ states: Record<string, number>; holds: Record<string, number> }>(
          databaseUrl(),
          `SELECT (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM seats WHERE event_id = $1 GROUP BY status) s) AS states,
                  (SELECT json_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM holds WHERE event_id = $1 GROUP BY status) h) AS holds`,
          [eventId],
        );
        const logs = await Promise.race([Promise.all(buyers), new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
        console.log(
          `sale did not end: ${JSON.stringify({ done, seats: seatStates?.states, holds: seatStates?.holds, buyers: logs ? summarizeBuyers(logs) : 'still running 30 s after being told to stop' })}`,
        );
        throw err;
      }
      const sold = (await soldNow()) === seats;
      over = true;
      return { sold, logs: await Promise.all(buyers) };
    },
  };
}

/** The acknowledged bookings against what Postgres has: lost ones and seats acknowledged twice. */
export async function checkAcknowledged(databaseUrl: string, eventId: string, logs: readonly BuyerLog[]) {
  const acked = logs.flatMap((l) => l.bookings);
  const ackedSeats = acked.flatMap((b) => b.seatIds);
  const rows = await dbQuery<{ id: string; status: string; seats: string[] }>(
    databaseUrl,
    `SELECT b.id, b.status, array_agg(bs.seat_id::text ORDER BY bs.seat_id) AS seats
       FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id WHERE b.event_id = $1 GROUP BY b.id`,
    [eventId],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    acked,
    byId,
    lost: acked.filter((b) => byId.get(b.bookingId)?.status !== 'confirmed').length,
    /** Acknowledged bookings whose seats in Postgres differ from the acknowledged ones. */
    changed: acked.filter((b) => byId.get(b.bookingId)?.seats.join() !== [...b.seatIds].sort().join()).length,
    duplicateSeats: ackedSeats.length - new Set(ackedSeats).size,
  };
}
