// createGateway(config) -> a yoga instance wired to the vendor clients. main.ts serves it; tests call yoga.fetch.
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayConfig, DotZeroSettings, GenericMesSettings, PitneyBowesSettings } from './config.js';
import type { GatewayContext, Principal } from './context.js';
import { VENDORS, type Vendor, type WorkOrder } from './domain/model.js';
import { maskError } from './errors.js';
import { createMetrics } from './metrics.js';
import { createChangeFeed, type ChangeFeed } from './events/feed.js';
import {
  createPoller,
  memoryRosters,
  memoryWatermarks,
  redisRosters,
  redisWatermarks,
  type ChangePoller,
} from './events/poller.js';
import { webhookPlugin } from './events/webhook-route.js';
import { streamPlugin } from './events/stream-route.js';
import { createFastLane, type FastLane } from './execution/fast-lane.js';
import { frontDoor, type FrontDoor } from './execution/front-door.js';
import { JitPlans, useJit } from './execution/jit.js';
import { ResponseCache } from './execution/response-cache.js';
import { createLoaders } from './loaders/index.js';
import { createLogger, type Logger } from './logger.js';
import { schema, subgraphSchema } from './schema/index.js';
import { alwaysHeld, redisLease } from './shared/lease.js';
import { memoryOnce, redisOnce } from './shared/once.js';
import { redisApqStore } from './shared/apq.js';
import { RedisIdempotencyStore } from './shared/idempotency.js';
import { redisRateLimiter } from './shared/rate-limit.js';
import { RedisKeyedLock } from './shared/lock.js';
import { redisTokenStore } from './shared/tokens.js';
import { RedisReadCache } from './shared/read-cache.js';
import { sharedStateOf } from './shared/ready.js';
import { connectRedis, type SharedRedis } from './shared/redis.js';
import { DEFAULT_TICKET_TTL_MS, memoryTickets, redisTickets } from './shared/tickets.js';
import { DEFAULT_RATE_LIMIT_PER_MINUTE, callerOf, type Caller } from './security/auth.js';
import {
  batchingOf,
  corsOf,
  principalOf,
  requestIdOf,
  schemaFor,
  securityLayer,
  whenRequestIdKnown,
  type SecurityOptions,
} from './security/index.js';
import type { CallObserver } from './vendors/http.js';
import { createVendorAdapters, type VendorAdapters } from './vendors/registry.js';
import { VendorGuards, resolvePolicy } from './vendors/resilience.js';
import { MemoryReadCache, ReadSharing } from './vendors/sharing.js';
import { bodyLimit } from './security/body-limit.js';
import type { VendorHealthSource } from './domain/health.js';
import { healthPlugin } from './health.js';
import type { VendorClients } from './vendors/types.js';
import type { PreparedCatalog } from './security/prepared.js';
import { MemoryIdempotencyStore } from './writes/idempotency.js';
import { createWrites } from './writes/index.js';
import { KeyedLock } from './writes/lock.js';

export interface ResolvedVendors {
  DOTZERO: DotZeroSettings;
  GENERIC_MES: GenericMesSettings;
  PITNEY_BOWES: PitneyBowesSettings;
}

export interface GatewayOptions {
  config: GatewayConfig;
  /** Every vendor's settings: the configured ones and, for the others, their simulators'. */
  vendors: ResolvedVendors;
  simulated?: ReadonlySet<Vendor>;
  logger?: Logger;
  observe?: CallObserver;
  /** Connected Redis (from REDIS_URL): shared state and pub/sub. Without it, memory. */
  redis?: SharedRedis;
  /** Plugins run after all of the gateway's own (tests observe the pipeline with them). */
  plugins?: Plugin<GatewayContext>[];
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  /** Node's request listener: the fast lane, then yoga (execution/front-door.ts). What `npm start` serves. */
  handle: FrontDoor['handle'];
  /** The same door for a fetch Request. */
  fetch: FrontDoor['fetch'];
  /** Plain queries served without yoga's pipeline; undefined with GATEWAY_FAST_LANE=false. */
  lane: FastLane | undefined;
  adapters: VendorAdapters;
  /** Each vendor's client (the adapters' own). */
  clients: VendorClients;
  logger: Logger;
  changes: ChangeFeed;
  poller: ChangePoller;
  redis: SharedRedis | undefined;
  /** Resolves once the replica hears the shared change channel. */
  ready: Promise<void>;
  /** Every vendor's health, from the gateway's own calls. */
  health: VendorHealthSource;
  /** Vendor reads shared across requests (counters for tests and the bench). */
  sharing: ReadSharing;
  /** The catalog documents prepared at start-up for the lean path; undefined with GATEWAY_LEAN_PERSISTED=false. */
  prepared: PreparedCatalog | undefined;
  /** Compiled plans, unless GATEWAY_JIT=false. */
  jit: JitPlans | undefined;
  close(): Promise<void>;
}

