import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Principal } from '../../core/auth/access-tokens.js';
import { checkPrincipalLive } from '../../core/auth/check-principal-live.js';
import type { AckError } from '../../core/contract/ack.js';
import { parseInput } from '../../core/contract/parse-input.js';
import { AppError } from '../../core/domain/app-error.js';
import { flushCorkedWrites } from '../../core/redis/coalesce-writes.js';
import type { AppContext } from '../app-context.js';
import { toAckError } from './ack-error.js';

export interface CallContext<S> {
  app: AppContext;
  socket: S;
  /** The authenticated user; throws UNAUTHENTICATED for anonymous sockets. */
  user(): Principal;
  requestId: string;
  /** Epoch ms by which the command is answered (COMMAND_DEADLINE_MS after receipt); work that
   * has not started by then should not start (the hold batcher drops it). */
  deadlineAt: number;
}

type Schemas = Record<string, { payload: z.ZodTypeAny; reply: z.ZodTypeAny }>;
export type Handlers<C extends Schemas, S> = {
  [K in keyof C]?: (payload: z.output<C[K]['payload']>, call: CallContext<S>) => Promise<z.input<C[K]['reply']>>;
};

/**
 * Commands of people who wait (a sale's crowd sends them all in the same second): they run in
 * the waiting lane, a bounded number at once per gateway, rate limits included. Holds, confirms
 * and releases never queue behind them: when 10,000 joins hit a gateway at the opening, their
 * Redis round trips no longer fill the pipelines the admitted buyers' commands wait in.
 */
const WAITING_ROOM_COMMANDS: ReadonlySet<string> = new Set(['queue:join', 'queue:status', 'availability:subscribe']);

/**
 * Request ids for the logs: unique per process start and command, without a random UUID each
 * (the UUID's entropy refills were 1 % of a gateway's CPU in an on-sale).
 */
const REQUEST_ID_PREFIX = randomBytes(6).toString('hex');
let requestCount = 0;
const nextRequestId = () => `${REQUEST_ID_PREFIX}-${(++requestCount).toString(36)}`;

/** A handler as the table holds it: its payload is what its own schema parsed. */
type AnyHandler<S> = (payload: unknown, call: CallContext<S>) => Promise<unknown>;

interface BindableSocket {
  data: { principal: Principal | null; address?: string };
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
}

/**
 * Wires each command: ignore emits without an ack, parse with the contract, run the handler,
 * ack `{ok:true,data}` or the translated error. Nothing a client sends can throw past here.
 * The command table is built once per namespace; each socket gets one catch-all listener
 * (a listener per command per socket cost about 2 KiB of every idle connection).
 */
export function bindCommands<C extends Schemas, S extends BindableSocket>(
  app: AppContext,
  schemas: C,
  handlers: Handlers<C, S>,
): (socket: S) => void {
  const table = new Map<string, Command<S>>(
    (Object.keys(schemas) as (keyof C & string)[]).map((name) => [
      name,
      {
        name,
        schema: (schemas[name] as C[keyof C]).payload,
        handler: handlers[name] as AnyHandler<S> | undefined,
        record: commandSeries(app.metrics, name),
      },
    ]),
  );
  return (socket) => {
    socket.onAny((name: string, ...args: unknown[]) => {
      const command = table.get(name);
      if (command) runCommand(app, socket, command, args);
    });
  };
}

interface Command<S> {
  name: string;
  schema: z.ZodTypeAny;
  handler: AnyHandler<S> | undefined;
  /** Counts one answer (`ok` or its error code) and its latency in this command's series. */
  record: (outcome: string, seconds: number) => void;
}

function runCommand<S extends BindableSocket>(app: AppContext, socket: S, command: Command<S>, args: unknown[]): void {
  const { name, schema, handler } = command;
  const ack = args[args.length - 1];
  if (typeof ack !== 'function' || args.length > 2) return;
  const started = process.hrtime.bigint();
  const finished = app.holdHealth?.begin(name) ?? (() => {});
  const requestId = nextRequestId();
  const reply = answerOnce(ack as (a: unknown) => void, app, command.record, started, finished);
  const call: CallContext<S> = {
    app,
    socket,
    requestId,
    deadlineAt: Date.now() + app.config.commandDeadlineMs,
    user: () => {
      const p = socket.data.principal;
      if (!p) throw new AppError('UNAUTHENTICATED', 'this command needs a signed-in user');
      return p;
    },
  };
  const run = async () => {
    if (app.isShuttingDown()) throw new AppError('SHUTTING_DOWN', 'server is shutting down');
    checkPrincipalLive(socket.data.principal, app.endedSessions, app.now().getTime());
    // Limits before parsing: garbage costs the sender its allowance like anything else.
    const release = await app.commandLimits?.admit(socket, name);
    try {
      const payload = parseInput(schema, args.length === 2 ? args[0] : undefined);
      if (!handler) throw new AppError('INTERNAL', `${name} is not available`, undefined, false);
      return await handler(payload, call);
    } finally {
      release?.();
    }
  };
  const lane = WAITING_ROOM_COMMANDS.has(name) ? app.waitingLane.run(run) : run();
  app.inFlight.track(lane).then(
    (data) => reply({ ok: true, data }),
    (err: unknown) => {
      const { error, unexpected } = toAckError(err);
      if (unexpected) app.log.error({ err, requestId, command: name }, 'unhandled error in command');
      reply({ ok: false, error });
    },
  );
}

/**
 * One command's outcome counter and latency histogram through prom-client's labelled children,
 * made once per command (with the table) and per outcome (the error codes: a finite set) instead
 * of hashing the label object on every ack.
 */
function commandSeries(metrics: AppContext['metrics'], name: string): Command<unknown>['record'] {
  const latency = metrics.ackLatency.labels({ command: name });
  const outcomes = new Map<string, ReturnType<typeof metrics.commands.labels>>();
  return (outcome, seconds) => {
    let counter = outcomes.get(outcome);
    if (!counter) {
      counter = metrics.commands.labels({ command: name, outcome });
      outcomes.set(outcome, counter);
    }
    counter.inc();
    latency.observe(seconds);
  };
}

/** Past its deadline a command is answered OVERLOADED; a client retries after this long. */
const DEADLINE_RETRY_AFTER_MS = 1000;

/**
 * The one ack of a command, measured once: its result, or OVERLOADED at the deadline if the work
 * is still running (it may still commit; a retry with the same idempotency key gets its reply).
 */
function answerOnce(
  ack: (a: unknown) => void,
  app: AppContext,
  record: Command<unknown>['record'],
  started: bigint,
  finished: () => void,
): (a: { ok: true; data: unknown } | { ok: false; error: AckError }) => void {
  let answered = false;
  const send = (a: { ok: true; data: unknown } | { ok: false; error: AckError }) => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    finished();
    record(a.ok ? 'ok' : a.error.code, Number(process.hrtime.bigint() - started) / 1e9);
    // What the command published (its seat changes) leaves before its answer does.
    flushCorkedWrites();
    ack(a);
  };
  const timer = setTimeout(
    () =>
      send({
        ok: false,
        error: {
          code: 'OVERLOADED',
          message: 'the command did not finish in time; retry with the same idempotency key',
          retryable: true,
          details: { retryAfterMs: DEADLINE_RETRY_AFTER_MS },
        },
      }),
    app.config.commandDeadlineMs,
  );
  return send;
}
