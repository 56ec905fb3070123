// Socket.IO v4 over a plain k6 websocket (k6 has no Socket.IO client); the framing is in
// engineio.js. The namespace connect is sent from `onopen`, whatever arrived first: k6 can deliver
// the server's Engine.IO open packet before the socket counts as open and then drop it, so a
// client waiting for that packet hung until the server gave up at 45 s. The connect has its own
// timeout (CONNECT_TIMEOUT, default 10s) and its own error counts, by reason.
import { Counter, Trend } from 'k6/metrics';
import { clearTimeout, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import { ackWork, isExpectedError } from './contract.js';
import { envDurationMs } from './duration.js';
import { decodePacket, encodeConnect, encodeEmit, PONG, parseEventPayload } from './engineio.js';

const CONNECT_TIMEOUT_MS = envDurationMs(__ENV, 'CONNECT_TIMEOUT', '10s');
/** Pushes are counted in the VU and added to the metric at most this often (and on close). */
const PUSH_FLUSH_MS = 2000;

/** Ack latency per command; tags `command` (`:` written `_`: k6 selectors split on `:`),
 * `outcome` (`ok` or the error code) and `work` (`real` or `trivial`, see contract.js ackWork). */
export const ackLatency = new Trend('evently_ack_ms', true);
export const unexpectedErrors = new Counter('evently_unexpected_errors');
/** Every error ack (expected ones too), tagged `code` and `command`: the summary lists them. */
export const errorAcks = new Counter('evently_errors');
/** Sockets whose namespace connect failed, tagged `reason` (timeout, refused, websocket, closed). */
export const connectErrors = new Counter('evently_connect_errors');
export const connectTimeouts = new Counter('evently_connect_timeouts');
export const connectLatency = new Trend('evently_connect_ms', true);
export const pushesReceived = new Counter('evently_pushes');

/** A pause that keeps the VU's event loop (pings, pushes) running, unlike k6's sleep. @param {number} ms */
export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Closes a websocket in any state (a connect that timed out may still be connecting).
 * @param {WebSocket} ws */
function closeQuietly(ws) {
  try {
    ws.close();
  } catch {
    // already closed or never opened
  }
}

/** @param {string} name */
export const metricTag = (name) => name.replace(/:/g, '_');

/**
 * @typedef {{ ok: boolean, data?: any, error?: { code: string, message: string, retryable: boolean, details?: any } }} Ack
 * @typedef {Promise<any> & { cancel: () => void }} PushWait
 * @typedef {{
 *   emit: (name: string, payload: unknown, timeoutMs?: number) => Promise<Ack>,
 *   on: (name: string, listener: (payload: any) => void) => () => void,
 *   waitFor: (name: string, timeoutMs: number, predicate?: (payload: any) => boolean) => PushWait,
 *   connected: () => boolean,
 *   close: () => void,
 * }} SocketIoClient
 */

/**
 * Opens a websocket to `baseUrl` (http(s)://host:port) and connects one namespace with the token.
 * Resolves with a client once the namespace accepted the connection; rejects on connect_error,
 * on a socket closed or failed before that, and after CONNECT_TIMEOUT (each counted).
 * @param {string} baseUrl
 * @param {{ token?: string, namespace?: string }} [options]
 * @returns {Promise<SocketIoClient>}
 */
export function connectSocketIo(baseUrl, options = {}) {
  const namespace = options.namespace ?? '/';
  const startedAt = Date.now();
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/socket.io/?EIO=4&transport=websocket`);
  /** @type {Map<number, { resolve: (a: Ack) => void, name: string, sentAt: number, timer: number }>} */
  const pending = new Map();
  /** @type {Map<string, ((payload: any) => void)[]>} */
  const listeners = new Map();
  let nextId = 0;
  /** @type {'connecting' | 'open' | 'closed'} */
  let state = 'connecting';
  /** Every waitFor still pending: close() settles them so no timer keeps the VU alive. */
  /** @type {Set<() => void>} */
  const waits = new Set();
  /** Pushes per name, counted locally and added to the k6 metric every PUSH_FLUSH_MS and on
   * close: a metric sample per push cost a third of k6's CPU at 300 VUs, and counting only on
   * close lost the pushes of iterations k6 interrupted. */
  /** @type {Map<string, number>} */
  const pushCounts = new Map();
  let flushedAt = Date.now();
  const flushPushes = () => {
    for (const [name, n] of pushCounts) pushesReceived.add(n, { push: metricTag(name) });
    pushCounts.clear();
    flushedAt = Date.now();
  };
  const off = (/** @type {string} */ name, /** @type {(payload: any) => void} */ listener) => {
    const list = listeners.get(name);
    if (!list) return;
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) listeners.delete(name);
  };

  /** @type {SocketIoClient} */
  const client = {
    emit(name, payload, timeoutMs = 10000) {
      if (state !== 'open') {
        return Promise.resolve({ ok: false, error: { code: 'CLOSED', message: 'socket closed', retryable: true } });
      }
      return new Promise((resolve) => {
        const id = nextId++;
        const sentAt = Date.now();
        const timer = setTimeout(() => {
          pending.delete(id);
          unexpectedErrors.add(1, { command: metricTag(name), code: 'TIMEOUT' });
          errorAcks.add(1, { command: metricTag(name), code: 'TIMEOUT' });
          resolve({ ok: false, error: { code: 'TIMEOUT', message: `no ack in ${timeoutMs} ms`, retryable: true } });
        }, timeoutMs);
        pending.set(id, { resolve, name, sentAt, timer });
        ws.send(encodeEmit(namespace, id, name, payload));
      });
    },
    on(name, listener) {
      const list = listeners.get(name) ?? [];
      list.push(listener);
      listeners.set(name, list);
      return () => off(name, listener);
    },
    /** Resolves with the first matching push, or null after timeoutMs, on cancel() or close(); the
     * listener and the timer are always removed (a loop calling it leaks nothing). */
    waitFor(name, timeoutMs, predicate = () => true) {
      /** @type {() => void} */
      let settle = () => {};
      const promise = /** @type {PushWait} */ (
        new Promise((resolve) => {
          if (state === 'closed') return resolve(null);
          const listener = (/** @type {any} */ payload) => {
            if (predicate(payload)) finish(payload);
          };
          const timer = setTimeout(() => finish(null), timeoutMs);
          const finish = (/** @type {any} */ value) => {
            clearTimeout(timer);
            off(name, listener);
            waits.delete(settle);
            resolve(value);
          };
          settle = () => finish(null);
          waits.add(settle);
          client.on(name, listener);
        })
      );
      promise.cancel = () => settle();
      return promise;
    },
    connected: () => state === 'open',
    close() {
      if (state === 'closed') return;
      state = 'closed';
      for (const settle of [...waits]) settle();
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        pending.delete(id);
        p.resolve({ ok: false, error: { code: 'CLOSED', message: 'socket closed', retryable: true } });
      }
      flushPushes();
      closeQuietly(ws);
    },
  };

  return new Promise((resolve, reject) => {
    const connectTimer = setTimeout(
      () => fail('timeout', `no namespace connect in ${CONNECT_TIMEOUT_MS} ms`),
      CONNECT_TIMEOUT_MS,
    );
    /** @param {string} reason @param {string} message */
    const fail = (reason, message) => {
      if (state !== 'connecting') return;
      state = 'closed';
      clearTimeout(connectTimer);
      connectErrors.add(1, { reason });
      if (reason === 'timeout') connectTimeouts.add(1);
      closeQuietly(ws);
      reject(new Error(`connect ${namespace}: ${message}`));
    };
    ws.onopen = () => {
      ws.send(encodeConnect(namespace, options.token ? { token: options.token } : {}));
    };
    ws.onerror = (e) => fail('websocket', `websocket error: ${e?.error}`);
    ws.onmessage = (e) => {
      const packet = decodePacket(String(e?.data ?? ''), namespace);
      switch (packet.kind) {
        case 'ping':
          ws.send(PONG);
          return;
        case 'connect':
          if (state !== 'connecting') return;
          state = 'open';
          clearTimeout(connectTimer);
          connectLatency.add(Date.now() - startedAt);
          resolve(client);
          return;
        case 'connect_error':
          fail(`refused_${packet.data?.data?.code ?? 'unknown'}`, `connect_error ${JSON.stringify(packet.data)}`);
          return;
        case 'disconnect':
        case 'close':
          client.close();
          return;
        case 'event': {
          pushCounts.set(packet.name, (pushCounts.get(packet.name) ?? 0) + 1);
          if (Date.now() - flushedAt >= PUSH_FLUSH_MS) flushPushes();
          const list = listeners.get(packet.name);
          if (!list) return;
          const payload = parseEventPayload(packet.body);
          for (const l of [...list]) l(payload);
          return;
        }
        case 'ack': {
          const p = pending.get(packet.id);
          if (!p) return;
          pending.delete(packet.id);
          clearTimeout(p.timer);
          /** @type {Ack} */
          const ack = packet.reply ?? { ok: false, error: { code: 'MALFORMED', message: 'no ack body', retryable: false } };
          const code = ack.ok ? 'ok' : (ack.error?.code ?? 'MALFORMED');
          const command = metricTag(p.name);
          ackLatency.add(Date.now() - p.sentAt, { command, outcome: code, work: ackWork(p.name, ack) });
          if (!ack.ok) errorAcks.add(1, { command, code });
          if (!ack.ok && !isExpectedError(p.name, code)) unexpectedErrors.add(1, { command, code });
          p.resolve(ack);
          return;
        }
        default:
      }
    };
    ws.onclose = () => {
      if (state === 'connecting') fail('closed', 'closed before the namespace connected');
      else client.close();
    };
  });
}
