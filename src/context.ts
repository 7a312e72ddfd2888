// The per-request context: who is calling, the request id that log lines carry, the loaders (made anew for every
// request), the writes bound to them, and the errors of vendors that failed while the rest of the answer succeeded.
import type { GraphQLError } from 'graphql';
import type { VendorHealthSource } from './domain/health.js';
import type { Vendor } from './domain/model.js';
import type { ChangeFeed } from './events/feed.js';
import type { Loaders } from './loaders/index.js';
import type { IssuedTicket } from './shared/tickets.js';
import type { WorkOrderWrites } from './writes/index.js';

export interface Principal {
  /** Client name from GATEWAY_CLIENTS_FILE or a JWT's claims, or `local` when the gateway is open for exploration. */
  name: string;
  /**
   * Unique per caller across every way of authenticating (`key:<name>`, `jwt:<issuer>:<name>`, `open`): what
   * idempotency keys and rate-limit windows are scoped to, since a JWT subject may share an API-key client's name.
   */
  id: string;
  role: 'partner' | 'frontend' | 'router' | 'open';
  scopes: readonly string[];
  vendors: readonly Vendor[];
}

export interface GatewayContext {
  requestId: string;
  principal: Principal;
  loaders: Loaders;
  /** Mutations: the write flow, bound to this caller and to this request's loaders. */
  writes: WorkOrderWrites;
  /** From the `Idempotency-Key` header, for mutations. */
  idempotencyKey: string | undefined;
  /** Work-order changes, for subscriptions. */
  changes: ChangeFeed;
  /** `replayed` is set when a mutation's answer is its idempotency key's first outcome (see useIdempotentReplay). */
  idempotency: { replayed: boolean };
  /** Vendor failures in one part of an answer whose other parts succeeded; appended to the response's errors. */
  partialErrors: GraphQLError[];
  /** Vendor health as the gateway's own calls see it (vendors { health }). */
  health: VendorHealthSource;
  /** A single-use ticket standing for this caller, for GET /graphql/stream (a browser's EventSource). */
  issueTicket(): Promise<IssuedTicket>;
}
