// Vendors failing in every way the simulators can fail (issue 11): deadlines, read retries within a budget,
// Retry-After, bulkheads, breakers, bad payloads, token expiry, and writes whose outcome is unknown. Every
// assertion is on the simulators' counters or the gateway's answer, never on elapsed time; the budgets and
// backoffs are small so the file stays fast.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config.js';
import { clearFaults, type Faults } from '../../src/simulators/harness.js';
import { startGenericMesSimulator } from '../../src/simulators/generic-mes/index.js';
import { startTcpProxy, startUnconnectable } from '../../src/simulators/tcp-proxy.js';
import type { VendorPolicy } from '../../src/vendors/resilience.js';
import { codes, startTestGateway, startTestGatewayWith, type TestGateway } from '../helpers/gateway.js';

const LIST_GM = 'GET /api/v2/work-orders';
const START_GM = 'POST /api/v2/work-orders/:id/start';
const GM_ONLY = `{ workOrders(first: 5, filter: { vendors: [GENERIC_MES] }) { edges { node { id } } } }`;
/** One part per vendor, so a failing vendor's part is null (or empty) and the others' parts stay whole. */
const ALL = `{
  dz: workOrders(first: 3, filter: { vendors: [DOTZERO] }) { edges { node { vendor } } }
  gm: workOrders(first: 3, filter: { vendors: [GENERIC_MES] }) { edges { node { vendor } } }
  pb: workOrders(first: 3, filter: { vendors: [PITNEY_BOWES] }) { edges { node { vendor } } }
}`;

/** Small, fast policies: tight deadlines, 2 retries with millisecond backoff, a generous budget. */
const FAST: Partial<VendorPolicy> = {
  timeoutMs: 400,
  headersTimeoutMs: 250,
  bodyTimeoutMs: 300,
  retries: 2,
  retryBackoffMs: 1,
  retryBackoffMaxMs: 5,
  retryBudgetRatio: 1,
  retryBudgetMin: 100,
  retryAfterMaxMs: 1_500,
};

function config(policy: Partial<VendorPolicy> = {}, more: Partial<GatewayConfig> = {}): Partial<GatewayConfig> {
  return { upstreamTimeoutMs: 400, upstream: { defaults: { ...FAST, ...policy } }, ...more };
}

const gmError = (res: Awaited<ReturnType<TestGateway['query']>>) =>
  res.body.errors?.find((e) => e.extensions?.vendor === 'GENERIC_MES');
/** The vendors whose part of ALL came back whole. */
const vendorsIn = (res: Awaited<ReturnType<TestGateway['query']>>) =>
  new Set(
    ['dz', 'gm', 'pb']
      .map((part) => (res.body.data as any)?.[part]?.edges ?? [])
      .filter((edges: any[]) => edges.length === 3)
      .map((edges: any[]) => edges[0].node.vendor),
  );

async function health(gw: TestGateway, vendor: string) {
  const res = await gw.query(
    `{ vendors { vendor health { state breaker latencyP50Ms latencyP99Ms errorRate lastError lastSuccessAt inFlight queued retries breakerTrips } } }`,
  );
  return res.body.data!.vendors.find((v: any) => v.vendor === vendor).health;
}

/** A GENERIC_MES work order that can be started, and its gateway id. */
async function openGmOrder(gw: TestGateway, skip = 0): Promise<{ id: string; vendorId: string }> {
  const res = await gw.query(
    `{ workOrders(first: 20, filter: { vendors: [GENERIC_MES], statuses: [OPEN] }) { edges { node { id vendorId } } } }`,
  );
  return res.body.data!.workOrders.edges[skip].node;
}

// Per-vendor deadlines: the generic MES gets tight ones and 4 slots; the others keep roomier defaults.
function startDeadlineGateway(): Promise<TestGateway> {
  return startTestGateway({
    config: {
      upstreamTimeoutMs: 15_000,
      upstream: {
        // The simulators share this process and its 2 cores: 50 Pitney Bowes searches at once take seconds.
        defaults: { ...FAST, timeoutMs: 15_000, headersTimeoutMs: 15_000, bodyTimeoutMs: 15_000, retries: 0 },
        vendors: {
          GENERIC_MES: {
            timeoutMs: 400,
            headersTimeoutMs: 250,
            bodyTimeoutMs: 300,
            maxConcurrent: 4,
            maxQueued: 200,
          },
        },
      },
    },
  });
}

