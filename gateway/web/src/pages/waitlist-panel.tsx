import { type FormEvent, useEffect, useState } from 'react';
import type { EventDetail } from '../../../../core/contract/http.js';
import { errorWords } from '../api/error-words.js';
import { CommandError, command, shopClient, userClient } from '../live/connection.js';
import { refreshMyState, useMyState } from '../live/my-state.js';
import { type HoldLike, HoldPanel } from './hold-panel.js';

/** Sold out: join the waitlist; freed seats come back as an offer (a hold) with its own countdown. */
export function WaitlistPanel({ event }: { event: EventDetail }) {
  const [position, setPosition] = useState<number | null>(null);
  const [offer, setOffer] = useState<HoldLike | null>(null);
  const [message, setMessage] = useState('');
  const mine = useMyState();
  const [ended, setEnded] = useState<string | null>(null);

  // After a reload or on another device: the open offer and the place in line come back.
  useEffect(() => {
    const kept = mine?.holds.find((h) => h.eventId === event.id && h.origin === 'waitlist' && h.holdId !== ended);
    if (kept) setOffer((o) => o ?? kept);
    const entry = mine?.waitlists.find((w) => w.eventId === event.id);
    if (entry) setPosition(entry.position);
  }, [mine, event.id, ended]);

  useEffect(() => {
    const client = userClient();
    const offs = [
      client.on('waitlist:position', (p) => p.eventId === event.id && setPosition(p.position)),
      client.on('waitlist:offer', (p) => p.eventId === event.id && setOffer(p)),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [event.id]);

  const join = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const section = String(f.get('section') ?? '');
    try {
      const r = await command(() =>
        shopClient().waitlistJoin({ eventId: event.id, quantity: Number(f.get('quantity')), ...(section ? { section } : {}) }),
      );
      setPosition(r.position);
      setMessage('');
      void refreshMyState();
    } catch (err) {
      const c = err instanceof CommandError ? err : null;
      if (c?.code === 'NOT_ADMITTED') setMessage('Seats are still available: reload and join the waiting room instead.');
      else setMessage(errorWords(c?.code));
    }
  };

  const leave = async () => {
    await command(() => shopClient().waitlistLeave({ eventId: event.id })).catch(() => {});
    setPosition(null);
    void refreshMyState();
  };

  if (offer) {
    return (
      <div data-testid="waitlist-offer">
        <p className="notice" role="status">
          Good news: seats came free for you. Confirm before the timer runs out.
        </p>
        <HoldPanel
          hold={offer}
          onReleased={() => {
            setEnded(offer.holdId);
            setOffer(null);
          }}
          onExpired={() => {
            setEnded(offer.holdId);
            setOffer(null);
            setMessage('The offer ran out of time.');
          }}
        />
      </div>
    );
  }
  return (
    <div className="stack" data-testid="waitlist">
      <p className="notice" role="status">
        This event is sold out.
      </p>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      {position === null ? (
        <form onSubmit={join} className="inline" aria-label="Join the waitlist">
          <label>
            Seats wanted
            <input name="quantity" type="number" min={1} max={event.maxSeatsPerUser} defaultValue={2} required />
          </label>
          <label>
            Section
            <select name="section" defaultValue="">
              <option value="">Any section</option>
              {event.sections.map((s) => (
                <option key={s.id} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Join the waitlist</button>
        </form>
      ) : (
        <>
          <p role="status" data-testid="waitlist-position">
            You are number {position} on the waitlist. We will offer you seats here the moment some come free.
          </p>
          <button type="button" className="secondary" onClick={leave}>
            Leave the waitlist
          </button>
        </>
      )}
    </div>
  );
}
