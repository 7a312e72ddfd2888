// Two gateway replicas against one real Redis (started here on a free port): what a client relies on is not split
// between them. Vendor writes are counted at the simulators.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import { GENERIC_MES_WEBHOOK_PATH } from '../../src/events/webhook-route.js';
import { UpstreamError } from '../../src/domain/errors.js';
import { RedisIdempotencyStore } from '../../src/shared/idempotency.js';
import type { SharedRedis } from '../../src/shared/redis.js';
import { clearFaults } from '../../src/simulators/harness.js';
import type { AfterFailure, VerifyFacts } from '../../src/writes/idempotency.js';
import { signBody } from '../../src/vendors/generic-mes/webhooks.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import {
  startCluster,
  startReplica,
  sseSubscribe,
  ticketSubscribe,
  wsSubscribe,
  type Cluster,
  type Replica,
} from '../helpers/replicas.js';

const ALL: GatewayClient = {
  name: 'all',
  apiKey: 'all-key-0123456789abcdef',
  role: 'frontend',
  scopes: ['workorders:read', 'workorders:write'],
  rateLimitPerMinute: 100_000,
};
const LIMITED: GatewayClient = {
  ...ALL,
  name: 'limited',
  apiKey: 'limited-key-0123456789abcdef',
  scopes: ['workorders:read'],
  rateLimitPerMinute: 4,
};
const OTHER: GatewayClient = { ...ALL, name: 'other-writer', apiKey: 'other-writer-key-0123456789abcdef' };
const SECRET = 'whsec-replicas-0123456789abcdef';
const key = { 'x-api-key': ALL.apiKey };
const START = 'POST /api/v2/work-orders/:id/start';
const SUBSCRIPTION =
  'subscription { workOrderChanged { kind source changedFields order { vendor vendorId status completedQuantity } } }';

let redis: TestRedis;
let cluster: Cluster;
let A: Replica;
let B: Replica;

beforeAll(async () => {
  redis = await startTestRedis();
  cluster = await startCluster(2, {
    clients: [ALL, LIMITED, OTHER],
    genericMesWebhookSecret: SECRET,
    redisUrl: redis.url,
  });
  [A, B] = cluster.replicas as [Replica, Replica];
});

afterAll(async () => {
  await cluster?.close();
  await redis?.close();
});

let taken = 0;
/** A generic MES order in OPEN that no earlier test has used. */
async function openOrder(): Promise<string> {
  const res = await A.query(
    `{ workOrders(first: 30, filter: { vendors: [GENERIC_MES], statuses: [OPEN] }) { edges { node { id } } } }`,
    undefined,
    key,
  );
  return res.body.data!.workOrders.edges[taken++].node.id;
}

const start = (r: Replica, id: string, idempotencyKey?: string) =>
  r.query(
    'mutation($id: ID!, $k: String) { startWorkOrder(id: $id, idempotencyKey: $k) { status } }',
    { id, k: idempotencyKey ?? null },
    key,
  );

const codesOf = (res: { body: { errors?: { extensions?: Record<string, any> }[] } }) =>
  (res.body.errors ?? []).map((e) => e.extensions?.code);