export const OPEN_PRINCIPAL: Principal = {
  name: 'local',
  id: 'open',
  role: 'open',
  scopes: ['workorders:read', 'workorders:write'],
  vendors: VENDORS,
};

export function createGateway(options: GatewayOptions): Gateway {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.production);
  // One guard per vendor (deadlines, bulkhead, breaker, retry budget, health), shared by that vendor's clients.
  const guards = new VendorGuards((vendor) =>
    resolvePolicy(
      { timeoutMs: config.upstreamTimeoutMs, ...(config.upstreamBreaker ? { breaker: config.upstreamBreaker } : {}) },
      config.upstream?.defaults,
      config.upstream?.vendors?.[vendor],
    ),
  );
  const metrics = config.metrics === false ? undefined : createMetrics(guards);
  const observers = [metrics?.observeCall, options.observe].filter((o): o is CallObserver => o !== undefined);
  // Vendor reads shared across requests, each part off unless turned on: in flight in this process, cached in
  // Redis when there is one (every replica sees the same answers and the same invalidations), else in memory.
  const cacheTtl = config.readCacheTtlMs ?? 0;
  const sharing = new ReadSharing({
    inflight: config.shareInflightReads === true,
    ...(cacheTtl > 0
      ? {
          cache: options.redis
            ? new RedisReadCache(options.redis, cacheTtl)
            : new MemoryReadCache(cacheTtl, config.readCacheMaxEntries ?? 5_000),
        }
      : {}),
  });
  const adapters = createVendorAdapters(options.vendors, {
    guards,
    ...(sharing.active ? { sharing } : {}),
    timeoutMs: config.upstreamTimeoutMs,
    ...(options.redis ? { tokens: redisTokenStore(options.redis) } : {}),
    ...(config.upstreamBreaker ? { breaker: config.upstreamBreaker } : {}),
    ...(observers.length > 0 ? { observe: (event) => observers.forEach((o) => o(event)) } : {}),
  });
  const simulated = options.simulated ?? new Set<Vendor>();
  const redis = options.redis;
  // With Redis, what replicas must agree on lives there; without it, in this process.
  const idempotency = redis ? new RedisIdempotencyStore(redis) : new MemoryIdempotencyStore(config.idempotencyTtlMs);
  const locks = redis ? new RedisKeyedLock(redis) : new KeyedLock();
  const jit = config.jit !== false ? new JitPlans() : undefined;
  const security: SecurityOptions = {
    config,
    logger,
    schemas: [schema, subgraphSchema()],
    ...(jit ? { jit } : {}),
    ...(redis ? { rateLimiter: redisRateLimiter(redis), apqStore: redisApqStore(redis) } : {}),
  };
  const layer = securityLayer(security);
  const { plugins: securityPlugins, catalog: prepared } = layer;
  const changes = createChangeFeed({ redis, logger });
  // A change the gateway hears of from a vendor (a webhook, a poll) makes that order's cached answers and its
  // vendor's lists stale at once, as its own writes do: the TTL alone would serve the old state until it passed.
  // Whole answers kept by the fast lane (RESPONSE_CACHE_TTL_MS): made stale by the same writes and changes.
  // Extra plugins observe yoga's pipeline (tests): with them every request takes it.
  const laneOn = config.fastLane !== false && !options.plugins?.length;
  const responses =
    (config.responseCacheTtlMs ?? 0) > 0 && laneOn
      ? new ResponseCache(config.responseCacheTtlMs ?? 0, config.responseCacheMaxBytes ?? 32 * 1024 * 1024)
      : undefined;
  const stale = {
    async invalidate(vendor: Vendor, key: string | undefined, lists: boolean) {
      responses?.bump(vendor);
      if (sharing.active) await sharing.invalidate(vendor, key, lists);
    },
  };
  const invalidating = sharing.caching || responses ? staleOnChange(changes, stale, logger) : undefined;
  const changed = (after: WorkOrder | null, before: WorkOrder | undefined) => {
    const told = after
      ? changes.observe(after, 'MUTATION', { before, kind: before ? 'UPDATED' : 'CREATED' })
      : before
        ? changes.removed(before, 'MUTATION')
        : undefined;
    told?.catch((err: Error) => logger.warn({ err: { name: err.name, message: err.message } }, 'change not published'));
  };
  const pollIntervalMs = config.pollIntervalMs ?? 0;
  const poller = createPoller({
    sources: VENDORS.map((v) => adapters[v].client),
    feed: changes,
    // A lease outlives a few rounds, so a slow round does not lose it; a dead holder's runs out soon after.
    lease: redis ? redisLease(redis, 'poll', Math.max(1_000, 3 * pollIntervalMs)) : alwaysHeld,
    watermarks: redis ? redisWatermarks(redis) : memoryWatermarks(),
    rosters: redis ? redisRosters(redis) : memoryRosters(),
    intervalMs: pollIntervalMs,
    logger,
  });
  const writes = createWrites({
    adapters,
    idempotency,
    locks,
    changed,
    ...(sharing.active || responses ? { sharedReads: stale } : {}),
  });
  const ticketTtlMs = config.subscriptionTicketTtlMs ?? DEFAULT_TICKET_TTL_MS;
  const tickets = redis ? redisTickets(redis, ticketTtlMs) : memoryTickets(ticketTtlMs);

  // Production hides error details; our own errors keep their message and code either way (see errors.ts).
  // An unexpected error gets the request id, and its log line, once the result is processed (request-id.ts):
  // errors raised outside execution (auth, parsing, context building) reach this with nothing but the error.
  const gatewayMaskError = (error: unknown, _message: string, isDev?: boolean): GraphQLError => {
    let unexpected: { err: unknown } | undefined;
    const masked = maskError(error, undefined, (err) => (unexpected = { err }), isDev);
    if (masked === error || masked.extensions.code !== 'INTERNAL_SERVER_ERROR') return masked;
    // yoga's flag: a response with such an error and no data at all is a 500, not a 200.
    const flagged = new GraphQLError(masked.message, {
      nodes: masked.nodes,
      path: masked.path,
      extensions: { ...masked.extensions, unexpected: true },
    });
    whenRequestIdKnown(flagged, (requestId) => {
      (flagged.extensions as Record<string, unknown>).requestId = requestId;
      if (unexpected) logger.error({ requestId, err: safeErr(unexpected.err) }, 'unexpected error');
    });
    return flagged;
  };

  /** The per-request context, once the caller is known: loaders made for it, so they only reach its vendors. */
  const contextFor = (request: {
    principal: Principal;
    caller: Caller | undefined;
    requestId: string;
    idempotencyKey: string | undefined;
  }): GatewayContext => {
    const { principal } = request;
    const loaders = createLoaders({ adapters, vendors: principal.vendors, simulated });
    // Yoga copies this object into its own context, so the replay mark is a holder shared by reference.
    const replay = { replayed: false };
    return {
      requestId: request.requestId,
      idempotencyKey: request.idempotencyKey,
      idempotency: replay,
      partialErrors: [],
      health: guards,
      principal,
      changes,
      loaders,
      issueTicket: () =>
        tickets.issue(request.caller ?? { principal, rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE }),
      // Bound now, though most requests never write. A getter here (bound on first use) is kept by V8 in an
      // accessor pair that it allocates in the old generation, which only a full collection frees; through the
      // getter's closure it held the request's loaders and vendor answers, so every young collection kept them
      // and moved them to the old generation: 1.3 MB a collection at 100 W1 queries a second, scavenges of 5-8 ms
      // (README, Memory; test/integration/gc-retention.test.ts). Binding costs a few closures.
      writes: writes.forRequest({
        caller: principal.id,
        assertVisible: loaders.assertVisible,
        orders: loaders.orders,
        replayed: () => (replay.replayed = true),
      }),
    };
  };

  const yoga: YogaServerInstance<Record<string, unknown>, GatewayContext> = createYoga<
    Record<string, unknown>,
    GatewayContext
  >({
    // Federation routers (and the open gateway) get the subgraph schema; partners and frontends the API schema.
    schema: schemaFor(config, schema, subgraphSchema),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.graphiql ? { title: 'MES Gateway', defaultQuery: EXAMPLE_QUERY } : false,
    // GraphiQL from the package's own bundle (script, styles, editor workers and favicon inline in the page):
    // factories often have no internet, and nothing served may come from a CDN. The bundle is 9 MB: loaded on
    // the first page view, not at start-up.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    cors: corsOf(config),
    maskedErrors: { isDev: !config.production, maskError: gatewayMaskError },
    batching: batchingOf(config),
    // Checked on Content-Length and, for chunked bodies, while the body streams in: 413 over it. Our own plugin
    // (security/body-limit.ts, last below) in place of yoga's, which pipes every body through a stream.
    maxRequestBodySize: false,
    logging: false,
    // Loaders are made per request, after the caller is known, so they only ever reach that caller's vendors.
    context: ({ request }): GatewayContext =>
      contextFor({
        principal: principalOf(request, config) ?? OPEN_PRINCIPAL,
        caller: callerOf(request),
        requestId: requestIdOf(request),
        idempotencyKey: request.headers.get('idempotency-key') ?? undefined,
      }),
    // Metrics first, so /metrics answers before authentication (scrapers sit inside the network; METRICS=false
    // turns it off).
    plugins: [
      // /ready also says where shared state lives and whether Redis is reachable (degraded while it is not).
      // In a cluster (WORKERS), which worker answered: operators (and the cluster test) see the load spread.
      healthPlugin(guards, simulated, undefined, () => ({
        ...sharedStateOf(redis),
        ...(cluster.worker ? { worker: cluster.worker.id } : {}),
      })),
      ...(metrics ? [metrics.plugin] : []),
      // Its own route, signed by the vendor: before the GraphQL security layer, which it is not part of.
      webhookPlugin({
        secret: config.genericMesWebhookSecret,
        feed: changes,
        seen: redis ? redisOnce(redis, 'webhook:gmes') : memoryOnce(),
        logger,
        maxBodyBytes: config.maxBodyBytes,
      }) as Plugin<GatewayContext>,
      // EventSource subscriptions by ticket: answered here, then run through the whole pipeline below as the
      // ticket's caller.
      streamPlugin({
        config,
        tickets,
        logger,
        run: (request): Promise<Response> => Promise.resolve(yoga.fetch(request)),
      }),
      ...securityPlugins,
      usePartialErrors(),
      useIdempotentReplay(),
      bodyLimit(config.maxBodyBytes),
      ...(jit ? [useJit(jit)] : []),
      ...(options.plugins ?? []),
    ],
  });

  const lane = laneOn
    ? createFastLane({
        config,
        api: schema,
        subgraph: subgraphSchema,
        prepared: layer.prepared,
        catalog: prepared,
        rateLimit: layer.rateLimit,
        openPrincipal: OPEN_PRINCIPAL,
        contextFor,
        ...(jit ? { execute: jit.execute } : {}),
        maskError: gatewayMaskError,
        ...(metrics ? { observeOperation: metrics.observeOperation } : {}),
        ...(responses ? { responses } : {}),
      })
    : undefined;
  if (lane) metrics?.watchLane(lane.stats);
  const door = frontDoor(yoga, lane, config.maxBodyBytes, (err, requestId) =>
    logger.error({ requestId, err: safeErr(err) }, 'unexpected error'),
  );

  return {
    yoga,
    handle: door.handle,
    fetch: door.fetch,
    lane,
    adapters,
    clients: {
      DOTZERO: adapters.DOTZERO.client as VendorClients['DOTZERO'],
      GENERIC_MES: adapters.GENERIC_MES.client as VendorClients['GENERIC_MES'],
      PITNEY_BOWES: adapters.PITNEY_BOWES.client as VendorClients['PITNEY_BOWES'],
    },
    logger,
    changes,
    poller,
    redis,
    ready: changes.ready,
    health: guards,
    sharing,
    prepared,
    jit,
    async close() {
      await poller.stop();
      await changes.close();
      await invalidating;
      idempotency.close();
      await Promise.all(VENDORS.map((v) => adapters[v].close()));
    },
  };
}

