// The fast lane (src/execution/fast-lane.ts) beside yoga's general path: the same requests to a gateway with the
// lane and to one without it give the same status, headers that matter and bodies, with the same vendor calls; the
// lane serves what it should and hands everything else to yoga untouched; both paths draw on one rate-limit window.
// The rest of the suite runs through the lane too, and its security, read and fault tests again without it
// (vitest.config.ts, project `general-path`).
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import { WorkOrderStatusesDocument } from '../../src/generated/graphql.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const FRONTEND: GatewayClient = {
  name: 'lane-frontend',
  apiKey: 'lane-frontend-key-0123456789abcdef',
  role: 'frontend',
  scopes: ['workorders:read', 'workorders:write'],
  rateLimitPerMinute: 100_000,
};
const PARTNER: GatewayClient = {
  name: 'lane-partner',
  apiKey: 'lane-partner-key-0123456789abcdef',
  role: 'partner',
  scopes: ['workorders:read'],
  rateLimitPerMinute: 100_000,
};
const ROUTER: GatewayClient = {
  name: 'lane-router',
  apiKey: 'lane-router-key-0123456789abcdef',
  role: 'router',
  scopes: ['workorders:read'],
  rateLimitPerMinute: 100_000,
};
const DOTZERO_ONLY: GatewayClient = {
  name: 'lane-dotzero-only',
  apiKey: 'lane-dotzero-only-key-0123456789ab',
  role: 'frontend',
  scopes: ['workorders:read'],
  vendors: ['DOTZERO'],
  rateLimitPerMinute: 100_000,
};
const CLIENTS = [FRONTEND, PARTNER, ROUTER, DOTZERO_ONLY];
const as = (client: GatewayClient) => ({ 'x-api-key': client.apiKey });
const catalogId = (doc: unknown) => (doc as { __meta__: { hash: string } }).__meta__.hash;

const LIST = '{ workOrders(first: 5) { totalCount edges { node { id vendor orderNumber status dueDate } } } }';
const TWO_OPERATIONS = `query A { workOrders(first: 2) { edges { node { orderNumber } } } }
  query B { vendors { vendor } }`;

type Case = {
  name: string;
  body: unknown;
  headers?: Record<string, string>;
  /** The lane's count: 'served' here, 'declined' (headers fine, yoga served it) or 'passed' (headers sent it on). */
  lane: 'served' | 'declined' | 'passed';
};

