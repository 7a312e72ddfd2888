// Who may do what: each role against each kind of operation, vendor scoping, credentials (API keys and JWTs),
// persisted operations by documentId and by Apollo hash, APQ, the per-client rate limit, and the request id that
// ties a masked error to its log line.
import { createHash, createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse, print } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import { StartWorkOrderDocument, VendorsDocument, WorkOrderStatusesDocument } from '../../src/generated/graphql.js';
import { RateLimiter, countRootFields } from '../../src/security/rate-limit.js';
import { codes, startTestGateway, type GqlResponse, type TestGateway } from '../helpers/gateway.js';

const client = (
  name: string,
  role: GatewayClient['role'],
  scopes: string[],
  extra: Partial<GatewayClient> = {},
): GatewayClient => ({
  name,
  apiKey: `${name}-key-0123456789abcdef`,
  role,
  scopes,
  rateLimitPerMinute: 100_000,
  ...extra,
});
const READ = ['workorders:read'];
const WRITE = ['workorders:read', 'workorders:write'];
const CLIENTS = {
  partnerRead: client('partner-read', 'partner', READ),
  partnerWrite: client('partner-write', 'partner', WRITE),
  frontendRead: client('frontend-read', 'frontend', READ),
  frontendWrite: client('frontend-write', 'frontend', WRITE),
  pbOnly: client('pb-only', 'frontend', WRITE, { vendors: ['PITNEY_BOWES'] }),
  rlAliases: client('rl-aliases', 'frontend', READ, { rateLimitPerMinute: 5 }),
  rlFragments: client('rl-fragments', 'frontend', READ, { rateLimitPerMinute: 5 }),
  rlBatch: client('rl-batch', 'frontend', READ, { rateLimitPerMinute: 5 }),
  rlSequence: client('rl-sequence', 'frontend', READ, { rateLimitPerMinute: 3 }),
  rlPartner: client('rl-partner', 'partner', READ, { rateLimitPerMinute: 2 }),
  rlIsolationA: client('rl-isolation-a', 'frontend', READ, { rateLimitPerMinute: 3 }),
  rlIsolationB: client('rl-isolation-b', 'frontend', READ, { rateLimitPerMinute: 3 }),
};
const key = (c: GatewayClient) => ({ 'x-api-key': c.apiKey });

const JWT_ISSUER = 'https://auth.example.test/';
const JWT_SECRET = 'a-test-only-hs256-secret-of-more-than-32-chars';

const hashOf = (doc: unknown) => (doc as { __meta__: { hash: string } }).__meta__.hash;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let gw: TestGateway;
let open: TestGateway;
let jwtGw: TestGateway;
const logLines: string[] = [];

/** Seeded OPEN generic-MES orders, one per successful mutation, so cases do not disturb each other. */
let openOrders: string[] = [];
let gmesOrderId: string;

beforeAll(async () => {
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  [gw, open, jwtGw] = await Promise.all([
    startTestGateway({ clients: Object.values(CLIENTS), logger }),
    startTestGateway({ config: { apq: false } }),
    startTestGateway({ clients: [CLIENTS.frontendRead], config: { jwt: { issuer: JWT_ISSUER, secret: JWT_SECRET } } }),
  ]);
  const res = await gw.query(
    '{ workOrders(first: 100, filter: { vendors: [GENERIC_MES], statuses: [OPEN] }) { edges { node { id } } } }',
    undefined,
    key(CLIENTS.frontendRead),
  );
  openOrders = res.body.data!.workOrders.edges.map((e: { node: { id: string } }) => e.node.id);
  expect(openOrders.length).toBeGreaterThanOrEqual(11);
  gmesOrderId = openOrders.pop()!;
});

afterAll(async () => {
  await Promise.all([gw?.close(), open?.close(), jwtGw?.close()]);
});

beforeEach(() => {
  gw.resetCounts();
  open.resetCounts();
  jwtGw.resetCounts();
});

