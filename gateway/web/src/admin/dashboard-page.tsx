import { useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { AnalyticsSnapshot } from '../../../../core/contract/commands.js';
import type { ManagedEvent } from '../../../../core/contract/console.js';
import { formatCents } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { EventPicker } from './event-picker.js';
import { QueueControls } from './queue-controls.js';
import { QueueHealth } from './queue-health.js';
import { Tile } from './tile.js';
import { TimeChart } from './time-chart.js';
import { useAnalytics } from './use-analytics.js';

const SALES = [
  { label: 'holds / min', colour: '#ef6c00' },
  { label: 'confirms / min', colour: '#2e7d32', dash: [6, 4] },
];
const QUEUE = [
  { label: 'waiting', colour: '#1565c0' },
  { label: 'active', colour: '#6a1b9a', dash: [6, 4] },
  { label: 'admitted / min', colour: '#00838f', dash: [2, 3] },
];
const SEATS = [
  { label: 'sold', colour: '#424242' },
  { label: 'held', colour: '#ef6c00', dash: [6, 4] },
];

/** Live figures from `analytics:update` (pushed every ANALYTICS_INTERVAL_MS), charted over the last minutes. */
export function DashboardPage({ isAdmin }: { isAdmin: boolean }) {
  const [events, setEvents] = useState<ManagedEvent[]>([]);
  const [eventId, setEventId] = useState('');
  // Organizers watch one of their events at a time (the server refuses "all" to them).
  const { history, state } = useAnalytics(eventId, isAdmin || eventId !== '');

  useEffect(() => {
    api<ManagedEvent[]>('GET', '/api/admin/events?limit=500').then(
      (list) => {
        setEvents(list);
        if (!isAdmin) setEventId((id) => id || list.find((e) => e.status !== 'cancelled')?.id || '');
      },
      () => {},
    );
  }, [isAdmin]);

  const latest = history[history.length - 1];
  const series = useMemo(() => {
    const t = history.map((s) => Date.parse(s.at) / 1000);
    const col = (f: (s: AnalyticsSnapshot) => number) => history.map(f);
    return {
      sales: [t, col((s) => s.holdsPerMinute), col((s) => s.confirmsPerMinute)] as uPlot.AlignedData,
      queue: [
        t,
        col((s) => s.queue.waiting),
        col((s) => s.queue.active),
        col((s) => s.queue.admittedPerMinute),
      ] as uPlot.AlignedData,
      seats: [t, col((s) => s.sold), col((s) => s.held)] as uPlot.AlignedData,
    };
  }, [history]);

  return (
    <>
      <h1>Live dashboard</h1>
      <EventPicker events={events} value={eventId} onChange={setEventId} allLabel={isAdmin ? 'All events' : undefined} />
      {state === 'refused' && (
        <p className="error" role="alert">
          The live feed is refused: sign in as an organizer or admin.
        </p>
      )}
      {!isAdmin && events.length === 0 && <p>Your events appear here once you create one.</p>}
      {state === 'connecting' && (isAdmin || eventId) && <p aria-busy="true">Connecting…</p>}
      {latest && (
        <>
          <ul className="tiles" aria-label="Figures now" data-testid="tiles">
            <Tile label="sold" value={latest.sold.toLocaleString()} testId="tile-sold" />
            <Tile label="revenue" value={formatCents(latest.revenueCents)} testId="tile-revenue" />
            <Tile label="available" value={latest.available.toLocaleString()} />
            <Tile label="held" value={latest.held.toLocaleString()} testId="tile-held" />
            <Tile label="holds / min" value={latest.holdsPerMinute.toFixed(1)} />
            <Tile label="confirms / min" value={latest.confirmsPerMinute.toFixed(1)} />
            <Tile label="conversion" value={`${(latest.conversionRate * 100).toFixed(0)}%`} />
            <Tile label="waiting" value={latest.queue.waiting.toLocaleString()} testId="tile-waiting" />
            <Tile label="shopping now" value={latest.queue.active.toLocaleString()} />
            <Tile label="admitted / min" value={latest.queue.admittedPerMinute.toFixed(1)} />
            <Tile label="fairness (places overtaken)" value={String(latest.queue.fairnessDisplacement ?? 0)} />
            <Tile label="waitlist" value={`${latest.waitlist.entries} (${latest.waitlist.seats} seats)`} />
            <Tile label="connections" value={latest.connections.toLocaleString()} testId="tile-connections" />
            {latest.queue.paused && <Tile label="waiting room" value="paused" testId="tile-paused" />}
          </ul>
          {latest.connectionsByInstance && (
            <table aria-label="Connections per gateway">
              <thead>
                <tr>
                  <th>Gateway</th>
                  <th>Connections</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(latest.connectionsByInstance).map(([id, n]) => (
                  <tr key={id}>
                    <td>{id}</td>
                    <td>{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="charts">
            <TimeChart title="Holds and confirms per minute" series={SALES} data={series.sales} />
            <TimeChart title="Waiting room" series={QUEUE} data={series.queue} />
            <TimeChart title="Seats sold and held" series={SEATS} data={series.seats} />
          </div>
          {eventId && <QueueHealth snapshot={latest} />}
          {eventId && <QueueControls eventId={eventId} snapshot={latest} />}
          {!eventId && <p className="hint">Choose an event to control its waiting room.</p>}
        </>
      )}
    </>
  );
}
