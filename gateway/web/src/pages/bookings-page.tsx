import { useCallback, useEffect, useState } from 'react';
import type { Booking } from '../../../../core/contract/commands.js';
import { errorWords, formatCents } from '../api/error-words.js';
import { CommandError, command, onConnected, userClient } from '../live/connection.js';
import { SeatList } from './hold-panel.js';

/** My bookings, newest first, each cancellable (with its refund shown) while the event has not started. */
export function BookingsPage() {
  const [bookings, setBookings] = useState<Booking[] | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});

  const load = useCallback(async () => {
    try {
      const r = await command(() => userClient().bookingList({}));
      setBookings([...r.bookings].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
    } catch (err) {
      setNotes({ '': errorWords(err instanceof CommandError ? err.code : undefined) });
    }
  }, []);
  useEffect(() => onConnected(() => void load()), [load]);

  const cancel = async (b: Booking) => {
    setAsking(null);
    try {
      const r = await command(() => userClient().bookingCancel({ bookingId: b.bookingId }));
      setNotes((n) => ({ ...n, [b.bookingId]: `Cancelled. ${formatCents(r.refundCents)} will be refunded to your card.` }));
      await load();
    } catch (err) {
      const code = err instanceof CommandError ? err.code : undefined;
      const words = code === 'FORBIDDEN' ? 'This booking can no longer be cancelled: the event has started.' : errorWords(code);
      setNotes((n) => ({ ...n, [b.bookingId]: words }));
    }
  };

  return (
    <main>
      <h1>My bookings</h1>
      {notes[''] && (
        <p className="error" role="alert">
          {notes['']}
        </p>
      )}
      {!bookings && <p aria-busy="true">Loading…</p>}
      {bookings?.length === 0 && <p>No bookings yet.</p>}
      <ul className="cards" aria-label="Bookings">
        {bookings?.map((b) => (
          <li key={b.bookingId} className="card" data-testid="booking">
            <h2>
              Booking <span data-testid="booking-ref">{b.reference}</span>
            </h2>
            <p className={`status status-${b.status}`} data-testid="booking-status">
              {b.status === 'confirmed' ? 'Confirmed' : 'Cancelled'}
            </p>
            <SeatList seats={b.seats} />
            <p>
              {formatCents(b.totalCents)} · booked {new Date(b.createdAt).toLocaleString()}
            </p>
            {notes[b.bookingId] && (
              <p role="status" data-testid="booking-note">
                {notes[b.bookingId]}
              </p>
            )}
            {b.status === 'confirmed' &&
              (asking === b.bookingId ? (
                <fieldset className="row">
                  <legend>Cancel this booking and get a refund?</legend>
                  <button type="button" className="danger" onClick={() => void cancel(b)}>
                    Yes, cancel it
                  </button>
                  <button type="button" className="secondary" onClick={() => setAsking(null)}>
                    Keep it
                  </button>
                </fieldset>
              ) : (
                <button type="button" className="secondary" onClick={() => setAsking(b.bookingId)}>
                  Cancel booking
                </button>
              ))}
          </li>
        ))}
      </ul>
    </main>
  );
}
