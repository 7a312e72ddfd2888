// Sharing vendor reads across requests (SHARE_INFLIGHT_READS, READ_CACHE_TTL_MS): the real gateway against the
// simulators over loopback HTTP, vendor calls counted at the simulators. The simulators answer slowly where calls
// must overlap, so "concurrent" does not depend on the machine's speed.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import { encodeId, WORK_ORDER_TYPE } from '../../src/domain/ids.js';
import { VendorHttp } from '../../src/vendors/http.js';
import { ReadSharing } from '../../src/vendors/sharing.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { startCluster, type Cluster, type Replica } from '../helpers/replicas.js';

const DZ_LIST = 'GET /v1/workOrders';
const DZ_ONE = 'GET /v1/workOrders/:id';
const GM_ONE = 'GET /api/v2/work-orders/:id';
const GM_LIST = 'GET /api/v2/work-orders';
const GM_START = 'POST /api/v2/work-orders/:id/start';
const GM_UPDATE = 'PUT /api/v2/work-orders/:id';
const PB_SEARCH = 'POST /shippingservices/fulfillment/v1/work-orders/search';

const W1 = '{ workOrders(first: 20, filter: { vendors: [DOTZERO] }) { edges { node { id orderNumber status } } } }';
const PB_LIST =
  '{ workOrders(first: 10, filter: { vendors: [PITNEY_BOWES] }) { edges { node { id orderNumber status } } } }';
const ONE = 'query($id: ID!) { workOrder(id: $id) { id status notes } }';
const GM_OPEN =
  '{ workOrders(first: 50, filter: { vendors: [GENERIC_MES], statuses: [OPEN] }) { edges { node { id status } } } }';

const ALL: GatewayClient = {
  name: 'all',
  apiKey: 'all-key-0123456789abcdef',
  role: 'frontend',
  scopes: ['workorders:read', 'workorders:write'],
  rateLimitPerMinute: 100_000,
};
const GM_ONLY: GatewayClient = {
  ...ALL,
  name: 'gm-only',
  apiKey: 'gm-only-key-0123456789abcdef',
  vendors: ['GENERIC_MES'],
};
const asAll = { 'x-api-key': ALL.apiKey };
const asGmOnly = { 'x-api-key': GM_ONLY.apiKey };

const open: TestGateway[] = [];
async function gateway(config: Parameters<typeof startTestGateway>[0] = {}): Promise<TestGateway> {
  const gw = await startTestGateway(config);
  open.push(gw);
  return gw;
}

afterAll(async () => {
  await Promise.all(open.map((gw) => gw.close()));
});

afterEach(() => {
  vi.useRealTimers();
});

/** n copies of one query at once; every answer, in order. */
async function concurrently(gw: TestGateway, n: number, query: string) {
  return Promise.all(Array.from({ length: n }, () => gw.query(query)));
}

