// The Pitney Bowes simulator over real HTTP, checked against the Find Work Orders document and the wire
// assumptions: OAuth, transaction ids, paging, sorting, every search field and the six-month quirk.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPitneyBowesSimulator } from '../../src/simulators/pitney-bowes/index.js';
import {
  DEFAULT_SEED,
  PB_STATUSES,
  WORK_ORDER_COUNT,
  seedWorkOrders,
  type PbWorkOrder,
} from '../../src/simulators/pitney-bowes/data.js';
import type { PitneyBowesSimulator } from '../../src/simulators/types.js';

const SEARCH = 'POST /shippingservices/fulfillment/v1/work-orders/search';
const STATUS_SEARCH = 'POST /shippingservices/fulfillment/v1/work-orders/status/search';
const TOKEN = 'POST /oauth/token';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** A createDate range wide enough to lift the six-month default. */
const ALL_TIME = { name: 'createDate', from: '2000-01-01T00:00:00Z' };
const STATUS_FIELDS = [
  'clientId',
  'clientWorkOrderId',
  'workOrderId',
  'workOrderName',
  'description',
  'type',
  'status',
  'node',
  'workOrderQuantity',
  'startDate',
  'completionDate',
  'startQuantity',
  'completedQuantity',
  'sku',
];

let sim: PitneyBowesSimulator;
let token: string;
let txnSeq = 0;
const txn = () => `t${process.pid}-${Date.now().toString(36)}-${++txnSeq}`;

interface Page {
  totalPages: number;
  totalElements: number;
  first: boolean;
  last: boolean;
  size: number;
  page: number;
  sort: string[];
  workOrders?: PbWorkOrder[];
  workOrderStatusList?: Record<string, unknown>[];
}

const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

async function requestToken(authorization?: string, body = 'grant_type=client_credentials') {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(sim.oauthUrl, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) as Record<string, unknown> };
}

interface SearchOptions {
  route?: 'search' | 'status/search';
  query?: string;
  /** null: no Authorization header. */
  authorization?: string | null;
  /** null: no X-PB-TransactionId header. */
  transactionId?: string | null;
  rawBody?: string;
}

async function search(body: unknown, options: SearchOptions = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const authorization = options.authorization === undefined ? `Bearer ${token}` : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const transactionId = options.transactionId === undefined ? txn() : options.transactionId;
  if (transactionId !== null) headers['x-pb-transactionid'] = transactionId;
  const url = `${sim.apiUrl}/v1/work-orders/${options.route ?? 'search'}${options.query ? `?${options.query}` : ''}`;
  const res = await fetch(url, { method: 'POST', headers, body: options.rawBody ?? JSON.stringify(body) });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: JSON.parse(text) as Page & { errors?: { errorCode: string; errorDescription: string }[] },
  };
}

async function searchOk(body: Record<string, unknown>, options: SearchOptions = {}): Promise<Page> {
  const res = await search({ clientId: sim.clientId, ...body }, options);
  expect(res.status, res.text).toBe(200);
  return res.json;
}

async function all(searchFields: unknown[] = [ALL_TIME], sort?: string[]): Promise<PbWorkOrder[]> {
  const out: PbWorkOrder[] = [];
  for (let page = 1; ; page++) {
    const body = await searchOk({ searchFields, ...(sort ? { sort } : {}) }, { query: `page=${page}&size=100` });
    out.push(...(body.workOrders ?? []));
    if (body.last) return out;
  }
}

const sixMonthsAgo = () => {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() - 6);
  return d.getTime();
};

