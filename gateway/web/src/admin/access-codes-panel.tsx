import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { CreatedAccessCodes } from '../../../../core/contract/access-codes.js';
import type { AccessCodeSummary } from '../../../../core/contract/console.js';
import { api } from '../api/http-api.js';
import { downloadText, toCsv } from './csv.js';
import { formatWhen } from './local-time.js';
import { problemText } from './problem-text.js';

/**
 * Presale and bypass codes. The server keeps only their hashes, so the plain codes exist once,
 * in the reply to their creation: the page offers them as a CSV then, and forgets them.
 */
export function AccessCodesPanel({ eventId, eventName }: { eventId: string; eventName: string }) {
  const [codes, setCodes] = useState<AccessCodeSummary[] | null>(null);
  const [fresh, setFresh] = useState<CreatedAccessCodes | null>(null);
  const [message, setMessage] = useState('');
  const load = useCallback(
    () =>
      api<AccessCodeSummary[]>('GET', `/api/admin/events/${eventId}/access-codes`).then(setCodes, (e) =>
        setMessage(problemText(e)),
      ),
    [eventId],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setMessage('');
    try {
      const made = await api<CreatedAccessCodes>('POST', `/api/admin/events/${eventId}/access-codes`, {
        kind: String(f.get('kind')),
        count: Number(f.get('count')),
        maxUses: Number(f.get('maxUses')),
      });
      setFresh(made);
      await load();
    } catch (err) {
      setMessage(problemText(err));
    }
  };

  const download = () => {
    if (!fresh) return;
    const slug =
      eventName
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'event';
    downloadText(
      `${slug}-${fresh.kind}-codes.csv`,
      toCsv(
        ['code', 'kind', 'max_uses'],
        fresh.codes.map((c) => [c, fresh.kind, fresh.maxUses]),
      ),
    );
    setFresh(null);
  };

  const totals = (codes ?? []).reduce((t, c) => ({ uses: t.uses + c.uses, left: t.left + c.usesLeft }), { uses: 0, left: 0 });
  return (
    <section aria-labelledby="codes-heading">
      <h2 id="codes-heading">Access codes</h2>
      <form onSubmit={create} className="inline" aria-label="Create access codes">
        <label>
          Kind
          <select name="kind" defaultValue="presale">
            <option value="presale">Presale (joins from the presale start)</option>
            <option value="bypass">Bypass (skips the line)</option>
          </select>
        </label>
        <label>
          How many
          <input name="count" type="number" min={1} max={1000} defaultValue={10} required />
        </label>
        <label>
          Uses per code
          <input name="maxUses" type="number" min={1} max={1_000_000} defaultValue={1} required />
        </label>
        <button type="submit">Create codes</button>
      </form>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      {fresh && (
        <div className="notice" role="status" data-testid="fresh-codes">
          <p>
            {fresh.codes.length} {fresh.kind} codes created. Download them now: the server keeps only their hashes, so they cannot
            be shown again.
          </p>
          <button type="button" onClick={download}>
            Download {fresh.codes.length} codes (CSV)
          </button>
        </div>
      )}
      {codes && codes.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Issued codes">
            <caption className="hint">
              {codes.length} codes, {totals.uses} uses, {totals.left} uses left
            </caption>
            <thead>
              <tr>
                <th>Created</th>
                <th>Kind</th>
                <th>Uses</th>
                <th>Uses left</th>
                <th>Code id</th>
              </tr>
            </thead>
            <tbody>
              {codes.map((c) => (
                <tr key={c.id} data-testid="access-code">
                  <td>{formatWhen(c.createdAt)}</td>
                  <td>{c.kind}</td>
                  <td>
                    {c.uses} / {c.maxUses}
                  </td>
                  <td data-testid="uses-left">{c.usesLeft}</td>
                  <td className="hint">{c.id.slice(0, 8)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {codes && codes.length === 0 && <p>No codes yet.</p>}
    </section>
  );
}
