// `npm run soak -- --minutes N [--concurrency C]`: the gateway on a loopback port against the embedded simulators,
// driven by C workers for N minutes with mixed reads and idempotent mutations on DotZero and the generic MES (creates,
// status transitions and notes updates), while every simulator fault is cycled through, one vendor at a time, with
// the default idempotency TTL (24 h). Then a reconciliation against what the simulators actually carried out (their
// write observers, which see a write even when its answer is lost):
//   - every mutation reported done happened exactly once;
//   - every mutation reported failed (an error without `outcome`) did not happen;
//   - every ambiguous one (`outcome` UNKNOWN or APPLIED) is repeated with its key until it answers, and then
//     happened exactly once.
// Creates and notes updates carry a marker (the order number, the notes) that the vendor's write body holds; a
// transition carries none, so each order's transitions are compared as a sequence: one worker owns an order and
// settles each write before the next, so the targets the vendor applied to it must be exactly the targets reported
// done, in order.
// Prints requests, errors by code, retries, breaker trips and RSS at start (after warm-up) and end. Exits 1 when
// the reconciliation finds anything lost or doubled, or RSS grew by 10% or more.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import type { GatewayConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startSimulatorsFor } from '../src/simulators/index.js';
import { clearFaults, spoilBody, type Faults } from '../src/simulators/harness.js';
import type { SimulatorBase } from '../src/simulators/types.js';
import { createGateway } from '../src/yoga.js';
import { testConfig } from '../test/helpers/gateway.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '8' },
    cycle: { type: 'string', default: '6' },
  },
});
const MINUTES = Number(values.minutes);
const CONCURRENCY = Math.min(64, Math.max(1, Number(values.concurrency)));
const CYCLE_MS = Number(values.cycle) * 1000;
if (!(MINUTES > 0 && MINUTES <= 120)) throw new Error('--minutes must be from 0 to 120');
/**
 * RSS "at start" is taken after a warm-up: one full cycle of every fault when the run is long enough (V8 grows its
 * heap to its working size under the heaviest faults and keeps the pages), else a tenth of the run. Growth after
 * that is what a leak would show.
 */
let WARMUP_MS = MINUTES * 60_000 * 0.1;
/** A repeat of an ambiguous write waits this long first, so a write still being processed by the vendor lands. */
const REPEAT_AFTER_MS = 2_500;

process.env.NODE_ENV = 'production';
const config: GatewayConfig = testConfig({
  production: true,
  graphiql: false,
  upstreamTimeoutMs: 1_500,
  upstreamBreaker: { failures: 8, cooldownMs: 2_000 },
  upstream: {
    defaults: {
      timeoutMs: 1_500,
      headersTimeoutMs: 1_000,
      bodyTimeoutMs: 1_200,
      retries: 2,
      retryBackoffMs: 20,
      retryBackoffMaxMs: 200,
      retryBudgetRatio: 0.2,
      retryBudgetMin: 5,
      retryAfterMaxMs: 1_000,
      maxConcurrent: 16,
      maxQueued: 64,
      maxResponseBytes: 1_000_000,
    },
  },
  metrics: true,
  // The default idempotency TTL (24 h, as deployed): every mutation's outcome stays in memory for the whole run.
});

const sims = await startSimulatorsFor({});
// The simulators' 10 MB body is built once, on first use: build it now, so it is in the starting RSS.
spoilBody('huge', '');
// (the simulators send it from one shared Buffer, made on first use)
const gateway = createGateway({
  config,
  vendors: sims.settings,
  simulated: sims.simulated,
  logger: createLogger(true, 'silent'),
});
const server = createServer(gateway.yoga);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: CONCURRENCY * 2 });

const dz = sims.simulators.DOTZERO!;
const gm = sims.simulators.GENERIC_MES!;
const pb = sims.simulators.PITNEY_BOWES!;

