import { randomUUID } from 'node:crypto';
import type { Ack } from '../../core/contract/ack.js';
import type { EventlyClient } from '../../core/contract/create-client.js';

/** What one buyer saw: the bookings acknowledged to it and when it was admitted. */
export interface BuyerLog {
  bookings: { bookingId: string; seatIds: string[]; at: number }[];
  admittedAt: number[];
  /** Admissions that came after waiting, i.e. from a worker's admission tick (not a join into an empty room). */
  tickAdmittedAt: number[];
  /** Successful holds (when the ack came). */
  heldAt: number[];
  /** Acks that were errors, by code (retryable ones were retried); `NO_ACK`: no answer in time. */
  errors: Record<string, number>;
  /** The longest a command of this buyer took from its first send to its final answer, retries included. */
  longestWaitMs: number;
  gaveUp?: string;
  /** Where the buyer was when it stopped (a buyer that ran out of time says where it waited). */
  stage: 'queue' | 'hold' | 'confirm' | 'done';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A buyer that behaves as the protocol asks of a client: join the waiting room, wait for the
 * admission push (or see it in `queue:status`; `none` means the place was lost: join again),
 * hold best-available seats, confirm; retry retryable errors after `retryAfterMs` with the same
 * idempotency key. Ends with one booking, or when the event has nothing left for it.
 */
export async function runBuyer(
  client: EventlyClient,
  eventId: string,
  quantity: number,
  opts: { deadline: number; isOver: () => boolean },
): Promise<BuyerLog> {
  const log: BuyerLog = {
    bookings: [],
    admittedAt: [],
    tickAdmittedAt: [],
    heldAt: [],
    errors: {},
    longestWaitMs: 0,
    stage: 'queue',
  };
  let admittedToken: string | null = null;
  client.on('queue:admitted', (p) => {
    if (p.eventId !== eventId) return;
    admittedToken = p.admissionToken;
  });
  const note = (ack: Ack<unknown>) => {
    if (!ack.ok) log.errors[ack.error.code] = (log.errors[ack.error.code] ?? 0) + 1;
  };
  /** Sends until the ack is not a retryable error (or time runs out). */
  const send = async <T>(call: () => Promise<Ack<T>>): Promise<Ack<T> | null> => {
    const started = Date.now();
    while (Date.now() < opts.deadline) {
      let ack: Ack<T>;
      try {
        ack = await call();
      } catch {
        // The ack timed out (a reconnecting socket): the same command again is safe.
        log.errors.NO_ACK = (log.errors.NO_ACK ?? 0) + 1;
        continue;
      }
      note(ack as Ack<unknown>);
      log.longestWaitMs = Math.max(log.longestWaitMs, Date.now() - started);
      if (ack.ok || !ack.error.retryable) return ack;
      const after = (ack.error.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 100;
      await sleep(Math.min(after, 1000) * (0.5 + Math.random()));
    }
    return null;
  };

  const tickAdmitted = (token: string) => {
    log.tickAdmittedAt.push(Date.now());
    return token;
  };
  const admission = async (): Promise<string | null> => {
    admittedToken = null;
    const joined = await send(() => client.queueJoin({ eventId }, { timeoutMs: 10_000 }));
    if (!joined) return null;
    if (!joined.ok) {
      log.gaveUp = joined.error.code;
      return null;
    }
    if (joined.data.state === 'admitted') return joined.data.admissionToken;
    for (let polls = 0; Date.now() < opts.deadline && !opts.isOver(); polls++) {
      if (admittedToken) return tickAdmitted(admittedToken);
      await sleep(100);
      if (polls % 5 !== 4) continue;
      const status = await send(() => client.queueStatus({ eventId }, { timeoutMs: 10_000 }));
      if (!status?.ok) continue;
      if (status.data.state === 'admitted') return tickAdmitted(status.data.admissionToken);
      if (status.data.state === 'none') return admission();
    }
    return null;
  };

  while (Date.now() < opts.deadline && !opts.isOver()) {
    const token = await admission();
    log.stage = 'queue';
    if (!token) break;
    log.admittedAt.push(Date.now());
    log.stage = 'hold';
    // One key for every retry of this hold: a hold that committed but whose ack was lost (an
    // OVERLOADED from a dropped connection) comes back as its stored reply, not as a second hold.
    const holdKey = randomUUID();
    const held = await send(() =>
      client.seatsHold(
        { eventId, admissionToken: token, idempotencyKey: holdKey, quantity, acceptPartial: true },
        { timeoutMs: 20_000 },
      ),
    );
    if (!held) break;
    if (!held.ok) {
      if (held.error.code === 'NOT_ADMITTED' || held.error.code === 'ADMISSION_EXPIRED') continue;
      log.gaveUp = held.error.code;
      break;
    }
    log.heldAt.push(Date.now());
    log.stage = 'confirm';
    const key = randomUUID();
    const confirmed = await send(() =>
      client.holdConfirm({ holdId: held.data.holdId, idempotencyKey: key, payment: { method: 'mock' } }, { timeoutMs: 20_000 }),
    );
    if (confirmed?.ok) {
      log.bookings.push({ bookingId: confirmed.data.bookingId, seatIds: confirmed.data.seats.map((s) => s.id), at: Date.now() });
      log.stage = 'done';
      break;
    }
    if (confirmed) log.gaveUp = confirmed.error.code;
    break;
  }
  return log;
}
