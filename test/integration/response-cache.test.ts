// RESPONSE_CACHE_TTL_MS: the fast lane answers a caller's repeated query with that caller's own earlier answer,
// counted in vendor calls: none on a hit; never another caller's answer; stale at once after a write through the
// gateway or a change heard from the vendor; no error ever kept; the rate limit charged on every hit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import type { GatewayClient } from '../../src/config.js';
import { encodeId, WORK_ORDER_TYPE } from '../../src/domain/ids.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const client = (name: string, extra: Partial<GatewayClient> = {}): GatewayClient => ({
  name,
  apiKey: `${name}-key-0123456789abcdef01234`,
  role: 'frontend',
  scopes: ['workorders:read', 'workorders:write'],
  rateLimitPerMinute: 100_000,
  ...extra,
});
const ALICE = client('alice');
const BOB = client('bob');
const DZ_ONLY = client('dz-only', { vendors: ['DOTZERO'] });
const TIGHT = client('tight', { rateLimitPerMinute: 3 });
const as = (c: GatewayClient) => ({ 'x-api-key': c.apiKey });

const W1 = '{ workOrders(first: 20, filter: { vendors: [DOTZERO] }) { edges { node { id orderNumber status } } } }';
const ALL = '{ workOrders(first: 6) { edges { node { vendor orderNumber } } } }';
const ONE = 'query($id: ID!) { workOrder(id: $id) { id status } }';
const DZ_LIST = 'GET /v1/workOrders';
const DZ_ONE = 'GET /v1/workOrders/:id';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    clients: [ALICE, BOB, DZ_ONLY, TIGHT],
    config: { responseCacheTtlMs: 60_000 },
  });
});
afterAll(async () => gw?.close());

describe('RESPONSE_CACHE_TTL_MS', () => {
  it('answers the same caller’s same query again with no vendor call, under the new request’s id', async () => {
    const first = await gw.post({ query: W1 }, { ...as(ALICE), 'x-request-id': 'first' });
    const firstBody = await first.text();
    gw.resetCounts();
    const again = await gw.post({ query: W1 }, { ...as(ALICE), 'x-request-id': 'again' });
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get('x-request-id')).toBe('again');
    expect(gw.calls().total).toBe(0);
  });

  it('never answers one caller with another’s answer', async () => {
    await gw.post({ query: ALL }, as(ALICE));
    gw.resetCounts();
    const bob = await gw.query(ALL, undefined, as(BOB));
    expect(bob.body.data?.workOrders.edges).toHaveLength(6);
    expect(gw.calls().total).toBeGreaterThan(0);
    // A caller who sees DotZero alone gets DotZero alone, though Alice's answer to the same text holds all three.
    const scoped = await gw.query(ALL, undefined, as(DZ_ONLY));
    expect(new Set(scoped.body.data?.workOrders.edges.map((e: { node: { vendor: string } }) => e.node.vendor))).toEqual(
      new Set(['DOTZERO']),
    );
  });

  it('is stale at once after a write through the gateway', async () => {
    const list = await gw.query(
      '{ workOrders(first: 10, filter: { vendors: [DOTZERO], statuses: [OPEN] }) { edges { node { id status } } } }',
      undefined,
      as(ALICE),
    );
    const id = list.body.data!.workOrders.edges[0].node.id as string;
    expect((await gw.query(ONE, { id }, as(ALICE))).body.data?.workOrder.status).toBe('OPEN');
    gw.resetCounts();
    expect((await gw.query(ONE, { id }, as(ALICE))).body.data?.workOrder.status).toBe('OPEN');
    expect(gw.dotzero.count(DZ_ONE)).toBe(0);
    const started = await gw.query('mutation($id: ID!) { startWorkOrder(id: $id) { status } }', { id }, as(ALICE));
    expect(started.body.data?.startWorkOrder.status).toBe('IN_PROGRESS');
    gw.resetCounts();
    expect((await gw.query(ONE, { id }, as(ALICE))).body.data?.workOrder.status).toBe('IN_PROGRESS');
    expect(gw.dotzero.count(DZ_ONE)).toBe(1);
  });

  it('is stale at once after a change heard from the vendor (a poll)', async () => {
    await gw.gateway.poller.pollOnce();
    const uuid = gw.dotzero.changeOrder()!;
    const id = encodeId(WORK_ORDER_TYPE.DOTZERO, 'DOTZERO', uuid);
    const before = await gw.query(ONE, { id }, as(ALICE));
    expect(gw.dotzero.changeOrder()).toBe(uuid);
    gw.resetCounts();
    expect((await gw.query(ONE, { id }, as(ALICE))).body).toEqual(before.body);
    expect(gw.dotzero.count(DZ_ONE)).toBe(0);
    await gw.gateway.poller.pollOnce();
    await new Promise((resolve) => setTimeout(resolve, 50));
    gw.resetCounts();
    await gw.query(ONE, { id }, as(ALICE));
    expect(gw.dotzero.count(DZ_ONE)).toBe(1);
  });

  it('keeps no answer that holds an error', async () => {
    const missing = encodeId(WORK_ORDER_TYPE.DOTZERO, 'DOTZERO', '00000000-0000-4000-8000-000000000000');
    const first = await gw.query(ONE, { id: missing }, as(ALICE));
    expect(first.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    gw.resetCounts();
    const again = await gw.query(ONE, { id: missing }, as(ALICE));
    expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(gw.dotzero.count(DZ_ONE)).toBe(1);
  });

  it('never keeps an answer that shows vendor health, which changes with no event', async () => {
    const HEALTH = '{ vendors { vendor health { state errorRate lastError } } }';
    await gw.query(HEALTH, undefined, as(ALICE));
    const cached = gw.gateway.lane!.stats.cached;
    const again = await gw.query(HEALTH, undefined, as(ALICE));
    expect(again.body.data?.vendors).toHaveLength(3);
    expect(gw.gateway.lane!.stats.cached).toBe(cached);
  });

  it('charges the rate limit on every answer, cached or not', async () => {
    const codes: (number | string)[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await gw.query(W1, undefined, as(TIGHT));
      codes.push(res.status === 200 ? 200 : res.body.errors?.[0]?.extensions?.code);
    }
    expect(codes).toEqual([200, 200, 200, 'RATE_LIMITED']);
    expect(gw.gateway.lane!.stats.cached).toBeGreaterThan(0);
  });

  it('lets an answer go after its time', async () => {
    const short = await startTestGateway({ clients: [ALICE], config: { responseCacheTtlMs: 100 } });
    try {
      await short.query(W1, undefined, as(ALICE));
      short.resetCounts();
      await short.query(W1, undefined, as(ALICE));
      expect(short.dotzero.count(DZ_LIST)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await short.query(W1, undefined, as(ALICE));
      expect(short.dotzero.count(DZ_LIST)).toBe(1);
    } finally {
      await short.close();
    }
  });

  it('is refused with REDIS_URL, naming the setting', () => {
    expect(() => readConfig({ RESPONSE_CACHE_TTL_MS: '1000', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /RESPONSE_CACHE_TTL_MS.*REDIS_URL/s,
    );
    expect(readConfig({ RESPONSE_CACHE_TTL_MS: '1000' }).responseCacheTtlMs).toBe(1000);
  });
});