describe('in-flight sharing (SHARE_INFLIGHT_READS)', () => {
  it('sends identical concurrent reads once with sharing on, and once per request with it off', async () => {
    const on = await gateway({ config: { shareInflightReads: true } });
    const off = await gateway();
    for (const gw of [on, off]) {
      // Slow enough that ten requests are certainly in flight together.
      gw.dotzero.faults.latencyMs = 150;
      gw.dotzero.faults.only = [DZ_LIST];
      gw.resetCounts();
    }
    const shared = await concurrently(on, 10, W1);
    const separate = await concurrently(off, 10, W1);
    expect(on.dotzero.count(DZ_LIST)).toBe(1);
    expect(off.dotzero.count(DZ_LIST)).toBe(10);
    // The same answers either way, none of them an error.
    for (const res of [...shared, ...separate]) {
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toEqual(separate[0]!.body.data);
    }
    expect(on.gateway.sharing.stats.joined).toBe(9);
    // Once the call is done nothing is held: the next request calls again.
    on.resetCounts();
    await on.query(W1);
    expect(on.dotzero.count(DZ_LIST)).toBe(1);
  });

  it('shares Pitney Bowes searches although each attempt carries its own X-PB-TransactionId', async () => {
    const attempts: { status: number | 'error'; trace?: string }[] = [];
    const gw = await gateway({
      config: { shareInflightReads: true },
      observe: (e) => void (e.vendor === 'PITNEY_BOWES' && e.operation === 'searchWorkOrders' && attempts.push(e)),
    });
    gw.pb.faults.latencyMs = 150;
    gw.pb.faults.only = [PB_SEARCH];
    // The first attempt is refused with a short Retry-After: the shared call is retried, as a new attempt.
    gw.pb.faults.burst429 = { count: 1, retryAfterSeconds: 0 };
    gw.resetCounts();
    const answers = await concurrently(gw, 8, PB_LIST);
    for (const res of answers) {
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.workOrders.edges.length).toBe(10);
    }
    // Eight requests, one logical search, two attempts: two searches, each with its own transaction id.
    expect(gw.pb.count(PB_SEARCH)).toBe(2);
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    const ids = attempts.map((a) => a.trace);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(2);
    // The attempt that reached the search handler carried the second id.
    expect(gw.pb.transactionIds()).toContain(ids[1]);
  });

  it('never shares writes, even when a request marked one shareable', async () => {
    const gw = await gateway();
    const sharing = new ReadSharing({ inflight: true });
    const http = new VendorHttp({
      vendor: 'GENERIC_MES',
      baseUrl: gw.gmes.apiUrl,
      auth: { authorization: async () => `Bearer ${gw.gmes.apiKey}`, unauthorized: async () => false },
      sharing,
    });
    try {
      const list = await gw.query(GM_OPEN, undefined);
      const id = list.body.data!.workOrders.edges[0].node.id as string;
      const key = (await gw.query('query($id: ID!) { workOrder(id: $id) { vendorId } }', { id })).body.data!.workOrder
        .vendorId as string;
      gw.gmes.faults.latencyMs = 100;
      gw.gmes.faults.only = [GM_UPDATE];
      gw.resetCounts();
      // Five identical PUTs at once: a write is sent every time it is asked for.
      await Promise.all(
        Array.from({ length: 5 }, () =>
          http.request({
            method: 'PUT',
            path: `/work-orders/${encodeURIComponent(key)}`,
            body: { notes: 'same' },
            operation: 'updateWorkOrder',
            idempotent: false,
            share: 'orders',
          }),
        ),
      );
      expect(gw.gmes.count(GM_UPDATE)).toBe(5);
      expect(sharing.stats.joined).toBe(0);
    } finally {
      await http.close();
    }
  });

  it('sends concurrent identical mutations through the gateway each time', async () => {
    const gw = await gateway({ config: { shareInflightReads: true, readCacheTtlMs: 60_000 } });
    const list = await gw.query(GM_OPEN);
    const ids = (list.body.data!.workOrders.edges as { node: { id: string } }[]).slice(0, 3).map((e) => e.node.id);
    gw.resetCounts();
    const updates = await Promise.all(
      ids.map((id) =>
        gw.query('mutation($id: ID!) { updateWorkOrder(id: $id, input: { notes: "shared?" }) { id notes } }', { id }),
      ),
    );
    for (const res of updates) expect(res.body.data?.updateWorkOrder.notes).toBe('shared?');
    expect(gw.gmes.count(GM_UPDATE)).toBe(3);
  });
});