const CASES: Case[] = [
  { name: 'a plain query', body: { query: LIST }, lane: 'served' },
  {
    name: 'variables, and an operation picked by name',
    body: {
      query: `${TWO_OPERATIONS} query C($s: [WorkOrderStatus!]) { workOrders(first: 3, filter: { statuses: $s }) { edges { node { status } } } }`,
      operationName: 'C',
      variables: { s: ['OPEN'] },
    },
    lane: 'served',
  },
  { name: 'a catalog document by id', body: { documentId: catalogId(WorkOrderStatusesDocument) }, lane: 'served' },
  {
    name: 'a catalog document by id, for a partner',
    body: { documentId: catalogId(WorkOrderStatusesDocument).replace(/^sha256:/, '') },
    headers: as(PARTNER),
    lane: 'served',
  },
  {
    name: 'a graphql-response+json client',
    body: { query: LIST },
    headers: { accept: 'application/graphql-response+json' },
    lane: 'served',
  },
  {
    name: 'a field error (an id that names no order)',
    body: { query: '{ node(id: "RG90WmVyb1dvcmtPcmRlcjpET1RaRVJPOm5vbmU") { id } }' },
    lane: 'served',
  },
  {
    name: 'a variable of the wrong type',
    body: { query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: 7.5 } },
    lane: 'served',
  },
  {
    name: 'a required variable left out',
    body: { query: 'query($id: ID!) { node(id: $id) { id } }' },
    lane: 'served',
  },
  {
    name: 'a bad enum value in variables (suggestions hidden)',
    body: {
      query: 'query($s: [WorkOrderStatus!]) { workOrders(first: 2, filter: { statuses: $s }) { totalCount } }',
      variables: { s: ['OPN'] },
    },
    lane: 'served',
  },
  { name: 'a vendor-scoped caller', body: { query: LIST }, headers: as(DOTZERO_ONLY), lane: 'served' },
  {
    name: 'a router, served the subgraph schema',
    body: { query: '{ _service { sdl } }' },
    headers: as(ROUTER),
    lane: 'served',
  },
  {
    name: 'a mutation',
    body: { query: 'mutation { startWorkOrder(id: "RG90WmVyb1dvcmtPcmRlcjpET1RaRVJPOm5vbmU") { id } }' },
    lane: 'declined',
  },
  {
    name: 'a page size from a variable (cost checked per request)',
    body: { query: 'query($n: Int) { workOrders(first: $n) { totalCount } }', variables: { n: 2 } },
    lane: 'served',
  },
  {
    name: 'a page size from a variable over the cost limit',
    body: {
      query: 'query($n: Int) { workOrders(first: $n) { edges { node { route { name } } } } }',
      variables: { n: 100000 },
    },
    lane: 'served',
  },
  {
    name: 'a page size left to its default, over the cost limit',
    body: { query: '{ workOrders { edges { node { route { name } } } } }' },
    lane: 'served',
  },
  {
    name: 'a router’s _entities',
    body: {
      query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id } } }',
      variables: { r: [{ __typename: 'Product', id: 'nope' }] },
    },
    headers: as(ROUTER),
    lane: 'declined',
  },
  {
    name: 'a document over the depth limit',
    body: { query: '{ workOrders(first: 1) { edges { node { route { operations { workCenter { name } } } } } } }' },
    lane: 'declined',
  },
  { name: 'a syntax error', body: { query: '{ workOrders(first: 1) { ' }, lane: 'declined' },
  { name: 'an unknown field', body: { query: '{ workOrderz { id } }' }, lane: 'declined' },
  { name: 'a partner’s query text', body: { query: LIST }, headers: as(PARTNER), lane: 'declined' },
  { name: 'a batch', body: [{ query: LIST }, { query: LIST }], lane: 'declined' },
  { name: 'a body that is not JSON', body: '{"query": ', lane: 'declined' },
  {
    name: 'an APQ registration',
    body: { query: LIST, extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } },
    lane: 'declined',
  },
  { name: 'an unknown catalog id', body: { documentId: 'ab'.repeat(32) }, lane: 'declined' },
  { name: 'both a query and an id', body: { query: LIST, documentId: 'ab'.repeat(32) }, lane: 'declined' },
  { name: 'an unknown API key', body: { query: LIST }, headers: { 'x-api-key': 'nobody' }, lane: 'passed' },
  { name: 'no credential', body: { query: LIST }, headers: { 'x-api-key': '' }, lane: 'passed' },
  {
    name: 'a page of another origin',
    body: { query: LIST },
    headers: { origin: 'https://evil.example' },
    lane: 'passed',
  },
  {
    name: 'an event-stream client',
    body: { query: LIST },
    headers: { accept: 'text/event-stream' },
    lane: 'passed',
  },
  { name: 'an Accept nothing can meet', body: { query: LIST }, headers: { accept: 'text/html' }, lane: 'passed' },
];

let lane: TestGateway;
let general: TestGateway;

beforeAll(async () => {
  [lane, general] = await Promise.all([
    startTestGateway({ clients: CLIENTS, config: { fastLane: true, limits: { maxDepth: 5 } } }),
    startTestGateway({ clients: CLIENTS, config: { fastLane: false, limits: { maxDepth: 5 } } }),
  ]);
});
afterAll(async () => {
  await Promise.all([lane?.close(), general?.close()]);
});

/** What a client can tell of an answer: status, the headers it reads, the body. */
async function seen(gw: TestGateway, c: Case) {
  const res = await gw.post(typeof c.body === 'string' ? c.body : JSON.stringify(c.body), {
    ...as(FRONTEND),
    'x-request-id': 'same-request-id',
    ...c.headers,
  });
  const headers: Record<string, string | null> = {};
  for (const name of ['content-type', 'content-length', 'x-request-id', 'vary', 'retry-after', 'www-authenticate'])
    headers[name] = res.headers.get(name);
  return { status: res.status, headers, body: await res.text() };
}

describe('the fast lane answers as the general path does', () => {
  it.each(CASES)('$name ($lane)', async (c) => {
    const before = { ...lane.gateway.lane!.stats };
    lane.resetCounts();
    general.resetCounts();
    const viaLane = await seen(lane, c);
    const viaGeneral = await seen(general, c);
    expect(viaLane).toEqual(viaGeneral);
    expect(lane.counts()).toEqual(general.counts());
    const after = lane.gateway.lane!.stats;
    expect({ served: after.served - before.served, declined: after.declined - before.declined }).toEqual({
      served: c.lane === 'served' ? 1 : 0,
      declined: c.lane === 'declined' ? 1 : 0,
    });
  });
});