describe('deadlines', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startDeadlineGateway();
  });
  afterAll(() => gw.close());
  afterEach(() => {
    clearFaults(gw.gmes.faults);
    gw.resetCounts();
  });

  it('a hung vendor answers UPSTREAM_TIMEOUT for its part only, for each of 50 queries in flight, using only its own slots', async () => {
    gw.gmes.faults.hang = true;
    const answers = await Promise.all(Array.from({ length: 50 }, () => gw.query(ALL)));
    for (const res of answers) {
      expect(res.body.errors!.map((e) => [e.extensions!.code, e.extensions!.vendor, e.path])).toEqual([
        ['UPSTREAM_TIMEOUT', 'GENERIC_MES', ['gm']],
      ]);
      expect(vendorsIn(res)).toEqual(new Set(['DOTZERO', 'PITNEY_BOWES']));
    }
    // The bulkhead (4 slots) held the rest back: a queued call is sent only when a hung one gives its slot up at its
    // deadline, and only if its own deadline has not passed, so most of the 50 time out waiting, unsent. How many go
    // out in those later waves depends on how far apart the 50 arrived; without the bulkhead all 50 would be sent.
    expect(gw.gmes.total()).toBeLessThan(50);
    expect(gw.gmes.faultCounts().hang ?? 0).toBe(gw.gmes.total());
  });
});

// Its own gateway: after the 50 hung calls above, that gateway's generic MES breaker and slots say nothing about a drip.
describe('body deadline', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startDeadlineGateway();
  });
  afterAll(() => gw.close());

  it('a slowly dripping body answers UPSTREAM_TIMEOUT within the body deadline', async () => {
    gw.gmes.faults.drip = { chunkBytes: 20, intervalMs: 40 };
    gw.gmes.faults.only = [LIST_GM];
    const res = await gw.query(ALL);
    expect(gmError(res)!.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', vendor: 'GENERIC_MES' });
    expect(vendorsIn(res)).toEqual(new Set(['DOTZERO', 'PITNEY_BOWES']));
    expect(gw.gmes.faultCounts().drip).toBe(1);
  });
});

describe('read retries', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ config: config() });
  });
  afterAll(() => gw.close());
  afterEach(() => {
    clearFaults(gw.gmes.faults);
    gw.resetCounts();
  });

  it.each<[string, Faults, string]>([
    ['503', { status: 503 }, 'UPSTREAM_UNAVAILABLE'],
    ['502', { status: 502 }, 'UPSTREAM_UNAVAILABLE'],
    ['504', { status: 504 }, 'UPSTREAM_TIMEOUT'],
    ['a reset before the body is read', { resetBeforeBody: true }, 'UPSTREAM_UNAVAILABLE'],
    ['a reset after the body is read', { reset: true }, 'UPSTREAM_UNAVAILABLE'],
    ['a hung answer', { hang: true }, 'UPSTREAM_TIMEOUT'],
  ])(
    '%s: a read is sent 1 + 2 (the configured retries) times, then fails with its code',
    async (_name, faults, code) => {
      Object.assign(gw.gmes.faults, faults, { only: [LIST_GM] });
      const res = await gw.query(GM_ONLY);
      expect(res.body.errors![0]!.extensions).toMatchObject({ code, vendor: 'GENERIC_MES' });
      // A hung attempt may be cut by the whole-call deadline before the last retry: never more than 3.
      if (faults.hang) expect(gw.gmes.count(LIST_GM)).toBeLessThanOrEqual(3);
      else expect(gw.gmes.count(LIST_GM)).toBe(3);
    },
  );

  it('a 500 (not an outage) and a 404 are not retried', async () => {
    Object.assign(gw.gmes.faults, { status: 500, only: [LIST_GM] });
    expect(codes(await gw.query(GM_ONLY))).toEqual(['UPSTREAM_ERROR']);
    expect(gw.gmes.count(LIST_GM)).toBe(1);
  });

  it('one 503 then success: the read succeeds on its first retry', async () => {
    gw.gmes.faults.next = [{ status: 503, raw: 'maintenance' }];
    const res = await gw.query(GM_ONLY);
    expect(res.body.errors).toBeUndefined();
    expect(gw.gmes.count(LIST_GM)).toBe(2);
  });

  it('a 429 with a short Retry-After is waited out and the read retried once', async () => {
    gw.gmes.faults.burst429 = { count: 1, retryAfterSeconds: 0 };
    const res = await gw.query(GM_ONLY);
    expect(res.body.errors).toBeUndefined();
    expect(gw.gmes.count(LIST_GM)).toBe(2);
    expect(gw.gmes.faultCounts().burst429).toBe(1);
  });

  it('a 503 with a short Retry-After (1 s, under the 1.5 s cap) is honoured and retried', async () => {
    const local = await startTestGateway({
      config: config({ timeoutMs: 3_000, bodyTimeoutMs: 2_000, headersTimeoutMs: 2_000 }),
    });
    try {
      local.gmes.faults.next = [{ status: 503, raw: 'busy', headers: { 'retry-after': '1' } }];
      const res = await local.query(GM_ONLY);
      expect(res.body.errors).toBeUndefined();
      expect(local.gmes.count(LIST_GM)).toBe(2);
    } finally {
      await local.close();
    }
  });

  it.each([
    ['429', { burst429: { count: 5, retryAfterSeconds: 120 } } as Faults],
    ['503', { status: 503, statusHeaders: { 'retry-after': '120' } } as Faults],
  ])('a %s with a long Retry-After answers RATE_LIMITED with retryAfter, sent once', async (_name, faults) => {
    Object.assign(gw.gmes.faults, faults, { only: [LIST_GM] });
    const res = await gw.query(GM_ONLY);
    expect(res.body.errors![0]!.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      vendor: 'GENERIC_MES',
      retryAfter: 120,
    });
    expect(gw.gmes.count(LIST_GM)).toBe(1);
  });

  it('Pitney Bowes searches (POST that changes nothing) are retried like reads', async () => {
    gw.pb.faults.next = [{ status: 503, raw: 'busy' }];
    gw.pb.faults.only = ['POST /shippingservices/fulfillment/v1/work-orders/search'];
    const res = await gw.query(
      `{ workOrders(first: 5, filter: { vendors: [PITNEY_BOWES] }) { edges { node { id } } } }`,
    );
    clearFaults(gw.pb.faults);
    expect(res.body.errors).toBeUndefined();
    expect(gw.pb.count('POST /shippingservices/fulfillment/v1/work-orders/search')).toBe(2);
  });
});

