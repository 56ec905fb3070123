// The other half of the shim's synchronous HTTP: runs each request with fetch, hands the answer
// back over the port and wakes the waiting caller.
import { parentPort } from 'node:worker_threads';

parentPort.once('message', ({ port, shared }) => {
  port.on('message', async ({ method, url, body, headers }) => {
    let answer;
    try {
      const res = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body });
      answer = { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
    } catch (error) {
      answer = { status: 0, body: '', headers: {}, error: String(error) };
    }
    port.postMessage(answer);
    Atomics.store(shared, 0, 1);
    Atomics.notify(shared, 0);
  });
});
