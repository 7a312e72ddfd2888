// A catalog of hostile requests against the real gateway and the three simulators. Each one must be refused with
// its own code and HTTP status, and none may cost a single vendor call (the simulators' counters say so).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const FRONTEND_KEY = 'hostile-frontend-key-0001';
const PARTNER_KEY = 'hostile-partner-key-00001';
const clients = [
  {
    name: 'hostile-ui',
    apiKey: FRONTEND_KEY,
    role: 'frontend' as const,
    scopes: ['workorders:read', 'workorders:write'],
    rateLimitPerMinute: 100_000,
  },
  {
    name: 'hostile-partner',
    apiKey: PARTNER_KEY,
    role: 'partner' as const,
    scopes: ['workorders:read', 'workorders:write'],
    rateLimitPerMinute: 100_000,
  },
];

let open: TestGateway;
/** Production settings, introspection off, batching off. */
let locked: TestGateway;

beforeAll(async () => {
  [open, locked] = await Promise.all([
    startTestGateway({ clients }),
    startTestGateway({
      clients,
      config: { production: true, introspection: false, graphiql: false, limits: { maxBatch: 0 } },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([open?.close(), locked?.close()]);
});

beforeEach(() => {
  open.resetCounts();
  locked.resetCounts();
});

// application/graphql-response+json: the GraphQL-over-HTTP status codes, also for graphql-js's own validation errors.
const HEADERS = { 'x-api-key': FRONTEND_KEY, accept: 'application/graphql-response+json' };

type Target = 'open' | 'locked';
interface Hostile {
  name: string;
  target?: Target;
  send: (gw: TestGateway) => Promise<Response>;
  status: number;
  code: string;
}

const gql =
  (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = HEADERS) =>
  (gw: TestGateway) =>
    gw.post({ query, ...(variables ? { variables } : {}) }, headers);

const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

const NODE =
  'id vendor vendorId orderNumber status vendorStatus priority quantity completedQuantity dueDate product { id name sku }';

const CATALOG: Hostile[] = [
  {
    name: 'deep nesting through relations',
    send: gql(
      '{ workOrders { edges { node { product { routes { product { routes { product { routes { name } } } } } } } } } }',
    ),
    status: 400,
    code: 'DEPTH_LIMIT_EXCEEDED',
  },
  {
    name: 'deep nesting hidden in a chain of fragments',
    send: gql(`{ workOrders { ...A } }
      fragment A on WorkOrderConnection { edges { node { ...B } } }
      fragment B on WorkOrder { product { ...C } }
      fragment C on Product { routes { product { ...D } } }
      fragment D on Product { routes { operations { name } } }`),
    status: 400,
    code: 'DEPTH_LIMIT_EXCEEDED',
  },
  {
    name: 'alias flood on a root field',
    send: gql(`{ ${times(50, (i) => `a${i}: vendors { vendor }`)} }`),
    status: 400,
    code: 'ALIAS_LIMIT_EXCEEDED',
  },
  {
    name: 'alias flood multiplied by spreading one fragment many times',
    send: gql(`{ vendors { ...V ...V ...V ...V } workOrders { edges { node { ...W } } } }
      fragment V on VendorInfo { ${times(5, (i) => `v${i}: vendor`)} }
      fragment W on WorkOrder { ${times(12, (i) => `w${i}: id`)} }`),
    status: 400,
    code: 'ALIAS_LIMIT_EXCEEDED',
  },
  {
    name: 'alias flood of mutations',
    send: gql(`mutation { ${times(20, (i) => `m${i}: deleteWorkOrder(id: "x${i}") { deletedId }`)} }`),
    status: 400,
    code: 'ALIAS_LIMIT_EXCEEDED',
  },
  {
    name: 'fragment cycle on the root',
    send: gql('{ ...A } fragment A on Query { vendors { vendor } ...B } fragment B on Query { ...A }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'fragment cycle through nested types',
    send: gql(`{ workOrders { edges { node { ...W } } } }
      fragment W on WorkOrder { product { ...P } }
      fragment P on Product { routes { product { ...P } } }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'huge list size as a literal',
    send: gql('{ workOrders(first: 100000) { edges { node { id } } } }'),
    status: 400,
    code: 'COST_LIMIT_EXCEEDED',
  },
  {
    name: 'huge list size in a variable',
    send: gql('query Big($n: Int) { workOrders(first: $n) { edges { node { id } } } }', { n: 1_000_000 }),
    status: 400,
    code: 'COST_LIMIT_EXCEEDED',
  },
  {
    name: 'huge list size as a variable default',
    send: gql('query Big($n: Int = 250000) { products(first: $n) { edges { node { id name } } } }'),
    status: 400,
    code: 'COST_LIMIT_EXCEEDED',
  },
  {
    name: 'many full pages under the alias limit',
    send: gql(`{ ${times(12, (i) => `p${i}: workOrders(first: 100) { edges { node { ${NODE} } } }`)} }`),
    status: 400,
    code: 'COST_LIMIT_EXCEEDED',
  },
  {
    name: 'many full pages under the alias limit, sizes in variables',
    send: gql(
      `query Pages($n: Int!) { ${times(12, (i) => `p${i}: workOrders(first: $n) { edges { node { ${NODE} } } }`)} }`,
      { n: 100 },
    ),
    status: 400,
    code: 'COST_LIMIT_EXCEEDED',
  },
  {
    name: 'many pages of the default size (first left out)',
    send: gql(
      `{ ${times(14, (i) => `p${i}: workOrders { edges { node { ${NODE} operations { id name status } route { operations { id name } } } } }`)} }`,
    ),
    status: 400,
    code: 'COST_LIMIT_EXCEEDED',
  },
  {
    name: 'token flood of repeated fields',
    send: gql(`{ vendors { ${times(1200, () => 'vendor')} } }`),
    status: 400,
    code: 'TOKEN_LIMIT_EXCEEDED',
  },
  {
    name: 'token flood of arguments on a field that does not take them',
    send: gql(`{ vendors(${times(400, (i) => `a${i}: ${i}`)}) { vendor } }`),
    status: 400,
    code: 'TOKEN_LIMIT_EXCEEDED',
  },
  {
    name: 'directive flood over inline fragments',
    send: gql(`{ vendors { ${times(40, () => '... @include(if: true) { vendor }')} } }`),
    status: 400,
    code: 'DIRECTIVE_LIMIT_EXCEEDED',
  },
  {
    name: 'directive flood on one field',
    send: gql(`{ vendors { vendor ${times(30, () => '@skip(if: false)')} } }`),
    status: 400,
    code: 'DIRECTIVE_LIMIT_EXCEEDED',
  },
  {
    name: 'introspection nested without end',
    send: gql('{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'introspection flood through aliases',
    send: gql(`{ ${times(30, (i) => `s${i}: __schema { types { name } }`)} }`),
    status: 400,
    code: 'ALIAS_LIMIT_EXCEEDED',
  },
  {
    name: 'introspection where it is turned off (__schema)',
    target: 'locked',
    send: gql('{ __schema { queryType { name } types { name } } }'),
    status: 400,
    code: 'INTROSPECTION_DISABLED',
  },
  {
    name: 'introspection where it is turned off (__type)',
    target: 'locked',
    send: gql('{ __type(name: "WorkOrder") { fields { name } } }'),
    status: 400,
    code: 'INTROSPECTION_DISABLED',
  },
  {
    name: 'batched array longer than the cap',
    send: (gw) =>
      gw.post(
        Array.from({ length: 6 }, () => ({ query: '{ vendors { vendor } }' })),
        HEADERS,
      ),
    status: 413,
    code: 'BAD_REQUEST',
  },
  {
    name: 'batched array where batching is off',
    target: 'locked',
    send: (gw) => gw.post([{ query: '{ vendors { vendor } }' }, { query: '{ warehouses { id } }' }], HEADERS),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'oversized body announced by Content-Length',
    send: (gw) => {
      const body = JSON.stringify({ query: '{ vendors { vendor } }', variables: { pad: 'x'.repeat(150_000) } });
      return gw.post(body, { ...HEADERS, 'content-length': String(Buffer.byteLength(body)) });
    },
    status: 413,
    code: 'REQUEST_ENTITY_TOO_LARGE',
  },
  {
    name: 'oversized body streamed in chunks, without Content-Length',
    send: (gw) => {
      const chunk = new TextEncoder().encode(' '.repeat(16_384));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0)
            controller.enqueue(new TextEncoder().encode('{"query":"{ vendors { vendor } }","variables":{"pad":"'));
          sent += chunk.byteLength;
          if (sent > 1_000_000) controller.close();
          else controller.enqueue(chunk);
        },
      });
      return Promise.resolve(
        gw.gateway.yoga.fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...HEADERS },
          body,
          duplex: 'half',
        } as RequestInit),
      );
    },
    status: 413,
    code: 'REQUEST_ENTITY_TOO_LARGE',
  },
  {
    name: 'mutation over GET',
    send: (gw) =>
      Promise.resolve(
        gw.gateway.yoga.fetch(
          `http://gateway.test/graphql?query=${encodeURIComponent('mutation { deleteWorkOrder(id: "x") { deletedId } }')}`,
          { headers: HEADERS },
        ),
      ),
    status: 405,
    code: 'BAD_REQUEST',
  },
  {
    name: 'cross-site form post without a preflight header (CSRF)',
    send: (gw) =>
      Promise.resolve(
        gw.gateway.yoga.fetch('http://gateway.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `query=${encodeURIComponent('mutation { deleteWorkOrder(id: "x") { deletedId } }')}`,
        }),
      ),
    status: 403,
    code: 'CSRF_PREVENTED',
  },
  {
    name: 'body that is not JSON',
    send: (gw) => gw.post('{"query": "{ vendors { vendor } }"', HEADERS),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'free-form operation from a partner',
    send: gql('{ workOrders(first: 100) { edges { node { id } } } }', undefined, { 'x-api-key': PARTNER_KEY }),
    status: 403,
    code: 'PERSISTED_QUERY_NOT_IN_LIST',
  },
  {
    name: 'guessed persisted-document id',
    send: (gw) => gw.post({ documentId: `sha256:${'0'.repeat(64)}` }, { 'x-api-key': PARTNER_KEY }),
    status: 404,
    code: 'PERSISTED_QUERY_NOT_FOUND',
  },
  {
    name: 'no credential at all',
    send: gql('{ workOrders { edges { node { id } } } }', undefined, {}),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'guessed API key',
    send: gql('{ workOrders { edges { node { id } } } }', undefined, { 'x-api-key': 'hostile-frontend-key-0002' }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
];

describe('hostile requests', () => {
  it('has at least 20 entries, each with a distinct name', () => {
    expect(CATALOG.length).toBeGreaterThanOrEqual(20);
    expect(new Set(CATALOG.map((c) => c.name)).size).toBe(CATALOG.length);
  });

  it.each(CATALOG.map((c) => [c.name, c] as const))(
    '%s: refused with its code, no vendor call',
    async (_name, hostile) => {
      const gw = hostile.target === 'locked' ? locked : open;
      const res = await hostile.send(gw);
      const body = (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      expect(body.errors?.map((e) => e.extensions?.code)).toContain(hostile.code);
      expect(body.data ?? null).toBeNull();
      expect(res.status).toBe(hostile.status);
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(gw.calls().total).toBe(0);
    },
  );
});

describe('what the limits leave alone', () => {
  it('the whole partner catalog at its largest page size passes the limits', async () => {
    const res = await open.query(
      `query AcrossVendors($first: Int = 50, $after: String, $filter: WorkOrderFilter) {
        workOrders(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor }
          edges { cursor node { id vendor vendorId orderNumber status vendorStatus priority dueDate quantity completedQuantity
            allowedTransitions product { id name sku } route { id name operations { id sequence name } }
            operations { id sequence name status } } } } }`,
      { first: 100, filter: { vendors: ['PITNEY_BOWES'] } },
      { 'x-api-key': FRONTEND_KEY },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.workOrders.edges.length).toBeGreaterThan(0);
  });

  it("GraphiQL's introspection query passes where introspection is on", async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const res = await open.query(
      getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }),
      undefined,
      { 'x-api-key': FRONTEND_KEY },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.__schema.queryType.name).toBe('Query');
    expect(open.calls().total).toBe(0);
  });

  it('production names the limit but not its number', async () => {
    const res = await locked.query(`{ ${times(50, (i) => `a${i}: vendors { vendor }`)} }`, undefined, {
      'x-api-key': FRONTEND_KEY,
    });
    expect(res.body.errors![0]).toMatchObject({
      message: 'The operation has too many aliases.',
      extensions: { code: 'ALIAS_LIMIT_EXCEEDED' },
    });
  });

  it('a batch within the cap runs every operation', async () => {
    const res = await open.post([{ query: '{ vendors { vendor } }' }, { query: '{ a: vendors { simulated } }' }], {
      'x-api-key': FRONTEND_KEY,
    });
    const body = (await res.json()) as { data: Record<string, unknown[]> }[];
    expect(body).toHaveLength(2);
    expect(body[0]!.data.vendors).toHaveLength(3);
    expect(body[1]!.data.a).toHaveLength(3);
  });
});
