// The read graph end to end: the gateway on yoga.fetch, the three simulators over real HTTP on loopback, and the
// simulators' request counters as the measure of every query's upstream cost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { codes, startTestGateway, type GqlResponse, type TestGateway } from '../helpers/gateway.js';

interface Row {
  id: string;
  vendor: 'DOTZERO' | 'GENERIC_MES' | 'PITNEY_BOWES';
  vendorId: string;
  orderNumber: string;
  status: string;
  priority: string;
  dueDate: string | null;
  createdAt: string | null;
  pbCreateDate?: string | null;
}

const ROW =
  'id vendor vendorId orderNumber status priority dueDate createdAt ... on PitneyBowesWorkOrder { pbCreateDate }';
const VENDOR_ORDER = ['DOTZERO', 'GENERIC_MES', 'PITNEY_BOWES'];

let gw: TestGateway;
let all: Row[];

async function walk(
  filter: Record<string, unknown> | undefined,
  first: number,
): Promise<{ rows: Row[]; totalCount: number; pages: number }> {
  const rows: Row[] = [];
  let after: string | null = null;
  let totalCount = -1;
  let pages = 0;
  for (;;) {
    const res: GqlResponse = await gw.query(
      `query($first: Int, $after: String, $filter: WorkOrderFilter) { workOrders(first: $first, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ROW} } } } }`,
      { first, after, filter },
    );
    expect(res.body.errors).toBeUndefined();
    const conn: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: Row }[] } =
      res.body.data!.workOrders;
    totalCount = conn.totalCount;
    rows.push(...conn.edges.map((e: { node: Row }) => e.node));
    pages++;
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
    expect(pages).toBeLessThan(200);
  }
  return { rows, totalCount, pages };
}

beforeAll(async () => {
  gw = await startTestGateway();
  const result = await walk(undefined, 100);
  all = result.rows;
  expect(result.totalCount).toBe(all.length);
});

afterAll(async () => {
  await gw.close();
});

