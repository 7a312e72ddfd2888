// Live work-order changes on one replica (no Redis): subscriptions over SSE and WebSocket, fed by the gateway's own
// mutations, the generic MES's signed webhooks and polling of DotZero and Pitney Bowes; each change reaches each
// subscriber once, vendor-scoped and authenticated like any operation; bad webhook deliveries publish nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import { GENERIC_MES_WEBHOOK_PATH } from '../../src/events/webhook-route.js';
import { signBody } from '../../src/vendors/generic-mes/webhooks.js';
import {
  startCluster,
  sseSubscribe,
  wsSubscribe,
  type Cluster,
  type Collected,
  type Replica,
} from '../helpers/replicas.js';

const client = (name: string, extra: Partial<GatewayClient> = {}): GatewayClient => ({
  name,
  apiKey: `${name}-key-0123456789abcdef`,
  role: 'frontend',
  scopes: ['workorders:read', 'workorders:write'],
  rateLimitPerMinute: 100_000,
  ...extra,
});
const ALL = client('all');
const PB_ONLY = client('pbonly', { vendors: ['PITNEY_BOWES'], scopes: ['workorders:read'] });
const SECRET = 'whsec-test-0123456789abcdef';
const key = (c: GatewayClient) => ({ 'x-api-key': c.apiKey });

const SUBSCRIPTION = `subscription($filter: WorkOrderFilter) {
  workOrderChanged(filter: $filter) { kind source changedFields occurredAt previous { status completedQuantity } order { id vendor vendorId status completedQuantity } }
}`;

let cluster: Cluster;
let gw: Replica;

beforeAll(async () => {
  cluster = await startCluster(1, { clients: [ALL, PB_ONLY], genericMesWebhookSecret: SECRET });
  gw = cluster.replicas[0]!;
  // The first round of polling only learns the orders.
  await gw.gateway.poller.pollOnce();
});

afterAll(async () => {
  await cluster?.close();
});

async function untilSubscribed(n: number) {
  for (let i = 0; i < 300 && gw.gateway.changes.subscriberCount() !== n; i++)
    await new Promise((r) => setTimeout(r, 10));
  expect(gw.gateway.changes.subscriberCount()).toBe(n);
}

const changesOf = (c: Collected) => c.results.map((r) => r.data?.workOrderChanged);

function delivery(
  order: Record<string, unknown>,
  id = `dlv-${Math.random().toString(36).slice(2)}`,
  type = 'work_order.updated',
) {
  return { id, raw: JSON.stringify({ id, type, createdAt: new Date().toISOString(), data: order }) };
}

function sendWebhook(raw: string, headers: Record<string, string>) {
  return fetch(`${gw.origin}${GENERIC_MES_WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: raw,
  });
}

const signed = (id: string, raw: string, at = Math.floor(Date.now() / 1000)) => ({
  'x-mes-signature': signBody(SECRET, raw),
  'x-mes-delivery': id,
  'x-mes-timestamp': String(at),
});

async function gmesOrder(status: string) {
  const res = await gw.query(
    `query($f: WorkOrderFilter) { workOrders(first: 1, filter: $f) { edges { node { id vendorId } } } }`,
    { f: { vendors: ['GENERIC_MES'], statuses: [status] } },
    key(ALL),
  );
  return res.body.data!.workOrders.edges[0].node as { id: string; vendorId: string };
}

async function gmesDetail(id: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${cluster.gmes.apiUrl}/work-orders/${id}`, {
    headers: { authorization: `Bearer ${cluster.gmes.apiKey}` },
  });
  return ((await res.json()) as { data: Record<string, unknown> }).data;
}

