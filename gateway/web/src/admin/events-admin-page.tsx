import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { ManagedEvent } from '../../../../core/contract/console.js';
import type { EventDetail } from '../../../../core/contract/http.js';
import type { Venue } from '../../../../core/contract/venues.js';
import { api } from '../api/http-api.js';
import { Link } from '../components/router.js';
import { CancelEventButton } from './cancel-event-button.js';
import { LayoutBuilder, sectionDraft, toSections } from './layout-builder.js';
import { formatWhen, fromLocalInput, toLocalInput } from './local-time.js';
import { problemText } from './problem-text.js';

const STATUS_WORDS: Record<string, string> = {
  scheduled: 'Not on sale yet',
  on_sale: 'On sale',
  sold_out: 'Sold out',
  ended: 'Ended',
  cancelled: 'Cancelled',
};

/** The events the signed-in organizer manages (admins: all), and a form to create one. */
export function EventsAdminPage() {
  const [events, setEvents] = useState<ManagedEvent[] | null>(null);
  const [venues, setVenues] = useState<Venue[]>([]);
  const [venueId, setVenueId] = useState('');
  const [sections, setSections] = useState(() => [
    sectionDraft('Stalls', '45.00', '10', '20'),
    sectionDraft('Circle', '30.00', '6', '16'),
  ]);
  const [message, setMessage] = useState('');
  const [created, setCreated] = useState<EventDetail | null>(null);

  const load = useCallback(
    () => api<ManagedEvent[]>('GET', '/api/admin/events?limit=200').then(setEvents, (err) => setMessage(problemText(err))),
    [],
  );
  useEffect(() => {
    void load();
    api<Venue[]>('GET', '/api/admin/venues?limit=200').then(setVenues, () => {});
  }, [load]);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const body = {
      name: text('name'),
      ...(venueId ? { venueId } : { venue: text('venue'), sections: toSections(sections) }),
      startsAt: fromLocalInput(text('startsAt')) ?? '',
      ...(text('saleStartsAt') ? { saleStartsAt: fromLocalInput(text('saleStartsAt')) } : {}),
      maxSeatsPerUser: Number(f.get('maxSeatsPerUser')),
      admission: {
        maxActive: Number(f.get('maxActive')),
        admitPerTick: Number(f.get('admitPerTick')),
        tickMs: 1000,
        sessionTtlSeconds: Number(f.get('sessionMinutes')) * 60,
      },
    };
    setMessage('');
    try {
      const event = await api<EventDetail>('POST', '/api/admin/events', body);
      setCreated(event);
      await load();
    } catch (err) {
      setMessage(problemText(err));
    }
  };

  const inAMonth = toLocalInput(new Date(Date.now() + 30 * 86_400_000).toISOString());
  return (
    <>
      <h1>Events</h1>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Your events</h2>
        {events === null ? (
          <p aria-busy="true">Loading…</p>
        ) : events.length === 0 ? (
          <p data-testid="no-events">No events yet. Create one below.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Status</th>
                  <th>Sale opens</th>
                  <th>Starts</th>
                  <th>Sold</th>
                  <th>Held</th>
                  <th>Available</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id} data-testid="admin-event">
                    <td>
                      <Link href={`/admin/events/${e.id}`}>{e.name}</Link>
                      <div className="hint">{e.venue}</div>
                    </td>
                    <td data-testid="event-status">{STATUS_WORDS[e.status] ?? e.status}</td>
                    <td>
                      {e.presaleStartsAt && <div className="hint">presale {formatWhen(e.presaleStartsAt)}</div>}
                      {formatWhen(e.saleStartsAt)}
                    </td>
                    <td>{formatWhen(e.startsAt)}</td>
                    <td data-testid="event-sold">{e.sold.toLocaleString()}</td>
                    <td>{e.held.toLocaleString()}</td>
                    <td>
                      {e.available.toLocaleString()} / {e.capacity.toLocaleString()}
                    </td>
                    <td>
                      {e.status !== 'ended' && (
                        <CancelEventButton
                          eventId={e.id}
                          name={e.name}
                          isCancelled={e.status === 'cancelled'}
                          onCancelled={() => void load()}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="create-heading">
        <h2 id="create-heading">Create an event</h2>
        <form onSubmit={create} className="stack">
          <div className="inline">
            <label>
              Name
              <input name="name" required maxLength={200} />
            </label>
            <label>
              From a venue
              <select value={venueId} onChange={(e) => setVenueId(e.target.value)}>
                <option value="">No venue: lay out the seats here</option>
                {venues.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name} ({v.capacity.toLocaleString()} seats)
                  </option>
                ))}
              </select>
            </label>
            {!venueId && (
              <label>
                Venue
                <input name="venue" required maxLength={200} />
              </label>
            )}
            <label>
              Starts at
              <input name="startsAt" type="datetime-local" required defaultValue={inAMonth} />
            </label>
            <label>
              Sale opens (empty: now)
              <input name="saleStartsAt" type="datetime-local" />
            </label>
            <label>
              Seats per buyer
              <input name="maxSeatsPerUser" type="number" min={1} max={100} defaultValue={6} required />
            </label>
          </div>
          {venueId ? (
            <p className="hint">The venue's layout and prices are copied; you can change them until the sale opens.</p>
          ) : (
            <LayoutBuilder sections={sections} onChange={setSections} />
          )}
          <div className="inline">
            <label>
              Shopping at once
              <input name="maxActive" type="number" min={1} defaultValue={500} required />
            </label>
            <label>
              Admitted per second
              <input name="admitPerTick" type="number" min={1} defaultValue={50} required />
            </label>
            <label>
              Shopping time (minutes)
              <input name="sessionMinutes" type="number" min={1} max={1440} defaultValue={15} required />
            </label>
          </div>
          {message && (
            <p className="error" role="alert" data-testid="admin-message">
              {message}
            </p>
          )}
          <button type="submit">Create event</button>
        </form>
        {created && (
          <p className="notice" role="status" data-testid="created">
            Created <Link href={`/admin/events/${created.id}`}>{created.name}</Link> with {created.capacity.toLocaleString()}{' '}
            seats.
          </p>
        )}
      </section>
    </>
  );
}
