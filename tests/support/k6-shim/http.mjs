// `k6/http`: synchronous, as in k6. A worker thread does the request while this thread waits.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { Counter } from './metrics.mjs';

const shared = new Int32Array(new SharedArrayBuffer(4));
const { port1, port2 } = new MessageChannel();
const worker = new Worker(new URL('./http-worker.mjs', import.meta.url));
worker.postMessage({ port: port2, shared }, [port2]);
worker.unref();
port1.unref();
const httpReqs = new Counter('http_reqs');

/** Go's canonical header names, as k6 gives them (`Retry-After`). */
const canonical = (name) => name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase());

function request(method, url, body, params = {}) {
  Atomics.store(shared, 0, 0);
  port1.postMessage({ method, url, body: body ?? undefined, headers: params.headers ?? {} });
  Atomics.wait(shared, 0, 0);
  const answer = receiveMessageOnPort(port1).message;
  httpReqs.add(1, { status: String(answer.status), ...(params.tags ?? {}) });
  return {
    status: answer.status,
    body: answer.body,
    error: answer.error ?? '',
    headers: Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [canonical(k), v])),
    json: () => JSON.parse(answer.body),
  };
}

export default {
  request,
  get: (url, params) => request('GET', url, null, params),
  post: (url, body, params) => request('POST', url, body, params),
  patch: (url, body, params) => request('PATCH', url, body, params),
  del: (url, body, params) => request('DELETE', url, body, params),
};
