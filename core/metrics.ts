import client from 'prom-client';

/** One registry per process; gateways and workers expose the parts they use. */
export function createMetrics(instanceId: string) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ instance: instanceId });
  client.collectDefaultMetrics({ register: registry });
  const r = [registry];
  return {
    registry,
    connections: new client.Gauge({
      name: 'evently_socket_connections',
      help: 'Connected sockets',
      labelNames: ['namespace'],
      registers: r,
    }),
    commands: new client.Counter({
      name: 'evently_commands_total',
      help: 'Socket commands by name and outcome (ok or error code)',
      labelNames: ['command', 'outcome'],
      registers: r,
    }),
    ackLatency: new client.Histogram({
      name: 'evently_ack_latency_seconds',
      help: 'Time from command receipt to ack',
      labelNames: ['command'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: r,
    }),
    http: new client.Histogram({
      name: 'evently_http_request_seconds',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: r,
    }),
    fanoutLag: new client.Histogram({
      name: 'evently_fanout_lag_seconds',
      help: 'Time from a seat change commit to its message (publisher) or its pushes (gateway fan-out) leaving this process',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: r,
    }),
    seatRepairs: new client.Counter({
      name: 'evently_seat_repairs_total',
      help: 'Seat changes a gateway found in Postgres whose message never reached it (repair pass)',
      registers: r,
    }),
    holds: new client.Counter({ name: 'evently_holds_total', help: 'Holds created', registers: r }),
    confirms: new client.Counter({ name: 'evently_confirms_total', help: 'Bookings confirmed', registers: r }),
    queueLength: new client.Gauge({
      name: 'evently_queue_waiting',
      help: 'Users waiting per event',
      labelNames: ['event'],
      registers: r,
    }),
    admissions: new client.Counter({
      name: 'evently_admissions_total',
      help: 'Users admitted',
      labelNames: ['event'],
      registers: r,
    }),
    analyticsTick: new client.Histogram({
      name: 'evently_analytics_tick_seconds',
      help: 'Duration of one analytics tick (roll-up, figures, store, push)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: r,
    }),
    analyticsRolledUp: new client.Counter({
      name: 'evently_analytics_rolled_up_total',
      help: 'Audit entries applied to the analytics roll-ups (stalls while an old write transaction runs)',
      registers: r,
    }),
    fairness: new client.Gauge({
      name: 'evently_admission_max_displacement',
      help: 'Largest displacement between queue order and admission order',
      labelNames: ['event'],
      registers: r,
    }),
    notifications: new client.Counter({
      name: 'evently_notifications_total',
      help: 'Notification mails by outcome (sent, failed attempt, skipped)',
      labelNames: ['outcome'],
      registers: r,
    }),
    ...holdPathMetrics(r),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Where the hold path's queue depth is read from; set by the gateway once it has a pool. */
export interface QueueDepthSource {
  depth(): number;
}

/**
 * The hold path: what closed-loop admission reads (queue depth in front of Postgres,
 * with `evently_ack_latency_seconds{command="seats:hold"}`) and the group-commit batch sizes.
 */
/** A group-commit batcher's two histograms: `evently_<name>_batch_size` and `_seconds`. */
function batchMetrics(r: client.Registry[], name: string, command: string) {
  return {
    size: new client.Histogram({
      name: `evently_${name}_batch_size`,
      help: `Requests written per group-commit transaction (${command})`,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: r,
    }),
    seconds: new client.Histogram({
      name: `evently_${name}_batch_seconds`,
      help: `Duration of one ${command} group-commit transaction, BEGIN to COMMIT`,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: r,
    }),
  };
}

function holdPathMetrics(r: client.Registry[]) {
  const sources: { db: QueueDepthSource | null } = { db: null };
  return {
    /** In-process view of the DB queue (pool waiters plus holds waiting for a batch). */
    dbQueue: {
      setSource(source: QueueDepthSource) {
        sources.db = source;
      },
      depth: () => sources.db?.depth() ?? 0,
    },
    dbQueueDepth: new client.Gauge({
      name: 'evently_db_queue_depth',
      help: 'Commands waiting for Postgres on this process: pool waiters plus seat commands waiting for a batch',
      registers: r,
      collect() {
        this.set(sources.db?.depth() ?? 0);
      },
    }),
    holdBatch: batchMetrics(r, 'hold', 'seats:hold'),
    confirmBatch: batchMetrics(r, 'confirm', 'hold:confirm'),
    releaseBatch: batchMetrics(r, 'release', 'hold:release'),
    waitlistBatch: batchMetrics(r, 'waitlist_join', 'waitlist:join'),
    shed: new client.Counter({
      name: 'evently_shed_total',
      help: 'Commands answered OVERLOADED at once, by reason',
      labelNames: ['reason'],
      registers: r,
    }),
  };
}
