import { randomUUID } from 'node:crypto';
import { Challenge, solveChallengeProof } from '../../core/contract/challenge.js';
import type { ScenarioSettings } from './bench-types.js';
import type { ClientRecorder } from './client-recorder.js';
import type { EioClient, EmitResult } from './eio-client.js';

/** Error codes each command may answer in a flash sale without anything being wrong. */
const EXPECTED: Record<string, ReadonlySet<string>> = {
  'seats:hold': new Set(['SOLD_OUT', 'SEAT_UNAVAILABLE']),
  // NOT_ADMITTED (seats_available): seats freed up again since the hold failed (PROTOCOL "Waitlist").
  'waitlist:join': new Set(['SOLD_OUT', 'NOT_ADMITTED']),
  // A user who arrives once nothing is left to sell; the door's first answer when it asks for work.
  'queue:join': new Set(['SOLD_OUT', 'CHALLENGE_REQUIRED']),
};
const MAX_RETRIES = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const between = ([lo, hi]: [number, number]) => lo + Math.random() * (hi - lo);

/** Resolves when a push arrives or the deadline passes (with null). */
export class PushWaiter<T> {
  private value: T | undefined;
  private resolve: ((v: T | null) => void) | undefined;
  deliver(v: T): void {
    if (this.resolve) {
      this.resolve(v);
      this.resolve = undefined;
    } else this.value = v;
  }
  wait(untilMs: number): Promise<T | null> {
    if (this.value !== undefined) {
      const v = this.value;
      this.value = undefined;
      return Promise.resolve(v);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.resolve = undefined;
          resolve(null);
        },
        Math.max(0, untilMs - Date.now()),
      );
      this.resolve = (v) => {
        clearTimeout(timer);
        resolve(v);
      };
    });
  }
}

export interface SaleUser {
  id: string;
  /** The socket it connected with (the queue tier when tiered). */
  socket: EioClient;
  /** The shop tier's socket, once an admission named one (PROTOCOL `shopUrl`). */
  shop: EioClient | null;
  /** Opens a socket at a shop URL; resolves null when it is where `socket` already is. */
  openShop: (shopUrl: string) => Promise<EioClient | null>;
  admitted: PushWaiter<{ admissionToken: string; shopUrl?: string; at: number }>;
  offers: PushWaiter<{ holdId: string; seats: { id: string }[] }>;
  /** Records every seat push it gets (fan-out lag). */
  observer: boolean;
  /** Subscribed to per-seat state already. */
  seatMap: boolean;
}

/** Waiting-room commands go where the user waits; the rest to the shop once there is one. */
const socketFor = (user: SaleUser, command: string): EioClient =>
  command.startsWith('queue:') ? user.socket : (user.shop ?? user.socket);

/** Takes the seat map in the sale's format (the reply is only checked, not parsed). */
export async function subscribeSeatMap(user: SaleUser, rec: ClientRecorder, eventId: string, format: 'compact' | 'full') {
  const payload = format === 'compact' ? { eventId, format } : { eventId };
  const sub = await socketFor(user, 'seats:subscribe').emit('seats:subscribe', payload, { skipReply: true });
  rec.sample('seats:subscribe', sub.sentAt, sub.ackAt - sub.sentAt, sub.ack.ok ? '' : (sub.ack.error?.code ?? '?'));
  if (!sub.ack.ok) rec.unexpected(`seats:subscribe ${sub.ack.error?.code}`);
  else user.seatMap = true;
}

/** Sends a command, records its latency and outcome, retries what the server calls retryable. */
async function call(
  user: SaleUser,
  rec: ClientRecorder,
  name: string,
  payload: unknown,
  s: ScenarioSettings,
): Promise<EmitResult> {
  for (let attempt = 0; ; attempt++) {
    const r = await socketFor(user, name).emit(name, payload);
    const code = r.ack.ok ? '' : (r.ack.error?.code ?? 'MALFORMED_ACK');
    rec.sample(name, r.sentAt, r.ackAt - r.sentAt, code);
    if (r.ack.ok) return r;
    const retryable = r.ack.error?.retryable === true && !code.startsWith('CLIENT_');
    if (!retryable || attempt >= MAX_RETRIES || Date.now() > s.deadlineAt) {
      if (!EXPECTED[name]?.has(code)) rec.unexpected(`${name} ${code}: ${r.ack.error?.message ?? ''}`);
      return r;
    }
    // OVERLOADED says when to come back (retryAfterMs); otherwise back off exponentially.
    const retryAfterMs = Number(r.ack.error?.details?.retryAfterMs);
    await sleep(Math.max(Number.isFinite(retryAfterMs) ? retryAfterMs : 0, 50 * 2 ** attempt) + Math.random() * 50);
  }
}

/**
 * queue:join as a client does at an event that asks for a proof of work: the CHALLENGE_REQUIRED
 * answer carries a challenge, solved with altcha-lib (timed as `challenge:solve`), then the join
 * again with the proof. A fresh challenge in answer to a proof (it expired, or the work rose) is
 * solved once more; a third refusal is a failure.
 */
