import { useEffect, useState } from 'react';
import type { AnalyticsSnapshot } from '../../../../core/contract/commands.js';
import type { QueueHealthReply } from '../../../../core/contract/console.js';
import { api } from '../api/http-api.js';

/** The hold path as the admission loop reads it (GET /api/admin/queue-health), polled every 2 s. */
function useHoldPathHealth(): QueueHealthReply | null {
  const [health, setHealth] = useState<QueueHealthReply | null>(null);
  useEffect(() => {
    let stopped = false;
    const poll = () =>
      api<QueueHealthReply>('GET', '/api/admin/queue-health').then(
        (h) => !stopped && setHealth(h),
        () => {},
      );
    void poll();
    const timer = setInterval(poll, 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  return health;
}

/**
 * One event's waiting room as the server reports it: the closed loop's limit and target with the
 * measured hold p95 (analytics stream), and the database queue in front of Postgres.
 */
export function QueueHealth({ snapshot }: { snapshot: AnalyticsSnapshot }) {
  const q = snapshot.queue;
  const path = useHoldPathHealth();
  const p95 = q.holdP95Ms;
  const over = p95 != null && q.targetHoldP95Ms != null && p95 > q.targetHoldP95Ms;
  const dbQueue = path?.combined?.dbWaiting;
  return (
    <section className="panel" aria-labelledby="health-heading" data-testid="queue-health">
      <h2 id="health-heading">Queue health</h2>
      <dl className="facts">
        <dt>Admission</dt>
        <dd data-testid="health-mode">{q.paused ? 'paused' : q.auto === false ? 'fixed rate' : 'closed loop'}</dd>
        <dt>Admitted per tick (closed-loop limit)</dt>
        <dd data-testid="health-limit">{q.admitLimitPerTick ?? '—'}</dd>
        <dt>Hold p95 (measured / target)</dt>
        <dd data-testid="health-p95" className={over ? 'error' : undefined}>
          {p95 == null ? 'not measured yet' : `${Math.round(p95)} ms`} / {q.targetHoldP95Ms ?? '—'} ms
        </dd>
        <dt>Database queue (all gateways / cut-off)</dt>
        <dd
          data-testid="health-db-queue"
          className={path && dbQueue !== undefined && dbQueue > path.dbQueueMax ? 'error' : undefined}
        >
          {dbQueue === undefined ? 'no gateway reporting' : `${dbQueue} waiting / ${path?.dbQueueMax}`}
        </dd>
        <dt>Gateways reporting</dt>
        <dd>{path ? path.gateways.filter((g) => g.fresh).length : '—'}</dd>
        <dt>Waiting / shopping</dt>
        <dd>
          {q.waiting.toLocaleString()} / {q.active.toLocaleString()}
        </dd>
      </dl>
    </section>
  );
}