// Ground truth, from the simulators' write observers (a write counts when the vendor carried it out, answer or
// not): how many times each marker was written, and the status targets each order was moved to, in order.
const happened = new Map<string, number>();
const applied = new Map<string, string[]>();
const MARKER = /soak[a-z]?-\d+-\d+/g;
const DZ_STATUS: Record<number, string> = { 1: 'OPEN', 2: 'IN_PROGRESS', 3: 'COMPLETED', 4: 'INCOMPLETE' };
const moved = (order: string, to: string) => applied.set(order, [...(applied.get(order) ?? []), to]);
dz.observeWrites((key, body, _status, path) => {
  for (const m of body.match(MARKER) ?? []) happened.set(m, (happened.get(m) ?? 0) + 1);
  const status = key === 'PATCH /v1/workOrders/:uuid' ? (JSON.parse(body) as { status?: number }).status : undefined;
  if (status !== undefined) moved(`DOTZERO:${decodeURIComponent(path.split('/').pop()!)}`, DZ_STATUS[status] ?? '?');
});
gm.observeWrites((key, body, _status, path) => {
  for (const m of body.match(MARKER) ?? []) happened.set(m, (happened.get(m) ?? 0) + 1);
  const id = decodeURIComponent(/\/work-orders\/([^/]+)/.exec(path)?.[1] ?? '');
  if (key.endsWith('/:id/start')) moved(`GENERIC_MES:${id}`, 'IN_PROGRESS');
  else if (key.endsWith('/:id/complete')) moved(`GENERIC_MES:${id}`, 'COMPLETED');
  else if (key === 'PUT /api/v2/work-orders/:id') {
    const status = (JSON.parse(body) as { status?: string }).status;
    if (status !== undefined) moved(`GENERIC_MES:${id}`, status);
  }
});