async function joinThroughDoor(user: SaleUser, rec: ClientRecorder, s: ScenarioSettings): Promise<EmitResult> {
  let join = await call(user, rec, 'queue:join', { eventId: s.eventId }, s);
  for (let proofs = 0; !join.ack.ok && join.ack.error?.code === 'CHALLENGE_REQUIRED'; proofs++) {
    const challenge = Challenge.safeParse(join.ack.error.details?.challenge);
    if (proofs >= 2 || !challenge.success) {
      rec.unexpected(`queue:join CHALLENGE_REQUIRED ${proofs >= 2 ? 'after two proofs' : 'without a challenge to solve'}`);
      return join;
    }
    const started = Date.now();
    const proof = await solveChallengeProof(challenge.data);
    rec.sample('challenge:solve', started, Date.now() - started, proof ? '' : 'UNSOLVED');
    if (!proof) {
      rec.unexpected('challenge: no number solves it');
      return join;
    }
    join = await call(user, rec, 'queue:join', { eventId: s.eventId, proof }, s);
  }
  return join;
}

async function confirmOrRelease(
  user: SaleUser,
  rec: ClientRecorder,
  s: ScenarioSettings,
  holdId: string,
  seatIds: string[],
  mustConfirm: boolean,
) {
  await sleep(between(s.thinkMs));
  if (mustConfirm || Math.random() < s.confirmRate) {
    const r = await call(user, rec, 'hold:confirm', { holdId, idempotencyKey: randomUUID(), payment: { method: 'mock' } }, s);
    if (r.ack.ok) {
      rec.commit(seatIds, 'sold', r);
      rec.booking({ bookingId: r.ack.data.bookingId, holdId, userId: user.id, seatIds, ackAt: r.ackAt });
    }
  } else {
    const r = await call(user, rec, 'hold:release', { holdId }, s);
    if (r.ack.ok) {
      rec.commit(seatIds, 'available', r);
      rec.released(holdId);
    }
  }
}

/**
 * One buyer in a flash sale: join the queue, wait to be admitted, hold 1–4 seats (best available,
 * sometimes in a chosen section), confirm most holds and release some, and join the waitlist when
 * nothing is left, confirming the offer if one comes before the end.
 */
export async function runFlashSaleUser(user: SaleUser, rec: ClientRecorder, s: ScenarioSettings): Promise<void> {
  await sleep(Math.random() * s.rampMs);
  const join = await joinThroughDoor(user, rec, s);
  if (!join.ack.ok) return;
  const reply = join.ack.data as { state: string; admissionToken?: string; shopUrl?: string; position?: number | null };
  let token = reply.admissionToken;
  let shopUrl = reply.shopUrl;
  const admission = rec.admission(user.id, join.ackAt, reply.position ?? null, reply.state === 'admitted');
  if (token) admission.admittedAt = join.ackAt;
  else {
    const pushed = await user.admitted.wait(s.deadlineAt);
    if (!pushed) return;
    token = pushed.admissionToken;
    shopUrl = pushed.shopUrl;
    admission.admittedAt = pushed.at;
  }
  // Two tiers: the admission names the shop; the seat commands go there from now on.
  if (shopUrl && !user.shop) {
    try {
      user.shop = await user.openShop(shopUrl);
    } catch (err) {
      rec.unexpected(`shop connect: ${(err as Error).message}`);
      return;
    }
  }
  // Admitted: the buyer's page now shows the seats (a waiting page showed availability only).
  if (!user.seatMap) await subscribeSeatMap(user, rec, s.eventId, s.format);

  const quantity = 1 + Math.floor(Math.random() * 4);
  const base = { eventId: s.eventId, admissionToken: token, quantity };
  let hold = await call(
    user,
    rec,
    'seats:hold',
    { ...base, idempotencyKey: randomUUID(), ...(Math.random() < 0.3 ? { section: pick(s.sections) } : {}) },
    s,
  );
  if (!hold.ack.ok && hold.ack.error?.code === 'SEAT_UNAVAILABLE') {
    hold = await call(user, rec, 'seats:hold', { ...base, idempotencyKey: randomUUID() }, s);
  }
  if (hold.ack.ok) {
    const seatIds = (hold.ack.data.seats as { id: string }[]).map((x) => x.id);
    rec.commit(seatIds, 'held', hold);
    rec.hold({ holdId: hold.ack.data.holdId, userId: user.id, seatIds, source: 'user', released: false });
    await confirmOrRelease(user, rec, s, hold.ack.data.holdId, seatIds, false);
    await call(user, rec, 'queue:leave', { eventId: s.eventId }, s);
    return;
  }
  await call(user, rec, 'queue:leave', { eventId: s.eventId }, s);
  if (!['SOLD_OUT', 'SEAT_UNAVAILABLE'].includes(hold.ack.error?.code ?? '')) return;
  const wl = await call(user, rec, 'waitlist:join', { eventId: s.eventId, quantity }, s);
  if (!wl.ack.ok) return;
  const offer = await user.offers.wait(s.waitlistUntil);
  if (!offer) return;
  const seatIds = offer.seats.map((x) => x.id);
  rec.hold({ holdId: offer.holdId, userId: user.id, seatIds, source: 'waitlist', released: false });
  await confirmOrRelease(user, rec, s, offer.holdId, seatIds, true);
}
