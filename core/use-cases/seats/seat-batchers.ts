import { type Batcher, type BatcherOptions, createBatcher } from '../../batching/command-batcher.js';
import type { Pool } from '../../db/pool.js';
import type { Metrics } from '../../metrics.js';
import type { ConfirmBatcher } from './confirm-hold.js';
import { type WaitlistBatcher, writeWaitlistBatch } from './join-waitlist.js';
import { type ReleaseBatcher, writeReleaseBatch } from './release-hold.js';
import { writeConfirmBatch } from './write-confirm-batch.js';
import { type BatchHoldOutcome, type BatchHoldRequest, writeHoldBatch } from './write-hold-batch.js';

export type HoldBatcher = Batcher<BatchHoldRequest, BatchHoldOutcome>;

/** Group commit for seats:hold, one queue per event (writeHoldBatch). */
export function createHoldBatcher(pool: Pool, metrics: Metrics, now: () => Date, o: BatcherOptions): HoldBatcher {
  return createBatcher(o, { name: 'hold', ...metrics.holdBatch, shed: metrics.shed }, (eventId, batch) =>
    writeHoldBatch(pool, eventId, batch, now()),
  );
}

/** Group commit for hold:confirm, one queue per gateway (writeConfirmBatch). */
export function createConfirmBatcher(pool: Pool, metrics: Metrics, now: () => Date, o: BatcherOptions): ConfirmBatcher {
  return createBatcher(o, { name: 'confirm', ...metrics.confirmBatch, shed: metrics.shed }, (_key, batch) =>
    writeConfirmBatch(pool, batch, now()),
  );
}

/** Group commit for hold:release, one queue per gateway (writeReleaseBatch). */
export function createReleaseBatcher(pool: Pool, metrics: Metrics, o: BatcherOptions): ReleaseBatcher {
  return createBatcher(o, { name: 'release', ...metrics.releaseBatch, shed: metrics.shed }, (_key, batch) =>
    writeReleaseBatch(pool, batch),
  );
}

/** Group commit for waitlist:join (and holds that waitlist the rest), one queue per event (writeWaitlistBatch). */
export function createWaitlistBatcher(pool: Pool, metrics: Metrics, o: BatcherOptions): WaitlistBatcher {
  return createBatcher(o, { name: 'waitlist_join', ...metrics.waitlistBatch, shed: metrics.shed }, (eventId, batch) =>
    writeWaitlistBatch(pool, eventId, batch),
  );
}

/** Every group-commit batcher of a gateway. */
export interface SeatBatchers {
  hold: HoldBatcher;
  confirm: ConfirmBatcher;
  release: ReleaseBatcher;
  waitlist: WaitlistBatcher;
  /** Requests waiting for or inside a batch, over all of them (the database queue's share). */
  pending(): number;
}

/** The gateway's batchers: every seat command is a request to one of them. */
export function createSeatBatchers(pool: Pool, metrics: Metrics, now: () => Date, o: BatcherOptions): SeatBatchers {
  const all = {
    hold: createHoldBatcher(pool, metrics, now, o),
    confirm: createConfirmBatcher(pool, metrics, now, o),
    release: createReleaseBatcher(pool, metrics, o),
    waitlist: createWaitlistBatcher(pool, metrics, o),
  };
  return { ...all, pending: () => Object.values(all).reduce((n, b) => n + b.pending(), 0) };
}
