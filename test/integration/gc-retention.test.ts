// A query's data must die young: once its answer is written, nothing may keep its loaders or vendor answers alive
// through V8's young-generation collections (scavenges). What they keep is copied, then moved to the old generation,
// where only a full collection frees it: longer scavenge pauses, and a full collection every few seconds under load.
// A getter in the per-request context once did that to every request (yoga.ts, contextFor). Measured as a user runs
// the gateway: the compiled start (dist/main.js, every vendor simulated) with V8's GC trace, under sequential W1
// queries, counting the bytes each scavenge promoted after a warm-up.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { watchStarted, type Started } from '../helpers/started.js';

const API_KEY = 'gc-retention-frontend-key-0123456789';
const W1 = JSON.stringify({
  query: '{ workOrders(first: 20, filter: { vendors: [DOTZERO] }) { edges { node { id orderNumber status } } } }',
});

let gateway: Started;
let pool: Pool;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mesgw-gc-'));
  const clients = join(dir, 'clients.json');
  writeFileSync(
    clients,
    JSON.stringify([
      { name: 'gc', apiKey: API_KEY, role: 'frontend', scopes: ['workorders:read'], rateLimitPerMinute: 1_000_000 },
    ]),
  );
  // A 1 MB young generation: a scavenge every few dozen queries, so a few seconds of queries give dozens of them.
  const child = spawn(process.execPath, ['--trace-gc-nvp', '--max-semi-space-size=1', 'dist/main.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      PORT: '0',
      GATEWAY_CLIENTS_FILE: clients,
      // The change poller's rounds are not a query's data: off, so that what is counted is the queries'.
      CHANGE_POLL_INTERVAL_MS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gateway = watchStarted(child, 'the gateway');
  pool = new Pool(`http://127.0.0.1:${await gateway.port}`, { connections: 1 });
}, 60_000);

afterAll(async () => {
  await pool?.close();
  gateway?.child.kill('SIGKILL');
});

async function queries(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await pool.request({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: W1,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || text.includes('"errors"')) throw new Error(`query failed: ${text.slice(0, 300)}`);
  }
}

/** Scavenges in V8's trace since `from` (an offset in the output): how many, and the bytes they promoted. */
function scavengesSince(from: number): { count: number; promoted: number } {
  let count = 0;
  let promoted = 0;
  for (const line of gateway.output().slice(from).split('\n')) {
    if (!/ gc=s /.test(line)) continue;
    count++;
    promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return { count, promoted };
}

it('keeps no query data alive through young collections: scavenges promote under 4 KB a query', async () => {
  await queries(400);
  const from = gateway.output().length;
  const n = 1500;
  await queries(n);
  const { count, promoted } = scavengesSince(from);
  // Enough scavenges for the figure to mean something (each query allocates tens of KB).
  expect(count).toBeGreaterThan(10);
  // About 1 KB a query now (what a scavenge finds in flight); with the getter in the context, 12 KB: each query's
  // loaders and the vendor's answer.
  expect(promoted / n).toBeLessThan(4096);
}, 120_000);
