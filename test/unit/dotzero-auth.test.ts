import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidTransitionError, NotFoundError, UpstreamError, ValidationError } from '../../src/domain/errors.js';
import type { DotZeroWorkOrder } from '../../src/domain/model.js';
import {
  DEFAULT_TOKEN_LIFETIME_MS,
  DotZeroAuth,
  EARLY_REFRESH_PAUSE_MS,
  REFRESH_AHEAD_MS,
  jwtExpiry,
  loadDotZeroConfigDir,
} from '../../src/vendors/dotzero/auth.js';
import { createDotZeroClient } from '../../src/vendors/dotzero/client.js';
import type { DotZeroClient } from '../../src/vendors/types.js';
import { startUpstream, type RecordedRequest, type Upstream } from '../helpers/upstream.js';

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.signature`;
}

const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;
const OLD = jwt({ sub: 'u', exp: inSeconds(3600), n: 'old' });
const NEW = jwt({ sub: 'u', exp: inSeconds(7200), n: 'new' });
const REFRESH = 'refresh-SECRET-123';
const isRefresh = (r: RecordedRequest) => r.path === '/v2/auth/token';
const refreshes = (u: Upstream) => u.requests.filter(isRefresh).length;

// A recording upstream, started per test; it answers 500 unless the test says otherwise.
let upstream: Upstream;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  upstream = await startUpstream(() => ({ status: 500 }));
  cleanups.push(() => upstream.close());
});

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function auth(options: Partial<ConstructorParameters<typeof DotZeroAuth>[0]> = {}): DotZeroAuth {
  const a = new DotZeroAuth({
    userApiUrl: upstream.url,
    tenantId: 'tenant-1',
    token: OLD,
    refreshToken: REFRESH,
    ...options,
  });
  cleanups.push(() => a.close());
  return a;
}

function client(options: Partial<Parameters<typeof createDotZeroClient>[0]> = {}): DotZeroClient {
  const c = createDotZeroClient({
    workOrderApiUrl: upstream.url,
    userApiUrl: upstream.url,
    tenantId: 'tenant-1',
    token: OLD,
    refreshToken: REFRESH,
    ...options,
  });
  cleanups.push(() => c.close());
  return c;
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

const wo = (uuid: string, extra: Record<string, unknown> = {}) => ({
  uuid,
  work_order_id: `WO-${uuid}`,
  qty: 10,
  status: 1,
  ...extra,
});

// ---------------------------------------------------------------------------------------------------------------

describe('jwtExpiry', () => {
  it.each([
    [jwt({ exp: 1_800_000_000 }), new Date(1_800_000_000_000)],
    [jwt({ exp: '1800000000' }), new Date(1_800_000_000_000)],
    [jwt({ sub: 'no exp' }), undefined],
    [jwt({ exp: 'soon' }), undefined],
    ['not-a-jwt', undefined],
    ['a.%%%.c', undefined],
    [`a.${Buffer.from('[1,2]').toString('base64url')}.c`, undefined],
    ['', undefined],
  ])('jwtExpiry(%s)', (token, expected) => {
    expect(jwtExpiry(token)).toEqual(expected);
  });
});

describe('DotZeroAuth: expiry', () => {
  const now = 1_700_000_000_000;

  it.each([
    [
      'expiresAt when given, over the JWT',
      { token: jwt({ exp: 1_700_009_999 }), expiresAt: new Date(now + 1234) },
      now + 1234,
    ],
    ['else the JWT exp claim', { token: jwt({ exp: 1_700_009_999 }) }, 1_700_009_999_000],
    ['else one hour from now', { token: 'opaque-token' }, now + DEFAULT_TOKEN_LIFETIME_MS],
  ])('%s', (_name, options, expected) => {
    expect(auth({ ...options, now: () => now }).expiresAt.getTime()).toBe(expected);
  });

  it('uses the token as it is while more than 5 minutes are left', async () => {
    const a = auth({ expiresAt: new Date(Date.now() + REFRESH_AHEAD_MS + 60_000) });
    expect(await a.authorization()).toBe(`Bearer ${OLD}`);
    expect(upstream.requests).toHaveLength(0);
  });

  it('refreshes ahead of expiry: POST {user api}/v2/auth/token?tenantID=..., JSON body, no Authorization', async () => {
    upstream.handler = () => ({ body: NEW });
    const a = auth({ expiresAt: new Date(Date.now() + REFRESH_AHEAD_MS - 1000) });
    expect(await a.authorization()).toBe(`Bearer ${NEW}`);
    expect(upstream.requests).toEqual([
      {
        method: 'POST',
        path: '/v2/auth/token',
        query: { tenantID: 'tenant-1' },
        authorization: undefined,
        body: { grant_type: 'refresh_token', refresh_token: REFRESH },
      },
    ]);
    expect(a.expiresAt).toEqual(jwtExpiry(NEW));
  });

  it('takes a new token without exp as living one hour', async () => {
    const now = Date.now();
    const noExp = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from('{"sub":"u"}').toString('base64url')}.sig`;
    upstream.handler = () => ({ body: noExp });
    const a = auth({ expiresAt: new Date(now - 1), now: () => now });
    expect(await a.authorization()).toBe(`Bearer ${noExp}`);
    expect(a.expiresAt.getTime()).toBe(now + DEFAULT_TOKEN_LIFETIME_MS);
  });

  it.each(['Unauthorized', '<html>login</html>', 'opaque-token', ''])(
    'refuses a refresh answer that is not a JWT: %j',
    async (answer) => {
      upstream.handler = () => ({ body: answer });
      await expect(auth({ expiresAt: new Date(0) }).authorization()).rejects.toThrow(/DOTZERO/);
    },
  );

  it('accepts a refresh answer holding the token in an object', async () => {
    upstream.handler = () => ({ body: { token: NEW } });
    expect(await auth({ expiresAt: new Date(0) }).authorization()).toBe(`Bearer ${NEW}`);
  });

  it('50 concurrent calls at expiry cause exactly one refresh', async () => {
    upstream.handler = () => ({ body: NEW, delayMs: 30 });
    const a = auth({ expiresAt: new Date(Date.now() - 1) });
    const headers = await Promise.all(Array.from({ length: 50 }, () => a.authorization()));
    expect(new Set(headers)).toEqual(new Set([`Bearer ${NEW}`]));
    expect(refreshes(upstream)).toBe(1);
    // The new token is good for two hours: no further refresh.
    await a.authorization();
    expect(refreshes(upstream)).toBe(1);
  });

  it('keeps the still-valid token when an early refresh fails, and pauses before trying again', async () => {
    let now = Date.now();
    upstream.handler = () => ({ status: 503 });
    const a = auth({ expiresAt: new Date(now + 60_000), now: () => now });
    expect(await a.authorization()).toBe(`Bearer ${OLD}`);
    const tried = upstream.requests.length;
    expect(tried).toBeGreaterThanOrEqual(1);
    expect(await a.authorization()).toBe(`Bearer ${OLD}`);
    expect(upstream.requests.length).toBe(tried);
    now += EARLY_REFRESH_PAUSE_MS + 1;
    upstream.handler = () => ({ body: NEW });
    expect(await a.authorization()).toBe(`Bearer ${NEW}`);
  });

  it('fails the call once the token has expired and the refresh is refused, naming no secret', async () => {
    upstream.handler = () => ({
      status: 401,
      body: { message: `bad refresh token ${REFRESH}`, code: 'INVALID_GRANT' },
    });
    const err = await caught(auth({ expiresAt: new Date(0) }).authorization());
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ kind: 'auth', vendor: 'DOTZERO', status: 401, code: 'INVALID_GRANT' });
    expect(err.message).not.toContain(REFRESH);
    expect(err.message).not.toContain(OLD);
  });

  it('a refresh that answers no token is a bad response', async () => {
    upstream.handler = () => ({ body: { message: 'ok' } });
    const err = await caught(auth({ expiresAt: new Date(0) }).authorization());
    expect(err).toMatchObject({ kind: 'bad_response' });
  });
});