describe('retry budget', () => {
  it('under a storm of 503s, retries stay within 10% of the calls', async () => {
    const gw = await startTestGateway({ config: config({ retries: 3, retryBudgetRatio: 0.1, retryBudgetMin: 0 }) });
    try {
      Object.assign(gw.gmes.faults, { status: 503, only: [LIST_GM] });
      for (let i = 0; i < 40; i++) expect(codes(await gw.query(GM_ONLY))).toEqual(['UPSTREAM_UNAVAILABLE']);
      const h = await health(gw, 'GENERIC_MES');
      const sent = gw.gmes.count(LIST_GM);
      // 40 calls; without a budget 3 retries each would make 160 requests.
      expect(sent).toBe(40 + h.retries);
      expect(h.retries).toBeGreaterThan(0);
      expect(h.retries).toBeLessThanOrEqual(4);
    } finally {
      await gw.close();
    }
  });
});

describe('writes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ config: config() });
  });
  afterAll(() => gw.close());
  afterEach(() => {
    clearFaults(gw.gmes.faults);
    gw.gmes.reset();
  });

  const START = `mutation($id: ID!) { startWorkOrder(id: $id) { id status } }`;
  const statusOf = async (id: string) =>
    (await gw.query(`query($id: ID!) { workOrder(id: $id) { status } }`, { id })).body.data!.workOrder.status;

  it.each<[string, Faults, string]>([
    ['a 503', { status: 503 }, 'UPSTREAM_UNAVAILABLE'],
    ['a 502', { status: 502 }, 'UPSTREAM_UNAVAILABLE'],
    ['a reset after sending', { reset: true }, 'UPSTREAM_UNAVAILABLE'],
    ['a hung answer', { hang: true }, 'UPSTREAM_TIMEOUT'],
  ])('a write that meets %s is sent exactly once', async (_name, faults, code) => {
    const { id } = await openGmOrder(gw);
    gw.resetCounts();
    Object.assign(gw.gmes.faults, faults, { only: [START_GM] });
    const res = await gw.query(START, { id });
    expect(res.body.errors![0]!.extensions).toMatchObject({ code, vendor: 'GENERIC_MES' });
    expect(gw.gmes.count(START_GM)).toBe(1);
  });

  it.each<[string, Faults, string]>([
    ['the connection is cut after the vendor acted', { resetAfterHandler: true }, 'UPSTREAM_UNAVAILABLE'],
    ['the answer never comes after the vendor acted', { hangAfterHandler: true }, 'UPSTREAM_TIMEOUT'],
  ])(
    '%s: the write is reported UNKNOWN, and its repeat reads the vendor and answers the result without writing again',
    async (_name, faults, code) => {
      const { id } = await openGmOrder(gw);
      gw.resetCounts();
      Object.assign(gw.gmes.faults, faults, { only: [START_GM] });
      const key = { 'idempotency-key': `ambiguous-${code}` };
      const first = await gw.query(START, { id }, key);
      expect(first.body.errors![0]!.extensions).toMatchObject({ code, vendor: 'GENERIC_MES', outcome: 'UNKNOWN' });
      expect(gw.gmes.count(START_GM)).toBe(1);
      clearFaults(gw.gmes.faults);
      const repeat = await gw.query(START, { id }, key);
      expect(repeat.body.errors).toBeUndefined();
      expect(repeat.body.data!.startWorkOrder.status).toBe('IN_PROGRESS');
      expect(gw.gmes.count(START_GM)).toBe(1);
      // A third time answers the recorded result.
      expect((await gw.query(START, { id }, key)).body.data!.startWorkOrder.status).toBe('IN_PROGRESS');
      expect(gw.gmes.count(START_GM)).toBe(1);
    },
  );

  it('an UNKNOWN write that did not happen is carried out once by its repeat', async () => {
    const { id } = await openGmOrder(gw, 1);
    gw.resetCounts();
    Object.assign(gw.gmes.faults, { reset: true, only: [START_GM] });
    const key = { 'idempotency-key': 'ambiguous-not-done' };
    const first = await gw.query(START, { id }, key);
    expect(first.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', outcome: 'UNKNOWN' });
    expect(await statusOf(id)).toBe('OPEN');
    clearFaults(gw.gmes.faults);
    const repeat = await gw.query(START, { id }, key);
    expect(repeat.body.data!.startWorkOrder.status).toBe('IN_PROGRESS');
    expect(gw.gmes.count(START_GM)).toBe(2);
  });

  const CREATE = `mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { id vendor orderNumber quantity notes } }`;
  const CREATE_ROUTE = { DOTZERO: 'POST /v1/workOrders', GENERIC_MES: 'POST /api/v2/work-orders' } as const;
  it.each<['DOTZERO' | 'GENERIC_MES', string, Faults, boolean]>([
    ['DOTZERO', 'the connection cut after the vendor created it', { resetAfterHandler: true }, true],
    ['DOTZERO', 'the answer never coming after the vendor created it', { hangAfterHandler: true }, true],
    ['DOTZERO', 'the connection cut before the vendor handled it', { reset: true }, false],
    ['GENERIC_MES', 'the connection cut after the vendor created it', { resetAfterHandler: true }, true],
    ['GENERIC_MES', 'the answer never coming after the vendor created it', { hangAfterHandler: true }, true],
    ['GENERIC_MES', 'the connection cut before the vendor handled it', { reset: true }, false],
  ])(
    '%s create with %s: UNKNOWN, and its repeat looks the order up by its number, never creating it twice',
    async (vendor, _name, faults, happened) => {
      const sim = vendor === 'DOTZERO' ? gw.dotzero : gw.gmes;
      const route = CREATE_ROUTE[vendor];
      gw.resetCounts();
      let created = 0;
      sim.observeWrites((key, _body, status) => {
        if (key === route && status < 300) created++;
      });
      try {
        const orderNumber = `AMB-${vendor}-${Object.keys(faults)[0]}`;
        const input = {
          vendor,
          orderNumber,
          quantity: 7,
          notes: 'ambiguous',
          ...(vendor === 'GENERIC_MES' ? { product: 'Widget A' } : {}),
        };
        const key = { 'idempotency-key': `create-${orderNumber}` };
        Object.assign(sim.faults, faults, { only: [route] });
        const first = await gw.query(CREATE, { input }, key);
        expect(first.body.errors![0]!.extensions).toMatchObject({ vendor, outcome: 'UNKNOWN' });
        expect(sim.count(route)).toBe(1);
        expect(created).toBe(happened ? 1 : 0);
        clearFaults(sim.faults);
        const repeat = await gw.query(CREATE, { input }, key);
        expect(repeat.body.errors, JSON.stringify(repeat.body.errors)).toBeUndefined();
        expect(repeat.body.data!.createWorkOrder).toMatchObject({
          vendor,
          orderNumber,
          quantity: 7,
          notes: 'ambiguous',
        });
        // Found: answered from the vendor without sending again. Not found: sent once more, and only once.
        expect(sim.count(route)).toBe(happened ? 1 : 2);
        expect(created).toBe(1);
        expect((repeat.body as any).extensions?.idempotentReplayed).toBe(happened ? true : undefined);
        // A third time answers the recorded order: nothing more is sent.
        const third = await gw.query(CREATE, { input }, key);
        expect(third.body.data!.createWorkOrder.id).toBe(repeat.body.data!.createWorkOrder.id);
        expect(sim.count(route)).toBe(happened ? 1 : 2);
        expect(created).toBe(1);
      } finally {
        sim.observeWrites(undefined);
      }
    },
  );

  it('an UNKNOWN create whose number the vendor holds with other values is not taken for it: the resend is refused as a duplicate', async () => {
    const route = CREATE_ROUTE.GENERIC_MES;
    const taken = (
      await gw.query(`{ workOrders(first: 1, filter: { vendors: [GENERIC_MES] }) { edges { node { orderNumber } } } }`)
    ).body.data!.workOrders.edges[0].node.orderNumber;
    const input = { vendor: 'GENERIC_MES', orderNumber: taken, quantity: 999_999, product: 'Widget A' };
    const key = { 'idempotency-key': 'create-not-ours' };
    Object.assign(gw.gmes.faults, { reset: true, only: [route] });
    expect((await gw.query(CREATE, { input }, key)).body.errors![0]!.extensions).toMatchObject({ outcome: 'UNKNOWN' });
    clearFaults(gw.gmes.faults);
    const repeat = await gw.query(CREATE, { input }, key);
    expect(repeat.body.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.orderNumber' });
    expect(gw.gmes.count(route)).toBe(2);
  });

  it('a write refused before sending (open circuit) is not UNKNOWN', async () => {
    const local = await startTestGateway({
      config: config({ breakerFailures: 1, breakerCooldownMs: 60_000, retries: 0 }),
    });
    try {
      const { id } = await openGmOrder(local);
      local.gmes.faults.hang = true;
      expect(codes(await local.query(GM_ONLY))).toEqual(['UPSTREAM_TIMEOUT']);
      local.resetCounts();
      const res = await local.query(START, { id });
      expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'GENERIC_MES' });
      expect(res.body.errors![0]!.extensions!.outcome).toBeUndefined();
      expect(local.gmes.total()).toBe(0);
    } finally {
      await local.close();
    }
  });
});

