import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { EventDetail, EventSummary } from '../../../../core/contract/http.js';
import { formatCents } from '../api/error-words.js';
import { ApiError, api } from '../api/http-api.js';
import { Link } from '../router.js';

interface SectionDraft {
  key: number;
  name: string;
  price: string;
  rows: string;
  seatsPerRow: string;
}

interface Cancelled {
  eventId: string;
  releasedHolds: number;
  refundedBookings: number;
  refundCents: number;
}

let nextKey = 1;
const draft = (name: string, price: string, rows: string, seatsPerRow: string): SectionDraft => ({
  key: nextKey++,
  name,
  price,
  rows,
  seatsPerRow,
});

function problemText(err: unknown): string {
  if (err instanceof ApiError) {
    const issues = (err.details as { issues?: { path?: string[]; message: string }[] } | undefined)?.issues;
    if (issues?.length) return issues.map((i) => `${i.path?.join('.') || 'event'}: ${i.message}`).join('; ');
    return err.message;
  }
  return 'The server cannot be reached.';
}

/** Create an event with a section builder; cancel one and see what was released and refunded. */
export function EventsAdminPage() {
  const [events, setEvents] = useState<EventSummary[]>([]);
  const [sections, setSections] = useState<SectionDraft[]>([
    draft('Stalls', '45.00', '10', '20'),
    draft('Circle', '30.00', '6', '16'),
  ]);
  const [message, setMessage] = useState('');
  const [created, setCreated] = useState<EventDetail | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState<Record<string, Cancelled>>({});

  const load = useCallback(() => api<EventSummary[]>('GET', '/api/events').then(setEvents, () => {}), []);
  useEffect(() => {
    void load();
  }, [load]);

  const seatCount = sections.reduce((n, s) => n + (Number(s.rows) || 0) * (Number(s.seatsPerRow) || 0), 0);
  const update = (key: number, field: keyof SectionDraft, value: string) =>
    setSections((list) => list.map((s) => (s.key === key ? { ...s, [field]: value } : s)));

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const startsAt = new Date(String(f.get('startsAt')));
    const body = {
      name: String(f.get('name')),
      venue: String(f.get('venue')),
      startsAt: Number.isNaN(startsAt.getTime()) ? '' : startsAt.toISOString(),
      maxSeatsPerUser: Number(f.get('maxSeatsPerUser')),
      sections: sections.map((s) => ({
        name: s.name,
        priceCents: Math.round(Number(s.price) * 100),
        rows: Number(s.rows),
        seatsPerRow: Number(s.seatsPerRow),
      })),
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

  const cancel = async (id: string) => {
    setAsking(null);
    try {
      const r = await api<Cancelled>('DELETE', `/api/admin/events/${id}`);
      setCancelled((c) => ({ ...c, [id]: r }));
    } catch (err) {
      setMessage(problemText(err));
    }
  };

  const inAMonth = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 16);
  return (
    <>
      <h1>Events</h1>
      <section className="panel" aria-labelledby="create-heading">
        <h2 id="create-heading">Create an event</h2>
        <form onSubmit={create} className="stack">
          <div className="inline">
            <label>
              Name
              <input name="name" required maxLength={200} />
            </label>
            <label>
              Venue
              <input name="venue" required maxLength={200} />
            </label>
            <label>
              Starts at
              <input name="startsAt" type="datetime-local" required defaultValue={inAMonth} />
            </label>
            <label>
              Seats per buyer
              <input name="maxSeatsPerUser" type="number" min={1} max={100} defaultValue={6} required />
            </label>
          </div>
          <fieldset>
            <legend>Sections ({seatCount.toLocaleString()} seats)</legend>
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Price ($)</th>
                  <th>Rows</th>
                  <th>Seats per row</th>
                  <th>
                    <span className="sr-only">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sections.map((s, i) => (
                  <tr key={s.key} data-testid="section-row">
                    <td>
                      <input
                        aria-label={`Section ${i + 1} name`}
                        value={s.name}
                        required
                        onChange={(e) => update(s.key, 'name', e.target.value)}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`Section ${i + 1} price`}
                        type="number"
                        min={0}
                        step="0.01"
                        value={s.price}
                        required
                        onChange={(e) => update(s.key, 'price', e.target.value)}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`Section ${i + 1} rows`}
                        type="number"
                        min={1}
                        max={200}
                        value={s.rows}
                        required
                        onChange={(e) => update(s.key, 'rows', e.target.value)}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`Section ${i + 1} seats per row`}
                        type="number"
                        min={1}
                        max={200}
                        value={s.seatsPerRow}
                        required
                        onChange={(e) => update(s.key, 'seatsPerRow', e.target.value)}
                      />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        disabled={sections.length === 1}
                        onClick={() => setSections((l) => l.filter((x) => x.key !== s.key))}
                      >
                        Remove {s.name || `section ${i + 1}`}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button
              type="button"
              className="secondary"
              onClick={() => setSections((l) => [...l, draft(`Section ${l.length + 1}`, '25.00', '5', '10')])}
            >
              Add a section
            </button>
          </fieldset>
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
            Created <Link href={`/events/${created.id}`}>{created.name}</Link> with {created.capacity.toLocaleString()} seats.
          </p>
        )}
      </section>
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Upcoming events</h2>
        <table>
          <thead>
            <tr>
              <th>Event</th>
              <th>Status</th>
              <th>Available</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => {
              const done = cancelled[e.id];
              return (
                <tr key={e.id} data-testid="admin-event">
                  <td>
                    <Link href={`/events/${e.id}`}>{e.name}</Link>
                  </td>
                  <td>{done ? 'cancelled' : e.status}</td>
                  <td>
                    {e.available} / {e.capacity}
                  </td>
                  <td>
                    {done ? (
                      <span role="status" data-testid="cancel-result">
                        Cancelled: {done.releasedHolds} holds released, {done.refundedBookings} bookings refunded (
                        {formatCents(done.refundCents)}).
                      </span>
                    ) : e.status === 'cancelled' ? null : asking === e.id ? (
                      <span className="row">
                        <button type="button" className="danger" onClick={() => void cancel(e.id)}>
                          Yes, cancel {e.name}
                        </button>
                        <button type="button" className="secondary" onClick={() => setAsking(null)}>
                          No
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="secondary" onClick={() => setAsking(e.id)}>
                        Cancel event
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </>
  );
}