describe('writes across replicas', () => {
  it('an idempotency key used on A and repeated on B makes one vendor write, and B answers the first outcome', async () => {
    const id = await openOrder();
    cluster.gmes.resetCounts();
    const first = await start(A, id, 'key-a-then-b');
    const again = await start(B, id, 'key-a-then-b');
    expect(first.body.errors).toBeUndefined();
    expect(again.body.data).toEqual(first.body.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(cluster.gmes.count(START)).toBe(1);
  });

  it("an idempotency key is its caller's own: the same key from another client on B is a new write, not a replay", async () => {
    const [mine, theirs] = [await openOrder(), await openOrder()];
    cluster.gmes.resetCounts();
    const first = await start(A, mine, 'key-per-caller');
    const other = await B.query(
      'mutation($id: ID!, $k: String) { startWorkOrder(id: $id, idempotencyKey: $k) { status } }',
      { id: theirs, k: 'key-per-caller' },
      { 'x-api-key': OTHER.apiKey },
    );
    expect(first.body.errors).toBeUndefined();
    expect(other.body.errors).toBeUndefined();
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(cluster.gmes.count(START)).toBe(2);
    expect(await redis.client().exists('mesgw:idem:key:all:key-per-caller')).toBe(1);
    expect(await redis.client().exists('mesgw:idem:key:other-writer:key-per-caller')).toBe(1);
  });

  it('the same key racing on both replicas makes one write and one IDEMPOTENCY_CONFLICT', async () => {
    const id = await openOrder();
    cluster.gmes.resetCounts();
    cluster.gmes.faults.latencyMs = 150;
    try {
      const answers = await Promise.all([start(A, id, 'key-race'), start(B, id, 'key-race')]);
      expect(answers.map(codesOf).flat().sort()).toEqual(['IDEMPOTENCY_CONFLICT']);
    } finally {
      cluster.gmes.faults.latencyMs = undefined;
    }
    expect(cluster.gmes.count(START)).toBe(1);
  });

  it('two replicas moving the same order at once make one vendor write; the other sees the new state', async () => {
    const id = await openOrder();
    cluster.gmes.resetCounts();
    cluster.gmes.faults.latencyMs = 100;
    let answers;
    try {
      answers = await Promise.all([start(A, id), start(B, id)]);
    } finally {
      cluster.gmes.faults.latencyMs = undefined;
    }
    expect(answers.map(codesOf).flat()).toEqual(['INVALID_STATE_TRANSITION']);
    expect(cluster.gmes.count(START)).toBe(1);
  });
});

describe('a write whose outcome was unknown, repeated on the other replica', () => {
  const CREATE = 'POST /api/v2/work-orders';
  const create = (r: Replica, input: Record<string, unknown>, idempotencyKey: string) =>
    r.query(
      'mutation($input: CreateWorkOrderInput!, $k: String) { createWorkOrder(input: $input, idempotencyKey: $k) { id orderNumber quantity notes } }',
      { input, k: idempotencyKey },
      key,
    );
  /** Counts the vendor's successful answers to `route`: what it carried out, whatever the gateway heard. */
  const applied = (route: string) => {
    const seen = { n: 0 };
    cluster.gmes.observeWrites((k, _body, status) => {
      if (k === route && status < 300) seen.n++;
    });
    return seen;
  };
  afterEach(() => {
    clearFaults(cluster.gmes.faults);
    cluster.gmes.observeWrites(undefined);
  });

  it('a start cut off after the vendor acted: UNKNOWN on A; the repeat on B reads the vendor and answers the started order, one vendor write', async () => {
    const id = await openOrder();
    cluster.gmes.resetCounts();
    const done = applied(START);
    Object.assign(cluster.gmes.faults, { resetAfterHandler: true, only: [START] });
    const first = await start(A, id, 'key-unknown-done');
    expect(first.body.errors![0]!.extensions).toMatchObject({ vendor: 'GENERIC_MES', outcome: 'UNKNOWN' });
    expect(done.n).toBe(1);
    clearFaults(cluster.gmes.faults);
    const again = await start(B, id, 'key-unknown-done');
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data).toEqual({ startWorkOrder: { status: 'IN_PROGRESS' } });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // A third time, on A: the verified result is the key's record now.
    const third = await start(A, id, 'key-unknown-done');
    expect(third.body.data).toEqual(again.body.data);
    expect(cluster.gmes.count(START)).toBe(1);
    expect(done.n).toBe(1);
  });

  it('a start cut off before the vendor handled it: UNKNOWN on A; the repeat on B finds it not done and sends it exactly once', async () => {
    const id = await openOrder();
    cluster.gmes.resetCounts();
    const done = applied(START);
    Object.assign(cluster.gmes.faults, { reset: true, only: [START] });
    const first = await start(A, id, 'key-unknown-not-done');
    expect(first.body.errors![0]!.extensions).toMatchObject({ vendor: 'GENERIC_MES', outcome: 'UNKNOWN' });
    expect(done.n).toBe(0);
    clearFaults(cluster.gmes.faults);
    const again = await start(B, id, 'key-unknown-not-done');
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data).toEqual({ startWorkOrder: { status: 'IN_PROGRESS' } });
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect((await start(A, id, 'key-unknown-not-done')).body.data).toEqual(again.body.data);
    // The cut request and the repeat's: two sent, one carried out.
    expect(cluster.gmes.count(START)).toBe(2);
    expect(done.n).toBe(1);
  });

  it('a create cut off after the vendor created it: UNKNOWN on A; the repeat on B finds the order by its number, created once', async () => {
    const input = {
      vendor: 'GENERIC_MES',
      orderNumber: 'AMB-REPLICAS-1',
      quantity: 7,
      notes: 'ambiguous',
      product: 'Widget A',
    };
    cluster.gmes.resetCounts();
    const done = applied(CREATE);
    Object.assign(cluster.gmes.faults, { resetAfterHandler: true, only: [CREATE] });
    const first = await create(A, input, 'key-unknown-create');
    expect(first.body.errors![0]!.extensions).toMatchObject({ vendor: 'GENERIC_MES', outcome: 'UNKNOWN' });
    clearFaults(cluster.gmes.faults);
    const again = await create(B, input, 'key-unknown-create');
    expect(again.body.errors, JSON.stringify(again.body.errors)).toBeUndefined();
    expect(again.body.data!.createWorkOrder).toMatchObject({ orderNumber: 'AMB-REPLICAS-1', quantity: 7 });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(cluster.gmes.count(CREATE)).toBe(1);
    expect(done.n).toBe(1);
  });
});