describe('role × kind of operation', () => {
  type Kind = 'persisted query' | 'free-form query' | 'free-form mutation' | 'persisted mutation';
  type Outcome = 'ok' | 'PERSISTED_QUERY_NOT_IN_LIST' | 'FORBIDDEN';
  const send = (target: TestGateway, headers: Record<string, string>, kind: Kind): Promise<GqlResponse> => {
    const post = async (body: unknown) => {
      const res = await target.post(body, headers);
      return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResponse['body'] };
    };
    switch (kind) {
      case 'persisted query':
        return post({ documentId: hashOf(WorkOrderStatusesDocument), variables: { first: 5 } });
      case 'free-form query':
        return post({ query: '{ workOrders(first: 5) { edges { node { id status } } } }' });
      case 'free-form mutation':
        return post({
          query: 'mutation($id: ID!) { startWorkOrder(id: $id) { id status } }',
          variables: { id: openOrders.pop() },
        });
      case 'persisted mutation':
        return post({ documentId: hashOf(StartWorkOrderDocument), variables: { id: openOrders.pop() } });
    }
  };
  const MATRIX: [string, () => TestGateway, Record<string, string>, Kind, Outcome, number][] = [
    ['partner (read)', () => gw, key(CLIENTS.partnerRead), 'persisted query', 'ok', 200],
    ['partner (read)', () => gw, key(CLIENTS.partnerRead), 'free-form query', 'PERSISTED_QUERY_NOT_IN_LIST', 403],
    ['partner (read)', () => gw, key(CLIENTS.partnerRead), 'free-form mutation', 'PERSISTED_QUERY_NOT_IN_LIST', 403],
    ['partner (read)', () => gw, key(CLIENTS.partnerRead), 'persisted mutation', 'FORBIDDEN', 200],
    ['partner (write)', () => gw, key(CLIENTS.partnerWrite), 'persisted query', 'ok', 200],
    ['partner (write)', () => gw, key(CLIENTS.partnerWrite), 'free-form query', 'PERSISTED_QUERY_NOT_IN_LIST', 403],
    ['partner (write)', () => gw, key(CLIENTS.partnerWrite), 'free-form mutation', 'PERSISTED_QUERY_NOT_IN_LIST', 403],
    ['partner (write)', () => gw, key(CLIENTS.partnerWrite), 'persisted mutation', 'ok', 200],
    ['frontend (read)', () => gw, key(CLIENTS.frontendRead), 'persisted query', 'ok', 200],
    ['frontend (read)', () => gw, key(CLIENTS.frontendRead), 'free-form query', 'ok', 200],
    ['frontend (read)', () => gw, key(CLIENTS.frontendRead), 'free-form mutation', 'FORBIDDEN', 200],
    ['frontend (read)', () => gw, key(CLIENTS.frontendRead), 'persisted mutation', 'FORBIDDEN', 200],
    [
      'frontend (write)',
      () => gw,
      { authorization: `Bearer ${CLIENTS.frontendWrite.apiKey}` },
      'persisted query',
      'ok',
      200,
    ],
    [
      'frontend (write)',
      () => gw,
      { authorization: `Bearer ${CLIENTS.frontendWrite.apiKey}` },
      'free-form query',
      'ok',
      200,
    ],
    [
      'frontend (write)',
      () => gw,
      { authorization: `Bearer ${CLIENTS.frontendWrite.apiKey}` },
      'free-form mutation',
      'ok',
      200,
    ],
    [
      'frontend (write)',
      () => gw,
      { authorization: `Bearer ${CLIENTS.frontendWrite.apiKey}` },
      'persisted mutation',
      'ok',
      200,
    ],
    ['open (no clients configured)', () => open, {}, 'persisted query', 'ok', 200],
    ['open (no clients configured)', () => open, {}, 'free-form query', 'ok', 200],
    ['open (no clients configured)', () => open, {}, 'free-form mutation', 'ok', 200],
    ['open (no clients configured)', () => open, {}, 'persisted mutation', 'ok', 200],
  ];

  it.each(MATRIX)('%s, %s: %s', async (_role, target, headers, kind, outcome, status) => {
    const res = await send(target(), headers, kind);
    expect(res.status).toBe(status);
    if (outcome === 'ok') {
      expect(res.body.errors).toBeUndefined();
      if (kind.endsWith('mutation')) expect(res.body.data!.startWorkOrder.status).toBe('IN_PROGRESS');
      else expect(res.body.data!.workOrders.edges.length).toBeGreaterThan(0);
    } else {
      expect(codes(res)).toEqual([outcome]);
      expect(target().calls().total).toBe(0);
    }
  });
});

