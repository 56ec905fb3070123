import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { EventSummary } from '../../../../core/contract/http.js';
import { apiPage, describeApiError } from '../api/http-api.js';
import { Link } from '../components/router.js';
import { onConnected, userClient } from '../live/connection.js';

interface Availability {
  eventId: string;
  capacity: number;
  available: number;
}

const POLL_MS = 5000;
const PAGE_SIZE = 20;

interface Filters {
  q: string;
  from: string;
  to: string;
  venueId: string;
  available: boolean;
}
const NO_FILTERS: Filters = { q: '', from: '', to: '', venueId: '', available: false };

/** GET /api/events with the filters that are set (dates as whole local days). */
function listPath(f: Filters): string {
  const p = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.from) p.set('from', new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) p.set('to', new Date(`${f.to}T23:59:59`).toISOString());
  if (f.venueId) p.set('venueId', f.venueId);
  if (f.available) p.set('available', 'true');
  return `/api/events?${p}`;
}

/**
 * Upcoming events with live availability: `availability:*` pushes per event; a server
 * without them is asked again every few seconds instead. Search, dates, venue and "available
 * only" filter on the server; more pages follow its `Link: rel="next"`.
 */
export function CatalogPage() {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [events, setEvents] = useState<EventSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [venues, setVenues] = useState<Record<string, string>>({});
  const [live, setLive] = useState<Record<string, Availability>>({});
  const [error, setError] = useState('');
  const path = listPath(filters);

  const show = useCallback((items: EventSummary[], more: boolean) => {
    setEvents((had) => (more && had ? [...had, ...items] : items));
    // Venues seen so far, for the venue filter (the catalog has no public venue list).
    setVenues((v) => {
      const seen = { ...v };
      for (const e of items) if (e.venueId) seen[e.venueId] = e.venue;
      return seen;
    });
  }, []);

  useEffect(() => {
    let stopped = false;
    let poll: ReturnType<typeof setInterval> | undefined;
    const client = userClient();
    const load = () =>
      apiPage<EventSummary>(path).then(
        (page) => {
          if (stopped) return;
          show(page.items, false);
          setNext(page.next);
          setError('');
        },
        (err) => !stopped && setError(describeApiError(err)),
      );
    const onChanged = (a: Availability) => setLive((m) => ({ ...m, [a.eventId]: a }));
    client.socket.on('availability:changed', onChanged);
    let ids: string[] = [];
    const subscribe = async () => {
      const page = await apiPage<EventSummary>(path).catch(() => null);
      if (stopped || !page) return;
      ids = page.items.map((e) => e.id);
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
  }, [path, show]);

  const more = async () => {
    if (!next) return;
    try {
      const page = await apiPage<EventSummary>(next);
      show(page.items, true);
      setNext(page.next);
    } catch (err) {
      setError(describeApiError(err));
    }
  };

  const search = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setFilters({
      q: String(f.get('q') ?? ''),
      from: String(f.get('from') ?? ''),
      to: String(f.get('to') ?? ''),
      venueId: String(f.get('venueId') ?? ''),
      available: f.get('available') === 'on',
    });
  };

  return (
    <main>
      <h1>Upcoming events</h1>
      <form className="filters" aria-label="Find events" onSubmit={search}>
        <label>
          Search
          <input name="q" type="search" defaultValue={filters.q} placeholder="Name or venue" maxLength={200} />
        </label>
        <label>
          From
          <input name="from" type="date" defaultValue={filters.from} />
        </label>
        <label>
          To
          <input name="to" type="date" defaultValue={filters.to} />
        </label>
        <label>
          Venue
          <select name="venueId" defaultValue={filters.venueId}>
            <option value="">Any venue</option>
            {Object.entries(venues).map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input name="available" type="checkbox" defaultChecked={filters.available} /> Seats available only
        </label>
        <button type="submit">Search</button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!events && !error && <p aria-busy="true">Loading events…</p>}
      {events?.length === 0 && <p data-testid="no-events">No events match.</p>}
      <ul className="cards" aria-label="Events">
        {events?.map((e) => {
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
      {next && (
        <button type="button" className="secondary" onClick={() => void more()} data-testid="events-more">
          More events
        </button>
      )}
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
