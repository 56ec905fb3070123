import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Principal } from '../../core/auth/access-tokens.js';
import { checkPrincipalLive } from '../../core/auth/check-principal-live.js';
import { parseInput } from '../../core/contract/parse-input.js';
import { AppError } from '../../core/domain/app-error.js';
import type { AppContext } from '../app-context.js';
import { toAckError } from './ack-error.js';

export interface CallContext<S> {
  app: AppContext;
  socket: S;
  /** The authenticated user; throws UNAUTHENTICATED for anonymous sockets. */
  user(): Principal;
  requestId: string;
}

type Schemas = Record<string, { payload: z.ZodTypeAny; reply: z.ZodTypeAny }>;
export type Handlers<C extends Schemas, S> = {
  [K in keyof C]?: (payload: z.output<C[K]['payload']>, call: CallContext<S>) => Promise<z.input<C[K]['reply']>>;
};

interface BindableSocket {
  data: { principal: Principal | null; address?: string };
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Wires each command: ignore emits without an ack, parse with the contract, run the handler,
 * ack `{ok:true,data}` or the translated error. Nothing a client sends can throw past here.
 */
export function bindCommands<C extends Schemas, S extends BindableSocket>(
  app: AppContext,
  socket: S,
  schemas: C,
  handlers: Handlers<C, S>,
): void {
  for (const name of Object.keys(schemas) as (keyof C & string)[]) {
    const schema = (schemas[name] as C[keyof C]).payload;
    const handler = handlers[name];
    socket.on(name, (...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack !== 'function' || args.length > 2) return;
      const started = process.hrtime.bigint();
      const finished = app.holdHealth?.begin(name) ?? (() => {});
      const requestId = randomUUID();
      const call: CallContext<S> = {
        app,
        socket,
        requestId,
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
      app.inFlight.track(run()).then(
        (data) => {
          finished();
          app.metrics.commands.inc({ command: name, outcome: 'ok' });
          app.metrics.ackLatency.observe({ command: name }, Number(process.hrtime.bigint() - started) / 1e9);
          (ack as (a: unknown) => void)({ ok: true, data });
        },
        (err: unknown) => {
          finished();
          const { error, unexpected } = toAckError(err);
          if (unexpected) app.log.error({ err, requestId, command: name }, 'unhandled error in command');
          app.metrics.commands.inc({ command: name, outcome: error.code });
          app.metrics.ackLatency.observe({ command: name }, Number(process.hrtime.bigint() - started) / 1e9);
          (ack as (a: unknown) => void)({ ok: false, error });
        },
      );
    });
  }
}