describe('the Redis idempotency store, two replicas repeating one UNKNOWN write at once', () => {
  it('both read the kept record, yet only one verifies (the record moves to running by compare-and-set): the other is told IN_PROGRESS, and the write is not run again', async () => {
    // A's commands after its read are held until B has read the same record and finished: the window in which two
    // repeats could both take the key if the move to running were not atomic.
    let reachedA!: () => void;
    const atA = new Promise<void>((r) => (reachedA = r));
    let releaseA!: () => void;
    const heldA = new Promise<void>((r) => (releaseA = r));
    const plain = redis.client();
    const gated = new Proxy(plain, {
      get(target, prop, receiver) {
        if (prop === 'eval' || prop === 'set')
          return async (...args: unknown[]) => {
            if (prop === 'eval' || !args.includes('NX')) {
              reachedA();
              await heldA;
            }
            return (target as any)[prop](...args);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const store = (client: unknown) =>
      new RedisIdempotencyStore({ client, prefix: 'mesgw:race:' } as unknown as SharedRedis);
    const [onA, onB] = [store(gated), store(plain)];
    let writes = 0;
    const write = async () => {
      writes++;
      throw new UpstreamError('GENERIC_MES', 'unavailable', 'connection lost after sending');
    };
    const unknown = (): AfterFailure => ({ action: 'verify', facts: { to: 'IN_PROGRESS' } });
    await expect(onB.run('k', 'fp', write, unknown)).rejects.toThrow('connection lost');
    let checks = 0;
    const verifier = (facts: VerifyFacts) => async () => {
      checks++;
      return { done: true as const, value: `found ${String(facts.to)}` };
    };
    const first = onA.run('k', 'fp', write, unknown, undefined, verifier).catch((e: unknown) => e);
    await atA;
    const second = await onB.run('k', 'fp', write, unknown, undefined, verifier);
    releaseA();
    expect(second).toBe('found IN_PROGRESS');
    expect(await first).toMatchObject({ name: 'IdempotencyError', reason: 'IN_PROGRESS' });
    expect(checks).toBe(1);
    // The verified result is the key's record now, for either replica.
    expect(await onA.run('k', 'fp', write, unknown, undefined, verifier)).toBe('found IN_PROGRESS');
    expect(checks).toBe(1);
    expect(writes).toBe(1);
  });
});

describe('shared limits and registrations', () => {
  it('a rate limit holds across both replicas: four operations a minute in all, the fifth refused wherever it lands', async () => {
    const ask = (r: Replica) => r.query('{ vendors { vendor } }', undefined, { 'x-api-key': LIMITED.apiKey });
    const answers = [await ask(A), await ask(B), await ask(A), await ask(B)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    cluster.sims.simulators.DOTZERO!.resetCounts();
    const refusedA = await ask(A);
    const refusedB = await ask(B);
    expect([codesOf(refusedA), codesOf(refusedB)]).toEqual([['RATE_LIMITED'], ['RATE_LIMITED']]);
    expect(refusedA.status).toBe(429);
  });

  it('an automatic persisted query registered on A answers by its hash on B', async () => {
    const query = '{ vendors { vendor simulated } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await (await B.post({ extensions }, key)).json();
    expect(unknown.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await (await A.post({ query, extensions }, key)).json();
    expect(registered.errors).toBeUndefined();
    const byHash = await (await B.post({ extensions }, key)).json();
    expect(byHash).toEqual(registered);
  });
});

async function untilSubscribed(r: Replica, n: number) {
  for (let i = 0; i < 300 && r.gateway.changes.subscriberCount() !== n; i++)
    await new Promise((x) => setTimeout(x, 10));
  expect(r.gateway.changes.subscriberCount()).toBe(n);
}

describe('live updates across replicas', () => {
  it('an SSE subscriber on A and a WebSocket subscriber on B each get every change once: webhook to B, poll, mutation on A', async () => {
    // The first round of polling learns the orders (whichever replica holds the lease).
    await Promise.all([A.gateway.poller.pollOnce(), B.gateway.poller.pollOnce()]);
    const sse = await sseSubscribe(A.origin, SUBSCRIPTION, {}, key);
    const ws = await wsSubscribe(B.origin, SUBSCRIPTION, {}, { apiKey: ALL.apiKey });
    await untilSubscribed(A, 1);
    await untilSubscribed(B, 1);

    // 1. A signed webhook delivered to B.
    const order = (await (
      await fetch(`${cluster.gmes.apiUrl}/work-orders?status=IN_PROGRESS&limit=1`, {
        headers: { authorization: `Bearer ${cluster.gmes.apiKey}` },
      })
    ).json()) as { data: Record<string, unknown>[] };
    const data = { ...order.data[0]!, completedQuantity: 4242 };
    const raw = JSON.stringify({
      id: 'dlv-replicas-1',
      type: 'work_order.updated',
      createdAt: new Date().toISOString(),
      data,
    });
    const hook = await fetch(`${B.origin}${GENERIC_MES_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-mes-signature': signBody(SECRET, raw),
        'x-mes-delivery': 'dlv-replicas-1',
        'x-mes-timestamp': String(Math.floor(Date.now() / 1000)),
      },
      body: raw,
    });
    expect(hook.status).toBe(202);
    // The same delivery again, to A this time: a replay across replicas.
    const replay = await fetch(`${A.origin}${GENERIC_MES_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-mes-signature': signBody(SECRET, raw),
        'x-mes-delivery': 'dlv-replicas-1',
        'x-mes-timestamp': String(Math.floor(Date.now() / 1000)),
      },
      body: raw,
    });
    expect(replay.status).toBe(409);

    // 2. A DotZero change, polled by both replicas: only the lease holder reads DotZero.
    const dz = cluster.dotzero.changeOrder();
    const held = await Promise.all([A.gateway.poller.pollOnce(), B.gateway.poller.pollOnce()]);
    expect(held.filter(Boolean)).toHaveLength(1);

    // 3. A mutation on A.
    const id = await openOrder();
    const started = await start(A, id);
    expect(started.body.errors).toBeUndefined();

    await sse.waitFor(3);
    await ws.waitFor(3);
    // A marker after everything: what was going to arrive has arrived.
    cluster.pb.changeOrder();
    await Promise.all([A.gateway.poller.pollOnce(), B.gateway.poller.pollOnce()]);
    await sse.waitFor(4);
    await ws.waitFor(4);
    for (const c of [sse, ws]) {
      const got = c.results.map((r) => r.data!.workOrderChanged);
      expect(got).toHaveLength(4);
      expect(got.map((g: { source: string }) => g.source).slice(0, 2)).toEqual(['WEBHOOK', 'POLL']);
      expect(got[0].order.completedQuantity).toBe(4242);
      expect(got[1].order).toMatchObject({ vendor: 'DOTZERO', vendorId: dz });
      expect(got[2]).toMatchObject({ order: { vendor: 'GENERIC_MES', status: 'IN_PROGRESS' } });
      expect(got[3].order.vendor).toBe('PITNEY_BOWES');
    }
    await Promise.all([sse.close(), ws.close()]);
  });

  it('a subscription ticket bought on A opens an EventSource stream on B, once; the stream gets a mutation on A', async () => {
    const bought = await A.query('mutation { createSubscriptionTicket { ticket } }', undefined, key);
    const ticket = bought.body.data!.createSubscriptionTicket.ticket as string;
    const stream = await ticketSubscribe(B.origin, { ticket, query: SUBSCRIPTION });
    expect(stream.status).toBe(200);
    await untilSubscribed(B, 1);
    const reused = await ticketSubscribe(A.origin, { ticket, query: SUBSCRIPTION });
    expect(reused.status).toBe(401);
    expect(reused.results[0]!.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(A.gateway.changes.subscriberCount()).toBe(0);
    const id = await openOrder();
    expect((await start(A, id)).body.errors).toBeUndefined();
    await stream.waitFor(1);
    expect(stream.results[0]!.data!.workOrderChanged).toMatchObject({
      source: 'MUTATION',
      order: { vendor: 'GENERIC_MES', status: 'IN_PROGRESS' },
    });
    // Nothing about the ticket is left in Redis, and nothing in it is the ticket itself.
    const left = await redis.client().keys('mesgw:ticket:*');
    expect(left).toEqual([]);
    await stream.close();
    await untilSubscribed(B, 0);
  });

  it('when the lease holder dies, polling resumes on the other replica', async () => {
    // A third and fourth replica, so A and B stay up for the other tests.
    const C = await startReplica(cluster.sims, { clients: [ALL], redisUrl: redis.url });
    const D = await startReplica(cluster.sims, { clients: [ALL], redisUrl: redis.url });
    try {
      await redis.client().del('mesgw:lease:poll');
      expect(await C.gateway.poller.pollOnce()).toBe(true);
      expect(await D.gateway.poller.pollOnce()).toBe(false);
      await C.crash();
      let took = false;
      // The lease runs out (1 s when polling is driven by hand) and D takes it.
      for (let i = 0; i < 100 && !took; i++) {
        took = await D.gateway.poller.pollOnce();
        if (!took) await new Promise((r) => setTimeout(r, 50));
      }
      expect(took).toBe(true);
      const sub = await sseSubscribe(D.origin, SUBSCRIPTION, {}, key);
      await untilSubscribed(D, 1);
      const pbId = cluster.pb.changeOrder();
      // The roster of DotZero's orders lives in Redis too: D notices a deletion against what C (and A, B) read.
      const goneId = cluster.dotzero.deleteOrder();
      expect(await D.gateway.poller.pollOnce()).toBe(true);
      await sub.waitFor(2);
      const got = sub.results.map((r) => r.data!.workOrderChanged);
      expect(got).toHaveLength(2);
      expect(got).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'UPDATED', order: expect.objectContaining({ vendorId: pbId }) }),
          expect.objectContaining({
            kind: 'DELETED',
            source: 'POLL',
            order: expect.objectContaining({ vendor: 'DOTZERO', vendorId: goneId }),
          }),
        ]),
      );
      await sub.close();
    } finally {
      await C.close();
      await D.close();
    }
  });
});

describe('start-up', () => {
  it('a Redis that cannot be reached is a start-up error naming REDIS_URL (and not its value)', async () => {
    const { startGateway } = await import('../../src/yoga.js');
    const { testConfig, silentLogger } = await import('../helpers/gateway.js');
    const url = 'redis://user:s3cret@127.0.0.1:1';
    await expect(
      startGateway({ config: testConfig({ redisUrl: url }), vendors: cluster.sims.settings, logger: silentLogger }),
    ).rejects.toThrow(/REDIS_URL/);
    await startGateway({
      config: testConfig({ redisUrl: url }),
      vendors: cluster.sims.settings,
      logger: silentLogger,
    }).catch((err: Error) => {
      expect(err.message).not.toContain('s3cret');
    });
  });
});

describe('one vendor session for all replicas', () => {
  it("200 concurrent queries over two replicas with DotZero's token expired make exactly one refresh call", async () => {
    await redis.client().del('mesgw:token:dotzero:' + cluster.dotzero.tenantId);
    // Both replicas use one `.dotzero/` folder (as two processes on one host would): the new token goes back there.
    const dir = mkdtempSync(join(tmpdir(), 'dotzero-replicas-'));
    writeFileSync(join(dir, 'credentials.json'), JSON.stringify({ token: 'old', email: 'ops@acme.test' }));
    // Nothing here is about time: deadlines generous enough for 200 queries on a loaded 2-core machine.
    const fresh = await startCluster(
      2,
      { clients: [ALL], redisUrl: redis.url, upstreamTimeoutMs: 20_000 },
      { dotzeroExpired: true, dotzeroConfigDir: dir },
    );
    try {
      const [X, Y] = fresh.replicas as [Replica, Replica];
      const q = '{ workOrders(first: 1, filter: { vendors: [DOTZERO] }) { edges { node { id } } } }';
      const answers = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 ? X : Y).query(q, undefined, key)),
      );
      expect(answers.filter((a) => a.body.errors !== undefined)).toEqual([]);
      expect(fresh.dotzero.refreshCalls()).toBe(1);
      const shared = JSON.parse((await redis.client().get('mesgw:token:dotzero:' + fresh.dotzero.tenantId))!);
      const saved = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8'));
      expect(`Bearer ${saved.token}`).toBe(shared.header);
      expect(saved.email).toBe('ops@acme.test');
    } finally {
      await fresh.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('100 concurrent Pitney Bowes queries over two fresh replicas fetch one OAuth token, shared through Redis', async () => {
    for (const k of await redis.client().keys('mesgw:token:pitney-bowes:*')) await redis.client().del(k);
    const fresh = await startCluster(2, { clients: [ALL], redisUrl: redis.url, upstreamTimeoutMs: 20_000 });
    try {
      const [X, Y] = fresh.replicas as [Replica, Replica];
      const q = '{ workOrders(first: 1, filter: { vendors: [PITNEY_BOWES] }) { edges { node { id } } } }';
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, i) => (i % 2 ? X : Y).query(q, undefined, key)),
      );
      expect(answers.filter((a) => a.body.errors !== undefined)).toEqual([]);
      expect(fresh.pb.tokenCalls()).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('Redis lost while serving', () => {
  it('refuses writes that need a claim (nothing sent), keeps reads working, and recovers when Redis is back', async () => {
    const id = await openOrder();
    // A subscriber on A from before the outage: after it, a change made on B still reaches it, once.
    const sub = await sseSubscribe(A.origin, SUBSCRIPTION, {}, key);
    await untilSubscribed(A, 1);
    const listed = (await (
      await fetch(`${cluster.gmes.apiUrl}/work-orders?status=IN_PROGRESS&limit=1`, {
        headers: { authorization: `Bearer ${cluster.gmes.apiKey}` },
      })
    ).json()) as { data: Record<string, unknown>[] };
    await redis.stop();
    try {
      cluster.gmes.resetCounts();
      expect(await (await fetch(`${A.origin}/ready`)).json()).toMatchObject({
        status: 'ready',
        degraded: true,
        sharedState: 'unavailable',
      });
      const refused = await start(A, id, 'key-during-outage');
      expect(codesOf(refused)).toEqual(['SHARED_STATE_UNAVAILABLE']);
      // Without a key the write still needs the cross-replica lock: refused too, never sent.
      const unlocked = await start(B, id);
      expect(codesOf(unlocked)).toEqual(['SHARED_STATE_UNAVAILABLE']);
      expect(cluster.gmes.count(START)).toBe(0);
      const read = await B.query('query($id: ID!) { workOrder(id: $id) { status } }', { id }, key);
      expect(read.body.errors).toBeUndefined();
      expect(read.body.data!.workOrder.status).toBe('OPEN');
      // The limiter falls back to each replica's own window: the limited client is served again (its shared window
      // is out of reach), up to its limit, then refused.
      const limited = [];
      for (let i = 0; i < 5; i++)
        limited.push((await A.query('{ vendors { vendor } }', undefined, { 'x-api-key': LIMITED.apiKey })).status);
      expect(limited).toEqual([200, 200, 200, 200, 429]);
      // A webhook cannot claim its delivery id: 503, so the vendor retries it later; nothing is published.
      const raw = JSON.stringify({
        id: 'dlv-outage',
        type: 'work_order.updated',
        createdAt: new Date().toISOString(),
        data: { ...listed.data[0], completedQuantity: 31337 },
      });
      const hook = await fetch(`${A.origin}${GENERIC_MES_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-mes-signature': signBody(SECRET, raw),
          'x-mes-delivery': 'dlv-outage',
          'x-mes-timestamp': String(Math.floor(Date.now() / 1000)),
        },
        body: raw,
      });
      expect(hook.status).toBe(503);
      // No subscription ticket either: one only this replica knew would fail on the other.
      const ticket = await B.query('mutation { createSubscriptionTicket { ticket } }', undefined, key);
      expect(codesOf(ticket)).toEqual(['SHARED_STATE_UNAVAILABLE']);
      expect(sub.results).toEqual([]);
    } finally {
      await redis.start();
    }
    // ioredis reconnects by itself.
    for (let i = 0; i < 100 && !(A.gateway.redis!.up() && B.gateway.redis!.up()); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await (await fetch(`${A.origin}/ready`)).json()).toMatchObject({
      status: 'ready',
      degraded: false,
      sharedState: 'redis',
    });
    // Both replicas hear the change channel again (ioredis resubscribes by itself).
    for (let i = 0; i < 100; i++) {
      const [, listeners] = (await redis.client().pubsub('NUMSUB', 'mesgw:workOrderChanged')) as [string, number];
      if (listeners >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = await start(B, id, 'key-after-outage');
    expect(after.body.errors).toBeUndefined();
    expect(cluster.gmes.count(START)).toBe(1);
    await sub.waitFor(1);
    expect(sub.results.map((r) => r.data!.workOrderChanged.order)).toEqual([
      expect.objectContaining({ vendor: 'GENERIC_MES', status: 'IN_PROGRESS' }),
    ]);
    await sub.close();
  });
});
