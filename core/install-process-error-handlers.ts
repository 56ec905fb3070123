import type { Logger } from './log.js';

/**
 * Node's default for an uncaught exception or unhandled rejection is to exit, which turns one
 * bad callback (a library timer, a forgotten `void promise`) into every socket of this process
 * dropped at once mid-sale. Gateways and workers keep no state that such an error can leave
 * half-written: seats, holds and bookings change only inside Postgres transactions, and every
 * request and job has its own catch. So after start-up the safe choice is to log the error with
 * its stack and keep serving; the health check and the logs tell an operator it happened.
 * Start-up failures still exit (the entry points catch those themselves).
 */
export function installProcessErrorHandlers(log: Logger, onError?: (kind: 'exception' | 'rejection') => void): void {
  process.on('uncaughtException', (err, origin) => {
    log.error({ err, origin }, 'uncaught exception; still serving');
    onError?.('exception');
  });
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled promise rejection; still serving');
    onError?.('rejection');
  });
}
