import type { Ack, AckError } from '../../../../core/contract/ack.js';

/** A command's error ack as an exception the page can switch on. */
export class CommandError extends Error {
  constructor(readonly error: AckError) {
    super(error.message);
    this.name = 'CommandError';
  }
  get code() {
    return this.error.code;
  }
}

function retryAfterMs(error: AckError): number {
  const d = error.details as { retryAfterMs?: unknown } | undefined;
  return typeof d?.retryAfterMs === 'number' ? Math.min(Math.max(d.retryAfterMs, 100), 10_000) : 1000;
}

export interface CommandOptions {
  /** Told before each automatic retry (to show "busy, retrying"). */
  onRetry?: (error: AckError, attempt: number) => void;
  attempts?: number;
  /** Called once on UNAUTHENTICATED (refresh the token, reconnect); the command is then sent again. */
  reauthenticate?: () => Promise<boolean>;
}

/**
 * Sends a command and unwraps its ack. Retryable errors (OVERLOADED, RATE_LIMITED, SHUTTING_DOWN,
 * a lost answer) are sent again unchanged after `retryAfterMs`, so an idempotency key in the
 * payload keeps the retry safe; an expired token is refreshed once first. No DOM here: unit-tested in Node.
 */
export async function runCommand<T>(send: () => Promise<Ack<T>>, options: CommandOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  let reauthenticated = false;
  for (let attempt = 1; ; attempt++) {
    let ack: Ack<T>;
    try {
      ack = await send();
    } catch {
      ack = { ok: false, error: { code: 'INTERNAL', message: 'no answer from the server', retryable: true } };
    }
    if (ack.ok) return ack.data;
    if (ack.error.code === 'UNAUTHENTICATED' && !reauthenticated && options.reauthenticate) {
      reauthenticated = true;
      if (await options.reauthenticate()) continue;
    }
    if (!ack.error.retryable || attempt >= attempts) throw new CommandError(ack.error);
    options.onRetry?.(ack.error, attempt);
    await new Promise((r) => setTimeout(r, retryAfterMs(ack.error)));
  }
}
