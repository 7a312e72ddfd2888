// Client behaviour against a tiny in-test HTTP server (test/helpers/upstream.ts; not src/simulators, which must stay
// an independent reading of the vendor document).
import type { CallObserver } from '../../src/vendors/http.js';
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError, UpstreamError } from '../../src/domain/errors.js';
import type { PitneyBowesWorkOrder } from '../../src/domain/model.js';
import { newTransactionId, PitneyBowesAuth } from '../../src/vendors/pitney-bowes/auth.js';
import { createPitneyBowesClient } from '../../src/vendors/pitney-bowes/client.js';
import type { PitneyBowesClient } from '../../src/vendors/types.js';
import { startUpstream, type Reply, type Upstream, type UpstreamRequest } from '../helpers/upstream.js';

const API_KEY = 'key-AAAA';
const API_SECRET = 'secret-BBBB';
const CLIENT_ID = 'client-1234';
const WIDE = { name: 'pbCreateDate', from: '1970-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

const toSeen = (r: UpstreamRequest): Seen => ({
  method: r.method,
  path: r.path,
  query: r.searchParams,
  headers: r.headers,
  text: r.text,
  json: r.json,
});

/** A test's own answer; undefined leaves the request to the default token and search endpoints. */
type Handler = (req: Seen) => Reply | undefined;

interface Fake extends Upstream<Seen> {
  searches(): Seen[];
  tokens(): Seen[];
}

const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** 250 orders: WO-001..WO-250, every third one PRIORITY, due one day apart from 2024-01-01. */
const ORDERS = Array.from({ length: 250 }, (_, i) => {
  const n = String(i + 1).padStart(3, '0');
  return {
    clientId: CLIENT_ID,
    clientWorkOrderId: `W-${n}`,
    workOrderId: `WO-${n}`,
    status: (['CREATED', 'INPROGRESS', 'COMPLETE', 'CANCELED', 'CLOSED'] as const)[i % 5],
    priority: i % 3 === 0 ? 'PRIORITY' : 'STANDARD',
    workOrderQuantity: 10,
    requestedCompletionDate: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(),
    createDate: new Date(Date.UTC(2023, 0, 1, 0, i)).toISOString(),
  };
});

/** A search endpoint that answers the way the document describes (status and workOrderIds fields, page/size). */
function searchReply(req: Seen): Reply {
  let list = ORDERS;
  for (const field of req.json?.searchFields ?? []) {
    if (field.name === 'status') list = list.filter((o) => field.values.includes(o.status));
    if (field.name === 'workOrderIds') list = list.filter((o) => field.values.includes(o.workOrderId));
  }
  const page = Number(req.query.get('page') ?? 1);
  const size = Number(req.query.get('size') ?? 20);
  const items = list.slice((page - 1) * size, page * size);
  const totalPages = Math.ceil(list.length / size);
  return {
    body: {
      totalPages,
      totalElements: list.length,
      first: page === 1,
      last: page >= totalPages,
      size,
      page,
      sort: req.json?.sort,
      workOrders: items,
    },
  };
}

let tokenCounter = 0;
function tokenReply(expiresIn: string | number = '35999'): Reply {
  tokenCounter += 1;
  return {
    body: {
      access_token: `tok-${tokenCounter}`,
      tokenType: 'BearerToken',
      issuedAt: Date.now(),
      expiresIn,
      clientID: API_KEY,
    },
  };
}

async function fake(handler: Handler = () => undefined): Promise<Fake> {
  const upstream = await startUpstream(
    (s) =>
      handler(s) ??
      (s.path === '/oauth/token'
        ? tokenReply()
        : s.path === '/shippingservices/fulfillment/v1/work-orders/search'
          ? searchReply(s)
          : { status: 404, body: { errors: [{ errorCode: 'NOT_FOUND' }] } }),
    { record: toSeen },
  );
  const f: Fake = Object.assign(upstream, {
    searches: () => upstream.requests.filter((s) => s.path.endsWith('/v1/work-orders/search')),
    tokens: () => upstream.requests.filter((s) => s.path === '/oauth/token'),
  });
  open.push(f);
  return f;
}

function client(f: Fake, extra: { observe?: (e: unknown) => void } = {}): PitneyBowesClient {
  const c = createPitneyBowesClient({
    apiUrl: `${f.url}/shippingservices/fulfillment`,
    oauthUrl: `${f.url}/oauth/token`,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    clientId: CLIENT_ID,
    transport: { timeoutMs: 2_000, ...(extra as { observe?: CallObserver }) },
  });
  open.unshift(c);
  return c;
}

function ids(items: readonly (PitneyBowesWorkOrder | Error)[]): string[] {
  return items.map((o) => (o instanceof Error ? o.name : o.vendorId));
}

async function listAll(c: PitneyBowesClient, query = {}, offset = 0, limit = 20) {
  const segments = c.planWorkOrders(query);
  expect(segments).toHaveLength(1);
  return segments[0]!.fetch(offset, limit);
}

describe('search', () => {
  it('sends the documented request: Bearer token, fresh transaction id, page/size query, wide createDate', async () => {
    const f = await fake();
    const c = client(f);
    const page = await listAll(c);
    expect(page.total).toBe(250);
    expect(page.items.map((o) => o.vendorId)).toEqual(ORDERS.slice(0, 20).map((o) => o.workOrderId));

    const [token] = f.tokens();
    expect(token?.method).toBe('POST');
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64')}`);
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(token?.text).toBe('grant_type=client_credentials');

    const [search] = f.searches();
    expect(search?.method).toBe('POST');
    expect(search?.headers.authorization).toBe('Bearer tok-' + tokenCounter);
    expect(search?.headers['content-type']).toBe('application/json');
    expect(search?.headers['x-pb-transactionid']).toMatch(/^mesgw-[A-Za-z0-9_-]{1,19}$/);
    expect(Object.fromEntries(search!.query)).toEqual({ page: '1', size: '20' });
    expect(search?.json).toEqual({ clientId: CLIENT_ID, sort: ['pbCreateDate-asc'], searchFields: [WIDE] });
  });

  it('puts the statuses into one status search field, with the wide createDate beside it', async () => {
    const f = await fake();
    const c = client(f);
    const page = await listAll(c, { statuses: ['OPEN', 'CLOSED', 'PAUSED'] });
    expect(page.total).toBe(100);
    expect(page.items.every((o) => o.status === 'OPEN' || o.status === 'CLOSED')).toBe(true);
    expect(f.searches()[0]?.json.searchFields).toEqual([{ name: 'status', values: ['CREATED', 'CLOSED'] }, WIDE]);
  });

  it.each([
    ['only statuses PB lacks', { statuses: ['PAUSED', 'ON_HOLD'] }],
    ['only LOW', { priorities: ['LOW'] }],
    ['only CRITICAL', { priorities: ['CRITICAL'] }],
    ['LOW and CRITICAL', { priorities: ['LOW', 'CRITICAL'] }],
  ])('plans no segment and makes no call for %s', async (_label, query) => {
    const f = await fake();
    const c = client(f);
    expect(c.planWorkOrders(query as never)).toEqual([]);
    expect(f.requests).toHaveLength(0);
  });

  // pagedWindow picks the smallest page size holding the whole window, else two pages of 100.
  it.each([
    [0, 20, [[1, 20]]],
    [20, 20, [[2, 20]]],
    [40, 20, [[3, 20]]],
    [5, 10, [[1, 15]]],
    [95, 10, [[7, 15]]],
    [0, 100, [[1, 100]]],
    [
      150,
      100,
      [
        [2, 100],
        [3, 100],
      ],
    ],
    [240, 20, [[13, 20]]],
    [230, 20, [[11, 23]]],
  ])('window offset %i limit %i asks pages %j', async (offset, limit, pages) => {
    const f = await fake();
    const c = client(f);
    const page = await listAll(c, {}, offset, limit);
    expect(page.total).toBe(250);
    expect(page.items.map((o) => o.vendorId)).toEqual(ORDERS.slice(offset, offset + limit).map((o) => o.workOrderId));
    const asked = f
      .searches()
      .map((s) => [Number(s.query.get('page')), Number(s.query.get('size'))])
      .sort((a, b) => a[0]! - b[0]!);
    expect(asked).toEqual(pages);
  });

  it('scans pages of 100 (first, then the rest in parallel) for filters the vendor lacks, keeping matches', async () => {
    const f = await fake();
    const c = client(f);
    const segment = c.planWorkOrders({
      priorities: ['HIGH'],
      orderNumber: 'w-1',
      dueBefore: new Date('2024-06-30T00:00:00Z'),
    })[0]!;
    const page = await segment.fetch(0, 5);
    const expected = ORDERS.filter(
      (o) =>
        o.priority === 'PRIORITY' &&
        o.clientWorkOrderId.toLowerCase().includes('w-1') &&
        o.requestedCompletionDate <= '2024-06-30T00:00:00.000Z',
    );
    expect(page.total).toBe(expected.length);
    expect(page.items.map((o) => o.vendorId)).toEqual(expected.slice(0, 5).map((o) => o.workOrderId));
    expect(
      f
        .searches()
        .map((s) => s.query.toString())
        .sort(),
    ).toEqual(['page=1&size=100', 'page=2&size=100', 'page=3&size=100']);
    for (const s of f.searches()) expect(s.json.searchFields).toEqual([WIDE]);

    // The scan is cached in the segment: the next window costs no call.
    const next = await segment.fetch(5, 5);
    expect(next.items.map((o) => o.vendorId)).toEqual(expected.slice(5, 10).map((o) => o.workOrderId));
    expect(f.searches()).toHaveLength(3);
  });

  it('scans with the status search field when statuses and a local filter are combined', async () => {
    const f = await fake();
    const c = client(f);
    const page = await listAll(c, { statuses: ['IN_PROGRESS'], priorities: ['NORMAL'] }, 0, 100);
    const expected = ORDERS.filter((o) => o.status === 'INPROGRESS' && o.priority === 'STANDARD');
    expect(page.items.map((o) => o.vendorId)).toEqual(expected.map((o) => o.workOrderId));
    expect(f.searches()).toHaveLength(1);
    expect(f.searches()[0]?.json.searchFields).toEqual([{ name: 'status', values: ['INPROGRESS'] }, WIDE]);
  });

  it('reads every order with allWorkOrders', async () => {
    const f = await fake();
    const c = client(f);
    const all = await c.allWorkOrders();
    expect(all.map((o) => o.vendorId)).toEqual(ORDERS.map((o) => o.workOrderId));
    expect(
      f
        .searches()
        .map((s) => s.query.toString())
        .sort(),
    ).toEqual(['page=1&size=100', 'page=2&size=100', 'page=3&size=100']);
    for (const s of f.searches()) expect(s.json.searchFields).toEqual([WIDE]);
  });

  it('reports a success without a workOrders list as a bad response', async () => {
    const f = await fake((s) => (s.path.endsWith('/search') ? { body: { totalElements: 1 } } : undefined));
    const c = client(f);
    await expect(listAll(c)).rejects.toMatchObject({
      name: 'UpstreamError',
      kind: 'bad_response',
      vendor: 'PITNEY_BOWES',
    });
  });

  it('reports each call to observe', async () => {
    const f = await fake();
    const events: any[] = [];
    const c = client(f, { observe: (e) => events.push(e) });
    await listAll(c);
    expect(events.map((e) => [e.operation, e.status])).toEqual([
      ['oauthToken', 200],
      ['searchWorkOrders', 200],
    ]);
  });
});

describe('changedWorkOrders (polling)', () => {
  const SINCE = new Date('2024-05-01T10:00:00.000Z');
  const onField = (req: Seen, name: string) => req.json?.searchFields?.some((f: { name: string }) => f.name === name);

  it('reads what was updated and what was received since, in two searches, each order once', async () => {
    // WO-001/WO-002 updated, WO-002/WO-003 created in the window (WO-002 both): the second search has WO-003 alone new.
    const f = await fake((req) => {
      if (!req.path.endsWith('/v1/work-orders/search')) return undefined;
      const list = onField(req, 'pbUpdateDate') ? ORDERS.slice(0, 2) : ORDERS.slice(1, 3);
      return { body: { totalPages: 1, totalElements: list.length, last: true, page: 1, workOrders: list } };
    });
    const read = await client(f).changedWorkOrders!(SINCE);
    expect(ids(read.orders)).toEqual(['WO-001', 'WO-002', 'WO-003']);
    expect(read.complete).toBe(false);
    const bodies = f.searches().map((r) => r.json?.searchFields);
    expect(bodies).toHaveLength(2);
    expect(bodies).toEqual(
      expect.arrayContaining([
        [{ name: 'pbUpdateDate', from: '2024-05-01T10:00:00Z', to: '2100-01-01T00:00:00Z' }],
        [{ name: 'pbCreateDate', from: '2024-05-01T10:00:00Z', to: '2100-01-01T00:00:00Z' }],
      ]),
    );
  });

  it('reads every order on the first round (no watermark yet)', async () => {
    const f = await fake();
    const read = await client(f).changedWorkOrders!(undefined);
    expect(read.orders).toHaveLength(ORDERS.length);
    expect(f.searches().every((r) => JSON.stringify(r.json?.searchFields) === JSON.stringify([WIDE]))).toBe(true);
  });
});

describe('getWorkOrders', () => {
  it('looks a batch up in one search, in the keys order, NotFoundError for keys not in the answer', async () => {
    const f = await fake();
    const c = client(f);
    const got = await c.getWorkOrders(['WO-010', 'WO-999', 'WO-002', 'WO-010']);
    expect(ids(got)).toEqual(['WO-010', 'NotFoundError', 'WO-002', 'WO-010']);
    expect(got[1]).toBeInstanceOf(NotFoundError);
    expect((got[1] as NotFoundError).vendor).toBe('PITNEY_BOWES');
    expect(f.searches()).toHaveLength(1);
    const [search] = f.searches();
    expect(search?.query.toString()).toBe('page=1&size=100');
    expect(search?.json).toEqual({
      clientId: CLIENT_ID,
      sort: ['pbCreateDate-asc'],
      searchFields: [{ name: 'workOrderIds', values: ['WO-010', 'WO-999', 'WO-002'] }, WIDE],
    });
  });

  it('splits more than 100 keys into searches of 100, in parallel', async () => {
    // Each search is answered only after 150 ms: had they been sent one after another, the later ones would
    // arrive at least that long after the first.
    const arrivals: number[] = [];
    const f = await fake((s) => {
      if (!s.path.endsWith('/search')) return undefined;
      arrivals.push(performance.now());
      return { ...searchReply(s), delayMs: 150 };
    });
    const c = client(f);
    const keys = ORDERS.map((o) => o.workOrderId).reverse();
    const got = await c.getWorkOrders(keys);
    expect(ids(got)).toEqual(keys);
    const sizes = f.searches().map((s) => s.json.searchFields[0].values.length);
    expect(sizes.sort()).toEqual([100, 100, 50]);
    for (const s of f.searches()) expect(s.query.toString()).toBe('page=1&size=100');
    expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(150);
  });

  it('answers [] for no keys without a call', async () => {
    const f = await fake();
    const c = client(f);
    expect(await c.getWorkOrders([])).toEqual([]);
    expect(f.requests).toHaveLength(0);
  });

  it('gives each key of a failed search the failure', async () => {
    const f = await fake((s) =>
      s.path.endsWith('/search') ? { status: 500, body: { errors: [{ errorCode: 'PB-500' }] } } : undefined,
    );
    const c = client(f);
    const got = await c.getWorkOrders(['WO-001', 'WO-002']);
    expect(got.map((e) => (e as UpstreamError).name)).toEqual(['UpstreamError', 'UpstreamError']);
    expect(got[0]).toMatchObject({ vendor: 'PITNEY_BOWES', status: 500, code: 'PB-500', kind: 'http' });
  });
});

describe('OAuth token', () => {
  it('is fetched once for concurrent callers and reused afterwards', async () => {
    const f = await fake((s) => (s.path === '/oauth/token' ? { ...tokenReply(), delayMs: 30 } : undefined));
    const c = client(f);
    await Promise.all([listAll(c), listAll(c), c.getWorkOrders(['WO-001']), c.allWorkOrders()]);
    await listAll(c);
    expect(f.tokens()).toHaveLength(1);
    const auth = new Set(f.searches().map((s) => s.headers.authorization));
    expect(auth.size).toBe(1);
  });

  it('on a 401 fetches one new token and sends the call once more, with a new transaction id', async () => {
    let rejected = 0;
    const f = await fake((s) => {
      if (s.path.endsWith('/search') && s.headers.authorization === 'Bearer stale') {
        rejected += 1;
        return { status: 401, body: { errors: [{ errorCode: 'PB-APIM-ERR-1002' }] } };
      }
      if (s.path === '/oauth/token') {
        const first = f0.tokens().length === 1;
        return first
          ? { body: { access_token: 'stale', expiresIn: 3600 } }
          : { body: { access_token: 'fresh', expiresIn: 3600 } };
      }
      return undefined;
    });
    const f0 = f;
    const c = client(f);
    // Three concurrent calls all rejected with the stale token share one refresh.
    const pages = await Promise.all([listAll(c), listAll(c), listAll(c)]);
    expect(pages.map((p) => p.total)).toEqual([250, 250, 250]);
    expect(rejected).toBe(3);
    expect(f.tokens()).toHaveLength(2);
    const retried = f.searches().filter((s) => s.headers.authorization === 'Bearer fresh');
    expect(retried).toHaveLength(3);
    const txIds = f.searches().map((s) => s.headers['x-pb-transactionid']);
    expect(new Set(txIds).size).toBe(txIds.length);
  });

  it('gives up after one refresh when the vendor keeps answering 401', async () => {
    const f = await fake((s) =>
      s.path.endsWith('/search') ? { status: 401, body: { errors: [{ errorCode: 'PB-401' }] } } : undefined,
    );
    const c = client(f);
    const err = await listAll(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: 'auth', status: 401, code: 'PB-401', vendor: 'PITNEY_BOWES' });
    expect(f.tokens()).toHaveLength(2);
    expect(f.searches()).toHaveLength(2);
  });

  it.each([400, 401, 403])(
    'reports refused client credentials (%i) as an auth failure without secrets',
    async (status) => {
      const f = await fake((s) =>
        s.path === '/oauth/token'
          ? { status, body: { errors: [{ errorCode: 'PB-AUTH', errorDescription: `bad ${API_KEY}:${API_SECRET}` }] } }
          : undefined,
      );
      const c = client(f);
      const err = await listAll(c).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'UpstreamError', kind: 'auth', status, code: 'PB-AUTH' });
      const text = `${(err as Error).message} ${JSON.stringify(err)}`;
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(API_SECRET);
      expect(text).not.toContain(Buffer.from(`${API_KEY}:${API_SECRET}`).toString('base64'));
      expect(f.searches()).toHaveLength(0);
    },
  );

  it('reports a token answer without a token as a bad response', async () => {
    const f = await fake((s) => (s.path === '/oauth/token' ? { body: { tokenType: 'BearerToken' } } : undefined));
    const c = client(f);
    await expect(listAll(c)).rejects.toMatchObject({ name: 'UpstreamError', kind: 'bad_response' });
  });

  it.each<[string, string | number | undefined, number, number]>([
    // [label, expiresIn, seconds later still cached, seconds later refreshed]
    ['10 hours as a string', '36000', 36000 - 61, 36000 - 60],
    ['one hour as a number', 3600, 3600 - 61, 3600 - 60],
    ['30 s (margin halves the life)', 30, 14, 15],
    ['unreadable (5 minutes assumed)', 'soon', 300 - 61, 300 - 60],
  ])(
    'caches a token that expires in %s until shortly before expiry',
    async (_label, expiresIn, cachedAt, refreshedAt) => {
      const f = await fake((s) => (s.path === '/oauth/token' ? tokenReply(expiresIn as string) : undefined));
      let now = 1_000_000;
      const auth = new PitneyBowesAuth({
        oauthUrl: `${f.url}/oauth/token`,
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        now: () => now,
      });
      open.unshift(auth);
      const first = await auth.authorization();
      now += cachedAt * 1000;
      expect(await auth.authorization()).toBe(first);
      expect(f.tokens()).toHaveLength(1);
      now = 1_000_000 + refreshedAt * 1000;
      const second = await auth.authorization();
      expect(second).not.toBe(first);
      expect(f.tokens()).toHaveLength(2);
    },
  );

  it('unauthorized() with an already replaced token asks for no new one', async () => {
    const f = await fake();
    let now = 0;
    const auth = new PitneyBowesAuth({
      oauthUrl: `${f.url}/oauth/token`,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      now: () => now,
    });
    open.unshift(auth);
    const first = await auth.authorization();
    expect(await auth.unauthorized(first)).toBe(true);
    expect(f.tokens()).toHaveLength(2);
    expect(await auth.unauthorized(first)).toBe(true);
    expect(f.tokens()).toHaveLength(2);
    now += 1;
    expect(await auth.authorization()).not.toBe(first);
  });

  it('unauthorized() answers false when the vendor hands back the rejected token', async () => {
    const f = await fake((s) =>
      s.path === '/oauth/token' ? { body: { access_token: 'same', expiresIn: 3600 } } : undefined,
    );
    const auth = new PitneyBowesAuth({ oauthUrl: `${f.url}/oauth/token`, apiKey: API_KEY, apiSecret: API_SECRET });
    open.unshift(auth);
    const first = await auth.authorization();
    expect(await auth.unauthorized(first)).toBe(false);
  });
});