beforeAll(async () => {
  sim = await startPitneyBowesSimulator();
  const res = await requestToken(basic(sim.apiKey, sim.apiSecret));
  token = res.json.access_token as string;
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

describe('OAuth token', () => {
  it('issues an opaque bearer token for the API key and secret', async () => {
    const before = Date.now();
    const res = await requestToken(basic(sim.apiKey, sim.apiSecret));
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(['access_token', 'clientID', 'expiresIn', 'issuedAt', 'tokenType']);
    expect(res.json.tokenType).toBe('BearerToken');
    expect(res.json.expiresIn).toBe('36000');
    expect(res.json.clientID).toBe(sim.clientId);
    expect(res.json.issuedAt).toBeGreaterThanOrEqual(before);
    expect(res.json.issuedAt).toBeLessThanOrEqual(Date.now());
    expect(res.json.access_token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(res.text).not.toContain(sim.apiKey);
    expect(res.text).not.toContain(sim.apiSecret);
    const again = await requestToken(basic(sim.apiKey, sim.apiSecret));
    expect(again.json.access_token).not.toBe(res.json.access_token);
    expect(sim.tokenCalls()).toBe(2);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a wrong secret', 'WRONG-SECRET'],
    ['a wrong key', 'WRONG-KEY'],
    ['Basic without a colon', 'NO-COLON'],
    ['a Bearer scheme', 'BEARER'],
  ])('refuses %s with 401 and the PB error envelope', async (_label, kind) => {
    const authorization =
      kind === undefined
        ? undefined
        : kind === 'WRONG-SECRET'
          ? basic(sim.apiKey, 'nope')
          : kind === 'WRONG-KEY'
            ? basic('nope', sim.apiSecret)
            : kind === 'NO-COLON'
              ? `Basic ${Buffer.from(sim.apiKey).toString('base64')}`
              : `Bearer ${sim.apiKey}`;
    const res = await requestToken(authorization);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({
      errors: [{ errorCode: 'PB-APIM-ERR-1003', errorDescription: 'Invalid client credentials' }],
    });
    expect(res.text).not.toContain(sim.apiKey);
    expect(res.text).not.toContain(sim.apiSecret);
  });

  it.each([
    ['another grant type', 'grant_type=password'],
    ['no grant type', ''],
    ['a JSON body', '{"grant_type":"client_credentials"}'],
  ])('refuses %s with 400', async (_label, body) => {
    const res = await requestToken(basic(sim.apiKey, sim.apiSecret), body);
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([expect.objectContaining({ errorCode: 'PB-APIM-ERR-1004' })]);
  });

  it('lets tokens expire after the TTL', async () => {
    sim.setTokenTtl(1);
    const res = await requestToken(basic(sim.apiKey, sim.apiSecret));
    expect(res.json.expiresIn).toBe('1');
    const shortLived = res.json.access_token as string;
    expect((await search({ clientId: sim.clientId }, { authorization: `Bearer ${shortLived}` })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await search({ clientId: sim.clientId }, { authorization: `Bearer ${shortLived}` });
    expect(expired.status).toBe(401);
    expect(expired.json.errors?.[0]?.errorCode).toBe('PB-APIM-ERR-1002');
    expect(expired.text).not.toContain(shortLived);
    // Tokens issued before the TTL changed keep their own lifetime.
    expect((await search({ clientId: sim.clientId })).status).toBe(200);
  });
});

describe('search authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['an unknown token', 'Bearer not-a-real-token'],
    ['Basic credentials', 'BASIC'],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 for %s', async (_label, authorization) => {
    const auth = authorization === 'BASIC' ? basic(sim.apiKey, sim.apiSecret) : authorization;
    for (const route of ['search', 'status/search'] as const) {
      const res = await search({ clientId: sim.clientId }, { route, authorization: auth });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.json.errors?.[0]?.errorCode).toBe('PB-APIM-ERR-1001');
      expect(res.text).not.toContain(sim.apiSecret);
      expect(res.text).not.toContain('not-a-real-token');
    }
  });

  it('does not spend the transaction id of a refused call', async () => {
    const id = txn();
    expect((await search({ clientId: sim.clientId }, { authorization: null, transactionId: id })).status).toBe(401);
    expect((await search({ clientId: sim.clientId }, { transactionId: id })).status).toBe(200);
  });
});

describe('X-PB-TransactionId', () => {
  it.each([
    ['missing', null],
    ['empty', ''],
    ['26 characters', 'a'.repeat(26)],
    ['a dot', 'abc.def'],
    ['a space', 'abc def'],
    ['a slash', 'abc/def'],
    ['a dollar', 'abc$def'],
  ])('refuses a %s id with 400', async (_label, transactionId) => {
    const res = await search({ clientId: sim.clientId }, { transactionId });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]?.errorCode).toBe('PB-FUL-ERR-80001');
  });

  it.each([
    ['25 characters', 'A'.repeat(25)],
    ['letters, digits, - and _', 'Ab9_x-Z'],
  ])('accepts %s', async (_label, id) => {
    expect((await search({ clientId: sim.clientId }, { transactionId: id })).status).toBe(200);
  });

  it('refuses a reused id, on either route', async () => {
    const id = txn();
    expect((await search({ clientId: sim.clientId }, { transactionId: id })).status).toBe(200);
    const again = await search({ clientId: sim.clientId }, { transactionId: id });
    expect(again.status).toBe(400);
    expect(again.json.errors?.[0]?.errorCode).toBe('PB-FUL-ERR-80002');
    expect((await search({ clientId: sim.clientId }, { transactionId: id, route: 'status/search' })).status).toBe(400);
  });

  it('spends the id even when the body is refused', async () => {
    const id = txn();
    expect((await search({}, { transactionId: id })).status).toBe(400);
    const retry = await search({ clientId: sim.clientId }, { transactionId: id });
    expect(retry.json.errors?.[0]?.errorCode).toBe('PB-FUL-ERR-80002');
  });

  it('lets exactly one of many concurrent calls with one id through', async () => {
    const id = txn();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => search({ clientId: sim.clientId }, { transactionId: id })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
  });

  it('records the ids of authenticated calls in order, valid or not', async () => {
    await search({ clientId: sim.clientId }, { transactionId: 'first-1' });
    await search({ clientId: sim.clientId }, { transactionId: 'bad id!' });
    await search({ clientId: sim.clientId }, { transactionId: 'third_3', route: 'status/search' });
    await search({ clientId: sim.clientId }, { transactionId: 'unauth', authorization: null });
    expect(sim.transactionIds()).toEqual(['first-1', 'bad id!', 'third_3']);
  });
});

