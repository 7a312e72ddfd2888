// Vendors misbehaving: slow, rate limiting, briefly unavailable. Reads may be retried; writes never are once they
// may have reached the vendor.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearFaults } from '../../src/simulators/harness.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;

beforeAll(async () => {
  // A tight deadline for the vendor the tests slow down; the others keep room for a loaded machine.
  gw = await startTestGateway({
    config: { upstreamTimeoutMs: 5_000, upstream: { vendors: { GENERIC_MES: { timeoutMs: 300 } } } },
  });
});
afterAll(async () => {
  await gw.close();
});
afterEach(() => {
  clearFaults(gw.gmes.faults);
  clearFaults(gw.dotzero.faults);
  gw.gmes.setRateLimit(undefined);
  gw.resetCounts();
});

const LIST = `{ workOrders(first: 100) { totalCount edges { node { vendor } } } }`;

describe('upstream faults', () => {
  it('a vendor slower than the timeout answers UPSTREAM_TIMEOUT for its part only', async () => {
    gw.gmes.faults.latencyMs = 1_000;
    const res = await gw.query(LIST);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', vendor: 'GENERIC_MES' });
    expect(res.body.data!.workOrders.edges.length).toBe(100);
    // The simulator still answers the abandoned request later; let it, so it does not count in the next test (nor
    // pass its rate limit: a fixed wait was too short on a loaded machine).
    await gw.gmes.settled();
  });

  it("a vendor rate limit answers RATE_LIMITED with the vendor's Retry-After", async () => {
    gw.gmes.setRateLimit(1);
    const query = `{ workOrders(first: 5, filter: { vendors: [GENERIC_MES] }) { totalCount } }`;
    expect((await gw.query(query)).body.errors).toBeUndefined();
    const res = await gw.query(query);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', vendor: 'GENERIC_MES' });
    expect(res.body.errors![0]!.extensions!.retryAfter).toBeGreaterThan(0);
  });

  it('a read that meets a brief outage is tried once more and succeeds', async () => {
    gw.gmes.faults.next = [{ status: 503, raw: 'maintenance' }];
    const res = await gw.query(`{ workOrders(first: 5, filter: { vendors: [GENERIC_MES] }) { totalCount } }`);
    expect(res.body.errors).toBeUndefined();
    expect(gw.gmes.count('GET /api/v2/work-orders')).toBe(2);
  });

  it('a write that meets an outage is not sent again', async () => {
    const open = await gw.query(
      `{ workOrders(first: 1, filter: { vendors: [GENERIC_MES], statuses: [OPEN] }) { edges { node { id vendorId } } } }`,
    );
    const { id, vendorId } = open.body.data!.workOrders.edges[0].node;
    gw.resetCounts();
    gw.gmes.faults.next = [
      {
        status: 200,
        body: {
          data: {
            id: vendorId,
            orderNumber: 'x',
            status: 'OPEN',
            quantity: 5,
            completedQuantity: 0,
            priority: 'NORMAL',
          },
        },
      },
      { status: 503, raw: 'maintenance' },
    ];
    const res = await gw.query(`mutation($id: ID!) { startWorkOrder(id: $id) { status } }`, { id });
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'GENERIC_MES' });
    expect(gw.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(1);
  });

  it('a relation whose vendor fails empties only that list and names the vendor', async () => {
    // Its own gateway with the default timeout: this test is about a failing endpoint, not a slow one.
    const local = await startTestGateway();
    // The generic MES operations endpoint is down; its work-order list and details are not.
    local.gmes.faults.routeStatus = { 'GET /api/v2/operations/:id': 500 };
    try {
      const res =
        await local.query(`{ workOrders(first: 3, filter: { vendors: [GENERIC_MES], statuses: [IN_PROGRESS] }) {
        edges { node { id orderNumber operations { id } } } } }`);
      const nodes = res.body.data!.workOrders.edges.map((e: any) => e.node);
      expect(nodes).toHaveLength(3);
      for (const node of nodes) {
        expect(node.orderNumber).toMatch(/\S/);
        expect(node.operations).toEqual([]);
      }
      expect(local.gmes.count('GET /api/v2/operations/:id')).toBeGreaterThan(0);
      expect(res.body.errors).toHaveLength(3);
      res.body.errors!.forEach((err, i) => {
        expect(err.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', vendor: 'GENERIC_MES', upstreamStatus: 500 });
        expect(err.path).toEqual(['workOrders', 'edges', i, 'node', 'operations']);
      });
    } finally {
      await local.close();
    }
  });
});