describe('bulkhead and breaker', () => {
  it('at most maxConcurrent calls reach a slow vendor; beyond the queue, calls are refused unsent', async () => {
    const gw = await startTestGateway({ config: config({ maxConcurrent: 2, maxQueued: 0, retries: 0 }) });
    try {
      gw.gmes.faults.hang = true;
      const answers = await Promise.all(Array.from({ length: 6 }, () => gw.query(GM_ONLY)));
      const got = answers.map((r) => r.body.errors![0]!.extensions!.code).sort();
      expect(got).toEqual([
        'UPSTREAM_TIMEOUT',
        'UPSTREAM_TIMEOUT',
        'UPSTREAM_UNAVAILABLE',
        'UPSTREAM_UNAVAILABLE',
        'UPSTREAM_UNAVAILABLE',
        'UPSTREAM_UNAVAILABLE',
      ]);
      expect(gw.gmes.total()).toBe(2);
      // The other vendors have their own slots.
      clearFaults(gw.gmes.faults);
      expect(codes(await gw.query(ALL))).toEqual([]);
    } finally {
      await gw.close();
    }
  });

  it('an open breaker makes zero calls; /ready says 503 only when every breaker is open; health shows it', async () => {
    const gw = await startTestGateway({
      config: config({ breakerFailures: 2, breakerCooldownMs: 60_000, retries: 0 }),
    });
    try {
      for (const sim of [gw.gmes, gw.dotzero, gw.pb]) sim.faults.hang = true;
      expect((await gw.gateway.yoga.fetch('http://gateway.test/ready')).status).toBe(200);
      for (let i = 0; i < 2; i++) await gw.query(ALL);
      gw.resetCounts();
      const refused = await gw.query(ALL);
      expect(codes(refused)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
      expect(gw.calls().total).toBe(0);
      const ready = await gw.gateway.yoga.fetch('http://gateway.test/ready');
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as any).vendors.map((v: any) => v.breaker)).toEqual(['OPEN', 'OPEN', 'OPEN']);
      expect((await gw.gateway.yoga.fetch('http://gateway.test/health')).status).toBe(200);
      const h = await health(gw, 'GENERIC_MES');
      expect(h).toMatchObject({ state: 'DOWN', breaker: 'OPEN', breakerTrips: 1 });
      expect(h.lastError).toMatch(/GENERIC_MES/);
    } finally {
      await gw.close();
    }
  });
});