it('tells an operator how many requests it served and handed on (/metrics)', async () => {
  await lane.post({ query: LIST }, as(FRONTEND));
  const { served, declined, cached } = lane.gateway.lane!.stats;
  const text = await (await lane.gateway.fetch('http://gateway.test/metrics')).text();
  expect(text).toContain(`mes_gateway_fast_lane_requests_total{outcome="served"} ${served}`);
  expect(text).toContain(`mes_gateway_fast_lane_requests_total{outcome="declined"} ${declined}`);
  expect(text).toContain(`mes_gateway_fast_lane_requests_total{outcome="cached"} ${cached}`);
  expect(served).toBeGreaterThan(0);
});

describe('one rate-limit window for both paths', () => {
  const TIGHT: GatewayClient = {
    ...FRONTEND,
    name: 'lane-tight',
    apiKey: 'lane-tight-key-0123456789abcdef0',
    rateLimitPerMinute: 3,
  };
  const OTHER: GatewayClient = { ...TIGHT, name: 'lane-other', apiKey: 'lane-other-key-0123456789abcdef0' };
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ clients: [TIGHT, OTHER], config: { fastLane: true } });
  });
  afterAll(async () => gw?.close());

  it('counts the lane’s operations and yoga’s in one window, refuses with no vendor call, and leaves others alone', async () => {
    const ask = (query: string, client = TIGHT) =>
      gw
        .post({ query }, as(client))
        .then(async (r) => ({ status: r.status, retry: r.headers.get('retry-after'), body: await r.json() }));
    // Two operations through the lane, one through yoga (a mutation is yoga's): the window is full.
    expect((await ask('{ a: vendors { vendor } b: vendors { vendor } }')).status).toBe(200);
    expect(
      (await ask('mutation { startWorkOrder(id: "RG90WmVyb1dvcmtPcmRlcjpET1RaRVJPOm5vbmU") { id } }')).status,
    ).toBe(200);
    expect(gw.gateway.lane!.stats).toMatchObject({ served: 1, declined: 1 });
    gw.resetCounts();
    const refused = await ask('{ vendors { vendor } }');
    expect(refused.status).toBe(429);
    expect(Number(refused.retry)).toBeGreaterThan(0);
    expect(refused.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual([
      'RATE_LIMITED',
    ]);
    expect(gw.calls().total).toBe(0);
    expect(gw.gateway.lane!.stats.served).toBe(2);
    // Another client's window is its own.
    expect((await ask('{ vendors { vendor } }', OTHER)).status).toBe(200);
  });
});

it('never holds more than the body limit of a streamed body (the fetch door): yoga refuses it, 413', async () => {
  let pulled = 0;
  const chunk = new TextEncoder().encode(' '.repeat(16_384));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= 5_000_000) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const res = await lane.gateway.fetch(
    new Request('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as(FRONTEND) },
      body,
      duplex: 'half',
    } as RequestInit),
  );
  expect(res.status).toBe(413);
  // The test gateway's limit is 100 kB: the lane read past it by at most a chunk, and yoga's limit stopped the rest.
  expect(pulled).toBeLessThan(1_000_000);
});

describe('over HTTP, through Node’s request listener', () => {
  let gw: TestGateway;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    gw = await startTestGateway({ clients: [FRONTEND], config: { fastLane: true, maxBodyBytes: 2_000 } });
    server = createServer(gw.gateway.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await gw?.close();
  });

  function send(body: string, headers: Record<string, string | number> = {}, chunked = false) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...as(FRONTEND),
            ...(chunked ? {} : { 'content-length': Buffer.byteLength(body) }),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      if (chunked) {
        req.write(body.slice(0, 10));
        req.end(body.slice(10));
      } else req.end(body);
    });
  }

  it('serves a query with its length, type and request id', async () => {
    const before = gw.gateway.lane!.stats.served;
    const res = await send(JSON.stringify({ query: LIST }), { 'x-request-id': 'node-door-1' });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('node-door-1');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    expect(JSON.parse(res.body).data.workOrders.edges).toHaveLength(5);
    expect(gw.gateway.lane!.stats.served).toBe(before + 1);
  });

  it('hands a declined request to yoga with its body intact', async () => {
    const res = await send(
      JSON.stringify({ query: 'query($n: Int) { workOrders(first: $n) { totalCount } }', variables: { n: 1 } }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).data.workOrders.totalCount).toBeGreaterThan(0);
  });

  it('leaves a chunked body and one over the limit to yoga’s body limit', async () => {
    const served = gw.gateway.lane!.stats.served;
    const big = JSON.stringify({ query: LIST, variables: { pad: 'x'.repeat(3_000) } });
    expect((await send(big)).status).toBe(413);
    expect((await send(big, {}, true)).status).toBe(413);
    const chunked = await send(JSON.stringify({ query: LIST }), {}, true);
    expect(chunked.status).toBe(200);
    expect(gw.gateway.lane!.stats.served).toBe(served);
  });
});
