// Composed and served for real: this gateway's subgraph SDL composed with a small quality subgraph written here
// (it adds `qualityScore` to WorkOrder and has a root field returning work-order references), by
// @theguild/federation-composition, served by Hive Gateway's runtime over loopback HTTP to both subgraphs. Queries
// cross the subgraphs in both directions, and the vendor calls behind them are counted at the simulators.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import http from '@graphql-mesh/transport-http';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph } from '../../scripts/compose.js';
import type { GatewayClient } from '../../src/config.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const client = (name: string, extra: Partial<GatewayClient> = {}): GatewayClient => ({
  name,
  apiKey: `${name}-key-0123456789abcdef`,
  role: 'router',
  scopes: ['workorders:read'],
  rateLimitPerMinute: 100_000,
  ...extra,
});
const ROUTER = client('hive-router');
const ROUTER_PB = client('hive-router-pb', { vendors: ['PITNEY_BOWES'] });

const QUALITY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@interfaceObject"])

  type WorkOrder @key(fields: "id") @interfaceObject {
    id: ID!
    qualityScore: Float
  }

  type Query {
    "Work orders whose quality score is below the threshold, worst first."
    lowQualityWorkOrders(below: Float = 0.5): [WorkOrder]!
  }
`;

type Vendor = 'DOTZERO' | 'GENERIC_MES' | 'PITNEY_BOWES';

let mes: TestGateway;
let mesServer: Server;
let qualityServer: Server;
let router: GatewayRuntime;
/** The quality service's own data: a score per work-order id, and how often it was asked for entities. */
const scores = new Map<string, number>();
const quality = { entityRequests: 0, representations: 0 };
const picked: Record<Vendor, string[]> = { DOTZERO: [], GENERIC_MES: [], PITNEY_BOWES: [] };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

function qualitySubgraph() {
  const schema = buildSubgraphSchema({
    typeDefs: parse(QUALITY_SDL),
    resolvers: {
      WorkOrder: {
        __resolveReference: (ref: { id: string }) => ({ id: ref.id, qualityScore: scores.get(ref.id) ?? null }),
      },
      Query: {
        lowQualityWorkOrders: (_root: unknown, { below }: { below: number }) =>
          [...scores]
            .filter(([, s]) => s < below)
            .sort((a, b) => a[1] - b[1])
            .map(([id, qualityScore]) => ({ id, qualityScore })),
      },
    },
  });
  const yoga = createYoga({
    schema,
    logging: false,
    plugins: [
      {
        onExecute({ args }: { args: { variableValues?: unknown } }) {
          const reps = (args.variableValues as { representations?: unknown[] } | undefined)?.representations;
          if (Array.isArray(reps)) {
            quality.entityRequests++;
            quality.representations += reps.length;
          }
        },
      },
    ],
  });
  return createServer(yoga);
}

/** A request through the router; `as` picks which router credential the router presents to the mes subgraph. */
async function viaRouter(query: string, as: 'all' | 'pb' = 'all') {
  const res = await router.fetch('http://router.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-router-as': as },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as {
    data?: any;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  };
}

async function counted<T>(run: () => Promise<T>) {
  mes.resetCounts();
  quality.entityRequests = 0;
  quality.representations = 0;
  const result = await run();
  return { result, calls: mes.calls(), routes: mes.counts(), quality: { ...quality } };
}

beforeAll(async () => {
  mes = await startTestGateway({ clients: [ROUTER, ROUTER_PB], config: { limits: { maxAliases: 30 } } });
  mesServer = createServer(mes.gateway.handle);
  qualityServer = qualitySubgraph();
  const [mesUrl, qualityUrl] = await Promise.all([listen(mesServer), listen(qualityServer)]);

  for (const vendor of Object.keys(picked) as Vendor[]) {
    const res = await mes.query(
      `{ workOrders(first: 3, filter: { vendors: [${vendor}] }) { edges { node { id } } } }`,
      undefined,
      { 'x-api-key': ROUTER.apiKey },
    );
    picked[vendor] = res.body.data!.workOrders.edges.map((e: any) => e.node.id);
    expect(picked[vendor]).toHaveLength(3);
  }
  // Low scores for two orders of each vendor; the third of each scores well.
  Object.values(picked).forEach((ids, v) =>
    ids.forEach((id, i) => scores.set(id, i === 2 ? 0.9 : 0.1 + v * 0.1 + i * 0.01)),
  );

  const supergraph = composeSupergraph(mesUrl, [{ name: 'quality', url: qualityUrl, sdl: QUALITY_SDL }]);
  router = createGatewayRuntime({
    supergraph,
    transports: { http },
    logging: false,
    // The router authenticates to this gateway as a `router` client; the header picks which one, to test scope.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) =>
        subgraphName === 'mes'
          ? { 'x-api-key': request.headers.get('x-router-as') === 'pb' ? ROUTER_PB.apiKey : ROUTER.apiKey }
          : {},
    },
  });
});

afterAll(async () => {
  await router?.dispose();
  await Promise.all([mesServer, qualityServer].map((s) => s && new Promise((resolve) => s.close(resolve))));
  await mes?.close();
});

describe('composed supergraph served by Hive Gateway', () => {
  it('composes: the supergraph joins both subgraphs and keeps Query.node with this gateway alone', () => {
    const supergraph = composeSupergraph('http://mes.test/graphql', [
      { name: 'quality', url: 'http://quality.test/graphql', sdl: QUALITY_SDL },
    ]);
    expect(supergraph).toMatch(/MES @join__graph\(name: "mes", url: "http:\/\/mes\.test\/graphql"\)/);
    expect(supergraph).toMatch(/QUALITY @join__graph\(name: "quality", url: "http:\/\/quality\.test\/graphql"\)/);
    expect(supergraph).toMatch(/node\(id: ID!\): Node @join__field\(graph: MES\)/);
    expect(supergraph).toMatch(/qualityScore: Float @join__field\(graph: QUALITY\)/);
  });

  it('composes with another subgraph that pages Relay-style: PageInfo is shareable', () => {
    const pager = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@shareable"])
      type PageInfo @shareable { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
      type InspectionConnection { pageInfo: PageInfo! }
      type Query { inspections: InspectionConnection! }`;
    const supergraph = composeSupergraph('http://mes.test/graphql', [
      { name: 'inspections', url: 'http://inspections.test/graphql', sdl: pager },
    ]);
    expect(supergraph).toMatch(/type PageInfo @join__type\(graph: INSPECTIONS\) @join__type\(graph: MES\)/);
  });

  it('refuses to compose a second subgraph that also defines Query.node', () => {
    const rival = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
      interface Node { id: ID! }
      type Query { node(id: ID!): Node }`;
    expect(() =>
      composeSupergraph('http://mes.test/graphql', [{ name: 'rival', url: 'http://rival.test/graphql', sdl: rival }]),
    ).toThrow(/Composition failed/);
  });

  it('mes -> quality: work orders of three vendors get their qualityScore, with the vendor calls of the plain query', async () => {
    const fields = '{ edges { node { id vendor orderNumber status } } }';
    const lists = (extra: string) =>
      `{ dz: workOrders(first: 3, filter: { vendors: [DOTZERO] }) ${fields.replace('status', `status ${extra}`)}
         gm: workOrders(first: 3, filter: { vendors: [GENERIC_MES] }) ${fields.replace('status', `status ${extra}`)}
         pb: workOrders(first: 3, filter: { vendors: [PITNEY_BOWES] }) ${fields.replace('status', `status ${extra}`)} }`;
    const direct = await counted(() => mes.query(lists(''), undefined, { 'x-api-key': ROUTER.apiKey }));
    expect(direct.result.body.errors).toBeUndefined();

    const federated = await counted(() => viaRouter(lists('qualityScore')));
    expect(federated.result.errors).toBeUndefined();
    for (const [alias, vendor] of [
      ['dz', 'DOTZERO'],
      ['gm', 'GENERIC_MES'],
      ['pb', 'PITNEY_BOWES'],
    ] as const) {
      const nodes = federated.result.data[alias].edges.map((e: any) => e.node);
      expect(nodes.map((n: any) => n.id)).toEqual(picked[vendor]);
      expect(nodes.map((n: any) => n.qualityScore)).toEqual(picked[vendor].map((id) => scores.get(id)));
      expect(nodes.map((n: any) => n.orderNumber)).toEqual(
        direct.result.body.data![alias].edges.map((e: any) => e.node.orderNumber),
      );
    }
    // The scores cost the vendors nothing: the same calls as the query without them. The quality subgraph is asked once.
    expect(federated.routes).toEqual(direct.routes);
    expect(federated.calls).toEqual(direct.calls);
    expect(federated.quality).toEqual({ entityRequests: 1, representations: 9 });
  });

  it('quality -> mes: references from the quality subgraph resolve through _entities, batched like a query for the same orders', async () => {
    const low = [...scores]
      .filter(([, s]) => s < 0.5)
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => id);
    expect(low).toHaveLength(6);
    const aliased = `{ ${low.map((id, i) => `o${i}: workOrder(id: "${id}") { id vendor orderNumber status product { name } }`).join(' ')} }`;
    const direct = await counted(() => mes.query(aliased, undefined, { 'x-api-key': ROUTER.apiKey }));
    expect(direct.result.body.errors).toBeUndefined();

    const federated = await counted(() =>
      viaRouter('{ lowQualityWorkOrders { id qualityScore vendor orderNumber status product { name } } }'),
    );
    expect(federated.result.errors).toBeUndefined();
    const got = federated.result.data.lowQualityWorkOrders;
    expect(got.map((w: any) => w.id)).toEqual(low);
    expect(got.map((w: any) => w.qualityScore)).toEqual(low.map((id) => scores.get(id)));
    expect(got.map((w: any) => [w.vendor, w.orderNumber, w.status, w.product?.name ?? null])).toEqual(
      low.map((_, i) => {
        const o = direct.result.body.data![`o${i}`];
        return [o.vendor, o.orderNumber, o.status, o.product?.name ?? null];
      }),
    );
    expect(federated.routes).toEqual(direct.routes);
    expect(federated.calls).toEqual(direct.calls);
  });

  it("the router's vendor scope holds across subgraphs: a Pitney-Bowes-only router gets only Pitney Bowes orders, no other vendor call", async () => {
    const federated = await counted(() =>
      viaRouter('{ lowQualityWorkOrders { id qualityScore vendor orderNumber } }', 'pb'),
    );
    const got = federated.result.data.lowQualityWorkOrders as ({
      id: string;
      vendor: string;
      orderNumber: string;
    } | null)[];
    const pbLow = picked.PITNEY_BOWES.filter((id) => (scores.get(id) ?? 1) < 0.5);
    expect(got.filter((w) => w?.orderNumber).map((w) => [w!.id, w!.vendor])).toEqual(
      pbLow.map((id) => [id, 'PITNEY_BOWES']),
    );
    // The other vendors' orders are null. This gateway answers each with FORBIDDEN (federation-entities.test.ts);
    // Hive Gateway does not pass those errors on when they come from the fetch that settles an @interfaceObject's
    // concrete type, so the supergraph's client sees the nulls only.
    expect(got.filter((w) => w === null)).toHaveLength(4);
    expect(federated.calls).toMatchObject({ DOTZERO: 0, GENERIC_MES: 0, PITNEY_BOWES: 1 });
  });
});
