// `npm start` as a process manager runs it: the pid it signals is npm's. SIGTERM or SIGINT to that pid must stop
// the gateway, after the request in flight has had its answer, and close the port. The in-flight request is held
// at a generic MES stand-in (a proxy to its simulator that answers only when the test says so), so nothing here
// depends on timing.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERIC_MES_SIM_API_KEY, startGenericMesSimulator } from '../../src/simulators/generic-mes/index.js';
import type { GenericMesSimulator } from '../../src/simulators/types.js';
import { watchStarted, type Started } from '../helpers/started.js';

let sim: GenericMesSimulator;
let proxy: Server;
let proxyUrl: string;
let arrived: () => void = () => {};
let release: () => void = () => {};
let holding = false;

beforeAll(async () => {
  sim = await startGenericMesSimulator();
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (holding) {
      holding = false;
      const go = new Promise<void>((resolve) => (release = resolve));
      arrived();
      await go;
    }
    const target = new URL(req.url ?? '/', new URL(sim.apiUrl).origin);
    const upstream = await fetch(target, {
      method: req.method ?? 'GET',
      headers: { authorization: String(req.headers.authorization ?? ''), 'content-type': 'application/json' },
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    });
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await sim?.close();
});

/** Whether something accepts connections on the port. */
const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 50));
}

function npmStart(): Started {
  const child = spawn('npm', ['start'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      LOG_LEVEL: 'info',
      GENERIC_MES_API_URL: `${proxyUrl}/api/v2`,
      GENERIC_MES_API_KEY: GENERIC_MES_SIM_API_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchStarted(child, 'npm start');
}

describe('npm start and a signal to its pid', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s: the request in flight gets its answer, then the gateway stops and the port closes',
    async (signal) => {
      const { child, port: portP, exited, output } = npmStart();
      try {
        const port = await portP;
        // It runs compiled JavaScript, not TypeScript through tsx.
        expect(output()).not.toMatch(/tsx/);
        sim.resetCounts();
        holding = true;
        const reached = new Promise<void>((resolve) => (arrived = resolve));
        const inFlight = fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          // `customer` needs a detail call per order after the held list call: the vendor clients must outlive the
          // signal until the request is done.
          body: JSON.stringify({
            query:
              '{ workOrders(first: 2, filter: { vendors: [GENERIC_MES] }) { edges { node { orderNumber vendor customer } } } }',
          }),
        });
        await reached;

        child.kill(signal);
        // No new connections once the signal has landed, while the old request is still held.
        await until(async () => !(await accepting(port)));

        release();
        const res = await inFlight;
        expect(res.status).toBe(200);
        const body = (await res.json()) as {
          data: { workOrders: { edges: { node: { vendor: string; orderNumber: string; customer: string | null } }[] } };
          errors?: unknown;
        };
        expect(body.errors).toBeUndefined();
        expect(body.data.workOrders.edges.map((e) => e.node.vendor)).toEqual(['GENERIC_MES', 'GENERIC_MES']);
        expect(sim.count('GET /api/v2/work-orders/:id')).toBeGreaterThanOrEqual(2);

        expect(await exited).toBe(0);
        expect(await accepting(port)).toBe(false);
        expect(output()).toContain('"msg":"stopped"');
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
    240_000,
  );
});
