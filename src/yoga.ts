// createGateway(config) -> a yoga instance wired to the vendor clients. main.ts serves it; tests call yoga.fetch.
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GatewayConfig, DotZeroSettings, GenericMesSettings, PitneyBowesSettings } from './config.js';
import type { GatewayContext, Principal } from './context.js';
import { VENDORS, type Vendor } from './domain/model.js';
import { maskError } from './errors.js';
import { createMetrics } from './metrics.js';
import { createLoaders } from './loaders/index.js';
import { createLogger, type Logger } from './logger.js';
import { schema, subgraphSchema } from './schema/index.js';
import { batchingOf, corsOf, principalOf, requestIdOf, schemaFor, securityPlugins, whenRequestIdKnown, type SecurityOptions } from './security/index.js';
import type { CallObserver } from './vendors/http.js';
import { createVendorAdapters, type VendorAdapters } from './vendors/registry.js';
import { VendorGuards, resolvePolicy } from './vendors/resilience.js';
import type { VendorHealthSource } from './domain/health.js';
import { healthPlugin } from './health.js';
import type { VendorClients } from './vendors/types.js';
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
}

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  adapters: VendorAdapters;
  /** Each vendor's client (the adapters' own). */
  clients: VendorClients;
  logger: Logger;
  /** Every vendor's health, from the gateway's own calls. */
  health: VendorHealthSource;
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
    resolvePolicy({ timeoutMs: config.upstreamTimeoutMs, ...(config.upstreamBreaker ? { breaker: config.upstreamBreaker } : {}) }, config.upstream?.defaults, config.upstream?.vendors?.[vendor]),
  );
  const metrics = config.metrics === false ? undefined : createMetrics(guards);
  const observers = [metrics?.observeCall, options.observe].filter((o): o is CallObserver => o !== undefined);
  const adapters = createVendorAdapters(options.vendors, {
    guards,
    timeoutMs: config.upstreamTimeoutMs,
    ...(config.upstreamBreaker ? { breaker: config.upstreamBreaker } : {}),
    ...(observers.length > 0 ? { observe: (event) => observers.forEach((o) => o(event)) } : {}),
  });
  const simulated = options.simulated ?? new Set<Vendor>();
  const idempotency = new MemoryIdempotencyStore(config.idempotencyTtlMs);
  const writes = createWrites({ adapters, idempotency, locks: new KeyedLock() });
  const security: SecurityOptions = { config, logger };

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
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
    // Production hides error details; our own errors keep their message and code either way (see errors.ts).
    // An unexpected error gets the request id, and its log line, once yoga processes the result (request-id.ts):
    // errors raised outside execution (auth, parsing, context building) reach this with nothing but the error.
    maskedErrors: {
      isDev: !config.production,
      maskError: (error, _message, isDev) => {
        let unexpected: { err: unknown } | undefined;
        const masked = maskError(error, undefined, (err) => (unexpected = { err }), isDev);
        if (masked === error || masked.extensions.code !== 'INTERNAL_SERVER_ERROR') return masked;
        // yoga's flag: a response with such an error and no data at all is a 500, not a 200.
        const flagged = new GraphQLError(masked.message, { nodes: masked.nodes, path: masked.path, extensions: { ...masked.extensions, unexpected: true } });
        whenRequestIdKnown(flagged, (requestId) => {
          (flagged.extensions as Record<string, unknown>).requestId = requestId;
          if (unexpected) logger.error({ requestId, err: safeErr(unexpected.err) }, 'unexpected error');
        });
        return flagged;
      },
    },
    batching: batchingOf(config),
    // Checked on Content-Length and, for chunked bodies, while the body streams in: 413 over it.
    maxRequestBodySize: config.maxBodyBytes,
    logging: false,
    // Loaders are made per request, after the caller is known, so they only ever reach that caller's vendors.
    context: ({ request }): GatewayContext => {
      const principal = principalOf(request, config) ?? OPEN_PRINCIPAL;
      const loaders = createLoaders({ adapters, vendors: principal.vendors, simulated });
      // Yoga copies this object into its own context, so the replay mark is a holder shared by reference.
      const replay = { replayed: false };
      return {
        requestId: requestIdOf(request),
        idempotencyKey: request.headers.get('idempotency-key') ?? undefined,
        idempotency: replay,
        partialErrors: [],
        health: guards,
        principal,
        loaders,
        writes: writes.forRequest({
          caller: principal.id,
          assertVisible: loaders.assertVisible,
          orders: loaders.orders,
          replayed: () => (replay.replayed = true),
        }),
      };
    },
    // Metrics first, so /metrics answers before authentication (scrapers sit inside the network; METRICS=false
    // turns it off).
    plugins: [healthPlugin(guards, simulated), ...(metrics ? [metrics.plugin] : []), ...securityPlugins(security), usePartialErrors(), useIdempotentReplay()],
  });

  return {
    yoga,
    adapters,
    clients: {
      DOTZERO: adapters.DOTZERO.client as VendorClients['DOTZERO'],
      GENERIC_MES: adapters.GENERIC_MES.client as VendorClients['GENERIC_MES'],
      PITNEY_BOWES: adapters.PITNEY_BOWES.client as VendorClients['PITNEY_BOWES'],
    },
    logger,
    health: guards,
    async close() {
      idempotency.close();
      await Promise.all(VENDORS.map((v) => adapters[v].close()));
    },
  };
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
          if (!ctx.idempotency.replayed || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
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