describe('request validation', () => {
  it.each<[string, unknown, string?]>([
    ['an empty body', undefined, ''],
    ['a body that is not JSON', undefined, '{"clientId": '],
    ['an array body', [{ clientId: '1234' }]],
    ['a missing clientId', { sort: ['createDate-asc'] }],
    ['an empty clientId', { clientId: '' }],
    ['a numeric clientId', { clientId: 1234 }],
    ['sort as a string', { clientId: '1234', sort: 'createDate-asc' }],
    ['an unknown sort property', { clientId: '1234', sort: ['workOrderId-asc'] }],
    ['an unknown sort direction', { clientId: '1234', sort: ['createDate-up'] }],
    ['a sort without direction', { clientId: '1234', sort: ['createDate'] }],
    ['a non-string sort entry', { clientId: '1234', sort: [1] }],
    ['searchFields as an object', { clientId: '1234', searchFields: { name: 'status', values: ['CREATED'] } }],
    ['a search field without name', { clientId: '1234', searchFields: [{ values: ['CREATED'] }] }],
    ['a search field that is a string', { clientId: '1234', searchFields: ['status'] }],
    ['status without values', { clientId: '1234', searchFields: [{ name: 'status' }] }],
    ['status with empty values', { clientId: '1234', searchFields: [{ name: 'status', values: [] }] }],
    ['workOrderIds without values', { clientId: '1234', searchFields: [{ name: 'workOrderIds' }] }],
    ['workOrderIds with a number', { clientId: '1234', searchFields: [{ name: 'workOrderIds', values: [42] }] }],
    ['a date field with neither from nor to', { clientId: '1234', searchFields: [{ name: 'createDate' }] }],
    ['a date that is not ISO 8601', { clientId: '1234', searchFields: [{ name: 'createDate', from: 'yesterday' }] }],
    [
      'the document typo hour 016',
      { clientId: '1234', searchFields: [{ name: 'updateDate', to: '2022-04-07T016:00:00-07:00' }] },
    ],
    ['a numeric date', { clientId: '1234', searchFields: [{ name: 'pbCancelDate', from: 1700000000000 }] }],
  ])('answers 400 for %s', async (_label, body, rawBody) => {
    const res = await search(body, { rawBody: rawBody ?? JSON.stringify(body) });
    expect(res.status, res.text).toBe(400);
    expect(res.json.errors).toHaveLength(1);
    expect(res.json.errors?.[0]?.errorCode).toMatch(/^PB-FUL-ERR-800\d\d$/);
    expect(typeof res.json.errors?.[0]?.errorDescription).toBe('string');
  });

  it.each(['page=0', 'page=abc', 'page=1.5', 'size=0', 'size=-1', 'size=ten'])('answers 400 for %s', async (query) => {
    const res = await search({ clientId: sim.clientId }, { query });
    expect(res.status).toBe(400);
    expect(res.json.errors?.[0]?.errorCode).toBe('PB-FUL-ERR-80007');
  });

  it('answers 403 for a clientId other than the configured one', async () => {
    const res = await search({ clientId: '9999', searchFields: [ALL_TIME] });
    expect(res.status).toBe(403);
    expect(res.json.errors?.[0]?.errorCode).toBe('PB-FUL-ERR-80008');
  });
});

