// Mutations through the graph against the simulators: every allowed and forbidden transition per vendor, full
// lifecycles, idempotency, races and bad input — with the simulators' write counters showing what reached a vendor.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codes, startTestGateway, type GqlResponse, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;

const WRITES = {
  DOTZERO: ['POST /v1/workOrders', 'PATCH /v1/workOrders/:uuid', 'DELETE /v1/workOrders/:uuid'],
  GENERIC_MES: [
    'POST /api/v2/work-orders',
    'PUT /api/v2/work-orders/:id',
    'DELETE /api/v2/work-orders/:id',
    'POST /api/v2/work-orders/:id/start',
    'POST /api/v2/work-orders/:id/complete',
  ],
} as const;

function writes(vendor: keyof typeof WRITES): number {
  const c = gw.counts();
  return WRITES[vendor].reduce((n, k) => n + (c[k] ?? 0), 0);
}
const allWrites = () => writes('DOTZERO') + writes('GENERIC_MES');

const STATUSES = [
  'OPEN',
  'IN_PROGRESS',
  'PAUSED',
  'ON_HOLD',
  'COMPLETED',
  'INCOMPLETE',
  'CANCELLED',
  'CLOSED',
] as const;
const ALLOWED: Record<'DOTZERO' | 'GENERIC_MES', Partial<Record<string, string[]>>> = {
  DOTZERO: {
    OPEN: ['IN_PROGRESS'],
    IN_PROGRESS: ['COMPLETED', 'INCOMPLETE'],
    INCOMPLETE: ['IN_PROGRESS'],
    COMPLETED: [],
  },
  GENERIC_MES: {
    OPEN: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED'],
    IN_PROGRESS: ['PAUSED', 'ON_HOLD', 'COMPLETED'],
    PAUSED: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED'],
    ON_HOLD: ['OPEN', 'IN_PROGRESS', 'CANCELLED'],
    COMPLETED: [],
    CANCELLED: [],
  },
};

/** Seeded orders by vendor and status, handed out one per test case so cases don't disturb each other. */
const pool = new Map<string, { id: string; vendorId: string; quantity: number; completedQuantity: number }[]>();
function take(vendor: string, status: string) {
  const list = pool.get(`${vendor}:${status}`) ?? [];
  const next = list.shift();
  if (!next) throw new Error(`no seeded ${vendor} order left in ${status}`);
  return next;
}

beforeAll(async () => {
  gw = await startTestGateway();
  for (const vendor of ['DOTZERO', 'GENERIC_MES', 'PITNEY_BOWES']) {
    let after: string | null = null;
    for (;;) {
      const res: GqlResponse = await gw.query(
        `query($after: String, $v: [Vendor!]) { workOrders(first: 100, after: $after, filter: { vendors: $v }) {
          pageInfo { hasNextPage endCursor } edges { node { id vendorId status quantity completedQuantity } } } }`,
        { after, v: [vendor] },
      );
      const conn: {
        pageInfo: { hasNextPage: boolean; endCursor: string };
        edges: {
          node: { id: string; vendorId: string; status: string; quantity: number; completedQuantity: number };
        }[];
      } = res.body.data!.workOrders;
      for (const { node } of conn.edges) {
        const key = `${vendor}:${node.status}`;
        pool.set(key, [...(pool.get(key) ?? []), node]);
      }
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
  }
});

afterAll(async () => {
  await gw.close();
});

beforeEach(() => gw.resetCounts());

const TRANSITION = `mutation($id: ID!, $to: WorkOrderStatus!) { transitionWorkOrder(id: $id, to: $to) { id status vendorStatus allowedTransitions } }`;
const READ = `query($id: ID!) { workOrder(id: $id) { id status vendorStatus allowedTransitions completedQuantity notes } }`;

describe.each(['DOTZERO', 'GENERIC_MES'] as const)('%s state table through the graph', (vendor) => {
  const cases = Object.entries(ALLOWED[vendor]).flatMap(([from, allowed]) =>
    STATUSES.map((to) => [from, to, allowed!.includes(to)] as const),
  );

  it.each(cases)('%s -> %s allowed: %s', async (from, to, allowed) => {
    const order = take(vendor, from);
    const before = await gw.query(READ, { id: order.id });
    expect(before.body.data!.workOrder.allowedTransitions).toEqual(ALLOWED[vendor][from]);
    gw.resetCounts();
    const res = await gw.query(TRANSITION, { id: order.id, to });
    if (allowed) {
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.transitionWorkOrder.status).toBe(to);
      expect(writes(vendor)).toBe(1);
      const after = await gw.query(READ, { id: order.id });
      expect(after.body.data!.workOrder.status).toBe(to);
    } else {
      expect(res.body.errors![0]!.extensions).toMatchObject({
        code: 'INVALID_STATE_TRANSITION',
        vendor,
        currentStatus: from,
        allowedTransitions: ALLOWED[vendor][from],
      });
      expect(writes(vendor)).toBe(0);
    }
  });
});

