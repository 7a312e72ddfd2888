// The DotZero simulator over real HTTP: auth and refresh, lists and their filter quirks, shapes, validation,
// the status table, counters, fault knobs and reset().
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDotZeroSimulator } from '../../src/simulators/dotzero/index.js';
import type { DotZeroSimulator } from '../../src/simulators/types.js';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Answer {
  status: number;
  body: Json;
  text: string;
  headers: Headers;
}

let sim: DotZeroSimulator;
let token: string;

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: Json;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text, headers: res.headers };
}

function api(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const bearer = init.token === undefined ? token : init.token;
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return call(`${sim.workOrderApiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
}

const get = async (path: string) => {
  const res = await api(path);
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.body;
};

async function walk(path: string, limit: number): Promise<Json[]> {
  const items: Json[] = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let start = 0; ; start += limit) {
    const page = await get(`${path}${sep}start=${start}&limit=${limit}`);
    expect(page.data.length).toBeLessThanOrEqual(limit);
    items.push(...page.data);
    if (start + limit >= page.total) {
      expect(items).toHaveLength(page.total);
      return items;
    }
  }
}

const allWorkOrders = () => walk('/v1/workOrders', 100);
const firstWith = async (pred: (wo: Json) => boolean) => {
  const wo = (await allWorkOrders()).find(pred);
  expect(wo).toBeDefined();
  return wo;
};
const patch = (uuid: string, body: unknown) => api(`/v1/workOrders/${uuid}`, { method: 'PATCH', body });
const refresh = (tenantId: string, body: unknown) =>
  call(`${sim.userApiUrl}/v2/auth/token?tenantID=${encodeURIComponent(tenantId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

beforeAll(async () => {
  sim = await startDotZeroSimulator();
  token = sim.issueCredentials().token;
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  // Some tests revoke every token issued so far; each test starts with its own.
  token = sim.issueCredentials().token;
});

describe('seed', () => {
  it('has ~300 realistic, internally consistent work orders', async () => {
    const orders = await allWorkOrders();
    expect(orders).toHaveLength(300);
    expect(new Set(orders.map((o) => o.status))).toEqual(new Set([1, 2, 3, 4]));
    const asap = orders.filter((o) => o.is_asap).length;
    expect(asap).toBeGreaterThan(30);
    expect(asap).toBeLessThan(90);
    const noRoute = orders.filter((o) => o.route_uuid === null).length;
    expect(noRoute).toBeGreaterThan(0);
    expect(noRoute).toBeLessThan(30);
    expect(orders[0].created_at).toBe('2025-06-01T01:00:00.000Z');
    for (const [i, o] of orders.entries()) {
      expect(o.work_order_id).toMatch(/^WO-20(25|26)-\d{4}$/);
      if (i > 0) expect(o.created_at > orders[i - 1].created_at).toBe(true);
      expect(o.deadline >= '2025-09-01' && o.deadline < '2027-04-01').toBe(true);
      expect(o.good).toBeLessThanOrEqual(o.qty);
      expect(o.start_time === null).toBe(o.status === 1);
      expect(o.end_time === null).toBe(o.status === 1 || o.status === 2);
      if (o.status === 1) expect(o.good).toBe(0);
      if (o.end_time) expect(o.end_time > o.start_time).toBe(true);
    }
    expect(new Set(orders.map((o) => o.work_order_id)).size).toBe(300);
    expect(orders.map((o) => o.work_order_id)).toContain('WO-2026-0001');
  });

  it('has the master data the brief asks for', async () => {
    expect((await get('/v1/products?limit=100')).total).toBe(20);
    expect((await get('/v1/routes?limit=100')).total).toBe(30);
    expect((await get('/v1/warehouse')).total).toBe(3);
    expect((await get('/v1/warehouseStorage')).total).toBe(10);
    expect((await get('/v1/worker')).total).toBe(15);
    const history = await walk('/v1/workOrderOpHistory', 100);
    expect(new Set(history.map((h) => h.device_uuid)).size).toBe(8);
    expect(new Set(history.map((h) => h.worker_uuid)).size).toBeLessThanOrEqual(15);
    expect(new Set(history.map((h) => h.operation_uuid)).size).toBeLessThanOrEqual(12);
  });

  it('is the same for the same seed and different for another', async () => {
    const same = await startDotZeroSimulator();
    const other = await startDotZeroSimulator({ seed: 7 });
    try {
      const read = async (s: DotZeroSimulator) =>
        (
          await call(`${s.workOrderApiUrl}/v1/workOrders?limit=5`, {
            headers: { authorization: `Bearer ${s.issueCredentials().token}` },
          })
        ).body;
      expect(await read(same)).toEqual(await get('/v1/workOrders?limit=5'));
      expect(await read(other)).not.toEqual(await get('/v1/workOrders?limit=5'));
    } finally {
      await Promise.all([same.close(), other.close()]);
    }
  });
});

describe('auth', () => {
  it('accepts a fresh JWT carrying exp, iat, tenant_id and sub', async () => {
    const creds = sim.issueCredentials();
    expect(creds.tenantId).toBe(sim.tenantId);
    expect(creds.token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const c = claims(creds.token);
    expect(c).toMatchObject({ tenant_id: sim.tenantId, sub: expect.any(String) });
    expect(c.exp - c.iat).toBe(3600);
    expect(Date.parse(creds.expiresAt) / 1000).toBe(c.exp);
    expect((await api('/v1/workOrders', { token: creds.token })).status).toBe(200);
  });

  const tampered = () => {
    const [h, p, s] = sim.issueCredentials().token.split('.') as [string, string, string];
    const payload = Buffer.from(JSON.stringify({ ...claims(`${h}.${p}.${s}`), exp: 4_000_000_000 })).toString(
      'base64url',
    );
    return `${h}.${payload}.${s}`;
  };
  it.each([
    ['missing', () => null, 'UNAUTHORIZED'],
    ['not a JWT', () => 'not-a-jwt', 'UNAUTHORIZED'],
    ['tampered payload', tampered, 'UNAUTHORIZED'],
    ['bad signature', () => `${sim.issueCredentials().token.slice(0, -4)}AAAA`, 'UNAUTHORIZED'],
    ['expired', () => sim.issueCredentials(-5).token, 'TOKEN_EXPIRED'],
  ])('refuses a %s token with 401 and never echoes it', async (_label, make, code) => {
    const bad = make();
    const res = await api('/v1/workOrders', { token: bad });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code, message: expect.any(String) });
    if (bad) expect(res.text).not.toContain(bad);
  });

  it('refuses a token from another simulator instance', async () => {
    const other = await startDotZeroSimulator();
    try {
      expect((await api('/v1/workOrders', { token: other.issueCredentials().token })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('revokeAccessTokens() makes every token issued so far answer 401, and new ones work', async () => {
    const before = sim.issueCredentials().token;
    expect((await api('/v1/products', { token: before })).status).toBe(200);
    sim.revokeAccessTokens();
    expect((await api('/v1/products', { token: before })).status).toBe(401);
    expect((await api('/v1/products', { token })).status).toBe(401);
    token = sim.issueCredentials().token;
    expect((await api('/v1/products')).status).toBe(200);
  });

  it.each([
    ['GET', '/v1/workOrders'],
    ['GET', '/v1/workOrders/WO-2025-0001'],
    ['POST', '/v1/workOrders/details'],
    ['POST', '/v1/workOrders'],
    ['PATCH', '/v1/workOrders/x'],
    ['DELETE', '/v1/workOrders/x'],
    ['GET', '/v1/count/workOrders'],
    ['GET', '/v1/products'],
    ['GET', '/v1/products/x'],
    ['GET', '/v1/routes'],
    ['GET', '/v1/routes/x'],
    ['GET', '/v1/routes/x/byProductUuid'],
    ['GET', '/v1/routeOperation/x/byRouteUuid'],
    ['GET', '/v1/operation/x'],
    ['GET', '/v1/workOrderOpHistory'],
    ['GET', '/v1/workOrderOpHistory/x/byWorkOrderUuid'],
    ['GET', '/v1/warehouse'],
    ['GET', '/v1/warehouse/x'],
    ['GET', '/v1/warehouseStorage'],
    ['GET', '/v1/warehouseStorage/x'],
    ['GET', '/v1/productStorage/x/byProductUuid'],
    ['GET', '/v1/worker'],
    ['GET', '/v1/worker/x'],
  ])('%s %s requires a bearer token', async (method, path) => {
    const res = await api(path, {
      method,
      token: null,
      ...(method === 'POST' || method === 'PATCH' ? { body: {} } : {}),
    });
    expect(res.status).toBe(401);
  });
});

describe('token refresh (user API)', () => {
  it('answers a new JWT as a JSON string that the work-order API accepts', async () => {
    const { refreshToken, tenantId } = sim.issueCredentials();
    const res = await refresh(tenantId, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(res.status).toBe(200);
    expect(res.text.startsWith('"eyJ')).toBe(true);
    expect(typeof res.body).toBe('string');
    const c = claims(res.body);
    expect(c.exp - c.iat).toBe(3600);
    expect(c.tenant_id).toBe(tenantId);
    expect((await api('/v1/workOrders', { token: res.body })).status).toBe(200);
    expect(sim.refreshCalls()).toBe(1);
    expect(sim.count('POST /v2/auth/token')).toBe(1);
    expect(sim.counts()['POST /v2/auth/token']).toBe(1);
  });

  it('issues tokens with the configured lifetime, reset() restores the default', async () => {
    const { refreshToken, tenantId } = sim.issueCredentials();
    sim.setRefreshTtl(120);
    let res = await refresh(tenantId, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(claims(res.body).exp - claims(res.body).iat).toBe(120);
    sim.setRefreshTtl(-1);
    res = await refresh(tenantId, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect((await api('/v1/workOrders', { token: res.body })).status).toBe(401);
    sim.reset();
    res = await refresh(tenantId, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(claims(res.body).exp - claims(res.body).iat).toBe(3600);
  });

  it('keeps working after revokeAccessTokens()', async () => {
    const { refreshToken, tenantId } = sim.issueCredentials();
    sim.revokeAccessTokens();
    const res = await refresh(tenantId, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect((await api('/v1/workOrders', { token: res.body })).status).toBe(200);
  });

  it.each([
    ['wrong tenant', 'other-tenant', (rt: string) => ({ grant_type: 'refresh_token', refresh_token: rt }), 401],
    ['missing tenant', '', (rt: string) => ({ grant_type: 'refresh_token', refresh_token: rt }), 401],
    ['wrong refresh token', null, (rt: string) => ({ grant_type: 'refresh_token', refresh_token: `${rt}x` }), 401],
    ['missing refresh token', null, () => ({ grant_type: 'refresh_token' }), 401],
    ['wrong grant type', null, (rt: string) => ({ grant_type: 'password', refresh_token: rt }), 400],
  ])('refuses a %s', async (_label, tenant, body, status) => {
    const { refreshToken, tenantId } = sim.issueCredentials();
    const sent: { grant_type: string; refresh_token?: string } = body(refreshToken);
    const res = await refresh(tenant ?? tenantId, sent);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ message: expect.any(String), code: expect.any(String) });
    expect(res.text).not.toContain(refreshToken);
    if (typeof sent.refresh_token === 'string') expect(res.text).not.toContain(sent.refresh_token);
  });

  it('serves only the refresh route', async () => {
    const res = await call(`${sim.userApiUrl}/v1/workOrders`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
    expect(sim.count('GET <unmatched>')).toBe(1);
  });
});

describe('GET /v1/workOrders', () => {
  it('answers {data,total} with 20 by default, ordered by created_at', async () => {
    const page = await get('/v1/workOrders');
    expect(page.total).toBe(300);
    expect(page.data).toHaveLength(20);
    expect(page.data[0].work_order_id).toBe('WO-2025-0001');
    expect(Object.keys(page.data[0]).sort()).toEqual(
      [
        'uuid',
        'work_order_id',
        'qty',
        'good',
        'status',
        'deadline',
        'order_due_date',
        'is_asap',
        'work_order_priority_ranking',
        'memo',
        'route_uuid',
        'default_warehouse_uuid',
        'default_warehouse_storage_uuid',
        'start_time',
        'end_time',
        'created_at',
        'updated_at',
      ].sort(),
    );
  });

  it.each([1, 7, 37, 100])('walks every page with limit %i: no duplicates, no gaps', async (limit) => {
    const orders = await walk('/v1/workOrders', limit);
    expect(orders).toHaveLength(300);
    expect(new Set(orders.map((o) => o.uuid)).size).toBe(300);
  });

  it('answers an empty page past the end, with the total', async () => {
    expect(await get('/v1/workOrders?start=1000')).toEqual({ data: [], total: 300 });
    expect((await get('/v1/workOrders?start=290')).data).toHaveLength(10);
  });

  it.each([
    'limit=0',
    'limit=101',
    'limit=-1',
    'limit=abc',
    'limit=2.5',
    'start=-1',
    'start=x',
    'status=0',
    'status=5',
    'status=open',
    'is_asap=yes',
    'is_asap=1',
    'deadlineTimeStart=tomorrow&deadlineTimeEnd=2026-01-01T00:00:00Z',
    'startTimeStart=2026-01-01T00:00:00Z&startTimeEnd=2026-13-45',
  ])('refuses %s with 422', async (query) => {
    const res = await api(`/v1/workOrders?${query}`);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.any(String) });
  });

  it.each([1, 2, 3, 4])('filters by status=%i, and /v1/count agrees', async (status) => {
    const orders = await walk(`/v1/workOrders?status=${status}`, 100);
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((o) => o.status === status)).toBe(true);
    expect((await get(`/v1/count/workOrders?status=${status}`)).count).toBe(orders.length);
  });

  it('matches workOrderID partially and case-insensitively', async () => {
    const all = await allWorkOrders();
    const page = await get('/v1/workOrders?workOrderID=wo-2026-00&limit=100');
    const expected = all.filter((o) => o.work_order_id.startsWith('WO-2026-00'));
    expect(page.total).toBe(expected.length);
    expect(page.data.map((o: Json) => o.uuid)).toEqual(expected.slice(0, 100).map((o) => o.uuid));
    expect((await get('/v1/workOrders?workOrderID=0001')).total).toBe(2);
    expect((await get('/v1/workOrders?workOrderID=nothing-like-this')).total).toBe(0);
  });

  it.each([true, false])('filters by is_asap=%s', async (flag) => {
    const all = await allWorkOrders();
    const orders = await walk(`/v1/workOrders?is_asap=${flag}`, 100);
    expect(orders.length).toBe(all.filter((o) => o.is_asap === flag).length);
    expect(orders.every((o) => o.is_asap === flag)).toBe(true);
  });

  it('combines filters (in-progress rush orders, as in the document)', async () => {
    const all = await allWorkOrders();
    const page = await get('/v1/workOrders/?status=2&is_asap=true&limit=10');
    expect(page.total).toBe(all.filter((o) => o.status === 2 && o.is_asap).length);
    expect(page.data.every((o: Json) => o.status === 2 && o.is_asap)).toBe(true);
  });

  it.each([
    ['startTimeStart', 'startTimeEnd', 'start_time'],
    ['endTimeStart', 'endTimeEnd', 'end_time'],
    ['deadlineTimeStart', 'deadlineTimeEnd', 'deadline'],
  ])('%s/%s filter %s with inclusive bounds', async (from, to, field) => {
    const all = await allWorkOrders();
    const withField = all.filter((o) => o[field] !== null);
    const a = withField[10][field];
    const b = withField[40][field];
    const [lo, hi] = a < b ? [a, b] : [b, a];
    const expected = all.filter((o) => o[field] !== null && o[field] >= lo && o[field] <= hi);
    const orders = await walk(`/v1/workOrders?${from}=${lo}&${to}=${hi}`, 100);
    expect(orders.map((o) => o.uuid)).toEqual(expected.map((o) => o.uuid));
    // Both bounds are inclusive: a range of one instant finds the order at that instant.
    const exact = await get(`/v1/workOrders?${from}=${a}&${to}=${a}`);
    expect(exact.data.map((o: Json) => o.uuid)).toContain(withField[10].uuid);
    expect((await get(`/v1/count/workOrders?${from}=${lo}&${to}=${hi}`)).count).toBe(expected.length);
  });

  it.each(['startTimeStart', 'startTimeEnd', 'endTimeStart', 'endTimeEnd', 'deadlineTimeStart', 'deadlineTimeEnd'])(
    'a lone %s answers 0 results with total 0 (list and count)',
    async (name) => {
      const q = `${name}=2026-01-24T00:00:00Z`;
      expect(await get(`/v1/workOrders?${q}&limit=20`)).toEqual({ data: [], total: 0 });
      expect(await get(`/v1/count/workOrders?${q}`)).toEqual({ count: 0 });
      // Even beside a complete pair that alone would match every order.
      const pair = name.startsWith('deadline') ? 'startTime' : 'deadlineTime';
      const wide = `${pair}Start=2020-01-01T00:00:00Z&${pair}End=2030-01-01T00:00:00Z`;
      expect((await get(`/v1/workOrders?${wide}`)).total).toBeGreaterThan(0);
      expect((await get(`/v1/workOrders?${q}&${wide}`)).total).toBe(0);
    },
  );

  it('counts everything without filters', async () => {
    expect(await get('/v1/count/workOrders')).toEqual({ count: 300 });
    expect((await api('/v1/count/workOrders?status=9')).status).toBe(422);
  });
});

describe('single work order and details', () => {
  it('GET by uuid or by work_order_id answers the same bare object as the list item', async () => {
    const [first] = (await get('/v1/workOrders?limit=1')).data;
    expect(await get(`/v1/workOrders/${first.uuid}`)).toEqual(first);
    expect(await get(`/v1/workOrders/${first.work_order_id}`)).toEqual(first);
  });

  it.each(['00000000-0000-4000-8000-000000000000', 'WO-1999-0001', 'wo-2025-0001'])('GET %s is a 404', async (id) => {
    const res = await api(`/v1/workOrders/${id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: expect.any(String) });
  });

  it('POST details adds product, route and ordered route operations', async () => {
    const wo = await firstWith((o) => o.route_uuid !== null);
    const details = await api('/v1/workOrders/details', { method: 'POST', body: { work_order_id: wo.work_order_id } });
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject(wo);
    const route = await get(`/v1/routes/${wo.route_uuid}`);
    expect(details.body.route).toEqual(route);
    expect(details.body.product).toEqual(await get(`/v1/products/${route.product_uuid}`));
    expect(details.body.route_operations).toEqual(await get(`/v1/routeOperation/${route.uuid}/byRouteUuid`));
    expect(details.body.route_operations.map((ro: Json) => ro.sequence)).toEqual(
      details.body.route_operations.map((_: Json, i: number) => i + 1),
    );
  });

  it('POST details for an order without a route answers nulls and no operations', async () => {
    const wo = await firstWith((o) => o.route_uuid === null);
    const details = await api('/v1/workOrders/details', { method: 'POST', body: { work_order_id: wo.work_order_id } });
    expect(details.body).toMatchObject({ ...wo, product: null, route: null, route_operations: [] });
  });

  it.each([
    ['no body', undefined, 422],
    ['empty object', {}, 422],
    ['non-string id', { work_order_id: 12 }, 422],
    ['not JSON', '{"work_order_id":', 422],
    ['unknown id', { work_order_id: 'WO-1999-0001' }, 404],
  ])('POST details with %s answers %i', async (_label, body, status) => {
    expect((await api('/v1/workOrders/details', { method: 'POST', body })).status).toBe(status);
  });
});

describe('POST /v1/workOrders', () => {
  it('creates with defaults and answers 201 with the object, listed last', async () => {
    const res = await api('/v1/workOrders', { method: 'POST', body: { work_order_id: 'WO-2026-9001', qty: 100 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      work_order_id: 'WO-2026-9001',
      qty: 100,
      good: 0,
      status: 1,
      is_asap: false,
      work_order_priority_ranking: 0,
      memo: null,
      deadline: null,
      route_uuid: null,
      start_time: null,
      end_time: null,
    });
    expect(await get(`/v1/workOrders/${res.body.uuid}`)).toEqual(res.body);
    const last = await get('/v1/workOrders?start=300');
    expect(last).toEqual({ data: [res.body], total: 301 });
  });

  it('takes every documented optional field', async () => {
    const route = (await get('/v1/routes?limit=1')).data[0];
    const storage = (await get('/v1/warehouseStorage?limit=1')).data[0];
    const body = {
      work_order_id: 'WO-2024-001',
      qty: 500,
      status: 1,
      deadline: '2024-12-31T23:59:59Z',
      order_due_date: '2025-01-15T00:00:00Z',
      is_asap: true,
      work_order_priority_ranking: 1,
      memo: 'Customer order #12345',
      route_uuid: route.uuid,
      default_warehouse_uuid: storage.warehouse_uuid,
      default_warehouse_storage_uuid: storage.uuid,
    };
    const res = await api('/v1/workOrders', { method: 'POST', body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ...body,
      deadline: '2024-12-31T23:59:59.000Z',
      order_due_date: '2025-01-15T00:00:00.000Z',
    });
  });

  it('sets start_time when created in progress', async () => {
    const res = await api('/v1/workOrders', { method: 'POST', body: { work_order_id: 'WO-X-2', qty: 5, status: 2 } });
    expect(res.body.start_time).toEqual(expect.any(String));
    expect(res.body.end_time).toBeNull();
  });

  it.each([
    ['missing work_order_id', { qty: 10 }, 'VALIDATION_ERROR'],
    ['empty work_order_id', { work_order_id: ' ', qty: 10 }, 'VALIDATION_ERROR'],
    ['missing qty', { work_order_id: 'WO-N-1' }, 'VALIDATION_ERROR'],
    ['zero qty', { work_order_id: 'WO-N-1', qty: 0 }, 'VALIDATION_ERROR'],
    ['negative qty', { work_order_id: 'WO-N-1', qty: -5 }, 'VALIDATION_ERROR'],
    ['fractional qty', { work_order_id: 'WO-N-1', qty: 1.5 }, 'VALIDATION_ERROR'],
    ['string qty', { work_order_id: 'WO-N-1', qty: '10' }, 'VALIDATION_ERROR'],
    ['duplicate work_order_id', { work_order_id: 'WO-2025-0001', qty: 10 }, 'DUPLICATE_WORK_ORDER_ID'],
    ['bad status', { work_order_id: 'WO-N-1', qty: 10, status: 5 }, 'VALIDATION_ERROR'],
    ['bad deadline', { work_order_id: 'WO-N-1', qty: 10, deadline: 'next friday' }, 'VALIDATION_ERROR'],
    ['non-boolean is_asap', { work_order_id: 'WO-N-1', qty: 10, is_asap: 'yes' }, 'VALIDATION_ERROR'],
    ['unknown route', { work_order_id: 'WO-N-1', qty: 10, route_uuid: 'no-such-route' }, 'VALIDATION_ERROR'],
    ['unknown field', { work_order_id: 'WO-N-1', qty: 10, good: 3 }, 'VALIDATION_ERROR'],
    ['array body', [{ work_order_id: 'WO-N-1', qty: 10 }], 'VALIDATION_ERROR'],
  ])('refuses %s with 422 and creates nothing', async (_label, body, code) => {
    const res = await api('/v1/workOrders', { method: 'POST', body });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code, message: expect.any(String) });
    expect((await get('/v1/count/workOrders')).count).toBe(300);
  });
});

describe('PATCH /v1/workOrders/:uuid', () => {
  const allowed: [number, number][] = [
    [1, 2],
    [2, 3],
    [2, 4],
    [4, 2],
  ];
  const forbidden: [number, number][] = [];
  for (const from of [1, 2, 3, 4]) {
    for (const to of [1, 2, 3, 4]) if (!allowed.some(([f, t]) => f === from && t === to)) forbidden.push([from, to]);
  }

  it.each(allowed)('allows %i -> %i and stamps the times', async (from, to) => {
    const wo = await firstWith((o) => o.status === from);
    const res = await patch(wo.uuid, { status: to });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uuid: wo.uuid, status: to });
    expect(res.body.updated_at > wo.updated_at).toBe(true);
    if (from === 1) expect(res.body.start_time).toEqual(expect.any(String));
    else expect(res.body.start_time).toBe(wo.start_time);
    if (to === 3 || to === 4) expect(Date.parse(res.body.end_time)).toBeGreaterThan(Date.now() - 60_000);
    else expect(res.body.end_time).toBeNull();
    expect(await get(`/v1/workOrders/${wo.uuid}`)).toEqual(res.body);
  });

  it.each(forbidden)('refuses %i -> %i with 422 and changes nothing', async (from, to) => {
    const wo = await firstWith((o) => o.status === from);
    const res = await patch(wo.uuid, { status: to, memo: 'should not stick' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', message: expect.any(String) });
    expect(await get(`/v1/workOrders/${wo.uuid}`)).toEqual(wo);
  });

  it('walks 1 -> 2 -> 4 -> 2 -> 3 keeping the first start_time', async () => {
    const wo = await firstWith((o) => o.status === 1);
    const started = (await patch(wo.uuid, { status: 2 })).body;
    expect((await patch(wo.uuid, { status: 4 })).body.end_time).toEqual(expect.any(String));
    const resumed = (await patch(wo.uuid, { status: 2 })).body;
    expect(resumed.start_time).toBe(started.start_time);
    expect(resumed.end_time).toBeNull();
    const done = (await patch(wo.uuid, { status: 3, good: wo.qty })).body;
    expect(done).toMatchObject({
      status: 3,
      good: wo.qty,
      start_time: started.start_time,
      end_time: expect.any(String),
    });
    expect((await patch(wo.uuid, { status: 2 })).status).toBe(422);
  });

  it('applies concurrent transitions on one order one at a time', async () => {
    const wo = await firstWith((o) => o.status === 1);
    const results = await Promise.all(Array.from({ length: 10 }, () => patch(wo.uuid, { status: 2 })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 422)).toHaveLength(9);
  });

  it('updates every documented field', async () => {
    const wo = await firstWith((o) => o.status === 2);
    const body = {
      work_order_id: 'WO-2026-7777',
      qty: wo.qty + 10,
      good: 5,
      deadline: '2026-12-24T09:00:00.000Z',
      order_due_date: null,
      is_asap: !wo.is_asap,
      work_order_priority_ranking: 2,
      memo: 'Started production',
    };
    const res = await patch(wo.uuid, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...body, status: 2, uuid: wo.uuid, created_at: wo.created_at });
    // The op history follows the renamed order.
    const history = await get(`/v1/workOrderOpHistory/${wo.uuid}/byWorkOrderUuid`);
    expect(history.every((h: Json) => h.work_order_id === 'WO-2026-7777')).toBe(true);
    expect((await get('/v1/workOrderOpHistory?workOrderID=WO-2026-7777')).total).toBe(history.length);
  });

  it.each([
    ['a non-updatable field', { route_uuid: null }, 'VALIDATION_ERROR'],
    ['uuid', { uuid: 'x' }, 'VALIDATION_ERROR'],
    ['start_time', { start_time: '2026-01-01T00:00:00Z' }, 'VALIDATION_ERROR'],
    ['created_at', { created_at: '2026-01-01T00:00:00Z' }, 'VALIDATION_ERROR'],
    ['a zero qty', { qty: 0 }, 'VALIDATION_ERROR'],
    ['a negative good', { good: -1 }, 'VALIDATION_ERROR'],
    ['good above qty', { good: 1_000_000 }, 'VALIDATION_ERROR'],
    ['a status out of range', { status: 9 }, 'VALIDATION_ERROR'],
    ['a string status', { status: '2' }, 'VALIDATION_ERROR'],
    ['a bad deadline', { deadline: '31/12/2026' }, 'VALIDATION_ERROR'],
    ['a duplicate work_order_id', { work_order_id: 'WO-2025-0002' }, 'DUPLICATE_WORK_ORDER_ID'],
    ['a body that is not an object', 'null', 'VALIDATION_ERROR'],
  ])('refuses %s with 422', async (_label, body, code) => {
    const wo = (await get('/v1/workOrders?status=1&limit=1')).data[0];
    const res = await patch(wo.uuid, body);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe(code);
    expect(await get(`/v1/workOrders/${wo.uuid}`)).toEqual(wo);
  });

  it('keeps its own work_order_id without calling it a duplicate', async () => {
    const wo = (await get('/v1/workOrders?limit=1')).data[0];
    expect((await patch(wo.uuid, { work_order_id: wo.work_order_id })).status).toBe(200);
  });

  it('answers 404 for an unknown uuid, and for a work_order_id (PATCH takes the uuid)', async () => {
    expect((await patch('00000000-0000-4000-8000-000000000000', { memo: 'x' })).status).toBe(404);
    expect((await patch('WO-2025-0001', { memo: 'x' })).status).toBe(404);
  });
});

describe('DELETE /v1/workOrders/:uuid', () => {
  it('answers 204, then the order and its history are gone', async () => {
    const wo = await firstWith((o) => o.status === 3);
    const res = await api(`/v1/workOrders/${wo.uuid}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await api(`/v1/workOrders/${wo.uuid}`)).status).toBe(404);
    expect((await api(`/v1/workOrderOpHistory/${wo.uuid}/byWorkOrderUuid`)).status).toBe(404);
    expect((await get(`/v1/workOrderOpHistory?workOrderID=${wo.work_order_id}`)).total).toBe(0);
    expect((await get('/v1/count/workOrders')).count).toBe(299);
    expect((await api(`/v1/workOrders/${wo.uuid}`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('products', () => {
  it('lists {data,total} pages with the documented fields', async () => {
    const items = await walk('/v1/products', 6);
    expect(new Set(items.map((p) => p.uuid)).size).toBe(20);
    expect(Object.keys(items[0]).sort()).toEqual(
      [
        'uuid',
        'number',
        'name',
        'category',
        'specification',
        'memo',
        'remarks',
        'product_type',
        'is_active',
        'minimum_stock_level',
        'created_at',
        'updated_at',
      ].sort(),
    );
    expect(await get(`/v1/products/${items[3].uuid}`)).toEqual(items[3]);
  });

  it.each([
    ['name=gear', (p: Json) => p.name.toLowerCase().includes('gear')],
    ['number=1001', (p: Json) => p.number.includes('1001')],
    ['category=Brackets', (p: Json) => p.category === 'Brackets'],
    ['category=brackets', (p: Json) => p.category === 'Brackets'],
    ['isActive=false', (p: Json) => p.is_active === false],
    ['isActive=true&category=Gears', (p: Json) => p.is_active && p.category === 'Gears'],
  ])('filters %s', async (query, pred) => {
    const all = (await get('/v1/products?limit=100')).data as Json[];
    const expected = all.filter(pred);
    expect(expected.length).toBeGreaterThan(0);
    expect((await get(`/v1/products?${query}&limit=100`)).data).toEqual(expected);
  });

  it.each(['isActive=maybe', 'limit=500'])('refuses %s with 422', async (q) => {
    expect((await api(`/v1/products?${q}`)).status).toBe(422);
  });

  it('answers 404 for an unknown product', async () => {
    expect((await api('/v1/products/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('routes and operations', () => {
  it('every product has 1-2 routes (bare array), each route 3-6 ordered operations (bare array)', async () => {
    const products = (await get('/v1/products?limit=100')).data as Json[];
    const routes = (await get('/v1/routes?limit=100')).data as Json[];
    let seen = 0;
    for (const product of products) {
      const byProduct = await get(`/v1/routes/${product.uuid}/byProductUuid`);
      expect(Array.isArray(byProduct)).toBe(true);
      expect(byProduct.length).toBeGreaterThanOrEqual(1);
      expect(byProduct.length).toBeLessThanOrEqual(2);
      expect(byProduct).toEqual(routes.filter((r) => r.product_uuid === product.uuid));
      seen += byProduct.length;
    }
    expect(seen).toBe(30);
    for (const route of routes) {
      expect(Object.keys(route).sort()).toEqual(['uuid', 'name', 'product_uuid', 'created_at', 'updated_at'].sort());
      const ops = await get(`/v1/routeOperation/${route.uuid}/byRouteUuid`);
      expect(Array.isArray(ops)).toBe(true);
      expect(ops.length).toBeGreaterThanOrEqual(3);
      expect(ops.length).toBeLessThanOrEqual(6);
      expect(ops.map((o: Json) => o.sequence)).toEqual(ops.map((_: Json, i: number) => i + 1));
      expect(ops.every((o: Json) => o.route_uuid === route.uuid)).toBe(true);
    }
  });

  it('serves a route and an operation by uuid', async () => {
    const route = (await get('/v1/routes?limit=1')).data[0];
    expect(await get(`/v1/routes/${route.uuid}`)).toEqual(route);
    const [step] = await get(`/v1/routeOperation/${route.uuid}/byRouteUuid`);
    const uuid = step.operation_uuid ?? step.operation.uuid;
    const op = await get(`/v1/operation/${uuid}`);
    expect(op.uuid).toBe(uuid);
    expect(typeof op.name).toBe('string');
  });

  it('route operations come in every shape a deployment may send, each naming an operation that GET /v1/operation names', async () => {
    const routes = (await get('/v1/routes?limit=100')).data;
    const shapes = new Map<string, number>();
    for (const route of routes) {
      for (const step of await get(`/v1/routeOperation/${route.uuid}/byRouteUuid`)) {
        const shape =
          'operation_name' in step
            ? 'operation_name'
            : 'name' in step
              ? 'name'
              : 'operation' in step
                ? 'nested'
                : 'uuid only';
        shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
        const uuid = step.operation_uuid ?? step.operation.uuid;
        const named = step.operation_name ?? step.name ?? step.operation?.name;
        if (named !== undefined) expect((await get(`/v1/operation/${uuid}`)).name).toBe(named);
        if (shape === 'nested') expect(step.operation.number).toMatch(/^OP-\d{3}$/);
      }
    }
    expect([...shapes.keys()].sort()).toEqual(['name', 'nested', 'operation_name', 'uuid only']);
  });

  it('walks route pages', async () => {
    const routes = await walk('/v1/routes', 8);
    expect(new Set(routes.map((r) => r.uuid)).size).toBe(30);
  });

  it.each([
    '/v1/routes/nope',
    '/v1/routes/nope/byProductUuid',
    '/v1/routeOperation/nope/byRouteUuid',
    '/v1/operation/nope',
    '/v1/workOrderOpHistory/nope/byWorkOrderUuid',
    '/v1/warehouse/nope',
    '/v1/warehouseStorage/nope',
    '/v1/productStorage/nope/byProductUuid',
    '/v1/worker/nope',
  ])('GET %s is a 404', async (path) => {
    const res = await api(path);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});

describe('operation history', () => {
  it('has 1-5 records (bare array) per started order and none for orders not started', async () => {
    const orders = await allWorkOrders();
    for (const wo of orders.filter((_, i) => i % 10 === 0)) {
      const records = await get(`/v1/workOrderOpHistory/${wo.uuid}/byWorkOrderUuid`);
      expect(Array.isArray(records)).toBe(true);
      if (wo.status === 1) {
        expect(records).toEqual([]);
        continue;
      }
      expect(records.length).toBeGreaterThanOrEqual(1);
      expect(records.length).toBeLessThanOrEqual(5);
      const last = records.at(-1);
      expect(last.status).toBe(wo.status);
      expect(last.good).toBe(wo.good);
      for (const r of records) {
        expect(r).toMatchObject({ work_order_uuid: wo.uuid, work_order_id: wo.work_order_id });
        expect(r.good).toBeLessThanOrEqual(wo.qty);
        expect(Object.keys(r).sort()).toEqual(
          [
            'uuid',
            'work_order_uuid',
            'work_order_id',
            'operation_uuid',
            'operation_name',
            'sequence',
            'status',
            'worker_uuid',
            'worker_name',
            'device_uuid',
            'device_name',
            'good',
            'defect',
            'start_time',
            'end_time',
          ].sort(),
        );
      }
    }
  });

  it('lists {data,total} and walks without duplicates', async () => {
    const records = await walk('/v1/workOrderOpHistory', 100);
    expect(records.length).toBeGreaterThan(300);
    expect(new Set(records.map((r) => r.uuid)).size).toBe(records.length);
  });

  it.each([
    ['workOrderID=WO-2025-0001', (r: Json) => r.work_order_id === 'WO-2025-0001'],
    ['status=2', (r: Json) => r.status === 2],
    ['status=4', (r: Json) => r.status === 4],
    [
      'action=dateRange&startTime=2026-01-01T00:00:00Z&endTime=2026-01-31T23:59:59Z',
      (r: Json) => r.start_time >= '2026-01-01T00:00:00' && r.start_time <= '2026-01-31T23:59:59',
    ],
  ])('filters %s', async (query, pred) => {
    const all = await walk('/v1/workOrderOpHistory', 100);
    const expected = all.filter(pred);
    expect(expected.length).toBeGreaterThan(0);
    expect((await walk(`/v1/workOrderOpHistory?${query}`, 100)).map((r) => r.uuid)).toEqual(
      expected.map((r) => r.uuid),
    );
  });

  it('filters by deviceUUID', async () => {
    const [first] = (await get('/v1/workOrderOpHistory?limit=1')).data;
    const records = await walk(`/v1/workOrderOpHistory?deviceUUID=${first.device_uuid}`, 100);
    expect(records.length).toBeGreaterThan(1);
    expect(records.every((r) => r.device_name === first.device_name)).toBe(true);
  });

  it.each([
    'startTime=2026-01-01T00:00:00Z&endTime=2026-01-31T23:59:59Z',
    'action=dateRange&startTime=2026-01-01T00:00:00Z',
    'action=dateRange&endTime=2026-01-31T23:59:59Z',
    'action=dateRange',
    'startTime=2026-01-01T00:00:00Z',
    'action=other&startTime=2026-01-01T00:00:00Z&endTime=2026-01-31T23:59:59Z',
  ])('an incomplete date range (%s) answers 0 results', async (query) => {
    expect(await get(`/v1/workOrderOpHistory?${query}`)).toEqual({ data: [], total: 0 });
  });

  it.each(['status=7', 'limit=0', 'action=dateRange&startTime=yesterday&endTime=2026-01-31T23:59:59Z'])(
    'refuses %s with 422',
    async (query) => {
      expect((await api(`/v1/workOrderOpHistory?${query}`)).status).toBe(422);
    },
  );
});

describe('warehouses, storage, product storage, workers', () => {
  it('serves warehouses and storage locations as {data,total} and by uuid', async () => {
    const warehouses = (await get('/v1/warehouse/')).data as Json[];
    expect(warehouses.map((w) => Object.keys(w).sort())).toEqual(warehouses.map(() => ['code', 'name', 'uuid']));
    expect(await get(`/v1/warehouse/${warehouses[1].uuid}`)).toEqual(warehouses[1]);
    const storages = await walk('/v1/warehouseStorage', 3);
    expect(storages).toHaveLength(10);
    expect(storages.every((s) => warehouses.some((w) => w.uuid === s.warehouse_uuid))).toBe(true);
    expect(await get(`/v1/warehouseStorage/${storages[4].uuid}`)).toEqual(storages[4]);
  });

  it('has product storage (bare array) for most products', async () => {
    const products = (await get('/v1/products?limit=100')).data as Json[];
    let stocked = 0;
    for (const product of products) {
      const rows = await get(`/v1/productStorage/${product.uuid}/byProductUuid`);
      expect(Array.isArray(rows)).toBe(true);
      if (rows.length > 0) stocked++;
      for (const row of rows) {
        expect(Object.keys(row).sort()).toEqual([
          'product_uuid',
          'qty',
          'uuid',
          'warehouse_storage_uuid',
          'warehouse_uuid',
        ]);
        expect(row.product_uuid).toBe(product.uuid);
        const storage = await get(`/v1/warehouseStorage/${row.warehouse_storage_uuid}`);
        expect(storage.warehouse_uuid).toBe(row.warehouse_uuid);
      }
    }
    expect(stocked).toBeGreaterThanOrEqual(14);
    expect(stocked).toBeLessThan(20);
  });

  it('lists workers, filters workerID and workerName, serves one by uuid', async () => {
    const workers = await walk('/v1/worker', 4);
    expect(workers).toHaveLength(15);
    const w = workers[5];
    expect(await get(`/v1/worker/${w.uuid}`)).toEqual(w);
    expect((await get(`/v1/worker?workerID=${w.worker_id}`)).data).toEqual([w]);
    const part = w.name.split(' ')[0].toLowerCase();
    const byName = (await get(`/v1/worker?workerName=${part}`)).data as Json[];
    expect(byName).toEqual(workers.filter((x) => x.name.toLowerCase().includes(part)));
  });
});

describe('counters', () => {
  it('counts requests per route key across both servers', async () => {
    const wo = (await get('/v1/workOrders?limit=1')).data[0];
    await get(`/v1/workOrders/${wo.uuid}`);
    await get(`/v1/workOrders/${wo.work_order_id}`);
    await api('/v1/workOrders', { token: null });
    await patch(wo.uuid, { memo: 'counted' });
    await api('/v1/workOrders/details', { method: 'POST', body: { work_order_id: wo.work_order_id } });
    await get('/v1/count/workOrders');
    await api('/v1/nothing-here');
    const { refreshToken, tenantId } = sim.issueCredentials();
    await refresh(tenantId, { grant_type: 'refresh_token', refresh_token: refreshToken });
    expect(sim.counts()).toEqual({
      'GET /v1/workOrders': 2,
      'GET /v1/workOrders/:id': 2,
      'PATCH /v1/workOrders/:uuid': 1,
      'POST /v1/workOrders/details': 1,
      'GET /v1/count/workOrders': 1,
      'GET <unmatched>': 1,
      'POST /v2/auth/token': 1,
    });
    expect(sim.count('GET /v1/workOrders/:id')).toBe(2);
    expect(sim.count('DELETE /v1/workOrders/:uuid')).toBe(0);
    expect(sim.total()).toBe(9);
    sim.resetCounts();
    expect(sim.counts()).toEqual({});
    expect(sim.total()).toBe(0);
    expect(sim.refreshCalls()).toBe(0);
  });

  it.each([
    ['GET', '/v1/workOrders/'],
    ['GET', '/v1/products/'],
    ['GET', '/v1/worker/'],
    ['GET', '/v1/workOrderOpHistory/'],
  ])('%s %s (trailing slash, as in the document) counts under the route key', async (method, path) => {
    await api(path, { method });
    expect(sim.count(`${method} ${path.replace(/\/$/, '')}`)).toBe(1);
  });
});

describe('fault knobs', () => {
  it('answers the configured status', async () => {
    sim.faults.status = 503;
    const res = await api('/v1/workOrders');
    expect(res.status).toBe(503);
    expect(sim.count('GET /v1/workOrders')).toBe(1);
  });

  it('answers garbage with 200', async () => {
    sim.faults.garbage = true;
    const res = await api('/v1/workOrders');
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('drops the connection', async () => {
    sim.faults.reset = true;
    await expect(api('/v1/workOrders')).rejects.toThrow();
  });

  it('adds latency', async () => {
    sim.faults.latencyMs = 150;
    const t0 = performance.now();
    expect((await api('/v1/products')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('serves one-shot answers first, such as a 429 with Retry-After', async () => {
    sim.faults.next = [
      { status: 429, body: { message: 'Too many requests', code: 'RATE_LIMITED' }, headers: { 'retry-after': '1' } },
    ];
    const first = await api('/v1/workOrders');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await api('/v1/workOrders')).status).toBe(200);
  });

  it('reset() clears every knob', async () => {
    sim.faults.status = 500;
    sim.faults.latencyMs = 5;
    sim.reset();
    expect(sim.faults).toEqual({});
    expect((await api('/v1/workOrders')).status).toBe(200);
  });
});

describe('reset()', () => {
  it('reseeds the same data and clears counters, keeping issued tokens valid', async () => {
    const before = await allWorkOrders();
    const wo = before.find((o) => o.status === 1);
    await patch(wo.uuid, { status: 2 });
    await api('/v1/workOrders', { method: 'POST', body: { work_order_id: 'WO-RESET-1', qty: 1 } });
    await api(`/v1/workOrders/${before[0].uuid}`, { method: 'DELETE' });
    sim.reset();
    expect(sim.total()).toBe(0);
    expect(await allWorkOrders()).toEqual(before);
  });
});
