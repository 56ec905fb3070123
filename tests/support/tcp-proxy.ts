import net from 'node:net';
import { afterAll } from 'vitest';

export interface TcpProxy {
  port: number;
  url: string;
  /** Where new connections go from now on (a restarted gateway listens on a new port). */
  retarget(port: number): void;
  close(): Promise<void>;
}

const open = new Set<TcpProxy>();
afterAll(async () => {
  await Promise.all([...open].map((p) => p.close()));
});

/**
 * A plain TCP forwarder in front of a gateway, like a load balancer: the browser keeps one
 * address while the gateway behind it dies and comes back elsewhere. A connection whose
 * target is down is dropped, as a balancer with no healthy backend would.
 */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let target = targetPort;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const proxy: TcpProxy = {
    port,
    url: `http://127.0.0.1:${port}`,
    retarget: (p) => {
      target = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        open.delete(proxy);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  open.add(proxy);
  return proxy;
}
