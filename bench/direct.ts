// The ceiling of `npm run bench`: a hand-written undici client that makes the same vendor calls as the gateway for
// each scenario (same endpoints, same number, same order of dependence) and maps the answers to the same JSON the
// gateway answers with, but nothing else: no GraphQL, no security layer, no general mapping. It shares no code with
// the gateway on purpose (the ids, status tables and envelopes are written out here), so the bench's "same answers"
// check compares two independent readings.
import { randomBytes } from 'node:crypto';
import { Pool } from 'undici';

type Rec = Record<string, any>;
export type Env = Record<string, string>;

const DZ_STATUS: Record<string, string> = { 1: 'OPEN', 2: 'IN_PROGRESS', 3: 'COMPLETED', 4: 'INCOMPLETE' };
const PB_STATUS: Record<string, string> = {
  CREATED: 'OPEN',
  INPROGRESS: 'IN_PROGRESS',
  COMPLETE: 'COMPLETED',
  CANCELED: 'CANCELLED',
  CLOSED: 'CLOSED',
};
const globalId = (type: string, vendor: string, key: string) =>
  Buffer.from(`${type}:${vendor}:${key}`, 'utf8').toString('base64url');
const list = (body: any): Rec[] => (Array.isArray(body) ? body : (body?.data ?? body?.items ?? []));
const one = (body: any): Rec =>
  body && typeof body === 'object' && body.data && !Array.isArray(body.data) ? body.data : body;

