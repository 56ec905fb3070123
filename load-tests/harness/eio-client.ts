import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export interface AckEnvelope {
  ok: boolean;
  data?: any;
  error?: { code: string; message: string; retryable: boolean; details?: Record<string, unknown> };
}

export interface EmitResult {
  ack: AckEnvelope;
  sentAt: number;
  ackAt: number;
}

/** Receives every `42[name, payload]` push: `raw` is the packet after the name, parsed only on demand. */
export type PushListener = (name: string, raw: string) => void;

export interface EioClient {
  /** `skipReply`: only tell ok from error (a seat map reply is large and the bench does not need it). */
  emit(name: string, payload: unknown, opts?: { timeoutMs?: number; skipReply?: boolean }): Promise<EmitResult>;
  close(): void;
  isOpen(): boolean;
}

/**
 * A bare Socket.IO v4 client over one websocket, speaking the Engine.IO v4 framing the k6 scripts
 * use (`0` open, `40{auth}` connect, `42[...]` events, `42<id>[...]` emits, `43<id>[...]` acks,
 * `2`/`3` ping/pong). Much lighter than socket.io-client, so one process holds many thousands, and
 * pushes are not JSON-parsed unless a listener asks for it (most subscribers only count them).
 */
export function connectEio(baseUrl: string, token: string | undefined, onPush: PushListener): Promise<EioClient> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const pending = new Map<
    number,
    { resolve: (r: EmitResult) => void; sentAt: number; timer: NodeJS.Timeout; skipReply: boolean }
  >();
  let nextId = 0;
  let open = false;

  const failPending = (reason: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.resolve({
        ack: { ok: false, error: { code: 'CLIENT_DISCONNECTED', message: reason, retryable: true } },
        sentAt: p.sentAt,
        ackAt: nowMs(),
      });
      pending.delete(id);
    }
  };

  const client: EioClient = {
    emit(name, payload, { timeoutMs = 30_000, skipReply = false } = {}) {
      return new Promise((resolve) => {
        const id = nextId++;
        const sentAt = nowMs();
        if (!open) {
          resolve({
            ack: { ok: false, error: { code: 'CLIENT_DISCONNECTED', message: 'not connected', retryable: true } },
            sentAt,
            ackAt: sentAt,
          });
          return;
        }
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({
            ack: { ok: false, error: { code: 'CLIENT_TIMEOUT', message: `no ack in ${timeoutMs} ms`, retryable: true } },
            sentAt,
            ackAt: nowMs(),
          });
        }, timeoutMs);
        pending.set(id, { resolve, sentAt, timer, skipReply });
        ws.send(`42${id}${JSON.stringify([name, payload])}`);
      });
    },
    close() {
      open = false;
      failPending('closed by client');
      ws.terminate();
    },
    isOpen: () => open,
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      if (err) {
        ws.terminate();
        reject(err);
      } else resolve(client);
    };
    ws.on('error', (err) => settle(err));
    ws.on('close', () => {
      open = false;
      failPending('socket closed');
      settle(new Error('socket closed before the namespace connected'));
    });
    ws.on('message', (data) => {
      const msg = data.toString();
      const type = msg.charCodeAt(0);
      if (type === 50 /* '2' ping */) {
        ws.send('3');
      } else if (type === 48 /* '0' open */) {
        ws.send(`40${JSON.stringify(token ? { token } : {})}`);
      } else if (msg.startsWith('42')) {
        // 42["name",payload]: slice the name out without parsing the payload.
        const end = msg.indexOf('"', 4);
        onPush(msg.slice(4, end), msg.slice(end + 2, -1));
      } else if (msg.startsWith('43')) {
        const bracket = msg.indexOf('[');
        const id = Number(msg.slice(2, bracket));
        const p = pending.get(id);
        if (!p) return;
        pending.delete(id);
        clearTimeout(p.timer);
        const ackAt = nowMs();
        const isOk = msg.startsWith('[{"ok":true', bracket);
        if (p.skipReply && isOk) return p.resolve({ ack: { ok: true }, sentAt: p.sentAt, ackAt });
        const args = JSON.parse(msg.slice(bracket)) as AckEnvelope[];
        p.resolve({ ack: args[0] as AckEnvelope, sentAt: p.sentAt, ackAt });
      } else if (msg.startsWith('40')) {
        open = true;
        settle();
      } else if (msg.startsWith('44')) {
        settle(new Error(`connect_error ${msg.slice(2)}`));
      } else if (msg.startsWith('41') || type === 49 /* '1' close */) {
        open = false;
        failPending('server closed the socket');
      }
    });
  });
}
