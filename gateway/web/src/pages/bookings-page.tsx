import { useCallback, useEffect, useState } from 'react';
import type { MyBooking } from '../../../../core/contract/my-bookings.js';
import { errorWords, formatCents } from '../api/error-words.js';
import { apiPage, describeApiError } from '../api/http-api.js';
import { CommandError, command, onConnected, shopClient } from '../live/connection.js';
import { SeatList } from './hold-panel.js';

const PAGE_SIZE = 10;

/**
 * My bookings, newest first, with each event's name and date, a page at a time (the server's
 * `Link: rel="next"`); each cancellable (with its refund shown) while the event has not started.
 */
export function BookingsPage() {
  const [bookings, setBookings] = useState<MyBooking[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});

  const load = useCallback(async (path = `/api/me/bookings?limit=${PAGE_SIZE}`, more = false) => {
    try {
      const page = await apiPage<MyBooking>(path);
      setBookings((had) => (more && had ? [...had, ...page.items] : page.items));
      setNext(page.next);
    } catch (err) {
      setNotes({ '': describeApiError(err) });
    }
  }, []);
  useEffect(() => onConnected(() => void load()), [load]);

  const cancel = async (b: MyBooking) => {
    setAsking(null);
    try {
      const r = await command(() => shopClient().bookingCancel({ bookingId: b.bookingId }));
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
            <h2 data-testid="booking-event">{b.eventName}</h2>
            <p>
              <time dateTime={b.eventStartsAt}>{new Date(b.eventStartsAt).toLocaleString()}</time> · booking{' '}
              <span data-testid="booking-ref">{b.reference}</span>
            </p>
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
      {next && (
        <button type="button" className="secondary" onClick={() => void load(next, true)} data-testid="bookings-more">
          Show older bookings
        </button>
      )}
    </main>
  );
}
