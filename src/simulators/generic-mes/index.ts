// The generic MES (REST v2) simulator: one loopback server answering under `/api/v2` with a Bearer API key.
import { clearFaults, startSimServer, type Route, type SimRequest, type SimResponse } from '../harness.js';
import type { GenericMesSimulator } from '../types.js';
import { RateLimiter, checkApiKey, errorBody } from './auth.js';
import { DEFAULT_SEED, seedStore } from './data.js';
import { isoSeconds } from './data.js';
import { BASE_PATH, ROUTES, createRoutes, detail, type SimContext } from './routes.js';
import { WebhookSender, type WebhookTarget } from './webhooks.js';

export { DEFAULT_SEED, SEED_ORDER_COUNT } from './data.js';
export { ROUTES } from './routes.js';

/** Not a secret: the simulator's fixed key, so a local `.env` or a test can name it. */
export const GENERIC_MES_SIM_API_KEY = 'gmes_sim_4c1f9a7e2b5d8036';

function patternRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/:[^/]+/g, '[^/]+')}/?$`);
}

export async function startGenericMesSimulator(
  options: { seed?: number; webhook?: WebhookTarget } = {},
): Promise<GenericMesSimulator> {
  const seed = options.seed ?? DEFAULT_SEED;
  const apiKey = GENERIC_MES_SIM_API_KEY;
  const ctx: SimContext = { store: seedStore(seed) };
  const limiter = new RateLimiter();
  const webhooks = new WebhookSender(options.webhook);

  /** Every change made through the API is announced, as the vendor's webhooks would. */
  const announcing = (route: Route): Route => {
    if (route.method === 'GET' || !route.pattern.includes('/work-orders')) return route;
    return {
      ...route,
      handler: async (req) => {
        const before = req.params.id ? ctx.store.orders.get(req.params.id) : undefined;
        const beforeDetail = before ? detail(before) : undefined;
        const res = await route.handler(req);
        if (res.status < 200 || res.status >= 300) return res;
        if (route.method === 'DELETE') {
          if (beforeDetail) webhooks.send('work_order.deleted', beforeDetail);
        } else {
          const id = req.params.id ?? (res.body as { data?: { id?: string } } | undefined)?.data?.id;
          const order = id ? ctx.store.orders.get(id) : undefined;
          if (order) webhooks.send(req.params.id ? 'work_order.updated' : 'work_order.created', detail(order));
        }
        return res;
      },
    };
  };

  // Rate limit first (it guards the service, whoever asks), then the key, then the vendor's own rules.
  const gate = (req: SimRequest, next: (req: SimRequest) => SimResponse | Promise<SimResponse>) =>
    limiter.take() ?? checkApiKey(req, apiKey) ?? next(req);

  const routes: Route[] = createRoutes(ctx)
    .map(announcing)
    .map((r) => ({ ...r, handler: (req) => gate(req, r.handler) }));
  const known = routes.map((r) => ({ method: r.method, regex: patternRegex(r.pattern) }));

  const notFound = (req: SimRequest): SimResponse => {
    const gated = limiter.take() ?? checkApiKey(req, apiKey);
    if (gated) return gated;
    const allowed = known.filter((k) => k.regex.test(req.path)).map((k) => k.method);
    if (allowed.length > 0) {
      return {
        status: 405,
        headers: { allow: allowed.join(', ') },
        body: errorBody('METHOD_NOT_ALLOWED', `${req.method} is not allowed here`),
      };
    }
    return { status: 404, body: errorBody('NOT_FOUND', 'Resource not found') };
  };

  const server = await startSimServer(routes, { name: 'generic-mes', notFound });

  return {
    apiUrl: `${server.origin}${BASE_PATH}`,
    apiKey,
    setRateLimit: (perMinute) => limiter.set(perMinute),
    settled: () => server.settled(),
    setWebhook(target) {
      webhooks.target = target;
    },
    webhooksDelivered: () => webhooks.delivered(),
    settleWebhooks: () => webhooks.settle(),
    changeOrder() {
      // Work goes on on the shop floor: one more piece done on an order in progress.
      const order = [...ctx.store.orders.values()].find(
        (o) => o.status === 'IN_PROGRESS' && o.completedQuantity < o.quantity,
      );
      if (!order) return undefined;
      order.completedQuantity += 1;
      order.updatedAt = isoSeconds(Date.now());
      webhooks.send('work_order.updated', detail(order));
      return order.id;
    },
    counts: () => server.counts(),
    count: (key) => server.count(key),
    total: () => server.total(),
    resetCounts: () => server.resetCounts(),
    faults: server.faults,
    observeWrites(fn) {
      server.onHandled = fn;
    },
    faultCounts: () => server.faultCounts(),
    reset() {
      ctx.store = seedStore(seed);
      server.resetCounts();
      clearFaults(server.faults);
      limiter.set(undefined);
    },
    close: async () => {
      webhooks.target = undefined;
      await server.close();
    },
  };
}

/** Route keys the counters use, e.g. `GET /api/v2/work-orders/:id`. */
export const GENERIC_MES_ROUTE_KEYS: readonly string[] = Object.values(ROUTES);
