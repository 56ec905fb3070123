import { useCallback, useEffect, useState } from 'react';
import type { AdminWaitlistEntry } from '../../../../core/contract/console.js';
import { api } from '../api/http-api.js';
import { formatWhen } from './local-time.js';
import { problemText } from './problem-text.js';

/** The open waitlist entries of an event, in line order; an organizer may remove one. */
export function WaitlistAdminPanel({ eventId }: { eventId: string }) {
  const [entries, setEntries] = useState<AdminWaitlistEntry[] | null>(null);
  const [message, setMessage] = useState('');
  const [asking, setAsking] = useState<string | null>(null);
  const load = useCallback(
    () =>
      api<AdminWaitlistEntry[]>('GET', `/api/admin/events/${eventId}/waitlist`).then(setEntries, (e) =>
        setMessage(problemText(e)),
      ),
    [eventId],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const remove = async (entry: AdminWaitlistEntry) => {
    setAsking(null);
    setMessage('');
    try {
      await api('DELETE', `/api/admin/events/${eventId}/waitlist/${entry.id}`);
      setMessage(`Removed ${entry.userName} from the waitlist.`);
    } catch (err) {
      setMessage(problemText(err));
    }
    await load();
  };
  return (
    <section aria-labelledby="waitlist-heading">
      <h2 id="waitlist-heading">Waitlist</h2>
      {message && (
        <p className="notice" role="status" data-testid="waitlist-message">
          {message}
        </p>
      )}
      <button type="button" className="secondary" onClick={() => void load()}>
        Refresh
      </button>
      {entries && entries.length === 0 && <p data-testid="waitlist-empty">Nobody is waiting.</p>}
      {entries && entries.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Waitlist entries">
            <thead>
              <tr>
                <th>Position</th>
                <th>User</th>
                <th>Seats</th>
                <th>Section</th>
                <th>Since</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((w) => (
                <tr key={w.id} data-testid="waitlist-entry">
                  <td>{w.position ?? 'offer out'}</td>
                  <td>
                    {w.userName} <span className="hint">{w.userEmail}</span>
                  </td>
                  <td>{w.quantity}</td>
                  <td>{w.section ?? 'any'}</td>
                  <td>{formatWhen(w.since)}</td>
                  <td>
                    {asking === w.id ? (
                      <span className="row">
                        <button type="button" className="danger" onClick={() => void remove(w)}>
                          Yes, remove {w.userName}
                        </button>
                        <button type="button" className="secondary" onClick={() => setAsking(null)}>
                          No
                        </button>
                      </span>
                    ) : (
                      <button type="button" className="secondary" onClick={() => setAsking(w.id)}>
                        Remove
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