interface Order {
  id: string;
  vendor: string;
  vendorId: string;
  status: string;
  allowedTransitions: string[];
}
interface Gql {
  data?: { workOrders?: { edges: { node: Order }[] } } & Record<string, Order | undefined>;
  errors?: {
    message: string;
    extensions?: { code?: string; outcome?: string; currentStatus?: string; allowedTransitions?: string[] };
  }[];
}
let requests = 0;
const errorsByCode = new Map<string, number>();
async function gql(
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Gql> {
  requests++;
  const res = await pool.request({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const json = (await res.body.json()) as Gql;
  for (const e of json.errors ?? []) {
    const code = e.extensions?.code ?? 'NONE';
    errorsByCode.set(code, (errorsByCode.get(code) ?? 0) + 1);
  }
  return json;
}

// Orders to change, split among the workers so no two workers touch one order (a repeat's check reads the order;
// another worker's write in between would make that check wrong). Each worker also owns the orders it creates.
const ORDER = 'id vendor vendorId status allowedTransitions';
const orders: Order[] = [];
for (const vendor of ['DOTZERO', 'GENERIC_MES']) {
  const res = await gql(
    `query($v: [Vendor!]) { workOrders(first: 60, filter: { vendors: $v }) { edges { node { ${ORDER} } } } }`,
    { v: [vendor] },
  );
  if (res.errors) throw new Error(`cannot list ${vendor} orders: ${res.errors[0]!.message}`);
  orders.push(...res.data!.workOrders!.edges.map((e) => e.node));
}

// ---- faults, cycled one vendor at a time
type Step = { name: string; faults?: Faults; action?: (sim: SimulatorBase) => void };
const STEPS: Step[] = [
  { name: 'none' },
  { name: 'latency 300ms', faults: { latencyMs: 300 } },
  { name: 'latency jittered 0-1.5s', faults: { latencyMs: 50, latencyJitterMs: 1_500 } },
  { name: '503 on 30%', faults: { status: 503, errorRate: 0.3 } },
  { name: '502 on 20%', faults: { status: 502, errorRate: 0.2 } },
  { name: '500 on 20%', faults: { status: 500, errorRate: 0.2 } },
  { name: '429 burst, short Retry-After', faults: { burst429: { count: 30, retryAfterSeconds: 0 } } },
  { name: '429 burst, long Retry-After', faults: { burst429: { count: 30, retryAfterSeconds: 30 } } },
  { name: 'reset before body', faults: { resetBeforeBody: true } },
  { name: 'reset after body', faults: { reset: true } },
  { name: 'reset after handling', faults: { resetAfterHandler: true } },
  { name: 'hang', faults: { hang: true } },
  { name: 'hang after handling', faults: { hangAfterHandler: true } },
  { name: 'truncated body', faults: { body: 'truncate' } },
  { name: 'HTML body', faults: { body: 'html' } },
  { name: 'JSON 10,000 deep', faults: { body: 'deep' } },
  { name: '10 MB body', faults: { body: 'huge', errorRate: 0.2 } },
  { name: 'slow drip', faults: { drip: { chunkBytes: 64, intervalMs: 40 } } },
  { name: 'wrong types', faults: { body: 'wrongTypes' } },
  { name: 'unknown statuses', faults: { body: 'unknownStatus' } },
  {
    name: 'token expiry',
    action: (sim) => (sim === dz ? dz.expireAccessTokens() : sim === pb ? pb.expireTokens() : undefined),
  },
  {
    name: 'token revocation',
    action: (sim) => (sim === dz ? dz.revokeAccessTokens() : sim === pb ? pb.revokeTokens() : undefined),
  },
];
if (STEPS.length * CYCLE_MS * 3 <= MINUTES * 60_000) WARMUP_MS = STEPS.length * CYCLE_MS;
const VENDOR_SIMS: [string, SimulatorBase][] = [
  ['DOTZERO', dz],
  ['GENERIC_MES', gm],
  ['PITNEY_BOWES', pb],
];
const faultsApplied = new Map<string, number>();
let step = 0;
function nextFault() {
  for (const [, sim] of VENDOR_SIMS) clearFaults(sim.faults);
  const s = STEPS[step % STEPS.length]!;
  const [vendor, sim] = VENDOR_SIMS[Math.floor(step / STEPS.length + step) % VENDOR_SIMS.length]!;
  step++;
  // The 10 MB body is only for reads: spoiling every answer with it would measure the simulator, not the gateway.
  if (s.faults)
    Object.assign(
      sim.faults,
      s.faults,
      s.faults.body === 'huge' ? { only: ['GET /api/v2/work-orders', 'GET /v1/workOrders/'] } : {},
    );
  s.action?.(sim);
  faultsApplied.set(s.name, (faultsApplied.get(s.name) ?? 0) + 1);
  return `${s.name} on ${vendor}`;
}

// ---- workload
const READS = [
  `{ workOrders(first: 20) { edges { node { id vendor status } } } }`,
  `{ workOrders(first: 10, filter: { vendors: [DOTZERO] }) { edges { node { id status allowedTransitions } } } }`,
  `{ workOrders(first: 10, filter: { vendors: [GENERIC_MES] }) { edges { node { id customer } } } }`,
  `{ workOrders(first: 10, filter: { vendors: [PITNEY_BOWES] }) { edges { node { id status } } } }`,
  `{ vendors { vendor health { state breaker errorRate } } }`,
];
const UPDATE = `mutation($id: ID!, $notes: String!) { updateWorkOrder(id: $id, input: { notes: $notes }) { ${ORDER} } }`;
const TRANSITION = `mutation($id: ID!, $to: WorkOrderStatus!) { transitionWorkOrder(id: $id, to: $to) { ${ORDER} } }`;
const CREATE = `mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { ${ORDER} } }`;

type Outcome = 'done' | 'failed' | 'ambiguous';
interface Mutation {
  kind: 'notes' | 'transition' | 'create';
  /** What the vendor's write body holds (notes, order number); none for a transition. */
  marker: string | undefined;
  /** `VENDOR:vendorId` and the target, for a transition. */
  order: string | undefined;
  to: string | undefined;
  first: Outcome;
  /** The first answer's error codes, for the report. */
  codes: string;
  final: Outcome;
  repeats: number;
  /** The same mutation with the same key. */
  send: () => Promise<Gql>;
  /** Told the order as the (first or repeated) answer shows it. */
  settled: (order: Order) => void;
}
const mutations: Mutation[] = [];
const deadline = Date.now() + MINUTES * 60_000;
let stopping = false;

const classify = (res: Gql): Outcome => {
  if (!res.errors) return 'done';
  return res.errors.some((e) => e.extensions?.outcome === 'UNKNOWN' || e.extensions?.outcome === 'APPLIED')
    ? 'ambiguous'
    : 'failed';
};

const answered = (res: Gql): Order | undefined =>
  Object.values(res.data ?? {}).find((v): v is Order => v !== undefined && v !== null && 'vendorId' in v);

/** Repeats an ambiguous write with its key until it answers (faults stop at the end, so it will). */
async function resolve(m: Mutation) {
  while (m.final === 'ambiguous') {
    await new Promise((r) => setTimeout(r, REPEAT_AFTER_MS));
    m.repeats++;
    const res = await m.send();
    const order = answered(res);
    if (!res.errors && order) {
      m.final = 'done';
      m.settled(order);
    } else if (m.repeats > 200)
      throw new Error(`${m.marker ?? m.order} unresolved after 200 repeats: ${res.errors?.[0]?.message}`);
  }
}

async function worker(w: number) {
  const mine = orders.filter((_, i) => i % CONCURRENCY === w);
  let n = 0;
  while (!stopping && Date.now() < deadline) {
    if (Math.random() < 0.6 || mine.length === 0) {
      await gql(READS[Math.floor(Math.random() * READS.length)]!);
      continue;
    }
    const key = `soak-${w}-${n++}`;
    const headers = { 'idempotency-key': key };
    const r = Math.random();
    const movable = mine.filter((o) => o.allowedTransitions.length > 0);
    let m: Omit<Mutation, 'first' | 'final' | 'codes' | 'repeats'>;
    if (r < 0.2) {
      // A create: the order number is the marker; a created order joins this worker's orders.
      const vendor = n % 2 === 0 ? 'DOTZERO' : 'GENERIC_MES';
      const marker = `soakc-${w}-${n}`;
      const input = {
        vendor,
        orderNumber: marker,
        quantity: 5,
        ...(vendor === 'GENERIC_MES' ? { product: 'Widget A' } : {}),
      };
      m = {
        kind: 'create',
        marker,
        order: undefined,
        to: undefined,
        send: () => gql(CREATE, { input }, headers),
        settled: (o) => void mine.push(o),
      };
    } else if (r < 0.6 && movable.length > 0) {
      const order = movable[Math.floor(Math.random() * movable.length)]!;
      const to = order.allowedTransitions[Math.floor(Math.random() * order.allowedTransitions.length)]!;
      m = {
        kind: 'transition',
        marker: undefined,
        order: `${order.vendor}:${order.vendorId}`,
        to,
        send: () => gql(TRANSITION, { id: order.id, to }, headers),
        settled: (o) => Object.assign(order, o),
      };
    } else {
      const order = mine[n % mine.length]!;
      m = {
        kind: 'notes',
        marker: key,
        order: undefined,
        to: undefined,
        send: () => gql(UPDATE, { id: order.id, notes: key }, headers),
        settled: (o) => Object.assign(order, o),
      };
    }
    const res = await m.send();
    const first = classify(res);
    const mutation: Mutation = {
      ...m,
      first,
      final: first,
      repeats: 0,
      codes: `${(res.errors ?? []).map((e) => e.extensions?.code).join(',')} during "${current}"`,
    };
    mutations.push(mutation);
    const order = answered(res);
    if (first === 'done' && order) m.settled(order);
    // A refused move says where the order stands.
    const refused = res.errors?.find((e) => e.extensions?.code === 'INVALID_STATE_TRANSITION')?.extensions;
    if (refused && m.kind === 'transition') {
      const o = mine.find((x) => `${x.vendor}:${x.vendorId}` === m.order);
      if (o) Object.assign(o, { status: refused.currentStatus, allowedTransitions: refused.allowedTransitions ?? [] });
    }
    // The next write to this worker's orders waits for this one to be settled (see the order split above).
    if (first === 'ambiguous') await resolve(mutation);
  }
}

const rss = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
};
const mem = () => {
  const m = process.memoryUsage();
  return `rss=${(m.rss / 1e6).toFixed(0)}MB heap=${(m.heapUsed / 1e6).toFixed(0)}MB external=${(m.external / 1e6).toFixed(0)}MB`;
};
const started = Date.now();
console.log(
  `soak: ${MINUTES} min, ${CONCURRENCY} workers, a new fault every ${CYCLE_MS / 1000}s, ${orders.length} orders to start with`,
);
let current = nextFault();
const cycler = setInterval(() => {
  current = nextFault();
}, CYCLE_MS);
let rssStart = 0;
const warm = setTimeout(() => {
  rssStart = rss();
  console.log(`  memory after warm-up and gc: ${mem()}`);
}, WARMUP_MS);
const progress = setInterval(
  () => {
    const h = gateway.health.health();
    console.log(
      `  ${Math.round((Date.now() - started) / 1000)}s requests=${requests} mutations=${mutations.length} fault="${current}" ${mem()} ` +
        h.map((v) => `${v.vendor}:${v.state}/${v.breaker}`).join(' '),
    );
  },
  Number(process.env.SOAK_PROGRESS_MS ?? 30_000),
);

await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
clearInterval(cycler);
clearInterval(progress);
clearTimeout(warm);
for (const [, sim] of VENDOR_SIMS) clearFaults(sim.faults);
stopping = true;
// Settle: anything still ambiguous is repeated now that the vendors behave; writes held by hung or slow answers land.
await Promise.all(mutations.filter((m) => m.final === 'ambiguous').map(resolve));
await new Promise((r) => setTimeout(r, REPEAT_AFTER_MS));
const rssEnd = rss();
console.log(`memory after gc: ${mem()}`);
if (rssStart === 0) rssStart = rssEnd;

// ---- reconciliation
const problems: string[] = [];
for (const m of mutations) {
  if (m.marker === undefined) continue;
  const times = happened.get(m.marker) ?? 0;
  if (m.final === 'done' && times !== 1)
    problems.push(
      `${m.kind} ${m.marker} reported done (first: ${m.first} ${m.codes}, ${m.repeats} repeats) but happened ${times} times`,
    );
  if (m.final === 'failed' && times !== 0)
    problems.push(`${m.kind} ${m.marker} reported failed (${m.codes}) but happened ${times} times`);
}
// Transitions, order by order: the targets the vendor applied are the targets reported done, in the same order.
const reported = new Map<string, string[]>();
for (const m of mutations)
  if (m.kind === 'transition' && m.final === 'done') reported.set(m.order!, [...(reported.get(m.order!) ?? []), m.to!]);
for (const order of new Set([...reported.keys(), ...applied.keys()])) {
  const want = (reported.get(order) ?? []).join('>');
  const got = (applied.get(order) ?? []).join('>');
  if (want !== got)
    problems.push(`transitions of ${order}: reported done ${want || '(none)'}, the vendor applied ${got || '(none)'}`);
}
const count = (f: (m: Mutation) => boolean) => mutations.filter(f).length;
const h = gateway.health.health();
const growth = (rssEnd - rssStart) / rssStart;

console.log('\n== soak result');
console.log(`duration            ${((Date.now() - started) / 60_000).toFixed(1)} min, ${CONCURRENCY} workers`);
console.log(`requests            ${requests}`);
console.log(
  `errors by code      ${
    [...errorsByCode]
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c}=${n}`)
      .join(' ') || 'none'
  }`,
);
console.log(`upstream calls      ${h.map((v) => `${v.vendor}=${v.calls}`).join(' ')}`);
console.log(
  `retries             ${h.reduce((n, v) => n + v.retries, 0)} (${h.map((v) => `${v.vendor}=${v.retries}`).join(' ')})`,
);
console.log(
  `breaker trips       ${h.reduce((n, v) => n + v.breakerTrips, 0)} (${h.map((v) => `${v.vendor}=${v.breakerTrips}`).join(' ')})`,
);
console.log(`bulkhead refusals   ${h.reduce((n, v) => n + v.bulkheadRejections, 0)}`);
console.log(`faults applied      ${faultsApplied.size} kinds, ${step} windows`);
console.log(
  `mutations           ${mutations.length}: done ${count((m) => m.first === 'done')}, failed ${count((m) => m.final === 'failed')}, ambiguous ${count((m) => m.first === 'ambiguous')} (all resolved: ${count((m) => m.first === 'ambiguous' && m.final === 'done')} done by their repeat)`,
);
for (const kind of ['create', 'transition', 'notes'] as const) {
  const of = mutations.filter((m) => m.kind === kind);
  console.log(
    `  ${`${kind === 'notes' ? 'notes updates' : `${kind}s`}`.padEnd(18)}${of.length}: done ${of.filter((m) => m.first === 'done').length}, failed ${of.filter((m) => m.final === 'failed').length}, ambiguous ${of.filter((m) => m.first === 'ambiguous').length} (${of.filter((m) => m.first === 'ambiguous' && m.final === 'done').length} resolved done)`,
  );
}
console.log(
  `  vendor writes     ${[...happened.values()].reduce((a, b) => a + b, 0)} marked, ${[...applied.values()].reduce((a, b) => a + b.length, 0)} transitions applied`,
);
console.log(
  `reconciliation      ${problems.length === 0 ? 'OK: nothing lost, nothing doubled' : `${problems.length} PROBLEMS`}`,
);
for (const p of problems.slice(0, 20)) console.log(`  ${p}`);
console.log(
  `rss                 start ${(rssStart / 1e6).toFixed(1)} MB (after ${Math.round(WARMUP_MS / 1000)}s warm-up), end ${(rssEnd / 1e6).toFixed(1)} MB, growth ${(growth * 100).toFixed(1)}%`,
);

await pool.close();
server.closeAllConnections();
server.close();
await gateway.close();
await sims.close();
process.exit(problems.length > 0 || growth >= 0.1 ? 1 : 0);