describe('DotZeroAuth: 401', () => {
  it('a credential that is no longer current needs no refresh', async () => {
    const a = auth();
    expect(await a.unauthorized('Bearer some-older-token')).toBe(true);
    expect(upstream.requests).toHaveLength(0);
  });

  it('the current credential is refreshed, once for many callers', async () => {
    upstream.handler = () => ({ body: NEW, delayMs: 30 });
    const a = auth();
    const current = await a.authorization();
    const answers = await Promise.all(Array.from({ length: 20 }, () => a.unauthorized(current)));
    expect(answers.every(Boolean)).toBe(true);
    expect(refreshes(upstream)).toBe(1);
    expect(await a.authorization()).toBe(`Bearer ${NEW}`);
    // A late 401 for the old token: someone already refreshed.
    expect(await a.unauthorized(current)).toBe(true);
    expect(refreshes(upstream)).toBe(1);
  });

  it.each([400, 401, 403])('answers false when the user API refuses the refresh (%i)', async (status) => {
    upstream.handler = () => ({ status, body: { code: 'INVALID_GRANT' } });
    const a = auth();
    expect(await a.unauthorized(await a.authorization())).toBe(false);
  });

  it('passes a user API outage on as it is', async () => {
    upstream.handler = () => ({ status: 503 });
    const a = auth();
    const err = await caught(a.unauthorized(await a.authorization()));
    expect(err).toMatchObject({ kind: 'unavailable', vendor: 'DOTZERO' });
  });
});

