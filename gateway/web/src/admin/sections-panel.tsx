import { type FormEvent, useState } from 'react';
import type { EventDetail, SeatLayout } from '../../../../core/contract/http.js';
import { formatCents } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { draftsOf, LayoutBuilder, type SectionDraft, toSections } from './layout-builder.js';
import { LayoutPreview } from './layout-preview.js';
import { problemText } from './problem-text.js';

/**
 * Sections and prices: editable until the sale (or presale) opens and nobody has held, booked,
 * waited or used a code; the server decides (CONFLICT with its reason) and this page says so.
 */
export function SectionsPanel({ event, onSaved }: { event: EventDetail; onSaved: (e: EventDetail) => void }) {
  // Loaded once per event: after a save the drafts already are what the server now holds.
  const [drafts, setDrafts] = useState<SectionDraft[]>(() => draftsOf(event.sections));
  const [message, setMessage] = useState('');
  const [saved, setSaved] = useState('');
  const opens = [event.presaleStartsAt, event.saleStartsAt].filter(Boolean).map((t) => Date.parse(t as string));
  const beforeSale = event.status === 'scheduled' && Math.min(...opens) > Date.now();

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setMessage('');
    setSaved('');
    try {
      const next = await api<EventDetail>('PATCH', `/api/admin/events/${event.id}`, { sections: toSections(drafts) });
      onSaved(next);
      setSaved(`Saved: ${next.capacity.toLocaleString()} seats.`);
    } catch (err) {
      setMessage(problemText(err));
    }
  };

  return (
    <section aria-labelledby="sections-heading" className="panel">
      <h2 id="sections-heading">Sections and prices</h2>
      {beforeSale ? (
        <div className="builder">
          <form onSubmit={save} className="stack" aria-label="Sections and prices">
            <p className="hint">You can change sections, rows and prices until the sale opens.</p>
            <LayoutBuilder sections={drafts} onChange={setDrafts} legend="Layout" />
            {message && (
              <p className="error" role="alert" data-testid="sections-message">
                {message}
              </p>
            )}
            {saved && (
              <p className="notice" role="status" data-testid="sections-saved">
                {saved}
              </p>
            )}
            <button type="submit">Save sections and prices</button>
          </form>
          <LayoutPreview sections={drafts} />
        </div>
      ) : (
        <>
          {!beforeSale && <p className="hint">The sale has opened: sections and prices are fixed.</p>}
          {message && (
            <p className="error" role="alert">
              {message}
            </p>
          )}
          <table>
            <thead>
              <tr>
                <th>Section</th>
                <th>Price</th>
                <th>Seats</th>
                <th>Available</th>
              </tr>
            </thead>
            <tbody>
              {event.sections.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>{formatCents(s.priceCents)}</td>
                  <td>{s.capacity}</td>
                  <td>{s.available}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