describe('circuit breaker', () => {
  it('after a run of timeouts fails calls at once without sending them, then lets one through after the cool-down', async () => {
    const local = await startTestGateway({
      config: {
        upstreamTimeoutMs: 5_000,
        upstreamBreaker: { failures: 2, cooldownMs: 1_000 },
        upstream: { vendors: { GENERIC_MES: { timeoutMs: 150 } } },
      },
    });
    const query = `{ workOrders(first: 5, filter: { vendors: [GENERIC_MES] }) { totalCount } }`;
    try {
      local.gmes.faults.latencyMs = 600;
      for (let i = 0; i < 2; i++)
        expect((await local.query(query)).body.errors![0]!.extensions!.code).toBe('UPSTREAM_TIMEOUT');
      local.resetCounts(); // the simulator counts a request when it arrives, so the abandoned two are counted already
      const refused = await local.query(query);
      expect(refused.body.errors![0]!.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        vendor: 'GENERIC_MES',
      });
      // Failed at once: nothing reached the vendor (a call sent would have been counted on arrival).
      expect(local.gmes.total()).toBe(0);
      // Other vendors are not affected.
      expect(
        (await local.query(`{ workOrders(first: 1, filter: { vendors: [DOTZERO] }) { totalCount } }`)).body.errors,
      ).toBeUndefined();
      clearFaults(local.gmes.faults);
      await new Promise((r) => setTimeout(r, 1_050));
      expect((await local.query(query)).body.errors).toBeUndefined();
    } finally {
      await local.close();
    }
  });
});

describe('metrics', () => {
  it('GET /metrics counts vendor calls by vendor, operation and status, and operations by outcome', async () => {
    const local = await startTestGateway({ config: { metrics: true } });
    try {
      await local.query(`{ workOrders(first: 5) { totalCount } }`);
      const res = await local.gateway.yoga.fetch('http://gateway.test/metrics');
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(
        /mes_gateway_upstream_requests_total\{vendor="GENERIC_MES",operation="listWorkOrders",status="200"\} 1/,
      );
      expect(text).toMatch(/mes_gateway_upstream_requests_total\{vendor="PITNEY_BOWES",[^}]*status="200"\}/);
      expect(text).toMatch(/mes_gateway_graphql_operations_total\{type="query",outcome="ok"\} 1/);
      expect(text).not.toMatch(/Bearer|apiKey|secret/i);

      // Each label set is its own series, counted on every call (the children are cached per label set).
      await local.query(`{ workOrders(first: 5) { totalCount } }`);
      local.gmes.faults.status = 503;
      await local.query(`{ workOrders(first: 5) { totalCount } }`);
      local.gmes.faults.status = undefined;
      const after = await (await local.gateway.yoga.fetch('http://gateway.test/metrics')).text();
      expect(after).toMatch(
        /mes_gateway_upstream_requests_total\{vendor="GENERIC_MES",operation="listWorkOrders",status="200"\} 2\n/,
      );
      expect(after).toMatch(
        /mes_gateway_upstream_requests_total\{vendor="GENERIC_MES",operation="listWorkOrders",status="503"\} [1-9]/,
      );
      expect(after).toMatch(
        /mes_gateway_upstream_request_duration_seconds_count\{vendor="GENERIC_MES",operation="listWorkOrders"\} [3-9]/,
      );
      expect(after).toMatch(/mes_gateway_graphql_operations_total\{type="query",outcome="ok"\} 2\n/);
      expect(after).toMatch(/mes_gateway_graphql_operations_total\{type="query",outcome="partial"\} 1\n/);
      expect(after).toMatch(/mes_gateway_graphql_operation_duration_seconds_count\{type="query"\} 3\n/);
    } finally {
      await local.close();
    }
  });
});
