// A new user's first hour (issue 7): the ready example, CORS, coded variable errors, field suggestions, the
// directive and introspection-depth limits and what an unknown persisted hash says. Every refusal: its exact code
// and no vendor call.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';
import { SideBySideDocument } from '../../src/generated/graphql.js';
import { hidesSuggestions } from '../../src/security/limits.js';
import { EXAMPLE_QUERY } from '../../src/yoga.js';
import { codes, startTestGateway, testConfig, type TestGateway } from '../helpers/gateway.js';

const KEY = 'first-hour-frontend-key-01';
const PARTNER_KEY = 'first-hour-partner-key-001';
const clients = [
  {
    name: 'ui',
    apiKey: KEY,
    role: 'frontend' as const,
    scopes: ['workorders:read', 'workorders:write'],
    rateLimitPerMinute: 100_000,
  },
  {
    name: 'partner',
    apiKey: PARTNER_KEY,
    role: 'partner' as const,
    scopes: ['workorders:read'],
    rateLimitPerMinute: 100_000,
  },
];

/** No clients file, production: the open exploration mode as `npm start` runs it. */
let explore: TestGateway;
/** The same, with a listed partner site. */
let listed: TestGateway;
let closed: TestGateway;
let noIntrospection: TestGateway;

beforeAll(async () => {
  [explore, listed, closed, noIntrospection] = await Promise.all([
    startTestGateway({ config: { production: true } }),
    startTestGateway({ config: { production: true, corsOrigins: ['https://ui.factory.example'] } }),
    startTestGateway({ clients, config: { production: false } }),
    startTestGateway({ config: { production: false, introspection: false } }),
  ]);
});

afterAll(async () => {
  await Promise.all([explore?.close(), listed?.close(), closed?.close(), noIntrospection?.close()]);
});

beforeEach(() => {
  for (const gw of [explore, listed, closed, noIntrospection]) gw.resetCounts();
});

const writes = (gw: TestGateway) =>
  Object.entries(gw.counts())
    .filter(([route, n]) => /^(POST|PUT|PATCH|DELETE) /.test(route) && !/token|oauth/i.test(route) && n > 0)
    .reduce((sum, [, n]) => sum + n, 0);

