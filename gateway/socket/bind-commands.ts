import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Principal } from '../../core/auth/access-tokens.js';
import { checkPrincipalLive } from '../../core/auth/check-principal-live.js';
import type { AckError } from '../../core/contract/ack.js';
import { AppError } from '../../core/domain/app-error.js';
import { needsAdmission, servesCommand, tierOf } from '../../core/domain/gateway-tier.js';
import { parseInput } from '../../core/domain/parse-input.js';
import { flushCorkedWrites } from '../../core/redis/coalesce-writes.js';
import type { SeatChangeEffects } from '../../core/seat-change-effects.js';
import type { AppContext } from '../context/app-context.js';
import type { Admitted } from '../io/command-limits.js';
import { toAckError } from './ack-error.js';
import { afterSeatChange } from './after-seat-change.js';

export interface CallContext<S> {
  app: AppContext;
  socket: S;
  /** The authenticated user; throws UNAUTHENTICATED for anonymous sockets. */
  user(): Principal;
  requestId: string;
  /** Epoch ms by which the command is answered (COMMAND_DEADLINE_MS after receipt); work that
   * has not started by then should not start (the hold batcher drops it). */
  deadlineAt: number;
  /** What a committed seat change leaves to do: the pipeline runs it once, when the handler is
   * done (answered or failed) and before the answer is sent. */
  afterCommit(effects: SeatChangeEffects): void;
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

/** Who sends a command: a socket, or an HTTP request made to look like one (principal, address). */
export interface CommandCaller {
  data: { principal: Principal | null; address?: string };
}

interface BindableSocket extends CommandCaller {
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  disconnect(close?: boolean): unknown;
}

export type Answer = { ok: true; data: unknown } | { ok: false; error: AckError };

/**
 * Runs one command by name for a caller and hands its one answer to `deliver`: the pipeline every
 * transport shares (sockets, and the HTTP booking routes): refuse during shutdown, check the
 * session, limits (per connection, and per user and per address across gateways and transports),
 * refuse a command of the other tier, parse with the contract, on a shop gateway check the
 * admission of a seat map or hold (core/domain/gateway-tier.ts), run the handler (waiting-room commands in the waiting lane), measure,
 * translate the error, answer OVERLOADED at the deadline. False for an unknown command.
 */
export function createCommandRunner<C extends Schemas, S extends CommandCaller>(
  app: AppContext,
  schemas: C,
  handlers: Handlers<C, S>,
): (name: string, caller: S, input: unknown, deliver: (a: Answer) => void) => boolean {
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
  return (name, caller, input, deliver) => {
    const command = table.get(name);
    if (!command) return false;
    runCommand(app, caller, command, input, deliver);
    return true;
  };
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
  const run = createCommandRunner(app, schemas, handlers);
  return (socket) => {
    socket.onAny((name: string, ...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (
        typeof ack === 'function' &&
        args.length <= 2 &&
        run(name, socket, args.length === 2 ? args[0] : undefined, ack as (a: Answer) => void)
      )
        return;
      chargeUnanswered(app, socket, String(name));
    });
  };
}

/**
 * A frame that gets no answer (no ack, or no such command) still costs its sender the allowance
 * of a command: otherwise a flood of them is parsed for free. There is no ack to carry a
 * refusal, so a sender past its allowance is disconnected (its client reconnects, as after any
 * drop); everyone else's allowance is untouched.
 */
function chargeUnanswered(app: AppContext, socket: BindableSocket, name: string): void {
  const limits = app.commandLimits;
  if (!limits) return;
  try {
    const admitted = limits.admit(socket, name);
    if (!(admitted instanceof Promise)) limits.release(admitted);
    else
      admitted.then(
        (a) => limits.release(a),
        () => socket.disconnect(true),
      );
  } catch {
    socket.disconnect(true);
  }
}

interface Command<S> {
  name: string;
  schema: z.ZodTypeAny;
  handler: AnyHandler<S> | undefined;
  /** Counts one answer (`ok` or its error code) and its latency in this command's series. */
  record: (outcome: string, seconds: number) => void;
}

function runCommand<S extends CommandCaller>(
  app: AppContext,
  socket: S,
  command: Command<S>,
  input: unknown,
  deliver: (a: Answer) => void,
): void {
  const run = new CommandRun(app, socket, command, deliver);
  const work = WAITING_ROOM_COMMANDS.has(command.name) ? app.waitingLane.run(() => run.execute(input)) : run.execute(input);
  app.inFlight.track(work).then(
    (data) => run.reply({ ok: true, data }),
    (err: unknown) => run.fail(err),
  );
}

const noOutcome = (_outcome: string) => {};

/**
 * One command from receipt to its one answer, and the handler's `call`: state in fields and
 * methods on the prototype, so a command allocates one object (and its deadline timer) instead
 * of a closure per step (allocation and garbage collection were a tenth of a gateway's CPU in
 * a burst of holds).
 */
class CommandRun<S extends CommandCaller> implements CallContext<S> {
  readonly requestId = nextRequestId();
  readonly deadlineAt: number;
  private readonly startedMs = performance.now();
  private readonly finished: (outcome: string) => void;
  private readonly timer: NodeJS.Timeout;
  private committed: SeatChangeEffects[] | null = null;
  private admitted: Admitted | null = null;
  private answered = false;

