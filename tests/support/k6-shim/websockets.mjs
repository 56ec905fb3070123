// `k6/websockets` on the `ws` package. With K6_SHIM_DROP_FIRST_MESSAGE=1 it reproduces what k6
// was seen doing (issue 26): the server's first message (Engine.IO's open packet) is dropped.
import WS from 'ws';

export class WebSocket {
  constructor(url) {
    this.onopen = null;
    this.onmessage = null;
    this.onerror = null;
    this.onclose = null;
    let first = process.env.K6_SHIM_DROP_FIRST_MESSAGE === '1';
    this.ws = new WS(url);
    this.ws.on('open', () => this.onopen?.({}));
    this.ws.on('message', (data) => {
      if (first) {
        first = false;
        return;
      }
      this.onmessage?.({ data: data.toString() });
    });
    this.ws.on('error', (error) => this.onerror?.({ error: String(error) }));
    this.ws.on('close', () => this.onclose?.({}));
  }
  send(data) {
    if (this.ws.readyState === WS.OPEN) this.ws.send(data);
  }
  close() {
    this.ws.close();
  }
}
