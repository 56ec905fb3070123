import { useEffect, useState } from 'react';
import type { EventDetail } from '../../../../core/contract/http.js';
import { formatCents } from '../api/error-words.js';
import { ApiError, api, describeApiError } from '../api/http-api.js';
import { Link } from '../components/router.js';
import { useSession } from '../live/hooks.js';
import { statusWords } from './catalog-page.js';
import { QueuePanel } from './queue-panel.js';

export function EventPage({ eventId }: { eventId: string }) {
  const session = useSession();
  const [event, setEvent] = useState<EventDetail | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    api<EventDetail>('GET', `/api/events/${encodeURIComponent(eventId)}`).then(setEvent, (err) =>
      setError(err instanceof ApiError && err.status === 404 ? 'There is no such event.' : describeApiError(err)),
    );
  }, [eventId]);

  if (error)
    return (
      <main>
        <p className="error" role="alert">
          {error}
        </p>
      </main>
    );
  if (!event)
    return (
      <main>
        <p aria-busy="true">Loading…</p>
      </main>
    );
  return (
    <main>
      <h1>{event.name}</h1>
      <p>
        {event.venue} · {new Date(event.startsAt).toLocaleString()} · <span className="status">{statusWords(event.status)}</span>
      </p>
      <details>
        <summary>Prices</summary>
        <ul>
          {event.sections.map((s) => (
            <li key={s.id}>
              {s.name}: {formatCents(s.priceCents)} ({s.available} of {s.capacity} available)
            </li>
          ))}
        </ul>
      </details>
      {session ? (
        <QueuePanel event={event} />
      ) : (
        <p className="notice">
          <Link href={`/login?next=/events/${event.id}`}>Sign in</Link> to join the waiting room.
        </p>
      )}
    </main>
  );
}
