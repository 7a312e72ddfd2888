// `npm run bench`: the gateway (production mode) on a loopback port against the embedded simulators, driven by
// undici from the same process. Prints throughput, latency and upstream calls per query; asserts nothing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { createLogger } from '../src/logger.js';
import { startSimulatorsFor } from '../src/simulators/index.js';
import { createGateway } from '../src/yoga.js';
import { testConfig } from '../test/helpers/gateway.js';

process.env.NODE_ENV = 'production';
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

const QUERIES: Record<string, string> = {
  'vendors (no upstream call: the gateway alone)': `{ vendors { vendor simulated capabilities { read transitions } } }`,
  'list 50 across vendors (scalars)': `{ workOrders(first: 50) { totalCount edges { node { id vendor orderNumber status dueDate } } } }`,
  'list 50 DotZero with product, route, operations': `{ workOrders(first: 50, filter: { vendors: [DOTZERO] }) { edges { node { id
    product { name } route { name operations { sequence name } } operations { sequence name } } } } }`,
  'list 50 generic MES with customer and operations': `{ workOrders(first: 50, filter: { vendors: [GENERIC_MES] }) { edges { node { id customer operations { name } } } } }`,
  'list 50 Pitney Bowes with components': `{ workOrders(first: 50, filter: { vendors: [PITNEY_BOWES] }) { edges { node { id ... on PitneyBowesWorkOrder { components { sku } } } } } }`,
};

const sims = await startSimulatorsFor({});
const gateway = createGateway({ config: testConfig({ production: true }), vendors: sims.settings, simulated: sims.simulated, logger: createLogger(true, 'silent') });
const server = createServer(gateway.yoga);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: CONCURRENCY });
const upstreamTotal = () => Object.values(sims.simulators).reduce((n, s) => n + s.total(), 0);

console.log(`node ${process.version}, ${REQUESTS} requests per query, concurrency ${CONCURRENCY}`);
for (const [name, query] of Object.entries(QUERIES)) {
  const body = JSON.stringify({ query });
  const send = async () => {
    const t = performance.now();
    const res = await pool.request({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body });
    const json = (await res.body.json()) as { errors?: unknown[] };
    if (json.errors) throw new Error(`${name}: ${JSON.stringify(json.errors).slice(0, 300)}`);
    return performance.now() - t;
  };
  for (let i = 0; i < 10; i++) await send(); // warm caches and connections
  for (const s of Object.values(sims.simulators)) s.resetCounts();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) latencies.push(await send());
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
  console.log(
    `${name.padEnd(52)} ${(REQUESTS / seconds).toFixed(0).padStart(6)} req/s  p50 ${pct(50)} ms  p95 ${pct(95)} ms  upstream calls/query ${(upstreamTotal() / REQUESTS).toFixed(1)}`,
  );
}
console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
await pool.close();
server.close();
await gateway.close();
await sims.close();
