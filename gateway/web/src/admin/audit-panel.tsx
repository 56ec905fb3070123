import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry } from '../../../../core/contract/console.js';
import { apiPage } from '../api/http-api.js';
import { formatWhen } from './local-time.js';
import { problemText } from './problem-text.js';

const PAGE = 25;

/** Who changed what in the event, newest first, a page at a time (the server's cursor). */
export function AuditPanel({ eventId }: { eventId: string }) {
  const [pages, setPages] = useState<{ items: AuditEntry[]; next: string | null }[]>([]);
  const [at, setAt] = useState(0);
  const [message, setMessage] = useState('');
  const load = useCallback(async (path: string) => {
    try {
      return await apiPage<AuditEntry>(path);
    } catch (err) {
      setMessage(problemText(err));
      return null;
    }
  }, []);
  useEffect(() => {
    setAt(0);
    void load(`/api/admin/events/${eventId}/audit?limit=${PAGE}`).then((p) => p && setPages([p]));
  }, [load, eventId]);
  const current = pages[at];
  const page = current?.items ?? [];
  const next = async () => {
    if (pages[at + 1]) return setAt(at + 1);
    if (!current?.next) return;
    const more = await load(current.next);
    if (more) {
      setPages((p) => [...p, more]);
      setAt(at + 1);
    }
  };
  return (
    <section aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      <div className="table-wrap">
        <table aria-label="Audit log">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {page.map((a) => (
              <tr key={a.id} data-testid="audit-entry">
                <td>{formatWhen(a.at)}</td>
                <td>{a.actorName ?? (a.actorId ? a.actorId.slice(0, 8) : 'system')}</td>
                <td>{a.action}</td>
                <td className="mono">{JSON.stringify(a.data)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row">
        <button type="button" className="secondary" disabled={at === 0} onClick={() => setAt(at - 1)}>
          Newer
        </button>
        <span className="hint">Page {at + 1}</span>
        <button type="button" className="secondary" disabled={!current?.next && !pages[at + 1]} onClick={() => void next()}>
          Older
        </button>
      </div>
    </section>
  );
}