describe('read cache (READ_CACHE_TTL_MS, in memory)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await gateway({ config: { readCacheTtlMs: 60_000 }, clients: [ALL, GM_ONLY] });
  });

  it('answers a repeat within the TTL with no vendor call, and calls again once it has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-06-01T08:00:00Z'));
    const ids = await gw.query(W1, undefined, asAll);
    const id = ids.body.data!.workOrders.edges[3].node.id as string;
    gw.resetCounts();
    const first = await gw.query(ONE, { id }, asAll);
    expect(gw.dotzero.count(DZ_ONE)).toBe(1);
    const again = await gw.query(ONE, { id }, asAll);
    const list = await gw.query(W1, undefined, asAll);
    expect(again.body).toEqual(first.body);
    expect(list.body).toEqual(ids.body);
    expect(gw.dotzero.total()).toBe(1);
    vi.setSystemTime(new Date('2026-06-01T08:00:59Z'));
    await gw.query(ONE, { id }, asAll);
    expect(gw.dotzero.total()).toBe(1);
    vi.setSystemTime(new Date('2026-06-01T08:01:01Z'));
    const expired = await gw.query(ONE, { id }, asAll);
    expect(expired.body).toEqual(first.body);
    expect(gw.dotzero.count(DZ_ONE)).toBe(2);
  });

  it('a mutation makes the order and the lists stale: the next read sees the new state', async () => {
    const list = await gw.query(GM_OPEN, undefined, asAll);
    const id = list.body.data!.workOrders.edges[0].node.id as string;
    const before = await gw.query(ONE, { id }, asAll);
    expect(before.body.data?.workOrder.status).toBe('OPEN');
    // Both are cached now.
    gw.resetCounts();
    await gw.query(ONE, { id }, asAll);
    await gw.query(GM_OPEN, undefined, asAll);
    expect(gw.gmes.total()).toBe(0);

    const started = await gw.query('mutation($id: ID!) { startWorkOrder(id: $id) { id status } }', { id }, asAll);
    expect(started.body.data?.startWorkOrder.status).toBe('IN_PROGRESS');
    gw.resetCounts();
    const after = await gw.query(ONE, { id }, asAll);
    expect(after.body.data?.workOrder.status).toBe('IN_PROGRESS');
    // The write's own re-read (from the vendor) refilled the order's entry, so this one is served from it.
    expect(gw.gmes.count(GM_ONE)).toBe(0);
    const openNow = await gw.query(GM_OPEN, undefined, asAll);
    const stillOpen = (openNow.body.data!.workOrders.edges as { node: { id: string } }[]).map((e) => e.node.id);
    expect(stillOpen).not.toContain(id);
    expect(gw.gmes.count(GM_LIST)).toBe(1);
  });

  it("a change heard from the vendor (a poll) makes the order's cached answer stale at once", async () => {
    // The poller's first round only remembers what it sees.
    await gw.gateway.poller.pollOnce();
    const uuid = gw.dotzero.changeOrder()!;
    const id = encodeId(WORK_ORDER_TYPE.DOTZERO, 'DOTZERO', uuid);
    const before = await gw.query(ONE, { id }, asAll);
    // Changed again behind the gateway's back while its answer is cached: until the poll, the cache answers.
    expect(gw.dotzero.changeOrder()).toBe(uuid);
    gw.resetCounts();
    expect((await gw.query(ONE, { id }, asAll)).body).toEqual(before.body);
    expect(gw.dotzero.count(DZ_ONE)).toBe(0);
    await gw.gateway.poller.pollOnce();
    // The invalidation follows the published change; give it its turn.
    await new Promise((resolve) => setTimeout(resolve, 50));
    gw.resetCounts();
    await gw.query(ONE, { id }, asAll);
    expect(gw.dotzero.count(DZ_ONE)).toBe(1);
  });

  it("a write's state check reads the vendor, not the cache", async () => {
    const list = await gw.query(GM_OPEN, undefined, asAll);
    const id = list.body.data!.workOrders.edges[0].node.id as string;
    const cached = await gw.query('query($id: ID!) { workOrder(id: $id) { vendorId status } }', { id }, asAll);
    expect(cached.body.data?.workOrder.status).toBe('OPEN');
    // Started at the vendor behind the gateway's back: the cache still says OPEN.
    const key = cached.body.data!.workOrder.vendorId as string;
    const direct = await fetch(`${gw.gmes.apiUrl}/work-orders/${encodeURIComponent(key)}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gw.gmes.apiKey}` },
    });
    expect(direct.status).toBeLessThan(300);
    expect((await gw.query(ONE, { id }, asAll)).body.data?.workOrder.status).toBe('OPEN');
    gw.resetCounts();
    const refused = await gw.query('mutation($id: ID!) { startWorkOrder(id: $id) { id } }', { id }, asAll);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('INVALID_STATE_TRANSITION');
    expect(refused.body.errors?.[0]?.extensions?.currentStatus).toBe('IN_PROGRESS');
    // Refused by the gateway from the vendor's current state: no start was sent.
    expect(gw.gmes.count(GM_START)).toBe(0);
    expect(gw.gmes.count(GM_ONE)).toBe(1);
  });

  it("a caller without a vendor's scope gets FORBIDDEN or nothing, though the cache holds that vendor's answers", async () => {
    const ids = await gw.query(W1, undefined, asAll);
    const id = ids.body.data!.workOrders.edges[0].node.id as string;
    const seen = await gw.query(ONE, { id }, asAll);
    expect(seen.body.data?.workOrder.id).toBe(id);
    gw.resetCounts();
    const forbidden = await gw.query(ONE, { id }, asGmOnly);
    expect(forbidden.body.data?.workOrder ?? null).toBeNull();
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const node = await gw.query('query($id: ID!) { node(id: $id) { id } }', { id }, asGmOnly);
    expect(node.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const lists = await gw.query(
      '{ workOrders(first: 100) { edges { node { vendor } } } dz: workOrders(first: 5, filter: { vendors: [DOTZERO] }) { edges { node { id } } } }',
      undefined,
      asGmOnly,
    );
    const vendors = (lists.body.data?.workOrders.edges ?? []).map((e: { node: { vendor: string } }) => e.node.vendor);
    expect(vendors).not.toContain('DOTZERO');
    expect(lists.body.data?.dz?.edges ?? []).toEqual([]);
    // Nothing of DotZero was asked for on this caller's behalf, cached or not.
    expect(gw.dotzero.total()).toBe(0);
    // The caller who may see it still gets it from the cache.
    const again = await gw.query(ONE, { id }, asAll);
    expect(again.body.data?.workOrder.id).toBe(id);
    expect(gw.dotzero.total()).toBe(0);
  });
});

