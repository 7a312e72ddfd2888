// The gateway as a Federation v2 subgraph: `_service { sdl }`, `_entities` through the per-request loaders (batched
// as queries are, counted at the simulators), each representation failing alone, the caller's vendor scope, the
// entity and cost limits, and who is served the subgraph schema at all (routers; not partners or frontends).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { encodeId } from '../../src/domain/ids.js';
import { codes, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const client = (name: string, role: GatewayClient['role'], extra: Partial<GatewayClient> = {}): GatewayClient => ({
  name,
  apiKey: `${name}-key-0123456789abcdef`,
  role,
  scopes: ['workorders:read'],
  rateLimitPerMinute: 100_000,
  ...extra,
});
const ROUTER = client('router', 'router');
const ROUTER_PB = client('router-pb', 'router', { vendors: ['PITNEY_BOWES'] });
const FRONTEND = client('frontend', 'frontend');
const PARTNER = client('partner', 'partner');
const key = (c: GatewayClient) => ({ 'x-api-key': c.apiKey });

const TYPE = {
  DOTZERO: 'DotZeroWorkOrder',
  GENERIC_MES: 'GenericMesWorkOrder',
  PITNEY_BOWES: 'PitneyBowesWorkOrder',
} as const;
type Vendor = keyof typeof TYPE;

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on WorkOrder { id vendor orderNumber status }
    ... on Product { id name }
    ... on Route { id name }
  }
}`;

let gw: TestGateway;
const orders: Record<Vendor, string[]> = { DOTZERO: [], GENERIC_MES: [], PITNEY_BOWES: [] };
let productId: string;
let routeId: string;

const entities = (representations: unknown[], c: GatewayClient = ROUTER, query = ENTITIES) =>
  gw.query(query, { representations }, key(c));
/** Vendor calls of one request, from the simulators' counters. */
async function callsOf<T>(
  run: () => Promise<T>,
): Promise<{ result: T; calls: ReturnType<TestGateway['calls']>; routes: Record<string, number> }> {
  gw.resetCounts();
  const result = await run();
  return { result, calls: gw.calls(), routes: gw.counts() };
}

beforeAll(async () => {
  gw = await startTestGateway({
    clients: [ROUTER, ROUTER_PB, FRONTEND, PARTNER],
    // Aliases up to 30, for the query that the entity batch is compared with; a body large enough that only our
    // own entity limit can refuse thousands of representations.
    config: { limits: { maxAliases: 30 }, maxBodyBytes: 1_000_000 },
  });
  // Also warms every vendor's token, so the counts below are the data calls alone.
  for (const vendor of Object.keys(orders) as Vendor[]) {
    const list = await gw.query(
      `{ workOrders(first: 20, filter: { vendors: [${vendor}] }) { edges { node { id } } } }`,
      undefined,
      key(ROUTER),
    );
    orders[vendor] = list.body.data!.workOrders.edges.map((e: any) => e.node.id);
    expect(orders[vendor].length).toBeGreaterThanOrEqual(7);
  }
  const dz = await gw.query(
    '{ workOrders(first: 5, filter: { vendors: [DOTZERO] }) { edges { node { product { id } route { id } } } } }',
    undefined,
    key(ROUTER),
  );
  const withRoute = dz.body.data!.workOrders.edges.find((e: any) => e.node.route && e.node.product);
  productId = withRoute.node.product.id;
  routeId = withRoute.node.route.id;
});
afterAll(async () => {
  await gw?.close();
});

describe('subgraph SDL', () => {
  it('answers _service { sdl } with the Federation v2 SDL committed as schema.subgraph.graphql', async () => {
    const { result: res, calls } = await callsOf(() => gw.query('{ _service { sdl } }', undefined, key(ROUTER)));
    expect(calls.total).toBe(0);
    const sdl: string = res.body.data!._service.sdl;
    expect(sdl.trim()).toBe(readFileSync('schema.subgraph.graphql', 'utf8').trim());
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    for (const type of [
      'interface WorkOrder',
      'type DotZeroWorkOrder',
      'type GenericMesWorkOrder',
      'type PitneyBowesWorkOrder',
      'type Product',
      'type Route',
    ]) {
      expect(sdl).toMatch(new RegExp(`${type} [^{]*@key\\(fields: "id"\\)`));
    }
  });

  it.each([
    ['a partner', PARTNER],
    ['a frontend', FRONTEND],
  ])(
    'is not served to %s: _service and _entities do not exist in the API schema (no vendor call)',
    async (_name, c) => {
      const { result, calls } = await callsOf(async () => [
        await gw.query('{ _service { sdl } }', undefined, key(c)),
        await entities([{ __typename: 'WorkOrder', id: orders.PITNEY_BOWES[0] }], c),
      ]);
      for (const res of result)
        expect(codes(res)).toContain(
          c.role === 'partner' ? 'PERSISTED_QUERY_NOT_IN_LIST' : 'GRAPHQL_VALIDATION_FAILED',
        );
      expect(calls.total).toBe(0);
    },
  );
});

describe('_entities batching', () => {
  it('resolves 20 references across three vendors with exactly the vendor calls of a query for the same 20 orders', async () => {
    const picked = [
      ...orders.DOTZERO.slice(0, 7).map((id) => ['DOTZERO', id] as const),
      ...orders.GENERIC_MES.slice(0, 7).map((id) => ['GENERIC_MES', id] as const),
      ...orders.PITNEY_BOWES.slice(0, 6).map((id) => ['PITNEY_BOWES', id] as const),
    ];
    expect(picked).toHaveLength(20);
    const aliased = `{ ${picked.map(([, id], i) => `o${i}: workOrder(id: "${id}") { id vendor orderNumber status }`).join(' ')} }`;
    const viaQuery = await callsOf(() => gw.query(aliased, undefined, key(FRONTEND)));
    expect(viaQuery.result.body.errors).toBeUndefined();

    // Half by the interface's typename, half by the implementation's: both keys resolve the same way.
    const reps = picked.map(([vendor, id], i) => ({ __typename: i % 2 ? 'WorkOrder' : TYPE[vendor], id }));
    const viaEntities = await callsOf(() => entities(reps));
    expect(viaEntities.result.body.errors).toBeUndefined();
    const got = viaEntities.result.body.data!._entities;
    expect(got.map((e: any) => e.id)).toEqual(picked.map(([, id]) => id));
    expect(got.map((e: any) => e.__typename)).toEqual(picked.map(([vendor]) => TYPE[vendor]));
    expect(got.map((e: any) => e.orderNumber)).toEqual(
      picked.map((_, i) => viaQuery.result.body.data![`o${i}`].orderNumber),
    );

    expect(viaEntities.routes).toEqual(viaQuery.routes);
    expect(viaEntities.calls).toEqual(viaQuery.calls);
    // Pitney Bowes takes several ids in one search: six references are one call.
    expect(viaEntities.calls.PITNEY_BOWES).toBe(1);
  });

  it('resolves Product and Route entities through the same loaders', async () => {
    const { result, calls } = await callsOf(() =>
      entities([
        { __typename: 'Product', id: productId },
        { __typename: 'Route', id: routeId },
        { __typename: 'Product', id: productId },
      ]),
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!._entities.map((e: any) => [e.__typename, e.id])).toEqual([
      ['Product', productId],
      ['Route', routeId],
      ['Product', productId],
    ]);
    // One product call and one route call: the repeated product is the loader's cache.
    expect(calls).toMatchObject({ DOTZERO: 2, GENERIC_MES: 0, PITNEY_BOWES: 0 });
  });

  it(`takes up to GATEWAY_MAX_ENTITIES (${DEFAULT_LIMITS.maxEntities}) representations, one search for Pitney Bowes`, async () => {
    const reps = Array.from({ length: DEFAULT_LIMITS.maxEntities }, (_, i) => ({
      __typename: 'WorkOrder',
      id: orders.PITNEY_BOWES[i % orders.PITNEY_BOWES.length],
    }));
    const ids =
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on WorkOrder { id } } }';
    const { result, calls } = await callsOf(() => entities(reps, ROUTER, ids));
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data!._entities).toHaveLength(DEFAULT_LIMITS.maxEntities);
    expect(calls).toMatchObject({ DOTZERO: 0, GENERIC_MES: 0, PITNEY_BOWES: 1 });
  });
});

const pbRep = () => ({ __typename: 'PitneyBowesWorkOrder', id: orders.PITNEY_BOWES[0] });
const dzRep = () => ({ __typename: 'DotZeroWorkOrder', id: orders.DOTZERO[0] });

describe('bad representations: each fails alone, with a code, and makes no vendor call', () => {
  const cases: [string, () => unknown, string, string][] = [
    [
      'an unknown typename',
      () => ({ __typename: 'Banana', id: orders.DOTZERO[1] }),
      'VALIDATION_ERROR',
      'representations[1].__typename',
    ],
    [
      'a type that is not an entity here',
      () => ({ __typename: 'Operation', id: orders.DOTZERO[1] }),
      'VALIDATION_ERROR',
      'representations[1].__typename',
    ],
    ['no typename', () => ({ id: orders.DOTZERO[1] }), 'VALIDATION_ERROR', 'representations[1].__typename'],
    [
      'a DotZero id under GenericMesWorkOrder',
      () => ({ __typename: 'GenericMesWorkOrder', id: orders.DOTZERO[1] }),
      'VALIDATION_ERROR',
      'representations[1].id',
    ],
    [
      'a Product id under WorkOrder',
      () => ({ __typename: 'WorkOrder', id: productId }),
      'VALIDATION_ERROR',
      'representations[1].id',
    ],
    [
      'a work-order id under Route',
      () => ({ __typename: 'Route', id: orders.DOTZERO[1] }),
      'VALIDATION_ERROR',
      'representations[1].id',
    ],
    [
      'a forged id: DotZero type, generic MES vendor',
      () => ({ __typename: 'WorkOrder', id: encodeId('DotZeroWorkOrder', 'GENERIC_MES', '1') }),
      'VALIDATION_ERROR',
      'representations[1].id',
    ],
    ['a missing key', () => ({ __typename: 'WorkOrder' }), 'VALIDATION_ERROR', 'representations[1].id'],
    [
      'a key of the wrong type',
      () => ({ __typename: 'WorkOrder', id: 42 }),
      'VALIDATION_ERROR',
      'representations[1].id',
    ],
    [
      'the vendor key instead of the global id',
      () => ({ __typename: 'WorkOrder', vendor: 'DOTZERO', orderNumber: 'WO-1' }),
      'VALIDATION_ERROR',
      'representations[1].id',
    ],
    [
      'a malformed id',
      () => ({ __typename: 'WorkOrder', id: 'not base64!' }),
      'VALIDATION_ERROR',
      'representations[1].id',
    ],
    ['not an object', () => 'WorkOrder:1', 'VALIDATION_ERROR', 'representations[1]'],
    ['a list', () => [pbRep()], 'VALIDATION_ERROR', 'representations[1]'],
  ];

  it.each(cases)(
    '%s: a null entity with its own coded error, the others resolve, no call for it',
    async (_name, bad, code, field) => {
      const good = await callsOf(() => entities([pbRep(), dzRep()]));
      const mixed = await callsOf(() => entities([pbRep(), bad(), dzRep()]));
      expect(mixed.result.status).toBe(200);
      const got = mixed.result.body.data!._entities;
      expect(got[0]).toMatchObject({ id: orders.PITNEY_BOWES[0] });
      expect(got[1]).toBeNull();
      expect(got[2]).toMatchObject({ id: orders.DOTZERO[0] });
      expect(mixed.result.body.errors).toHaveLength(1);
      expect(mixed.result.body.errors![0]).toMatchObject({ path: ['_entities', 1], extensions: { code, field } });
      expect(mixed.routes).toEqual(good.routes);
    },
  );

  it('an id of no existing order: NOT_FOUND for it alone (it costs its lookup, batched with the others)', async () => {
    const missing = encodeId('PitneyBowesWorkOrder', 'PITNEY_BOWES', 'NO-SUCH-ORDER');
    const { result, calls } = await callsOf(() => entities([pbRep(), { __typename: 'WorkOrder', id: missing }]));
    expect(result.body.data!._entities[0]).toMatchObject({ id: orders.PITNEY_BOWES[0] });
    expect(result.body.data!._entities[1]).toBeNull();
    expect(result.body.errors![0]).toMatchObject({ path: ['_entities', 1], extensions: { code: 'NOT_FOUND' } });
    expect(calls).toMatchObject({ PITNEY_BOWES: 1, DOTZERO: 0, GENERIC_MES: 0 });
  });

  it.each([1_000, 5_000])(
    '%i representations: refused whole with ENTITY_LIMIT_EXCEEDED before any vendor call',
    async (n) => {
      const reps = Array.from({ length: n }, (_, i) => ({ __typename: 'WorkOrder', id: orders.PITNEY_BOWES[i % 3] }));
      const { result, calls } = await callsOf(() => entities(reps));
      expect(result.status).toBe(400);
      expect(result.body.data ?? null).toBeNull();
      expect(result.body.errors![0]!.extensions).toMatchObject({
        code: 'ENTITY_LIMIT_EXCEEDED',
        limit: DEFAULT_LIMITS.maxEntities,
        requested: n,
      });
      expect(calls.total).toBe(0);
    },
  );

  it('counts representations given inline and across aliases against the same limit', async () => {
    const inline = Array.from(
      { length: 60 },
      () => `{ __typename: "WorkOrder", id: "${orders.PITNEY_BOWES[0]}" }`,
    ).join(', ');
    const query = `query($r: [_Any!]!) { a: _entities(representations: $r) { __typename } b: _entities(representations: [${inline}]) { __typename } }`;
    const r = Array.from({ length: DEFAULT_LIMITS.maxEntities - 50 }, () => pbRep());
    const { result, calls } = await callsOf(() => gw.query(query, { r }, key(ROUTER)));
    expect(codes(result)).toEqual(['ENTITY_LIMIT_EXCEEDED']);
    expect(calls.total).toBe(0);
  });

  it('costs each representation: a heavy selection over many entities is COST_LIMIT_EXCEEDED, no call', async () => {
    const heavy = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on WorkOrder { id orderNumber status customer notes product { id name sku routes { id name operations { id name sequence status } } }
        route { id name operations { id name sequence status } } operations { id name sequence status } } } }`;
    const few = await callsOf(() => entities([pbRep()], ROUTER, heavy));
    expect(few.result.body.errors).toBeUndefined();
    const reps = Array.from({ length: DEFAULT_LIMITS.maxEntities }, () => pbRep());
    const many = await callsOf(() => entities(reps, ROUTER, heavy));
    expect(codes(many.result)).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(many.calls.total).toBe(0);
  });
});