describe('Pitney Bowes is read-only', () => {
  it.each([
    ['startWorkOrder(id: $id)'],
    ['pauseWorkOrder(id: $id)'],
    ['holdWorkOrder(id: $id)'],
    ['resumeWorkOrder(id: $id)'],
    ['completeWorkOrder(id: $id, completedQuantity: 1)'],
    ['cancelWorkOrder(id: $id, reason: "no")'],
    ['transitionWorkOrder(id: $id, to: CLOSED)'],
    ['updateWorkOrder(id: $id, input: { notes: "x" })'],
  ])('%s is UNSUPPORTED_BY_VENDOR with no vendor call', async (field) => {
    const order = pool.get('PITNEY_BOWES:CREATED')?.[0] ?? pool.get('PITNEY_BOWES:OPEN')![0]!;
    gw.resetCounts();
    const res = await gw.query(`mutation($id: ID!) { m: ${field} { id } }`, { id: order.id });
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UNSUPPORTED_BY_VENDOR', vendor: 'PITNEY_BOWES' });
    expect(res.body.errors![0]!.message).toMatch(/read-only/);
    expect(gw.calls().PITNEY_BOWES).toBe(0);
  });

  it('refuses delete and create too, and shows no allowed transitions', async () => {
    const order = pool.get('PITNEY_BOWES:OPEN')![0]!;
    const del = await gw.query(`mutation($id: ID!) { deleteWorkOrder(id: $id) { deletedId } }`, { id: order.id });
    const create = await gw.query(
      `mutation { createWorkOrder(input: { vendor: PITNEY_BOWES, orderNumber: "X-1", quantity: 1 }) { id } }`,
    );
    expect(codes(del)).toEqual(['UNSUPPORTED_BY_VENDOR']);
    expect(codes(create)).toEqual(['UNSUPPORTED_BY_VENDOR']);
    expect(gw.calls().PITNEY_BOWES).toBe(0);
    const read = await gw.query(READ, { id: order.id });
    expect(read.body.data!.workOrder.allowedTransitions).toEqual([]);
  });
});

