// A small TCP proxy for faults below HTTP (Toxiproxy is not packaged here): put it between the gateway and a
// simulator and switch its mode at run time. `pass` forwards bytes; `latency` forwards each chunk after a delay;
// `reset` accepts and cuts every new connection at once (and cuts the open ones when switched to); `blackhole`
// accepts and never forwards nor answers. Loopback only. Counts connections, so tests can assert on them.
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'latency' | 'reset' | 'blackhole';

export interface TcpProxy {
  /** `http://127.0.0.1:PORT`: the simulator's origin as seen through the proxy. */
  origin: string;
  port: number;
  mode: ProxyMode;
  /** Delay per forwarded chunk in `latency` mode. */
  latencyMs: number;
  setMode(mode: ProxyMode, latencyMs?: number): void;
  /** Connections accepted since the start. */
  connections(): number;
  close(): Promise<void>;
}

export async function startTcpProxy(
  target: { host?: string; port: number },
  initial: ProxyMode = 'pass',
): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  const proxy: TcpProxy = {
    origin: '',
    port: 0,
    mode: initial,
    latencyMs: 0,
    setMode(mode, latencyMs) {
      proxy.mode = mode;
      if (latencyMs !== undefined) proxy.latencyMs = latencyMs;
      if (mode === 'reset') for (const s of open) s.resetAndDestroy();
    },
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };

  const track = (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => s.destroy());
  };

  const server = createServer((client) => {
    accepted++;
    track(client);
    if (proxy.mode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    if (proxy.mode === 'blackhole') {
      client.on('data', () => undefined);
      return;
    }
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port });
    track(upstream);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        if (proxy.mode === 'latency' && proxy.latencyMs > 0)
          setTimeout(() => to.destroyed || to.write(chunk), proxy.latencyMs);
        else if (proxy.mode === 'blackhole') return;
        else to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.origin = `http://127.0.0.1:${proxy.port}`;
  return proxy;
}
