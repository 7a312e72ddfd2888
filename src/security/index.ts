// The security layer, as yoga plugins, in the order a request meets them: request id (and the x-request-id header),
// the origin check (CORS), CSRF prevention, authentication (API key or JWT; 401 before the body is read), the per-client rate limit (after
// the body is parsed, before anything runs), persisted operations and APQ, then the operation limits in parse,
// validation and just before execution, and the federation routers' `_entities` limits (federation.ts, which also
// picks the schema a caller is served: routers get the subgraph schema). Scopes (mutations need workorders:write)
// are the schema's business (schema/builder.ts) and vendor scoping the loaders', both from the principal settled here.
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext, Principal } from '../context.js';
import type { Logger } from '../logger.js';
import { authPlugins, callerOf, isOpen } from './auth.js';
import { useOriginCheck } from './cors.js';
import { refusal } from './refusal.js';
import { csrfPrevention, limitPlugins } from './limits.js';
import { federationPlugins } from './federation.js';
import { createPersistedStore, loadManifest, persistedPlugins } from './persisted.js';
import {
  documentPreparer,
  leanPlugins,
  prepareCatalog,
  preparedTexts,
  type PreparedCatalog,
  type PreparedDocument,
} from './prepared.js';
import type { GraphQLSchema } from 'graphql';
import type { JitPlans } from '../execution/jit.js';
import type { APQStore } from '@graphql-yoga/plugin-apq';
import type { SharedLimiter } from '../shared/rate-limit.js';
import { rateLimitGate, rateLimitPlugins, type RateLimitGate, type RateLimiter } from './rate-limit.js';
import { useRequestId } from './request-id.js';

export { batchingOf, limitsOf } from './limits.js';
export { schemaFor } from './federation.js';
export { corsOf } from './cors.js';
export { requestIdOf, whenRequestIdKnown } from './request-id.js';

export interface SecurityOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Tests pass one with their own clock. */
  rateLimiter?: RateLimiter | SharedLimiter;
  /** APQ registrations shared by replicas (Redis); this process's memory when absent. */
  apqStore?: APQStore;
  /** Every schema the gateway may serve: catalog documents are prepared against each (the lean path). */
  schemas?: readonly GraphQLSchema[];
  /** Compiled plans (GATEWAY_JIT): catalog documents are compiled at start-up. */
  jit?: JitPlans;
}

/**
 * The caller of a request: the authenticated principal, or `open` while the gateway is open for local exploration
 * (undefined). On a closed gateway a request that reached here without a caller is refused, never let through:
 * the security layer fails closed.
 */
export function principalOf(request: Request, config: GatewayConfig): Principal | undefined {
  const caller = callerOf(request);
  if (caller) return caller.principal;
  if (isOpen(config)) return undefined;
  throw refusal('UNAUTHENTICATED', 'A credential is required: send X-API-Key or Authorization: Bearer.', 401);
}

export function securityPlugins(options: SecurityOptions): Plugin<GatewayContext>[] {
  return securityLayer(options).plugins;
}

export interface SecurityLayer {
  plugins: Plugin<GatewayContext>[];
  /** The catalog prepared at start-up for the lean path (undefined when it is off). */
  catalog: PreparedCatalog | undefined;
  /** Any document text as the fast lane serves it: prepared once, with the same static checks as the catalog's. */
  prepared: (text: string) => PreparedDocument | undefined;
  /** The rate limit the plugins apply, for the fast lane to apply the same windows. */
  rateLimit: RateLimitGate;
}

/** The security plugins, and what the fast lane shares with them. */
export function securityLayer(options: SecurityOptions): SecurityLayer {
  const { config, logger } = options;
  const store = createPersistedStore(
    loadManifest(config.persistedDocumentsFile),
    config.apq !== false,
    options.apqStore,
  );
  // GATEWAY_LEAN_PERSISTED=false: every request takes the general path (kept to compare, and as a way back).
  const prepare = documentPreparer(config, options.schemas ?? []);
  const catalog =
    config.leanPersisted !== false && options.schemas
      ? prepareCatalog(store.manifest, prepare, options.jit)
      : undefined;
  const rateLimit = rateLimitGate(logger, options.rateLimiter);
  const skipsStatic = catalog ? catalog.skipsStatic : () => false;
  const plugins: Plugin<GatewayContext>[] = [
    useRequestId(),
    useOriginCheck(config),
    csrfPrevention(),
    ...authPlugins(config, logger),
    ...rateLimitPlugins(config, store, rateLimit, catalog),
    ...persistedPlugins(store),
    ...(catalog ? leanPlugins(catalog) : []),
    ...limitPlugins(config, skipsStatic),
    ...federationPlugins(config, skipsStatic),
  ];
  return { plugins, catalog, prepared: preparedTexts(prepare, catalog), rateLimit };
}