describe('lifecycles end to end, with a query after each step', () => {
  it('generic MES: create -> start -> pause -> resume -> complete', async () => {
    const created = await gw.query(
      `mutation { createWorkOrder(input: { vendor: GENERIC_MES, orderNumber: "GM-LIFE-1", quantity: 40, product: "Widget A",
        priority: HIGH, customer: "Acme", dueDate: "2027-01-15T00:00:00Z", notes: "first" }) { id status priority customer } }`,
    );
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data!.createWorkOrder.id;
    expect(created.body.data!.createWorkOrder).toMatchObject({ status: 'OPEN', priority: 'HIGH', customer: 'Acme' });
    const steps: [string, string][] = [
      ['startWorkOrder(id: $id)', 'IN_PROGRESS'],
      ['pauseWorkOrder(id: $id)', 'PAUSED'],
      ['resumeWorkOrder(id: $id)', 'IN_PROGRESS'],
      ['completeWorkOrder(id: $id, completedQuantity: 38, notes: "done")', 'COMPLETED'],
    ];
    for (const [field, status] of steps) {
      const res = await gw.query(`mutation($id: ID!) { m: ${field} { status } }`, { id });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.m.status).toBe(status);
      const read = await gw.query(READ, { id });
      expect(read.body.data!.workOrder.status).toBe(status);
    }
    const final = await gw.query(READ, { id });
    expect(final.body.data!.workOrder).toMatchObject({ completedQuantity: 38, allowedTransitions: [] });
    expect(gw.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(1);
    expect(gw.gmes.count('POST /api/v2/work-orders/:id/complete')).toBe(1);
    expect(gw.gmes.count('PUT /api/v2/work-orders/:id')).toBe(2);
  });

  it('generic MES: an order held before it ever started is started through /start; once started, every return to production is a status update', async () => {
    const created = await gw.query(
      `mutation { createWorkOrder(input: { vendor: GENERIC_MES, orderNumber: "GM-LIFE-2", quantity: 10, product: "Widget A" }) { id } }`,
    );
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data!.createWorkOrder.id;
    const step = async (field: string) => {
      const res = await gw.query(`mutation($id: ID!) { m: ${field}(id: $id) { status startDate } }`, { id });
      expect(res.body.errors).toBeUndefined();
      return res.body.data!.m as { status: string; startDate: string | null };
    };
    gw.resetCounts();
    expect(await step('holdWorkOrder')).toEqual({ status: 'ON_HOLD', startDate: null });
    const started = await step('startWorkOrder');
    expect(started.status).toBe('IN_PROGRESS');
    expect(started.startDate).not.toBeNull();
    expect(gw.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(1);
    expect(gw.gmes.count('PUT /api/v2/work-orders/:id')).toBe(1);
    expect(await step('holdWorkOrder')).toEqual({ status: 'ON_HOLD', startDate: started.startDate });
    expect(await step('resumeWorkOrder')).toEqual({ status: 'IN_PROGRESS', startDate: started.startDate });
    expect(gw.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(1);
    expect(gw.gmes.count('PUT /api/v2/work-orders/:id')).toBe(3);
    // Held and put back to OPEN after it started: starting it again is a return to production, not a first start.
    expect(await step('holdWorkOrder')).toEqual({ status: 'ON_HOLD', startDate: started.startDate });
    const reopened = await gw.query(`mutation($id: ID!) { transitionWorkOrder(id: $id, to: OPEN) { status } }`, { id });
    expect(reopened.body.data!.transitionWorkOrder.status).toBe('OPEN');
    expect(await step('startWorkOrder')).toEqual({ status: 'IN_PROGRESS', startDate: started.startDate });
    expect(gw.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(1);
    expect(gw.gmes.count('PUT /api/v2/work-orders/:id')).toBe(6);
  });

  it('DotZero: create -> start -> stop (INCOMPLETE) -> resume -> complete, then update and delete', async () => {
    const routes = await gw.query(
      `{ workOrders(first: 1, filter: { vendors: [DOTZERO] }) { edges { node { route { id } } } } }`,
    );
    const routeId = routes.body.data!.workOrders.edges[0].node.route.id;
    const created = await gw.query(
      `mutation($r: ID!) { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "WO-LIFE-1", quantity: 25, priority: HIGH, routeId: $r, notes: "rush" }) {
        id status priority notes route { id } product { name } } }`,
      { r: routeId },
    );
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data!.createWorkOrder.id;
    expect(created.body.data!.createWorkOrder).toMatchObject({
      status: 'OPEN',
      priority: 'HIGH',
      notes: 'rush',
      route: { id: routeId },
    });
    for (const [field, status] of [
      ['startWorkOrder(id: $id)', 'IN_PROGRESS'],
      ['transitionWorkOrder(id: $id, to: INCOMPLETE)', 'INCOMPLETE'],
      ['resumeWorkOrder(id: $id)', 'IN_PROGRESS'],
      ['completeWorkOrder(id: $id, completedQuantity: 25)', 'COMPLETED'],
    ] as const) {
      const res = await gw.query(`mutation($id: ID!) { m: ${field} { status completedQuantity } }`, { id });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.m.status).toBe(status);
      expect((await gw.query(READ, { id })).body.data!.workOrder.status).toBe(status);
    }
    expect((await gw.query(READ, { id })).body.data!.workOrder.completedQuantity).toBe(25);
    const updated = await gw.query(
      `mutation($id: ID!) { updateWorkOrder(id: $id, input: { notes: "archived" }) { notes } }`,
      { id },
    );
    expect(updated.body.data!.updateWorkOrder.notes).toBe('archived');
    const deleted = await gw.query(`mutation($id: ID!) { deleteWorkOrder(id: $id) { deletedId } }`, { id });
    expect(deleted.body.data!.deleteWorkOrder.deletedId).toBe(id);
    expect(codes(await gw.query(READ, { id }))).toEqual(['NOT_FOUND']);
  });

  it('generic MES refuses deleting an order in progress, before calling the vendor', async () => {
    const order = take('GENERIC_MES', 'IN_PROGRESS');
    gw.resetCounts();
    const res = await gw.query(`mutation($id: ID!) { deleteWorkOrder(id: $id) { deletedId } }`, { id: order.id });
    expect(res.body.errors![0]!.extensions).toMatchObject({
      code: 'INVALID_STATE_TRANSITION',
      vendor: 'GENERIC_MES',
      currentStatus: 'IN_PROGRESS',
    });
    expect(writes('GENERIC_MES')).toBe(0);
  });

  it("maps the vendor's own refusal (409) to INVALID_STATE_TRANSITION", async () => {
    const order = take('GENERIC_MES', 'OPEN');
    // Another system moves the order between our read and our write (faked: the read still says OPEN); the
    // vendor's own 409 reaches the caller with our code.
    const res1 = await gw.query(`mutation($id: ID!) { startWorkOrder(id: $id) { status } }`, { id: order.id });
    expect(res1.body.data!.startWorkOrder.status).toBe('IN_PROGRESS');
    gw.gmes.faults.next = [
      {
        status: 200,
        body: {
          data: {
            id: order.vendorId,
            status: 'OPEN',
            orderNumber: 'x',
            quantity: 1,
            completedQuantity: 0,
            priority: 'NORMAL',
          },
        },
      },
      { status: 409, body: { error: { code: 'INVALID_STATE_TRANSITION', message: 'Cannot start work order' } } },
    ];
    const res2 = await gw.query(`mutation($id: ID!) { startWorkOrder(id: $id) { status } }`, { id: order.id });
    gw.gmes.faults.next = [];
    expect(res2.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_STATE_TRANSITION', vendor: 'GENERIC_MES' });
  });
});

describe('an order in a status the vendor document does not name', () => {
  it('is refused as the vendor answered it (UPSTREAM_ERROR naming the vendor), and no change is written', async () => {
    const order = take('GENERIC_MES', 'OPEN');
    const archived = {
      status: 200,
      body: {
        data: {
          id: order.vendorId,
          orderNumber: 'x',
          status: 'ARCHIVED',
          quantity: 5,
          completedQuantity: 0,
          priority: 'NORMAL',
        },
      },
    };
    gw.gmes.faults.next = [archived];
    const read = await gw.query(READ, { id: order.id });
    expect(read.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', vendor: 'GENERIC_MES' });
    expect(read.body.errors![0]!.message).toMatch(/status its document does not name \(ARCHIVED\)/);
    gw.gmes.faults.next = [archived];
    gw.resetCounts();
    const res = await gw.query(`mutation($id: ID!) { cancelWorkOrder(id: $id) { status } }`, { id: order.id });
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', vendor: 'GENERIC_MES' });
    expect(res.body.errors![0]!.extensions!.outcome).toBeUndefined();
    expect(writes('GENERIC_MES')).toBe(0);
  });
});

describe('idempotency', () => {
  const START = `mutation($id: ID!, $key: String) { startWorkOrder(id: $id, idempotencyKey: $key) { id status } }`;

  it('carries a repeated request out once and answers the first result again, marked as a replay', async () => {
    const order = take('GENERIC_MES', 'OPEN');
    const first = await gw.query(START, { id: order.id }, { 'Idempotency-Key': 'k-repeat-1' });
    expect(first.body.errors).toBeUndefined();
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect((first.body as any).extensions?.idempotentReplayed).toBeUndefined();
    gw.resetCounts();
    const second = await gw.query(START, { id: order.id }, { 'Idempotency-Key': 'k-repeat-1' });
    expect(second.body.data).toEqual(first.body.data);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((second.body as any).extensions).toEqual({ idempotentReplayed: true });
    expect(gw.calls().GENERIC_MES).toBe(0);
  });

  it('a replayed refusal is marked as a replay too', async () => {
    const order = take('GENERIC_MES', 'OPEN');
    gw.gmes.faults.next = [
      {
        status: 200,
        body: {
          data: {
            id: order.vendorId,
            orderNumber: 'x',
            status: 'OPEN',
            quantity: 5,
            completedQuantity: 0,
            priority: 'NORMAL',
          },
        },
      },
      { status: 500, body: { error: { code: 'INTERNAL' } } },
    ];
    const first = await gw.query(START, { id: order.id, key: 'k-kept-error' });
    expect(codes(first)).toEqual(['UPSTREAM_ERROR']);
    gw.resetCounts();
    const again = await gw.query(START, { id: order.id, key: 'k-kept-error' });
    expect(codes(again)).toEqual(['UPSTREAM_ERROR']);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(gw.calls().GENERIC_MES).toBe(0);
  });

  it('a key is bound to its mutation: the same key on another mutation is IDEMPOTENCY_CONFLICT, with no vendor call', async () => {
    const order = take('GENERIC_MES', 'OPEN');
    const started = await gw.query(
      `mutation($id: ID!) { startWorkOrder(id: $id) { status } }`,
      { id: order.id },
      { 'Idempotency-Key': 'k-bound' },
    );
    expect(started.body.errors).toBeUndefined();
    gw.resetCounts();
    const paused = await gw.query(
      `mutation($id: ID!) { pauseWorkOrder(id: $id) { status } }`,
      { id: order.id },
      { 'Idempotency-Key': 'k-bound' },
    );
    expect(paused.body.errors![0]!.extensions).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', reason: 'MISMATCH' });
    expect(paused.headers.get('idempotent-replayed')).toBeNull();
    expect(gw.calls().GENERIC_MES).toBe(0);
  });

  it('header and argument are one namespace: the key sent as an argument after the header replays, it does not run again', async () => {
    const order = take('GENERIC_MES', 'OPEN');
    const first = await gw.query(START, { id: order.id }, { 'Idempotency-Key': 'k-one-space' });
    expect(first.body.errors).toBeUndefined();
    gw.resetCounts();
    const byArgument = await gw.query(START, { id: order.id, key: 'k-one-space' });
    expect(byArgument.body.data).toEqual(first.body.data);
    expect(byArgument.headers.get('idempotent-replayed')).toBe('true');
    expect(writes('GENERIC_MES')).toBe(0);
    // And the other way round: an argument's key, then the header, on another mutation, is a conflict.
    const other = take('GENERIC_MES', 'OPEN');
    await gw.query(START, { id: other.id, key: 'k-one-space-2' });
    gw.resetCounts();
    const byHeader = await gw.query(
      `mutation($id: ID!) { holdWorkOrder(id: $id) { status } }`,
      { id: other.id },
      { 'Idempotency-Key': 'k-one-space-2' },
    );
    expect(codes(byHeader)).toEqual(['IDEMPOTENCY_CONFLICT']);
    expect(writes('GENERIC_MES')).toBe(0);
  });

  it('refuses the same key with a different input', async () => {
    const a = take('GENERIC_MES', 'OPEN');
    const b = take('GENERIC_MES', 'OPEN');
    await gw.query(START, { id: a.id, key: 'k-mismatch' });
    gw.resetCounts();
    const res = await gw.query(START, { id: b.id, key: 'k-mismatch' });
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', reason: 'MISMATCH' });
    expect(gw.calls().GENERIC_MES).toBe(0);
  });

  it('two identical requests raced: one vendor call, the other refused as in progress', async () => {
    const order = take('DOTZERO', 'OPEN');
    gw.dotzero.faults.latencyMs = 50;
    try {
      const [r1, r2] = await Promise.all([
        gw.query(START, { id: order.id }, { 'Idempotency-Key': 'k-race' }),
        gw.query(START, { id: order.id }, { 'Idempotency-Key': 'k-race' }),
      ]);
      expect([r1, r2].filter((r) => !r.body.errors)).toHaveLength(1);
      expect([r1, r2].find((r) => r.body.errors)!.body.errors![0]!.extensions).toMatchObject({
        code: 'IDEMPOTENCY_CONFLICT',
        reason: 'IN_PROGRESS',
      });
      expect(gw.dotzero.count('PATCH /v1/workOrders/:uuid')).toBe(1);
    } finally {
      delete gw.dotzero.faults.latencyMs;
    }
  });

  it('a failure before anything was sent releases the key: the same request then goes through', async () => {
    const order = take('GENERIC_MES', 'OPEN');
    gw.gmes.faults.next = [
      { status: 503, raw: 'down' },
      { status: 503, raw: 'down' },
    ];
    const failed = await gw.query(START, { id: order.id, key: 'k-released' });
    expect(failed.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(gw.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(0);
    const again = await gw.query(START, { id: order.id, key: 'k-released' });
    expect(again.body.data!.startWorkOrder.status).toBe('IN_PROGRESS');
    expect(gw.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(1);
  });

  it('a write that happened but whose answer was lost is never written again: a repeat only reads', async () => {
    const order = take('GENERIC_MES', 'OPEN');
    const row = {
      id: order.vendorId,
      orderNumber: 'x',
      status: 'OPEN',
      quantity: 5,
      completedQuantity: 0,
      priority: 'NORMAL',
    };
    gw.gmes.faults.next = [
      { status: 200, body: { data: row } },
      { status: 200, body: { data: { ...row, status: 'IN_PROGRESS' } } },
      { status: 503, raw: 'down' },
      { status: 503, raw: 'down' },
    ];
    const lost = await gw.query(START, { id: order.id, key: 'k-lost-answer' });
    expect(lost.body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    gw.resetCounts();
    const repeat = await gw.query(START, { id: order.id, key: 'k-lost-answer' });
    expect(repeat.body.errors).toBeUndefined();
    expect(repeat.body.data!.startWorkOrder.id).toBe(order.id);
    expect(writes('GENERIC_MES')).toBe(0);
    expect(gw.gmes.count('GET /api/v2/work-orders/:id')).toBe(1);
  });

  it('one Idempotency-Key header cannot stand for two mutation fields: refused before any call; arguments can', async () => {
    const a = take('GENERIC_MES', 'OPEN');
    const b = take('GENERIC_MES', 'OPEN');
    const TWO = `mutation($a: ID!, $b: ID!, $ka: String, $kb: String) {
      a: startWorkOrder(id: $a, idempotencyKey: $ka) { status } b: holdWorkOrder(id: $b, idempotencyKey: $kb) { status } }`;
    const refused = await gw.query(TWO, { a: a.id, b: b.id }, { 'Idempotency-Key': 'k-two-fields' });
    // Mutation fields run in order and the first refusal ends the request (its field is non-null).
    expect(refused.body.errors!.map((e) => [e.extensions!.code, e.extensions!.field])).toEqual([
      ['VALIDATION_ERROR', 'Idempotency-Key'],
    ]);
    expect(gw.calls().GENERIC_MES).toBe(0);
    const first = await gw.query(TWO, { a: a.id, b: b.id, ka: 'k-two-a', kb: 'k-two-b' });
    expect(first.body.data).toEqual({ a: { status: 'IN_PROGRESS' }, b: { status: 'ON_HOLD' } });
    gw.resetCounts();
    const again = await gw.query(TWO, { a: a.id, b: b.id, ka: 'k-two-a', kb: 'k-two-b' });
    expect(again.body.data).toEqual(first.body.data);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(gw.calls().GENERIC_MES).toBe(0);
  });

  it('the header and the argument must agree', async () => {
    const order = take('GENERIC_MES', 'OPEN');
    const res = await gw.query(START, { id: order.id, key: 'a' }, { 'Idempotency-Key': 'b' });
    expect(codes(res)).toEqual(['VALIDATION_ERROR']);
    expect(allWrites()).toBe(0);
  });

  it('keys are scoped to the caller: two callers using the same key each have their write carried out', async () => {
    const client = (name: string) => ({
      name,
      apiKey: `${name}-key-0123456789`,
      role: 'frontend' as const,
      scopes: ['workorders:read', 'workorders:write'],
      rateLimitPerMinute: 1200,
    });
    const two = await startTestGateway({ clients: [client('caller-a'), client('caller-b')] });
    try {
      const ids = await two.query(
        `{ workOrders(first: 2, filter: { vendors: [GENERIC_MES], statuses: [OPEN] }) { edges { node { id } } } }`,
        undefined,
        { 'X-API-Key': 'caller-a-key-0123456789' },
      );
      const [a, b] = ids.body.data!.workOrders.edges.map((e: any) => e.node.id as string);
      two.resetCounts();
      const ra = await two.query(
        START,
        { id: a },
        { 'X-API-Key': 'caller-a-key-0123456789', 'Idempotency-Key': 'shared-key' },
      );
      const rb = await two.query(
        START,
        { id: b },
        { 'X-API-Key': 'caller-b-key-0123456789', 'Idempotency-Key': 'shared-key' },
      );
      expect(ra.body.errors).toBeUndefined();
      expect(rb.body.errors).toBeUndefined();
      expect(rb.body.data!.startWorkOrder).toEqual({ id: b, status: 'IN_PROGRESS' });
      expect(rb.headers.get('idempotent-replayed')).toBeNull();
      expect(two.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(2);
      // Each caller's own repeat is still a replay of its own first answer.
      const rb2 = await two.query(
        START,
        { id: b },
        { 'X-API-Key': 'caller-b-key-0123456789', 'Idempotency-Key': 'shared-key' },
      );
      expect(rb2.headers.get('idempotent-replayed')).toBe('true');
      expect(two.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(2);
    } finally {
      await two.close();
    }
  });
});

describe('races on one order', () => {
  it.each(['GENERIC_MES', 'DOTZERO'] as const)(
    '%s: start and a conflicting move raced: exactly one wins',
    async (vendor) => {
      const order = take(vendor, 'OPEN');
      const other =
        vendor === 'GENERIC_MES'
          ? 'cancelWorkOrder(id: $id, reason: "race")'
          : 'transitionWorkOrder(id: $id, to: IN_PROGRESS)';
      const [a, b] = await Promise.all([
        gw.query(`mutation($id: ID!) { m: startWorkOrder(id: $id) { status } }`, { id: order.id }),
        gw.query(`mutation($id: ID!) { m: ${other} { status } }`, { id: order.id }),
      ]);
      const winners = [a, b].filter((r) => !r.body.errors);
      const losers = [a, b].filter((r) => r.body.errors);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]!.body.errors![0]!.extensions!.code).toBe('INVALID_STATE_TRANSITION');
      const final = await gw.query(READ, { id: order.id });
      expect(final.body.data!.workOrder.status).toBe(winners[0]!.body.data!.m.status);
      expect(writes(vendor)).toBe(1);
    },
  );
});

describe('invalid input: refused with the field named, and no vendor write', () => {
  const cases: [string, string, Record<string, unknown>, string, string?][] = [
    [
      'zero quantity',
      `mutation { createWorkOrder(input: { vendor: GENERIC_MES, orderNumber: "N-1", quantity: 0, product: "Widget A" }) { id } }`,
      {},
      'VALIDATION_ERROR',
      'input.quantity',
    ],
    [
      'negative quantity',
      `mutation { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "N-2", quantity: -5 }) { id } }`,
      {},
      'VALIDATION_ERROR',
      'input.quantity',
    ],
    [
      'missing product on the generic MES',
      `mutation { createWorkOrder(input: { vendor: GENERIC_MES, orderNumber: "N-3", quantity: 5 }) { id } }`,
      {},
      'VALIDATION_ERROR',
      'input.product',
    ],
    [
      'customer on DotZero',
      `mutation { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "N-4", quantity: 5, customer: "Acme" }) { id } }`,
      {},
      'VALIDATION_ERROR',
      'input.customer',
    ],
    [
      'an empty order number',
      `mutation { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "  ", quantity: 5 }) { id } }`,
      {},
      'VALIDATION_ERROR',
      'input.orderNumber',
    ],
    [
      'an order number over 64 characters',
      `mutation { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "${'x'.repeat(65)}", quantity: 5 }) { id } }`,
      {},
      'VALIDATION_ERROR',
      'input.orderNumber',
    ],
    [
      'a due date that is not ISO 8601',
      `mutation { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "N-5", quantity: 5, dueDate: "31/12/2026" }) { id } }`,
      {},
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'notes over 2000 characters',
      `mutation($n: String) { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "N-6", quantity: 5, notes: $n }) { id } }`,
      { n: 'x'.repeat(2001) },
      'VALIDATION_ERROR',
      'input.notes',
    ],
    [
      'a route of another vendor type',
      `mutation($r: ID) { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "N-7", quantity: 5, routeId: $r }) { id } }`,
      { r: Buffer.from('Product:DOTZERO:x').toString('base64url') },
      'VALIDATION_ERROR',
      'input.routeId',
    ],
    [
      'an update with nothing to change',
      `mutation($id: ID!) { updateWorkOrder(id: $id, input: {}) { id } }`,
      { id: 'GM_OPEN' },
      'VALIDATION_ERROR',
      'input',
    ],
    [
      'completedQuantity on a generic MES update',
      `mutation($id: ID!) { updateWorkOrder(id: $id, input: { completedQuantity: 1 }) { id } }`,
      { id: 'GM_OPEN' },
      'VALIDATION_ERROR',
      'input.completedQuantity',
    ],
    [
      'a negative completed quantity',
      `mutation($id: ID!) { completeWorkOrder(id: $id, completedQuantity: -1) { id } }`,
      { id: 'GM_IN_PROGRESS' },
      'VALIDATION_ERROR',
      'completedQuantity',
    ],
    [
      'a completed quantity above the order quantity',
      `mutation($id: ID!) { completeWorkOrder(id: $id, completedQuantity: 999999) { id } }`,
      { id: 'GM_IN_PROGRESS' },
      'VALIDATION_ERROR',
      'completedQuantity',
    ],
    [
      'a completed quantity above the DotZero quantity',
      `mutation($id: ID!) { completeWorkOrder(id: $id, completedQuantity: 999999) { id } }`,
      { id: 'DZ_IN_PROGRESS' },
      'VALIDATION_ERROR',
      'completedQuantity',
    ],
    ['a malformed id', `mutation { startWorkOrder(id: "nope") { id } }`, {}, 'VALIDATION_ERROR', 'id'],
    // DotZero stores only is_asap: LOW and CRITICAL would come back NORMAL and HIGH.
    [
      'LOW priority on a DotZero create',
      `mutation { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "N-8", quantity: 5, priority: LOW }) { id } }`,
      {},
      'VALIDATION_ERROR',
      'input.priority',
    ],
    [
      'CRITICAL priority on a DotZero create',
      `mutation { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "N-9", quantity: 5, priority: CRITICAL }) { id } }`,
      {},
      'VALIDATION_ERROR',
      'input.priority',
    ],
    [
      'LOW priority on a DotZero update',
      `mutation($id: ID!) { updateWorkOrder(id: $id, input: { priority: LOW }) { id } }`,
      { id: 'DZ_OPEN' },
      'VALIDATION_ERROR',
      'input.priority',
    ],
    [
      'CRITICAL priority on a DotZero update',
      `mutation($id: ID!) { updateWorkOrder(id: $id, input: { priority: CRITICAL }) { id } }`,
      { id: 'DZ_OPEN' },
      'VALIDATION_ERROR',
      'input.priority',
    ],
    // A product beside a route would be dropped unseen: DotZero takes its product from the route.
    [
      'a product on a DotZero create, even with a route',
      `mutation($r: ID) { createWorkOrder(input: { vendor: DOTZERO, orderNumber: "N-10", quantity: 5, product: "Widget A", routeId: $r }) { id } }`,
      { r: Buffer.from('Route:DOTZERO:any').toString('base64url') },
      'VALIDATION_ERROR',
      'input.product',
    ],
    [
      'a route on a generic MES create',
      `mutation($r: ID) { createWorkOrder(input: { vendor: GENERIC_MES, orderNumber: "N-11", quantity: 5, product: "Widget A", routeId: $r }) { id } }`,
      { r: Buffer.from('Route:GENERIC_MES:any').toString('base64url') },
      'VALIDATION_ERROR',
      'input.routeId',
    ],
    [
      'a product on a DotZero update',
      `mutation($id: ID!) { updateWorkOrder(id: $id, input: { product: "Widget A" }) { id } }`,
      { id: 'DZ_OPEN' },
      'VALIDATION_ERROR',
      'input.product',
    ],
    [
      'a customer on a DotZero update',
      `mutation($id: ID!) { updateWorkOrder(id: $id, input: { customer: "Acme" }) { id } }`,
      { id: 'DZ_OPEN' },
      'VALIDATION_ERROR',
      'input.customer',
    ],
  ];

  it.each(cases)('%s', async (_name, query, variables, code, field) => {
    const vars = { ...variables };
    if (vars.id === 'GM_OPEN') vars.id = take('GENERIC_MES', 'OPEN').id;
    if (vars.id === 'GM_IN_PROGRESS') vars.id = take('GENERIC_MES', 'IN_PROGRESS').id;
    if (vars.id === 'DZ_IN_PROGRESS') vars.id = take('DOTZERO', 'IN_PROGRESS').id;
    if (vars.id === 'DZ_OPEN') vars.id = take('DOTZERO', 'OPEN').id;
    gw.resetCounts();
    const res = await gw.query(query, vars);
    expect(codes(res)).toEqual([code]);
    if (field) expect(res.body.errors![0]!.extensions!.field).toBe(field);
    expect(allWrites()).toBe(0);
  });
});

describe('one mistake, one answer, whichever vendor refuses it', () => {
  const CREATE = `mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { id orderNumber } }`;
  const UPDATE = `mutation($id: ID!, $n: String) { updateWorkOrder(id: $id, input: { orderNumber: $n }) { id } }`;

  it.each([
    ['DOTZERO', {}],
    ['GENERIC_MES', { product: 'Widget A' }],
  ] as const)(
    '%s: a duplicate order number on create is VALIDATION_ERROR naming input.orderNumber',
    async (vendor, extra) => {
      const orderNumber = `DUP-${vendor}`;
      const first = await gw.query(CREATE, { input: { vendor, orderNumber, quantity: 3, ...extra } });
      expect(first.body.errors).toBeUndefined();
      gw.resetCounts();
      const again = await gw.query(CREATE, { input: { vendor, orderNumber, quantity: 3, ...extra } });
      expect(again.body.errors).toHaveLength(1);
      expect(again.body.errors![0]!.extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'input.orderNumber',
        vendor,
      });
      // The vendor refused it: one create reached it, and nothing was written.
      expect(writes(vendor)).toBe(1);
    },
  );

  it.each(['DOTZERO', 'GENERIC_MES'] as const)(
    '%s: renaming an order to a taken number is the same VALIDATION_ERROR',
    async (vendor) => {
      const a = take(vendor, 'OPEN');
      const b = take(vendor, 'OPEN');
      const taken = (await gw.query(READ.replace('notes', 'notes orderNumber'), { id: b.id })).body.data!.workOrder
        .orderNumber as string;
      gw.resetCounts();
      const res = await gw.query(UPDATE, { id: a.id, n: taken });
      expect(res.body.errors![0]!.extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        field: 'input.orderNumber',
        vendor,
      });
    },
  );
});
