// GATEWAY_JIT (on by default): graphql-jit's compiled plans give graphql-js's answers byte for byte, errors
// included. A gateway with graphql-jit and one with graphql-js (GATEWAY_JIT=false) get the same table of requests,
// with the same faults injected into their simulators, and must answer with the same status and the same body
// (the JSON text, key order included, less request ids and the simulators' start-time dates) after the same vendor
// calls: field errors with their `locations` through aliases, merged fields, named and inline fragments on the Node
// and WorkOrder interfaces and vendor-specific types, lists, non-null propagation, failing mutations, vendor faults
// and variables refused with their input path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkOrderByIdDocument, WorkOrderStatusesDocument } from '../../src/generated/graphql.js';
import type { Faults } from '../../src/simulators/harness.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const hashOf = (doc: unknown) => (doc as { __meta__: { hash: string } }).__meta__.hash;

/** Request ids, and the dates each simulator sets from its own start-up time (or the time of a write). */
const VARYING = new Set([
  'requestId',
  'dueDate',
  'startDate',
  'completionDate',
  'pbCreateDate',
  'createdAt',
  'updatedAt',
  'orderDueDate',
  'estimatedCompletionDate',
  'startedAt',
  'completedAt',
]);
/** Vendor calls by route, less token calls (each gateway fetches its token once, whenever it first needs it). */
const calls = (gw: TestGateway) =>
  Object.fromEntries(Object.entries(gw.counts()).filter(([route, n]) => n > 0 && !/token/i.test(route)));

let jit: TestGateway;
let plain: TestGateway;
let dz: string[] = [];
let gm: string[] = [];
let pb: string[] = [];
let route = '';

beforeAll(async () => {
  [jit, plain] = await Promise.all([
    startTestGateway({ config: { jit: true } }),
    startTestGateway({ config: { jit: false } }),
  ]);
  const res = await plain.query(
    `{ dz: workOrders(first: 3, filter: { vendors: [DOTZERO] }) { edges { node { id route { id } } } }
       gm: workOrders(first: 3, filter: { vendors: [GENERIC_MES] }) { edges { node { id } } }
       pb: workOrders(first: 3, filter: { vendors: [PITNEY_BOWES] }) { edges { node { id } } } }`,
  );
  const idsOf = (alias: string): string[] =>
    res.body.data![alias].edges.map((e: { node: { id: string } }) => e.node.id);
  [dz, gm, pb] = [idsOf('dz'), idsOf('gm'), idsOf('pb')];
  route = res.body.data!.dz.edges[0].node.route.id;
});
afterAll(async () => {
  await Promise.all([jit?.close(), plain?.close()]);
});

type Sims = 'dotzero' | 'gmes' | 'pb';
/** The JSON text with what differs between two simulator runs replaced, in the order the gateway wrote it. */
const comparable = (text: string) =>
  JSON.stringify(JSON.parse(text), (key, value: unknown) => (VARYING.has(key) ? '*' : value));

/** One request to both gateways, one after the other, with the same faults in both gateways' simulators. */
async function both(body: Record<string, unknown>, faults: Partial<Record<Sims, Partial<Faults>>> = {}, settleMs = 0) {
  const answer = async (gw: TestGateway) => {
    for (const [sim, f] of Object.entries(faults)) Object.assign(gw[sim as Sims].faults, f);
    gw.resetCounts();
    try {
      const res = await gw.post(body);
      const text = comparable(await res.text());
      await new Promise((r) => setTimeout(r, settleMs));
      return { status: res.status, type: res.headers.get('content-type'), text, calls: calls(gw) };
    } finally {
      for (const [sim, f] of Object.entries(faults))
        for (const k of Object.keys(f)) delete gw[sim as Sims].faults[k as keyof Faults];
    }
  };
  return { a: await answer(jit), b: await answer(plain) };
}

interface Case {
  name: string;
  body: () => Record<string, unknown>;
  faults?: Partial<Record<Sims, Partial<Faults>>>;
  /**
   * Time for vendor calls made after the answer: where a non-null root field fails at once, graphql-js answers
   * without waiting for the other root fields, whose calls go on; graphql-jit waits for them.
   */
  settleMs?: number;
  /** A part of the body that shows the case exercised what it names (an error's locations, a type). */
  shows: (string | RegExp)[];
}

const PRODUCT_DOWN = { dotzero: { routeStatus: { 'GET /v1/products/:uuid': 404 } } };
const ROUTE_DOWN = { dotzero: { routeStatus: { 'GET /v1/routes/:uuid': 404 } } };
const OPS_DOWN = { dotzero: { routeStatus: { 'GET /v1/workOrderOpHistory/:uuid/byWorkOrderUuid': 400 } } };

