import { type FormEvent, useState } from 'react';
import type { EventDetail } from '../../../../core/contract/http.js';
import { api } from '../api/http-api.js';
import { fromLocalInput, toLocalInput } from './local-time.js';
import { problemText } from './problem-text.js';

type Admission = EventDetail['admission'];

/** Only what changed is sent: the audit log then says exactly what the organizer edited. */
function changedFields(event: EventDetail, f: FormData): Record<string, unknown> {
  const text = (k: string) => String(f.get(k) ?? '').trim();
  const num = (k: string) => Number(f.get(k));
  const body: Record<string, unknown> = {};
  const put = (key: string, next: unknown, current: unknown) => {
    if (next !== current) body[key] = next;
  };
  put('name', text('name'), event.name);
  put('venue', text('venue'), event.venue);
  put('startsAt', fromLocalInput(text('startsAt')) ?? '', toIsoMinute(event.startsAt));
  put('saleStartsAt', fromLocalInput(text('saleStartsAt')) ?? '', toIsoMinute(event.saleStartsAt));
  put('presaleStartsAt', fromLocalInput(text('presaleStartsAt')), event.presaleStartsAt && toIsoMinute(event.presaleStartsAt));
  put('refundPercent', num('refundPercent'), event.refundPercent);
  put('maxSeatsPerUser', num('maxSeatsPerUser'), event.maxSeatsPerUser);
  put('holdTtlSeconds', num('holdTtlSeconds'), event.holdTtlSeconds);
  const a = event.admission as Admission;
  const admission: Record<string, unknown> = {};
  const putA = (key: string, next: unknown, current: unknown) => {
    if (next !== current) admission[key] = next;
  };
  putA('maxActive', num('maxActive'), a.maxActive);
  putA('admitPerTick', num('admitPerTick'), a.admitPerTick);
  putA('tickMs', num('tickMs'), a.tickMs);
  putA('sessionTtlSeconds', num('sessionTtlSeconds'), a.sessionTtlSeconds);
  putA('targetHoldP95Ms', num('targetHoldP95Ms'), a.targetHoldP95Ms);
  putA('auto', f.get('auto') === 'on', a.auto ?? true);
  putA('requireVerifiedEmail', f.get('requireVerifiedEmail') === 'on', a.requireVerifiedEmail ?? false);
  if ((f.get('challengeRequired') === 'on') !== (a.challenge?.required ?? false)) {
    admission.challenge = { required: f.get('challengeRequired') === 'on' };
  }
  if (Object.keys(admission).length > 0) body.admission = admission;
  return body;
}

/** The form shows minutes; an unchanged field must compare equal to what the server holds. */
function toIsoMinute(iso: string): string {
  return fromLocalInput(toLocalInput(iso)) ?? iso;
}

/** Name, times, sale and presale windows, refund percent, per-user limit and admission settings. */
export function EventSettingsForm({ event, onSaved }: { event: EventDetail; onSaved: (e: EventDetail) => void }) {
  const [message, setMessage] = useState('');
  const [saved, setSaved] = useState('');
  const a = event.admission as Admission;
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = changedFields(event, new FormData(e.currentTarget));
    setMessage('');
    setSaved('');
    if (Object.keys(body).length === 0) {
      setSaved('Nothing changed.');
      return;
    }
    try {
      onSaved(await api<EventDetail>('PATCH', `/api/admin/events/${event.id}`, body));
      setSaved(`Saved: ${Object.keys(body).join(', ')}.`);
    } catch (err) {
      setMessage(problemText(err));
    }
  };
  const locked = event.status === 'cancelled';
  return (
    <form onSubmit={save} className="stack" aria-label="Event settings" key={event.id}>
      <fieldset disabled={locked}>
        <legend>Event</legend>
        <div className="inline">
          <label>
            Name
            <input name="name" defaultValue={event.name} required maxLength={200} />
          </label>
          <label>
            Venue name
            <input name="venue" defaultValue={event.venue} required maxLength={200} />
          </label>
          <label>
            Starts at
            <input name="startsAt" type="datetime-local" defaultValue={toLocalInput(event.startsAt)} required />
          </label>
          <label>
            Presale opens (empty: none)
            <input name="presaleStartsAt" type="datetime-local" defaultValue={toLocalInput(event.presaleStartsAt)} />
          </label>
          <label>
            Sale opens
            <input name="saleStartsAt" type="datetime-local" defaultValue={toLocalInput(event.saleStartsAt)} required />
          </label>
        </div>
        <div className="inline">
          <label>
            Refund on cancellation (%)
            <input name="refundPercent" type="number" min={0} max={100} defaultValue={event.refundPercent} required />
          </label>
          <label>
            Seats per buyer
            <input name="maxSeatsPerUser" type="number" min={1} max={100} defaultValue={event.maxSeatsPerUser} required />
          </label>
          <label>
            Hold time (seconds)
            <input name="holdTtlSeconds" type="number" min={5} max={3600} defaultValue={event.holdTtlSeconds} required />
          </label>
        </div>
      </fieldset>
      <fieldset disabled={locked}>
        <legend>Waiting room</legend>
        <div className="inline">
          <label>
            Shopping at once
            <input name="maxActive" type="number" min={1} max={1_000_000} defaultValue={a.maxActive} required />
          </label>
          <label>
            Admitted per tick
            <input name="admitPerTick" type="number" min={1} max={100_000} defaultValue={a.admitPerTick} required />
          </label>
          <label>
            Tick (ms)
            <input name="tickMs" type="number" min={50} max={60_000} defaultValue={a.tickMs} required />
          </label>
          <label>
            Shopping time (seconds)
            <input name="sessionTtlSeconds" type="number" min={10} max={86_400} defaultValue={a.sessionTtlSeconds} required />
          </label>
          <label>
            Closed-loop target: hold p95 (ms)
            <input name="targetHoldP95Ms" type="number" min={10} max={60_000} defaultValue={a.targetHoldP95Ms ?? 250} required />
          </label>
        </div>
        <div className="checks">
          <label className="check">
            <input name="auto" type="checkbox" defaultChecked={a.auto ?? true} />
            Steer the admission rate towards the target (closed loop)
          </label>
          <label className="check">
            <input name="challengeRequired" type="checkbox" defaultChecked={a.challenge?.required ?? false} />
            Require a browser challenge (proof of work) to join the line
          </label>
          <label className="check">
            <input name="requireVerifiedEmail" type="checkbox" defaultChecked={a.requireVerifiedEmail ?? false} />
            Only accounts with a verified email may join
          </label>
        </div>
      </fieldset>
      {message && (
        <p className="error" role="alert" data-testid="settings-message">
          {message}
        </p>
      )}
      {saved && (
        <p className="notice" role="status" data-testid="settings-saved">
          {saved}
        </p>
      )}
      <button type="submit" disabled={locked}>
        Save settings
      </button>
    </form>
  );
}