describe('pagination', () => {
  it.each([
    ['search', 'workOrders'],
    ['status/search', 'workOrderStatusList'],
  ] as const)('walks every page of %s without duplicates', async (route, listKey) => {
    const seen: string[] = [];
    let totalPages = 0;
    for (let page = 1; ; page++) {
      const body = await searchOk({ searchFields: [ALL_TIME] }, { route, query: `page=${page}&size=17` });
      totalPages = body.totalPages;
      expect(body).toMatchObject({
        totalElements: WORK_ORDER_COUNT,
        size: 17,
        page,
        first: page === 1,
        last: page === totalPages,
      });
      const list = body[listKey] ?? [];
      expect(list.length).toBe(page < totalPages ? 17 : WORK_ORDER_COUNT - 17 * (totalPages - 1));
      seen.push(...list.map((o) => o.workOrderId as string));
      if (body.last) break;
    }
    expect(totalPages).toBe(Math.ceil(WORK_ORDER_COUNT / 17));
    expect(seen).toHaveLength(WORK_ORDER_COUNT);
    expect(new Set(seen).size).toBe(WORK_ORDER_COUNT);
  });

  it('defaults to page 1 of 20 and the envelope keys in document order', async () => {
    const body = await searchOk({ searchFields: [ALL_TIME] });
    expect(Object.keys(body)).toEqual([
      'totalPages',
      'totalElements',
      'first',
      'last',
      'size',
      'page',
      'sort',
      'workOrders',
    ]);
    expect(body).toMatchObject({
      page: 1,
      size: 20,
      first: true,
      last: false,
      totalPages: 11,
      sort: ['createDate-desc'],
    });
    expect(body.workOrders).toHaveLength(20);
  });

  it('caps size at 100', async () => {
    const body = await searchOk({ searchFields: [ALL_TIME] }, { query: 'size=500' });
    expect(body.size).toBe(100);
    expect(body.workOrders).toHaveLength(100);
    expect(body.totalPages).toBe(3);
  });

  it('answers an empty last page past the end', async () => {
    const body = await searchOk({ searchFields: [ALL_TIME] }, { query: 'page=99' });
    expect(body).toMatchObject({ page: 99, first: false, last: true, totalElements: WORK_ORDER_COUNT });
    expect(body.workOrders).toEqual([]);
  });

  it('answers an empty result as one first-and-last page', async () => {
    const body = await searchOk({
      searchFields: [{ name: 'workOrderIds', values: ['WO0000A000000000000'] }, ALL_TIME],
    });
    expect(body).toMatchObject({ totalPages: 0, totalElements: 0, first: true, last: true, workOrders: [] });
  });

  it('reads page and size from the query string, not the body', async () => {
    const body = await searchOk({ searchFields: [ALL_TIME], page: 3, size: 5 });
    expect(body).toMatchObject({ page: 1, size: 20 });
  });
});

describe('sort', () => {
  const properties = ['createDate', 'updateDate', 'pbCreateDate', 'pbUpdateDate'] as const;
  it.each(
    properties.flatMap(
      (p) =>
        [
          [p, 'asc'],
          [p, 'desc'],
        ] as const,
    ),
  )('sorts by %s-%s, ties by workOrderId', async (property, direction) => {
    const orders = await all([ALL_TIME], [`${property}-${direction}`]);
    expect(orders).toHaveLength(WORK_ORDER_COUNT);
    for (let i = 1; i < orders.length; i++) {
      const [a, b] = [orders[i - 1]!, orders[i]!];
      if (a[property] === b[property]) expect(a.workOrderId < b.workOrderId).toBe(true);
      else expect(direction === 'asc' ? a[property]! < b[property]! : a[property]! > b[property]!).toBe(true);
    }
  });

  it('defaults to createDate-desc and echoes the sort it applied', async () => {
    const body = await searchOk({ searchFields: [ALL_TIME], sort: [] });
    expect(body.sort).toEqual(['createDate-desc']);
    const orders = await all();
    expect(orders.map((o) => o.createDate)).toEqual([...orders.map((o) => o.createDate)].sort().reverse());
    const echoed = await searchOk({ sort: ['pbUpdateDate-asc', 'createDate-desc'] });
    expect(echoed.sort).toEqual(['pbUpdateDate-asc', 'createDate-desc']);
  });

  it('applies several sort keys in order', async () => {
    // updateDate equals createDate for most orders, so the second key decides among them.
    const orders = await all([ALL_TIME], ['updateDate-asc', 'pbCreateDate-desc']);
    for (let i = 1; i < orders.length; i++) {
      const [a, b] = [orders[i - 1]!, orders[i]!];
      expect(a.updateDate! <= b.updateDate!).toBe(true);
      if (a.updateDate === b.updateDate) expect(a.pbCreateDate >= b.pbCreateDate).toBe(true);
    }
  });
});

