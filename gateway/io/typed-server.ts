import type { Namespace, Server, Socket } from 'socket.io';
import type { Principal } from '../../core/auth/access-tokens.js';
import type {
  AdminClientToServerEvents,
  AdminServerToClientEvents,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../core/contract/socket-events.js';

export interface SocketData {
  principal: Principal | null;
  /** The client's address (trusted-proxy rule), for per-address limits. */
  address?: string;
}

export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type UserSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AdminNamespace = Namespace<AdminClientToServerEvents, AdminServerToClientEvents, Record<string, never>, SocketData>;
export type AdminSocket = Socket<AdminClientToServerEvents, AdminServerToClientEvents, Record<string, never>, SocketData>;