describe('credentials', () => {
  it.each([
    ['no credential', {}],
    ['an unknown API key', { 'x-api-key': 'not-a-key-of-this-gateway' }],
    ['an unknown bearer key', { authorization: 'Bearer not-a-key-of-this-gateway' }],
    ['a key one character off', { 'x-api-key': CLIENTS.frontendWrite.apiKey.slice(0, -1) + 'X' }],
    ['an Authorization header that is not Bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['a JWT where JWTs are not configured', { authorization: `Bearer ${signJwt({ role: 'frontend', sub: 'x' })}` }],
  ])('%s: 401 UNAUTHENTICATED before any vendor call', async (_what, headers) => {
    const res = await gw.query(
      '{ workOrders { edges { node { id } } } }',
      undefined,
      headers as Record<string, string>,
    );
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(gw.calls().total).toBe(0);
  });

  it('X-API-Key and Authorization: Bearer name the same client', async () => {
    const a = await gw.query(
      '{ workOrders(first: 3) { edges { node { id } } } }',
      undefined,
      key(CLIENTS.frontendRead),
    );
    const b = await gw.query('{ workOrders(first: 3) { edges { node { id } } } }', undefined, {
      authorization: `bearer ${CLIENTS.frontendRead.apiKey}`,
    });
    expect(a.body).toEqual(b.body);
    expect(a.body.errors).toBeUndefined();
  });
});

describe('vendor scoping', () => {
  it('a client limited to Pitney Bowes lists only Pitney Bowes orders and calls no other vendor', async () => {
    const res = await gw.query(
      '{ workOrders(first: 100) { totalCount edges { node { vendor } } } }',
      undefined,
      key(CLIENTS.pbOnly),
    );
    expect(res.body.errors).toBeUndefined();
    const vendors = new Set(res.body.data!.workOrders.edges.map((e: { node: { vendor: string } }) => e.node.vendor));
    expect([...vendors]).toEqual(['PITNEY_BOWES']);
    expect(gw.calls()).toMatchObject({ DOTZERO: 0, GENERIC_MES: 0 });
  });

  it("and gets FORBIDDEN for another vendor's order, without a call to that vendor", async () => {
    const res = await gw.query(
      'query($id: ID!) { workOrder(id: $id) { id } }',
      { id: gmesOrderId },
      key(CLIENTS.pbOnly),
    );
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(gw.calls().GENERIC_MES).toBe(0);
  });
});

describe('persisted operations', () => {
  const variables = { first: 10, filter: { vendors: ['GENERIC_MES', 'PITNEY_BOWES'] } };

  it('a generated document called by documentId or by Apollo hash answers what its text answers', async () => {
    const byText = await gw.query(print(WorkOrderStatusesDocument), variables, key(CLIENTS.frontendRead));
    const byId = await gw.post({ documentId: hashOf(WorkOrderStatusesDocument), variables }, key(CLIENTS.partnerRead));
    const hex = hashOf(WorkOrderStatusesDocument).replace(/^sha256:/, '');
    const byApollo = await gw.post(
      { variables, extensions: { persistedQuery: { version: 1, sha256Hash: hex } } },
      key(CLIENTS.partnerRead),
    );
    expect(byText.body.errors).toBeUndefined();
    expect(byText.body.data!.workOrders.edges.length).toBe(10);
    expect(await byId.json()).toEqual(byText.body);
    expect(await byApollo.json()).toEqual(byText.body);
  });

  it('documentId works over GET too (queries only)', async () => {
    const url = `http://gateway.test/graphql?documentId=${encodeURIComponent(hashOf(VendorsDocument))}`;
    const res = await gw.gateway.yoga.fetch(url, { headers: key(CLIENTS.partnerRead) });
    const body = (await res.json()) as GqlResponse['body'];
    expect(body.errors).toBeUndefined();
    expect(body.data!.vendors).toHaveLength(3);
  });

  it.each([
    ['a partner', CLIENTS.partnerRead, {}, 'PERSISTED_QUERY_NOT_IN_LIST'],
    ['a frontend client', CLIENTS.frontendRead, {}, 'BAD_REQUEST'],
    [
      'a frontend client',
      CLIENTS.frontendRead,
      { query: '{ vendors { vendor } }', documentId: hashOf(VendorsDocument) },
      'BAD_REQUEST',
    ],
  ])('%s sending %j is refused with %s', async (_who, c, body, code) => {
    const res = await gw.post(body, key(c));
    expect(((await res.json()) as GqlResponse['body']).errors![0]!.extensions!.code).toBe(code);
    expect(gw.calls().total).toBe(0);
  });

  it('an unknown hash answers PERSISTED_QUERY_NOT_FOUND', async () => {
    const res = await gw.post(
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('nothing') } } },
      key(CLIENTS.partnerRead),
    );
    expect(res.status).toBe(404);
    // A partner cannot register operations (APQ): it is told to use the catalog, not Apollo's "send the query".
    expect(((await res.json()) as GqlResponse['body']).errors![0]).toMatchObject({
      message: 'No operation of the partner catalog has this id.',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });
  });
});