describe('credentials.json', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dotzero-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
  });

  it('writes the refreshed token and expires_at back, keeping other keys, atomically', async () => {
    await writeFile(
      join(dir, 'credentials.json'),
      JSON.stringify({
        token: OLD,
        refresh_token: REFRESH,
        tenant_id: 'tenant-1',
        expires_at: '2020-01-01T00:00:00Z',
        user: { email: 'a@b' },
      }),
    );
    upstream.handler = () => ({ body: NEW });
    const a = auth({ expiresAt: new Date(0), configDir: dir });
    await a.authorization();
    const written = JSON.parse(await readFile(join(dir, 'credentials.json'), 'utf8'));
    expect(written).toEqual({
      token: NEW,
      refresh_token: REFRESH,
      tenant_id: 'tenant-1',
      expires_at: jwtExpiry(NEW)?.toISOString(),
      user: { email: 'a@b' },
    });
    expect(await readdir(dir)).toEqual(['credentials.json']);
    expect((await stat(join(dir, 'credentials.json'))).mode & 0o777).toBe(0o600);
  });

  it('creates the file when there is none, with what it takes to start again', async () => {
    upstream.handler = () => ({ body: NEW });
    await auth({ expiresAt: new Date(0), configDir: dir }).authorization();
    expect(JSON.parse(await readFile(join(dir, 'credentials.json'), 'utf8'))).toMatchObject({
      token: NEW,
      refresh_token: REFRESH,
      tenant_id: 'tenant-1',
    });
  });

  it('leaves a malformed file alone and still serves the new token', async () => {
    await writeFile(join(dir, 'credentials.json'), '{ being edited');
    upstream.handler = () => ({ body: NEW });
    expect(await auth({ expiresAt: new Date(0), configDir: dir }).authorization()).toBe(`Bearer ${NEW}`);
    expect(await readFile(join(dir, 'credentials.json'), 'utf8')).toBe('{ being edited');
  });

  it('loadDotZeroConfigDir reads the skill folder', async () => {
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ user_api_url: 'https://u.example', work_order_api_url: 'https://w.example' }),
    );
    await writeFile(
      join(dir, 'credentials.json'),
      JSON.stringify({ token: OLD, refresh_token: REFRESH, tenant_id: 'tenant-1', expires_at: '2026-02-07T10:00:00Z' }),
    );
    expect(loadDotZeroConfigDir(dir)).toEqual({
      workOrderApiUrl: 'https://w.example',
      userApiUrl: 'https://u.example',
      tenantId: 'tenant-1',
      token: OLD,
      refreshToken: REFRESH,
      expiresAt: new Date('2026-02-07T10:00:00Z'),
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['no config.json', { 'credentials.json': '{}' }, /config\.json not found/],
    [
      'no credentials.json',
      { 'config.json': '{"user_api_url":"u","work_order_api_url":"w"}' },
      /credentials\.json not found/,
    ],
    [
      'config.json that is not JSON',
      { 'config.json': '{', 'credentials.json': '{}' },
      /config\.json is not valid JSON/,
    ],
    [
      'a missing URL',
      { 'config.json': '{"user_api_url":"u"}', 'credentials.json': '{}' },
      /config\.json has no "work_order_api_url"/,
    ],
    [
      'a missing refresh token',
      {
        'config.json': '{"user_api_url":"u","work_order_api_url":"w"}',
        'credentials.json': `{"token":"${REFRESH}","tenant_id":"t"}`,
      },
      /credentials\.json has no "refresh_token"/,
    ],
  ])('loadDotZeroConfigDir refuses %s, naming it', async (_name, files, message) => {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
    let err: Error | undefined;
    try {
      loadDotZeroConfigDir(dir);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(message);
    expect(err?.message).not.toContain(REFRESH);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('DotZero client over HTTP', () => {
  it('sends the Bearer token, and on a 401 refreshes once and retries the call', async () => {
    upstream.handler = (r) => {
      if (isRefresh(r)) return { body: NEW };
      if (r.authorization !== `Bearer ${NEW}`) return { status: 401, body: { message: 'expired' } };
      return { body: wo('a') };
    };
    const [got] = await client().getWorkOrders(['a']);
    expect(got).toMatchObject({ vendorId: 'a', orderNumber: 'WO-a' });
    expect(upstream.requests.map((r) => [r.method, r.path, r.authorization])).toEqual([
      ['GET', '/v1/workOrders/a', `Bearer ${OLD}`],
      ['POST', '/v2/auth/token', undefined],
      ['GET', '/v1/workOrders/a', `Bearer ${NEW}`],
    ]);
  });

  it('50 concurrent calls at expiry cause exactly one refresh', async () => {
    upstream.handler = (r) => (isRefresh(r) ? { body: NEW, delayMs: 50 } : { body: wo(r.path.split('/').pop() ?? '') });
    const c = client({ expiresAt: new Date(Date.now() - 1000) });
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const results = await Promise.all(keys.map((k) => c.getWorkOrders([k])));
    expect(results.flat().map((w) => (w as DotZeroWorkOrder).vendorId)).toEqual(keys);
    expect(refreshes(upstream)).toBe(1);
    expect(upstream.requests.filter((r) => !isRefresh(r)).every((r) => r.authorization === `Bearer ${NEW}`)).toBe(true);
  });

  it('50 concurrent 401s cause exactly one refresh', async () => {
    upstream.handler = (r) => {
      if (isRefresh(r)) return { body: NEW, delayMs: 50 };
      return r.authorization === `Bearer ${NEW}` ? { body: wo('x') } : { status: 401, delayMs: 10 };
    };
    const c = client();
    const results = await Promise.all(Array.from({ length: 50 }, () => c.getWorkOrders(['x'])));
    expect(results.flat().every((w) => !(w instanceof Error))).toBe(true);
    expect(refreshes(upstream)).toBe(1);
  });

  it('a 401 that survives the refresh is an auth error without the token', async () => {
    upstream.handler = (r) =>
      isRefresh(r) ? { body: NEW } : { status: 401, body: { message: `token ${NEW} revoked` } };
    const [got] = await client().getWorkOrders(['a']);
    expect(got).toBeInstanceOf(UpstreamError);
    expect(got).toMatchObject({ kind: 'auth', status: 401 });
    expect((got as Error).message).not.toContain(NEW);
    expect(refreshes(upstream)).toBe(1);
  });

  it('looks work orders up one call per distinct key, in parallel, in key order, 404 as NotFoundError', async () => {
    upstream.handler = (r) => {
      const key = decodeURIComponent(r.path.split('/').pop() ?? '');
      if (key === 'missing') return { status: 404, body: { message: 'Not Found' } };
      if (key === 'wrapped') return { body: { data: wo('wrapped') } };
      if (key === 'broken') return { status: 500, body: { message: `oops ${OLD}` } };
      return { body: wo(key), delayMs: key === 'a' ? 40 : 0 };
    };
    const results = await client().getWorkOrders(['a', 'missing', 'b/c', 'a', 'wrapped', 'broken']);
    expect(results.map((r) => (r instanceof Error ? r.constructor.name : r.vendorId))).toEqual([
      'a',
      'NotFoundError',
      'b/c',
      'a',
      'wrapped',
      'UpstreamError',
    ]);
    expect(results[1]).toMatchObject({ vendor: 'DOTZERO' });
    expect((results[5] as Error).message).not.toContain(OLD);
    expect(upstream.requests.map((r) => r.path).sort()).toEqual(
      [
        '/v1/workOrders/a',
        '/v1/workOrders/b%2Fc',
        '/v1/workOrders/broken',
        '/v1/workOrders/missing',
        '/v1/workOrders/wrapped',
      ].sort(),
    );
  });

  it('lists with start/limit and the planned filters, totals from {data,total}', async () => {
    upstream.handler = () => ({ body: { data: [wo('a', { status: 2, is_asap: true })], total: 31 } });
    const segments = client().planWorkOrders({
      statuses: ['IN_PROGRESS'],
      priorities: ['HIGH'],
      orderNumber: 'WO',
      dueAfter: new Date('2024-01-01T00:00:00Z'),
    });
    expect(segments).toHaveLength(1);
    const page = await segments[0]!.fetch(20, 10);
    expect(page.total).toBe(31);
    expect(page.items.map((w) => w.vendorId)).toEqual(['a']);
    expect(upstream.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/v1/workOrders/',
        query: {
          status: '2',
          workOrderID: 'WO',
          is_asap: 'true',
          deadlineTimeStart: '2024-01-01T00:00:00Z',
          deadlineTimeEnd: '9999-12-31T23:59:59Z',
          start: '20',
          limit: '10',
        },
      }),
    ]);
  });

  it('makes no call for a query no DotZero order can match', () => {
    expect(client().planWorkOrders({ statuses: ['CANCELLED'] })).toEqual([]);
    expect(upstream.requests).toHaveLength(0);
  });

  it('a bare-array page that comes back short tells the total without a count', async () => {
    upstream.handler = () => ({ body: [wo('a'), wo('b')] });
    const [segment] = client().planWorkOrders({});
    expect(await segment!.fetch(40, 20)).toMatchObject({ total: 42 });
    expect(upstream.requests.map((r) => r.path)).toEqual(['/v1/workOrders/']);
  });

  it('a full bare-array page of the whole list asks /v1/count/workOrders (no parameters), once per segment', async () => {
    upstream.handler = (r) =>
      r.path === '/v1/count/workOrders'
        ? { body: { count: 57 } }
        : { body: Array.from({ length: Number(r.query.limit) }, (_, i) => wo(`w${Number(r.query.start) + i}`)) };
    const [segment] = client().planWorkOrders({});
    expect(await segment!.fetch(0, 10)).toMatchObject({ total: 57 });
    expect(await segment!.fetch(10, 10)).toMatchObject({ total: 57 });
    const counts = upstream.requests.filter((r) => r.path === '/v1/count/workOrders');
    expect(counts).toHaveLength(1);
    expect(counts[0]?.query).toEqual({});
  });

  it('a filtered bare-array list is counted by reading it (the count endpoint documents no filters)', async () => {
    const matching = Array.from({ length: 130 }, (_, i) => wo(`w${i}`));
    upstream.handler = (r) => ({
      body: matching.slice(Number(r.query.start), Number(r.query.start) + Number(r.query.limit)),
    });
    const [segment] = client().planWorkOrders({ statuses: ['OPEN'] });
    expect(await segment!.fetch(0, 10)).toMatchObject({ total: 130 });
    expect(upstream.requests.some((r) => r.path === '/v1/count/workOrders')).toBe(false);
    expect(upstream.requests.every((r) => r.query.status === '1')).toBe(true);
  });

  it('NORMAL scans the whole upstream query and keeps orders that are not rush', async () => {
    const all = Array.from({ length: 150 }, (_, i) => wo(`w${i}`, { is_asap: i % 3 === 0 }));
    upstream.handler = (r) => {
      const start = Number(r.query.start);
      return { body: { data: all.slice(start, start + Number(r.query.limit)), total: all.length } };
    };
    const [segment] = client().planWorkOrders({ priorities: ['NORMAL'] });
    const page = await segment!.fetch(0, 5);
    expect(page.total).toBe(100);
    expect(page.items.map((w) => w.vendorId)).toEqual(['w1', 'w2', 'w4', 'w5', 'w7']);
    expect(upstream.requests.every((r) => r.query.is_asap === undefined)).toBe(true);
    expect(upstream.requests.map((r) => r.query.start).sort()).toEqual(['0', '100']);
    // The scan is cached for the segment's life.
    await segment!.fetch(5, 5);
    expect(upstream.requests).toHaveLength(2);
  });

  it('lists products with name/number filters', async () => {
    upstream.handler = () => ({ body: { data: [{ uuid: 'p1', number: 'PROD-1', name: 'Widget' }], total: 1 } });
    const [segment] = client().planProducts({ name: 'Wid', sku: 'PROD' });
    expect(await segment!.fetch(0, 20)).toEqual({
      items: [
        {
          vendor: 'DOTZERO',
          vendorId: 'p1',
          sku: 'PROD-1',
          name: 'Widget',
          category: null,
          description: null,
          active: null,
        },
      ],
      total: 1,
    });
    expect(upstream.requests[0]).toMatchObject({
      path: '/v1/products/',
      query: { name: 'Wid', number: 'PROD', start: '0', limit: '20' },
    });
  });

  it('reads relations: route operations sorted by sequence, a 404 parent as no children', async () => {
    upstream.handler = (r) => {
      if (r.path === '/v1/routeOperation/r1/byRouteUuid') {
        return {
          body: [
            { uuid: 'o3', operation_name: 'Pack', sequence: 3 },
            { uuid: 'o1', operation_name: 'Cut', sequence: 1 },
            { uuid: 'o2', operation_name: 'Weld', sequence: 2 },
          ],
        };
      }
      if (r.path === '/v1/routes/p1/byProductUuid') return { body: [{ uuid: 'r1', name: 'Main', product_uuid: 'p1' }] };
      if (r.path === '/v1/workOrderOpHistory/w1/byWorkOrderUuid')
        return { body: [{ uuid: 'h1', operation_name: 'Cut', status: 2, good: 3 }] };
      if (r.path === '/v1/productStorage/p1/byProductUuid')
        return { body: { data: [{ product_uuid: 'p1', warehouse_uuid: 'wh', qty: 4 }] } };
      return { status: 404 };
    };
    const c = client();
    expect((await c.routeOperations('r1')).map((o) => [o.vendorId, o.sequence, o.routeId])).toEqual([
      ['o1', 1, 'r1'],
      ['o2', 2, 'r1'],
      ['o3', 3, 'r1'],
    ]);
    expect(await c.routesByProduct('p1')).toEqual([
      { vendor: 'DOTZERO', vendorId: 'r1', name: 'Main', productId: 'p1' },
    ]);
    expect(await c.workOrderOperations('w1')).toMatchObject([
      { vendorId: 'h1', status: 'IN_PROGRESS', vendorStatus: '2', goodQuantity: 3, workOrderId: 'w1' },
    ]);
    expect(await c.inventoryByProduct('p1')).toMatchObject([{ productId: 'p1', warehouseId: 'wh', quantity: 4 }]);
    expect(await c.routeOperations('unknown')).toEqual([]);
    const [missing] = await c.getRoutes(['unknown']);
    expect(missing).toBeInstanceOf(NotFoundError);
  });

  it('reads all warehouse pages: the rest in parallel once the total is known', async () => {
    const all = Array.from({ length: 250 }, (_, i) => ({ uuid: `wh${i}`, name: `W${i}`, code: null }));
    upstream.handler = (r) => {
      const start = Number(r.query.start);
      return { body: { data: all.slice(start, start + Number(r.query.limit)), total: all.length } };
    };
    const got = await client().listWarehouses();
    expect(got.map((w) => w.vendorId)).toEqual(all.map((w) => w.uuid));
    expect(upstream.requests.map((r) => `${r.path}?${r.query.start}/${r.query.limit}`).sort()).toEqual([
      '/v1/warehouse/?0/100',
      '/v1/warehouse/?100/100',
      '/v1/warehouse/?200/100',
    ]);
  });

  it('reads all storage-location pages from bare arrays until a short page', async () => {
    const all = Array.from({ length: 200 }, (_, i) => ({ uuid: `s${i}`, warehouse_uuid: 'wh', name: `S${i}` }));
    upstream.handler = (r) => {
      const start = Number(r.query.start);
      return { body: all.slice(start, start + Number(r.query.limit)) };
    };
    const got = await client().listStorageLocations();
    expect(got).toHaveLength(200);
    expect(upstream.requests.map((r) => r.query.start)).toEqual(['0', '100', '200']);
  });

  it('creates a work order and maps the answer', async () => {
    upstream.handler = (r) => ({ status: 201, body: { ...(r.body as object), uuid: 'new-1', good: 0 } });
    const created = await client().createWorkOrder({
      vendor: 'DOTZERO',
      orderNumber: 'WO-9',
      quantity: 5,
      priority: 'HIGH',
      notes: 'n',
      routeId: 'r1',
    });
    expect(created).toMatchObject({
      vendorId: 'new-1',
      orderNumber: 'WO-9',
      status: 'OPEN',
      priority: 'HIGH',
      notes: 'n',
      routeId: 'r1',
    });
    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/workOrders',
      body: { work_order_id: 'WO-9', qty: 5, status: 1, is_asap: true, memo: 'n', route_uuid: 'r1' },
    });
  });

  it('reads a created order back by work_order_id when the answer holds none', async () => {
    upstream.handler = (r) =>
      r.method === 'POST'
        ? { status: 201, body: { message: 'created' } }
        : { body: wo('u-9', { work_order_id: 'WO-9' }) };
    const created = await client().createWorkOrder({ vendor: 'DOTZERO', orderNumber: 'WO-9', quantity: 5 });
    expect(created.vendorId).toBe('u-9');
    expect(upstream.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/workOrders',
      'GET /v1/workOrders/WO-9',
    ]);
  });

  // The field reaches the ValidationError from the UpstreamError VendorHttp made (err.field), not from its message,
  // and in the gateway's input names.
  it.each<[number, unknown, string | undefined, string | undefined]>([
    [
      422,
      { code: 'DUPLICATE', field: 'work_order_id', message: `duplicate, token ${OLD}` },
      'orderNumber',
      'DUPLICATE',
    ],
    [422, { message: 'qty must be positive' }, undefined, undefined],
    [400, { errors: [{ field: 'qty', message: 'must be positive' }] }, 'quantity', undefined],
    [400, { error: { code: 'VALIDATION_ERROR', field: 'deadline' } }, 'dueDate', 'VALIDATION_ERROR'],
    [422, { code: 'E422', field: `token ${OLD}` }, undefined, 'E422'],
  ])('a %i on create is a ValidationError (%j)', async (status, body, field, code) => {
    upstream.handler = () => ({ status, body: body });
    const err = await caught(client().createWorkOrder({ vendor: 'DOTZERO', orderNumber: 'WO-1', quantity: 1 }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ vendor: 'DOTZERO', field });
    if (code) expect(err.message).toContain(code);
    expect(err.message).not.toContain(OLD);
    expect(err.message).not.toContain('positive');
  });

  it('refuses a customer before any call', async () => {
    const err = await caught(
      client().createWorkOrder({ vendor: 'DOTZERO', orderNumber: 'W', quantity: 1, customer: 'ACME' }),
    );
    expect(err).toMatchObject({ name: 'ValidationError', field: 'customer' });
    expect(upstream.requests).toHaveLength(0);
  });

  it('updates with PATCH of the updatable fields only; nothing to change makes no call; 404 is NotFound', async () => {
    upstream.handler = (r) => (r.path.endsWith('/gone') ? { status: 404 } : { body: wo('a') });
    const c = client();
    await c.updateWorkOrder('a', { quantity: 7, notes: null });
    expect(upstream.requests[0]).toMatchObject({
      method: 'PATCH',
      path: '/v1/workOrders/a',
      body: { qty: 7, memo: null },
    });
    await c.updateWorkOrder('a', {});
    expect(upstream.requests).toHaveLength(1);
    expect(await caught(c.updateWorkOrder('gone', { quantity: 1 }))).toBeInstanceOf(NotFoundError);
    expect(await caught(c.updateWorkOrder('a', { productId: 'p' }))).toMatchObject({
      name: 'ValidationError',
      field: 'productId',
    });
    expect(upstream.requests).toHaveLength(2);
  });

  it('completes with a PATCH of status 3 carrying good and memo', async () => {
    upstream.handler = () => ({ body: wo('a', { status: 3 }) });
    await client().transition('a', 'IN_PROGRESS', { to: 'COMPLETED', completedQuantity: 9, notes: 'done' });
    expect(upstream.requests).toEqual([
      expect.objectContaining({
        method: 'PATCH',
        path: '/v1/workOrders/a',
        body: { status: 3, good: 9, memo: 'done' },
      }),
    ]);
  });

  // The state table is checked once, by the writes (test/integration/mutations.test.ts proves no call is made);
  // the client sends what it is asked, and DotZero's own 422 is its refusal.
  it.each([
    ['OPEN', 'COMPLETED', 3],
    ['COMPLETED', 'IN_PROGRESS', 2],
    ['IN_PROGRESS', 'IN_PROGRESS', 2],
  ] as const)(
    'sends %s -> %s as asked (status %i): the writes refuse it, not the client',
    async (current, to, status) => {
      upstream.handler = () => ({ body: wo('a', { status }) });
      await client().transition('a', current, { to });
      expect(upstream.requests).toEqual([
        expect.objectContaining({ method: 'PATCH', path: '/v1/workOrders/a', body: { status } }),
      ]);
    },
  );

  it.each([
    ['OPEN', 'CANCELLED'],
    ['IN_PROGRESS', 'PAUSED'],
  ] as const)('refuses %s -> %s (a status DotZero lacks) without calling DotZero', async (current, to) => {
    const err = await caught(client().transition('a', current, { to }));
    expect(err).toBeInstanceOf(InvalidTransitionError);
    expect(err).toMatchObject({ vendor: 'DOTZERO', currentStatus: current, requested: to });
    expect(upstream.requests).toHaveLength(0);
  });

  it("turns DotZero's 422 on a status change into InvalidTransitionError from the caller's status", async () => {
    upstream.handler = () => ({ status: 422, body: { message: 'invalid status' } });
    const err = await caught(client().transition('a', 'OPEN', { to: 'IN_PROGRESS' }));
    expect(err).toBeInstanceOf(InvalidTransitionError);
    expect(err).toMatchObject({ currentStatus: 'OPEN', allowedTransitions: ['IN_PROGRESS'], requested: 'IN_PROGRESS' });
  });

  it.each([
    [{ message: 'good exceeds qty', field: 'good' }, 'completedQuantity'],
    [{ error: { code: 'VALIDATION_ERROR', field: 'memo' } }, 'notes'],
  ])(
    "turns DotZero's 422 naming an input the change carried (%j) into that input's ValidationError",
    async (body, field) => {
      upstream.handler = () => ({ status: 422, body });
      const change = { to: 'COMPLETED', completedQuantity: 9, notes: 'done' } as const;
      const err = await caught(client().transition('a', 'IN_PROGRESS', change));
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toMatchObject({ vendor: 'DOTZERO', field });
    },
  );

  it.each([
    [{ code: 'INVALID_STATUS_TRANSITION', field: 'status' }],
    // Named, but not sent: not the caller's value, so the move is what was refused.
    [{ message: 'bad memo', field: 'memo' }],
    [{ message: 'bad qty', field: 'qty' }],
  ])("a 422 naming no input the change carried (%j) is still the vendor's refusal of the move", async (body) => {
    upstream.handler = () => ({ status: 422, body });
    const err = await caught(client().transition('a', 'OPEN', { to: 'IN_PROGRESS' }));
    expect(err).toBeInstanceOf(InvalidTransitionError);
  });

  it('deletes with DELETE; 404 is NotFound; other failures stay upstream errors', async () => {
    upstream.handler = (r) =>
      r.path.endsWith('/gone') ? { status: 404 } : r.path.endsWith('/busy') ? { status: 429 } : { status: 204 };
    const c = client();
    await c.deleteWorkOrder('a');
    expect(upstream.requests[0]).toMatchObject({ method: 'DELETE', path: '/v1/workOrders/a' });
    expect(await caught(c.deleteWorkOrder('gone'))).toBeInstanceOf(NotFoundError);
    expect(await caught(c.deleteWorkOrder('busy'))).toMatchObject({ name: 'UpstreamError', kind: 'rate_limited' });
  });

  it('says what it can do', () => {
    expect(client().capabilities).toEqual({
      read: true,
      create: true,
      update: true,
      delete: true,
      transitions: true,
      batchLookup: false,
    });
  });
});
