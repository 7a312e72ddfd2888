// The client against a tiny fake of the vendor on 127.0.0.1 (not src/simulators: those are a separate reading of the
// document, tested on their own). The fake (test/helpers/upstream.ts, one per test) answers what each test tells it
// to and records every request.
import type { CallObserver } from '../../src/vendors/http.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidTransitionError, NotFoundError, UpstreamError, ValidationError } from '../../src/domain/errors.js';
import type { GenericMesWorkOrder, WorkOrderQuery, WorkOrderStatus } from '../../src/domain/model.js';
import { createGenericMesClient } from '../../src/vendors/generic-mes/client.js';
import {
  matchesLocally,
  planListQueries,
  segmentKey,
  type ListPlan,
  type LocalFilter,
} from '../../src/vendors/generic-mes/plan.js';
import { GMES_MECHANISMS, GMES_STATUSES, GMES_TO_UNIFIED } from '../../src/vendors/generic-mes/states.js';
import type { GenericMesClient, TransitionRequest } from '../../src/vendors/types.js';
import { startUpstream, type RecordedRequest, type Reply, type Upstream } from '../helpers/upstream.js';

const API_KEY = 'gmes-test-key-do-not-log';

let upstream: Upstream;
let baseUrl: string;

beforeEach(async () => {
  upstream = await startUpstream(() => ({ status: 500 }));
  baseUrl = `${upstream.url}/api/v2`;
});

const clients: GenericMesClient[] = [];
function client(extra: { observe?: CallObserver } = {}): GenericMesClient {
  const c = createGenericMesClient({ apiUrl: baseUrl, apiKey: API_KEY, transport: { timeoutMs: 5_000, ...extra } });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await upstream.close();
});

// ---------------------------------------------------------------------------------------------------------------
// A vendor list: filters by `status`, pages by `page`/`limit`, in the order given (createdAt ascending).

interface Row {
  id: string;
  orderNumber: string;
  status: string;
  priority: string;
  dueDate: string | null;
}

function wire(row: Row) {
  return {
    ...row,
    product: 'Widget',
    quantity: 10,
    completedQuantity: 0,
    startDate: null,
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
  };
}

function listHandler(rows: Row[], extra: (req: RecordedRequest) => Reply | undefined = () => undefined) {
  return (req: RecordedRequest): Reply => {
    const other = extra(req);
    if (other) return other;
    if (req.method !== 'GET' || req.path !== '/api/v2/work-orders')
      return { status: 404, body: { error: { code: 'NOT_FOUND' } } };
    const page = Number(req.query.page ?? 1);
    const limit = Number(req.query.limit ?? 20);
    const matching = rows.filter((r) => req.query.status === undefined || r.status === req.query.status);
    const data = matching.slice((page - 1) * limit, page * limit).map(wire);
    return {
      status: 200,
      body: { data, pagination: { page, limit, total: matching.length, hasMore: page * limit < matching.length } },
    };
  };
}

const ROWS: Row[] = [
  { id: 'w1', orderNumber: 'WO-A-001', status: 'OPEN', priority: 'LOW', dueDate: '2024-01-10T00:00:00Z' },
  { id: 'w2', orderNumber: 'WO-A-002', status: 'IN_PROGRESS', priority: 'HIGH', dueDate: '2024-01-20T00:00:00Z' },
  { id: 'w3', orderNumber: 'wo-b-003', status: 'ON_HOLD', priority: 'NORMAL', dueDate: null },
  { id: 'w4', orderNumber: 'WO-B-004', status: 'PAUSED', priority: 'CRITICAL', dueDate: '2024-02-01T00:00:00Z' },
  { id: 'w5', orderNumber: 'WO-C-005', status: 'COMPLETED', priority: 'HIGH', dueDate: '2024-01-20T12:00:00Z' },
  { id: 'w6', orderNumber: 'WO-C-006', status: 'CANCELLED', priority: 'LOW', dueDate: '2024-03-01T00:00:00Z' },
  { id: 'w7', orderNumber: 'WO-A-007', status: 'ON_HOLD', priority: 'HIGH', dueDate: '2024-01-15T00:00:00Z' },
  { id: 'w8', orderNumber: 'X-008', status: 'OPEN', priority: 'HIGH', dueDate: '2024-01-31T00:00:00Z' },
  { id: 'w9', orderNumber: 'WO-A-009', status: 'PAUSED', priority: 'NORMAL', dueDate: null },
  { id: 'w10', orderNumber: 'WO-B-010', status: 'OPEN', priority: 'bogus', dueDate: 'not a date' },
];

const d = (iso: string) => new Date(iso);
/** An Instant, as records hold their dates. */
const at = (iso: string) => Date.parse(iso);

async function readAll(c: GenericMesClient, query: WorkOrderQuery) {
  const ids: string[] = [];
  const totals: number[] = [];
  // One segment after another, so the recorded requests come in plan order.
  for (const segment of c.planWorkOrders(query)) {
    const page = await segment.fetch(0, 50);
    ids.push(...page.items.map((w) => w.vendorId));
    totals.push(page.total);
  }
  return { ids, totals };
}

