import { useEffect, useState } from 'react';
import type { EventSummary } from '../../../../core/contract/http.js';
import { api, describeApiError } from '../api/http-api.js';
import { onConnected, userClient } from '../live/connection.js';
import { Link } from '../router.js';

interface Availability {
  eventId: string;
  capacity: number;
  available: number;
}

const POLL_MS = 5000;

/**
 * Upcoming events with live availability: v1.1 `availability:*` pushes per event; a server
 * without them (v1) is asked again every few seconds instead.
 */
export function CatalogPage() {
  const [events, setEvents] = useState<EventSummary[] | null>(null);
  const [live, setLive] = useState<Record<string, Availability>>({});
  const [error, setError] = useState('');

  useEffect(() => {
    let stopped = false;
    let poll: ReturnType<typeof setInterval> | undefined;
    const client = userClient();
    const load = () =>
      api<EventSummary[]>('GET', '/api/events').then(
        (list) => !stopped && setEvents(list),
        (err) => !stopped && setError(describeApiError(err)),
      );
    const onChanged = (a: Availability) => setLive((m) => ({ ...m, [a.eventId]: a }));
    client.socket.on('availability:changed', onChanged);
    let ids: string[] = [];
    const subscribe = async () => {
      const list = await api<EventSummary[]>('GET', '/api/events').catch(() => null);
      if (stopped || !list) return;
      setEvents(list);
      ids = list.map((e) => e.id);
      const first = ids[0];
      if (!first) return;
      const probe = await client.send('availability:subscribe', { eventId: first }, { timeoutMs: 3000 }).catch(() => null);
      if (stopped) return;
      if (!probe?.ok) {
        clearInterval(poll);
        poll = setInterval(load, POLL_MS);
        return;
      }
      onChanged(probe.data as Availability);
      for (const id of ids.slice(1)) {
        client
          .send('availability:subscribe', { eventId: id })
          .then((a) => a.ok && onChanged(a.data as Availability))
          .catch(() => {});
      }
    };
    void load();
    const off = onConnected(() => void subscribe());
    return () => {
      stopped = true;
      off();
      clearInterval(poll);
      client.socket.off('availability:changed', onChanged);
      for (const id of ids) if (client.socket.connected) client.send('availability:unsubscribe', { eventId: id }).catch(() => {});
    };
  }, []);

  if (error)
    return (
      <main>
        <p className="error" role="alert">
          {error}
        </p>
      </main>
    );
  if (!events)
    return (
      <main>
        <p aria-busy="true">Loading events…</p>
      </main>
    );
  return (
    <main>
      <h1>Upcoming events</h1>
      {events.length === 0 && <p>No events yet.</p>}
      <ul className="cards" aria-label="Events">
        {events.map((e) => {
          const a = live[e.id];
          const available = a?.available ?? e.available;
          const capacity = a?.capacity ?? e.capacity;
          return (
            <li key={e.id} className="card" data-testid="event-card">
              <h2>
                <Link href={`/events/${e.id}`}>{e.name}</Link>
              </h2>
              <p>
                {e.venue} · {new Date(e.startsAt).toLocaleString()}
              </p>
              <p className={`status status-${e.status}`}>{statusWords(e.status)}</p>
              <p>
                <span data-testid="available">{available.toLocaleString()}</span> of {capacity.toLocaleString()} seats available
              </p>
              <meter min={0} max={capacity || 1} value={available} aria-label={`${available} of ${capacity} seats available`} />
            </li>
          );
        })}
      </ul>
    </main>
  );
}

export function statusWords(status: string): string {
  return (
    {
      scheduled: 'Sale not started yet',
      on_sale: 'On sale now',
      sold_out: 'Sold out',
      ended: 'Ended',
      cancelled: 'Cancelled',
    }[status] ?? status
  );
}
