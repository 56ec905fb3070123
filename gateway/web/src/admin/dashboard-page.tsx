import { useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { AnalyticsSnapshot } from '../../../../core/contract/commands.js';
import type { EventSummary } from '../../../../core/contract/http.js';
import { formatCents } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { adminClient } from '../live/connection.js';
import { QueueControls } from './queue-controls.js';
import { TimeChart } from './time-chart.js';

/** Ten minutes of one-second updates. */
const KEEP = 600;

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

function Tile({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <li className="tile">
      <span className="value" data-testid={testId}>
        {value}
      </span>
      <span className="label">{label}</span>
    </li>
  );
}

/** Live figures from `analytics:update` (pushed every ANALYTICS_INTERVAL_MS), charted over the last minutes. */
export function DashboardPage() {
  const [events, setEvents] = useState<EventSummary[]>([]);
  const [eventId, setEventId] = useState('');
  const [history, setHistory] = useState<AnalyticsSnapshot[]>([]);
  const [state, setState] = useState<'connecting' | 'live' | 'refused'>('connecting');

  useEffect(() => {
    api<EventSummary[]>('GET', '/api/events').then(setEvents, () => {});
  }, []);

  useEffect(() => {
    setHistory([]);
    const client = adminClient();
    const add = (s: AnalyticsSnapshot) => {
      if ((s.eventId ?? '') !== eventId) return;
      setHistory((h) => (h.length >= KEEP ? [...h.slice(h.length - KEEP + 1), s] : [...h, s]));
    };
    const off = client.on('analytics:update', add);
    const subscribe = () => {
      client
        .analyticsSubscribe(eventId ? { eventId } : {})
        .then((ack) => {
          if (ack.ok) {
            setState('live');
            add(ack.data);
          }
        })
        .catch(() => {});
    };
    client.socket.on('connect', subscribe);
    client.socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'FORBIDDEN') setState('refused');
    });
    return () => {
      off();
      client.close();
    };
  }, [eventId]);

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
      <label className="inline-label">
        Event
        <select value={eventId} onChange={(e) => setEventId(e.target.value)}>
          <option value="">All events</option>
          {events.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </label>
      {state === 'refused' && (
        <p className="error" role="alert">
          The console is for admins only.
        </p>
      )}
      {state === 'connecting' && <p aria-busy="true">Connecting…</p>}
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
          {eventId && <QueueControls eventId={eventId} snapshot={latest} />}
          {!eventId && <p className="hint">Choose an event to control its waiting room.</p>}
        </>
      )}
    </>
  );
}