const CASES: Case[] = [
  {
    name: 'a refused id, aliased, beside data',
    body: () => ({ query: `{ a: workOrder(id: "not-an-id") { id } b: workOrder(id: "${dz[0]}") { id orderNumber } }` }),
    shows: ['"locations":[{"line":1,"column":3}]', '"path":["a"]'],
  },
  {
    name: 'one response key from two field nodes (merged): both locations',
    body: () => ({ query: '{ w: workOrder(id: "nope") { id }\n  w: workOrder(id: "nope") { orderNumber } }' }),
    shows: ['"locations":[{"line":1,"column":3},{"line":2,"column":3}]'],
  },
  {
    name: 'named fragments on Query and on the WorkOrder interface, nested spreads',
    body: () => ({
      query: `query Q { ...Root }
        fragment Root on Query { x: workOrder(id: "${dz[0]}") { ...Order } y: workOrder(id: "bad") { ...Order } }
        fragment Order on WorkOrder { id product { id name } }`,
      operationName: 'Q',
    }),
    faults: PRODUCT_DOWN,
    shows: ['"path":["x","product"]', '"path":["y"]', '"locations":[{"line":3,"column":42}]'],
  },
  {
    name: 'inline fragments on the Node interface and vendor types, one key on different fields per type',
    body: () => ({
      query: `{ ${[dz[0], gm[0], pb[0]]
        .map(
          (id, i) => `n${i}: node(id: "${id}") { __typename id
            ... on WorkOrder { orderNumber status }
            ... on DotZeroWorkOrder { rel: route { id } }
            ... on GenericMesWorkOrder { rel: product { id } }
            ... on PitneyBowesWorkOrder { sku rel: product { id } } }`,
        )
        .join('\n')} }`,
    }),
    faults: ROUTE_DOWN,
    shows: ['"path":["n0","rel"]', 'PitneyBowesWorkOrder', '"locations"'],
  },
  {
    name: 'the same key in an interface fragment and a vendor fragment: the nodes merged for the runtime type',
    body: () => ({
      query: `{ a: node(id: "${dz[1]}") { ... on WorkOrder { p: product { id } } ... on DotZeroWorkOrder { p: product { name } } ...G }
               b: node(id: "${gm[0]}") { ... on WorkOrder { p: product { id } } ... on DotZeroWorkOrder { p: product { name } } ...G } }
             fragment G on GenericMesWorkOrder { p: product { id } }`,
    }),
    faults: { ...PRODUCT_DOWN, gmes: { status: 503 } },
    shows: ['"path":["a","p"]', '"locations":[{"line":1,"column":122},{"line":1,"column":168}]'],
  },
  {
    name: 'one key on a Route and on the WorkOrder interface: the node of the Route, not of the work orders',
    body: () => ({
      query: `{ n: node(id: "${route}") { id ... on WorkOrder { x: product { id } } ... on Route { x: product { name } } } }`,
    }),
    faults: PRODUCT_DOWN,
    shows: ['"path":["n","x"]', /"locations":\[\{"line":1,"column":1\d\d\}\]/],
  },
  {
    name: 'a named fragment spread twice counts once',
    body: () => ({
      query: '{ ...F ...F w: workOrder(id: "nope") { id } } fragment F on Query { w: workOrder(id: "nope") { id } }',
    }),
    shows: ['"locations":[{"line":1,"column":69},{"line":1,"column":13}]'],
  },
  {
    name: 'a vendor answering the wrong types: the order refused',
    body: () => ({
      query: `{ a: node(id: "${dz[0]}") { id ... on DotZeroWorkOrder { orderNumber status quantity completedQuantity isAsap priority vendorStatus customer } } }`,
    }),
    faults: { dotzero: { body: 'wrongTypes' } },
    shows: ['"data":{"a":null}', '"locations":[{"line":1,"column":3}]'],
  },
  {
    name: 'a vendor answering an undocumented status: the order refused',
    body: () => ({ query: `{ a: workOrder(id: "${dz[0]}") { id orderNumber status operations { status } } }` }),
    faults: { dotzero: { body: 'unknownStatus' } },
    shows: ['ZZ_UNDOCUMENTED', '"locations":[{"line":1,"column":3}]'],
  },
  {
    name: 'a list of orders with a relation failing in every item (indexes in the path)',
    body: () => ({
      query: `{ workOrders(first: 3, filter: { vendors: [DOTZERO] }) { edges { cursor node { id ...on DotZeroWorkOrder { product { name } } } } } }`,
    }),
    faults: PRODUCT_DOWN,
    shows: ['"path":["workOrders","edges",0,"node","product"]'],
  },
  {
    name: 'non-null propagation: a non-null list failing nulls its nullable order',
    body: () => ({ query: `{ a: workOrder(id: "${dz[0]}") { id operations { id name } } }` }),
    faults: OPS_DOWN,
    shows: ['"data":{"a":null}', '"path":["a","operations"]'],
  },
  {
    name: 'non-null propagation inside a list, through connection edges',
    body: () => ({
      query: `{ workOrders(first: 2, filter: { vendors: [DOTZERO] }) { edges { node { id operations { id } } } } }`,
    }),
    faults: OPS_DOWN,
    shows: ['"operations"]'],
  },
  {
    name: 'a whole vendor down: a single order refused, errors before data',
    body: () => ({ query: `{ o: workOrder(id: "${gm[0]}") { id } p: workOrder(id: "${pb[0]}") { id } }` }),
    faults: { gmes: { status: 503 } },
    shows: [/^\{"errors":\[\{"message":"[^"]+","locations":\[\{"line":1,"column":3\}\],"path":\["o"\]/],
  },
  {
    name: 'the connection with a vendor down: partial errors (no locations either way) beside data',
    body: () => ({ query: '{ workOrders(first: 4) { totalCount edges { node { id vendor } } } }' }),
    faults: { gmes: { status: 503 } },
    shows: ['"errors"', 'GENERIC_MES'],
  },
  {
    name: 'a mutation refused: non-null payload, data null',
    body: () => ({ query: 'mutation { startWorkOrder(id: "not-an-id") { id status } }' }),
    shows: ['"data":null', '"path":["startWorkOrder"]', '"locations":[{"line":1,"column":12}]'],
  },
  {
    name: 'a mutation the vendor refuses (a transition not allowed), aliased, after a fragment',
    body: () => ({
      query: `mutation M { done: completeWorkOrder(id: "${gm[2]}", completedQuantity: -5) { ...W } }
              fragment W on WorkOrder { id status }`,
    }),
    shows: ['"path":["done"]', '"locations"'],
  },
  {
    name: 'a mutation the vendor fails (503): serial mutations, the second not run after the first fails',
    body: () => ({
      query: `mutation { a: startWorkOrder(id: "${gm[1]}") { id } b: holdWorkOrder(id: "${gm[1]}") { id } }`,
    }),
    faults: { gmes: { status: 503 } },
    shows: ['"path":["a"]'],
  },
  {
    name: 'a mutation with a bad input variable: the input path named',
    body: () => ({
      query: 'mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { id } }',
      variables: { input: { vendor: 'GENERIC_MES', orderNumber: 'X-1', quantity: 'many' } },
    }),
    shows: ['input.quantity'],
  },
  {
    name: 'a list variable with a bad item',
    body: () => ({
      query: 'query($v: [Vendor!]) { workOrders(filter: { vendors: $v }) { totalCount } }',
      variables: { v: ['DOTZERO', 'SAP'] },
    }),
    shows: ['"field":"v[1]"'],
  },
  {
    name: '@skip and @include decide which nodes are merged',
    body: () => ({
      query: `query($no: Boolean!) { w: workOrder(id: "bad") @skip(if: $no) { id } w: workOrder(id: "bad") @include(if: true) { id } }`,
      variables: { no: true },
    }),
    shows: ['"locations":[{"line":1,"column":70}]'],
  },
  {
    name: 'two operations, one picked by name',
    body: () => ({ query: 'query A { vendors { vendor } } query B { a: vendors { vendor } }', operationName: 'A' }),
    shows: ['"data":{"vendors":['],
  },
  {
    name: 'the same two operations, none named: refused (after a plan for A was made)',
    body: () => ({ query: 'query A { vendors { vendor } } query B { a: vendors { vendor } }' }),
    shows: ['Could not determine what operation to execute.'],
  },
  {
    name: 'node(id) through the Node interface and vendor-specific fragments, no error',
    body: () => ({
      query: `{ ${[...dz, ...gm, ...pb]
        .map(
          (id, i) => `n${i}: node(id: "${id}") { __typename id ... on WorkOrder { orderNumber status vendor }
            ... on PitneyBowesWorkOrder { sku lotNumbers components { sku issuedQuantity } } }`,
        )
        .join(' ')} }`,
    }),
    shows: ['PitneyBowesWorkOrder', 'DotZeroWorkOrder'],
  },
  {
    name: 'catalog documents by documentId',
    body: () => ({ documentId: hashOf(WorkOrderByIdDocument), variables: { id: dz[1] } }),
    shows: ['"workOrder"'],
  },
  {
    name: 'a catalog document by documentId with a vendor down',
    body: () => ({
      documentId: hashOf(WorkOrderStatusesDocument),
      variables: { first: 5, filter: { vendors: ['GENERIC_MES', 'DOTZERO'] } },
    }),
    faults: { gmes: { status: 503 } },
    shows: ['"errors"'],
  },
  {
    name: 'a resolver validation error inside a fragment on Query with a nested list',
    body: () => ({
      query: `{ ...F } fragment F on Query { warehouses { id } inventory(productId: "not-a-product") { quantity } }`,
    }),
    settleMs: 300,
    shows: ['"path":["inventory"]', '"locations":[{"line":1,"column":50}]'],
  },
];

describe('graphql-jit against graphql-js: the same bytes', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { a, b } = await both(c.body(), c.faults, c.settleMs);
    expect(a).toEqual(b);
    for (const part of c.shows) expect(a.text).toMatch(part);
  });

  it('runs queries and mutations through compiled plans (and graphql-js where GATEWAY_JIT=false)', async () => {
    const before = jit.gateway.jit!.stats.runs;
    await jit.query('{ vendors { vendor } }');
    await jit.query('mutation { startWorkOrder(id: "not-an-id") { id } }');
    expect(jit.gateway.jit!.stats.runs).toBe(before + 2);
    expect(plain.gateway.jit).toBeUndefined();
  });
});
