import { useCallback, useEffect, useRef, useState } from 'react';
import type { Challenge } from '../../../../core/contract/challenge.js';
import type { EventDetail } from '../../../../core/contract/http.js';
import { errorWords } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { CommandError, command, onConnected, rememberShop, userClient } from '../live/connection.js';
import { formatSeconds, useSecondsLeft } from '../live/hooks.js';
import { solveChallengeInWorker } from '../live/solve-challenge.js';
import { ResendVerification } from './resend-verification.js';
import { SeatPicker } from './seat-picker.js';
import { WaitlistPanel } from './waitlist-panel.js';

type QueueView =
  | { kind: 'loading' }
  | { kind: 'none' }
  | { kind: 'waiting'; position: number | null; ahead: number; etaSeconds: number | null; etaAt: string | null }
  | { kind: 'admitted'; admissionToken: string; expiresAt: string }
  | { kind: 'sold_out' }
  | { kind: 'cancelled' }
  | { kind: 'closed'; message: string };

type QueueReply =
  | { state: 'waiting'; position: number | null; ahead: number; etaSeconds: number | null; paused?: boolean }
  | { state: 'admitted'; admissionToken: string; expiresAt: string; shopUrl?: string }
  | { state: 'none' };

/**
 * The waiting room: position, people ahead, ETA and progress, all pushed (`queue:position`,
 * `queue:admitted`, `queue:state`); asked once with `queue:status` on every (re)connect, so
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
  const [unverified, setUnverified] = useState(false);
  const firstAhead = useRef(0);
  const door = useDoorProof(eventId, event.admission.challenge?.required === true);

  const apply = useCallback((r: QueueReply) => {
    if (r.state === 'waiting') {
      firstAhead.current = Math.max(firstAhead.current, r.ahead);
      // Counted down here between pushes (a push comes only when the place or ETA really moved).
      const etaAt = r.etaSeconds === null ? null : new Date(Date.now() + r.etaSeconds * 1000).toISOString();
      // A cancellation is final: a position push or status answer sent before it and delivered
      // after it (they travel by other paths) must not bring the waiting view back.
      setView((v) =>
        v.kind === 'cancelled' ? v : { kind: 'waiting', position: r.position, ahead: r.ahead, etaSeconds: r.etaSeconds, etaAt },
      );
      if (r.paused !== undefined) setPaused(r.paused);
    } else if (r.state === 'admitted') {
      // Two tiers: the seats are bought at the shop the admission names (the seat picker's socket).
      rememberShop(r.shopUrl);
      setView((v) =>
        v.kind === 'cancelled' ? v : { kind: 'admitted', admissionToken: r.admissionToken, expiresAt: r.expiresAt },
      );
    } else setView((v) => (v.kind === 'sold_out' || v.kind === 'cancelled' ? v : { kind: 'none' }));
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
      const proof = door.required ? await door.proof() : undefined;
      try {
        apply(await command(() => userClient().queueJoin({ eventId, ...(proof ? { proof } : {}) })));
      } catch (err) {
        // The proof went stale (expired, or the room asks for another): solve the one offered, once.
        const offered = (err instanceof CommandError && err.code === 'CHALLENGE_REQUIRED' && err.error.details) as
          | { challenge?: Challenge }
          | false;
        if (!offered || !offered.challenge) throw err;
        const fresh = await door.solve(offered.challenge);
        apply(await command(() => userClient().queueJoin({ eventId, proof: fresh })));
      }
    } catch (err) {
      const code = err instanceof CommandError ? err.code : undefined;
      if (code === 'SOLD_OUT') setView({ kind: 'sold_out' });
      else if (code === 'QUEUE_PAUSED') setPaused(true);
      else if (code === 'SALE_NOT_OPEN') setView({ kind: 'closed', message: 'The sale for this event is over.' });
      else if (
        code === 'FORBIDDEN' &&
        ((err as CommandError).error.details as { reason?: string } | undefined)?.reason === 'email_unverified'
      )
        setUnverified(true);
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
      {unverified && view.kind === 'none' && (
        <div className="stack" data-testid="needs-verified-email">
          <p className="notice" role="status">
            This event lets only confirmed email addresses into its waiting room. Open the link we mail you, then join.
          </p>
          <ResendVerification />
        </div>
      )}
      {view.kind === 'loading' && <p aria-busy="true">Checking your place…</p>}
      {view.kind === 'none' && (
        <div className="stack">
          {door.required && (
            <p className="hint" data-testid="door-progress" role="status">
              {door.ready
                ? 'Your browser has done its check: you can join.'
                : `Checking your browser before you join (a few seconds of work that bots pay for): ${Math.round(door.progress * 100)}%`}
            </p>
          )}
          {door.required && !door.ready && (
            <progress max={100} value={Math.round(door.progress * 100)} aria-label="browser check" />
          )}
          <button type="button" onClick={join}>
            Join the waiting room
          </button>
        </div>
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

/**
 * The proof of work an event may ask at the door: fetched and solved in a Web Worker as
 * soon as the page shows the event, so joining is usually instant; `proof()` waits for it.
 */
function useDoorProof(eventId: string, required: boolean) {
  const [progress, setProgress] = useState(0);
  const [ready, setReady] = useState(false);
  const pending = useRef<Promise<string> | null>(null);
  const solve = useCallback((challenge: Challenge) => {
    setReady(false);
    setProgress(0);
    const p = solveChallengeInWorker(challenge, setProgress).then((proof) => {
      setReady(true);
      return proof;
    });
    pending.current = p;
    return p;
  }, []);
  const start = useCallback(
    () => api<{ challenge: Challenge }>('GET', `/api/events/${eventId}/challenge`).then((r) => solve(r.challenge)),
    [eventId, solve],
  );
  useEffect(() => {
    if (!required) return;
    pending.current = start();
    pending.current.catch(() => {});
  }, [required, start]);
  const proof = useCallback(async () => {
    const p = pending.current ?? start();
    pending.current = null; // a proof is used once: the next join fetches a new one
    return p;
  }, [start]);
  return { required, progress, ready, proof, solve };
}

function WaitingView({
  view,
  firstAhead,
  onLeave,
}: {
  view: { position: number | null; ahead: number; etaSeconds: number | null; etaAt: string | null };
  firstAhead: number;
  onLeave: () => void;
}) {
  const etaLeft = useSecondsLeft(view.etaAt);
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
        {etaLeft !== null && (
          <>
            {' '}
            About <span data-testid="queue-eta">{formatSeconds(etaLeft)}</span> to go.
          </>
        )}
      </p>
      <progress max={100} value={done} aria-label={`${done}% of the way to the front`} />
      <p className="hint">Keep this page open; it updates by itself. You keep your place for a while if you lose connection.</p>
      <button type="button" className="secondary" onClick={onLeave}>
        Leave the waiting room
      </button>
    </div>
  );
}
