// Per-client rate limit on operations, counted after parsing: every root field and alias is one operation
// (fragments spread on the root count their fields) and every operation of a batch counts, so neither aliases nor
// batches get around it. The whole request is counted and refused at once, right after the body is parsed and
// before any of it executes, so a refused request makes no vendor call.
import { createHash } from 'node:crypto';
import { Kind, parse, type DocumentNode, type GraphQLError, type SelectionSetNode } from 'graphql';
import { createLRUCache, type GraphQLParams, type Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../logger.js';
import { callerOf, type Caller } from './auth.js';
import { limitsOf } from './limits.js';
import { persistedIdOf, type PersistedStore } from './persisted.js';
import type { PreparedCatalog } from './prepared.js';
import { refusal } from './refusal.js';
import { requestIdOf } from './request-id.js';

/** Root fields (aliases included) of the operation that would run; 1 when that cannot be told (it will fail anyway). */
export function countRootFields(document: DocumentNode, operationName?: string | null): number {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  if (!operation) return 1;
  const fragments = new Map<string, SelectionSetNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d.selectionSet);
  const count = (set: SelectionSetNode, seen: ReadonlySet<string>): number => {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) n += 1;
      else if (s.kind === Kind.INLINE_FRAGMENT) n += count(s.selectionSet, seen);
      else {
        const fragment = fragments.get(s.name.value);
        // A cycle is refused by validation; here it must only not loop.
        if (fragment && !seen.has(s.name.value)) n += count(fragment, new Set([...seen, s.name.value]));
      }
    }
    return n;
  };
  return Math.max(1, count(operation.selectionSet, new Set()));
}

/** Documents up to this length key the count cache as they are (2000 entries: a few MB at most). */
const DIRECT_KEY_CHARS = 2048;

export type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Fixed one-minute windows per client, starting with the client's first request. A refused request takes
 * nothing from the window, so a client that slows down gets through again as soon as the window turns.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string, cost: number, limit: number): Verdict {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      if (this.windows.size >= 10_000) this.prune(t);
      w = { start: t, used: 0 };
      this.windows.set(key, w);
    }
    if (w.used + cost > limit)
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000)) };
    w.used += cost;
    return { ok: true };
  }

  private prune(t: number) {
    for (const [key, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(key);
  }
}

/** Takes a request's operations from its caller's window: the refusal to answer with, or undefined to go on. */
export type RateLimitGate = (
  caller: Caller,
  operations: number,
  requestId: string,
) => Promise<GraphQLError | undefined>;

/** The one gate both the general path (the plugin below) and the fast lane take operations through. */
export function rateLimitGate(
  logger: Logger,
  limiter: { take(key: string, cost: number, limit: number): Verdict | Promise<Verdict> } = new RateLimiter(),
): RateLimitGate {
  return async (caller, operations, requestId) => {
    const verdict = await limiter.take(caller.principal.id, operations, caller.rateLimitPerMinute);
    if (verdict.ok) return undefined;
    logger.info(
      { requestId, client: caller.principal.name, operations, limit: caller.rateLimitPerMinute },
      'rate limited',
    );
    return refusal(
      'RATE_LIMITED',
      `Rate limit of ${caller.rateLimitPerMinute} operations per minute reached (this request counts ${operations}); retry after ${verdict.retryAfterSeconds} s.`,
      429,
      {
        headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
        extensions: { retryAfter: verdict.retryAfterSeconds },
      },
    );
  };
}

export function rateLimitPlugins(
  config: GatewayConfig,
  store: PersistedStore,
  gate: RateLimitGate,
  catalog?: PreparedCatalog,
): Plugin<GatewayContext>[] {
  const { maxTokens, maxBatch } = limitsOf(config);
  // The same documents come again and again (persisted ones above all): count each text once.
  const counted = createLRUCache<number>({ max: 2000, ttl: 3600_000 });

  const operationsIn = async (params: GraphQLParams, request: Request): Promise<number> => {
    if (!params || typeof params !== 'object') return 1;
    let text: unknown = params.query;
    if (text == null) {
      const id = persistedIdOf(params, request);
      // A catalog document: counted at start-up (the manifest answers every caller alike, before APQ).
      const prepared = id ? catalog?.byId.get(id) : undefined;
      if (prepared) return prepared.rootFields(params.operationName);
      text = id ? await store.lookup(id, request) : undefined;
    }
    if (typeof text !== 'string') return 1;
    const known = catalog?.byText.get(text);
    if (known) return known.rootFields(params.operationName);
    // A usual document is its own key (no hash per request); a long one is keyed by its digest, so no key is long
    // however long the documents are. A digest key has no newline, so it never equals a document key.
    const named = `${params.operationName ?? ''}\n${text}`;
    const key = named.length <= DIRECT_KEY_CHARS ? named : `#${createHash('sha256').update(named).digest('base64url')}`;
    let n = counted.get(key);
    if (n === undefined) {
      try {
        // The token cap bounds this parse; an over-long document is refused by the limits anyway.
        n = countRootFields(parse(text, { noLocation: true, maxTokens }), params.operationName);
      } catch {
        n = 1;
      }
      counted.set(key, n);
    }
    return n;
  };

  return [
    {
      onRequestParse({ request }) {
        const caller = callerOf(request);
        if (!caller) return undefined; // open for local exploration: no limit
        return {
          async onRequestParseDone({ requestParserResult }) {
            const batch = Array.isArray(requestParserResult) ? requestParserResult : [requestParserResult];
            // A batch that yoga refuses for its length is not counted (nor parsed).
            if (Array.isArray(requestParserResult) && (maxBatch === 0 || batch.length > maxBatch)) return;
            let cost = 0;
            for (const params of batch) cost += await operationsIn(params, request);
            const refused = await gate(caller, cost, requestIdOf(request));
            if (refused) throw refused;
          },
        };
      },
    },
  ];
}