describe('workOrderChanged', () => {
  it('an SSE and a WebSocket subscriber each get a mutation once, even when the vendor webhook reports it again', async () => {
    cluster.gmes.setWebhook({ url: `${gw.origin}${GENERIC_MES_WEBHOOK_PATH}`, secret: SECRET });
    try {
      const sse = await sseSubscribe(gw.origin, SUBSCRIPTION, {}, key(ALL));
      const ws = await wsSubscribe(gw.origin, SUBSCRIPTION, {}, { apiKey: ALL.apiKey });
      await untilSubscribed(2);
      const order = await gmesOrder('OPEN');
      const started = await gw.query(
        'mutation($id: ID!) { startWorkOrder(id: $id) { status } }',
        { id: order.id },
        key(ALL),
      );
      expect(started.body.errors).toBeUndefined();
      await sse.waitFor(1);
      await ws.waitFor(1);
      // The simulator's webhook for the same change has been received (202) by now: it must not be a second event.
      await cluster.gmes.settleWebhooks();
      expect(cluster.gmes.webhooksDelivered()).toBeGreaterThanOrEqual(1);
      // A later change marks the end: whatever came before it has come.
      const dz = cluster.dotzero.changeOrder();
      await gw.gateway.poller.pollOnce();
      await sse.waitFor(2);
      await ws.waitFor(2);
      for (const c of [sse, ws]) {
        const [first, second] = changesOf(c);
        expect(c.results).toHaveLength(2);
        // Whichever saw it first (the mutation, or the vendor's webhook racing it) reports it; the other is a repeat.
        expect(first).toMatchObject({ kind: 'UPDATED', order: { id: order.id, status: 'IN_PROGRESS' } });
        expect(['MUTATION', 'WEBHOOK']).toContain(first.source);
        expect(first.changedFields).toContain('STATUS');
        expect(second).toMatchObject({ source: 'POLL', order: { vendor: 'DOTZERO', vendorId: dz } });
      }
      await Promise.all([sse.close(), ws.close()]);
    } finally {
      cluster.gmes.setWebhook(undefined);
    }
  });

  it('polling Pitney Bowes reads only what changed (one search page by update date, one by creation date) and publishes the change', async () => {
    const sse = await sseSubscribe(gw.origin, SUBSCRIPTION, { filter: { vendors: ['PITNEY_BOWES'] } }, key(PB_ONLY));
    await untilSubscribed(1);
    const id = cluster.pb.changeOrder();
    cluster.pb.resetCounts();
    await gw.gateway.poller.pollOnce();
    await sse.waitFor(1);
    expect(changesOf(sse)[0]).toMatchObject({
      kind: 'UPDATED',
      source: 'POLL',
      order: { vendor: 'PITNEY_BOWES', vendorId: id },
      changedFields: ['COMPLETED_QUANTITY'],
    });
    // Every seeded order is more than one page; the round asked for the orders updated or received since the last
    // one only.
    expect(cluster.pb.count('POST /shippingservices/fulfillment/v1/work-orders/search')).toBe(2);
    await sse.close();
  });

  it('a new Pitney Bowes order, never updated and so without pbUpdateDate, is published CREATED by the next poll', async () => {
    await gw.gateway.poller.pollOnce();
    const sse = await sseSubscribe(gw.origin, SUBSCRIPTION, { filter: { vendors: ['PITNEY_BOWES'] } }, key(PB_ONLY));
    await untilSubscribed(1);
    const id = cluster.pb.receiveOrder();
    cluster.pb.resetCounts();
    await gw.gateway.poller.pollOnce();
    await sse.waitFor(1);
    expect(changesOf(sse)).toHaveLength(1);
    expect(changesOf(sse)[0]).toMatchObject({
      kind: 'CREATED',
      source: 'POLL',
      order: { vendor: 'PITNEY_BOWES', vendorId: id, status: 'OPEN' },
    });
    expect(cluster.pb.count('POST /shippingservices/fulfillment/v1/work-orders/search')).toBe(2);
    await sse.close();
  });

  it('a caller sees only its vendors: another vendor in the filter is FORBIDDEN, and its changes never arrive', async () => {
    const refused = await sseSubscribe(gw.origin, SUBSCRIPTION, { filter: { vendors: ['GENERIC_MES'] } }, key(PB_ONLY));
    await refused.waitFor(1);
    expect(refused.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const wsRefused = await wsSubscribe(
      gw.origin,
      SUBSCRIPTION,
      { filter: { vendors: ['DOTZERO'] } },
      { apiKey: PB_ONLY.apiKey },
    );
    await wsRefused.waitFor(1);
    expect(wsRefused.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await wsRefused.close();

    const pbOnly = await sseSubscribe(gw.origin, SUBSCRIPTION, {}, key(PB_ONLY));
    await untilSubscribed(1);
    cluster.dotzero.changeOrder();
    cluster.gmes.changeOrder();
    const pbId = cluster.pb.changeOrder();
    await gw.gateway.poller.pollOnce();
    await pbOnly.waitFor(1);
    expect(pbOnly.results).toHaveLength(1);
    expect(changesOf(pbOnly)[0].order).toMatchObject({ vendor: 'PITNEY_BOWES', vendorId: pbId });
    await pbOnly.close();
  });

  it('without a credential a subscription is UNAUTHENTICATED, over SSE and over WebSocket', async () => {
    const sse = await sseSubscribe(gw.origin, SUBSCRIPTION);
    await sse.waitFor(1);
    expect(sse.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const ws = await wsSubscribe(gw.origin, SUBSCRIPTION, {}, { apiKey: 'wrong-key-0123456789abcdef' });
    await ws.waitFor(1);
    expect(ws.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await ws.close();
  });
});

describe('generic MES webhook receiver', () => {
  let round = 0;
  it.each([
    [
      'no signature',
      (id: string, raw: string) => ({
        headers: { 'x-mes-delivery': id, 'x-mes-timestamp': String(Math.floor(Date.now() / 1000)) },
        raw,
      }),
      401,
    ],
    [
      'a wrong signature',
      (id: string, raw: string) => ({
        headers: { ...signed(id, raw), 'x-mes-signature': signBody('another-secret-0123456789', raw) },
        raw,
      }),
      401,
    ],
    [
      'a body changed after signing',
      (id: string, raw: string) => ({
        headers: signed(id, raw),
        raw: raw.replace('"work_order.updated"', '"work_order.deleted"'),
      }),
      401,
    ],
    [
      'a timestamp six minutes old',
      (id: string, raw: string) => ({ headers: signed(id, raw, Math.floor(Date.now() / 1000) - 360), raw }),
      400,
    ],
    [
      'no delivery id',
      (id: string, raw: string) => ({ headers: { ...signed(id, raw), 'x-mes-delivery': '' }, raw }),
      400,
    ],
    ['a body that is not JSON', (id: string) => ({ headers: signed(id, 'not json'), raw: 'not json' }), 400],
    [
      'JSON that is not an event',
      (id: string) => ({
        headers: signed(id, JSON.stringify({ id, hello: 'world' })),
        raw: JSON.stringify({ id, hello: 'world' }),
      }),
      422,
    ],
    [
      'an event whose data is not a work order',
      (id: string) => {
        const raw = JSON.stringify({
          id,
          type: 'work_order.updated',
          createdAt: new Date().toISOString(),
          data: { name: 'x' },
        });
        return { headers: signed(id, raw), raw };
      },
      422,
    ],
    [
      'a body over the size limit',
      (id: string) => {
        const raw = JSON.stringify({ id, type: 'work_order.updated', data: { id: 'x', notes: 'x'.repeat(200_000) } });
        return { headers: signed(id, raw), raw };
      },
      413,
    ],
  ])('refuses %s with its status and publishes nothing', async (_name, make, status) => {
    const order = await gmesDetail((await gmesOrder('IN_PROGRESS')).vendorId);
    // A quantity no earlier test used: the marker below must be a change.
    order.completedQuantity = 1000 * ++round;
    const feed = gw.gateway.changes.subscribe(() => true);
    const { id, raw } = delivery(order);
    const bad = make(id, raw);
    const res = await sendWebhook(bad.raw, bad.headers);
    expect(res.status).toBe(status);
    // A good delivery after it is the marker: it is the only thing published.
    const good = delivery({ ...order, completedQuantity: Number(order.completedQuantity) + 1 });
    expect((await sendWebhook(good.raw, signed(good.id, good.raw))).status).toBe(202);
    const first = await feed.next();
    await feed.return!();
    expect(first.value?.order.completedQuantity).toBe(Number(order.completedQuantity) + 1);
  });

  it('refuses a replayed delivery id with 409 and publishes it once', async () => {
    const order = await gmesDetail((await gmesOrder('IN_PROGRESS')).vendorId);
    const feed = gw.gateway.changes.subscribe(() => true);
    const first = delivery({ ...order, completedQuantity: 7777 });
    expect((await sendWebhook(first.raw, signed(first.id, first.raw))).status).toBe(202);
    expect((await sendWebhook(first.raw, signed(first.id, first.raw))).status).toBe(409);
    // Same id, another (validly signed) body: still a replay.
    const again = delivery({ ...order, completedQuantity: 8888 }, first.id);
    expect((await sendWebhook(again.raw, signed(first.id, again.raw))).status).toBe(409);
    const marker = delivery({ ...order, completedQuantity: 9999 });
    expect((await sendWebhook(marker.raw, signed(marker.id, marker.raw))).status).toBe(202);
    const seen = [await feed.next(), await feed.next()].map((r) => r.value?.order.completedQuantity);
    await feed.return!();
    expect(seen).toEqual([7777, 9999]);
  });
});

describe('DotZero deletions, noticed by polling', () => {
  const LIST = 'GET /v1/workOrders';
  const LOOKUP = 'GET /v1/workOrders/:id';
  const DELETED = `subscription { workOrderChanged(filter: { vendors: [DOTZERO] }) {
    kind source changedFields previous { status } order { vendor vendorId orderNumber status } } }`;

  it('an order the simulator deletes is published DELETED once, as last seen, after one lookup confirms it', async () => {
    await gw.gateway.poller.pollOnce();
    const sse = await sseSubscribe(gw.origin, DELETED, {}, key(ALL));
    await untilSubscribed(1);
    const before = await gw.query(
      '{ workOrders(first: 100, filter: { vendors: [DOTZERO], statuses: [COMPLETED] }) { edges { node { vendorId orderNumber status } } } }',
      undefined,
      key(ALL),
    );
    const uuid = cluster.dotzero.deleteOrder();
    const last = before.body.data!.workOrders.edges.find(
      (e: { node: { vendorId: string } }) => e.node.vendorId === uuid,
    ).node;
    cluster.dotzero.resetCounts();
    await gw.gateway.poller.pollOnce();
    await sse.waitFor(1);
    expect(changesOf(sse)[0]).toEqual({
      kind: 'DELETED',
      source: 'POLL',
      changedFields: [],
      previous: { status: 'COMPLETED' },
      order: { vendor: 'DOTZERO', vendorId: uuid, orderNumber: last.orderNumber, status: 'COMPLETED' },
    });
    expect(cluster.dotzero.count(LOOKUP)).toBe(1);
    // The next round: nothing to say, nothing to ask. A Pitney Bowes change is the marker.
    cluster.dotzero.resetCounts();
    await gw.gateway.poller.pollOnce();
    expect(cluster.dotzero.count(LOOKUP)).toBe(0);
    expect(cluster.dotzero.count(LIST)).toBeGreaterThan(0);
    expect(sse.results).toHaveLength(1);
    await sse.close();
  });

  it('a list read that fails, or is cut short of its own total, reports no deletion; the next full read does', async () => {
    await gw.gateway.poller.pollOnce();
    const sse = await sseSubscribe(gw.origin, DELETED, {}, key(ALL));
    await untilSubscribed(1);
    const uuid = cluster.dotzero.deleteOrder();
    cluster.dotzero.resetCounts();
    // 1. The list fails (every page 500).
    cluster.dotzero.faults.routeStatus = { [LIST]: 500 };
    await gw.gateway.poller.pollOnce();
    cluster.dotzero.faults.routeStatus = undefined;
    // 2. The list answers a first page of nothing while saying 300 orders exist.
    cluster.dotzero.faults.only = [LIST];
    cluster.dotzero.faults.next = [{ status: 200, body: { data: [], total: 300 } }];
    await gw.gateway.poller.pollOnce();
    cluster.dotzero.faults.only = undefined;
    cluster.dotzero.faults.next = undefined;
    expect(cluster.dotzero.count(LOOKUP)).toBe(0);
    expect(sse.results).toHaveLength(0);
    // 3. A full read: the deletion, once.
    await gw.gateway.poller.pollOnce();
    await sse.waitFor(1);
    expect(changesOf(sse)[0]).toMatchObject({ kind: 'DELETED', source: 'POLL', order: { vendorId: uuid } });
    expect(cluster.dotzero.count(LOOKUP)).toBe(1);
    await sse.close();
  });

  it('an order deleted through the gateway is published once (MUTATION); the poll after it adds nothing', async () => {
    await gw.gateway.poller.pollOnce();
    const sse = await sseSubscribe(gw.origin, DELETED, {}, key(ALL));
    await untilSubscribed(1);
    const open = await gw.query(
      '{ workOrders(first: 1, filter: { vendors: [DOTZERO], statuses: [OPEN] }) { edges { node { id vendorId } } } }',
      undefined,
      key(ALL),
    );
    const target = open.body.data!.workOrders.edges[0].node as { id: string; vendorId: string };
    const deleted = await gw.query(
      'mutation($id: ID!) { deleteWorkOrder(id: $id) { deletedId } }',
      { id: target.id },
      key(ALL),
    );
    expect(deleted.body.errors).toBeUndefined();
    await sse.waitFor(1);
    cluster.dotzero.resetCounts();
    await gw.gateway.poller.pollOnce();
    // The poll asks once (the order left the list) and learns it is gone; the feed has told it already.
    expect(cluster.dotzero.count(LOOKUP)).toBe(1);
    const marker = cluster.dotzero.changeOrder();
    await gw.gateway.poller.pollOnce();
    await sse.waitFor(2);
    expect(changesOf(sse).map((c) => [c.kind, c.source, c.order.vendorId])).toEqual([
      ['DELETED', 'MUTATION', target.vendorId],
      ['UPDATED', 'POLL', marker],
    ]);
    await sse.close();
  });
});

describe('generic MES deletions', () => {
  it("an order deleted through the gateway is published once, though the vendor's work_order.deleted webhook reports it too", async () => {
    cluster.gmes.setWebhook({ url: `${gw.origin}${GENERIC_MES_WEBHOOK_PATH}`, secret: SECRET });
    try {
      const sse = await sseSubscribe(
        gw.origin,
        SUBSCRIPTION,
        { filter: { vendors: ['GENERIC_MES', 'PITNEY_BOWES'] } },
        key(ALL),
      );
      await untilSubscribed(1);
      const order = await gmesOrder('OPEN');
      const delivered = cluster.gmes.webhooksDelivered();
      const deleted = await gw.query(
        'mutation($id: ID!) { deleteWorkOrder(id: $id) { deletedId } }',
        { id: order.id },
        key(ALL),
      );
      expect(deleted.body.errors).toBeUndefined();
      await cluster.gmes.settleWebhooks();
      expect(cluster.gmes.webhooksDelivered()).toBe(delivered + 1);
      // A later change marks the end: whatever came before it has come.
      const pbId = cluster.pb.changeOrder();
      await gw.gateway.poller.pollOnce();
      await sse.waitFor(2);
      const got = changesOf(sse);
      expect(got).toHaveLength(2);
      expect(got[0]).toMatchObject({ kind: 'DELETED', order: { id: order.id } });
      expect(['MUTATION', 'WEBHOOK']).toContain(got[0].source);
      expect(got[1]).toMatchObject({ source: 'POLL', order: { vendor: 'PITNEY_BOWES', vendorId: pbId } });
      await sse.close();
    } finally {
      cluster.gmes.setWebhook(undefined);
    }
  });

  it('a signed work_order.deleted delivery for an order never seen is published DELETED with the order it carries', async () => {
    const feed = gw.gateway.changes.subscribe(() => true);
    const order = await gmesDetail((await gmesOrder('OPEN')).vendorId);
    const { id, raw } = delivery({ ...order, id: 'gm-gone-by-webhook' }, undefined, 'work_order.deleted');
    expect((await sendWebhook(raw, signed(id, raw))).status).toBe(202);
    const first = await feed.next();
    expect(first.value).toMatchObject({
      kind: 'DELETED',
      source: 'WEBHOOK',
      order: { vendor: 'GENERIC_MES', vendorId: 'gm-gone-by-webhook' },
    });
    // The same deletion told again (another delivery id): nothing more. A marker proves it.
    const again = delivery({ ...order, id: 'gm-gone-by-webhook' }, undefined, 'work_order.deleted');
    expect((await sendWebhook(again.raw, signed(again.id, again.raw))).status).toBe(202);
    const marker = delivery({ ...order, completedQuantity: 424242 });
    expect((await sendWebhook(marker.raw, signed(marker.id, marker.raw))).status).toBe(202);
    const next = await feed.next();
    await feed.return!();
    expect(next.value).toMatchObject({ kind: 'UPDATED', order: { completedQuantity: 424242 } });
  });
});
