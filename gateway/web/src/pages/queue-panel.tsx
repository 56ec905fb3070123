import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventDetail } from '../../../../core/contract/http.js';
import { errorWords } from '../api/error-words.js';
import { CommandError, command, onConnected, userClient } from '../live/connection.js';
import { formatSeconds } from '../live/hooks.js';
import { SeatPicker } from './seat-picker.js';
import { WaitlistPanel } from './waitlist-panel.js';

type QueueView =
  | { kind: 'loading' }
  | { kind: 'none' }
  | { kind: 'waiting'; position: number | null; ahead: number; etaSeconds: number | null }
  | { kind: 'admitted'; admissionToken: string; expiresAt: string }
  | { kind: 'sold_out' }
  | { kind: 'cancelled' }
  | { kind: 'closed'; message: string };

type QueueReply =
  | { state: 'waiting'; position: number | null; ahead: number; etaSeconds: number | null; paused?: boolean }
  | { state: 'admitted'; admissionToken: string; expiresAt: string }
  | { state: 'none' };

/**
 * The waiting room: position, people ahead, ETA and progress, all pushed (`queue:position`,
 * `queue:admitted`, v1.1 `queue:state`); asked once with `queue:status` on every (re)connect, so
 * a reload or a gateway restart shows the place the buyer kept.
 */
export function QueuePanel({ event }: { event: EventDetail }) {
  const eventId = event.id;
  const [view, setView] = useState<QueueView>(
    event.status === 'sold_out'
      ? { kind: 'sold_out' }
      : event.status === 'cancelled'
        ? { kind: 'cancelled' }
        : { kind: 'loading' },
  );
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState('');
  const firstAhead = useRef(0);

  const apply = useCallback((r: QueueReply) => {
    if (r.state === 'waiting') {
      firstAhead.current = Math.max(firstAhead.current, r.ahead);
      setView({ kind: 'waiting', position: r.position, ahead: r.ahead, etaSeconds: r.etaSeconds });
      if (r.paused !== undefined) setPaused(r.paused);
    } else if (r.state === 'admitted') setView({ kind: 'admitted', admissionToken: r.admissionToken, expiresAt: r.expiresAt });
    else setView((v) => (v.kind === 'sold_out' || v.kind === 'cancelled' ? v : { kind: 'none' }));
  }, []);

  useEffect(() => {
    const client = userClient();
    const mine = (p: { eventId: string }) => p.eventId === eventId;
    const offs = [
      client.on('queue:position', (p) => mine(p) && apply({ state: 'waiting', ...p })),
      client.on('queue:admitted', (p) => mine(p) && apply({ state: 'admitted', ...p })),
    ];
    const onState = (p: { eventId: string; state: string }) => {
      if (!mine(p)) return;
      if (p.state === 'paused') setPaused(true);
      else if (p.state === 'resumed') setPaused(false);
      else if (p.state === 'sold_out') setView({ kind: 'sold_out' });
      else if (p.state === 'cancelled') setView({ kind: 'cancelled' });
    };
    client.socket.on('queue:state', onState);
    const offConnected = onConnected(() => {
      void command(() => client.queueStatus({ eventId })).then(apply, () => {});
    });
    return () => {
      for (const off of offs) off();
      client.socket.off('queue:state', onState);
      offConnected();
    };
  }, [eventId, apply]);

  const join = async () => {
    setError('');
    try {
      apply(await command(() => userClient().queueJoin({ eventId })));
    } catch (err) {
      const code = err instanceof CommandError ? err.code : undefined;
      if (code === 'SOLD_OUT') setView({ kind: 'sold_out' });
      else if (code === 'QUEUE_PAUSED') setPaused(true);
      else if (code === 'SALE_NOT_OPEN') setView({ kind: 'closed', message: 'The sale for this event is over.' });
      else setError(errorWords(code));
    }
  };

  const leave = async () => {
    await command(() => userClient().queueLeave({ eventId })).catch(() => {});
    setView({ kind: 'none' });
  };

  return (
    <section aria-labelledby="queue-heading" className="panel">
      <h2 id="queue-heading">{view.kind === 'admitted' ? 'Choose your seats' : 'Waiting room'}</h2>
      {paused && view.kind !== 'admitted' && (
        <p className="notice paused" role="status" data-testid="queue-paused">
          The waiting room is paused for a moment. You keep your place; we will continue shortly.
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {view.kind === 'loading' && <p aria-busy="true">Checking your place…</p>}
      {view.kind === 'none' && (
        <button type="button" onClick={join}>
          Join the waiting room
        </button>
      )}
      {view.kind === 'waiting' && <WaitingView view={view} firstAhead={firstAhead.current} onLeave={leave} />}
      {view.kind === 'admitted' && (
        <SeatPicker event={event} admissionToken={view.admissionToken} admissionExpiresAt={view.expiresAt} />
      )}
      {view.kind === 'sold_out' && <WaitlistPanel event={event} />}
      {view.kind === 'cancelled' && (
        <p className="notice" role="status" data-testid="queue-cancelled">
          This event was cancelled. Any booking you had is refunded.
        </p>
      )}
      {view.kind === 'closed' && <p className="notice">{view.message}</p>}
    </section>
  );
}

function WaitingView({
  view,
  firstAhead,
  onLeave,
}: {
  view: { position: number | null; ahead: number; etaSeconds: number | null };
  firstAhead: number;
  onLeave: () => void;
}) {
  const done = firstAhead > 0 ? Math.round(((firstAhead - view.ahead) / firstAhead) * 100) : 100;
  return (
    <div className="stack" data-testid="queue-waiting">
      <p role="status" aria-live="polite">
        {view.position === null ? (
          <>You are in the pre-queue: places are drawn at random when the sale starts.</>
        ) : (
          <>
            You are number <strong data-testid="queue-position">{view.position}</strong> in line.{' '}
          </>
        )}
        <span data-testid="queue-ahead">{view.ahead}</span> {view.ahead === 1 ? 'person is' : 'people are'} ahead of you.
        {view.etaSeconds !== null && <> About {formatSeconds(view.etaSeconds)} to go.</>}
      </p>
      <progress max={100} value={done} aria-label={`${done}% of the way to the front`} />
      <p className="hint">Keep this page open; it updates by itself. You keep your place for a while if you lose connection.</p>
      <button type="button" className="secondary" onClick={onLeave}>
        Leave the waiting room
      </button>
    </div>
  );
}