describe('transaction ids', () => {
  it('are valid and never repeat', () => {
    const now = Date.now();
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = newTransactionId(now);
      expect(id).toMatch(/^[A-Za-z0-9_-]{1,25}$/);
      expect(id.startsWith('mesgw-')).toBe(true);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
  });

  it.each([0, Date.UTC(2100, 0, 1), Date.UTC(3000, 0, 1)])('fit in 25 characters at time %i', (t) => {
    expect(newTransactionId(t).length).toBeLessThanOrEqual(25);
  });

  it('are fresh on a retried read (503 then 200)', async () => {
    let calls = 0;
    const f = await fake((s) => {
      if (!s.path.endsWith('/search')) return undefined;
      calls += 1;
      return calls === 1 ? { status: 503 } : undefined;
    });
    const c = client(f);
    const page = await listAll(c);
    expect(page.total).toBe(250);
    const txIds = f.searches().map((s) => s.headers['x-pb-transactionid']);
    expect(txIds).toHaveLength(2);
    expect(txIds[0]).not.toBe(txIds[1]);
  });
});

describe('errors', () => {
  const secretBody = {
    errors: [{ errorCode: 'PB-80011', errorDescription: `clientId ${CLIENT_ID} token tok-1`, message: API_SECRET }],
  };

  it.each([
    ['the documented envelope', 400, secretBody, 'PB-80011'],
    ['a bare array', 400, secretBody.errors, 'PB-80011'],
    ['a 422', 422, secretBody, 'PB-80011'],
    ['no code', 400, { errors: [{ errorDescription: 'nope' }] }, undefined],
  ])(
    'keeps a vendor refusal (%s) an UpstreamError (the gateway built the search, not the caller), with no secret',
    async (_label, status, body, code) => {
      const f = await fake((s) => (s.path.endsWith('/search') ? { status, body } : undefined));
      const c = client(f);
      const err = await listAll(c).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err).toMatchObject({ vendor: 'PITNEY_BOWES', kind: 'http', status, ...(code ? { code } : {}) });
      const message = (err as Error).message;
      if (code) expect(message).toContain(code);
      expect(message).toContain(String(status));
      for (const secret of [API_SECRET, API_KEY, CLIENT_ID, 'tok-', 'Bearer']) expect(message).not.toContain(secret);
    },
  );

  it.each([
    [500, 'http'],
    [502, 'unavailable'],
    [504, 'timeout'],
    [429, 'rate_limited'],
    [404, 'http'],
  ])('turns HTTP %i into an UpstreamError (%s)', async (status, kind) => {
    const f = await fake((s) =>
      s.path.endsWith('/search')
        ? { status, body: { errors: [{ errorCode: 'E1', errorDescription: API_SECRET }] } }
        : undefined,
    );
    const c = client(f);
    const err = await listAll(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind, status, code: 'E1', vendor: 'PITNEY_BOWES' });
    expect((err as Error).message).not.toContain(API_SECRET);
  });

  it('turns an unreachable vendor into UpstreamError unavailable', async () => {
    const f = await fake();
    const base = f.url;
    await f.close();
    const c = createPitneyBowesClient({
      apiUrl: `${base}/shippingservices/fulfillment`,
      oauthUrl: `${base}/oauth/token`,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      clientId: CLIENT_ID,
    });
    open.unshift(c);
    await expect(listAll(c)).rejects.toMatchObject({ name: 'UpstreamError', kind: 'unavailable' });
  });

  it('has the read-only capabilities', async () => {
    const f = await fake();
    const c = client(f);
    expect(c.vendor).toBe('PITNEY_BOWES');
    expect(c.capabilities).toEqual({
      read: true,
      create: false,
      update: false,
      delete: false,
      transitions: false,
      batchLookup: true,
    });
  });
});
