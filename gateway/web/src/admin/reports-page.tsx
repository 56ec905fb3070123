import { type FormEvent, useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { ManagedEvent } from '../../../../core/contract/console.js';
import type { AnalyticsReport } from '../../../../core/contract/http.js';
import { formatCents } from '../api/error-words.js';
import { api } from '../api/http-api.js';
import { problemText } from './problem-text.js';
import { ReportTable } from './report-table.js';
import { Tile } from './tile.js';
import { TimeChart } from './time-chart.js';

type Report = AnalyticsReport;
const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const money = (cents: number) => formatCents(cents);
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

const DAILY_SERIES = [
  { label: 'bookings', colour: '#2e7d32' },
  { label: 'revenue ($)', colour: '#1565c0', dash: [6, 4] },
];

/**
 * Reports over a date range (UTC days, `to` included): one event or all the caller may see
 * (an organizer's own events, everything for admins). Every figure is the API's (GET /api/admin/analytics); the page only formats them.
 */
export function ReportsPage({ isAdmin }: { isAdmin: boolean }) {
  const [events, setEvents] = useState<ManagedEvent[]>([]);
  const [report, setReport] = useState<Report | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const today = isoDay(Date.now());
  const [range, setRange] = useState({ eventId: '', from: isoDay(Date.now() - 29 * DAY_MS), to: today });

  useEffect(() => {
    api<ManagedEvent[]>('GET', '/api/admin/events?limit=500').then(setEvents, (e) => setMessage(problemText(e)));
  }, []);

  useEffect(() => {
    const to = new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS).toISOString();
    const q = new URLSearchParams({ from: `${range.from}T00:00:00.000Z`, to });
    if (range.eventId) q.set('eventId', range.eventId);
    setBusy(true);
    setMessage('');
    api<Report>('GET', `/api/admin/analytics?${q}`)
      .then(setReport, (e) => {
        setReport(null);
        setMessage(problemText(e));
      })
      .finally(() => setBusy(false));
  }, [range]);

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setRange({ eventId: String(f.get('eventId') ?? ''), from: String(f.get('from')), to: String(f.get('to')) });
  };

  const chart = useMemo(() => {
    const d = report?.daily ?? [];
    return [
      d.map((r) => Date.parse(`${r.day}T00:00:00Z`) / 1000),
      d.map((r) => r.bookings),
      d.map((r) => r.revenueCents / 100),
    ] as uPlot.AlignedData;
  }, [report]);

  const slug = range.eventId ? (events.find((e) => e.id === range.eventId)?.name ?? 'event') : 'all-events';
  const file = (what: string) => `${slug.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${what}-${range.from}-${range.to}.csv`;
  const r = report;
  return (
    <>
      <h1>Reports</h1>
      {(isAdmin || events.length > 0) && (
        <form onSubmit={apply} className="inline" aria-label="Report range" key={range.eventId + range.from + range.to}>
          <label>
            Event
            <select name="eventId" defaultValue={range.eventId}>
              <option value="">{isAdmin ? 'All events' : 'All your events'}</option>
              {events.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            From
            <input name="from" type="date" defaultValue={range.from} max={today} required />
          </label>
          <label>
            To (included)
            <input name="to" type="date" defaultValue={range.to} required />
          </label>
          <button type="submit">Show</button>
        </form>
      )}
      {!isAdmin && events.length === 0 && <p>Reports appear once you have an event.</p>}
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      {busy && <p aria-busy="true">Loading…</p>}
      {r && (isAdmin || events.length > 0) && (
        <div data-testid="report">
          <ul className="tiles" aria-label="Totals for the range">
            <Tile label="bookings" value={r.bookings.toLocaleString()} testId="report-bookings" />
            <Tile label="revenue (after refunds)" value={money(r.revenueCents)} testId="report-revenue" />
            <Tile label="gross revenue" value={money(r.grossRevenueCents)} />
            <Tile label="refunds" value={money(r.refundCents)} testId="report-refunds" />
            <Tile label="cancellations" value={r.cancellations.toLocaleString()} testId="report-cancellations" />
            <Tile label="active users" value={(r.reports?.activeUsers ?? 0).toLocaleString()} testId="report-active-users" />
            <Tile label="conversion (holds to bookings)" value={percent(r.conversionRate)} />
            {r.reports && (
              <Tile label="capacity used" value={percent(r.reports.capacityUtilization.ratio)} testId="report-utilization" />
            )}
          </ul>
          <TimeChart title="Daily bookings and revenue" series={DAILY_SERIES} data={chart} unit="day" />
          <ReportTable
            title="Daily sales"
            file={file('daily-sales')}
            testId="table-daily"
            rows={r.daily}
            columns={[
              { label: 'day', value: (d) => d.day },
              { label: 'holds', value: (d) => d.holds },
              { label: 'bookings', value: (d) => d.bookings },
              { label: 'revenue_cents', value: (d) => d.revenueCents, show: (d) => money(d.revenueCents) },
            ]}
          />
          <ReportTable
            title="Monthly revenue"
            file={file('monthly-revenue')}
            testId="table-monthly"
            rows={r.monthly}
            columns={[
              { label: 'month', value: (m) => m.month },
              { label: 'bookings', value: (m) => m.bookings },
              { label: 'revenue_cents', value: (m) => m.revenueCents, show: (m) => money(m.revenueCents) },
              { label: 'refund_cents', value: (m) => m.refundCents, show: (m) => money(m.refundCents) },
            ]}
          />
          <ReportTable
            title="Most booked"
            file={file('most-booked')}
            testId="table-most-booked"
            rows={r.reports?.mostBooked ?? []}
            columns={[
              { label: 'event', value: (e) => e.name },
              { label: 'bookings', value: (e) => e.bookings },
              { label: 'revenue_cents', value: (e) => e.revenueCents, show: (e) => money(e.revenueCents) },
            ]}
          />
          <ReportTable
            title="Capacity utilization"
            file={file('capacity-utilization')}
            testId="table-utilization"
            rows={r.reports?.capacityUtilization.events ?? []}
            columns={[
              { label: 'event', value: (e) => e.name },
              { label: 'capacity', value: (e) => e.capacity },
              { label: 'sold', value: (e) => e.sold },
              { label: 'ratio', value: (e) => e.ratio, show: (e) => percent(e.ratio) },
            ]}
          />
          <ReportTable
            title="Cancellations and refunds"
            file={file('cancellations')}
            testId="table-cancellations"
            rows={r.daily.filter((d) => d.cancellations > 0 || d.refundCents > 0)}
            columns={[
              { label: 'day', value: (d) => d.day },
              { label: 'cancellations', value: (d) => d.cancellations },
              { label: 'refund_cents', value: (d) => d.refundCents, show: (d) => money(d.refundCents) },
            ]}
          />
          {r.reports?.registrationsPerDay && (
            <ReportTable
              title="Registrations per day"
              file={file('registrations')}
              testId="table-registrations"
              rows={r.reports.registrationsPerDay}
              columns={[
                { label: 'day', value: (d) => d.day },
                { label: 'registrations', value: (d) => d.registrations },
              ]}
            />
          )}
        </div>
      )}
    </>
  );
}