describe('cross-vendor list', () => {
  it("walks every order exactly once, in the documented order (vendor, then each vendor's creation order)", () => {
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    const byVendor = Object.fromEntries(VENDOR_ORDER.map((v) => [v, all.filter((r) => r.vendor === v)])) as Record<
      string,
      Row[]
    >;
    expect(byVendor.DOTZERO!.length).toBe(300);
    expect(byVendor.GENERIC_MES!.length).toBe(250);
    // Pitney Bowes: every seeded order, not just the six-month default window the vendor applies by itself.
    expect(byVendor.PITNEY_BOWES!.length).toBe(220);
    const vendorIndex = all.map((r) => VENDOR_ORDER.indexOf(r.vendor));
    expect(vendorIndex).toEqual([...vendorIndex].sort((a, b) => a - b));
    // Pitney Bowes pages by its own creation date (pbCreateDate, always set); the others by createdAt.
    for (const v of VENDOR_ORDER) {
      const created = byVendor[v]!.map((r: Row) =>
        Date.parse((v === 'PITNEY_BOWES' ? r.pbCreateDate : r.createdAt) ?? ''),
      );
      expect(created).toEqual([...created].sort((a, b) => a - b));
    }
  });

  it.each([7, 37, 50])(
    'gives the same sequence with pages of %i (windows that straddle vendor pages)',
    async (first) => {
      const { rows, totalCount } = await walk(undefined, first);
      expect(totalCount).toBe(all.length);
      expect(rows.map((r) => r.id)).toEqual(all.map((r) => r.id));
    },
  );

  it('answers the example query of 50 orders per vendor within the upstream-call budget', async () => {
    const query = `query($filter: WorkOrderFilter) { workOrders(first: 50, filter: $filter) { totalCount edges { node {
      id vendor orderNumber status customer notes
      product { id name sku }
      route { id name operations { id sequence name } }
      operations { id sequence name status } } } } }`;
    const budgets: Record<string, number> = {};
    for (const vendor of VENDOR_ORDER) {
      gw.resetCounts();
      const res = await gw.query(query, { filter: { vendors: [vendor] } });
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data!.workOrders.edges.map((e: { node: any }) => e.node);
      expect(nodes).toHaveLength(50);
      const c = gw.counts();
      const routes = new Set(nodes.map((n: any) => n.route?.id).filter(Boolean)).size;
      const products = new Set(nodes.map((n: any) => n.product?.id).filter(Boolean)).size;
      if (vendor === 'DOTZERO') {
        expect(c['GET /v1/workOrders']).toBe(1);
        expect(c['GET /v1/routes/:uuid']).toBe(routes);
        expect(c['GET /v1/products/:uuid']).toBe(products);
        expect(c['GET /v1/routeOperation/:routeUuid/byRouteUuid']).toBe(routes);
        expect(c['GET /v1/workOrderOpHistory/:uuid/byWorkOrderUuid']).toBe(50);
        expect(c['GET /v1/workOrders/:id'] ?? 0).toBe(0);
        // Steps whose record does not name them are named from their operation, each at most once.
        expect(gw.dotzero.total()).toBe(1 + routes + products + routes + 50 + (c['GET /v1/operation/:uuid'] ?? 0));
      }
      if (vendor === 'GENERIC_MES') {
        const ops = new Set(nodes.flatMap((n: any) => n.operations.map((o: any) => o.id))).size;
        expect(c['GET /api/v2/work-orders']).toBe(1);
        // The list answers a subset: customer, notes and operationIds need the detail, once per order.
        expect(c['GET /api/v2/work-orders/:id']).toBe(50);
        expect(c['GET /api/v2/operations/:id']).toBe(ops);
        expect(gw.gmes.total()).toBe(1 + 50 + ops);
      }
      if (vendor === 'PITNEY_BOWES') {
        expect(c['POST /shippingservices/fulfillment/v1/work-orders/search']).toBe(1);
        expect(gw.pb.total()).toBeLessThanOrEqual(2); // the search, and the token the first time
      }
      budgets[vendor] = gw.calls().total;
      // Other vendors are not asked when the filter names one.
      for (const other of VENDOR_ORDER.filter((v) => v !== vendor)) {
        expect(gw.calls()[other as 'DOTZERO']).toBe(0);
      }
    }
    console.log('upstream calls for 50 orders with product, route, operations:', budgets);
  });

  it('asks the vendors before the cursor only when totalCount is asked for', async () => {
    const toGmes = await gw.query(
      `{ workOrders(first: 100, filter: { vendors: [DOTZERO, GENERIC_MES] }) { edges { cursor } } }`,
    );
    let after: string = toGmes.body.data!.workOrders.edges.at(-1).cursor;
    for (let i = 0; i < 3; i++) {
      const next = await gw.query(
        `query($after: String) { workOrders(first: 100, after: $after, filter: { vendors: [DOTZERO, GENERIC_MES] }) { edges { cursor } } }`,
        { after },
      );
      after = next.body.data!.workOrders.edges.at(-1).cursor;
    }
    // `after` is now inside the generic MES part.
    const page = `query($after: String) { workOrders(first: 10, after: $after, filter: { vendors: [DOTZERO, GENERIC_MES] }) { edges { node { vendor } } pageInfo { hasNextPage } } }`;
    gw.resetCounts();
    const without = await gw.query(page, { after });
    expect(without.body.data!.workOrders.edges.every((e: any) => e.node.vendor === 'GENERIC_MES')).toBe(true);
    expect(gw.calls().DOTZERO).toBe(0);
    gw.resetCounts();
    const withTotal = await gw.query(page.replace('pageInfo {', 'totalCount pageInfo {'), { after });
    expect(withTotal.body.data!.workOrders.totalCount).toBe(550);
    expect(gw.calls().DOTZERO).toBe(1);
  });

  it('asks all three vendors in parallel for one cross-vendor page: one list call each', async () => {
    gw.resetCounts();
    const res = await gw.query(`{ workOrders(first: 20) { totalCount edges { node { id } } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.workOrders.totalCount).toBe(all.length);
    const c = gw.counts();
    expect(c['GET /v1/workOrders']).toBe(1);
    expect(c['GET /api/v2/work-orders']).toBe(1);
    expect(c['POST /shippingservices/fulfillment/v1/work-orders/search']).toBe(1);
  });
});

describe('filters', () => {
  const due = (r: Row) => (r.dueDate ? Date.parse(r.dueDate) : NaN);
  const cases: [string, Record<string, unknown>, (r: Row) => boolean][] = [
    ['vendors', { vendors: ['GENERIC_MES', 'PITNEY_BOWES'] }, (r) => r.vendor !== 'DOTZERO'],
    ['one status', { statuses: ['IN_PROGRESS'] }, (r) => r.status === 'IN_PROGRESS'],
    [
      'statuses spanning vendors',
      { statuses: ['OPEN', 'COMPLETED', 'CLOSED'] },
      (r) => ['OPEN', 'COMPLETED', 'CLOSED'].includes(r.status),
    ],
    ['ON_HOLD (not filterable on the generic MES list)', { statuses: ['ON_HOLD'] }, (r) => r.status === 'ON_HOLD'],
    [
      'a status no vendor has here',
      { statuses: ['INCOMPLETE', 'PAUSED'] },
      (r) => ['INCOMPLETE', 'PAUSED'].includes(r.status),
    ],
    ['priority HIGH', { priorities: ['HIGH'] }, (r) => r.priority === 'HIGH'],
    ['priority NORMAL', { priorities: ['NORMAL'] }, (r) => r.priority === 'NORMAL'],
    ['priorities LOW, CRITICAL', { priorities: ['LOW', 'CRITICAL'] }, (r) => ['LOW', 'CRITICAL'].includes(r.priority)],
    ['order number part', { orderNumber: '2026-01' }, (r) => r.orderNumber.toLowerCase().includes('2026-01')],
    ['due after only', { dueAfter: '2026-06-01T00:00:00Z' }, (r) => due(r) >= Date.parse('2026-06-01T00:00:00Z')],
    ['due before only', { dueBefore: '2026-03-01T00:00:00Z' }, (r) => due(r) <= Date.parse('2026-03-01T00:00:00Z')],
    [
      'due range with status and priority',
      {
        dueAfter: '2025-12-01T00:00:00Z',
        dueBefore: '2026-12-31T23:59:59Z',
        statuses: ['OPEN', 'IN_PROGRESS'],
        priorities: ['HIGH', 'NORMAL'],
      },
      (r) =>
        due(r) >= Date.parse('2025-12-01T00:00:00Z') &&
        due(r) <= Date.parse('2026-12-31T23:59:59Z') &&
        ['OPEN', 'IN_PROGRESS'].includes(r.status) &&
        ['HIGH', 'NORMAL'].includes(r.priority),
    ],
  ];

  // Vendors that filter one status per call (DotZero, the generic MES) list each asked status in turn, in
  // WorkOrderStatus order; Pitney Bowes takes them all in one search.
  const STATUS_ORDER = ['OPEN', 'IN_PROGRESS', 'PAUSED', 'ON_HOLD', 'COMPLETED', 'INCOMPLETE', 'CANCELLED', 'CLOSED'];
  const documentedOrder = (rows: Row[], filter: Record<string, unknown>) => {
    if (!Array.isArray(filter.statuses) || filter.statuses.length < 2) return rows;
    const rank = (r: Row) =>
      VENDOR_ORDER.indexOf(r.vendor) * 100 + (r.vendor === 'PITNEY_BOWES' ? 0 : STATUS_ORDER.indexOf(r.status));
    return rows
      .map((r, i) => [r, i] as const)
      .sort(([a, i], [b, j]) => rank(a) - rank(b) || i - j)
      .map(([r]) => r);
  };

  it.each(cases)('%s: every matching order exactly once, nothing else', async (_name, filter, matches) => {
    const expected = documentedOrder(all.filter(matches), filter).map((r) => r.id);
    const { rows, totalCount } = await walk(filter, 45);
    expect(rows.map((r) => r.id)).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it.each(VENDOR_ORDER)(
    'a one-sided due filter works on %s alone (paired with an open bound where the vendor needs it)',
    async (vendor) => {
      const bound = '2026-09-01T00:00:00Z';
      const expected = all.filter((r) => r.vendor === vendor && due(r) >= Date.parse(bound)).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(0);
      const { rows } = await walk({ vendors: [vendor], dueAfter: bound }, 100);
      expect(rows.map((r) => r.id)).toEqual(expected);
    },
  );

  it('makes no call to a vendor that cannot hold a match (PAUSED: only the generic MES has it)', async () => {
    gw.resetCounts();
    const res = await gw.query(`{ workOrders(filter: { statuses: [PAUSED] }) { totalCount } }`);
    expect(res.body.errors).toBeUndefined();
    expect(gw.calls().DOTZERO).toBe(0);
    expect(gw.pb.count('POST /shippingservices/fulfillment/v1/work-orders/search')).toBe(0);
  });
});

describe('lookups by id', () => {
  it.each(VENDOR_ORDER)('workOrder(id) and node(id) return the %s order a list gave', async (vendor) => {
    const row = all.find((r) => r.vendor === vendor)!;
    const res = await gw.query(
      `query($id: ID!) { workOrder(id: $id) { id vendor vendorId orderNumber } node(id: $id) { id ... on WorkOrder { orderNumber } } }`,
      { id: row.id },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.workOrder).toMatchObject({
      id: row.id,
      vendor,
      vendorId: row.vendorId,
      orderNumber: row.orderNumber,
    });
    expect(res.body.data!.node).toMatchObject({ id: row.id, orderNumber: row.orderNumber });
  });

  it('refetches any operation by its id with node(id): DotZero route steps and op history, generic MES operations', async () => {
    const res = await gw.query(`{
      dz: workOrders(first: 3, filter: { vendors: [DOTZERO], statuses: [IN_PROGRESS] }) { edges { node { operations { id name } route { operations { id name } } } } }
      gm: workOrders(first: 3, filter: { vendors: [GENERIC_MES], statuses: [IN_PROGRESS] }) { edges { node { operations { id name } } } } }`);
    const first = (alias: string, pick: (n: any) => { id: string; name: string }[]) =>
      res.body.data![alias].edges.flatMap((e: any) => pick(e.node))[0];
    const samples = [
      first('dz', (n) => n.operations),
      first('dz', (n) => n.route?.operations ?? []),
      first('gm', (n) => n.operations),
    ];
    for (const op of samples) {
      const got = await gw.query(`query($id: ID!) { node(id: $id) { id ... on Operation { name } } }`, { id: op.id });
      expect(got.body.errors).toBeUndefined();
      expect(got.body.data!.node).toEqual({ id: op.id, name: op.name });
    }
    const vendors = new Set(samples.map((o: any) => Buffer.from(o.id, 'base64url').toString().split(':')[1]));
    expect(vendors).toEqual(new Set(['DOTZERO', 'GENERIC_MES']));
  });

  it('operations of both vendors share one status vocabulary, with the raw value beside it', async () => {
    const res = await gw.query(`{
      dz: workOrders(first: 12, filter: { vendors: [DOTZERO], statuses: [IN_PROGRESS, COMPLETED] }) { edges { node { operations { status vendorStatus } } } }
      gm: workOrders(first: 12, filter: { vendors: [GENERIC_MES], statuses: [IN_PROGRESS, COMPLETED] }) { edges { node { operations { status vendorStatus } } } } }`);
    expect(res.body.errors).toBeUndefined();
    const pairs = (alias: string) =>
      new Set<string>(
        res.body.data![alias].edges.flatMap((e: any) =>
          e.node.operations.map((o: any) => `${o.vendorStatus}=${o.status}`),
        ),
      );
    // DotZero op history records carry the work-order status codes (1-4); the generic MES its own words.
    expect(
      [...pairs('dz')].every((p) => ['1=PENDING', '2=IN_PROGRESS', '3=COMPLETED', '4=INCOMPLETE'].includes(p)),
    ).toBe(true);
    expect(pairs('dz')).toContain('3=COMPLETED');
    expect(
      [...pairs('gm')].every((p) => ['PENDING=PENDING', 'IN_PROGRESS=IN_PROGRESS', 'COMPLETED=COMPLETED'].includes(p)),
    ).toBe(true);
    expect(pairs('gm')).toContain('COMPLETED=COMPLETED');
    expect(pairs('gm')).toContain('PENDING=PENDING');
  });

  it('names every DotZero route step, whatever field carries its name, asking each unnamed operation once', async () => {
    gw.resetCounts();
    const res = await gw.query(`{ workOrders(first: 100, filter: { vendors: [DOTZERO] }) { edges { node {
      route { vendorId operations { vendorId name } } } } } }`);
    expect(res.body.errors).toBeUndefined();
    const lookups = gw.dotzero.count('GET /v1/operation/:uuid');
    const routes = new Map<string, { vendorId: string; name: string | null }[]>();
    for (const e of res.body.data!.workOrders.edges)
      if (e.node.route) routes.set(e.node.route.vendorId, e.node.route.operations);
    // The vendor's own records, read straight from the simulator: which steps carry no name, and what each is.
    const creds = gw.dotzero.issueCredentials();
    const raw = async (path: string) =>
      (await (
        await fetch(`${gw.dotzero.workOrderApiUrl}${path}`, { headers: { authorization: `Bearer ${creds.token}` } })
      ).json()) as any;
    const unnamed = new Set<string>();
    let nested = 0;
    for (const [routeKey, ops] of routes) {
      const wire: any[] = await raw(`/v1/routeOperation/${routeKey}/byRouteUuid`);
      expect(ops.map((o) => o.vendorId)).toEqual(wire.map((w) => w.uuid));
      for (const [i, w] of wire.entries()) {
        const uuid = w.operation_uuid ?? w.operation.uuid;
        const own = w.operation_name ?? w.name ?? w.operation?.name;
        if (w.operation) nested++;
        if (own === undefined) unnamed.add(uuid);
        expect(ops[i]!.name).toBe(own ?? (await raw(`/v1/operation/${uuid}`)).name);
        expect(ops[i]!.name).toMatch(/\S/);
      }
    }
    expect(unnamed.size).toBeGreaterThan(0);
    expect(nested).toBeGreaterThan(0);
    // One call per distinct unnamed operation for the whole request, not per step or per route.
    expect(lookups).toBe(unnamed.size);
  });

  it('a step whose operation cannot be read has a null name, never an empty one', async () => {
    gw.resetCounts();
    gw.dotzero.faults.routeStatus = { 'GET /v1/operation/:uuid': 404 };
    try {
      const res = await gw.query(
        `{ workOrders(first: 100, filter: { vendors: [DOTZERO] }) { edges { node { route { operations { name } } } } } }`,
      );
      expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
      expect(gw.dotzero.count('GET /v1/operation/:uuid')).toBeGreaterThan(0);
      const names: (string | null)[] = res.body.data!.workOrders.edges.flatMap((e: any) =>
        (e.node.route?.operations ?? []).map((o: any) => o.name),
      );
      expect(names).toContain(null);
      expect(names.filter((n: unknown) => n !== null).length).toBeGreaterThan(0);
      expect(names).not.toContain('');
    } finally {
      delete gw.dotzero.faults.routeStatus;
    }
  });

  it('batches Pitney Bowes lookups into one search call', async () => {
    const ids = all
      .filter((r) => r.vendor === 'PITNEY_BOWES')
      .slice(0, 10)
      .map((r) => r.id);
    gw.resetCounts();
    const aliases = ids.map((id, i) => `o${i}: workOrder(id: "${id}") { orderNumber }`).join('\n');
    const res = await gw.query(`{ ${aliases} }`);
    expect(res.body.errors).toBeUndefined();
    expect(gw.pb.count('POST /shippingservices/fulfillment/v1/work-orders/search')).toBe(1);
  });

  it("a Pitney Bowes kit line's product is its own vendor's product of the line's SKU, at no extra call", async () => {
    const LIST = (extra: string) =>
      `{ workOrders(first: 50, filter: { vendors: [PITNEY_BOWES] }) { edges { node { ... on PitneyBowesWorkOrder { components { sku ${extra} } } } } } }`;
    gw.resetCounts();
    const bare = await gw.query(LIST(''));
    expect(bare.body.errors).toBeUndefined();
    const listCalls = gw.calls();
    gw.resetCounts();
    const res = await gw.query(LIST('product { id vendor sku }'));
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    const lines = res.body.data!.workOrders.edges.flatMap((e: any) => e.node.components ?? []);
    expect(lines.filter((l: any) => l.sku !== null).length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.product).toEqual(
        line.sku === null
          ? null
          : { id: encodeId('Product', 'PITNEY_BOWES', line.sku), vendor: 'PITNEY_BOWES', sku: line.sku },
      );
    }
    expect(gw.calls()).toEqual(listCalls);
  });

  it('fetches products, routes and their links by id', async () => {
    const res = await gw.query(
      `{ workOrders(first: 3, filter: { vendors: [DOTZERO] }) { edges { node { route { id product { id } } } } } }`,
    );
    const route = res.body.data!.workOrders.edges.map((e: any) => e.node.route).find(Boolean);
    const got = await gw.query(
      `query($r: ID!, $p: ID!) { route(id: $r) { id name product { id name } operations { sequence name } }
        product(id: $p) { id vendor sku name routes { id } inventory { quantity warehouse { name } location { name } } }
        node(id: $p) { id ... on Product { name } } }`,
      { r: route.id, p: route.product.id },
    );
    expect(got.body.errors).toBeUndefined();
    expect(got.body.data!.route.product.id).toBe(route.product.id);
    expect(got.body.data!.route.operations.map((o: any) => o.sequence)).toEqual(
      [...got.body.data!.route.operations.map((o: any) => o.sequence)].sort((a: number, b: number) => a - b),
    );
    expect(got.body.data!.product.routes.map((r: any) => r.id)).toContain(route.id);
    expect(got.body.data!.node.name).toBe(got.body.data!.product.name);
  });

  it('lists products, inventory and warehouses with filters', async () => {
    const res = await gw.query(`{
      all: products(first: 100) { totalCount edges { node { id vendor sku name } } }
      dz: products(filter: { vendors: [DOTZERO], name: "gear" }) { totalCount edges { node { name } } }
      pb: products(filter: { vendors: [PITNEY_BOWES] }, first: 5) { totalCount edges { node { id sku } } }
      warehouses { id vendor name locations { id name } } }`);
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data!;
    expect(new Set(d.all.edges.map((e: any) => e.node.vendor))).toEqual(new Set(VENDOR_ORDER));
    expect(d.dz.totalCount).toBeGreaterThan(0);
    for (const e of d.dz.edges) expect(e.node.name.toLowerCase()).toContain('gear');
    expect(d.warehouses.some((w: any) => w.vendor === 'DOTZERO' && w.locations.length > 0)).toBe(true);
    const inv = await gw.query(
      `query($id: ID!) { inventory(productId: $id) { vendor source quantity lotNumbers warehouse { name } } }`,
      {
        id: d.pb.edges[0].node.id,
      },
    );
    expect(inv.body.errors).toBeUndefined();
    expect(inv.body.data!.inventory.length).toBeGreaterThan(0);
  });
});

describe('warehouse and inventory filters', () => {
  it('filters warehouses by vendor and name, and stock by warehouse', async () => {
    const res = await gw.query(`{ dz: warehouses(filter: { vendors: [DOTZERO] }) { id vendor name }
      pb: warehouses(filter: { vendors: [PITNEY_BOWES], name: "center" }) { id vendor name }
      products(first: 20, filter: { vendors: [DOTZERO] }) { edges { node { id inventory { quantity warehouse { id } } } } } }`);
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data!;
    expect(d.dz.length).toBeGreaterThan(0);
    expect(d.dz.every((w: any) => w.vendor === 'DOTZERO')).toBe(true);
    expect(d.pb.length).toBeGreaterThan(0);
    expect(d.pb.every((w: any) => w.vendor === 'PITNEY_BOWES' && /center/i.test(w.name))).toBe(true);
    const stocked = d.products.edges
      .map((e: any) => e.node)
      .find((p: any) => new Set(p.inventory.map((i: any) => i.warehouse?.id)).size > 1);
    const warehouseId = stocked.inventory[0].warehouse.id;
    const inv = await gw.query(
      `query($p: ID!, $w: ID) { inventory(productId: $p, warehouseId: $w) { warehouse { id } } }`,
      { p: stocked.id, w: warehouseId },
    );
    expect(inv.body.data!.inventory.length).toBeGreaterThan(0);
    expect(inv.body.data!.inventory.length).toBeLessThan(stocked.inventory.length);
    expect(inv.body.data!.inventory.every((i: any) => i.warehouse.id === warehouseId)).toBe(true);
  });
});

describe('bad input: a clear error and no vendor call', () => {
  const missingDotZero = encodeId('DotZeroWorkOrder', 'DOTZERO', '00000000-0000-0000-0000-000000000000');
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['a malformed id', 'query($id: ID!) { workOrder(id: $id) { id } }', { id: 'not an id!' }, 'VALIDATION_ERROR'],
    [
      'an id of an unknown type',
      'query($id: ID!) { node(id: $id) { id } }',
      { id: Buffer.from('Widget:DOTZERO:1').toString('base64url') },
      'VALIDATION_ERROR',
    ],
    [
      'an id of an unknown vendor',
      'query($id: ID!) { node(id: $id) { id } }',
      { id: Buffer.from('Product:ACME:1').toString('base64url') },
      'VALIDATION_ERROR',
    ],
    [
      'a product id given as a work order id',
      'query($id: ID!) { workOrder(id: $id) { id } }',
      { id: encodeId('Product', 'DOTZERO', 'x') },
      'VALIDATION_ERROR',
    ],
    ['first over 100', '{ workOrders(first: 101) { totalCount } }', {}, 'VALIDATION_ERROR'],
    ['negative first', '{ workOrders(first: -1) { totalCount } }', {}, 'VALIDATION_ERROR'],
    ['a cursor that is not one', '{ workOrders(after: "bogus") { totalCount } }', {}, 'VALIDATION_ERROR'],
    [
      'a due range whose start is after its end',
      '{ workOrders(filter: { dueAfter: "2026-05-01T00:00:00Z", dueBefore: "2026-01-01T00:00:00Z" }) { totalCount } }',
      {},
      'VALIDATION_ERROR',
    ],
    [
      'a DotZero work-order type carrying another vendor',
      'query($id: ID!) { workOrder(id: $id) { id } }',
      { id: encodeId('DotZeroWorkOrder', 'GENERIC_MES', 'wo-1001') },
      'VALIDATION_ERROR',
    ],
    [
      'an unknown vendor in a filter',
      '{ workOrders(filter: { vendors: [ACME] }) { totalCount } }',
      {},
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'a date that is not ISO 8601',
      '{ workOrders(filter: { dueAfter: "next tuesday" }) { totalCount } }',
      {},
      'GRAPHQL_VALIDATION_FAILED',
    ],
  ];

  it.each(cases)('%s', async (_name, query, variables, code) => {
    gw.resetCounts();
    const res = await gw.query(query, variables);
    expect(codes(res)).toContain(code);
    expect(res.body.errors![0]!.message.length).toBeGreaterThan(10);
    expect(gw.calls().total).toBe(0);
  });

  it('refuses a cursor from another query (products cursor into workOrders, other filter)', async () => {
    const p = await gw.query(`{ products(first: 1) { pageInfo { endCursor } } }`);
    const w = await gw.query(`{ workOrders(first: 1, filter: { statuses: [OPEN] }) { pageInfo { endCursor } } }`);
    gw.resetCounts();
    for (const [after, filter] of [
      [p.body.data!.products.pageInfo.endCursor, null],
      [w.body.data!.workOrders.pageInfo.endCursor, { statuses: ['COMPLETED'] }],
    ]) {
      const res = await gw.query(
        `query($after: String, $filter: WorkOrderFilter) { workOrders(after: $after, filter: $filter) { totalCount } }`,
        { after, filter },
      );
      expect(codes(res)).toEqual(['VALIDATION_ERROR']);
    }
    expect(gw.calls().total).toBe(0);
  });

  it.each([
    ['a generic MES warehouse (the vendor has none)', encodeId('Warehouse', 'GENERIC_MES', 'x')],
    ['a Pitney Bowes fulfillment center no order names', encodeId('Warehouse', 'PITNEY_BOWES', 'nowhere')],
  ])('answers NOT_FOUND for %s', async (_name, id) => {
    const res = await gw.query(`query($id: ID!) { node(id: $id) { id } }`, { id });
    expect(codes(res)).toEqual(['NOT_FOUND']);
  });

  it('answers NOT_FOUND naming the vendor for a well-formed id that does not exist (one lookup)', async () => {
    gw.resetCounts();
    const res = await gw.query(`query($id: ID!) { workOrder(id: $id) { id } }`, { id: missingDotZero });
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'DOTZERO' });
    expect(gw.calls().total).toBe(1);
  });
});

describe('a vendor down or answering garbage fails only its own part', () => {
  it.each([
    ['unavailable (503)', 'GENERIC_MES', 'UPSTREAM_UNAVAILABLE'],
    ['answering garbage', 'PITNEY_BOWES', 'UPSTREAM_ERROR'],
    ['resetting connections', 'DOTZERO', 'UPSTREAM_UNAVAILABLE'],
  ] as const)('%s: %s', async (_how, vendor, code) => {
    const sim = vendor === 'GENERIC_MES' ? gw.gmes : vendor === 'PITNEY_BOWES' ? gw.pb : gw.dotzero;
    if (vendor === 'GENERIC_MES') sim.faults.status = 503;
    if (vendor === 'PITNEY_BOWES') sim.faults.garbage = true;
    if (vendor === 'DOTZERO') sim.faults.reset = true;
    try {
      const res = await gw.query(`{ workOrders(first: 100) { totalCount edges { node { vendor orderNumber } } } }`);
      const vendors = new Set(res.body.data!.workOrders.edges.map((e: any) => e.node.vendor));
      expect(vendors.has(vendor)).toBe(false);
      expect(vendors.size).toBeGreaterThan(0);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors![0]!.extensions).toMatchObject({ code, vendor });
      expect(res.body.errors![0]!.path).toEqual(['workOrders']);
    } finally {
      for (const k of Object.keys(sim.faults)) delete (sim.faults as Record<string, unknown>)[k];
    }
  });
});

describe('DotZero token expiry', () => {
  it('refreshes once ahead of expiry for 50 concurrent queries', async () => {
    // Four minutes left: inside the five-minute window, so the first calls refresh before they are sent.
    const local = await startTestGateway({ dotzeroTokenTtlSeconds: 240 });
    try {
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          local.query(`{ workOrders(first: 5, filter: { vendors: [DOTZERO] }) { totalCount } }`),
        ),
      );
      for (const r of results) expect(r.body.errors).toBeUndefined();
      expect(local.dotzero.refreshCalls()).toBe(1);
    } finally {
      await local.close();
    }
  });

  it('refreshes once when every token is refused mid-run (401), then retries each call once', async () => {
    const local = await startTestGateway();
    try {
      await local.query(`{ workOrders(first: 1, filter: { vendors: [DOTZERO] }) { totalCount } }`);
      local.dotzero.revokeAccessTokens();
      local.resetCounts();
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          local.query(`{ workOrders(first: 5, filter: { vendors: [DOTZERO] }) { totalCount } }`),
        ),
      );
      for (const r of results) expect(r.body.errors).toBeUndefined();
      expect(local.dotzero.refreshCalls()).toBe(1);
      expect(local.dotzero.count('GET /v1/workOrders')).toBeLessThanOrEqual(100);
    } finally {
      await local.close();
    }
  });
});
