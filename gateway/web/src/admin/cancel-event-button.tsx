import { useState } from 'react';
import { formatCents } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { problemText } from './problem-text.js';

interface Cancelled {
  eventId: string;
  releasedHolds: number;
  refundedBookings: number;
  refundCents: number;
}

/** Cancel with a confirmation step; afterwards it says what the server released and refunded. */
export function CancelEventButton({
  eventId,
  name,
  isCancelled = false,
  onCancelled,
}: {
  eventId: string;
  name: string;
  isCancelled?: boolean;
  onCancelled?: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const [done, setDone] = useState<Cancelled | null>(null);
  const [error, setError] = useState('');
  if (done)
    return (
      <span role="status" data-testid="cancel-result">
        Cancelled: {done.releasedHolds} holds released, {done.refundedBookings} bookings refunded ({formatCents(done.refundCents)}
        ).
      </span>
    );
  if (isCancelled) return null;
  const cancel = async () => {
    setAsking(false);
    try {
      setDone(await api<Cancelled>('DELETE', `/api/admin/events/${eventId}`));
      onCancelled?.();
    } catch (err) {
      setError(problemText(err));
    }
  };
  return (
    <span className="row">
      {asking ? (
        <>
          <button type="button" className="danger" onClick={() => void cancel()}>
            Yes, cancel {name}
          </button>
          <button type="button" className="secondary" onClick={() => setAsking(false)}>
            No
          </button>
        </>
      ) : (
        <button type="button" className="secondary" onClick={() => setAsking(true)}>
          Cancel event
        </button>
      )}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