describe('search fields', () => {
  let everything: PbWorkOrder[];
  beforeAll(async () => {
    everything = await all();
  });

  it.each(PB_STATUSES.map((s) => [s]))('filters by status %s', async (status) => {
    const got = await all([ALL_TIME, { name: 'status', values: [status] }]);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBe(everything.filter((o) => o.status === status).length);
    expect(got.every((o) => o.status === status)).toBe(true);
  });

  it('takes several status values as OR, and matches no order for an unknown status', async () => {
    const got = await all([ALL_TIME, { name: 'status', values: ['CREATED', 'INPROGRESS'] }]);
    expect(got.length).toBe(everything.filter((o) => o.status === 'CREATED' || o.status === 'INPROGRESS').length);
    expect(await all([ALL_TIME, { name: 'status', values: ['created'] }])).toEqual([]);
  });

  it('looks up a batch of workOrderIds', async () => {
    const wanted = [everything[0]!, everything[57]!, everything[219]!].map((o) => o.workOrderId);
    const got = await all([ALL_TIME, { name: 'workOrderIds', values: [...wanted, 'WO1234A000000000000'] }]);
    expect(got.map((o) => o.workOrderId).sort()).toEqual([...wanted].sort());
  });

  it('combines search fields with AND', async () => {
    const anOrder = everything.find((o) => o.status === 'CLOSED')!;
    const hit = await all([
      ALL_TIME,
      { name: 'workOrderIds', values: [anOrder.workOrderId] },
      { name: 'status', values: ['CLOSED'] },
    ]);
    expect(hit).toHaveLength(1);
    const miss = await all([
      ALL_TIME,
      { name: 'workOrderIds', values: [anOrder.workOrderId] },
      { name: 'status', values: ['CREATED'] },
    ]);
    expect(miss).toHaveLength(0);
  });

  it('ignores search fields with unknown names, as the document example sends "Brands"', async () => {
    const got = await all([ALL_TIME, { name: 'Brands', values: ['Acme'] }, { name: 'sku' }]);
    expect(got).toHaveLength(WORK_ORDER_COUNT);
  });

  const dateFields = [
    'createDate',
    'updateDate',
    'cancelDate',
    'completionDate',
    'pbCreateDate',
    'pbUpdateDate',
    'pbCancelDate',
  ] as const;
  it.each(dateFields.map((f) => [f]))('filters %s with inclusive from/to, either end open', async (field) => {
    const withField = everything
      .filter((o) => o[field] !== undefined)
      .map((o) => o[field] as string)
      .sort();
    expect(withField.length).toBeGreaterThan(2);
    const from = withField[Math.floor(withField.length / 4)]!;
    const to = withField[Math.floor((withField.length * 3) / 4)]!;
    const expectIn = (lo?: string, hi?: string) =>
      everything.filter(
        (o) => o[field] !== undefined && (lo === undefined || o[field]! >= lo) && (hi === undefined || o[field]! <= hi),
      ).length;

    const both = await all([{ name: field, from, to }]);
    expect(both.length).toBe(expectIn(from, to));
    expect(both.some((o) => o[field] === from) && both.some((o) => o[field] === to)).toBe(true);
    expect((await all([{ name: field, from }])).length).toBe(expectIn(from));
    expect((await all([{ name: field, to }])).length).toBe(expectIn(undefined, to));
    // Orders without the date never match a range on it.
    expect((await all([{ name: field, from: '1970-01-01T00:00:00Z' }])).length).toBe(withField.length);
  });

  it('reads a bare date as the whole day and accepts offsets', async () => {
    const o = everything[100]!;
    const day = o.createDate.slice(0, 10);
    const sameDay = await all([{ name: 'createDate', from: day, to: day }]);
    expect(sameDay.map((x) => x.workOrderId)).toContain(o.workOrderId);
    expect(sameDay.every((x) => x.createDate.startsWith(day))).toBe(true);
    const ms = Date.parse(o.createDate);
    const plus2 = new Date(ms + 2 * 3600_000).toISOString().slice(0, 19) + '+02:00';
    const exact = await all([{ name: 'createDate', from: plus2, to: plus2 }]);
    expect(exact.map((x) => x.workOrderId)).toContain(o.workOrderId);
  });

  it('answers nothing for a range that ends before it starts', async () => {
    expect(await all([{ name: 'createDate', from: '2030-01-01T00:00:00Z', to: '2020-01-01T00:00:00Z' }])).toEqual([]);
  });
});

describe('the six-month default (no date search field)', () => {
  let everything: PbWorkOrder[];
  beforeAll(async () => {
    everything = await all();
  });

  it('returns only orders created in the last six months, which hides most of the seed', async () => {
    const recent = everything.filter((o) => Date.parse(o.createDate) >= sixMonthsAgo());
    expect(recent.length).toBeGreaterThan(20);
    expect(recent.length).toBeLessThan(WORK_ORDER_COUNT / 2);
    const body = await searchOk({});
    expect(body.totalElements).toBe(recent.length);
    const statusBody = await searchOk({}, { route: 'status/search', query: 'size=100' });
    expect(statusBody.workOrderStatusList!.map((o) => o.workOrderId).sort()).toEqual(
      recent.map((o) => o.workOrderId).sort(),
    );
  });

  it('applies to status and workOrderIds searches too', async () => {
    const old = everything.filter((o) => Date.parse(o.createDate) < sixMonthsAgo()).slice(0, 5);
    const fresh = everything.filter((o) => Date.parse(o.createDate) >= sixMonthsAgo()).slice(0, 3);
    const ids = [...old, ...fresh].map((o) => o.workOrderId);
    const body = await searchOk({ searchFields: [{ name: 'workOrderIds', values: ids }] });
    expect(body.workOrders!.map((o) => o.workOrderId).sort()).toEqual(fresh.map((o) => o.workOrderId).sort());
    const closed = await searchOk({ searchFields: [{ name: 'status', values: ['CLOSED'] }] });
    expect(closed.totalElements).toBe(
      everything.filter((o) => o.status === 'CLOSED' && Date.parse(o.createDate) >= sixMonthsAgo()).length,
    );
  });

  it('is lifted by any date search field, not only createDate', async () => {
    const body = await searchOk({ searchFields: [{ name: 'pbUpdateDate', from: '2000-01-01' }] });
    expect(body.totalElements).toBe(WORK_ORDER_COUNT);
    const unknown = await searchOk({ searchFields: [{ name: 'Brands', values: ['Acme'] }] });
    expect(unknown.totalElements).toBeLessThan(WORK_ORDER_COUNT);
  });
});

