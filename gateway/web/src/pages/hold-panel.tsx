import { useEffect, useState } from 'react';
import type { ConfirmReply } from '../../../../core/contract/commands.js';
import { errorWords, formatCents } from '../api/error-words.js';
import { Link } from '../components/router.js';
import { CommandError, command, shopClient } from '../live/connection.js';
import { formatSeconds, useSecondsLeft } from '../live/hooks.js';

export interface HoldLike {
  holdId: string;
  seats: { id: string; section: string; row: number; number: number; priceCents: number }[];
  totalCents: number;
  expiresAt: string;
}

/**
 * A hold (or a waitlist offer, which is a hold made for the buyer): its countdown, the mock
 * payment (approve or decline, as PROTOCOL.md's `payment.outcome`), confirm or release.
 */
export function HoldPanel({ hold, onReleased, onExpired }: { hold: HoldLike; onReleased: () => void; onExpired: () => void }) {
  const left = useSecondsLeft(hold.expiresAt);
  const [outcome, setOutcome] = useState<'approve' | 'decline'>('approve');
  const [booking, setBooking] = useState<ConfirmReply | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (left === 0 && !booking) onExpired();
  }, [left, booking, onExpired]);

  const confirm = async () => {
    setBusy(true);
    setMessage('');
    // One key per attempt: an automatic retry of this attempt reuses it, a new click is a new payment.
    const idempotencyKey = crypto.randomUUID();
    try {
      setBooking(
        await command(
          () => shopClient().holdConfirm({ holdId: hold.holdId, idempotencyKey, payment: { method: 'mock', outcome } }),
          { onRetry: (e) => setMessage(errorWords(e.code)) },
        ),
      );
    } catch (err) {
      const code = err instanceof CommandError ? err.code : undefined;
      if (code === 'HOLD_EXPIRED' || code === 'HOLD_NOT_FOUND') onExpired();
      else setMessage(errorWords(code));
    } finally {
      setBusy(false);
    }
  };

  const release = async () => {
    setBusy(true);
    await command(() => shopClient().holdRelease({ holdId: hold.holdId })).catch(() => {});
    setBusy(false);
    onReleased();
  };

  if (booking) {
    return (
      <div className="panel success" role="status" data-testid="booking-done">
        <h3>You are going!</h3>
        <p>
          Booking reference <strong data-testid="booking-reference">{booking.reference}</strong>
        </p>
        <SeatList seats={booking.seats} />
        <p>Paid {formatCents(booking.totalCents)}.</p>
        <p>
          <Link href="/bookings">See my bookings</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="panel" data-testid="hold-panel">
      <h3>Your seats are reserved</h3>
      <p role="timer" aria-live="off" data-testid="hold-countdown">
        {left !== null && <>Reserved for {formatSeconds(left)} more.</>}
      </p>
      <SeatList seats={hold.seats} />
      <p>
        Total <strong>{formatCents(hold.totalCents)}</strong>
      </p>
      <fieldset>
        <legend>Payment (test card)</legend>
        <label>
          <input type="radio" name="outcome" checked={outcome === 'approve'} onChange={() => setOutcome('approve')} /> Approve
        </label>
        <label>
          <input type="radio" name="outcome" checked={outcome === 'decline'} onChange={() => setOutcome('decline')} /> Decline
        </label>
      </fieldset>
      {message && (
        <p className="error" role="alert" data-testid="hold-message">
          {message}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={confirm} disabled={busy}>
          Pay and confirm
        </button>
        <button type="button" className="secondary" onClick={release} disabled={busy}>
          Release seats
        </button>
      </div>
    </div>
  );
}

export function SeatList({ seats }: { seats: HoldLike['seats'] }) {
  return (
    <ul aria-label="Seats">
      {seats.map((s) => (
        <li key={s.id}>
          {s.section} row {s.row} seat {s.number} · {formatCents(s.priceCents)}
        </li>
      ))}
    </ul>
  );
}
