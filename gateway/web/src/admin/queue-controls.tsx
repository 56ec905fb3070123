import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { AdmissionState, AnalyticsSnapshot } from '../../../../core/contract/commands.js';
import { errorWords } from '../api/error-words.js';
import { adminClient, CommandError, command } from '../live/connection.js';

/** Pause, resume and configure one event's waiting room (`queue:control` on `/admin`). */
export function QueueControls({ eventId, snapshot }: { eventId: string; snapshot: AnalyticsSnapshot }) {
  const client = useRef<ReturnType<typeof adminClient> | null>(null);
  const [reply, setReply] = useState<AdmissionState | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    const c = adminClient();
    client.current = c;
    return () => c.close();
  }, []);

  const control = async (payload: Record<string, unknown>) => {
    setMessage('');
    try {
      const r = await command(() => client.current!.queueControl({ eventId, ...payload } as never));
      setReply(r);
      setMessage(r.paused ? 'The waiting room is paused.' : 'Saved: the waiting room is admitting.');
    } catch (err) {
      setMessage(errorWords(err instanceof CommandError ? err.code : undefined));
    }
  };

  const configure = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const payload: Record<string, unknown> = { action: 'configure' };
    for (const k of ['maxActive', 'admitPerTick', 'tickMs', 'targetHoldP95Ms']) {
      const v = String(f.get(k) ?? '');
      if (v) payload[k] = Number(v);
    }
    if (hasTarget) payload.auto = f.get('auto') === 'on';
    void control(payload);
  };

  const paused = reply?.paused ?? snapshot.queue.paused;
  // The closed-loop admission target exists only on servers that report it.
  const hasTarget = snapshot.queue.auto !== undefined;
  return (
    <section className="panel" aria-labelledby="wr-heading">
      <h2 id="wr-heading">Waiting room</h2>
      <p role="status" data-testid="wr-state">
        {paused ? 'Paused: nobody is admitted until you resume.' : 'Admitting.'}
        {message && ` ${message}`}
      </p>
      <div className="row">
        <button type="button" onClick={() => void control({ action: 'pause' })} disabled={paused}>
          Pause admissions
        </button>
        <button type="button" onClick={() => void control({ action: 'resume' })} disabled={!paused}>
          Resume admissions
        </button>
      </div>
      <form onSubmit={configure} className="inline" aria-label="Configure the waiting room">
        <label>
          Shopping at once (maxActive)
          <input name="maxActive" type="number" min={1} placeholder={String(reply?.maxActive ?? '')} />
        </label>
        <label>
          Admitted per tick
          <input name="admitPerTick" type="number" min={1} placeholder={String(reply?.admitPerTick ?? '')} />
        </label>
        <label>
          Tick (ms)
          <input name="tickMs" type="number" min={50} placeholder={String(reply?.tickMs ?? '')} />
        </label>
        {hasTarget && (
          <>
            <label>
              Hold p95 target (ms)
              <input name="targetHoldP95Ms" type="number" min={10} placeholder={String(snapshot.queue.targetHoldP95Ms ?? '')} />
            </label>
            <label className="check">
              <input name="auto" type="checkbox" defaultChecked={snapshot.queue.auto} /> Steer admissions to the target
            </label>
          </>
        )}
        <button type="submit">Save</button>
      </form>
      {hasTarget && (
        <p className="hint">
          Measured hold p95: {snapshot.queue.holdP95Ms ?? '–'} ms; admitting up to {snapshot.queue.admitLimitPerTick ?? '–'} per
          tick.
        </p>
      )}
    </section>
  );
}