describe('automatic persisted queries', () => {
  const query = '{ vendors { vendor simulated } }';
  const apq = (withQuery: boolean, hash = sha256(query)) => ({
    ...(withQuery ? { query } : {}),
    extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
  });
  const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as GqlResponse['body'] });

  it('frontend: unknown hash, then registration, then the hash alone', async () => {
    const first = await json(await gw.post(apq(false), key(CLIENTS.frontendRead)));
    expect(first.body.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await json(await gw.post(apq(true), key(CLIENTS.frontendRead)));
    expect(registered.body.errors).toBeUndefined();
    const again = await json(await gw.post(apq(false), key(CLIENTS.frontendWrite)));
    expect(again.body).toEqual(registered.body);
  });

  it("frontend: a hash that is not the query's is refused", async () => {
    const res = await json(await gw.post(apq(true, sha256('something else')), key(CLIENTS.frontendRead)));
    expect(res.body.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_MISMATCH');
  });

  it('partner: cannot register, and cannot use what a frontend client registered', async () => {
    await gw.post(apq(true), key(CLIENTS.frontendRead));
    const register = await json(await gw.post(apq(true), key(CLIENTS.partnerRead)));
    expect(register.status).toBe(403);
    expect(register.body.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const use = await json(await gw.post(apq(false), key(CLIENTS.partnerRead)));
    expect(use.body.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(gw.calls().total).toBe(0);
  });

  it('off by configuration: a registration runs the query but registers nothing', async () => {
    const registered = await json(await open.post(apq(true)));
    expect(registered.body.errors).toBeUndefined();
    const use = await json(await open.post(apq(false)));
    expect(use.body.errors![0]!.extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('rate limit', () => {
  const expectLimited = (res: GqlResponse) => {
    expect(res.status).toBe(429);
    expect(codes(res)).toEqual(['RATE_LIMITED']);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.body.errors![0]!.extensions!.retryAfter).toBe(retryAfter);
  };

  it('counts every alias: six aliased root fields are six operations', async () => {
    const res = await gw.query(
      `{ ${Array.from({ length: 6 }, (_, i) => `v${i}: vendors { vendor }`).join(' ')} }`,
      undefined,
      key(CLIENTS.rlAliases),
    );
    expectLimited(res);
    expect(gw.calls().total).toBe(0);
    // Refused requests take nothing: five still fit in the window.
    const five = await gw.query(
      `{ ${Array.from({ length: 5 }, (_, i) => `v${i}: vendors { vendor }`).join(' ')} }`,
      undefined,
      key(CLIENTS.rlAliases),
    );
    expect(five.body.errors).toBeUndefined();
    expectLimited(await gw.query('{ vendors { vendor } }', undefined, key(CLIENTS.rlAliases)));
  });

  it('counts the root fields of fragments spread on the root', async () => {
    const res = await gw.query(
      '{ ...A ...B } fragment A on Query { a: vendors { vendor } b: warehouses { id } c: vendors { simulated } } fragment B on Query { ... on Query { d: vendors { vendor } e: vendors { vendor } f: vendors { vendor } } }',
      undefined,
      key(CLIENTS.rlFragments),
    );
    expectLimited(res);
    expect(gw.calls().total).toBe(0);
  });

  it('counts every operation of a batch and refuses the whole batch', async () => {
    const batch = Array.from({ length: 3 }, () => ({ query: '{ a: vendors { vendor } b: warehouses { id } }' }));
    const res = await gw.post(batch, key(CLIENTS.rlBatch));
    const body = (await res.json()) as GqlResponse['body'];
    expectLimited({ status: res.status, headers: res.headers, body });
    expect(gw.calls().total).toBe(0);
  });

  it('refuses the request past the limit, one operation at a time', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await gw.query('{ warehouses { id } }', undefined, key(CLIENTS.rlSequence));
      expect(ok.body.errors).toBeUndefined();
    }
    gw.resetCounts();
    expectLimited(await gw.query('{ warehouses { id } }', undefined, key(CLIENTS.rlSequence)));
    expect(gw.calls().total).toBe(0);
  });

  it('counts persisted operations by their document', async () => {
    const res1 = await gw.post({ documentId: hashOf(VendorsDocument) }, key(CLIENTS.rlPartner));
    const res2 = await gw.post({ documentId: hashOf(VendorsDocument) }, key(CLIENTS.rlPartner));
    expect(res1.status).toBe(200);
    expect(res2.status).toBe(200);
    const res3 = await gw.post({ documentId: hashOf(VendorsDocument) }, key(CLIENTS.rlPartner));
    expect(res3.status).toBe(429);
  });

  it("one client's limit leaves the others alone: A exhausts 3/min, B (also 3/min) still gets all of its own", async () => {
    const ask = (c: GatewayClient) => gw.query('{ warehouses { id } }', undefined, key(c));
    for (let i = 0; i < 3; i++) expect((await ask(CLIENTS.rlIsolationA)).body.errors).toBeUndefined();
    gw.resetCounts();
    expectLimited(await ask(CLIENTS.rlIsolationA));
    expect(gw.calls().total).toBe(0);
    // One window shared by every client would already be spent here.
    for (let i = 0; i < 3; i++) {
      const res = await ask(CLIENTS.rlIsolationB);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    expectLimited(await ask(CLIENTS.rlIsolationB));
    expectLimited(await ask(CLIENTS.rlIsolationA));
  });

  it('the window: refused until it turns, with Retry-After counting down to it', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(60_000, () => now);
    expect(limiter.take('c', 4, 5)).toEqual({ ok: true });
    expect(limiter.take('c', 2, 5)).toEqual({ ok: false, retryAfterSeconds: 60 });
    now += 45_500;
    expect(limiter.take('c', 1, 5)).toEqual({ ok: true });
    expect(limiter.take('c', 1, 5)).toEqual({ ok: false, retryAfterSeconds: 15 });
    now += 14_500;
    expect(limiter.take('c', 5, 5)).toEqual({ ok: true });
    expect(limiter.take('other', 5, 5)).toEqual({ ok: true });
  });

  it('counting: root fields and aliases, fragments on the root, the named operation of several', () => {
    expect(countRootFields(parse('{ a b c: a }'))).toBe(3);
    expect(countRootFields(parse('{ ...F ... on Query { x y } } fragment F on Query { a b }'))).toBe(4);
    expect(countRootFields(parse('query A { a } query B { a b }'), 'B')).toBe(2);
    expect(countRootFields(parse('{ ...F } fragment F on Query { a ...F }'))).toBe(1);
  });
});

describe('JWTs from the configured issuer', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: JWT_ISSUER,
    sub: 'shopfloor-ui',
    role: 'frontend',
    scope: 'workorders:read',
    iat: now(),
    exp: now() + 300,
    ...extra,
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('a valid token names the client, its role, scopes and vendors', async () => {
    const token = signJwt(claims({ vendors: ['PITNEY_BOWES'] }));
    const list = await jwtGw.query('{ workOrders(first: 50) { edges { node { vendor } } } }', undefined, bearer(token));
    expect(list.body.errors).toBeUndefined();
    expect(new Set(list.body.data!.workOrders.edges.map((e: { node: { vendor: string } }) => e.node.vendor))).toEqual(
      new Set(['PITNEY_BOWES']),
    );
    const mutation = await jwtGw.query('mutation { startWorkOrder(id: "x") { id } }', undefined, bearer(token));
    expect(codes(mutation)).toEqual(['FORBIDDEN']);
  });

  it('a partner token may send only persisted operations', async () => {
    const token = signJwt(claims({ role: 'partner' }));
    const free = await jwtGw.query('{ vendors { vendor } }', undefined, bearer(token));
    expect(codes(free)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    const persisted = await jwtGw.post({ documentId: hashOf(VendorsDocument) }, bearer(token));
    expect(persisted.status).toBe(200);
  });

  it.each([
    ['expired', () => signJwt(claims({ exp: now() - 10 }))],
    ['from another issuer', () => signJwt(claims({ iss: 'https://elsewhere.test/' }))],
    ['signed with another secret', () => signJwt(claims(), 'another-secret-that-is-also-long-enough')],
    ['without a role', () => signJwt(claims({ role: undefined }))],
    ['with alg none', () => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`],
  ])('a token %s answers 401', async (_what, token) => {
    const res = await jwtGw.query('{ vendors { vendor } }', undefined, bearer(token()));
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(jwtGw.calls().total).toBe(0);
  });

  it('API keys keep working beside JWTs', async () => {
    const res = await jwtGw.query('{ vendors { vendor } }', undefined, key(CLIENTS.frontendRead));
    expect(res.body.errors).toBeUndefined();
  });
});

describe('request id', () => {
  it('every response carries one, and a sane caller-supplied one is kept', async () => {
    const mine = await gw.post(
      { query: '{ vendors { vendor } }' },
      { ...key(CLIENTS.frontendRead), 'x-request-id': 'trace-abc.123' },
    );
    expect(mine.headers.get('x-request-id')).toBe('trace-abc.123');
    const odd = await gw.post(
      { query: '{ vendors { vendor } }' },
      { ...key(CLIENTS.frontendRead), 'x-request-id': 'bad id\twith spaces' },
    );
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an unexpected error answers "Unexpected error." with the request id that its log line carries', async () => {
    const clients = gw.gateway.clients;
    const original = clients.DOTZERO.listWarehouses;
    clients.DOTZERO.listWarehouses = async () => {
      throw new TypeError('cannot read properties of undefined (internal detail)');
    };
    try {
      logLines.length = 0;
      const res = await gw.query('{ warehouses { id } }', undefined, key(CLIENTS.frontendRead));
      const error = res.body.errors!.find((e) => e.message === 'Unexpected error.')!;
      const requestId = res.headers.get('x-request-id');
      expect(error.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', requestId });
      expect(JSON.stringify(res.body)).not.toContain('internal detail');
      const logged = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unexpected error');
      expect(logged).toMatchObject({ requestId, err: { name: 'TypeError' } });
    } finally {
      clients.DOTZERO.listWarehouses = original;
    }
  });

  it('a JWKS issuer: a token signed with a published key passes; one naming a key it does not publish is a 401', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }] }),
      );
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    const local = await startTestGateway({ config: { jwt: { issuer: JWT_ISSUER, jwksUrl: url } } });
    const rs256 = (kid: string) => {
      const head = `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url({ iss: JWT_ISSUER, sub: 'jwks-ui', role: 'frontend', scope: 'workorders:read', exp: Math.floor(Date.now() / 1000) + 300 })}`;
      return `${head}.${createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url')}`;
    };
    try {
      const ok = await local.post({ query: '{ vendors { vendor } }' }, { authorization: `Bearer ${rs256('k1')}` });
      expect(ok.status).toBe(200);
      const forged = await local.post(
        { query: '{ vendors { vendor } }' },
        { authorization: `Bearer ${rs256('not-published')}` },
      );
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as GqlResponse['body']).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    } finally {
      await local.close();
      jwks.close();
    }
  });

  it("so does one raised outside execution (here: the JWT issuer's keys cannot be fetched)", async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const broken = await startTestGateway({
      logger,
      config: { jwt: { issuer: JWT_ISSUER, jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' } },
    });
    try {
      const token = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${b64url({ iss: JWT_ISSUER, sub: 'x', role: 'frontend' })}.c2ln`;
      const res = await broken.post({ query: '{ vendors { vendor } }' }, { authorization: `Bearer ${token}` });
      const body = (await res.json()) as GqlResponse['body'];
      const requestId = res.headers.get('x-request-id');
      expect(res.status).toBe(500);
      expect(body.errors![0]).toMatchObject({
        message: 'Unexpected error.',
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
      });
      expect(lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unexpected error')).toMatchObject({ requestId });
      expect(broken.calls().total).toBe(0);
    } finally {
      await broken.close();
    }
  });
});

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function signJwt(claims: Record<string, unknown>, secret = JWT_SECRET): string {
  const head = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}
