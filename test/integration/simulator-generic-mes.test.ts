// The generic MES simulator over real HTTP: it must behave as the vendor document and wire-assumptions.md say,
// because the gateway's integration tests trust it as the vendor.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../src/simulators/generic-mes/auth.js';
import {
  GENERIC_MES_ROUTE_KEYS,
  GENERIC_MES_SIM_API_KEY,
  startGenericMesSimulator,
} from '../../src/simulators/generic-mes/index.js';
import type { GenericMesSimulator } from '../../src/simulators/types.js';

const STATUSES = ['OPEN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'PAUSED', 'ON_HOLD'] as const;
type Status = (typeof STATUSES)[number];
const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'] as const;

const TRANSITIONS: Record<Status, Status[]> = {
  OPEN: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED'],
  IN_PROGRESS: ['PAUSED', 'ON_HOLD', 'COMPLETED'],
  PAUSED: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED'],
  ON_HOLD: ['OPEN', 'IN_PROGRESS', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

const LIST_FIELDS = [
  'id',
  'orderNumber',
  'status',
  'product',
  'quantity',
  'completedQuantity',
  'priority',
  'dueDate',
  'startDate',
  'createdAt',
  'updatedAt',
];
const DETAIL_ONLY = ['customer', 'notes', 'operationIds', 'estimatedCompletionDate', 'completionDate'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let sim: GenericMesSimulator;

interface CallOptions {
  method?: string;
  body?: unknown;
  raw?: string;
  auth?: string | null;
}

async function call(
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; headers: Headers; text: string; json: Json }> {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? `Bearer ${sim.apiKey}` : options.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.apiUrl}${path}`, { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  let json: Json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

async function listAll(query = '', limit = 100): Promise<Json[]> {
  const items: Json[] = [];
  for (let page = 1; ; page++) {
    const res = await call(`/work-orders?page=${page}&limit=${limit}${query}`);
    expect(res.status).toBe(200);
    items.push(...res.json.data);
    if (!res.json.pagination.hasMore) return items;
  }
}

async function allOperations(): Promise<Json[]> {
  const items: Json[] = [];
  for (let page = 1; ; page++) {
    const res = await call(`/operations?page=${page}&limit=100`);
    expect(res.status).toBe(200);
    items.push(...res.json.data);
    if (!res.json.pagination.hasMore) return items;
  }
}

async function orderIn(status: Status): Promise<Json> {
  // ON_HOLD is not a list filter (the document lists five values): found by reading the unfiltered list.
  const item =
    status === 'ON_HOLD'
      ? (await listAll('')).find((o) => o.status === 'ON_HOLD')
      : (await call(`/work-orders?status=${status}&limit=1`)).json.data[0];
  expect(item, `a seeded ${status} order`).toBeDefined();
  return (await call(`/work-orders/${item.id}`)).json.data;
}

function expectError(res: { status: number; json: Json }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.json?.error?.code).toBe(code);
  expect(typeof res.json.error.message).toBe('string');
}

function expectValidation(res: { status: number; json: Json }, field: string, reason?: string) {
  expectError(res, 400, 'VALIDATION_ERROR');
  expect(res.json.error.details.field).toBe(field);
  if (reason) expect(res.json.error.details.reason).toBe(reason);
}

const newOrder = (over: Record<string, unknown> = {}) => ({
  orderNumber: `WO-TEST-${Math.random().toString(36).slice(2, 10)}`,
  product: 'Widget B',
  quantity: 50,
  priority: 'NORMAL',
  dueDate: '2026-12-01T00:00:00Z',
  ...over,
});

beforeAll(async () => {
  sim = await startGenericMesSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

describe('auth', () => {
  it('accepts the Bearer API key, with the scheme in any case', async () => {
    expect((await call('/work-orders')).status).toBe(200);
    expect((await call('/work-orders', { auth: `bearer ${sim.apiKey}` })).status).toBe(200);
  });

  it.each([
    ['no header', null],
    ['a wrong key', 'Bearer not-the-key-3f9a'],
    ['an empty bearer', 'Bearer '],
    ['Basic auth', `Basic ${Buffer.from(`user:${GENERIC_MES_SIM_API_KEY}`).toString('base64')}`],
    ['the bare key', GENERIC_MES_SIM_API_KEY],
    ['a key with a suffix', `Bearer ${GENERIC_MES_SIM_API_KEY}x`],
    ['the key twice', `Bearer ${GENERIC_MES_SIM_API_KEY} ${GENERIC_MES_SIM_API_KEY}`],
  ])('refuses %s with 401 UNAUTHORIZED and never echoes the credential', async (_label, auth) => {
    const res = await call('/work-orders', { auth });
    expectError(res, 401, 'UNAUTHORIZED');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.text).not.toContain(sim.apiKey);
    expect(res.text).not.toContain('not-the-key');
  });

  it.each([
    ['GET', '/work-orders'],
    ['POST', '/work-orders'],
    ['GET', '/work-orders/wo-1001'],
    ['PUT', '/work-orders/wo-1001'],
    ['DELETE', '/work-orders/wo-1001'],
    ['POST', '/work-orders/wo-1001/start'],
    ['POST', '/work-orders/wo-1001/complete'],
    ['GET', '/operations'],
    ['GET', '/operations/op-5001'],
    ['GET', '/no-such-thing'],
  ])('guards %s %s', async (method, path) => {
    const res = await call(path, {
      method,
      auth: null,
      body: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
    expectError(res, 401, 'UNAUTHORIZED');
    // A refused request changes nothing.
    expect((await call('/work-orders/wo-1001')).status).toBe(200);
  });

  it('answers 404 for unknown paths and 405 for a known path with the wrong method', async () => {
    expectError(await call('/widgets'), 404, 'NOT_FOUND');
    const res = await call('/work-orders/wo-1001', { method: 'PATCH', body: { notes: 'x' } });
    expectError(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.get('allow')).toBe('GET, PUT, DELETE');
  });
});

describe('seed', () => {
  it('holds 250 realistic work orders covering every status and priority', async () => {
    const items = await listAll();
    expect(items).toHaveLength(250);
    expect(items[0].id).toBe('wo-1001');
    expect(items[0].orderNumber).toBe('GM-2026-0001');
    expect(items[249].orderNumber).toBe('GM-2026-0250');
    expect(new Set(items.map((o) => o.status))).toEqual(new Set(STATUSES));
    expect(new Set(items.map((o) => o.priority))).toEqual(new Set(PRIORITIES));
    const products = new Set(items.map((o) => o.product));
    expect(products.size).toBeGreaterThanOrEqual(12);
    expect(products).toContain('Widget A');
    const dues = items.map((o) => o.dueDate).sort();
    expect(dues[0] >= '2025-09-01').toBe(true);
    expect(dues.at(-1) <= '2027-03-31T23:59:59Z').toBe(true);
    expect(dues[0] < '2025-10-01').toBe(true);
    expect(dues.at(-1) > '2027-02-01').toBe(true);
    for (let i = 1; i < items.length; i++) expect(items[i].createdAt > items[i - 1].createdAt).toBe(true);
  });

  it('keeps dates, quantities and operations consistent with each status', async () => {
    const details = await Promise.all(
      (await listAll()).map(async (o) => (await call(`/work-orders/${o.id}`)).json.data),
    );
    const customers = new Set(details.map((o) => o.customer).filter(Boolean));
    expect(customers.size).toBeGreaterThanOrEqual(15);
    const ops = new Map((await allOperations()).map((op) => [op.id, op]));
    for (const o of details) {
      for (const f of ['dueDate', 'startDate', 'completionDate', 'estimatedCompletionDate', 'createdAt', 'updatedAt']) {
        if (o[f] !== undefined) expect(o[f]).toMatch(ISO);
      }
      expect(o.updatedAt >= o.createdAt).toBe(true);
      expect(o.completedQuantity).toBeLessThanOrEqual(o.quantity);
      const mustStart = ['IN_PROGRESS', 'PAUSED', 'COMPLETED'].includes(o.status);
      if (mustStart) expect(o.startDate).toBeDefined();
      if (o.status === 'OPEN') {
        expect(o.startDate).toBeUndefined();
        expect(o.completedQuantity).toBe(0);
      }
      if (o.startDate) expect(o.startDate > o.createdAt).toBe(true);
      if (o.status === 'COMPLETED') expect(o.completionDate > o.startDate).toBe(true);
      else expect(o.completionDate).toBeUndefined();

      expect(o.operationIds.length).toBeGreaterThanOrEqual(2);
      expect(o.operationIds.length).toBeLessThanOrEqual(5);
      const mine = o.operationIds.map((id: string) => ops.get(id));
      mine.forEach((op: Json, i: number) => {
        expect(op.workOrderId).toBe(o.id);
        expect(op.sequence).toBe(i + 1);
      });
      const statuses = mine.map((op: Json) => op.status);
      if (o.status === 'COMPLETED') expect(new Set(statuses)).toEqual(new Set(['COMPLETED']));
      if (!o.startDate) expect(new Set(statuses)).toEqual(new Set(['PENDING']));
      if (o.status === 'IN_PROGRESS') expect(statuses.filter((s: string) => s === 'IN_PROGRESS')).toHaveLength(1);
      // Steps run in order: nothing completed after a step that is not.
      const firstOpen = statuses.findIndex((s: string) => s !== 'COMPLETED');
      if (firstOpen >= 0) expect(statuses.slice(firstOpen + 1).every((s: string) => s === 'PENDING')).toBe(true);
      for (const op of mine) {
        if (op.status === 'PENDING') expect([op.startedAt, op.completedAt]).toEqual([null, null]);
        if (op.status === 'IN_PROGRESS') expect(op.startedAt).toMatch(ISO);
        if (op.status === 'COMPLETED') expect(op.completedAt > op.startedAt).toBe(true);
      }
    }
  });
});

describe('GET /work-orders pagination', () => {
  it.each([1, 7, 20, 37, 100])('walks every page with limit %i without duplicates', async (limit) => {
    const items = await listAll('', limit);
    expect(items).toHaveLength(250);
    expect(new Set(items.map((o) => o.id)).size).toBe(250);
  });

  it('defaults to page 1 and limit 20 and reports total and hasMore', async () => {
    const res = await call('/work-orders');
    expect(res.json.data).toHaveLength(20);
    expect(res.json.pagination).toEqual({ page: 1, limit: 20, total: 250, hasMore: true });
    const last = await call('/work-orders?page=13');
    expect(last.json.data).toHaveLength(10);
    expect(last.json.pagination).toEqual({ page: 13, limit: 20, total: 250, hasMore: false });
    const past = await call('/work-orders?page=99');
    expect(past.json.data).toEqual([]);
    expect(past.json.pagination.hasMore).toBe(false);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2.5', 'limit'],
    ['page=0', 'page'],
    ['page=-1', 'page'],
    ['page=first', 'page'],
    ['page=1&page=2', 'page'],
  ])('refuses %s with 400 VALIDATION_ERROR', async (query, field) => {
    expectValidation(await call(`/work-orders?${query}`), field);
  });
});

describe('GET /work-orders filters and sort', () => {
  // The document's list parameter: "Filter by status: OPEN, IN_PROGRESS, COMPLETED, CANCELLED, PAUSED".
  const LIST_STATUSES = STATUSES.filter((s) => s !== 'ON_HOLD');

  it.each(LIST_STATUSES)('filters status=%s', async (status) => {
    const items = await listAll(`&status=${status}`);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((o) => o.status === status)).toBe(true);
  });

  it('the five list filters and the ON_HOLD orders of the unfiltered list partition the whole list', async () => {
    let sum = 0;
    for (const s of LIST_STATUSES) sum += (await call(`/work-orders?status=${s}&limit=1`)).json.pagination.total;
    const onHold = (await listAll('')).filter((o) => o.status === 'ON_HOLD').length;
    expect(onHold).toBeGreaterThan(0);
    expect(sum + onHold).toBe(250);
  });

  it.each(['ON_HOLD', 'open', 'DONE', 'OPEN,PAUSED', 'status=OPEN&status=PAUSED'])(
    'refuses status %s',
    async (value) => {
      const query = value.startsWith('status=') ? value : `status=${value}`;
      expectValidation(await call(`/work-orders?${query}`), 'status');
    },
  );

  it('ignores parameters it does not know (there is no priority filter)', async () => {
    const res = await call('/work-orders?priority=HIGH&limit=100');
    expect(res.json.pagination.total).toBe(250);
  });

  const rank = { LOW: 0, NORMAL: 1, HIGH: 2, CRITICAL: 3 } as Record<string, number>;
  const num = (id: string) => Number(id.slice(3));
  it.each([
    ['createdAt', (o: Json) => o.createdAt],
    ['dueDate', (o: Json) => o.dueDate],
    ['orderNumber', (o: Json) => o.orderNumber],
    ['priority', (o: Json) => rank[o.priority]],
    ['quantity', (o: Json) => o.quantity],
    ['updatedAt', (o: Json) => o.updatedAt],
  ])('sorts by %s both ways, ties by id', async (field, key) => {
    for (const desc of [false, true]) {
      const items = await listAll(`&sort=${desc ? '-' : ''}${field}`);
      expect(items).toHaveLength(250);
      for (let i = 1; i < items.length; i++) {
        const a = key(items[i - 1]);
        const b = key(items[i]);
        if (a === b) expect(num(items[i - 1].id)).toBeLessThan(num(items[i].id));
        else expect(desc ? a > b : a < b).toBe(true);
      }
    }
  });

  it('sorts by createdAt ascending by default and combines sort with a filter', async () => {
    const byDefault = await listAll();
    expect(byDefault.map((o) => o.id)).toEqual((await listAll('&sort=createdAt')).map((o) => o.id));
    const critical = await listAll('&status=OPEN&sort=-priority');
    expect(critical[0].priority).toBe('CRITICAL');
    expect(critical.every((o) => o.status === 'OPEN')).toBe(true);
  });

  it.each(['customer', '-id', '-', 'createdAt,dueDate', 'CreatedAt'])('refuses sort=%s', async (sort) => {
    expectValidation(await call(`/work-orders?sort=${encodeURIComponent(sort)}`), 'sort');
  });
});

describe('shapes', () => {
  it('list items carry only the documented list fields', async () => {
    const items = await listAll();
    for (const o of items) {
      for (const k of Object.keys(o)) expect(LIST_FIELDS).toContain(k);
      for (const k of [
        'id',
        'orderNumber',
        'status',
        'product',
        'quantity',
        'completedQuantity',
        'priority',
        'createdAt',
        'updatedAt',
      ]) {
        expect(o).toHaveProperty(k);
      }
    }
  });

  it('the detail adds customer, notes, operationIds, estimatedCompletionDate and completionDate', async () => {
    const running = await orderIn('IN_PROGRESS');
    expect(Object.keys(running)).toEqual(
      expect.arrayContaining([...LIST_FIELDS, 'operationIds', 'estimatedCompletionDate']),
    );
    expect(running.completionDate).toBeUndefined();
    const completed = await orderIn('COMPLETED');
    expect(completed.completionDate).toMatch(ISO);
    const details = await Promise.all(
      (await listAll()).slice(0, 60).map(async (o) => (await call(`/work-orders/${o.id}`)).json.data),
    );
    for (const k of DETAIL_ONLY)
      expect(
        details.some((d) => k in d),
        k,
      ).toBe(true);
    for (const d of details) for (const k of Object.keys(d)) expect([...LIST_FIELDS, ...DETAIL_ONLY]).toContain(k);
  });

  it('answers 404 NOT_FOUND for an unknown work order', async () => {
    const res = await call('/work-orders/wo-999999');
    expectError(res, 404, 'NOT_FOUND');
    expect(res.json.error.message).toBe('Work order not found');
  });
});

describe('POST /work-orders', () => {
  it('creates an OPEN order with 201, the list shape and its operations', async () => {
    const body = newOrder({ customer: 'Customer Corp', notes: 'Standard order', priority: 'HIGH' });
    const res = await call('/work-orders', { method: 'POST', body });
    expect(res.status).toBe(201);
    const data = res.json.data;
    expect(data).toMatchObject({
      id: 'wo-1251',
      orderNumber: body.orderNumber,
      status: 'OPEN',
      product: 'Widget B',
      quantity: 50,
      completedQuantity: 0,
      priority: 'HIGH',
      dueDate: '2026-12-01T00:00:00Z',
    });
    expect(data.createdAt).toMatch(ISO);
    expect(data.updatedAt).toBe(data.createdAt);
    expect(data.startDate).toBeUndefined();
    expect(data.customer).toBeUndefined();

    const detail = (await call(`/work-orders/${data.id}`)).json.data;
    expect(detail).toMatchObject({ customer: 'Customer Corp', notes: 'Standard order' });
    expect(detail.operationIds.length).toBeGreaterThanOrEqual(2);
    const op = (await call(`/operations/${detail.operationIds[0]}`)).json.data;
    expect(op).toMatchObject({ workOrderId: data.id, sequence: 1, status: 'PENDING', startedAt: null });

    const list = await listAll();
    expect(list).toHaveLength(251);
    expect(list.at(-1).id).toBe(data.id);
  });

  it('defaults priority to NORMAL, takes a date-only dueDate and may leave dueDate out', async () => {
    const a = await call('/work-orders', {
      method: 'POST',
      body: { orderNumber: 'A-1', product: 'Gizmo', quantity: 1 },
    });
    expect(a.status).toBe(201);
    expect(a.json.data.priority).toBe('NORMAL');
    expect(a.json.data.dueDate).toBeUndefined();
    const b = await call('/work-orders', { method: 'POST', body: newOrder({ dueDate: '2026-02-01', priority: null }) });
    expect(b.json.data.dueDate).toBe('2026-02-01T00:00:00Z');
    const c = await call('/work-orders', { method: 'POST', body: newOrder({ dueDate: '2026-02-01T10:00:00+02:00' }) });
    expect(c.json.data.dueDate).toBe('2026-02-01T08:00:00Z');
  });

  it.each([
    [{ orderNumber: undefined }, 'orderNumber', 'REQUIRED'],
    [{ orderNumber: '  ' }, 'orderNumber', 'REQUIRED'],
    [{ orderNumber: 42 }, 'orderNumber', 'MUST_BE_STRING'],
    [{ product: undefined }, 'product', 'REQUIRED'],
    [{ product: '' }, 'product', 'REQUIRED'],
    [{ quantity: undefined }, 'quantity', 'REQUIRED'],
    [{ quantity: 0 }, 'quantity', 'MUST_BE_POSITIVE'],
    [{ quantity: -3 }, 'quantity', 'MUST_BE_POSITIVE'],
    [{ quantity: 2.5 }, 'quantity', 'MUST_BE_INTEGER'],
    [{ quantity: '50' }, 'quantity', 'MUST_BE_INTEGER'],
    [{ priority: 'URGENT' }, 'priority', 'INVALID_VALUE'],
    [{ priority: 'high' }, 'priority', 'INVALID_VALUE'],
    [{ dueDate: 'next week' }, 'dueDate', 'INVALID_DATE'],
    [{ dueDate: '2026-02-30' }, 'dueDate', 'INVALID_DATE'],
    [{ dueDate: '2026-13-01T00:00:00Z' }, 'dueDate', 'INVALID_DATE'],
    [{ dueDate: 1767225600000 }, 'dueDate', 'INVALID_DATE'],
    [{ customer: 7 }, 'customer', 'MUST_BE_STRING'],
    [{ status: 'IN_PROGRESS' }, 'status', 'UNKNOWN_FIELD'],
  ])('refuses %j with 400 on %s', async (over, field, reason) => {
    const res = await call('/work-orders', { method: 'POST', body: newOrder(over) });
    expectValidation(res, field, reason);
    expect((await call('/work-orders?limit=1')).json.pagination.total).toBe(250);
  });

  it.each([
    ['not JSON', '{"orderNumber":', 'INVALID_JSON'],
    ['an array', '[]', 'MUST_BE_OBJECT'],
    ['empty', '', 'MUST_BE_OBJECT'],
  ])('refuses a body that is %s', async (_label, raw, reason) => {
    expectValidation(await call('/work-orders', { method: 'POST', raw }), 'body', reason);
  });

  it('refuses a duplicate orderNumber with 409 CONFLICT', async () => {
    const res = await call('/work-orders', { method: 'POST', body: newOrder({ orderNumber: 'GM-2026-0007' }) });
    expectError(res, 409, 'CONFLICT');
    const body = newOrder();
    expect((await call('/work-orders', { method: 'POST', body })).status).toBe(201);
    expectError(await call('/work-orders', { method: 'POST', body }), 409, 'CONFLICT');
  });
});

describe('PUT /work-orders/:id', () => {
  it('updates fields and answers the partial object of the document', async () => {
    const before = await orderIn('OPEN');
    const res = await call(`/work-orders/${before.id}`, {
      method: 'PUT',
      body: {
        notes: 'Waiting for material',
        priority: 'CRITICAL',
        quantity: before.quantity + 5,
        customer: null,
        dueDate: '2026-10-01',
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.data).toEqual({
      id: before.id,
      orderNumber: before.orderNumber,
      status: 'OPEN',
      notes: 'Waiting for material',
      priority: 'CRITICAL',
      quantity: before.quantity + 5,
      customer: null,
      dueDate: '2026-10-01T00:00:00Z',
      updatedAt: expect.stringMatching(ISO),
    });
    const after = (await call(`/work-orders/${before.id}`)).json.data;
    expect(after).toMatchObject({ notes: 'Waiting for material', priority: 'CRITICAL', quantity: before.quantity + 5 });
    expect(after.customer).toBeUndefined();
    expect(after.updatedAt > before.updatedAt).toBe(true);
  });

  it('answers the document example: status PAUSED with notes', async () => {
    const o = await orderIn('IN_PROGRESS');
    const res = await call(`/work-orders/${o.id}`, {
      method: 'PUT',
      body: { status: 'PAUSED', notes: 'Waiting for material' },
    });
    expect(Object.keys(res.json.data).sort()).toEqual(['id', 'notes', 'orderNumber', 'status', 'updatedAt']);
    expect(res.json.data.status).toBe('PAUSED');
  });

  const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to, TRANSITIONS[from].includes(to)] as const));
  it.each(pairs)('status %s -> %s allowed: %s', async (from, to, allowed) => {
    const o = await orderIn(from);
    const res = await call(`/work-orders/${o.id}`, { method: 'PUT', body: { status: to } });
    const after = (await call(`/work-orders/${o.id}`)).json.data;
    if (allowed) {
      expect(res.status).toBe(200);
      expect(res.json.data.status).toBe(to);
      expect(after.status).toBe(to);
      if (to === 'IN_PROGRESS') expect(after.startDate).toMatch(ISO);
      if (to === 'COMPLETED') expect(after.completionDate).toMatch(ISO);
    } else {
      expectError(res, 409, 'INVALID_STATE_TRANSITION');
      expect(after).toEqual(o);
    }
  });

  it('PUT to IN_PROGRESS and COMPLETED stamps the dates and moves the operations', async () => {
    const o = await orderIn('OPEN');
    const started = await call(`/work-orders/${o.id}`, { method: 'PUT', body: { status: 'IN_PROGRESS' } });
    expect(started.json.data.startDate).toMatch(ISO);
    expect((await call(`/operations/${o.operationIds[0]}`)).json.data.status).toBe('IN_PROGRESS');
    const done = await call(`/work-orders/${o.id}`, { method: 'PUT', body: { status: 'COMPLETED' } });
    expect(done.json.data.completionDate).toMatch(ISO);
    const ops = (await call(`/operations?workOrderId=${o.id}`)).json.data;
    expect(ops.every((op: Json) => op.status === 'COMPLETED' && op.completedAt)).toBe(true);
  });

  it.each([
    [{ status: 'DONE' }, 'status', 'INVALID_VALUE'],
    [{ status: null }, 'status', 'INVALID_VALUE'],
    [{ quantity: 0 }, 'quantity', 'MUST_BE_POSITIVE'],
    [{ quantity: 1.5 }, 'quantity', 'MUST_BE_INTEGER'],
    [{ priority: 'ASAP' }, 'priority', 'INVALID_VALUE'],
    [{ priority: null }, 'priority', 'INVALID_VALUE'],
    [{ orderNumber: '' }, 'orderNumber', 'REQUIRED'],
    [{ product: null }, 'product', 'REQUIRED'],
    [{ dueDate: '31/12/2026' }, 'dueDate', 'INVALID_DATE'],
    [{ notes: 12 }, 'notes', 'MUST_BE_STRING'],
    [{ completedQuantity: 3 }, 'completedQuantity', 'NOT_UPDATABLE'],
    [{ id: 'wo-1' }, 'id', 'NOT_UPDATABLE'],
    [{}, 'body', 'NO_UPDATABLE_FIELDS'],
  ])('refuses %j with 400 and changes nothing', async (body, field, reason) => {
    const o = await orderIn('OPEN');
    expectValidation(
      await call(`/work-orders/${o.id}`, {
        method: 'PUT',
        body: Object.keys(body).length > 0 ? { notes: 'changed', ...body } : body,
      }),
      field,
      reason,
    );
    expect((await call(`/work-orders/${o.id}`)).json.data).toEqual(o);
  });

  it('refuses a quantity below what is already produced', async () => {
    const o = (await listAll('&status=IN_PROGRESS')).find((x) => x.completedQuantity > 1);
    expectValidation(
      await call(`/work-orders/${o.id}`, { method: 'PUT', body: { quantity: 1 } }),
      'quantity',
      'BELOW_COMPLETED_QUANTITY',
    );
  });

  it('refuses to take another order number (409 CONFLICT) but keeps its own', async () => {
    expectError(
      await call('/work-orders/wo-1001', { method: 'PUT', body: { orderNumber: 'GM-2026-0002' } }),
      409,
      'CONFLICT',
    );
    expect((await call('/work-orders/wo-1001', { method: 'PUT', body: { orderNumber: 'GM-2026-0001' } })).status).toBe(
      200,
    );
    expect(
      (await call('/work-orders/wo-1001', { method: 'PUT', body: { orderNumber: 'GM-2026-X1' } })).json.data
        .orderNumber,
    ).toBe('GM-2026-X1');
  });

  it('a refused transition applies none of the other fields', async () => {
    const o = await orderIn('COMPLETED');
    expectError(
      await call(`/work-orders/${o.id}`, { method: 'PUT', body: { status: 'OPEN', notes: 'reopen' } }),
      409,
      'INVALID_STATE_TRANSITION',
    );
    expect((await call(`/work-orders/${o.id}`)).json.data).toEqual(o);
  });

  it('answers 404 for an unknown order', async () => {
    expectError(await call('/work-orders/wo-1', { method: 'PUT', body: { notes: 'x' } }), 404, 'NOT_FOUND');
  });
});

describe('POST /work-orders/:id/start', () => {
  it.each(STATUSES.map((s) => [s, TRANSITIONS[s].includes('IN_PROGRESS')] as const))(
    'from %s allowed: %s',
    async (from, allowed) => {
      const o = await orderIn(from);
      const res = await call(`/work-orders/${o.id}/start`, { method: 'POST' });
      if (allowed) {
        expect(res.status).toBe(200);
        expect(Object.keys(res.json.data).sort()).toEqual(['id', 'startDate', 'status', 'updatedAt']);
        expect(res.json.data).toMatchObject({ id: o.id, status: 'IN_PROGRESS' });
        if (o.startDate) expect(res.json.data.startDate).toBe(o.startDate);
        else expect(res.json.data.startDate).toBe(res.json.data.updatedAt);
      } else {
        expectError(res, 409, 'INVALID_STATE_TRANSITION');
        expect((await call(`/work-orders/${o.id}`)).json.data).toEqual(o);
      }
    },
  );

  it('sets startDate only the first time', async () => {
    const o = await orderIn('OPEN');
    const first = (await call(`/work-orders/${o.id}/start`, { method: 'POST' })).json.data;
    expect((await call(`/operations/${o.operationIds[0]}`)).json.data).toMatchObject({
      status: 'IN_PROGRESS',
      startedAt: first.startDate,
    });
    await call(`/work-orders/${o.id}`, { method: 'PUT', body: { status: 'PAUSED' } });
    const again = (await call(`/work-orders/${o.id}/start`, { method: 'POST' })).json.data;
    expect(again.startDate).toBe(first.startDate);
    const detail = (await call(`/work-orders/${o.id}`)).json.data;
    expect(detail.startDate).toBe(first.startDate);
    expect(detail.estimatedCompletionDate).toMatch(ISO);
    expect(
      (await call(`/operations?workOrderId=${o.id}`)).json.data.filter((op: Json) => op.status === 'IN_PROGRESS'),
    ).toHaveLength(1);
  });

  it('the message says why, as in the document', async () => {
    const o = await orderIn('COMPLETED');
    const res = await call(`/work-orders/${o.id}/start`, { method: 'POST' });
    expect(res.json.error.message).toBe('Cannot start work order that is already completed');
  });

  it('applies concurrent starts on one order one at a time', async () => {
    const o = await orderIn('OPEN');
    const results = await Promise.all(
      Array.from({ length: 12 }, () => call(`/work-orders/${o.id}/start`, { method: 'POST' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(11);
  });

  it('answers 404 for an unknown order', async () => {
    expectError(await call('/work-orders/wo-0/start', { method: 'POST' }), 404, 'NOT_FOUND');
  });
});

describe('POST /work-orders/:id/complete', () => {
  it.each(STATUSES.map((s) => [s, s === 'IN_PROGRESS'] as const))('from %s allowed: %s', async (from, allowed) => {
    const o = await orderIn(from);
    const res = await call(`/work-orders/${o.id}/complete`, {
      method: 'POST',
      body: { completedQuantity: o.quantity },
    });
    if (allowed) {
      expect(res.status).toBe(200);
      expect(res.json.data).toEqual({
        id: o.id,
        status: 'COMPLETED',
        completedQuantity: o.quantity,
        completionDate: expect.stringMatching(ISO),
        updatedAt: res.json.data.completionDate,
      });
    } else {
      expectError(res, 409, 'INVALID_STATE_TRANSITION');
      expect((await call(`/work-orders/${o.id}`)).json.data).toEqual(o);
    }
  });

  it('records notes, completes every operation and keeps the count when none is sent', async () => {
    const o = await orderIn('IN_PROGRESS');
    const res = await call(`/work-orders/${o.id}/complete`, { method: 'POST', body: { notes: 'Production complete' } });
    expect(res.json.data.completedQuantity).toBe(o.completedQuantity);
    const after = (await call(`/work-orders/${o.id}`)).json.data;
    expect(after).toMatchObject({
      status: 'COMPLETED',
      notes: 'Production complete',
      completionDate: res.json.data.completionDate,
    });
    expect(after.estimatedCompletionDate).toBeUndefined();
    const ops = (await call(`/operations?workOrderId=${o.id}`)).json.data;
    expect(ops.every((op: Json) => op.status === 'COMPLETED')).toBe(true);
  });

  it('takes no body at all, and a count of 0', async () => {
    const a = await orderIn('IN_PROGRESS');
    expect((await call(`/work-orders/${a.id}/complete`, { method: 'POST' })).status).toBe(200);
    const b = (await listAll('&status=IN_PROGRESS'))[0];
    const res = await call(`/work-orders/${b.id}/complete`, { method: 'POST', body: { completedQuantity: 0 } });
    expect(res.json.data.completedQuantity).toBe(0);
  });

  it.each([
    [(q: number) => q + 1, 'EXCEEDS_QUANTITY'],
    [() => -1, 'MUST_BE_NON_NEGATIVE'],
    [() => 2.5, 'MUST_BE_INTEGER'],
    [() => '10', 'MUST_BE_INTEGER'],
  ])('refuses a bad completedQuantity (%#) with 400 %s', async (make, reason) => {
    const o = await orderIn('IN_PROGRESS');
    const res = await call(`/work-orders/${o.id}/complete`, {
      method: 'POST',
      body: { completedQuantity: make(o.quantity) },
    });
    expectValidation(res, 'completedQuantity', reason);
    expect((await call(`/work-orders/${o.id}`)).json.data).toEqual(o);
  });

  it('applies concurrent completes one at a time', async () => {
    const o = await orderIn('IN_PROGRESS');
    const results = await Promise.all(
      Array.from({ length: 8 }, () => call(`/work-orders/${o.id}/complete`, { method: 'POST', body: {} })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
  });
});

describe('DELETE /work-orders/:id', () => {
  it.each(STATUSES.map((s) => [s, s !== 'IN_PROGRESS'] as const))('from %s allowed: %s', async (from, allowed) => {
    const o = await orderIn(from);
    const res = await call(`/work-orders/${o.id}`, { method: 'DELETE' });
    if (allowed) {
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expectError(await call(`/work-orders/${o.id}`), 404, 'NOT_FOUND');
      expectError(await call(`/operations/${o.operationIds[0]}`), 404, 'NOT_FOUND');
      expect((await call(`/operations?workOrderId=${o.id}`)).json.data).toEqual([]);
      expect((await call('/work-orders?limit=1')).json.pagination.total).toBe(249);
      expectError(await call(`/work-orders/${o.id}`, { method: 'DELETE' }), 404, 'NOT_FOUND');
    } else {
      expectError(res, 409, 'INVALID_STATE_TRANSITION');
      expect((await call(`/work-orders/${o.id}`)).json.data).toEqual(o);
    }
  });

  it('frees the order number for reuse', async () => {
    const o = await orderIn('CANCELLED');
    await call(`/work-orders/${o.id}`, { method: 'DELETE' });
    expect(
      (await call('/work-orders', { method: 'POST', body: newOrder({ orderNumber: o.orderNumber }) })).status,
    ).toBe(201);
  });
});

describe('operations', () => {
  it('GET /operations/:id answers the assumed shape', async () => {
    const res = await call('/operations/op-5001');
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.data).sort()).toEqual([
      'completedAt',
      'id',
      'name',
      'sequence',
      'startedAt',
      'status',
      'workOrderId',
    ]);
    expect(res.json.data).toMatchObject({ id: 'op-5001', workOrderId: 'wo-1001', sequence: 1 });
    expect(['PENDING', 'IN_PROGRESS', 'COMPLETED']).toContain(res.json.data.status);
    expectError(await call('/operations/op-1'), 404, 'NOT_FOUND');
  });

  it('GET /operations pages through every operation without duplicates', async () => {
    const ops = await allOperations();
    const ids = ops.map((op) => op.id);
    expect(new Set(ids).size).toBe(ids.length);
    const orders = await Promise.all(
      (await listAll()).map(async (o) => (await call(`/work-orders/${o.id}`)).json.data),
    );
    expect(ids.length).toBe(orders.reduce((n, o) => n + o.operationIds.length, 0));
    expect(ids[0]).toBe('op-5001');
    const first = await call('/operations');
    expect(first.json.data).toHaveLength(20);
    expect(first.json.pagination).toEqual({ page: 1, limit: 20, total: ids.length, hasMore: true });
  });

  it('filters by workOrderId in sequence order', async () => {
    const o = await orderIn('IN_PROGRESS');
    const res = await call(`/operations?workOrderId=${o.id}`);
    expect(res.json.data.map((op: Json) => op.id)).toEqual(o.operationIds);
    expect(res.json.data.map((op: Json) => op.sequence)).toEqual(o.operationIds.map((_: string, i: number) => i + 1));
    expect(res.json.pagination.total).toBe(o.operationIds.length);
    expect((await call('/operations?workOrderId=wo-424242')).json).toEqual({
      data: [],
      pagination: { page: 1, limit: 20, total: 0, hasMore: false },
    });
  });

  it.each(['limit=0', 'limit=101', 'page=0', 'page=x'])('refuses %s', async (q) => {
    expectError(await call(`/operations?${q}`), 400, 'VALIDATION_ERROR');
  });
});

describe('counters', () => {
  it('counts requests per route key', async () => {
    await call('/work-orders');
    await call('/work-orders?page=2');
    await call('/work-orders/wo-1001');
    await call('/work-orders/wo-nope');
    await call('/work-orders', { method: 'POST', body: newOrder() });
    await call('/work-orders/wo-1001', { method: 'PUT', body: { notes: 'n' } });
    await call('/work-orders/wo-1001/start', { method: 'POST' });
    await call('/work-orders/wo-1001/complete', { method: 'POST' });
    await call('/work-orders/wo-1002', { method: 'DELETE' });
    await call('/operations');
    await call('/operations/op-5001');
    await call('/elsewhere');
    await call('/work-orders', { auth: null });
    expect(sim.counts()).toEqual({
      'GET /api/v2/work-orders': 3,
      'GET /api/v2/work-orders/:id': 2,
      'POST /api/v2/work-orders': 1,
      'PUT /api/v2/work-orders/:id': 1,
      'POST /api/v2/work-orders/:id/start': 1,
      'POST /api/v2/work-orders/:id/complete': 1,
      'DELETE /api/v2/work-orders/:id': 1,
      'GET /api/v2/operations': 1,
      'GET /api/v2/operations/:id': 1,
      'GET <unmatched>': 1,
    });
    expect(sim.count('GET /api/v2/work-orders/:id')).toBe(2);
    expect(sim.count('GET /api/v2/nothing')).toBe(0);
    expect(sim.total()).toBe(13);
    expect([...GENERIC_MES_ROUTE_KEYS].sort()).toEqual(
      Object.keys(sim.counts())
        .filter((k) => !k.includes('<'))
        .sort(),
    );
    sim.resetCounts();
    expect(sim.counts()).toEqual({});
    expect(sim.total()).toBe(0);
  });

  it('counts a trailing slash under the same key', async () => {
    expect((await call('/work-orders/')).status).toBe(200);
    expect(sim.count('GET /api/v2/work-orders')).toBe(1);
  });
});

describe('fault knobs', () => {
  it('status answers every request with that status', async () => {
    sim.faults.status = 503;
    const res = await call('/work-orders');
    expect(res.status).toBe(503);
    sim.faults.statusBody = '{"error":{"code":"SERVICE_UNAVAILABLE","message":"down"}}';
    expectError(await call('/work-orders/wo-1001'), 503, 'SERVICE_UNAVAILABLE');
    expect(sim.count('GET /api/v2/work-orders')).toBe(1);
  });

  it('garbage answers 200 with a body that is not JSON', async () => {
    sim.faults.garbage = true;
    const res = await call('/work-orders');
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('reset destroys the connection', async () => {
    sim.faults.reset = true;
    await expect(
      fetch(`${sim.apiUrl}/work-orders`, { headers: { authorization: `Bearer ${sim.apiKey}` } }),
    ).rejects.toThrow();
    sim.faults.reset = false;
    expect((await call('/work-orders')).status).toBe(200);
  });

  it('latencyMs delays answers: nothing is answered until the delay has run', async () => {
    // Deterministic, no clock threshold: the simulator's delay runs on a faked setTimeout, so the answer cannot
    // come before the test advances time past it, and comes once it has.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      sim.faults.latencyMs = 150;
      sim.resetCounts();
      let answered = false;
      const pending = call('/work-orders').then((res) => {
        answered = true;
        return res;
      });
      while (sim.count('GET /api/v2/work-orders') === 0) await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(answered).toBe(false);
      vi.advanceTimersByTime(149);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(answered).toBe(false);
      vi.advanceTimersByTime(1);
      expect((await pending).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('next queues one-shot answers', async () => {
    sim.faults.next = [{ status: 502, body: { error: { code: 'BAD_GATEWAY', message: 'upstream' } } }];
    expectError(await call('/work-orders'), 502, 'BAD_GATEWAY');
    expect((await call('/work-orders')).status).toBe(200);
  });
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED with Retry-After beyond the limit, and lifts it when unset', async () => {
    sim.setRateLimit(3);
    for (let i = 0; i < 3; i++) expect((await call('/work-orders?limit=1')).status).toBe(200);
    const res = await call('/work-orders/wo-1001');
    expectError(res, 429, 'RATE_LIMITED');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.text).not.toContain(sim.apiKey);
    sim.setRateLimit(undefined);
    expect((await call('/work-orders/wo-1001')).status).toBe(200);
  });

  it('limits before checking the key, so unauthenticated floods are limited too', async () => {
    sim.setRateLimit(1);
    expect((await call('/work-orders', { auth: null })).status).toBe(401);
    expect((await call('/work-orders')).status).toBe(429);
  });

  it('the window rolls: requests older than a minute no longer count', () => {
    const limiter = new RateLimiter();
    limiter.set(2);
    const t = 1_000_000;
    expect(limiter.take(t)).toBeUndefined();
    expect(limiter.take(t + 10_000)).toBeUndefined();
    const refused = limiter.take(t + 20_000);
    expect(refused?.status).toBe(429);
    expect(refused?.headers?.['retry-after']).toBe('40');
    expect(limiter.take(t + 60_000)).toBeUndefined();
    expect(limiter.take(t + 65_000)?.headers?.['retry-after']).toBe('5');
    expect(limiter.take(t + 70_000)).toBeUndefined();
  });
});

describe('reset()', () => {
  it('reseeds the same data and clears counters, faults and the rate limit', async () => {
    const before = await listAll();
    const createdOrder = (await call('/work-orders', { method: 'POST', body: newOrder() })).json.data;
    const open = await orderIn('OPEN');
    await call(`/work-orders/${open.id}/start`, { method: 'POST' });
    await call(`/work-orders/${(await orderIn('CANCELLED')).id}`, { method: 'DELETE' });
    sim.setRateLimit(1000);
    sim.faults.latencyMs = 5;
    sim.reset();
    expect(sim.counts()).toEqual({});
    expect(sim.faults).toEqual({});
    expect(await listAll()).toEqual(before);
    expectError(await call(`/work-orders/${createdOrder.id}`), 404, 'NOT_FOUND');
    for (let i = 0; i < 3; i++) expect((await call('/operations?limit=1')).status).toBe(200);
    // Ids start over too.
    expect((await call('/work-orders', { method: 'POST', body: newOrder() })).json.data.id).toBe(createdOrder.id);
  });

  it('the same seed gives the same data in another instance; another seed differs', async () => {
    const mine = await listAll();
    const other = await startGenericMesSimulator({ seed: 7 });
    const same = await startGenericMesSimulator();
    try {
      const read = async (s: GenericMesSimulator) =>
        (await (
          await fetch(`${s.apiUrl}/work-orders?limit=100`, { headers: { authorization: `Bearer ${s.apiKey}` } })
        ).json()) as Json;
      expect((await read(same)).data).toEqual(mine.slice(0, 100));
      const otherData = (await read(other)).data;
      expect(otherData).toHaveLength(100);
      expect(otherData).not.toEqual(mine.slice(0, 100));
      expect(same.apiUrl).not.toBe(sim.apiUrl);
    } finally {
      await Promise.all([other.close(), same.close()]);
    }
  });
});