export interface Direct {
  W1(): Promise<unknown>;
  W2(): Promise<unknown>;
  W3(): Promise<unknown>;
  W4(id: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function createDirect(env: Env): Promise<Direct> {
  const pools = new Map<string, Pool>();
  const pool = (origin: string) => {
    let p = pools.get(origin);
    if (!p) pools.set(origin, (p = new Pool(origin, { connections: 32, pipelining: 1, keepAliveTimeout: 30_000 })));
    return p;
  };
  const split = (base: string) => {
    const u = new URL(base);
    return { pool: pool(u.origin), prefix: u.pathname.replace(/\/$/, '') };
  };
  const dz = split(env.DOTZERO_API_URL!);
  const gm = split(env.GENERIC_MES_API_URL!);
  const pb = split(env.PITNEY_BOWES_API_URL!);
  const dzAuth = `Bearer ${env.DOTZERO_TOKEN}`;
  const gmAuth = `Bearer ${env.GENERIC_MES_API_KEY}`;

  const call = async (
    p: { pool: Pool; prefix: string },
    path: string,
    headers: Record<string, string>,
    body?: string,
  ) => {
    const res = await p.pool.request({
      method: body === undefined ? 'GET' : 'POST',
      path: p.prefix + path,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const json = await res.body.json();
    if (res.statusCode >= 300)
      throw new Error(`direct ${path}: ${res.statusCode} ${JSON.stringify(json).slice(0, 200)}`);
    return json;
  };
  const dzGet = (path: string) => call(dz, path, { authorization: dzAuth, accept: 'application/json' });

  // Pitney Bowes: one token for the run (the gateway caches its token the same way), a fresh transaction id per call.
  const oauth = new URL(env.PITNEY_BOWES_OAUTH_URL!);
  const tokenRes = await pool(oauth.origin).request({
    method: 'POST',
    path: oauth.pathname,
    headers: {
      authorization: `Basic ${Buffer.from(`${env.PITNEY_BOWES_API_KEY}:${env.PITNEY_BOWES_API_SECRET}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const pbAuth = `Bearer ${((await tokenRes.body.json()) as Rec).access_token}`;
  let seq = 0;
  const pbSearch = (size: number) =>
    call(
      pb,
      `/v1/work-orders/search?page=1&size=${size}`,
      {
        authorization: pbAuth,
        'content-type': 'application/json',
        'x-pb-transactionid': `bench-${(seq++).toString(36)}-${randomBytes(4).toString('hex')}`,
      },
      JSON.stringify({
        clientId: env.PITNEY_BOWES_CLIENT_ID,
        sort: ['pbCreateDate-asc'],
        searchFields: [{ name: 'pbCreateDate', from: '1970-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' }],
      }),
    );

  const dzScalars = (wo: Rec) => ({
    id: globalId('DotZeroWorkOrder', 'DOTZERO', wo.uuid),
    orderNumber: wo.work_order_id ?? '',
    status: DZ_STATUS[wo.status] ?? 'OPEN',
  });

  /** route { name operations { name } } and product { name } of DotZero orders: each distinct route, its steps, its product once. */
  const dzRelations = async (orders: Rec[], withVendor: boolean) => {
    const routeIds = [...new Set(orders.map((wo) => wo.route_uuid).filter(Boolean))] as string[];
    const routes = new Map<string, Rec>();
    const steps = new Map<string, Rec[]>();
    await Promise.all(
      routeIds.flatMap((id) => [
        dzGet(`/v1/routes/${id}`).then((b) => routes.set(id, one(b))),
        dzGet(`/v1/routeOperation/${id}/byRouteUuid`).then((b) =>
          steps.set(
            id,
            list(b)
              .map((op, i) => ({ op, i }))
              .sort((a, b2) => (a.op.sequence ?? Infinity) - (b2.op.sequence ?? Infinity) || a.i - b2.i)
              .map(({ op }) => op),
          ),
        ),
      ]),
    );
    // A step that names no operation is named by the operation it performs (one call per distinct operation).
    const stepName = (op: Rec): string | null => op.operation_name || op.name || op.operation?.name || null;
    const opIds = [
      ...new Set(
        [...steps.values()]
          .flat()
          .filter((op) => !stepName(op))
          .map((op) => op.operation_uuid ?? op.operation?.uuid)
          .filter(Boolean),
      ),
    ] as string[];
    const opNames = new Map<string, string>();
    const productIds = [...new Set([...routes.values()].map((r) => r.product_uuid).filter(Boolean))] as string[];
    const products = new Map<string, Rec>();
    await Promise.all([
      ...productIds.map((id) => dzGet(`/v1/products/${id}`).then((b) => products.set(id, one(b)))),
      ...opIds.map((id) =>
        dzGet(`/v1/operation/${id}`).then((b) => opNames.set(id, one(b).name ?? one(b).operation_name ?? '')),
      ),
    ]);
    const nameOf = (op: Rec) => stepName(op) ?? opNames.get(op.operation_uuid ?? op.operation?.uuid) ?? '';
    return orders.map((wo) => {
      const route = wo.route_uuid ? routes.get(wo.route_uuid) : undefined;
      const product = route?.product_uuid ? products.get(route.product_uuid) : undefined;
      const s = dzScalars(wo);
      return {
        node: {
          id: s.id,
          ...(withVendor ? { vendor: 'DOTZERO' } : {}),
          orderNumber: s.orderNumber,
          status: s.status,
          route: route
            ? {
                name: route.name ?? '',
                operations: (steps.get(wo.route_uuid) ?? []).map((op) => ({ name: nameOf(op) })),
              }
            : null,
          product: product ? { name: product.name ?? '' } : null,
        },
      };
    });
  };

  return {
    async W1() {
      const orders = list(await dzGet('/v1/workOrders/?start=0&limit=20'));
      return { workOrders: { edges: orders.map((wo) => ({ node: dzScalars(wo) })) } };
    },
    async W2() {
      const orders = list(await dzGet('/v1/workOrders/?start=0&limit=20'));
      return { workOrders: { edges: await dzRelations(orders, false) } };
    },
    async W3() {
      const [dzOrders, gmBody, pbBody] = await Promise.all([
        dzGet('/v1/workOrders/?start=0&limit=17'),
        call(gm, '/work-orders?page=1&limit=17&sort=createdAt', { authorization: gmAuth, accept: 'application/json' }),
        pbSearch(16),
      ]);
      return {
        dz: { edges: await dzRelations(list(dzOrders), true) },
        gm: {
          edges: list(gmBody).map((wo) => ({
            node: {
              id: globalId('GenericMesWorkOrder', 'GENERIC_MES', wo.id),
              vendor: 'GENERIC_MES',
              orderNumber: wo.orderNumber ?? '',
              status: wo.status,
              route: null,
              product: wo.product ? { name: wo.product } : null,
            },
          })),
        },
        pb: {
          edges: ((pbBody as Rec).workOrders ?? []).map((wo: Rec) => ({
            node: {
              id: globalId('PitneyBowesWorkOrder', 'PITNEY_BOWES', wo.workOrderId),
              vendor: 'PITNEY_BOWES',
              orderNumber: wo.clientWorkOrderId ?? '',
              status: PB_STATUS[wo.status] ?? 'OPEN',
              route: null,
              product: wo.sku ? { name: wo.sku } : null,
            },
          })),
        },
      };
    },
    async W4(uuid: string) {
      const wo = one(await dzGet(`/v1/workOrders/${uuid}`));
      return { workOrder: { ...dzScalars(wo), vendorStatus: String(wo.status ?? ''), quantity: wo.qty ?? 0 } };
    },
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}
