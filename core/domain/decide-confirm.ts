import { AppError } from './app-error.js';
import { isSaleOpen, type SaleWindow } from './event-status.js';

/** The hold a confirm names, as locked by the confirm's transaction. */
export interface ConfirmHoldFacts {
  userId: string;
  status: string;
  /** Active and not yet past its expiry, by the database's clock. */
  isLive: boolean;
  /** The event's sale window (from the presale start: the hold was made in it). */
  sale: SaleWindow;
}

export interface ConfirmFacts {
  /** Undefined: no such hold. */
  hold: ConfirmHoldFacts | undefined;
  /** The idempotency record of this user and key, read after the hold lock; undefined: none. */
  stored: { command: string; requestHash: string } | undefined;
  /** An earlier request of the same batch confirms this hold. */
  takenInBatch: boolean;
  now: Date;
}

export interface ConfirmAsk {
  userId: string;
  command: string;
  requestHash: string;
  paymentDeclined: boolean;
}

export type ConfirmDecision = { kind: 'accept' } | { kind: 'replay' } | { kind: 'refuse'; error: AppError };

const refuse = (error: AppError): ConfirmDecision => ({ kind: 'refuse', error });

/**
 * The rules of one confirm against its locked hold, pure: the owner's live hold during the sale
 * with an accepted payment is bought; a hold no longer active answers the stored reply of this
 * very request (a duplicate confirmed it while this one waited for the lock), else why not.
 */
export function decideConfirm(f: ConfirmFacts, ask: ConfirmAsk): ConfirmDecision {
  const { hold, stored } = f;
  if (!hold || hold.userId !== ask.userId) return refuse(new AppError('HOLD_NOT_FOUND', 'no such hold'));
  if (hold.status !== 'active' || f.takenInBatch) {
    if (stored) {
      if (stored.command !== ask.command || stored.requestHash !== ask.requestHash) {
        return refuse(new AppError('CONFLICT', 'idempotencyKey was already used for a different request'));
      }
      return { kind: 'replay' };
    }
    if (f.takenInBatch || hold.status === 'confirmed') return refuse(new AppError('CONFLICT', 'this hold is already confirmed'));
    if (hold.status === 'expired') return refuse(new AppError('HOLD_EXPIRED', 'this hold has expired'));
    return refuse(new AppError('HOLD_NOT_FOUND', `this hold was ${hold.status}`));
  }
  if (!hold.isLive) return refuse(new AppError('HOLD_EXPIRED', 'this hold has expired'));
  // A hold made during the sale cannot be bought once the event has started (or was cancelled).
  if (!isSaleOpen(hold.sale, f.now)) return refuse(new AppError('SALE_NOT_OPEN', 'the sale for this event is closed'));
  if (ask.paymentDeclined) return refuse(new AppError('PAYMENT_DECLINED', 'the payment was declined; the hold is kept'));
  return { kind: 'accept' };
}
