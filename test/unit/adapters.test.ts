// Each vendor's adapter (src/vendors/<vendor>/adapter.ts) against a recording upstream stub: for each kind of read,
// the calls it makes (and the reads it answers with none), within one request's reads.
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/domain/errors.js';
import type { DotZeroWorkOrder, GenericMesWorkOrder, PitneyBowesWorkOrder } from '../../src/domain/model.js';
import type { VendorAdapter } from '../../src/vendors/adapter.js';
import { createDotZeroAdapter } from '../../src/vendors/dotzero/adapter.js';
import { createGenericMesAdapter } from '../../src/vendors/generic-mes/adapter.js';
import { createPitneyBowesAdapter } from '../../src/vendors/pitney-bowes/adapter.js';
import { startUpstream, type RecordedRequest, type Reply, type Upstream } from '../helpers/upstream.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function stub(answer: (r: RecordedRequest) => Reply | undefined): Promise<Upstream> {
  const upstream = await startUpstream((r) => answer(r) ?? { status: 404, body: { message: 'not found' } });
  open.push(upstream);
  return upstream;
}

function adapter<A extends VendorAdapter>(a: A): A {
  open.push(a);
  return a;
}

/** "GET /path" for every call but token fetches. */
const calls = (u: Upstream) => u.requests.filter((r) => !/token/.test(r.path)).map((r) => `${r.method} ${r.path}`);

// ---------------------------------------------------------------------------------------------------------------

