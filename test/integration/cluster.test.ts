// WORKERS=2: `npm start` as a node cluster's primary with two workers sharing the port, and a test-started Redis
// holding what they must agree on. Requests reach both workers (each new connection goes to the next worker); an
// idempotency key repeated across them makes one vendor write; a client's rate limit holds across them; SIGTERM
// drains both and stops; WORKERS=2 without REDIS_URL never starts.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERIC_MES_SIM_API_KEY, startGenericMesSimulator } from '../../src/simulators/generic-mes/index.js';
import type { GenericMesSimulator } from '../../src/simulators/types.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { watchStarted } from '../helpers/started.js';

const WRITER = {
  name: 'cluster-writer',
  apiKey: 'cluster-writer-key-0123456789abcdef',
  role: 'frontend',
  scopes: ['workorders:read', 'workorders:write'],
  rateLimitPerMinute: 100_000,
};
const LIMITED = {
  name: 'cluster-limited',
  apiKey: 'cluster-limited-key-0123456789abcdef',
  role: 'frontend',
  scopes: ['workorders:read'],
  rateLimitPerMinute: 4,
};

let redis: TestRedis;
let gmes: GenericMesSimulator;
let clientsFile: string;

beforeAll(async () => {
  [redis, gmes] = await Promise.all([startTestRedis(), startGenericMesSimulator()]);
  clientsFile = join(mkdtempSync(join(tmpdir(), 'mesgw-cluster-')), 'clients.json');
  writeFileSync(clientsFile, JSON.stringify([WRITER, LIMITED]));
}, 60_000);

afterAll(async () => {
  await Promise.all([redis?.close(), gmes?.close()]);
});

function npmStart(env: Record<string, string>) {
  const child = spawn('npm', ['start'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      LOG_LEVEL: 'info',
      CHANGE_POLL_INTERVAL_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchStarted(child, 'npm start');
}

/** One request on a connection of its own (no keep-alive), so the cluster hands it to the next worker. */
function exchange(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.once('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A request whose answer is JSON. */
async function send(...request: Parameters<typeof exchange>): Promise<{ status: number; body: any }> {
  const { status, text } = await exchange(...request);
  return { status, body: text ? JSON.parse(text) : undefined };
}

/** GET /metrics: the next worker answers. */
const scrape = (port: number) => exchange(port, 'GET', '/metrics');

const okQueries = (text: string) =>
  Number(/^mes_gateway_graphql_operations_total\{type="query",outcome="ok"\} (\d+)$/m.exec(text)?.[1] ?? 0);

const accepting = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('WORKERS=2 with REDIS_URL', () => {
  let gw: ReturnType<typeof npmStart>;
  let port: number;
  const key = (c: { apiKey: string }) => ({ 'x-api-key': c.apiKey });

  beforeAll(async () => {
    gw = npmStart({
      WORKERS: '2',
      REDIS_URL: redis.url,
      GATEWAY_CLIENTS_FILE: clientsFile,
      GENERIC_MES_API_URL: gmes.apiUrl,
      GENERIC_MES_API_KEY: GENERIC_MES_SIM_API_KEY,
    });
    port = await gw.port;
  }, 180_000);

  afterAll(async () => {
    if (gw && gw.child.exitCode === null && gw.child.signalCode === null) gw.child.kill('SIGKILL');
  });

  it('says so at start-up, and serves requests from both workers', async () => {
    expect(gw.output()).toMatch(/with 2 workers/);
    const workers = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const res = await send(port, 'GET', '/ready');
      expect(res.status).toBe(200);
      expect(res.body.sharedState).toBe('redis');
      workers.add(res.body.worker as number);
    }
    expect(workers.size).toBe(2);
  });

  it('/metrics counts what both workers did, whichever worker the scrape reaches', async () => {
    const before = await scrape(port);
    expect(before.status).toBe(200);
    // Six connections in a row: three queries on each worker.
    for (let i = 0; i < 6; i++) {
      const res = await send(port, 'POST', '/graphql', key(WRITER), { query: '{ vendors { vendor } }' });
      expect(res.status).toBe(200);
    }
    const scrapes = [await scrape(port), await scrape(port)];
    for (const s of scrapes) {
      expect(s.status).toBe(200);
      expect(okQueries(s.text)).toBe(okQueries(before.text) + 6);
      // Every series once: the workers' figures merged, not listed side by side.
      expect(s.text.match(/^mes_gateway_graphql_operations_total\{type="query",outcome="ok"\} /gm)).toHaveLength(1);
    }
    // Vendor calls too: the list the idempotency test below starts with is one generic MES call, counted once.
    const calls = (text: string) =>
      [...text.matchAll(/^mes_gateway_upstream_requests_total\{vendor="GENERIC_MES"[^}]*\} (\d+)$/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
    const beforeCalls = calls(scrapes[1]!.text);
    await send(port, 'POST', '/graphql', key(WRITER), {
      query: '{ workOrders(first: 5, filter: { vendors: [GENERIC_MES] }) { edges { node { id } } } }',
    });
    const afterCalls = [calls((await scrape(port)).text), calls((await scrape(port)).text)];
    expect(afterCalls).toEqual([beforeCalls + 1, beforeCalls + 1]);
  });

  it('an idempotency key repeated across the workers makes one vendor write', async () => {
    const list = await send(port, 'POST', '/graphql', key(WRITER), {
      query:
        '{ workOrders(first: 100, filter: { vendors: [GENERIC_MES], statuses: [OPEN] }) { edges { node { id } } } }',
    });
    const id = list.body.data.workOrders.edges[0].node.id as string;
    gmes.resetCounts();
    const start = { query: 'mutation($id: ID!) { startWorkOrder(id: $id) { id status } }', variables: { id } };
    const answers = [];
    // Four connections in a row: round-robin lands two on each worker.
    for (let i = 0; i < 4; i++)
      answers.push(await send(port, 'POST', '/graphql', { ...key(WRITER), 'idempotency-key': 'cluster-k-1' }, start));
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data.startWorkOrder).toEqual({ id, status: 'IN_PROGRESS' });
    }
    expect(gmes.count('POST /api/v2/work-orders/:id/start')).toBe(1);
  });

  it("a client's rate limit holds across the workers", async () => {
    const statuses: number[] = [];
    // Limit 4 a minute: two workers with a window each would let all 6 through.
    for (let i = 0; i < 6; i++)
      statuses.push((await send(port, 'POST', '/graphql', key(LIMITED), { query: '{ vendors { vendor } }' })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('SIGTERM to the primary drains the workers and stops', async () => {
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
    expect(await accepting(port)).toBe(false);
    // Both workers and the primary said so.
    expect(gw.output().match(/"msg":"stopped"/g)).toHaveLength(3);
  }, 60_000);
});

describe('WORKERS=2 without REDIS_URL', () => {
  it('is refused at start-up with an error naming REDIS_URL, and never listens', async () => {
    const gw = npmStart({ WORKERS: '2' });
    gw.port.catch(() => undefined);
    expect(await gw.exited).toBe(1);
    expect(gw.output()).toMatch(/Configuration error: WORKERS .*REDIS_URL/);
    expect(gw.output()).not.toMatch(/listening on/);
  }, 60_000);
});
