import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { admit } from './admit-user.js';
import { createBulkUsers } from './bulk-users.js';
import { connectClient } from './connect-client.js';

export interface Racer {
  userId: string;
  accessToken: string;
  client: EventlyClient;
  admissionToken: string;
}

/** `count` bulk users, connected round-robin to the gateways and admitted to the event. */
export async function admitRacers(
  databaseUrl: string,
  jwtAccessSecret: string,
  urls: readonly string[],
  eventId: string,
  count: number,
): Promise<Racer[]> {
  const users = await createBulkUsers(databaseUrl, jwtAccessSecret, count);
  const racers: Racer[] = [];
  for (let i = 0; i < users.length; i += 100) {
    racers.push(
      ...(await Promise.all(
        users.slice(i, i + 100).map(async (u, j) => {
          const client = await connectClient(urls[(i + j) % urls.length] as string, u.accessToken);
          return { ...u, client, admissionToken: await admit(client, eventId) };
        }),
      )),
    );
  }
  return racers;
}

/**
 * One racer's hold of 1-2 seats (explicit random seats, or best available with acceptPartial),
 * retrying whatever the server called retryable; the seats won or the final error code.
 */
export async function raceForSeats(
  r: { client: EventlyClient; admissionToken: string },
  eventId: string,
  seatIds: string[],
  explicit: boolean,
): Promise<{ seats: string[] } | { code: string }> {
  const quantity = 1 + Math.floor(Math.random() * 2);
  const pick = [...seatIds].sort(() => Math.random() - 0.5).slice(0, quantity);
  const payload = explicit
    ? { eventId, admissionToken: r.admissionToken, idempotencyKey: randomUUID(), seatIds: pick }
    : { eventId, admissionToken: r.admissionToken, idempotencyKey: randomUUID(), quantity, acceptPartial: true };
  // As PROTOCOL.md asks of a client: a retryable error is retried with the same key after the
  // server's retryAfterMs (jittered), here for up to 45 s. A fixed budget of 30 quick retries ran
  // out on a loaded machine where batches of one shed holds as OVERLOADED for longer than that.
  const giveUpAt = Date.now() + 45_000;
  for (;;) {
    const ack = await r.client.seatsHold(payload, { timeoutMs: 60_000 });
    if (ack.ok) return { seats: ack.data.seats.map((s) => s.id) };
    if (!ack.error.retryable || Date.now() >= giveUpAt) return { code: ack.error.code };
    const after = Number((ack.error.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs) || 0;
    await new Promise((res) => setTimeout(res, after + 5 + Math.random() * 20));
  }
}

/** Every seat went to exactly one racer; the losers only heard SEAT_UNAVAILABLE or SOLD_OUT. */
export function expectEverySeatWonOnce(
  outcomes: ({ seats: string[] } | { code: string })[],
  seats: number,
): { failures: string[] } {
  const won = outcomes.flatMap((o) => ('seats' in o ? o.seats : []));
  const failures = outcomes.flatMap((o) => ('code' in o ? [o.code] : []));
  expect(new Set(won).size, 'no seat acknowledged to two racers').toBe(won.length);
  expect(won.length).toBe(seats);
  expect([...new Set(failures)].filter((c) => c !== 'SEAT_UNAVAILABLE' && c !== 'SOLD_OUT')).toEqual([]);
  return { failures };
}