describe('bad payloads', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Roomy deadlines: nothing here is about time, and a shared 2-core machine under load can take 400 ms to answer.
    gw = await startTestGateway({
      config: config({
        maxResponseBytes: 1_000_000,
        retries: 0,
        timeoutMs: 5_000,
        headersTimeoutMs: 5_000,
        bodyTimeoutMs: 5_000,
      }),
    });
    // Warm: the first call to each vendor (JIT, connections) is not any test's.
    await gw.query(ALL);
    gw.resetCounts();
  });
  afterAll(() => gw.close());
  afterEach(() => {
    for (const sim of [gw.gmes, gw.dotzero, gw.pb]) clearFaults(sim.faults);
    gw.resetCounts();
  });

  it.each<[string, Faults]>([
    ['truncated JSON', { body: 'truncate' }],
    ['an HTML page with 200', { body: 'html' }],
    ['JSON nested 10,000 deep', { body: 'deep' }],
    [
      'a work order of the wrong shape',
      { next: [{ status: 200, body: { data: [{ id: { nested: 1 }, status: [1] }] } }] },
    ],
    ['a list that is not a list', { next: [{ status: 200, body: { data: 42 } }] }],
  ])('%s fails only that vendor, naming it, and the gateway keeps serving', async (_name, faults) => {
    Object.assign(gw.gmes.faults, faults, { only: [LIST_GM] });
    const res = await gw.query(ALL);
    expect(gmError(res)!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', vendor: 'GENERIC_MES' });
    expect(gmError(res)!.path).toEqual(['gm']);
    expect(gmError(res)!.message).not.toMatch(/<html|\[\[\[|nested/i);
    expect(vendorsIn(res)).toEqual(new Set(['DOTZERO', 'PITNEY_BOWES']));
    expect(gw.gmes.count(LIST_GM)).toBe(1);
    clearFaults(gw.gmes.faults);
    expect(codes(await gw.query(GM_ONLY))).toEqual([]);
  });

  it('a 10 MB body is cut off at the configured limit and refused, naming the vendor', async () => {
    // The simulator runs in this process: building and sending 10 MB takes it a while, so the deadline is wider.
    const local = await startTestGateway({
      config: config({
        maxResponseBytes: 1_000_000,
        retries: 0,
        timeoutMs: 5_000,
        headersTimeoutMs: 5_000,
        bodyTimeoutMs: 5_000,
      }),
    });
    try {
      Object.assign(local.gmes.faults, { body: 'huge', only: [LIST_GM] });
      const res = await local.query(ALL);
      expect(gmError(res)!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', vendor: 'GENERIC_MES' });
      expect(gmError(res)!.message).toMatch(/over 1000000 bytes/);
      expect(gmError(res)!.message).not.toMatch(/xxxx/);
      expect(vendorsIn(res)).toEqual(new Set(['DOTZERO', 'PITNEY_BOWES']));
    } finally {
      await local.close();
    }
  });

  // Each vendor's answer is checked against its shape at the mapping boundary (src/vendors/<vendor>/mapping.ts).
  const PB_SEARCH = 'POST /shippingservices/fulfillment/v1/work-orders/search';
  it.each<[string, 'wrongTypes' | 'unknownStatus', 'dotzero' | 'gmes' | 'pb', string, string]>([
    ['DOTZERO', 'wrongTypes', 'dotzero', 'dz', 'GET /v1/workOrders'],
    ['DOTZERO', 'unknownStatus', 'dotzero', 'dz', 'GET /v1/workOrders'],
    ['GENERIC_MES', 'wrongTypes', 'gmes', 'gm', LIST_GM],
    ['GENERIC_MES', 'unknownStatus', 'gmes', 'gm', LIST_GM],
    ['PITNEY_BOWES', 'wrongTypes', 'pb', 'pb', PB_SEARCH],
    ['PITNEY_BOWES', 'unknownStatus', 'pb', 'pb', PB_SEARCH],
  ])(
    '%s answering with %s fails only its part, UPSTREAM_ERROR naming it, without a retry',
    async (vendor, body, sim, part, route) => {
      Object.assign(gw[sim].faults, { body, only: [route] });
      try {
        const res = await gw.query(ALL);
        expect(res.body.errors!.map((e) => [e.extensions!.code, e.extensions!.vendor, e.path])).toEqual([
          ['UPSTREAM_ERROR', vendor, [part]],
        ]);
        expect(res.body.errors![0]!.message).toMatch(new RegExp(`^${vendor} answered a (work order|search page)`));
        expect(vendorsIn(res)).toEqual(new Set(['DOTZERO', 'GENERIC_MES', 'PITNEY_BOWES'].filter((v) => v !== vendor)));
        expect(gw[sim].count(route)).toBe(1);
        expect(gw[sim].faultCounts()[`body:${body}`]).toBe(1);
      } finally {
        clearFaults(gw[sim].faults);
      }
    },
  );

  it('a lookup by id of an order in an undocumented status fails that field, naming the vendor', async () => {
    const { id } = await openGmOrder(gw);
    Object.assign(gw.gmes.faults, { body: 'unknownStatus', only: ['GET /api/v2/work-orders/:id'] });
    const res = await gw.query(`query($id: ID!) { workOrder(id: $id) { id status } }`, { id });
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', vendor: 'GENERIC_MES' });
    expect(res.body.errors![0]!.path).toEqual(['workOrder']);
  });
});

describe('tokens', () => {
  it('200 concurrent queries when DotZero expires its tokens make exactly one refresh', async () => {
    const gw = await startTestGateway({
      config: config({ timeoutMs: 5_000, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000 }),
    });
    try {
      await gw.query(`{ workOrders(first: 1, filter: { vendors: [DOTZERO] }) { totalCount } }`);
      gw.dotzero.expireAccessTokens();
      gw.resetCounts();
      const q = `{ workOrders(first: 3, filter: { vendors: [DOTZERO] }) { edges { node { id } } } }`;
      const answers = await Promise.all(Array.from({ length: 200 }, () => gw.query(q)));
      expect(answers.flatMap(codes)).toEqual([]);
      expect(gw.dotzero.refreshCalls()).toBe(1);
    } finally {
      await gw.close();
    }
  });

  it('a revoked Pitney Bowes token is replaced once and the search sent again', async () => {
    const gw = await startTestGateway({ config: config() });
    try {
      const q = `{ workOrders(first: 3, filter: { vendors: [PITNEY_BOWES] }) { edges { node { id } } } }`;
      await gw.query(q);
      const before = gw.pb.tokenCalls();
      // Over the admin route, as an operator would.
      const res = await fetch(`${new URL(gw.pb.apiUrl).origin}/__sim/actions/revoke-tokens`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(codes(await gw.query(q))).toEqual([]);
      expect(gw.pb.tokenCalls()).toBe(before + 1);
    } finally {
      await gw.close();
    }
  });
});

describe('fault admin route', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ config: config() });
  });
  afterAll(() => gw.close());
  const admin = () => `${new URL(gw.gmes.apiUrl).origin}/__sim/faults`;

  it('sets, shows and clears faults at run time; refuses unknown faults and bodies that are not JSON', async () => {
    const put = await fetch(admin(), { method: 'PUT', body: JSON.stringify({ status: 503, only: [LIST_GM] }) });
    expect(put.status).toBe(200);
    gw.resetCounts();
    expect(codes(await gw.query(GM_ONLY))).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(gw.gmes.count(LIST_GM)).toBe(3);
    expect(((await (await fetch(admin())).json()) as any).applied).toEqual({ 'status:503': 3 });
    expect((await fetch(admin(), { method: 'DELETE' })).status).toBe(200);
    expect(codes(await gw.query(GM_ONLY))).toEqual([]);
    expect((await fetch(admin(), { method: 'PATCH', body: JSON.stringify({ explode: true }) })).status).toBe(400);
    expect((await fetch(admin(), { method: 'PATCH', body: '{not json' })).status).toBe(400);
    expect(gw.gmes.faults).toEqual({});
  });
});

