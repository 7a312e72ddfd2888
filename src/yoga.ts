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
import { MemoryIdempotencyStore } from './loaders/idempotency.js';
import { KeyedLock } from './loaders/lock.js';
import { createLogger, type Logger } from './logger.js';
import { schema } from './schema/index.js';
import { batchingOf, corsOf, currentRequestId, principalOf, requestIdOf, securityPlugins, type SecurityOptions } from './security/index.js';
import { createDotZeroClient } from './vendors/dotzero/client.js';
import { createGenericMesClient } from './vendors/generic-mes/client.js';
import { createPitneyBowesClient } from './vendors/pitney-bowes/client.js';
import type { CallObserver, TransportOptions } from './vendors/http.js';
import { VendorGuards, resolvePolicy } from './vendors/resilience.js';
import type { VendorHealthSource } from './domain/health.js';
import { healthPlugin } from './health.js';
import type { VendorClients } from './vendors/types.js';

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

export function createVendorClients(vendors: ResolvedVendors, transport: TransportOptions): VendorClients {
  return {
    DOTZERO: createDotZeroClient({ ...vendors.DOTZERO, transport }),
    GENERIC_MES: createGenericMesClient({ ...vendors.GENERIC_MES, transport }),
    PITNEY_BOWES: createPitneyBowesClient({ ...vendors.PITNEY_BOWES, transport }),
  };
}

export function createGateway(options: GatewayOptions): Gateway {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.production);
  // One guard per vendor (deadlines, bulkhead, breaker, retry budget, health), shared by that vendor's clients.
  const guards = new VendorGuards((vendor) =>
    resolvePolicy({ timeoutMs: config.upstreamTimeoutMs, ...(config.upstreamBreaker ? { breaker: config.upstreamBreaker } : {}) }, config.upstream?.defaults, config.upstream?.vendors?.[vendor]),
  );
  const metrics = config.metrics === false ? undefined : createMetrics(guards);
  const observers = [metrics?.observeCall, options.observe].filter((o): o is CallObserver => o !== undefined);
  const clients = createVendorClients(options.vendors, {
    guards,
    timeoutMs: config.upstreamTimeoutMs,
    ...(config.upstreamBreaker ? { breaker: config.upstreamBreaker } : {}),
    ...(observers.length > 0 ? { observe: (event) => observers.forEach((o) => o(event)) } : {}),
  });
  const simulated = options.simulated ?? new Set<Vendor>();
  const idempotency = new MemoryIdempotencyStore(config.idempotencyTtlMs);
  const locks = new KeyedLock();
  const security: SecurityOptions = { config, logger };

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.graphiql ? { title: 'MES Gateway', defaultQuery: EXAMPLE_QUERY } : false,
    // GraphiQL from the package's own bundle (script, styles, editor workers and favicon inline in the page):
    // factories often have no internet, and nothing served may come from a CDN. The bundle is 9 MB: loaded on
    // the first page view, not at start-up.
    renderGraphiQL: async (options) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options),
    cors: corsOf(config),
    // Production hides error details; our own errors keep their message and code either way (see errors.ts).
    // Errors raised outside execution (auth, parsing, context building) land here: the request id comes from the
    // security layer's per-request async context.
    maskedErrors: {
      isDev: !config.production,
      maskError: (error, _message, isDev) => {
        const requestId = currentRequestId();
        const masked = maskError(error, requestId, (err) => logger.error({ requestId, err: safeErr(err) }, 'unexpected error'), isDev);
        if (masked === error || masked.extensions.code !== 'INTERNAL_SERVER_ERROR') return masked;
        // yoga's flag: a response with such an error and no data at all is a 500, not a 200.
        return new GraphQLError(masked.message, { nodes: masked.nodes, path: masked.path, extensions: { ...masked.extensions, unexpected: true } });
      },
    },
    batching: batchingOf(config),
    // Checked on Content-Length and, for chunked bodies, while the body streams in: 413 over it.
    maxRequestBodySize: config.maxBodyBytes,
    logging: false,
    // Loaders are made per request, after the caller is known, so they only ever reach that caller's vendors.
    context: ({ request }): GatewayContext => {
      const principal = principalOf(request, config) ?? OPEN_PRINCIPAL;
      // Yoga copies this object into its own context, so the replay mark is a holder shared by reference.
      const replay = { replayed: false };
      return {
        requestId: requestIdOf(request),
        idempotencyKey: request.headers.get('idempotency-key') ?? undefined,
        idempotency: replay,
        partialErrors: [],
        health: guards,
        principal,
        loaders: createLoaders({
          clients,
          vendors: principal.vendors,
          simulated,
          writes: { idempotency, locks, caller: principal.id, replayed: () => (replay.replayed = true) },
        }),
      };
    },
    // Metrics first, so /metrics answers before authentication (scrapers sit inside the network; METRICS=false
    // turns it off).
    plugins: [healthPlugin(guards, simulated), ...(metrics ? [metrics.plugin] : []), ...securityPlugins(security), usePartialErrors(), useIdempotentReplay()],
  });

  return {
    yoga,
    clients,
    logger,
    health: guards,
    async close() {
      idempotency.close();
      await Promise.all(VENDORS.map((v) => clients[v].close()));
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
