import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Venue } from '../../../../core/contract/venues.js';
import { api } from '../api/http-api.js';
import { draftsOf, LayoutBuilder, type SectionDraft, sectionDraft, toSections } from './layout-builder.js';
import { LayoutPreview } from './layout-preview.js';
import { problemText } from './problem-text.js';

const STARTER = () => [sectionDraft('Floor', '60.00', '8', '20'), sectionDraft('Balcony', '35.00', '4', '24')];

/** Venues with a saved layout: events created from one copy its sections, rows, seats and prices. */
export function VenuesPage() {
  const [venues, setVenues] = useState<Venue[] | null>(null);
  const [editing, setEditing] = useState<Venue | null>(null);
  const [sections, setSections] = useState<SectionDraft[]>(STARTER);
  const [message, setMessage] = useState('');
  const [saved, setSaved] = useState('');
  const load = useCallback(
    () => api<Venue[]>('GET', '/api/admin/venues?limit=200').then(setVenues, (e) => setMessage(problemText(e))),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const startEdit = (v: Venue | null) => {
    setEditing(v);
    setSections(v ? draftsOf(v.sections) : STARTER());
    setMessage('');
    setSaved('');
  };

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body = { name: String(f.get('name')).trim(), address: String(f.get('address')).trim(), sections: toSections(sections) };
    setMessage('');
    try {
      const v = editing
        ? await api<Venue>('PATCH', `/api/admin/venues/${editing.id}`, body)
        : await api<Venue>('POST', '/api/admin/venues', body);
      setSaved(`Saved ${v.name} (${v.capacity.toLocaleString()} seats).`);
      setEditing(v);
      await load();
    } catch (err) {
      setMessage(problemText(err));
    }
  };

  return (
    <>
      <h1>Venues</h1>
      {venues && venues.length === 0 && <p data-testid="no-venues">No venues yet.</p>}
      {venues && venues.length > 0 && (
        <table aria-label="Venues">
          <thead>
            <tr>
              <th>Venue</th>
              <th>Address</th>
              <th>Sections</th>
              <th>Seats</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {venues.map((v) => (
              <tr key={v.id} data-testid="venue">
                <td>{v.name}</td>
                <td>{v.address}</td>
                <td>{v.sections.map((s) => s.name).join(', ')}</td>
                <td>{v.capacity.toLocaleString()}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => startEdit(v)}>
                    Edit {v.name}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section className="panel" aria-labelledby="venue-form-heading">
        <h2 id="venue-form-heading">{editing ? `Edit ${editing.name}` : 'New venue'}</h2>
        {editing && (
          <button type="button" className="link" onClick={() => startEdit(null)}>
            Start a new venue instead
          </button>
        )}
        <div className="builder">
          <form onSubmit={save} className="stack" key={editing?.id ?? 'new'} aria-label="Venue">
            <div className="inline">
              <label>
                Venue name
                <input name="name" required maxLength={200} defaultValue={editing?.name ?? ''} />
              </label>
              <label>
                Address
                <input name="address" maxLength={500} defaultValue={editing?.address ?? ''} />
              </label>
            </div>
            <LayoutBuilder sections={sections} onChange={setSections} legend="Layout" />
            {message && (
              <p className="error" role="alert">
                {message}
              </p>
            )}
            {saved && (
              <p className="notice" role="status" data-testid="venue-saved">
                {saved}
              </p>
            )}
            <button type="submit">{editing ? 'Save venue' : 'Create venue'}</button>
          </form>
          <LayoutPreview sections={sections} />
        </div>
      </section>
    </>
  );
}
