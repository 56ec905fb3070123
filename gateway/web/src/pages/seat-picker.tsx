import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HoldReply } from '../../../../core/contract/commands.js';
import type { EventDetail } from '../../../../core/contract/http.js';
import { errorWords, formatCents } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { SeatCanvas, SeatLegend } from '../components/seat-canvas.js';
import { CommandError, command, onShopConnected, shopClient, userClient } from '../live/connection.js';
import { formatSeconds, useSecondsLeft } from '../live/hooks.js';
import { refreshMyState, useMyState } from '../live/my-state.js';
import { AVAILABLE, type LayoutWire, type SeatMapStore } from '../live/seat-map-store.js';
import { syncSeatMap } from '../live/seat-map-sync.js';
import { HoldPanel } from './hold-panel.js';

export interface SeatPickerProps {
  event: EventDetail;
  admissionToken: string;
  admissionExpiresAt: string;
}

/** Admitted: the live seat map, pick seats or best available, then hold them. */
export function SeatPicker({ event, admissionToken, admissionExpiresAt }: SeatPickerProps) {
  const [store, setStore] = useState<SeatMapStore | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [hold, setHold] = useState<HoldReply | null>(null);
  const [changedMine, setChangedMine] = useState<number[]>([]);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [counts, setCounts] = useState({ available: 0, held: 0, sold: 0 });
  const deltaTiming = useRef<((t: number) => void) | null>(null);
  const left = useSecondsLeft(admissionExpiresAt);
  const mine = useMyState();
  // Holds this page saw end (released, expired): a me:state answer older than that never brings them back.
  const ended = useRef(new Set<string>());

  // A reload, a second tab or a reconnect through another gateway: the hold this user already has
  // for this event comes back with its own expiry (never extended) and its pay button.
  useEffect(() => {
    if (hold) return;
    const kept = mine?.holds.find((h) => h.eventId === event.id && h.origin === 'buyer' && !ended.current.has(h.holdId));
    if (!kept) return;
    setHold(kept);
    // Repaint those seats as the buyer's own (a dot), not as "held by someone".
    if (store) setChangedMine(kept.seats.map((seat) => store.layout.indexOf.get(seat.id) ?? 0));
  }, [mine, hold, event.id, store]);

  useEffect(() => {
    const sync = syncSeatMap({
      client: shopClient(),
      eventId: event.id,
      sectionOrder: event.sections.map((s) => s.name),
      connectedHook: onShopConnected,
      fetchLayout: (id) => api<LayoutWire>('GET', `/api/events/${id}/seats`),
      onStore: (s) => setStore(s),
      onError: () => setMessage('The seat map could not be loaded. Retrying when the connection is back.'),
      onDelta: (receivedAt) => deltaTiming.current?.(receivedAt),
    });
    (window as unknown as { __eventlySync?: unknown }).__eventlySync = sync.stats;
    return () => sync.close();
  }, [event]);

  // Counts and lost selections follow every change of the map.
  useEffect(() => {
    if (!store) return;
    setCounts(store.counts());
    return store.onChange((changed) => {
      setCounts(store.counts());
      setSelected((sel) => {
        const gone = [...sel].filter((i) => store.status[i] !== AVAILABLE && (changed === 'all' || changed.includes(i)));
        if (gone.length === 0) return sel;
        setMessage('A seat you picked was just taken by someone else. Please pick another.');
        const next = new Set(sel);
        for (const i of gone) next.delete(i);
        return next;
      });
    });
  }, [store]);

  const holdIndices = useMemo(() => {
    const s = new Set<number>();
    if (store && hold) for (const seat of hold.seats) s.add(store.layout.indexOf.get(seat.id) ?? -1);
    return s;
  }, [store, hold]);

  const isMine = useCallback((i: number) => selected.has(i) || holdIndices.has(i), [selected, holdIndices]);

  // Keys can arrive faster than React re-renders: toggle against a ref, not a render's snapshot.
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const toggle = (i: number) => {
    if (!store || hold) return;
    const sel = selectedRef.current;
    if (!sel.has(i) && store.status[i] !== AVAILABLE) {
      setMessage('That seat is not available.');
      return;
    }
    if (!sel.has(i) && sel.size >= event.maxSeatsPerUser) {
      setMessage(`You can pick at most ${event.maxSeatsPerUser} seats.`);
      return;
    }
    setMessage('');
    const next = new Set(sel);
    if (next.has(i)) next.delete(i);
    else next.add(i);
    selectedRef.current = next;
    setSelected(next);
    setChangedMine([i]);
  };

  const sendHold = async (
    by: { seatIds: string[] } | { section?: string; quantity: number; acceptPartial?: boolean; waitlistRest?: boolean },
  ) => {
    setBusy(true);
    setMessage('');
    const idempotencyKey = crypto.randomUUID();
    try {
      const reply = await command(() => shopClient().seatsHold({ eventId: event.id, admissionToken, idempotencyKey, ...by }), {
        onRetry: (e) => setMessage(errorWords(e.code)),
      });
      const before = [...selected];
      setSelected(new Set());
      setHold(reply);
      setMessage('');
      void refreshMyState();
      if (store) setChangedMine([...before, ...reply.seats.map((s) => store.layout.indexOf.get(s.id) ?? 0)]);
    } catch (err) {
      setMessage(errorWords(err instanceof CommandError ? err.code : undefined));
    } finally {
      setBusy(false);
    }
  };

  const holdSelected = () => {
    if (!store || selected.size === 0) return;
    void sendHold({ seatIds: [...selected].map((i) => store.layout.ids[i]!) });
  };

  const holdBest = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const section = String(f.get('section') ?? '');
    const partial = f.get('partial') === 'on';
    const rest = partial && f.get('rest') === 'on';
    void sendHold({
      quantity: Number(f.get('quantity')),
      ...(section ? { section } : {}),
      ...(partial ? { acceptPartial: true } : {}),
      ...(rest ? { waitlistRest: true } : {}),
    });
  };

  const endHold = (why: string) => {
    if (hold) ended.current.add(hold.holdId);
    const was = [...holdIndices];
    setHold(null);
    setMessage(why);
    setChangedMine(was);
  };

  useEffect(() => {
    if (!hold) return;
    return userClient().on('hold:expired', (p) => {
      if (p.holdId === hold.holdId) endHold(errorWords('HOLD_EXPIRED'));
    });
  });

  const registerDelta = useCallback((register: (t: number) => void) => {
    deltaTiming.current = register;
  }, []);

  const selectedSeats = store ? [...selected].map((i) => describeSeat(store, i)) : [];
  return (
    <div className="picker">
      <p className="hint">Your turn! {left !== null && <>You have {formatSeconds(left)} to choose and pay.</>}</p>
      {message && (
        <p className="error" role="alert" data-testid="picker-message">
          {message}
        </p>
      )}
      {hold && 'waitlist' in hold && hold.waitlist && (
        <p className="notice" role="status" data-testid="hold-waitlist-rest">
          The other {hold.waitlist.quantity} {hold.waitlist.quantity === 1 ? 'seat is' : 'seats are'} on the waitlist: you are
          number {hold.waitlist.position}.
        </p>
      )}
      {hold ? (
        <HoldPanel
          hold={hold}
          onReleased={() => endHold('Your seats were released.')}
          onExpired={() => endHold(errorWords('HOLD_EXPIRED'))}
        />
      ) : (
        <div className="picker-controls">
          <div>
            <h3>Your pick</h3>
            {selectedSeats.length === 0 ? (
              <p>Choose seats on the map (click, or Tab to the map and use the arrow keys), or take the best available.</p>
            ) : (
              <ul aria-label="Selected seats" data-testid="selected-seats">
                {selectedSeats.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            )}
            <button type="button" onClick={holdSelected} disabled={busy || selected.size === 0}>
              Hold {selected.size || ''} selected {selected.size === 1 ? 'seat' : 'seats'}
            </button>
          </div>
          <form onSubmit={holdBest} className="inline" aria-label="Best available">
            <h3>Best available</h3>
            <label>
              Section
              <select name="section" defaultValue="">
                <option value="">Any section</option>
                {event.sections.map((s) => (
                  <option key={s.id} value={s.name}>
                    {s.name} ({formatCents(s.priceCents)})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Quantity
              <input name="quantity" type="number" min={1} max={event.maxSeatsPerUser} defaultValue={2} required />
            </label>
            <label className="check">
              <input name="partial" type="checkbox" data-testid="accept-partial" /> Take what is free if there are fewer
            </label>
            <label className="check">
              <input name="rest" type="checkbox" data-testid="waitlist-rest" /> Put the rest on the waitlist
            </label>
            <button type="submit" disabled={busy}>
              Find seats
            </button>
          </form>
        </div>
      )}
      <p className="counts" aria-live="off" data-testid="seat-counts">
        {counts.available} available · {counts.held} held · {counts.sold} sold
      </p>
      <SeatLegend />
      {store ? (
        <SeatCanvas store={store} isMine={isMine} changedMine={changedMine} onToggle={toggle} onDeltaTiming={registerDelta} />
      ) : (
        <p aria-busy="true">Loading the seat map…</p>
      )}
    </div>
  );
}

export function describeSeat(store: SeatMapStore, i: number): string {
  const l = store.layout;
  return `${l.sections[l.sectionOf[i]!]?.name} row ${l.rowOf[i]} seat ${l.numberOf[i]} (${formatCents(l.priceOf[i]!)})`;
}
