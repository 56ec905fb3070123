import { type CommandName, type CommandReply, commands } from '../../../core/contract/commands.js';
import { AppError } from '../../../core/domain/app-error.js';
import { bookingCommandHandlers } from '../../commands/user-commands.js';
import type { AppContext } from '../../context/app-context.js';
import { type Answer, type CommandCaller, createCommandRunner } from '../../socket/bind-commands.js';
import type { HttpRequest } from '../http-request.js';
import { requireUser } from '../require-principal.js';

export type HttpCommands = <K extends CommandName>(req: HttpRequest, name: K, input: unknown) => Promise<CommandReply<K>>;

/**
 * Runs a buyer's command for an HTTP request through the socket commands' own pipeline and
 * handlers: the same limits (the per-user and per-address counters are shared with sockets; each
 * request counts as its own connection), deadline, waiting lane, metrics and use cases. Resolves
 * the reply's data (the ack's `data`); rejects with the command's error, which httpErrorReply
 * turns into its status (and Retry-After).
 */
export function createHttpCommands(app: AppContext): HttpCommands {
  const run = createCommandRunner(app, commands, bookingCommandHandlers);
  return async (req, name, input) => {
    const principal = requireUser(req, app.config.jwtAccessSecret);
    const caller: CommandCaller = { data: { principal, address: req.ip } };
    const answer = await new Promise<Answer>((resolve) => run(name, caller, input, resolve));
    if (!answer.ok) throw new AppError(answer.error.code, answer.error.message, answer.error.details, answer.error.retryable);
    return answer.data as CommandReply<typeof name>;
  };
}
