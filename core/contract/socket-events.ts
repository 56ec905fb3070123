import type { Ack } from './ack.js';
import type { AdminCommandName, AdminCommandReply, CommandName, CommandReply } from './commands.js';
import type { AdminPushName, AdminPushPayload, PushName, PushPayload } from './pushes.js';

/** Socket.IO event maps inferred from the zod contract, never typed twice. Payloads coming in
 * are `unknown` on the server: every handler parses them with the contract first. */
export type ClientToServerEvents = {
  [K in CommandName]: (payload: unknown, ack: (ack: Ack<CommandReply<K>>) => void) => void;
};
export type ServerToClientEvents = { [K in PushName]: (payload: PushPayload<K>) => void };
export type AdminClientToServerEvents = {
  [K in AdminCommandName]: (payload: unknown, ack: (ack: Ack<AdminCommandReply<K>>) => void) => void;
};
export type AdminServerToClientEvents = {
  [K in AdminPushName]: (payload: AdminPushPayload<K>) => void;
};