describe('the ready example', () => {
  it('is operations/example.graphql verbatim, in GraphiQL and in the README', () => {
    const file = readFileSync('operations/example.graphql', 'utf8');
    expect(EXAMPLE_QUERY).toBe(file);
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('```graphql\n' + file + '```');
  });

  it('is in the persisted catalog, so partners can call it by hash', () => {
    const manifest = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<
      string,
      string
    >;
    const hash = (SideBySideDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;
    expect(manifest[hash]).toContain('query SideBySide {');
  });

  it('shows three orders of each vendor on its first page, within every limit', async () => {
    const res = await explore.query(EXAMPLE_QUERY);
    expect(res.body.errors).toBeUndefined();
    const data = res.body.data!;
    const vendorsOf = (alias: string) =>
      new Set(data[alias].edges.map((e: { node: { vendor: string } }) => e.node.vendor));
    expect(vendorsOf('dotzero')).toEqual(new Set(['DOTZERO']));
    expect(vendorsOf('genericMes')).toEqual(new Set(['GENERIC_MES']));
    expect(vendorsOf('pitneyBowes')).toEqual(new Set(['PITNEY_BOWES']));
    for (const alias of ['dotzero', 'genericMes', 'pitneyBowes']) expect(data[alias].edges).toHaveLength(3);
    expect(explore.calls().DOTZERO).toBeGreaterThan(0);
    expect(explore.calls().GENERIC_MES).toBeGreaterThan(0);
    expect(explore.calls().PITNEY_BOWES).toBeGreaterThan(0);
  });

  it("its comment's paging advice works: endCursor as after", async () => {
    const first = await explore.query(EXAMPLE_QUERY);
    const cursor = first.body.data!.dotzero.pageInfo.endCursor as string;
    const next = await explore.query(
      'query($after: String) { workOrders(first: 3, after: $after, filter: { vendors: [DOTZERO] }) { edges { node { orderNumber } } } }',
      {
        after: cursor,
      },
    );
    expect(next.body.errors).toBeUndefined();
    const seen = first.body.data!.dotzero.edges.map((e: { node: { orderNumber: string } }) => e.node.orderNumber);
    for (const e of next.body.data!.workOrders.edges) expect(seen).not.toContain(e.node.orderNumber);
  });
});

describe('CORS', () => {
  const preflight = (gw: TestGateway, origin: string, host = 'gateway.test') =>
    gw.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'OPTIONS',
      headers: {
        origin,
        host,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });

  it('a preflight from another site gets no allow-origin and no credentials', async () => {
    const res = await preflight(explore, 'https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it("the gateway's own pages (GraphiQL) are allowed, without credentials", async () => {
    const res = await preflight(explore, 'http://gateway.test');
    expect(res.headers.get('access-control-allow-origin')).toBe('http://gateway.test');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a listed origin is allowed as itself, and only it', async () => {
    const ok = await preflight(listed, 'https://ui.factory.example');
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://ui.factory.example');
    expect(ok.headers.get('access-control-allow-credentials')).toBeNull();
    const lookalike = await preflight(listed, 'https://ui.factory.example.evil.example');
    expect(lookalike.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    ['a JSON POST', { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1' }],
    ['a "simple" text/plain POST', { 'content-type': 'text/plain' }],
  ])(
    '%s from another site creating a work order is refused (403 FORBIDDEN), unreadable, and writes nothing',
    async (_name, headers) => {
      const res = await explore.gateway.yoga.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { origin: 'https://evil.example', ...headers },
        body: JSON.stringify({
          query:
            'mutation { createWorkOrder(input: { vendor: GENERIC_MES, orderNumber: "EVIL-1", quantity: 1, product: "Widget A" }) { id } }',
        }),
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
      expect(explore.calls().total).toBe(0);
      expect(writes(explore)).toBe(0);
    },
  );

  it('an answer to an allowed origin names it and varies on Origin', async () => {
    const res = await listed.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { origin: 'https://ui.factory.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ vendors { vendor } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://ui.factory.example');
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it.each([
    ['https://ui.example.com,http://localhost:3000', ['https://ui.example.com', 'http://localhost:3000']],
    [' https://ui.example.com , ', ['https://ui.example.com']],
  ])('CORS_ORIGINS=%j reads as %j', (value, expected) => {
    expect(readConfig({ CORS_ORIGINS: value }).corsOrigins).toEqual(expected);
  });

  it.each([
    '*',
    'null',
    'https://ui.example.com/app',
    'ui.example.com',
    'https://*.example.com',
    'ftp://ui.example.com',
  ])('CORS_ORIGINS=%j is a start-up error naming it', (value) => {
    expect(() => readConfig({ CORS_ORIGINS: value })).toThrowError(ConfigError);
    expect(() => readConfig({ CORS_ORIGINS: value })).toThrowError(/CORS_ORIGINS/);
  });
});

describe('variable coercion errors are VALIDATION_ERROR with the input path', () => {
  const CREATE = 'mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) { id } }';
  const base = { vendor: 'GENERIC_MES', orderNumber: 'V-1', quantity: 2, product: 'Widget A' };
  it.each([
    ['a fraction for an Int', { ...base, quantity: 2.5 }, 'input.quantity'],
    ['a string for an Int', { ...base, quantity: 'two' }, 'input.quantity'],
    ['an invalid DateTime', { ...base, dueDate: 'next tuesday' }, 'input.dueDate'],
    ['an unknown enum value', { ...base, vendor: 'SAP' }, 'input.vendor'],
    [
      'a missing required input field',
      { vendor: 'GENERIC_MES', quantity: 2, product: 'Widget A' },
      'input.orderNumber',
    ],
    ['an input field the type does not have', { ...base, colour: 'red' }, 'input.colour'],
  ])('%s -> %s', async (_name, input, field) => {
    const res = await explore.query(CREATE, { input });
    expect(codes(res)).toEqual(['VALIDATION_ERROR']);
    expect(res.body.errors![0]!.extensions!.field).toBe(field);
    expect(res.body.errors![0]!.message).toContain(field);
    expect(explore.calls().total).toBe(0);
  });

  it.each([
    ['no value for a required variable', CREATE, {}, 'input'],
    ['null for a required variable', CREATE, { input: null }, 'input'],
    [
      'a wrong type in a list',
      'query($v: [Vendor!]) { workOrders(filter: { vendors: $v }) { totalCount } }',
      { v: ['DOTZERO', 7] },
      'v[1]',
    ],
    [
      'an invalid DateTime in a filter',
      'query($f: WorkOrderFilter) { workOrders(filter: $f) { totalCount } }',
      { f: { dueAfter: '2026-13-45' } },
      'f.dueAfter',
    ],
  ])('%s -> %s', async (_name, query, variables, field) => {
    const res = await explore.query(query, variables);
    expect(codes(res)).toEqual(['VALIDATION_ERROR']);
    expect(res.body.errors![0]!.extensions!.field).toBe(field);
    expect(explore.calls().total).toBe(0);
  });

  it('every error of a request with several bad variables carries a code', async () => {
    const res = await explore.query(CREATE, { input: { ...base, quantity: 2.5, dueDate: 'soon' } });
    expect(res.body.errors!.map((e) => e.extensions?.field).sort()).toEqual(['input.dueDate', 'input.quantity']);
    for (const e of res.body.errors!) expect(e.extensions?.code).toBe('VALIDATION_ERROR');
    expect(explore.calls().total).toBe(0);
  });
});

describe('field suggestions', () => {
  const typo = '{ workOrdrs { totalCount } }';

  it('are shown in the open exploration mode, even in production', async () => {
    const res = await explore.query(typo);
    expect(res.body.errors![0]!.message).toMatch(/Did you mean "workOrders"/);
    expect(res.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('are hidden where callers authenticate, even in development', async () => {
    const res = await closed.query(typo, undefined, { 'x-api-key': KEY });
    expect(res.body.errors![0]!.message).not.toMatch(/Did you mean|workOrders/);
    expect(res.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('are hidden where introspection is off, even when open', async () => {
    const res = await noIntrospection.query(typo);
    expect(res.body.errors![0]!.message).not.toMatch(/Did you mean|workOrders/);
  });

  it.each([
    ['open, introspection on', {}, false],
    ['open, introspection off', { introspection: false }, true],
    ['clients file', { clients }, true],
    ['JWT issuer only', { jwt: { issuer: 'https://auth.example/', secret: 'x'.repeat(32) }, clients: [] }, true],
    ['JWT issuer without a clients list', { jwt: { issuer: 'https://auth.example/', secret: 'x'.repeat(32) } }, true],
  ])('%s: hidden = %s', (_name, overrides, hidden) => {
    expect(hidesSuggestions(testConfig({ production: false, ...overrides }))).toBe(hidden);
    expect(hidesSuggestions(testConfig({ production: true, ...overrides }))).toBe(hidden);
  });
});

describe('limits without gaps', () => {
  const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
  const ask = (query: string) =>
    closed.query(query, undefined, { 'x-api-key': KEY, accept: 'application/graphql-response+json' });

  it.each([
    [
      '50 @include on spreads of one fragment',
      `{ vendors { ${times(50, () => '...V @include(if: true)')} } } fragment V on VendorInfo { vendor }`,
    ],
    [
      '21 @skip on spreads of one fragment',
      `{ vendors { ${times(21, () => '...V @skip(if: false)')} } } fragment V on VendorInfo { vendor }`,
    ],
    [
      'directives inside a fragment, counted per spread',
      `{ vendors { ${times(5, () => '...V')} } } fragment V on VendorInfo { vendor @include(if: true) simulated @include(if: true) a: vendor @skip(if: false) b: vendor @skip(if: false) c: vendor @skip(if: false) }`,
    ],
    [
      'directives on nested inline fragments',
      `{ vendors { ${times(21, () => '... on VendorInfo @include(if: true) { vendor }')} } }`,
    ],
    [
      'directives on variable definitions and the operation',
      `query Q($a: Int @deprecated, $b: Int @deprecated) @include(if: true) { vendors { vendor ${times(19, () => '@skip(if: false)')} } }`,
    ],
  ])('%s: DIRECTIVE_LIMIT_EXCEEDED, no vendor call', async (_name, query) => {
    const res = await ask(query);
    expect(res.status).toBe(400);
    expect(codes(res)).toContain('DIRECTIVE_LIMIT_EXCEEDED');
    expect(closed.calls().total).toBe(0);
  });

  it('20 directives (the limit) pass', async () => {
    const res = await ask(
      `{ vendors { ${times(20, () => '...V @include(if: true)')} } } fragment V on VendorInfo { vendor }`,
    );
    expect(res.body.errors).toBeUndefined();
  });

  it('30 nested ofType under __schema: DEPTH_LIMIT_EXCEEDED, no vendor call', async () => {
    const nested = `{ __schema { types { ${'ofType { '.repeat(30)}name${' }'.repeat(30)} } } }`;
    const res = await ask(nested);
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['DEPTH_LIMIT_EXCEEDED']);
    expect(closed.calls().total).toBe(0);
  });

  it('30 nested ofType hidden in fragments: DEPTH_LIMIT_EXCEEDED', async () => {
    const fragments = Array.from(
      { length: 30 },
      (_, i) => `fragment T${i} on __Type { ofType { ${i < 29 ? `...T${i + 1}` : 'name'} } }`,
    ).join(' ');
    const res = await ask(`{ __schema { types { ...T0 } } } ${fragments}`);
    expect(codes(res)).toEqual(['DEPTH_LIMIT_EXCEEDED']);
    expect(closed.calls().total).toBe(0);
  });

  it("GraphiQL's own introspection query still passes", async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const res = await ask(
      getIntrospectionQuery({
        descriptions: true,
        inputValueDeprecation: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        oneOf: true,
      }),
    );
    expect(res.body.errors).toBeUndefined();
  });
});

describe('an unknown persisted hash', () => {
  const unknown = { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } };

  it('tells a partner to use the published catalog, not to register the query', async () => {
    const res = await closed.post(unknown, { 'x-api-key': PARTNER_KEY });
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, string> }[] };
    expect(res.status).toBe(404);
    expect(body.errors[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const said = `${body.errors[0]!.message} ${body.errors[0]!.extensions.reason}`;
    expect(said).not.toMatch(/register|query text/i);
    expect(said).toMatch(/catalog/);
    expect(said).toMatch(/documentId/);
    expect(closed.calls().total).toBe(0);
  });

  it('still tells a frontend client (APQ) to register it, with the message Apollo clients look for', async () => {
    const res = await closed.post(unknown, { 'x-api-key': KEY });
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, string> }[] };
    expect(body.errors[0]!.message).toBe('PersistedQueryNotFound');
    expect(body.errors[0]!.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(body.errors[0]!.extensions.reason).toMatch(/register/);
    expect(closed.calls().total).toBe(0);
  });
});