  constructor(
    readonly app: AppContext,
    readonly socket: S,
    private readonly command: Command<S>,
    private readonly deliver: (a: Answer) => void,
  ) {
    this.finished = app.holdHealth?.begin(command.name) ?? noOutcome;
    this.deadlineAt = Date.now() + app.config.commandDeadlineMs;
    this.timer = setTimeout(answerLate, app.config.commandDeadlineMs, this);
  }

  user(): Principal {
    const p = this.socket.data.principal;
    if (!p) throw new AppError('UNAUTHENTICATED', 'this command needs a signed-in user');
    return p;
  }

  afterCommit(effects: SeatChangeEffects): void {
    if (this.committed) this.committed.push(effects);
    else this.committed = [effects];
  }

  /** Shutdown, session, limits, tier, parse, admission, handler (see createCommandRunner). */
  async execute(input: unknown): Promise<unknown> {
    const { app, socket, command } = this;
    const { name } = command;
    // Waited in the waiting lane past its deadline: it was answered OVERLOADED and its client
    // retries, so doing it now is work for nobody (under overload, the work that keeps the
    // overload going). Not started at all; nothing changed.
    if (this.answered) throw new AppError('OVERLOADED', 'the command waited past its deadline', undefined, true);
    if (app.isShuttingDown()) throw new AppError('SHUTTING_DOWN', 'server is shutting down');
    checkPrincipalLive(socket.data.principal, app.endedSessions, app.now().getTime());
    // Limits before parsing: garbage costs the sender its allowance like anything else. Counted
    // in memory they answer at once: no await, the command goes on in this same turn.
    const limits = app.commandLimits;
    if (limits) {
      const admitted = limits.admit(socket, name);
      this.admitted = admitted instanceof Promise ? await admitted : admitted;
    }
    try {
      const { gatewayRole } = app.config;
      if (!servesCommand(gatewayRole, name)) throw wrongTier(app, name);
      const payload = parseInput(command.schema, input);
      if (!command.handler) throw new AppError('INTERNAL', `${name} is not available`, undefined, false);
      if (needsAdmission(gatewayRole, name)) {
        const { eventId } = payload as { eventId: string };
        await app.admissionPasses?.requireAdmitted({ userId: this.user().userId, eventId }, app.now());
      }
      return await command.handler(payload, this);
    } finally {
      const admitted = this.admitted;
      this.admitted = null;
      if (admitted) limits?.release(admitted);
    }
  }

  fail(err: unknown): void {
    const { error, unexpected } = toAckError(err);
    if (unexpected)
      this.app.log.error({ err, requestId: this.requestId, command: this.command.name }, 'unhandled error in command');
    this.reply({ ok: false, error });
  }

  /** The after-commit path of every command, once, the same way: before the answer leaves (a
   * process killed right after acknowledging has handed its changes to Redis already). */
  reply(a: Answer): void {
    const committed = this.committed;
    this.committed = null;
    if (committed) {
      for (const e of committed) {
        try {
          afterSeatChange(this.app, e);
        } catch (err) {
          // The change is durable and each effect has its repair: the answer still goes out.
          this.app.log.error({ err, requestId: this.requestId, command: this.command.name }, 'after-commit effects failed');
        }
      }
    }
    this.answer(a);
  }

  /**
   * The one ack of a command, measured once: its result, or OVERLOADED at the deadline if the
   * work is still running (it may still commit; a retry with the same idempotency key gets its reply).
   */
  answer(a: Answer): void {
    if (this.answered) return;
    this.answered = true;
    clearTimeout(this.timer);
    const outcome = a.ok ? 'ok' : a.error.code;
    this.finished(outcome);
    this.command.record(outcome, (performance.now() - this.startedMs) / 1000);
    // What the command published (its seat changes) leaves before its answer does.
    flushCorkedWrites();
    this.deliver(a);
  }
}

/** Past its deadline a command is answered OVERLOADED; a client retries after this long. */
const DEADLINE_RETRY_AFTER_MS = 1000;

function answerLate(run: { answer(a: Answer): void }): void {
  run.answer({
    ok: false,
    error: {
      code: 'OVERLOADED',
      message: 'the command did not finish in time; retry with the same idempotency key',
      retryable: true,
      details: { retryAfterMs: DEADLINE_RETRY_AFTER_MS },
    },
  });
}

/**
 * A command of the other tier: FORBIDDEN, not retryable here, with the tier that runs it (and
 * for a shop command the shop's URL, when this deployment names one).
 */
function wrongTier(app: AppContext, name: string): AppError {
  const tier = tierOf(name);
  const shopUrl = tier === 'shop' ? app.config.shopUrl : null;
  return new AppError(
    'FORBIDDEN',
    `${name} is served by the ${tier} tier, not by this ${app.config.gatewayRole} gateway`,
    { tier, ...(shopUrl ? { shopUrl } : {}) },
    false,
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
