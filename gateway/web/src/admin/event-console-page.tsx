import { useEffect, useState } from 'react';
import type { EventDetail } from '../../../../core/contract/http.js';
import { formatCents } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { Link } from '../components/router.js';
import { AccessCodesPanel } from './access-codes-panel.js';
import { AuditPanel } from './audit-panel.js';
import { CancelEventButton } from './cancel-event-button.js';
import { EventSettingsForm } from './event-settings-form.js';
import { problemText } from './problem-text.js';
import { SectionsPanel } from './sections-panel.js';
import { WaitlistAdminPanel } from './waitlist-admin-panel.js';

const TABS = [
  ['', 'Settings'],
  ['/codes', 'Access codes'],
  ['/waitlist', 'Waitlist'],
  ['/audit', 'Audit log'],
] as const;

/** One event in the console: `/admin/events/:id` and its tabs. */
export function EventConsolePage({ eventId, tab }: { eventId: string; tab: string }) {
  const [event, setEvent] = useState<EventDetail | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    setEvent(null);
    api<EventDetail>('GET', `/api/events/${eventId}`).then(setEvent, (err) => setMessage(problemText(err)));
  }, [eventId]);
  if (message)
    return (
      <p className="error" role="alert">
        {message}
      </p>
    );
  if (!event) return <p aria-busy="true">Loading…</p>;
  const base = `/admin/events/${eventId}`;
  return (
    <>
      <p>
        <Link href="/admin/events">← All events</Link>
      </p>
      <h1>{event.name}</h1>
      <p className="hint" data-testid="event-figures">
        {event.venue} · {event.capacity.toLocaleString()} seats, {event.available.toLocaleString()} available ·{' '}
        {event.sections.map((s) => `${s.name} ${formatCents(s.priceCents)}`).join(', ')} ·{' '}
        <Link href={`/events/${eventId}`}>buyer page</Link>
      </p>
      <nav className="tabs" aria-label="Event">
        {TABS.map(([suffix, label]) => (
          <Link key={suffix} href={base + suffix} aria-current={tab === suffix ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {tab === '' && (
        <>
          <EventSettingsForm event={event} onSaved={setEvent} />
          <SectionsPanel event={event} onSaved={setEvent} />
          <section aria-labelledby="cancel-heading" className="panel">
            <h2 id="cancel-heading">Cancel the event</h2>
            <p className="hint">Every hold is released and every booking refunded in full; buyers are told by email.</p>
            <CancelEventButton eventId={eventId} name={event.name} isCancelled={event.status === 'cancelled'} />
          </section>
        </>
      )}
      {tab === '/codes' && <AccessCodesPanel eventId={eventId} eventName={event.name} />}
      {tab === '/waitlist' && <WaitlistAdminPanel eventId={eventId} />}
      {tab === '/audit' && <AuditPanel eventId={eventId} />}
    </>
  );
}
