// The security layer, as yoga plugins, in the order a request meets them: request id (and the x-request-id header),
// CSRF prevention, authentication (API key or JWT; 401 before the body is read), the per-client rate limit (after
// the body is parsed, before anything runs), persisted operations and APQ, then the operation limits in parse,
// validation and just before execution. Scopes (mutations need workorders:write) are the schema's business
// (schema/builder.ts) and vendor scoping the loaders', both from the principal settled here.
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext, Principal } from '../context.js';
import type { Logger } from '../logger.js';
import { authPlugins, callerOf } from './auth.js';
import { csrfPrevention, limitPlugins } from './limits.js';
import { createPersistedStore, loadManifest, persistedPlugins } from './persisted.js';
import { rateLimitPlugins, type RateLimiter } from './rate-limit.js';
import { useRequestId } from './request-id.js';

export { batchingOf, limitsOf } from './limits.js';
export { currentRequestId, requestIdOf } from './request-id.js';

export interface SecurityOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Tests pass one with their own clock. */
  rateLimiter?: RateLimiter;
}

/** The authenticated caller of a request (undefined while the gateway is open for local exploration). */
export function principalOf(request: Request): Principal | undefined {
  return callerOf(request)?.principal;
}

export function securityPlugins(options: SecurityOptions): Plugin<GatewayContext>[] {
  const { config, logger } = options;
  const store = createPersistedStore(loadManifest(config.persistedDocumentsFile), config.apq !== false);
  return [
    useRequestId(),
    csrfPrevention(),
    ...authPlugins(config, logger),
    ...rateLimitPlugins(config, store, logger, options.rateLimiter),
    ...persistedPlugins(store),
    ...limitPlugins(config),
  ];
}