describe('response shapes', () => {
  it('answers the full Work Orders object on /search and the document subset on /status/search', async () => {
    const full = await searchOk({ searchFields: [ALL_TIME] }, { query: 'size=100' });
    const subset = await searchOk({ searchFields: [ALL_TIME] }, { route: 'status/search', query: 'size=100' });
    expect(Object.keys(subset)).toEqual([
      'totalPages',
      'totalElements',
      'first',
      'last',
      'size',
      'page',
      'sort',
      'workOrderStatusList',
    ]);
    expect(subset.workOrders).toBeUndefined();
    expect(full.workOrderStatusList).toBeUndefined();
    const fullList = full.workOrders!;
    const statusList = subset.workOrderStatusList!;
    expect(statusList.map((o) => o.workOrderId)).toEqual(fullList.map((o) => o.workOrderId));
    statusList.forEach((item, i) => {
      const order = fullList[i]! as unknown as Record<string, unknown>;
      expect(Object.keys(item)).toEqual(STATUS_FIELDS.filter((k) => order[k] !== undefined));
      for (const key of Object.keys(item)) expect(item[key]).toEqual(order[key]);
    });
    const complete = statusList.find((o) => o.status === 'COMPLETE')!;
    expect(Object.keys(complete)).toEqual(STATUS_FIELDS);
  });

  it('gives every full order the document fields, leaving out only what does not apply', async () => {
    const always = [
      'clientId',
      'clientWorkOrderId',
      'workOrderId',
      'workOrderName',
      'description',
      'type',
      'status',
      'node',
      'createDate',
      'updateDate',
      'pbCreateDate',
      'pbUpdateDate',
      'sku',
      'brand',
      'workOrderQuantity',
      'priority',
      'requestedStartDate',
      'requestedCompletionDate',
      'startQuantity',
      'completedQuantity',
      'lotNumbers',
      'rejectedQuantity',
      'scrappedQuantity',
      'workOrderLines',
    ];
    const optional = ['startDate', 'completionDate', 'cancelDate', 'pbCancelDate', 'cancelReason'];
    for (const o of await all()) {
      const keys = Object.keys(o);
      expect(keys).toEqual(expect.arrayContaining(always));
      expect(keys.filter((k) => !always.includes(k)).every((k) => optional.includes(k))).toBe(true);
      expect(Object.values(o)).not.toContain(null);
    }
  });
});