describe('TCP-level faults through the proxy', () => {
  it('reset, latency and blackhole modes give UPSTREAM_UNAVAILABLE / UPSTREAM_TIMEOUT; pass works again', async () => {
    const sim = await startGenericMesSimulator();
    const proxy = await startTcpProxy({ port: Number(new URL(sim.apiUrl).port) });
    const gw = await startTestGatewayWith(
      { GENERIC_MES: { apiUrl: `${proxy.origin}/api/v2`, apiKey: sim.apiKey } },
      { config: config({ retries: 1 }) },
    );
    try {
      expect(codes(await gw.query(GM_ONLY))).toEqual([]);
      proxy.setMode('reset');
      const before = proxy.connections();
      expect(codes(await gw.query(GM_ONLY))).toEqual(['UPSTREAM_UNAVAILABLE']);
      // The first attempt and its one retry, each on a new connection.
      expect(proxy.connections() - before).toBe(2);
      proxy.setMode('latency', 1_000);
      expect(codes(await gw.query(GM_ONLY))).toEqual(['UPSTREAM_TIMEOUT']);
      proxy.setMode('blackhole');
      expect(codes(await gw.query(GM_ONLY))).toEqual(['UPSTREAM_TIMEOUT']);
      proxy.setMode('pass');
      expect(codes(await gw.query(GM_ONLY))).toEqual([]);
    } finally {
      await gw.close();
      await proxy.close();
      await sim.close();
    }
  });
});