/**
 * A replica ready to serve: Redis connected when REDIS_URL is set (a clear error naming it when it cannot be),
 * the shared change channel heard, and change polling started.
 */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger ?? createLogger(options.config.production);
  const redis =
    options.redis ?? (options.config.redisUrl ? await connectRedis(options.config.redisUrl, logger) : undefined);
  const gateway = createGateway({ ...options, logger, ...(redis ? { redis } : {}) });
  await gateway.ready;
  if ((options.config.pollIntervalMs ?? 0) > 0) gateway.poller.start();
  return gateway;
}

/**
 * Vendors that failed while others answered are appended to the response's errors (yoga's masking has given every
 * other error its code by then, with the request id on anything unexpected).
 */
function usePartialErrors(): Plugin<GatewayContext> {
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
          const partial = (args.contextValue as GatewayContext).partialErrors;
          if (partial.length === 0) return;
          setResult({ ...result, errors: [...(result.errors ?? []), ...partial] });
        },
      };
    },
  };
}

/**
 * A replayed answer says so, as payment APIs do: `Idempotent-Replayed: true` on the HTTP response and
 * `extensions.idempotentReplayed: true` in the result, whenever a mutation's answer was its key's first outcome.
 */
function useIdempotentReplay(): Plugin<GatewayContext> {
  const replayed = new WeakSet<Request>();
  return {
    onExecute() {
      return {
        onExecuteDone({ args, result, setResult }) {
          const ctx = args.contextValue as GatewayContext & { request: Request };
          if (!ctx.idempotency.replayed || !result || typeof result !== 'object' || Symbol.asyncIterator in result)
            return;
          replayed.add(ctx.request);
          setResult({ ...result, extensions: { ...(result.extensions ?? {}), idempotentReplayed: true } });
        },
      };
    },
    onResponse({ request, response, setResponse }) {
      if (!replayed.has(request)) return;
      try {
        response.headers.set('Idempotent-Replayed', 'true');
      } catch {
        const headers = new Headers(response.headers);
        headers.set('Idempotent-Replayed', 'true');
        setResponse(new Response(response.body, { status: response.status, statusText: response.statusText, headers }));
      }
    },
  };
}

/** What may be logged of an unexpected error: its kind, message and stack, nothing attached to it. */
export function safeErr(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { name: 'NonError', message: String(err).slice(0, 200) };
}

/**
 * GraphiQL's ready query, comments and all: operations/example.graphql, which codegen also compiles into the
 * persisted catalog and the README shows verbatim (a test holds all three to the one file).
 */
export const EXAMPLE_QUERY = readFileSync(new URL('../operations/example.graphql', import.meta.url), 'utf8');

async function staleOnChange(
  changes: ChangeFeed,
  sharing: Pick<ReadSharing, 'invalidate'>,
  logger: Logger,
): Promise<void> {
  try {
    for await (const change of changes.subscribe((c) => c.source !== 'MUTATION')) {
      await sharing.invalidate(change.order.vendor, change.order.vendorId, true);
    }
  } catch (err) {
    logger.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'cache invalidation stopped');
  }
}