describe('seeded data', () => {
  let everything: PbWorkOrder[];
  beforeAll(async () => {
    everything = await all();
  });

  it('has all five statuses, realistic field sizes and ISO 8601 dates', () => {
    expect(new Set(everything.map((o) => o.status))).toEqual(new Set(PB_STATUSES));
    expect(new Set(everything.map((o) => o.sku)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(everything.map((o) => o.clientWorkOrderId)).size).toBe(WORK_ORDER_COUNT);
    const now = Date.now();
    for (const o of everything) {
      expect(o.workOrderId).toMatch(/^WO1234A\d{12}$/);
      expect(o.workOrderId.length).toBeLessThanOrEqual(25);
      expect(o.clientWorkOrderId).toMatch(/^W-\d{6}$/);
      expect(o.workOrderName.length).toBeLessThanOrEqual(30);
      expect(o.description.length).toBeLessThanOrEqual(250);
      expect(o.sku.length).toBeLessThanOrEqual(30);
      expect(o.brand.length).toBeLessThanOrEqual(50);
      expect(o.type).toBe('KIT');
      expect(['PRIORITY', 'STANDARD']).toContain(o.priority);
      expect(['160', '170', '185']).toContain(o.node);
      expect(o.workOrderLines.length).toBeGreaterThanOrEqual(1);
      expect(o.workOrderLines.length).toBeLessThanOrEqual(4);
      for (const key of [
        'createDate',
        'updateDate',
        'pbCreateDate',
        'pbUpdateDate',
        'requestedStartDate',
        'requestedCompletionDate',
        'startDate',
        'completionDate',
        'cancelDate',
        'pbCancelDate',
      ] as const) {
        if (o[key] !== undefined) expect(o[key]).toMatch(ISO);
      }
      for (const key of [
        'createDate',
        'updateDate',
        'pbCreateDate',
        'pbUpdateDate',
        'startDate',
        'completionDate',
        'cancelDate',
        'pbCancelDate',
      ] as const) {
        if (o[key] !== undefined) expect(Date.parse(o[key]!)).toBeLessThanOrEqual(now);
      }
      expect(o.updateDate! >= o.createDate).toBe(true);
      expect(o.pbCreateDate >= o.createDate).toBe(true);
      expect(o.pbUpdateDate! >= o.pbCreateDate).toBe(true);
      expect(o.requestedCompletionDate > o.requestedStartDate).toBe(true);
      expect(o.completedQuantity + o.rejectedQuantity + o.scrappedQuantity).toBeLessThanOrEqual(o.startQuantity);
      expect(o.startQuantity).toBeLessThanOrEqual(o.workOrderQuantity);
      expect(o.lotNumbers.length > 0).toBe(o.completedQuantity > 0);
      for (const line of o.workOrderLines) {
        expect(line.issuedQuantity % Math.max(o.startQuantity, 1)).toBe(0);
        expect(line.lotNumbers.length > 0).toBe(line.issuedQuantity > 0);
      }
    }
    // Spread over two years: the oldest order is well over a year old.
    expect(Date.parse(everything.at(-1)!.createDate)).toBeLessThan(now - 540 * 86_400_000);
  });

  it.each<[string, (o: PbWorkOrder) => void]>([
    [
      'CREATED',
      (o) => {
        expect([o.startDate, o.completionDate, o.cancelDate, o.pbCancelDate, o.cancelReason]).toEqual([
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
        ]);
        expect([o.startQuantity, o.completedQuantity, o.rejectedQuantity, o.scrappedQuantity]).toEqual([0, 0, 0, 0]);
        expect(o.workOrderLines.every((l) => l.issuedQuantity === 0)).toBe(true);
      },
    ],
    [
      'INPROGRESS',
      (o) => {
        expect(o.startDate).toBeDefined();
        expect([o.completionDate, o.cancelDate, o.cancelReason]).toEqual([undefined, undefined, undefined]);
        expect(o.startDate! >= o.pbCreateDate).toBe(true);
        expect(o.completedQuantity).toBeLessThan(o.startQuantity);
      },
    ],
    [
      'COMPLETE',
      (o) => {
        expect(o.completionDate! >= o.startDate!).toBe(true);
        expect(o.cancelDate).toBeUndefined();
        expect(o.startQuantity).toBe(o.workOrderQuantity);
        expect(o.completedQuantity + o.rejectedQuantity + o.scrappedQuantity).toBe(o.workOrderQuantity);
        expect(o.pbUpdateDate! >= o.completionDate!).toBe(true);
      },
    ],
    [
      'CLOSED',
      (o) => {
        expect(o.completionDate! >= o.startDate!).toBe(true);
        expect(o.cancelDate).toBeUndefined();
        expect(o.completedQuantity + o.rejectedQuantity + o.scrappedQuantity).toBe(o.workOrderQuantity);
        expect(o.pbUpdateDate! >= o.completionDate!).toBe(true);
      },
    ],
    [
      'CANCELED',
      (o) => {
        expect(o.cancelReason).toBeTruthy();
        expect(o.pbCancelDate! >= o.cancelDate!).toBe(true);
        expect(o.cancelDate! >= o.createDate).toBe(true);
        expect(o.completionDate).toBeUndefined();
        if (o.startDate !== undefined) expect(o.cancelDate! >= o.startDate).toBe(true);
        else expect(o.startQuantity).toBe(0);
      },
    ],
  ])('keeps %s orders consistent', (status, check) => {
    const orders = everything.filter((o) => o.status === status);
    expect(orders.length).toBeGreaterThan(0);
    orders.forEach(check);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const now = Date.now();
    const a = seedWorkOrders({ seed: DEFAULT_SEED, clientId: '1234', now });
    expect(seedWorkOrders({ seed: DEFAULT_SEED, clientId: '1234', now })).toEqual(a);
    expect(seedWorkOrders({ seed: 7, clientId: '1234', now }).map((o) => o.workOrderId)).not.toEqual(
      a.map((o) => o.workOrderId),
    );
  });

  it('starts another simulator with its own seed', async () => {
    const other = await startPitneyBowesSimulator({ seed: 7 });
    try {
      const tokenRes = await fetch(other.oauthUrl, {
        method: 'POST',
        headers: {
          authorization: basic(other.apiKey, other.apiSecret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      const { access_token } = (await tokenRes.json()) as { access_token: string };
      const res = await fetch(`${other.apiUrl}/v1/work-orders/search?size=5`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${access_token}`,
          'x-pb-transactionid': txn(),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ clientId: other.clientId, searchFields: [ALL_TIME] }),
      });
      const body = (await res.json()) as Page;
      expect(body.totalElements).toBe(WORK_ORDER_COUNT);
      expect(body.workOrders!.map((o) => o.workOrderId)).not.toEqual(everything.slice(0, 5).map((o) => o.workOrderId));
      // A token from one simulator means nothing to another.
      const foreign = await search({ clientId: sim.clientId }, { authorization: `Bearer ${access_token}` });
      expect(foreign.status).toBe(401);
    } finally {
      await other.close();
    }
  });
});

describe('state rules: the documented API changes no work order', () => {
  it.each([
    ['PUT', '/v1/work-orders/{id}'],
    ['PATCH', '/v1/work-orders/{id}'],
    ['DELETE', '/v1/work-orders/{id}'],
    ['POST', '/v1/work-orders'],
    ['POST', '/v1/work-orders/{id}/cancel'],
    ['POST', '/v1/work-orders/{id}/start'],
    ['POST', '/v1/work-orders/{id}/complete'],
    ['PUT', '/v1/work-orders/{id}/status'],
    ['GET', '/v1/work-orders/search'],
  ])('%s %s is not a route (404, nothing changes)', async (method, path) => {
    const before = (await searchOk({ searchFields: [ALL_TIME] }, { query: 'size=1' })).workOrders![0]!;
    const res = await fetch(`${sim.apiUrl}${path.replace('{id}', before.workOrderId)}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'x-pb-transactionid': txn(), 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify({ clientId: sim.clientId, status: 'CANCELED' }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { errors: { errorCode: string }[] }).errors[0]!.errorCode).toBe('PB-APIM-ERR-1005');
    expect(sim.count(`${method} <unmatched>`)).toBe(1);
    const after = (await searchOk({ searchFields: [{ name: 'workOrderIds', values: [before.workOrderId] }, ALL_TIME] }))
      .workOrders![0];
    expect(after).toEqual(before);
  });
});

describe('counters', () => {
  it('counts requests per route key, failures included', async () => {
    await requestToken(basic(sim.apiKey, sim.apiSecret));
    await requestToken(basic(sim.apiKey, 'wrong'));
    await search({ clientId: sim.clientId });
    await search({ clientId: sim.clientId }, { authorization: null });
    await search({ clientId: sim.clientId }, { route: 'status/search' });
    await fetch(`${sim.apiUrl}/v1/nothing-here`);
    expect(sim.counts()).toEqual({ [TOKEN]: 2, [SEARCH]: 2, [STATUS_SEARCH]: 1, 'GET <unmatched>': 1 });
    expect(sim.count(SEARCH)).toBe(2);
    expect(sim.count('POST /nope')).toBe(0);
    expect(sim.total()).toBe(6);
    expect(sim.tokenCalls()).toBe(2);
    sim.resetCounts();
    expect(sim.total()).toBe(0);
    expect(sim.counts()).toEqual({});
  });
});

describe('fault knobs', () => {
  it('answers every request with the configured status, without spending the transaction id', async () => {
    sim.faults.status = 503;
    const id = txn();
    const res = await search({ clientId: sim.clientId }, { transactionId: id });
    expect(res.status).toBe(503);
    expect((await requestToken(basic(sim.apiKey, sim.apiSecret))).status).toBe(503);
    sim.faults.statusBody = '{"errors":[{"errorCode":"PB-APIM-ERR-5000","errorDescription":"Service unavailable"}]}';
    expect((await search({ clientId: sim.clientId })).json.errors?.[0]?.errorCode).toBe('PB-APIM-ERR-5000');
    delete sim.faults.status;
    expect((await search({ clientId: sim.clientId }, { transactionId: id })).status).toBe(200);
    expect(sim.count(SEARCH)).toBe(3);
  });

  it('answers 200 with a body that is not JSON', async () => {
    sim.faults.garbage = true;
    const res = await fetch(`${sim.apiUrl}/v1/work-orders/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-pb-transactionid': txn() },
      body: JSON.stringify({ clientId: sim.clientId }),
    });
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('drops the connection', async () => {
    sim.faults.reset = true;
    await expect(search({ clientId: sim.clientId })).rejects.toThrow();
    sim.faults.reset = false;
    expect((await search({ clientId: sim.clientId })).status).toBe(200);
  });

  it('delays answers', async () => {
    sim.faults.latencyMs = 150;
    const started = Date.now();
    expect((await search({ clientId: sim.clientId })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('serves one-shot answers first', async () => {
    sim.faults.next = [
      {
        status: 429,
        body: { errors: [{ errorCode: 'PB-APIM-ERR-429', errorDescription: 'Too many requests' }] },
        headers: { 'retry-after': '1' },
      },
    ];
    const first = await search({ clientId: sim.clientId });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await search({ clientId: sim.clientId })).status).toBe(200);
  });
});

describe('reset()', () => {
  it('reseeds the same data and clears counters, faults, transaction ids and the TTL, keeping tokens', async () => {
    const before = await all();
    const id = txn();
    await search({ clientId: sim.clientId }, { transactionId: id });
    sim.setTokenTtl(5);
    sim.faults.status = 500;
    sim.faults.latencyMs = 10;
    sim.reset();
    expect(sim.faults).toEqual({});
    expect(sim.total()).toBe(0);
    expect(sim.transactionIds()).toEqual([]);
    expect(sim.tokenCalls()).toBe(0);
    expect((await search({ clientId: sim.clientId }, { transactionId: id })).status).toBe(200);
    expect((await requestToken(basic(sim.apiKey, sim.apiSecret))).json.expiresIn).toBe('36000');
    expect(await all()).toEqual(before);
  });
});