describe('fault knobs that act on a share of requests', () => {
  it('a status on a share of requests (errorRate) fails exactly the reads it hit; jittered latency times out only the slow ones', async () => {
    const gw = await startTestGateway({
      config: config({ retries: 0, timeoutMs: 1_500, headersTimeoutMs: 1_000, bodyTimeoutMs: 1_200 }),
    });
    try {
      Object.assign(gw.gmes.faults, { status: 503, errorRate: 0.5, only: [LIST_GM] });
      const answers = await Promise.all(Array.from({ length: 40 }, () => gw.query(GM_ONLY)));
      const failed = answers.filter((r) => codes(r).includes('UPSTREAM_UNAVAILABLE')).length;
      // Each 503 the simulator chose is one failed read (no retry), and the rest succeeded.
      expect(failed).toBe(gw.gmes.faultCounts()['status:503']);
      expect(answers.filter((r) => codes(r).length === 0).length).toBe(40 - failed);
      expect(failed).toBeGreaterThan(0);
      expect(failed).toBeLessThan(40);
      clearFaults(gw.gmes.faults);
      // 0-3 s of jitter against a 1 s headers deadline: some reads time out, some do not (all or none: ~1e-3).
      Object.assign(gw.gmes.faults, { latencyMs: 0, latencyJitterMs: 3_000, only: [LIST_GM] });
      const slow = await Promise.all(Array.from({ length: 20 }, () => gw.query(GM_ONLY)));
      const timedOut = slow.filter((r) => codes(r).includes('UPSTREAM_TIMEOUT')).length;
      expect(timedOut + slow.filter((r) => codes(r).length === 0).length).toBe(20);
      expect(timedOut).toBeGreaterThan(0);
      expect(timedOut).toBeLessThan(20);
    } finally {
      await gw.close();
    }
  });
});