describe('DotZero adapter', () => {
  const jwt = (exp: number) =>
    `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.s`;
  const records: Record<string, unknown> = {
    '/v1/workOrders/w1': { uuid: 'w1', work_order_id: 'WO-1', qty: 10, status: 1, route_uuid: 'r1' },
    '/v1/routes/r1': { uuid: 'r1', name: 'Route 1', product_uuid: 'p1' },
    '/v1/products/p1': { uuid: 'p1', number: 'SKU-1', name: 'Widget' },
    '/v1/warehouse/h1': { uuid: 'h1', name: 'Main', code: 'M' },
    '/v1/warehouseStorage/s1': { uuid: 's1', warehouse_uuid: 'h1', name: 'Shelf', code: 'S' },
    '/v1/routeOperation/r1/byRouteUuid': [{ uuid: 'op1', operation_name: 'Cut', route_uuid: 'r1', sequence: 1 }],
    '/v1/workOrderOpHistory/w1/byWorkOrderUuid': [{ uuid: 'h-1', operation_name: 'Cut', work_order_uuid: 'w1' }],
    '/v1/routes/p1/byProductUuid': [{ uuid: 'r1', name: 'Route 1', product_uuid: 'p1' }],
    '/v1/productStorage/p1/byProductUuid': [{ uuid: 'ps1', product_uuid: 'p1', warehouse_uuid: 'h1', qty: 5 }],
    '/v1/warehouse/': { data: [{ uuid: 'h1', name: 'Main' }], total: 1 },
    '/v1/warehouseStorage/': { data: [{ uuid: 's1', warehouse_uuid: 'h1', name: 'Shelf' }], total: 1 },
  };

  async function setup() {
    const upstream = await stub((r) => (r.path in records ? { body: records[r.path] } : undefined));
    const a = adapter(
      createDotZeroAdapter({
        workOrderApiUrl: upstream.url,
        userApiUrl: upstream.url,
        tenantId: 't',
        token: jwt(Math.floor(Date.now() / 1000) + 3600),
        refreshToken: 'refresh',
      }),
    );
    return { upstream, a, reads: a.reads() };
  }

  it.each([
    [
      'a work order by key, twice',
      (r: ReturnType<VendorAdapter['reads']>) => Promise.all([r.workOrder('w1'), r.workOrder('w1')]),
      ['GET /v1/workOrders/w1'],
    ],
    ['a product by key', (r: ReturnType<VendorAdapter['reads']>) => r.product('p1'), ['GET /v1/products/p1']],
    ['a route by key', (r: ReturnType<VendorAdapter['reads']>) => r.route('r1'), ['GET /v1/routes/r1']],
    ['a warehouse by key', (r: ReturnType<VendorAdapter['reads']>) => r.warehouse('h1'), ['GET /v1/warehouse/h1']],
    [
      'a storage location by key',
      (r: ReturnType<VendorAdapter['reads']>) => r.storageLocation('s1'),
      ['GET /v1/warehouseStorage/s1'],
    ],
    [
      'an operation of a route, by its parent',
      (r: ReturnType<VendorAdapter['reads']>) => r.operation('route/r1/op1'),
      ['GET /v1/routeOperation/r1/byRouteUuid'],
    ],
    [
      'an op-history record, by its parent',
      (r: ReturnType<VendorAdapter['reads']>) => r.operation('wo/w1/h-1'),
      ['GET /v1/workOrderOpHistory/w1/byWorkOrderUuid'],
    ],
    ['every warehouse', (r: ReturnType<VendorAdapter['reads']>) => r.warehouses(), ['GET /v1/warehouse/']],
  ] as const)('%s', async (_what, read, expected) => {
    const { upstream, reads } = await setup();
    await read(reads);
    expect(calls(upstream)).toEqual(expected);
  });

  it('the product of an order goes through its route; the route and product lookups are shared within a request', async () => {
    const { upstream, reads } = await setup();
    const wo = await reads.workOrder('w1');
    const [product, route] = await Promise.all([reads.productOf(wo), reads.routeOf(wo)]);
    expect(product).toMatchObject({ vendorId: 'p1', name: 'Widget' });
    expect(route).toMatchObject({ vendorId: 'r1' });
    expect(await reads.routeProduct(route!)).toBe(product);
    expect(calls(upstream)).toEqual(['GET /v1/workOrders/w1', 'GET /v1/routes/r1', 'GET /v1/products/p1']);
  });

  it('children lists: one call per parent; a listed warehouse answers a later lookup without a call', async () => {
    const { upstream, reads } = await setup();
    const product = await reads.product('p1');
    const route = await reads.route('r1');
    const wo = await reads.workOrder('w1');
    await Promise.all([reads.productRoutes(product), reads.inventory(product), reads.inventory(product)]);
    await Promise.all([reads.routeOperations(route), reads.workOrderOperations(wo as DotZeroWorkOrder)]);
    const [warehouse] = await reads.warehouses();
    await reads.warehouse('h1');
    await Promise.all([reads.warehouseLocations(warehouse!), reads.warehouseLocations(warehouse!)]);
    expect(calls(upstream)).toEqual([
      'GET /v1/products/p1',
      'GET /v1/routes/r1',
      'GET /v1/workOrders/w1',
      'GET /v1/routes/p1/byProductUuid',
      'GET /v1/productStorage/p1/byProductUuid',
      'GET /v1/routeOperation/r1/byRouteUuid',
      'GET /v1/workOrderOpHistory/w1/byWorkOrderUuid',
      'GET /v1/warehouse/',
      'GET /v1/warehouseStorage/',
    ]);
  });

  it('forgetting an order reads it (and its operations) again', async () => {
    const { upstream, reads } = await setup();
    const wo = await reads.workOrder('w1');
    await reads.workOrderOperations(wo);
    reads.forgetWorkOrder('w1');
    await reads.workOrder('w1');
    await reads.workOrderOperations(wo);
    expect(calls(upstream)).toEqual([
      'GET /v1/workOrders/w1',
      'GET /v1/workOrderOpHistory/w1/byWorkOrderUuid',
      'GET /v1/workOrders/w1',
      'GET /v1/workOrderOpHistory/w1/byWorkOrderUuid',
    ]);
  });

  it('an operation id that names no parent is not found, without a call', async () => {
    const { upstream, reads } = await setup();
    await expect(reads.operation('op1')).rejects.toBeInstanceOf(NotFoundError);
    expect(calls(upstream)).toEqual([]);
  });

  it('operation keys name their parent', async () => {
    const { a } = await setup();
    const op = { vendor: 'DOTZERO', vendorId: 'op1' } as const;
    expect(a.operationKey({ ...op, workOrderId: 'w1', routeId: null } as never)).toBe('wo/w1/op1');
    expect(a.operationKey({ ...op, workOrderId: null, routeId: 'r1' } as never)).toBe('route/r1/op1');
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('generic MES adapter', () => {
  const row = (id: string, product: string | null, extra: Record<string, unknown> = {}) => ({
    id,
    orderNumber: `WO-${id}`,
    status: 'OPEN',
    product,
    quantity: 10,
    ...extra,
  });
  const ROWS = [row('a', 'Widget'), row('b', 'Gadget'), row('c', 'Widget'), row('d', null)];

  async function setup() {
    const upstream = await stub((r) => {
      if (r.path === '/work-orders')
        return { body: { data: ROWS, pagination: { page: 1, limit: 100, total: ROWS.length } } };
      const wo = /^\/work-orders\/(\w+)$/.exec(r.path);
      if (wo) return { body: { data: { ...row(wo[1]!, 'Widget'), operationIds: ['o2', 'o1'], notes: 'n' } } };
      const op = /^\/operations\/(\w+)$/.exec(r.path);
      if (op) return { body: { data: { id: op[1], name: `Op ${op[1]}`, sequence: op[1] === 'o1' ? 1 : 2 } } };
      return undefined;
    });
    const a = adapter(createGenericMesAdapter({ apiUrl: upstream.url, apiKey: 'k', transport: { timeoutMs: 5_000 } }));
    return { upstream, a, reads: a.reads() };
  }

  it('products are the names its orders carry: one list scan per request answers every product read', async () => {
    const { upstream, reads } = await setup();
    const [widget, page] = await Promise.all([reads.product('Widget'), reads.planProducts({})[0]!.fetch(0, 10)]);
    expect(widget).toMatchObject({ vendorId: 'Widget', sku: 'Widget' });
    expect(page.items.map((p) => p.name)).toEqual(['Gadget', 'Widget']);
    await expect(reads.product('Nothing')).rejects.toBeInstanceOf(NotFoundError);
    expect(calls(upstream)).toEqual(['GET /work-orders']);
  });

  it('a list row is detailed by one lookup, which also answers its operations (one call per operation id)', async () => {
    const { upstream, reads } = await setup();
    const [listed] = (await reads.planWorkOrders({})[0]!.fetch(0, 1)).items as GenericMesWorkOrder[];
    reads.primeWorkOrder(listed!);
    const [full, ops] = await Promise.all([reads.detailed(listed!), reads.workOrderOperations(listed!)]);
    expect(full).toMatchObject({ vendorId: 'a', detailed: true, notes: 'n' });
    expect(ops.map((o) => o.vendorId)).toEqual(['o1', 'o2']);
    expect(await reads.operation('o1')).toBe(ops[0]);
    expect(calls(upstream)).toEqual([
      'GET /work-orders',
      'GET /work-orders/a',
      'GET /operations/o2',
      'GET /operations/o1',
    ]);
  });

  it('the product of an order costs no call', async () => {
    const { upstream, reads } = await setup();
    const wo = { vendor: 'GENERIC_MES', vendorId: 'a', productName: 'Widget' } as GenericMesWorkOrder;
    expect(await reads.productOf(wo)).toMatchObject({ vendorId: 'Widget' });
    expect(calls(upstream)).toEqual([]);
  });

  it.each([
    ['route', (r: ReturnType<VendorAdapter['reads']>): Promise<unknown> => r.route('x')],
    ['warehouse', (r: ReturnType<VendorAdapter['reads']>): Promise<unknown> => r.warehouse('x')],
    ['storage location', (r: ReturnType<VendorAdapter['reads']>): Promise<unknown> => r.storageLocation('x')],
  ] as const)('has no %s: not found, without a call', async (_what, read) => {
    const { upstream, reads } = await setup();
    const err = await Promise.resolve()
      .then((): Promise<unknown> => read(reads))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(calls(upstream)).toEqual([]);
  });

  it('has no warehouses, stock or routes: empty, without a call', async () => {
    const { upstream, reads } = await setup();
    const product = { vendor: 'GENERIC_MES', vendorId: 'Widget' } as never;
    expect(await reads.warehouses()).toEqual([]);
    expect(await reads.inventory(product)).toEqual([]);
    expect(await reads.productRoutes(product)).toEqual([]);
    expect(calls(upstream)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('Pitney Bowes adapter', () => {
  // The document caps a kit's SKU at 30 characters, and says nothing of a child item's length.
  const LONG_CHILD_SKU = 'PART-WITH-A-LONG-CATALOG-NUMBER-0042';
  const ORDERS = [
    {
      workOrderId: 'WO-1',
      clientWorkOrderId: 'C-1',
      status: 'COMPLETE',
      sku: 'KIT-A',
      node: 'N2',
      workOrderQuantity: 5,
      completedQuantity: 5,
      lotNumbers: ['L1'],
      workOrderLines: [{ childSKU: 'PART-X', issuedQuantity: 10, lotNumbers: ['LX'] }],
    },
    {
      workOrderId: 'WO-2',
      clientWorkOrderId: 'C-2',
      status: 'CREATED',
      sku: 'KIT-B',
      node: 'N1',
      workOrderQuantity: 5,
      workOrderLines: [{ childSKU: LONG_CHILD_SKU, issuedQuantity: 0 }],
    },
  ];

  async function setup() {
    const upstream = await stub((r) => {
      if (r.path === '/oauth/token') return { body: { access_token: 'tok', expiresIn: '35999' } };
      if (r.path.endsWith('/v1/work-orders/search')) {
        const ids: string[] | undefined = (r.body as any)?.searchFields?.find(
          (f: any) => f.name === 'workOrderIds',
        )?.values;
        const list = ids ? ORDERS.filter((o) => ids.includes(o.workOrderId)) : ORDERS;
        return { body: { totalPages: 1, totalElements: list.length, page: 1, size: 100, workOrders: list } };
      }
      return undefined;
    });
    const a = adapter(
      createPitneyBowesAdapter({
        apiUrl: `${upstream.url}/shippingservices/fulfillment`,
        oauthUrl: `${upstream.url}/oauth/token`,
        apiKey: 'key',
        apiSecret: 'secret',
        clientId: 'client',
        transport: { timeoutMs: 5_000 },
      }),
    );
    return { upstream, a, reads: a.reads() };
  }
  const SEARCH = 'POST /shippingservices/fulfillment/v1/work-orders/search';

  it('orders by key: one search for all keys asked together', async () => {
    const { upstream, reads } = await setup();
    const [one, two] = await Promise.all([reads.workOrder('WO-1'), reads.workOrder('WO-2')]);
    expect([one.vendorId, two.vendorId]).toEqual(['WO-1', 'WO-2']);
    expect(calls(upstream)).toEqual([SEARCH]);
  });

  it('products, fulfillment centers and stock all come from one scan of the orders per request', async () => {
    const { upstream, reads } = await setup();
    const [products, centers, kit, part, center] = await Promise.all([
      reads.planProducts({})[0]!.fetch(0, 10),
      reads.warehouses(),
      reads.product('KIT-A'),
      reads.product('PART-X'),
      reads.warehouse('N1'),
    ]);
    expect(products.items.map((p) => p.sku)).toEqual(['KIT-A', 'KIT-B', LONG_CHILD_SKU, 'PART-X']);
    expect(centers.map((w) => w.vendorId)).toEqual(['N1', 'N2']);
    expect(center).toMatchObject({ name: 'Fulfillment center N1' });
    expect(await reads.inventory(kit)).toMatchObject([{ source: 'PRODUCED', quantity: 5, warehouseId: 'N2' }]);
    expect(await reads.inventory(part)).toMatchObject([{ source: 'ISSUED', quantity: 10 }]);
    await expect(reads.warehouse('N9')).rejects.toBeInstanceOf(NotFoundError);
    expect(calls(upstream)).toEqual([SEARCH]);
  });

  it("a kit line's product and an order's product cost no call", async () => {
    const { upstream, reads } = await setup();
    expect(reads.productOfLine('PART-X')).toMatchObject({ vendor: 'PITNEY_BOWES', sku: 'PART-X' });
    expect(await reads.productOf({ vendor: 'PITNEY_BOWES', sku: 'KIT-A' } as PitneyBowesWorkOrder)).toMatchObject({
      sku: 'KIT-A',
    });
    expect(calls(upstream)).toEqual([]);
  });

  it("a child item's SKU over a kit's 30 characters is a product found by its key; a key no order names is NOT_FOUND", async () => {
    const { upstream, reads } = await setup();
    expect(LONG_CHILD_SKU.length).toBeGreaterThan(30);
    expect(await reads.product(LONG_CHILD_SKU)).toMatchObject({ vendor: 'PITNEY_BOWES', sku: LONG_CHILD_SKU });
    await expect(reads.product('x'.repeat(31))).rejects.toBeInstanceOf(NotFoundError);
    expect(calls(upstream)).toEqual([SEARCH]);
  });

  it('has no routes or operations, and no writer', async () => {
    const { upstream, a, reads } = await setup();
    await expect(reads.route('r')).rejects.toBeInstanceOf(NotFoundError);
    await expect(reads.operation('o')).rejects.toBeInstanceOf(NotFoundError);
    expect(await reads.workOrderOperations({ vendor: 'PITNEY_BOWES' } as PitneyBowesWorkOrder)).toEqual([]);
    expect(a.writer).toBeUndefined();
    expect(calls(upstream)).toEqual([]);
  });
});
