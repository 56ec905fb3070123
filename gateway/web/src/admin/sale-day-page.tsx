import { useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { ManagedEvent } from '../../../../core/contract/console.js';
import { formatCents } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { EventPicker } from './event-picker.js';
import { QueueHealth } from './queue-health.js';
import { TimeChart } from './time-chart.js';
import { useAnalytics } from './use-analytics.js';

const ADMISSIONS = [
  { label: 'admitted / s', colour: '#00838f' },
  { label: 'waiting', colour: '#1565c0', dash: [6, 4] },
];

/** One event on the day it goes on sale: big numbers, the line and how fast it moves. */
export function SaleDayPage() {
  const [events, setEvents] = useState<ManagedEvent[]>([]);
  const [eventId, setEventId] = useState('');
  useEffect(() => {
    api<ManagedEvent[]>('GET', '/api/admin/events?limit=500').then(
      (list) => {
        const live = list.filter((e) => e.status === 'on_sale' || e.status === 'scheduled' || e.status === 'sold_out');
        setEvents(live);
        setEventId((id) => id || live[0]?.id || '');
      },
      () => {},
    );
  }, []);
  const { history, state } = useAnalytics(eventId, eventId !== '');
  const latest = history[history.length - 1];
  const chart = useMemo(
    () =>
      [
        history.map((s) => Date.parse(s.at) / 1000),
        history.map((s) => s.queue.admittedPerMinute / 60),
        history.map((s) => s.queue.waiting),
      ] as uPlot.AlignedData,
    [history],
  );
  return (
    <>
      <h1>Sale day</h1>
      <EventPicker events={events} value={eventId} onChange={setEventId} />
      {events.length === 0 && <p>No event is on sale or coming up.</p>}
      {state === 'refused' && (
        <p className="error" role="alert">
          The live feed is refused for this event.
        </p>
      )}
      {eventId && latest && (
        <>
          <ul className="big-numbers" aria-label="Now">
            <li>
              <span className="value" data-testid="big-sold">
                {latest.sold.toLocaleString()}
              </span>
              <span className="label">sold of {latest.capacity.toLocaleString()}</span>
            </li>
            <li>
              <span className="value">{formatCents(latest.revenueCents)}</span>
              <span className="label">revenue</span>
            </li>
            <li>
              <span className="value" data-testid="big-waiting">
                {latest.queue.waiting.toLocaleString()}
              </span>
              <span className="label">in line</span>
            </li>
            <li>
              <span className="value">{(latest.queue.admittedPerMinute / 60).toFixed(2)}</span>
              <span className="label">admitted per second</span>
            </li>
            <li>
              <span className="value">{latest.queue.active.toLocaleString()}</span>
              <span className="label">shopping now</span>
            </li>
            <li>
              <span className="value">{latest.available.toLocaleString()}</span>
              <span className="label">seats left</span>
            </li>
          </ul>
          <TimeChart title="Admissions per second and the line" series={ADMISSIONS} data={chart} />
          <QueueHealth snapshot={latest} />
        </>
      )}
    </>
  );
}
