// A query's data must die young: once its answer is written, nothing may keep its loaders or vendor answers alive
// through V8's young-generation collections (scavenges). What they keep is copied, then moved to the old generation,
// where only a full collection frees it: longer scavenge pauses, and a full collection every few seconds under load.
// Two causes were found, each with its test here, measured as a user runs the gateway (the compiled start,
// dist/main.js, every vendor simulated, with V8's GC trace), counting the bytes each scavenge promoted after a warm-up:
// - a getter in the per-request context once did it to every request (yoga.ts, contextFor);
// - V8's allocation-site pretenuring did it to queries with dependent vendor calls (W2: orders, then their routes,
//   then the routes' products): it saw those objects outlive a scavenge, moved their allocation into the old
//   generation, and from there they held every later query's data. The start command turns it off.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchStarted, type Started } from '../helpers/started.js';

const API_KEY = 'gc-retention-frontend-key-0123456789';
const W1 = JSON.stringify({
  query: '{ workOrders(first: 20, filter: { vendors: [DOTZERO] }) { edges { node { id orderNumber status } } } }',
});
const W2 = JSON.stringify({
  query:
    '{ workOrders(first: 20, filter: { vendors: [DOTZERO] }) { edges { node { id orderNumber status route { name operations { name } } product { name } } } } }',
});

/** The V8 flags of `npm start` (package.json's start script: `node <flags> dist/main.js`). */
function startFlags(): string[] {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /\bnode ((?:--\S+ )*)dist\/main\.js/.exec(start);
  if (!m) throw new Error(`no "node <flags> dist/main.js" in the start script: ${start}`);
  return m[1]!.trim().split(/\s+/).filter(Boolean);
}

interface Run {
  gateway: Started;
  pool: Pool;
}

async function startGateway(flags: string[]): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'mesgw-gc-'));
  const clients = join(dir, 'clients.json');
  writeFileSync(
    clients,
    JSON.stringify([
      { name: 'gc', apiKey: API_KEY, role: 'frontend', scopes: ['workorders:read'], rateLimitPerMinute: 1_000_000 },
    ]),
  );
  const child = spawn(process.execPath, ['--trace-gc-nvp', ...flags, 'dist/main.js'], {
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
  const gateway = watchStarted(child, 'the gateway');
  return { gateway, pool: new Pool(`http://127.0.0.1:${await gateway.port}`, { connections: 16 }) };
}

async function stop(run: Run | undefined): Promise<void> {
  await run?.pool.close();
  run?.gateway.child.kill('SIGKILL');
}

async function queries(run: Run, body: string, n: number, concurrency = 1): Promise<void> {
  let sent = 0;
  await Promise.all(Array.from({ length: concurrency }, () => oneAtATime(run, body, () => sent++ < n)));
}

async function oneAtATime(run: Run, body: string, more: () => boolean): Promise<void> {
  while (more()) {
    const res = await run.pool.request({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200 || text.includes('"errors"')) throw new Error(`query failed: ${text.slice(0, 300)}`);
  }
}

/** Scavenges in V8's trace since `from` (an offset in the output): how many, and the bytes they promoted. */
function scavengesSince(run: Run, from: number): { count: number; promoted: number } {
  let count = 0;
  let promoted = 0;
  for (const line of run.gateway.output().slice(from).split('\n')) {
    if (!/ gc=s /.test(line)) continue;
    count++;
    promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return { count, promoted };
}

async function promotedPerQuery(run: Run, body: string, warmUp: number, n: number, warmUpConcurrency = 1) {
  await queries(run, body, warmUp, warmUpConcurrency);
  const from = run.gateway.output().length;
  await queries(run, body, n);
  const { count, promoted } = scavengesSince(run, from);
  return { count, perQuery: promoted / n };
}

describe('the per-request context', () => {
  let run: Run | undefined;
  // A 1 MB young generation: a scavenge every few dozen queries, so a few seconds of queries give dozens of them.
  beforeAll(async () => void (run = await startGateway(['--max-semi-space-size=1'])), 60_000);
  afterAll(() => stop(run));

  it('keeps no query data alive through young collections: scavenges promote under 4 KB a query', async () => {
    const { count, perQuery } = await promotedPerQuery(run!, W1, 400, 1500);
    // Enough scavenges for the figure to mean something (each query allocates tens of KB).
    expect(count).toBeGreaterThan(10);
    // About 1 KB a query now (what a scavenge finds in flight); with the getter in the context, 12 KB: each query's
    // loaders and the vendor's answer.
    expect(perQuery).toBeLessThan(4096);
  }, 120_000);
});

describe("the start command's V8 flags", () => {
  let run: Run | undefined;
  // V8's own young generation, as `npm start` runs. The warm-up runs 16 queries at once, as load does: that is when
  // V8 sees a query's objects outlive a scavenge and decides to pretenure them. Measured then one query at a time.
  beforeAll(async () => void (run = await startGateway(startFlags())), 60_000);
  afterAll(() => stop(run));

  it('keep no data of queries with dependent vendor calls alive: W2 scavenges promote under 40 KB a query', async () => {
    const { count, perQuery } = await promotedPerQuery(run!, W2, 600, 600, 16);
    expect(count).toBeGreaterThan(10);
    // About 15 KB a query (what a scavenge finds in flight: the young generation is still small here); with
    // pretenuring on, 81 KB: most of each query's vendor answers and mapped rows.
    expect(perQuery).toBeLessThan(40 * 1024);
  }, 120_000);
});
