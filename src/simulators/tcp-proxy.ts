// A small TCP proxy for faults below HTTP (Toxiproxy is not packaged here): put it between the gateway and a
// simulator and switch its mode at run time. `pass` forwards bytes; `latency` forwards each chunk after a delay;
// `reset` accepts and cuts every new connection at once (and cuts the open ones when switched to); `blackhole`
// accepts and never forwards nor answers. Loopback only. Counts connections, so tests can assert on them.
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';

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

/**
 * A loopback port that never completes a TCP connection: a vendor whose host takes no more connections. The
 * listening socket lives in a worker thread whose event loop is held still (Atomics.wait), so nothing ever accepts;
 * its accept queue (backlog 1) is filled at start, after which the kernel drops every new SYN and a client's connect
 * waits until its own connect deadline. Deterministic on loopback, no address outside it, no privileges.
 */
export interface Unconnectable {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

const UNACCEPTING_LISTENER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const server = net.createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  parentPort.postMessage(server.address().port);
  // Held here, this thread's loop never runs an accept; woken only to close.
  Atomics.wait(workerData, 0, 0);
  server.close();
  process.exit(0);
});
`;

export async function startUnconnectable(): Promise<Unconnectable> {
  const wake = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(UNACCEPTING_LISTENER, { eval: true, workerData: wake });
  worker.unref();
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // Fill the accept queue: connect until one connection is not completed (Linux keeps backlog + 1 = 2; bounded).
  const fillers: Socket[] = [];
  for (let i = 0; i < 16; i++) {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    fillers.push(socket);
    const completed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!completed) break;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const s of fillers) s.destroy();
      Atomics.store(wake, 0, 1);
      Atomics.notify(wake, 0);
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}
