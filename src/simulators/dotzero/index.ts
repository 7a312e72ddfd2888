// DotZero MES simulator: the work-order API and, as at DotZero, a separate user API that refreshes tokens.
import { clearFaults, startSimServer, type SimServer } from '../harness.js';
import type { DotZeroSimulator } from '../types.js';
import { TENANT_ID, TokenAuthority } from './auth.js';
import { createStore, DEFAULT_SEED } from './data.js';
import { errorBody, userApiRoutes, workOrderApiRoutes, type DotZeroContext } from './routes.js';

const DEFAULT_TTL_SECONDS = 3600;

export async function startDotZeroSimulator(options: { seed?: number } = {}): Promise<DotZeroSimulator> {
  const seed = options.seed ?? DEFAULT_SEED;
  const ctx: DotZeroContext = { store: createStore(seed), auth: new TokenAuthority() };
  const notFound = (req: { method: string; path: string }) =>
    errorBody(404, 'NOT_FOUND', `Cannot ${req.method} ${req.path}`);

  const actions = { 'revoke-tokens': () => ctx.auth.revokeAll(), 'expire-tokens': () => ctx.auth.expireAll() };
  const api = await startSimServer(workOrderApiRoutes(ctx), { name: 'dotzero-work-order-api', notFound, actions });
  let users: SimServer;
  try {
    users = await startSimServer(userApiRoutes(ctx), { name: 'dotzero-user-api', notFound });
  } catch (err) {
    await api.close();
    throw err;
  }
  const servers = [api, users];

  const counts = () => {
    const merged: Record<string, number> = {};
    for (const s of servers) for (const [key, n] of Object.entries(s.counts())) merged[key] = (merged[key] ?? 0) + n;
    return merged;
  };

  return {
    workOrderApiUrl: api.origin,
    userApiUrl: users.origin,
    tenantId: TENANT_ID,
    faults: api.faults,
    userApiFaults: users.faults,
    observeWrites(fn) {
      api.onHandled = fn;
    },
    faultCounts: () => ({ ...users.faultCounts(), ...api.faultCounts() }),
    counts,
    count: (key) => servers.reduce((sum, s) => sum + s.count(key), 0),
    total: () => servers.reduce((sum, s) => sum + s.total(), 0),
    resetCounts: () => servers.forEach((s) => s.resetCounts()),
    reset() {
      // Tokens survive a reset (a test's credentials stay good); data, counters, faults and the refresh TTL do not.
      ctx.store = createStore(seed);
      ctx.auth.refreshTtlSeconds = DEFAULT_TTL_SECONDS;
      for (const s of servers) {
        s.resetCounts();
        clearFaults(s.faults);
      }
    },
    issueCredentials(ttlSeconds = DEFAULT_TTL_SECONDS) {
      const { token, expiresAt } = ctx.auth.issue(ttlSeconds);
      return { token, refreshToken: ctx.auth.refreshToken, tenantId: TENANT_ID, expiresAt };
    },
    revokeAccessTokens: () => ctx.auth.revokeAll(),
    expireAccessTokens: () => ctx.auth.expireAll(),
    setRefreshTtl(seconds) {
      ctx.auth.refreshTtlSeconds = seconds;
    },
    refreshCalls: () => users.count('POST /v2/auth/token'),
    changeOrder() {
      // 1 pending, 2 in progress (the skill's status codes): a pending order starts, a running one makes a piece.
      const order = [...ctx.store.workOrders.values()].find(
        (o) => (o.status === 1 || o.status === 2) && o.good < o.qty,
      );
      if (!order) return undefined;
      const at = new Date().toISOString();
      if (order.status === 1) {
        order.status = 2;
        order.start_time = at;
      } else order.good += 1;
      order.updated_at = at;
      return order.uuid;
    },
    deleteOrder() {
      // 3 completed, 1 pending (the skill's status codes); an order in progress is never pulled from the floor.
      const orders = [...ctx.store.workOrders.values()];
      const order = orders.find((o) => o.status === 3) ?? orders.find((o) => o.status === 1);
      if (!order) return undefined;
      ctx.store.workOrders.delete(order.uuid);
      ctx.store.opHistory = ctx.store.opHistory.filter((rec) => rec.work_order_uuid !== order.uuid);
      return order.uuid;
    },
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
