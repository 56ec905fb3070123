import { Adapter, type BroadcastOptions } from 'socket.io-adapter';

/**
 * socket.io's uWS integration (`io.attachApp`) sends a broadcast to one room with one uWS
 * publish, which reaches every WebSocket subscriber in C++; then it still visits every socket of
 * the room in JavaScript (`apply`) to write the packet to those on HTTP long-polling. With 20,000
 * sockets in an event's rooms that visit cost more than the publish (7.4 % of a gateway's busy
 * time in a 20,000-client sale, plus the Set of 20,000 ids each visit builds). Here each adapter
 * keeps the ids of its sockets that are not on WebSocket (they join a room while polling; an
 * upgrade or a disconnect removes them), and during that publish `apply` visits only those of
 * them in the room. Whatever socket.io then does with a visited socket is unchanged (it writes
 * to those still not on WebSocket), so delivery is the same, and `apply` everywhere else
 * (fetchSockets, disconnectSockets, broadcasts with several rooms or exceptions) is socket.io's.
 *
 * Install after `io.attachApp`, which patches the same prototype; once per process.
 */
export function visitOnlyPollingSocketsOnPublish(): void {
  const proto = Adapter.prototype as TrackedAdapter;
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const { addAll, delAll, broadcast } = proto;
  const apply = (proto as unknown as { apply: ApplyFn }).apply;

  proto.addAll = function (this: TrackedAdapter, id, rooms) {
    const done = addAll.call(this, id, rooms);
    const socket = this.nsp.sockets.get(id) ?? this.nsp._preConnectSockets?.get(id);
    if (socket && socket.conn.transport.name !== 'websocket') {
      const polling = this[POLLING] ?? new Set<string>();
      this[POLLING] = polling;
      if (!polling.has(id)) {
        polling.add(id);
        socket.conn.once('upgrade', () => polling.delete(id));
      }
    }
    return done;
  };
  proto.delAll = function (this: TrackedAdapter, id) {
    this[POLLING]?.delete(id);
    delAll.call(this, id);
  };
  proto.broadcast = function (this: TrackedAdapter, packet, opts) {
    // socket.io's own fast path: at most one room and no exceptions (anything else visits all).
    if (opts.rooms.size > 1 || (opts.except?.size ?? 0) > 0) return broadcast.call(this, packet, opts);
    this[PUBLISHING] = true;
    try {
      broadcast.call(this, packet, opts);
    } finally {
      this[PUBLISHING] = false;
    }
  };
  (proto as unknown as { apply: ApplyFn }).apply = function (this: TrackedAdapter, opts, callback) {
    if (!this[PUBLISHING]) return apply.call(this, opts, callback);
    const polling = this[POLLING];
    if (!polling || polling.size === 0) return;
    const room = opts.rooms.size === 0 ? null : (opts.rooms.values().next().value as string);
    const members = room === null ? this.sids : this.rooms.get(room);
    if (!members) return;
    for (const id of polling) {
      if (!members.has(id)) continue;
      const socket = this.nsp.sockets.get(id);
      if (socket) callback(socket);
    }
  };
}

const INSTALLED = Symbol('visitOnlyPollingSocketsOnPublish');
const POLLING = Symbol('pollingSocketIds');
const PUBLISHING = Symbol('publishing');

interface EngineSocket {
  conn: { transport: { name: string }; once(event: 'upgrade', listener: () => void): unknown };
}
type ApplyFn = (this: TrackedAdapter, opts: BroadcastOptions, callback: (socket: EngineSocket) => void) => void;
type TrackedAdapter = Adapter & {
  nsp: { sockets: Map<string, EngineSocket>; _preConnectSockets?: Map<string, EngineSocket> };
  [INSTALLED]?: boolean;
  [POLLING]?: Set<string>;
  [PUBLISHING]?: boolean;
};