describe('vendor scope', () => {
  it('a router limited to Pitney Bowes gets no DotZero or generic MES entity and causes no call to them', async () => {
    const { result, calls } = await callsOf(() =>
      entities(
        [
          { __typename: 'WorkOrder', id: orders.DOTZERO[0] },
          pbRep(),
          { __typename: 'GenericMesWorkOrder', id: orders.GENERIC_MES[0] },
          { __typename: 'Product', id: productId },
        ],
        ROUTER_PB,
      ),
    );
    const got = result.body.data!._entities;
    expect(got[0]).toBeNull();
    expect(got[1]).toMatchObject({ id: orders.PITNEY_BOWES[0] });
    expect(got[2]).toBeNull();
    expect(got[3]).toBeNull();
    expect(result.body.errors!.map((e) => [e.path, e.extensions?.code, e.extensions?.vendor])).toEqual([
      [['_entities', 0], 'FORBIDDEN', 'DOTZERO'],
      [['_entities', 2], 'FORBIDDEN', 'GENERIC_MES'],
      [['_entities', 3], 'FORBIDDEN', 'DOTZERO'],
    ]);
    expect(calls).toMatchObject({ DOTZERO: 0, GENERIC_MES: 0, PITNEY_BOWES: 1 });
  });

  it('a router sends any query, like a frontend (the partner list does not bind it), within its scope', async () => {
    const { result, calls } = await callsOf(() =>
      gw.query('{ workOrders(first: 5) { edges { node { vendor } } } }', undefined, key(ROUTER_PB)),
    );
    expect(result.body.errors).toBeUndefined();
    expect(new Set(result.body.data!.workOrders.edges.map((e: any) => e.node.vendor))).toEqual(
      new Set(['PITNEY_BOWES']),
    );
    expect(calls).toMatchObject({ DOTZERO: 0, GENERIC_MES: 0 });
  });
});