describe('read cache in Redis, two replicas', () => {
  let redis: TestRedis;
  let cluster: Cluster;
  let A: Replica;
  let B: Replica;
  const calls = () => cluster.dotzero.total() + cluster.gmes.total() + cluster.pb.total();
  const reset = () => {
    cluster.dotzero.resetCounts();
    cluster.gmes.resetCounts();
    cluster.pb.resetCounts();
  };

  beforeAll(async () => {
    redis = await startTestRedis();
    cluster = await startCluster(2, { redisUrl: redis.url, readCacheTtlMs: 60_000, shareInflightReads: true });
    [A, B] = cluster.replicas as [Replica, Replica];
  });

  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  });

  it('an answer read on one replica is served by the other; a mutation on one is seen on the other', async () => {
    const list = await A.query(GM_OPEN);
    const id = list.body.data!.workOrders.edges[1].node.id as string;
    reset();
    const onA = await A.query(ONE, { id });
    expect(cluster.gmes.count(GM_ONE)).toBe(1);
    reset();
    const onB = await B.query(ONE, { id });
    const listOnB = await B.query(GM_OPEN);
    expect(onB.body).toEqual(onA.body);
    expect(listOnB.body).toEqual(list.body);
    expect(calls()).toBe(0);
    // The cache lives under the gateway's prefix, the request hashed into the key.
    const keys = await redis.client().keys('*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith('mesgw:'))).toBe(true);

    const started = await A.query('mutation($id: ID!) { startWorkOrder(id: $id) { status } }', { id });
    expect(started.body.data?.startWorkOrder.status).toBe('IN_PROGRESS');
    reset();
    const seenOnB = await B.query(ONE, { id });
    expect(seenOnB.body.data?.workOrder.status).toBe('IN_PROGRESS');
    const openOnB = await B.query(GM_OPEN);
    const ids = (openOnB.body.data!.workOrders.edges as { node: { id: string } }[]).map((e) => e.node.id);
    expect(ids).not.toContain(id);
    // The list is read again; the order was refilled by A's own re-read after its write.
    expect(cluster.gmes.count(GM_LIST)).toBe(1);
    expect(cluster.gmes.count(GM_ONE)).toBe(0);
  });

  it('identical reads in flight on two replicas at once make one vendor call', async () => {
    cluster.dotzero.faults.latencyMs = 200;
    cluster.dotzero.faults.only = [DZ_LIST];
    const query = '{ workOrders(first: 7, filter: { vendors: [DOTZERO] }) { edges { node { id status } } } }';
    try {
      reset();
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => A.query(query)),
        ...Array.from({ length: 4 }, () => B.query(query)),
      ]);
      for (const res of answers) {
        expect(res.body.errors).toBeUndefined();
        expect(res.body).toEqual(answers[0]!.body);
      }
      expect(cluster.dotzero.count(DZ_LIST)).toBe(1);
      // One replica made the call; the other took its answer from Redis while it was in flight.
      expect(A.gateway.sharing.stats.followed + B.gateway.sharing.stats.followed).toBe(1);
    } finally {
      cluster.dotzero.faults.latencyMs = undefined;
      cluster.dotzero.faults.only = undefined;
    }
  });

  it('with Redis stopped, reads still answer, from the vendor', async () => {
    const list = await A.query(W1);
    const id = list.body.data!.workOrders.edges[5].node.id as string;
    await A.query(ONE, { id });
    await redis.stop();
    try {
      await vi.waitFor(() => expect(A.gateway.redis?.up()).toBe(false), { timeout: 5_000 });
      reset();
      const answers = [await A.query(ONE, { id }), await B.query(ONE, { id }), await A.query(W1)];
      for (const res of answers) expect(res.body.errors).toBeUndefined();
      expect(answers[0]!.body.data?.workOrder.id).toBe(id);
      expect(answers[2]!.body).toEqual(list.body);
      expect(cluster.dotzero.count(DZ_ONE)).toBe(2);
      expect(cluster.dotzero.count(DZ_LIST)).toBe(1);
      expect(A.gateway.sharing.stats.bypassed).toBeGreaterThan(0);
    } finally {
      await redis.start();
    }
    await vi.waitFor(() => expect(A.gateway.redis?.up()).toBe(true), { timeout: 10_000 });
  });
});