describe('connect deadline', () => {
  it('a vendor that never completes a TCP connection answers UPSTREAM_TIMEOUT within its connect budget, for its part only; a write that met it was not sent', async () => {
    const host = await startUnconnectable();
    // Only the connect budget is short: the headers, body and call deadlines are 20 s, so an answer well before
    // them can only be the connect deadline's.
    const gw = await startTestGatewayWith(
      { GENERIC_MES: { apiUrl: `${host.origin}/api/v2`, apiKey: 'unused-key' } },
      {
        config: config(
          { timeoutMs: 20_000, headersTimeoutMs: 20_000, bodyTimeoutMs: 20_000, connectTimeoutMs: 300, retries: 0 },
          { upstreamTimeoutMs: 20_000 },
        ),
      },
    );
    try {
      const started = performance.now();
      const res = await gw.query(ALL);
      const took = performance.now() - started;
      expect(res.body.errors!.map((e) => [e.extensions!.code, e.extensions!.vendor, e.path])).toEqual([
        ['UPSTREAM_TIMEOUT', 'GENERIC_MES', ['gm']],
      ]);
      expect(res.body.errors![0]!.message).toMatch(/connect deadline \(300 ms\)/);
      expect(vendorsIn(res)).toEqual(new Set(['DOTZERO', 'PITNEY_BOWES']));
      // Generous bound (a shared 2-core machine), still far below the 20 s of every other deadline.
      expect(took).toBeLessThan(10_000);
      // A create that could not connect never reached the vendor: not UNKNOWN, and its key is free again.
      const create = await gw.query(
        `mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { id } }`,
        { input: { vendor: 'GENERIC_MES', orderNumber: 'WO-CONNECT-1', quantity: 1, product: 'Widget A' } },
      );
      expect(create.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', vendor: 'GENERIC_MES' });
      expect(create.body.errors![0]!.extensions!.outcome).toBeUndefined();
    } finally {
      await gw.close();
      await host.close();
    }
  });
});

describe('health', () => {
  it('vendors { health } and /metrics show latency, error rate and the last error, with no secret in it', async () => {
    const gw = await startTestGateway({ config: config({ retries: 0 }, { metrics: true }) });
    try {
      expect((await health(gw, 'GENERIC_MES')).state).toBe('UNKNOWN');
      await gw.query(ALL);
      gw.gmes.faults.status = 503;
      await gw.query(GM_ONLY);
      const h = await health(gw, 'GENERIC_MES');
      expect(h).toMatchObject({ breaker: 'DISABLED', errorRate: 0.5, inFlight: 0, queued: 0 });
      expect(h.latencyP50Ms).toBeGreaterThan(0);
      expect(h.latencyP99Ms).toBeGreaterThanOrEqual(h.latencyP50Ms);
      expect(h.lastError).toMatch(/GENERIC_MES listWorkOrders failed: HTTP 503/);
      expect(new Date(h.lastSuccessAt).getTime()).toBeGreaterThan(0);
      expect(JSON.stringify(h)).not.toContain(gw.gmes.apiKey);
      const metrics = await (await gw.gateway.yoga.fetch('http://gateway.test/metrics')).text();
      expect(metrics).toMatch(/mes_gateway_vendor_error_rate\{vendor="GENERIC_MES"\} 0.5/);
      expect(metrics).toMatch(/mes_gateway_vendor_latency_p99_ms\{vendor="DOTZERO"\} \d/);
      expect(metrics).toMatch(/mes_gateway_vendor_breaker_state\{vendor="PITNEY_BOWES"\} -1/);
    } finally {
      await gw.close();
    }
  });
});
