// Socket.IO v4 over a plain k6 websocket: Engine.IO v4 framing by hand (k6 has no Socket.IO).
//   server `0{sid,pingInterval,...}` open   -> client `40{auth}` (or `40/admin,{auth}`)
//   server `40{sid}` namespace connected, `44{message,data}` connect_error
//   client `42<id>["name",payload]` emit with ack id -> server `43<id>[ack]`
//   server `42["name",payload]` push;  server `2` ping -> client `3` pong
// Non-root namespaces prefix every packet after the type with `/admin,`.
import { Counter, Trend } from 'k6/metrics';
import { clearTimeout, setTimeout } from 'k6/timers';
import { WebSocket } from 'k6/websockets';
import { isExpectedError } from './contract.js';

/** Ack latency per command; tag `command` uses `_` for `:` (k6 threshold selectors split on `:`). */
export const ackLatency = new Trend('evently_ack_ms', true);
export const unexpectedErrors = new Counter('evently_unexpected_errors');
export const connectErrors = new Counter('evently_connect_errors');
export const pushesReceived = new Counter('evently_pushes');

/** A pause that keeps the VU's event loop (pings, pushes) running, unlike k6's sleep. @param {number} ms */
export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @param {string} name */
export const metricTag = (name) => name.replace(/:/g, '_');

/**
 * @typedef {{ ok: boolean, data?: any, error?: { code: string, message: string, retryable: boolean } }} Ack
 * @typedef {Promise<any> & { cancel: () => void }} PushWait
 * @typedef {{
 *   emit: (name: string, payload: unknown, timeoutMs?: number) => Promise<Ack>,
 *   on: (name: string, listener: (payload: any) => void) => () => void,
 *   waitFor: (name: string, timeoutMs: number, predicate?: (payload: any) => boolean) => PushWait,
 *   close: () => void,
 * }} SocketIoClient
 */

/**
 * Opens a websocket to `baseUrl` (http(s)://host:port) and connects one namespace with the token.
 * Resolves with a client once the namespace accepted the connection; rejects on connect_error.
 * @param {string} baseUrl
 * @param {{ token?: string, namespace?: string, tags?: Record<string, string> }} [options]
 * @returns {Promise<SocketIoClient>}
 */
export function connectSocketIo(baseUrl, options = {}) {
  const namespace = options.namespace ?? '/';
  const nsp = namespace === '/' ? '' : `${namespace},`;
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  /** @type {Map<number, { resolve: (a: Ack) => void, name: string, sentAt: number, timer: number }>} */
  const pending = new Map();
  /** @type {Map<string, ((payload: any) => void)[]>} */
  const listeners = new Map();
  let nextId = 0;
  let open = false;
  /** Every waitFor still pending: close() settles them so no timer keeps the VU alive. */
  /** @type {Set<() => void>} */
  const waits = new Set();
  /** Pushes per name, counted locally and added to the k6 metric once on close: a metric
   * sample per push cost a third of k6's CPU at 300 VUs. */
  /** @type {Map<string, number>} */
  const pushCounts = new Map();
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
      return new Promise((resolve) => {
        const id = nextId++;
        const sentAt = Date.now();
        const timer = setTimeout(() => {
          pending.delete(id);
          unexpectedErrors.add(1, { command: metricTag(name), code: 'TIMEOUT' });
          resolve({ ok: false, error: { code: 'TIMEOUT', message: `no ack in ${timeoutMs} ms`, retryable: true } });
        }, timeoutMs);
        pending.set(id, { resolve, name, sentAt, timer });
        ws.send(`42${nsp}${id}${JSON.stringify([name, payload])}`);
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
    close() {
      open = false;
      for (const settle of [...waits]) settle();
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        pending.delete(id);
        p.resolve({ ok: false, error: { code: 'CLOSED', message: 'socket closed', retryable: false } });
      }
      for (const [name, n] of pushCounts) pushesReceived.add(n, { push: metricTag(name) });
      pushCounts.clear();
      ws.close();
    },
  };

  return new Promise((resolve, reject) => {
    ws.onerror = (e) => {
      if (!open) {
        connectErrors.add(1);
        reject(new Error(`websocket error: ${e?.error}`));
      }
    };
    ws.onmessage = (e) => {
      const msg = String(e?.data ?? '');
      if (msg === '2') return ws.send('3');
      if (msg[0] === '0') return ws.send(`40${nsp}${JSON.stringify(options.token ? { token: options.token } : {})}`);
      const body = nsp && msg.startsWith(nsp, 2) ? msg.slice(2 + nsp.length) : msg.slice(2);
      const type = msg.slice(0, 2);
      if (type === '40') {
        open = true;
        resolve(client);
      } else if (type === '44') {
        connectErrors.add(1);
        ws.close();
        reject(new Error(`connect_error ${body}`));
      } else if (type === '42') {
        // The name is the first JSON string: read it without parsing the (maybe large) payload,
        // which is parsed only when someone listens.
        const name = body.slice(2, body.indexOf('"', 2));
        pushCounts.set(name, (pushCounts.get(name) ?? 0) + 1);
        const list = listeners.get(name);
        if (!list) return;
        const [, payload] = JSON.parse(body);
        for (const l of [...list]) l(payload);
      } else if (type === '43') {
        const bracket = body.indexOf('[');
        const id = Number(body.slice(0, bracket));
        const p = pending.get(id);
        if (!p) return;
        pending.delete(id);
        clearTimeout(p.timer);
        /** @type {Ack} */
        const ack = JSON.parse(body.slice(bracket))[0];
        const code = ack.ok ? 'ok' : (ack.error?.code ?? 'MALFORMED');
        ackLatency.add(Date.now() - p.sentAt, { command: metricTag(p.name), outcome: code });
        if (!ack.ok && !isExpectedError(p.name, code)) unexpectedErrors.add(1, { command: metricTag(p.name), code });
        p.resolve(ack);
      }
    };
    ws.onclose = () => {
      if (!open) reject(new Error('closed before the namespace connected'));
      else client.close();
    };
  });
}