const q = (query: Record<string, string>) => new URLSearchParams(query).toString();
const scan = (status?: string) => q({ page: '1', limit: '100', sort: 'createdAt', ...(status ? { status } : {}) });
const paged = (status?: string) => q({ page: '1', limit: '50', sort: 'createdAt', ...(status ? { status } : {}) });

describe('planWorkOrders: vendor queries for every filter', () => {
  it.each<[string, WorkOrderQuery, string[], string[]]>([
    ['no filter', {}, [paged()], ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10']],
    [
      'empty lists are no filter',
      { statuses: [], priorities: [], orderNumber: '' },
      [paged()],
      ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10'],
    ],
    ['OPEN', { statuses: ['OPEN'] }, [paged('OPEN')], ['w1', 'w8', 'w10']],
    ['IN_PROGRESS', { statuses: ['IN_PROGRESS'] }, [paged('IN_PROGRESS')], ['w2']],
    ['PAUSED', { statuses: ['PAUSED'] }, [paged('PAUSED')], ['w4', 'w9']],
    ['COMPLETED', { statuses: ['COMPLETED'] }, [paged('COMPLETED')], ['w5']],
    ['CANCELLED', { statuses: ['CANCELLED'] }, [paged('CANCELLED')], ['w6']],
    ['ON_HOLD is scanned from the unfiltered list', { statuses: ['ON_HOLD'] }, [scan()], ['w3', 'w7']],
    [
      'statuses in unified order, whatever the order asked',
      { statuses: ['PAUSED', 'OPEN'] },
      [paged('OPEN'), paged('PAUSED')],
      ['w1', 'w8', 'w10', 'w4', 'w9'],
    ],
    ['duplicates asked once', { statuses: ['OPEN', 'OPEN'] }, [paged('OPEN')], ['w1', 'w8', 'w10']],
    ['INCOMPLETE and CLOSED: no call at all', { statuses: ['INCOMPLETE', 'CLOSED'] }, [], []],
    ['a status the vendor lacks is dropped', { statuses: ['CLOSED', 'COMPLETED'] }, [paged('COMPLETED')], ['w5']],
    [
      'ON_HOLD with a filterable status',
      { statuses: ['ON_HOLD', 'IN_PROGRESS'] },
      [paged('IN_PROGRESS'), scan()],
      ['w2', 'w3', 'w7'],
    ],
    ['priorities: scan, exact', { priorities: ['HIGH'] }, [scan()], ['w2', 'w5', 'w7', 'w8']],
    ['unknown vendor priority reads as NORMAL', { priorities: ['NORMAL'] }, [scan()], ['w3', 'w9', 'w10']],
    ['several priorities', { priorities: ['LOW', 'CRITICAL'] }, [scan()], ['w1', 'w4', 'w6']],
    ['orderNumber: case-insensitive substring', { orderNumber: 'wo-a' }, [scan()], ['w1', 'w2', 'w7', 'w9']],
    ['orderNumber matching lower-case data', { orderNumber: 'B-003' }, [scan()], ['w3']],
    ['dueAfter only, inclusive', { dueAfter: d('2024-01-20T00:00:00Z') }, [scan()], ['w2', 'w4', 'w5', 'w6', 'w8']],
    ['dueBefore only, inclusive', { dueBefore: d('2024-01-15T00:00:00Z') }, [scan()], ['w1', 'w7']],
    [
      'due range, both ends inclusive',
      { dueAfter: d('2024-01-15T00:00:00Z'), dueBefore: d('2024-01-20T12:00:00Z') },
      [scan()],
      ['w2', 'w5', 'w7'],
    ],
    [
      'a due filter never matches a missing or bad due date',
      { dueAfter: d('1970-01-01T00:00:00Z') },
      [scan()],
      ['w1', 'w2', 'w4', 'w5', 'w6', 'w7', 'w8'],
    ],
    [
      'status with a local filter scans that status',
      { statuses: ['OPEN'], priorities: ['HIGH'] },
      [scan('OPEN')],
      ['w8'],
    ],
    ['ON_HOLD with a local filter', { statuses: ['ON_HOLD'], orderNumber: 'A-00' }, [scan()], ['w7']],
    [
      'every filter at once',
      {
        statuses: ['OPEN', 'ON_HOLD', 'CLOSED'],
        priorities: ['HIGH', 'LOW'],
        orderNumber: '0',
        dueBefore: d('2024-01-31T00:00:00Z'),
      },
      [scan('OPEN'), scan()],
      ['w1', 'w8', 'w7'],
    ],
  ])('%s', async (_name, query, expectedQueries, expectedIds) => {
    upstream.handler = listHandler(ROWS);
    const { ids } = await readAll(client(), query);
    expect(upstream.requests.map((r) => `${r.method} ${r.path}?${q(r.query)}`)).toEqual(
      expectedQueries.map((s) => `GET /api/v2/work-orders?${s}`),
    );
    expect(ids).toEqual(expectedIds);
  });

  it('makes no call before a segment is fetched', () => {
    upstream.handler = listHandler(ROWS);
    client().planWorkOrders({ statuses: ['ON_HOLD'], priorities: ['HIGH'] });
    expect(upstream.requests).toEqual([]);
  });

  it('sends the API key as a Bearer token on every call', async () => {
    upstream.handler = listHandler(ROWS);
    await readAll(client(), { statuses: ['OPEN', 'ON_HOLD'] });
    expect(upstream.requests.map((r) => r.authorization)).toEqual([`Bearer ${API_KEY}`, `Bearer ${API_KEY}`]);
  });

  it('maps list items as list records (detailed: false, no operations)', async () => {
    upstream.handler = listHandler(ROWS);
    const [segment] = client().planWorkOrders({ statuses: ['OPEN'] });
    const page = await segment!.fetch(0, 1);
    expect(page.items[0]).toMatchObject({
      vendor: 'GENERIC_MES',
      vendorId: 'w1',
      detailed: false,
      operationIds: [],
      customer: null,
    });
    expect(page.total).toBe(3);
  });
});

describe('planListQueries and matchesLocally (pure)', () => {
  it.each<[string, WorkOrderQuery, ListPlan[]]>([
    ['nothing', {}, [{}]],
    ['one filterable status', { statuses: ['CANCELLED'] }, [{ status: 'CANCELLED' }]],
    ['ON_HOLD', { statuses: ['ON_HOLD'] }, [{ keep: { status: 'ON_HOLD' } }]],
    [
      'priorities kept in canonical order',
      { priorities: ['CRITICAL', 'LOW'] },
      [{ keep: { priorities: ['LOW', 'CRITICAL'] } }],
    ],
    [
      'status with orderNumber',
      { statuses: ['PAUSED'], orderNumber: 'x' },
      [{ status: 'PAUSED', keep: { orderNumber: 'x' } }],
    ],
    ['only statuses the vendor lacks', { statuses: ['INCOMPLETE'] }, []],
  ])('%s', (_name, query, expected) => {
    expect(planListQueries(query)).toEqual(expected);
  });

  const wo = (patch: Partial<GenericMesWorkOrder>): GenericMesWorkOrder => ({
    vendor: 'GENERIC_MES',
    vendorId: 'w',
    orderNumber: 'WO-2024-001',
    status: 'OPEN',
    vendorStatus: 'OPEN',
    productName: null,
    quantity: 1,
    completedQuantity: 0,
    priority: 'NORMAL',
    dueDate: at('2024-01-25T00:00:00Z'),
    startDate: null,
    completionDate: null,
    createdAt: null,
    updatedAt: null,
    customer: null,
    notes: null,
    detailed: false,
    operationIds: [],
    estimatedCompletionDate: null,
    ...patch,
  });

  it.each<[string, LocalFilter, Partial<GenericMesWorkOrder>, boolean]>([
    ['empty filter', {}, {}, true],
    ['status match', { status: 'ON_HOLD' }, { status: 'ON_HOLD' }, true],
    ['status miss', { status: 'ON_HOLD' }, { status: 'PAUSED' }, false],
    ['priority match', { priorities: ['NORMAL', 'HIGH'] }, {}, true],
    ['priority miss', { priorities: ['HIGH'] }, {}, false],
    ['orderNumber substring', { orderNumber: '2024' }, {}, true],
    ['orderNumber case', { orderNumber: 'wo-2024-001' }, {}, true],
    ['orderNumber miss', { orderNumber: '2025' }, {}, false],
    ['due at the lower bound', { dueAfter: d('2024-01-25T00:00:00Z') }, {}, true],
    ['due at the upper bound', { dueBefore: d('2024-01-25T00:00:00Z') }, {}, true],
    ['due a millisecond before dueAfter', { dueAfter: d('2024-01-25T00:00:00.001Z') }, {}, false],
    ['due a millisecond after dueBefore', { dueBefore: d('2024-01-24T23:59:59.999Z') }, {}, false],
    ['no due date with a due filter', { dueBefore: d('2030-01-01T00:00:00Z') }, { dueDate: null }, false],
    ['no due date without a due filter', { orderNumber: 'WO' }, { dueDate: null }, true],
  ])('%s', (_name, filter, patch, expected) => {
    expect(matchesLocally(filter, wo(patch))).toBe(expected);
  });

  it.each<[ListPlan, string]>([
    [{}, 'GENERIC_MES:/work-orders?sort=createdAt'],
    [{ status: 'OPEN' }, 'GENERIC_MES:/work-orders?sort=createdAt&status=OPEN'],
    [{ keep: { status: 'ON_HOLD' } }, 'GENERIC_MES:/work-orders?sort=createdAt#keep(status=ON_HOLD)'],
    [
      {
        status: 'PAUSED',
        keep: {
          priorities: ['LOW', 'HIGH'],
          orderNumber: 'A B',
          dueAfter: d('2024-01-01T00:00:00Z'),
          dueBefore: d('2024-02-01T00:00:00Z'),
        },
      },
      'GENERIC_MES:/work-orders?sort=createdAt&status=PAUSED#keep(priorities=LOW,HIGH;orderNumber=a%20b;dueAfter=2024-01-01T00:00:00.000Z;dueBefore=2024-02-01T00:00:00.000Z)',
    ],
  ])('segmentKey(%j)', (plan, expected) => {
    expect(segmentKey(plan)).toBe(expected);
  });

  it('gives the same keys to the same filter written differently', () => {
    const keys = (query: WorkOrderQuery) => planListQueries(query).map(segmentKey);
    expect(keys({ statuses: ['PAUSED', 'OPEN'], priorities: ['HIGH', 'LOW'] })).toEqual(
      keys({ statuses: ['OPEN', 'PAUSED'], priorities: ['LOW', 'HIGH'] }),
    );
  });
});

describe('paging arithmetic', () => {
  const many: Row[] = Array.from({ length: 250 }, (_, i) => ({
    id: `m${i + 1}`,
    orderNumber: `WO-${i + 1}`,
    status: i % 10 === 0 ? 'ON_HOLD' : 'OPEN',
    priority: 'NORMAL',
    dueDate: null,
  }));

  it.each<[string, number, number, string[], string[]]>([
    ['first page', 0, 20, ['1:20'], ['m1', 'm20']],
    ['a window inside one larger page', 30, 20, ['2:25'], ['m31', 'm50']],
    ['a window that fits no page up to 100: two pages of 100', 150, 100, ['2:100', '3:100'], ['m151', 'm250']],
    ['a short tail', 240, 20, ['13:20'], ['m241', 'm250']],
    ['beyond the end', 300, 10, ['31:10'], []],
    ['total only', 0, 0, ['1:1'], []],
  ])('%s (offset %i, limit %i)', async (_name, offset, limit, expectedPages, bounds) => {
    upstream.handler = listHandler(many);
    const [segment] = client().planWorkOrders({});
    const page = await segment!.fetch(offset, limit);
    expect(upstream.requests.map((r) => `${r.query.page}:${r.query.limit}`).sort()).toEqual(expectedPages);
    expect(page.total).toBe(250);
    expect(bounds.length === 0 ? [] : [page.items[0]?.vendorId, page.items.at(-1)?.vendorId]).toEqual(bounds);
  });

  it('scans every page of 100 once, and answers later windows from what it read', async () => {
    upstream.handler = listHandler(many);
    const [segment] = client().planWorkOrders({ statuses: ['ON_HOLD'] });
    const first = await segment!.fetch(0, 10);
    const second = await segment!.fetch(10, 10);
    expect(upstream.requests.map((r) => `${r.query.page}:${r.query.limit}:${r.query.status ?? ''}`).sort()).toEqual([
      '1:100:',
      '2:100:',
      '3:100:',
    ]);
    expect(first.total).toBe(25);
    expect(first.items.map((w) => w.vendorId)).toEqual([
      'm1',
      'm11',
      'm21',
      'm31',
      'm41',
      'm51',
      'm61',
      'm71',
      'm81',
      'm91',
    ]);
    expect(second.items[0]?.vendorId).toBe('m101');
  });

  it('allWorkOrders reads every page of 100', async () => {
    upstream.handler = listHandler(many);
    const all = await client().allWorkOrders();
    expect(all).toHaveLength(250);
    expect(all.map((w) => w.vendorId).slice(0, 2)).toEqual(['m1', 'm2']);
    expect(upstream.requests.map((r) => q(r.query)).sort()).toEqual(
      [1, 2, 3].map((p) => q({ page: String(p), limit: '100', sort: 'createdAt' })),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Lookups

const DETAIL = {
  id: 'wo-123',
  orderNumber: 'WO-2024-001',
  status: 'IN_PROGRESS',
  product: 'Widget A',
  quantity: 100,
  completedQuantity: 45,
  priority: 'HIGH',
  customer: 'Customer Corp',
  dueDate: '2024-01-25T00:00:00Z',
  startDate: '2024-01-15T08:00:00Z',
  estimatedCompletionDate: '2024-01-22T00:00:00Z',
  notes: 'Rush order - expedite processing',
  operationIds: ['op-456', 'op-457', 'op-458'],
  createdAt: '2024-01-15T10:30:00Z',
  updatedAt: '2024-01-15T11:00:00Z',
};

function byIdHandler(prefix: string, make: (id: string) => unknown, delayMs = 0) {
  return (req: RecordedRequest): Reply => {
    const id = decodeURIComponent(req.path.slice(prefix.length));
    if (req.method !== 'GET' || !req.path.startsWith(prefix) || id.startsWith('missing')) {
      return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Work order not found' } }, delayMs };
    }
    return { status: 200, body: { data: make(id) }, delayMs };
  };
}

describe('getWorkOrders', () => {
  it('fetches each key in parallel and answers in the keys order, a NotFoundError per missing key', async () => {
    upstream.handler = byIdHandler('/api/v2/work-orders/', (id) => ({ ...DETAIL, id }), 40);
    const got = await client().getWorkOrders(['a', 'missing-1', 'b', 'c', 'a']);
    expect(got.map((g) => (g instanceof Error ? g.name : g.vendorId))).toEqual(['a', 'NotFoundError', 'b', 'c', 'a']);
    expect(upstream.requests).toHaveLength(4);
    expect(upstream.maxInFlight).toBeGreaterThan(1);
    const missing = got[1];
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).vendor).toBe('GENERIC_MES');
  });

  it('maps the detail with detailed: true', async () => {
    upstream.handler = byIdHandler('/api/v2/work-orders/', () => DETAIL);
    const [wo] = await client().getWorkOrders(['wo-123']);
    expect(wo).toMatchObject({
      vendorId: 'wo-123',
      detailed: true,
      customer: 'Customer Corp',
      notes: 'Rush order - expedite processing',
      operationIds: ['op-456', 'op-457', 'op-458'],
      estimatedCompletionDate: at('2024-01-22T00:00:00Z'),
      productName: 'Widget A',
    });
  });

  it('encodes keys into the path', async () => {
    upstream.handler = byIdHandler('/api/v2/work-orders/', (id) => ({ ...DETAIL, id }));
    await client().getWorkOrders(['a/b?c']);
    expect(upstream.requests[0]?.path).toBe('/api/v2/work-orders/a%2Fb%3Fc');
  });

  it('answers an empty key as not found without a call', async () => {
    upstream.handler = byIdHandler('/api/v2/work-orders/', (id) => ({ ...DETAIL, id }));
    const [got] = await client().getWorkOrders(['']);
    expect(got).toBeInstanceOf(NotFoundError);
    expect(upstream.requests).toEqual([]);
  });

  it('gives each key its own upstream error instead of failing the batch', async () => {
    upstream.handler = (req) =>
      req.path.endsWith('/bad')
        ? { status: 500, body: { error: { code: 'BOOM' } } }
        : byIdHandler('/api/v2/work-orders/', () => DETAIL)(req);
    const [ok, bad] = await client().getWorkOrders(['ok', 'bad']);
    expect(ok).toMatchObject({ vendorId: 'wo-123' });
    expect(bad).toBeInstanceOf(UpstreamError);
    expect(bad).toMatchObject({ vendor: 'GENERIC_MES', status: 500, code: 'BOOM' });
  });

  it('treats a body without data as a bad response', async () => {
    upstream.handler = () => ({ status: 200, body: { data: null } });
    const [got] = await client().getWorkOrders(['x']);
    expect(got).toMatchObject({ name: 'UpstreamError', kind: 'bad_response' });
  });
});

describe('getOperations', () => {
  it('fetches each operation in parallel and maps it', async () => {
    upstream.handler = byIdHandler(
      '/api/v2/operations/',
      (id) => ({
        id,
        workOrderId: 'wo-123',
        name: `Step ${id}`,
        sequence: id === 'op-1' ? 1 : '2',
        status: 'PENDING',
        startedAt: null,
        completedAt: null,
      }),
      30,
    );
    const got = await client().getOperations(['op-1', 'op-2', 'missing-op']);
    expect(upstream.requests.map((r) => r.path).sort()).toEqual([
      '/api/v2/operations/missing-op',
      '/api/v2/operations/op-1',
      '/api/v2/operations/op-2',
    ]);
    expect(upstream.maxInFlight).toBeGreaterThan(1);
    expect(got[0]).toMatchObject({
      vendor: 'GENERIC_MES',
      vendorId: 'op-1',
      name: 'Step op-1',
      sequence: 1,
      status: 'PENDING',
      workOrderId: 'wo-123',
    });
    expect(got[1]).toMatchObject({ vendorId: 'op-2', sequence: 2 });
    expect(got[2]).toBeInstanceOf(NotFoundError);
    expect((got[2] as Error).message).toContain('operation');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Writes

describe('createWorkOrder', () => {
  it('POSTs the create body and maps the 201 answer as a list-like record', async () => {
    upstream.handler = (req) => ({
      status: 201,
      body: { data: { id: 'wo-999', status: 'OPEN', completedQuantity: 0, ...(req.body as object) } },
    });
    const wo = await client().createWorkOrder({
      vendor: 'GENERIC_MES',
      orderNumber: 'WO-2024-NEW',
      quantity: 50,
      priority: 'NORMAL',
      customer: 'Customer Corp',
      dueDate: d('2024-02-01T00:00:00Z'),
      notes: 'Standard order',
      productId: 'Widget B',
    });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/v2/work-orders',
      body: {
        orderNumber: 'WO-2024-NEW',
        product: 'Widget B',
        quantity: 50,
        priority: 'NORMAL',
        customer: 'Customer Corp',
        dueDate: '2024-02-01T00:00:00.000Z',
        notes: 'Standard order',
      },
    });
    expect(wo).toMatchObject({ vendorId: 'wo-999', status: 'OPEN', productName: 'Widget B', detailed: false });
  });

  it('refuses a route without a call', async () => {
    await expect(
      client().createWorkOrder({
        vendor: 'GENERIC_MES',
        orderNumber: 'A',
        quantity: 1,
        productId: 'Widget A',
        routeId: 'r1',
      }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'routeId',
      vendor: 'GENERIC_MES',
    });
    expect(upstream.requests).toEqual([]);
  });

  // The field reaches the ValidationError from the UpstreamError VendorHttp made (err.field), not from its message.
  it.each<[number, string, unknown, string | undefined, string | undefined]>([
    [
      400,
      'quantity',
      {
        error: {
          code: 'VALIDATION_ERROR',
          message: 'Validation failed',
          details: { field: 'quantity', reason: 'MUST_BE_POSITIVE' },
        },
      },
      'quantity',
      'MUST_BE_POSITIVE',
    ],
    [
      400,
      'product is productId to the gateway',
      { error: { code: 'VALIDATION_ERROR', details: { field: 'product', reason: 'REQUIRED' } } },
      'productId',
      'REQUIRED',
    ],
    [400, 'no details', { error: { code: 'VALIDATION_ERROR', message: 'Validation failed' } }, undefined, undefined],
    [
      422,
      'quantity',
      { error: { code: 'VALIDATION_ERROR', details: { field: 'quantity', reason: 'MUST_BE_POSITIVE' } } },
      'quantity',
      'MUST_BE_POSITIVE',
    ],
    [422, 'field only', { error: { code: 'VALIDATION_ERROR', details: { field: 'dueDate' } } }, 'dueDate', undefined],
  ])('a %i VALIDATION_ERROR is a ValidationError (%s)', async (status, _name, body, field, reason) => {
    upstream.handler = () => ({ status, body });
    const err = await client()
      .createWorkOrder({ vendor: 'GENERIC_MES', orderNumber: 'A', quantity: -1, productId: 'Widget A' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ vendor: 'GENERIC_MES', field });
    if (reason) expect((err as Error).message).toContain(reason);
  });
});

describe('updateWorkOrder', () => {
  it('PUTs the updatable fields', async () => {
    upstream.handler = () => ({ status: 200, body: { data: { id: 'wo-1' } } });
    await client().updateWorkOrder('wo-1', {
      orderNumber: 'B',
      productId: 'Widget C',
      quantity: 7,
      priority: 'CRITICAL',
      customer: null,
      dueDate: null,
      notes: 'n',
    });
    expect(upstream.requests).toEqual([
      {
        method: 'PUT',
        path: '/api/v2/work-orders/wo-1',
        query: {},
        authorization: `Bearer ${API_KEY}`,
        body: {
          orderNumber: 'B',
          product: 'Widget C',
          quantity: 7,
          priority: 'CRITICAL',
          customer: null,
          dueDate: null,
          notes: 'n',
        },
      },
    ]);
  });

  it('refuses completedQuantity without a call: only /complete sets it', async () => {
    await expect(client().updateWorkOrder('wo-1', { completedQuantity: 5 })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'completedQuantity',
    });
    expect(upstream.requests).toEqual([]);
  });

  it('makes no call when nothing changes', async () => {
    await client().updateWorkOrder('wo-1', {});
    expect(upstream.requests).toEqual([]);
  });

  it('turns a 404 into NotFoundError', async () => {
    upstream.handler = () => ({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'Work order not found' } } });
    await expect(client().updateWorkOrder('nope', { notes: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('transition', () => {
  const moves = GMES_STATUSES.flatMap((from) =>
    GMES_STATUSES.filter((to) => GMES_MECHANISMS[from][to] !== undefined).map(
      (to) => [GMES_TO_UNIFIED[from], GMES_TO_UNIFIED[to]] as const,
    ),
  );

  // Every allowed move, the call that carries it, and what it sends.
  const EXPECTED_CALL: Record<string, { method: string; path: string; body: unknown }> = {
    'OPEN>IN_PROGRESS': { method: 'POST', path: '/api/v2/work-orders/wo-1/start', body: null },
    'OPEN>ON_HOLD': { method: 'PUT', path: '/api/v2/work-orders/wo-1', body: { status: 'ON_HOLD', notes: 'why' } },
    'OPEN>CANCELLED': { method: 'PUT', path: '/api/v2/work-orders/wo-1', body: { status: 'CANCELLED', notes: 'why' } },
    'IN_PROGRESS>PAUSED': { method: 'PUT', path: '/api/v2/work-orders/wo-1', body: { status: 'PAUSED', notes: 'why' } },
    'IN_PROGRESS>ON_HOLD': {
      method: 'PUT',
      path: '/api/v2/work-orders/wo-1',
      body: { status: 'ON_HOLD', notes: 'why' },
    },
    'IN_PROGRESS>COMPLETED': { method: 'POST', path: '/api/v2/work-orders/wo-1/complete', body: { notes: 'why' } },
    'PAUSED>IN_PROGRESS': {
      method: 'PUT',
      path: '/api/v2/work-orders/wo-1',
      body: { status: 'IN_PROGRESS', notes: 'why' },
    },
    'PAUSED>ON_HOLD': { method: 'PUT', path: '/api/v2/work-orders/wo-1', body: { status: 'ON_HOLD', notes: 'why' } },
    'PAUSED>CANCELLED': {
      method: 'PUT',
      path: '/api/v2/work-orders/wo-1',
      body: { status: 'CANCELLED', notes: 'why' },
    },
    'ON_HOLD>OPEN': { method: 'PUT', path: '/api/v2/work-orders/wo-1', body: { status: 'OPEN', notes: 'why' } },
    'ON_HOLD>IN_PROGRESS': {
      method: 'PUT',
      path: '/api/v2/work-orders/wo-1',
      body: { status: 'IN_PROGRESS', notes: 'why' },
    },
    'ON_HOLD>CANCELLED': {
      method: 'PUT',
      path: '/api/v2/work-orders/wo-1',
      body: { status: 'CANCELLED', notes: 'why' },
    },
  };

  it('covers every allowed move', () => {
    expect(moves.map(([f, t]) => `${f}>${t}`).sort()).toEqual(Object.keys(EXPECTED_CALL).sort());
  });

  it.each(moves)('%s -> %s', async (from, to) => {
    upstream.handler = () => ({ status: 200, body: { data: { id: 'wo-1', status: to } } });
    await client().transition('wo-1', from, { to, reason: 'why' });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject(EXPECTED_CALL[`${from}>${to}`]!);
  });

  it.each<[string, TransitionRequest, unknown]>([
    [
      'completedQuantity and notes',
      { to: 'COMPLETED', completedQuantity: 100, notes: 'Production complete' },
      { completedQuantity: 100, notes: 'Production complete' },
    ],
    ['notes win over a reason', { to: 'COMPLETED', notes: 'n', reason: 'r' }, { notes: 'n' }],
    ['nothing', { to: 'COMPLETED' }, {}],
  ])('complete sends %s', async (_name, change, body) => {
    upstream.handler = () => ({ status: 200, body: { data: { id: 'wo-1', status: 'COMPLETED' } } });
    await client().transition('wo-1', 'IN_PROGRESS', change);
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', path: '/api/v2/work-orders/wo-1/complete', body });
  });

  it('sends a status change without notes when none are given', async () => {
    upstream.handler = () => ({ status: 200, body: { data: {} } });
    await client().transition('wo-1', 'IN_PROGRESS', { to: 'PAUSED' });
    expect(upstream.requests[0]?.body).toEqual({ status: 'PAUSED' });
  });

  const forbidden = (
    ['OPEN', 'IN_PROGRESS', 'PAUSED', 'ON_HOLD', 'COMPLETED', 'CANCELLED', 'INCOMPLETE', 'CLOSED'] as WorkOrderStatus[]
  ).flatMap((from) =>
    (
      [
        'OPEN',
        'IN_PROGRESS',
        'PAUSED',
        'ON_HOLD',
        'COMPLETED',
        'CANCELLED',
        'INCOMPLETE',
        'CLOSED',
      ] as WorkOrderStatus[]
    )
      .filter((to) => !moves.some(([f, t]) => f === from && t === to))
      .map((to) => [from, to] as const),
  );

  // The state table is checked once, by the writes (test/integration/mutations.test.ts proves no call is made);
  // the client sends what it is asked, and the vendor's own 409 is its refusal.
  const VENDOR_TARGETS: readonly WorkOrderStatus[] = [
    'OPEN',
    'IN_PROGRESS',
    'PAUSED',
    'ON_HOLD',
    'COMPLETED',
    'CANCELLED',
  ];
  const sendable = forbidden.filter(([, to]) => VENDOR_TARGETS.includes(to));
  const unsendable = forbidden.filter(([, to]) => !VENDOR_TARGETS.includes(to));

  it.each(sendable)('%s -> %s (forbidden by the table) is sent as asked; the writes refuse it', async (from, to) => {
    upstream.handler = () => ({ status: 200, body: { data: { id: 'wo-1', status: to } } });
    await client().transition('wo-1', from, { to });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject(
      to === 'COMPLETED'
        ? { method: 'POST', path: '/api/v2/work-orders/wo-1/complete' }
        : { method: 'PUT', path: '/api/v2/work-orders/wo-1', body: { status: to } },
    );
  });

  it.each(sendable)("%s -> %s: the vendor's 409 is an InvalidTransitionError", async (from, to) => {
    upstream.handler = () => ({ status: 409, body: { error: { code: 'INVALID_STATE_TRANSITION' } } });
    const err = await client()
      .transition('wo-1', from, { to })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTransitionError);
    expect(err).toMatchObject({ vendor: 'GENERIC_MES', currentStatus: from });
  });

  it.each(unsendable)('%s -> %s (a status the vendor lacks) is refused without a call', async (from, to) => {
    const err = await client()
      .transition('wo-1', from, { to })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTransitionError);
    expect(err).toMatchObject({ vendor: 'GENERIC_MES', currentStatus: from });
    expect(upstream.requests).toEqual([]);
  });

  it('refuses completedQuantity on a move that is not a completion', async () => {
    await expect(
      client().transition('wo-1', 'IN_PROGRESS', { to: 'PAUSED', completedQuantity: 3 }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'completedQuantity',
    });
    expect(upstream.requests).toEqual([]);
  });

  it('a 409 naming a field on a status change is still InvalidTransitionError', async () => {
    upstream.handler = () => ({
      status: 409,
      body: { error: { code: 'INVALID_STATE_TRANSITION', details: { field: 'notes', reason: 'LOCKED' } } },
    });
    const err = await client()
      .transition('wo-1', 'IN_PROGRESS', { to: 'ON_HOLD', notes: 'waiting' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTransitionError);
  });

  it('turns the vendor 409 into InvalidTransitionError with the status the caller gave', async () => {
    upstream.handler = () => ({
      status: 409,
      body: {
        error: { code: 'INVALID_STATE_TRANSITION', message: 'Cannot start work order that is already completed' },
      },
    });
    const err = await client()
      .transition('wo-1', 'OPEN', { to: 'IN_PROGRESS' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTransitionError);
    expect(err).toMatchObject({
      vendor: 'GENERIC_MES',
      currentStatus: 'OPEN',
      allowedTransitions: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED'],
    });
  });

  it('turns a 400 on /complete into ValidationError naming the field', async () => {
    upstream.handler = () => ({
      status: 400,
      body: {
        error: { code: 'VALIDATION_ERROR', details: { field: 'completedQuantity', reason: 'EXCEEDS_QUANTITY' } },
      },
    });
    await expect(
      client().transition('wo-1', 'IN_PROGRESS', { to: 'COMPLETED', completedQuantity: 1000 }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'completedQuantity',
      vendor: 'GENERIC_MES',
    });
  });

  it('turns a 404 into NotFoundError', async () => {
    upstream.handler = () => ({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    await expect(client().transition('nope', 'OPEN', { to: 'CANCELLED' })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('never sends a write twice', async () => {
    upstream.handler = () => ({ status: 503 });
    await expect(client().transition('wo-1', 'OPEN', { to: 'IN_PROGRESS' })).rejects.toMatchObject({
      kind: 'unavailable',
    });
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('deleteWorkOrder', () => {
  it('DELETEs and accepts 204', async () => {
    upstream.handler = () => ({ status: 204 });
    await client().deleteWorkOrder('wo-1');
    expect(upstream.requests).toMatchObject([{ method: 'DELETE', path: '/api/v2/work-orders/wo-1', body: null }]);
  });

  it('turns a 409 into InvalidTransitionError: only an IN_PROGRESS order cannot be deleted', async () => {
    upstream.handler = () => ({ status: 409, body: { error: { code: 'INVALID_STATE_TRANSITION' } } });
    const err = await client()
      .deleteWorkOrder('wo-1')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidTransitionError);
    expect(err).toMatchObject({ currentStatus: 'IN_PROGRESS', requested: 'delete' });
  });

  it('turns a 404 into NotFoundError', async () => {
    upstream.handler = () => ({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    await expect(client().deleteWorkOrder('nope')).rejects.toMatchObject({
      name: 'NotFoundError',
      vendor: 'GENERIC_MES',
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Auth, rate limits, secrecy, wiring

describe('transport', () => {
  it('a 401 is not retried: a static key cannot be refreshed', async () => {
    upstream.handler = () => ({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: `bad key ${API_KEY}` } },
    });
    const [got] = await client().getWorkOrders(['wo-1']);
    expect(got).toBeInstanceOf(UpstreamError);
    expect(got).toMatchObject({ kind: 'auth', status: 401, code: 'UNAUTHORIZED' });
    expect((got as Error).message).not.toContain(API_KEY);
    expect(upstream.requests).toHaveLength(1);
  });

  it('a 429 is rate_limited with Retry-After', async () => {
    upstream.handler = () => ({
      status: 429,
      body: { error: { code: 'RATE_LIMITED' } },
      headers: { 'retry-after': '7' },
    });
    const [segment] = client().planWorkOrders({});
    await expect(segment!.fetch(0, 20)).rejects.toMatchObject({
      name: 'UpstreamError',
      kind: 'rate_limited',
      retryAfterSeconds: 7,
    });
  });

  it('keeps secrets from error bodies out of messages', async () => {
    upstream.handler = () => ({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_ERROR',
          message: `secret=${API_KEY}`,
          details: { field: 'notes', reason: `contains ${API_KEY}` },
        },
      },
    });
    const err = (await client()
      .createWorkOrder({
        vendor: 'GENERIC_MES',
        orderNumber: 'A',
        quantity: 1,
        productId: 'Widget A',
        notes: 'top secret body',
      })
      .catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ name: 'ValidationError', field: 'notes' });
    expect(err.message).not.toContain(API_KEY);
    expect(err.message).not.toContain('top secret body');
  });

  it('reports capabilities', () => {
    expect(client().capabilities).toEqual({
      read: true,
      create: true,
      update: true,
      delete: true,
      transitions: true,
      batchLookup: false,
    });
    expect(client().vendor).toBe('GENERIC_MES');
  });

  it('tells the observer about each call', async () => {
    const events: { operation: string; status: number | 'error' }[] = [];
    upstream.handler = byIdHandler('/api/v2/work-orders/', () => DETAIL);
    await client({ observe: (e) => events.push({ operation: e.operation, status: e.status }) }).getWorkOrders([
      'a',
      'missing',
    ]);
    expect(events.sort((a, b) => String(a.status).localeCompare(String(b.status)))).toEqual([
      { operation: 'getWorkOrder', status: 200 },
      { operation: 'getWorkOrder', status: 404 },
    ]);
  });

  it('refuses an empty API key at creation', () => {
    expect(() => createGenericMesClient({ apiUrl: baseUrl, apiKey: '' })).toThrow(/API key is empty/);
  });
});
