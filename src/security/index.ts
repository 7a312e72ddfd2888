import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext, Principal } from '../context.js';
import type { Logger } from '../logger.js';

export interface SecurityOptions {
  config: GatewayConfig;
  logger: Logger;
}

const principals = new WeakMap<Request, Principal>();
const requestIds = new WeakMap<Request, string>();

/** The authenticated caller of a request (undefined while the gateway is open for local exploration). */
export function principalOf(request: Request): Principal | undefined {
  return principals.get(request);
}

/** The request's id: the caller's `X-Request-Id` when it is sane, else a new one; the same for the whole request. */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (!id) {
    const header = request.headers.get('x-request-id');
    id = header && /^[A-Za-z0-9._-]{1,64}$/.test(header) ? header : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

export function securityPlugins(_options: SecurityOptions): Plugin<GatewayContext>[] {
  return [];
}
