import { commands, HoldFields } from './commands.js';

/**
 * Bodies of the booking routes: each command's payload without what the path or the
 * `Idempotency-Key` header carries. The server checks only that a body names none of those and
 * then validates the whole payload with the command's own schema, exactly as on the socket.
 */
export const QueueJoinBody = commands['queue:join'].payload.omit({ eventId: true });
export const HoldBody = HoldFields.omit({ eventId: true, idempotencyKey: true });
export const ConfirmBody = commands['hold:confirm'].payload.omit({ holdId: true, idempotencyKey: true });
export const WaitlistJoinBody = commands['waitlist:join'].payload.omit({ eventId: true });

/** The header that carries a hold's or a confirm's idempotency key over HTTP. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
