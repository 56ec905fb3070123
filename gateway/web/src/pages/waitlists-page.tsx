import { useEffect, useState } from 'react';
import type { EventDetail } from '../../../../core/contract/http.js';
import { errorWords } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { Link } from '../components/router.js';
import { CommandError, command, shopClient } from '../live/connection.js';
import { refreshMyState, useMyState } from '../live/my-state.js';

/** My waitlists (from me:state): each entry's event, place and seats wanted, and a way out. */
export function WaitlistsPage() {
  const mine = useMyState();
  const [names, setNames] = useState<Record<string, string>>({});
  const [message, setMessage] = useState('');

  useEffect(() => {
    for (const w of mine?.waitlists ?? []) {
      if (names[w.eventId]) continue;
      api<EventDetail>('GET', `/api/events/${encodeURIComponent(w.eventId)}`).then(
        (e) => setNames((n) => ({ ...n, [w.eventId]: e.name })),
        () => {},
      );
    }
  }, [mine, names]);

  const leave = async (eventId: string) => {
    try {
      await command(() => shopClient().waitlistLeave({ eventId }));
      setMessage('You left the waitlist.');
      await refreshMyState();
    } catch (err) {
      setMessage(errorWords(err instanceof CommandError ? err.code : undefined));
    }
  };

  return (
    <main>
      <h1>My waitlists</h1>
      {message && <p role="status">{message}</p>}
      {!mine && <p aria-busy="true">Loading…</p>}
      {mine?.waitlists.length === 0 && <p>You are on no waitlist.</p>}
      <ul className="cards" aria-label="Waitlists">
        {mine?.waitlists.map((w) => (
          <li key={w.eventId} className="card" data-testid="my-waitlist">
            <h2>
              <Link href={`/events/${w.eventId}`}>{names[w.eventId] ?? 'Event'}</Link>
            </h2>
            <p>
              Number <strong data-testid="my-waitlist-position">{w.position}</strong> in line for {w.quantity}{' '}
              {w.quantity === 1 ? 'seat' : 'seats'}
              {w.section ? ` in ${w.section}` : ''}.
            </p>
            <button type="button" className="secondary" onClick={() => void leave(w.eventId)}>
              Leave this waitlist
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
