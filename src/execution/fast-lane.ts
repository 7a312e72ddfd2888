// The fast lane (GATEWAY_FAST_LANE, on by default): a plain query from a caller the gateway can settle from its
// headers alone is served here, without yoga's per-request machinery (a fetch Request and Response per request,
// a dozen plugin hooks, their promises), which the bench showed cost more than the query itself. It runs the same
// checks in the same order with the same functions: the caller by API key (security/auth.ts), the document
// prepared once with the same static rules as the catalog's (security/prepared.ts), the same rate-limit windows
// (security/rate-limit.ts), the same context, executor, error masking and result serializer (yoga's own). What
// it does not know how to serve it does not touch: anything but a JSON POST to the endpoint with an acceptable
// `Accept`, a request with an `Origin` (CORS), a JWT or any credential it cannot accept, a batch, extensions
// (APQ), a partner's query text, a mutation or subscription, a document with `_entities`, a document that fails
// a check. Those are declined before anything is spent and yoga serves them,
// from the same body. The suite runs through this lane; the project `general-path` runs the security, persisted
// and read tests with it off, so every assertion holds both ways.
import { normalizedExecutor } from '@graphql-tools/executor';
import {
  getOperationAST,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
} from 'graphql';
import { processRegularResult } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext, Principal } from '../context.js';
import type { OperationObserver } from '../metrics.js';
import { apiKeyCallers, isOpen, type Caller, type HeaderOf } from '../security/auth.js';
import { variableCostCheck } from '../security/limits.js';
import { servesSubgraphTo } from '../security/federation.js';
import { bareId } from '../security/persisted.js';
import type { PreparedCatalog, PreparedDocument } from '../security/prepared.js';
import type { RateLimitGate } from '../security/rate-limit.js';
import { MAX_CACHED_REQUEST_BYTES, showsVolatile, type ResponseCache } from './response-cache.js';
import { requestIdFrom, settle } from '../security/request-id.js';

export interface LaneRequest {
  method: string;
  /** Path and query string, as the request line gives them. */
  url: string;
  header: HeaderOf;
}

export interface LaneResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the headers settled: who calls, how the answer is written, the request's id. */
export interface Admitted {
  caller: Caller | undefined;
  principal: Principal;
  mediaType: string;
  requestId: string;
  idempotencyKey: string | undefined;
}

export interface FastLaneOptions {
  config: GatewayConfig;
  /** The API schema, and the subgraph schema served to routers and the open gateway (security/federation.ts). */
  api: GraphQLSchema;
  subgraph: () => GraphQLSchema;
  prepared: (text: string) => PreparedDocument | undefined;
  catalog: PreparedCatalog | undefined;
  rateLimit: RateLimitGate;
  /** The principal used while the gateway is open (no credentials configured). */
  openPrincipal: Principal;
  contextFor(request: {
    principal: Principal;
    caller: Caller | undefined;
    requestId: string;
    idempotencyKey: string | undefined;
  }): GatewayContext;
  /** graphql-jit's plans when GATEWAY_JIT is on; yoga's executor otherwise. */
  execute?: (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>;
  /** yoga's `maskedErrors.maskError`, the very function the general path masks with. */
  maskError: (error: GraphQLError, message: string, isDev?: boolean) => GraphQLError;
  observeOperation?: OperationObserver;
  /** RESPONSE_CACHE_TTL_MS: a caller's own earlier answers (response-cache.ts). */
  responses?: ResponseCache;
}

export interface FastLane {
  /** Whether the lane may take this request, from its line and headers alone: nothing read, nothing spent. */
  admits(request: LaneRequest): Admitted | undefined;
  /** Its answer, or undefined: not for the lane after all (nothing spent; yoga serves it from the same body). */
  serve(admitted: Admitted, body: string): Promise<LaneResponse | undefined>;
  /** Requests served here and handed to yoga after their headers admitted them (tests and the bench read them). */
  readonly stats: { served: number; declined: number; cached: number };
}

const JSON_CONTENT = /^application\/json[ \t]*(;[ \t]*charset=utf-8[ \t]*)?$/i;
const PARAMS = new Set(['query', 'operationName', 'variables', 'documentId']);
const REGULAR_TYPES = ['application/graphql-response+json', 'application/json'];

/**
 * The media type yoga's result processors would pick for a single result, or undefined where yoga would pick
 * none (a 406). Yoga tries each processor for each accepted type (in reverse order) and keeps the last match; the
 * regular processor comes last, so it wins whenever it matches at all (plugins/use-result-processor.js).
 */
export function regularMediaType(accept: string | null | undefined): string | undefined {
  const requested: string[] = [];
  for (const entry of (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',')) {
    const [mediaType, ...params] = entry.split(';');
    const charset = params.find((p) => p.includes('charset=')) || 'charset=utf-8';
    if (charset === 'charset=utf-8' && mediaType !== undefined) requested.push(mediaType);
  }
  let chosen: string | undefined;
  for (const asked of requested.reverse()) {
    const [askedPre, askedSuf] = asked.split('/');
    for (const type of REGULAR_TYPES) {
      const [pre, suf] = type.split('/');
      if ((askedPre === '*' || askedPre === pre) && (askedSuf === '*' || askedSuf === suf)) chosen = type;
    }
  }
  return chosen;
}

/** yoga's Response, reduced to what the lane writes: processRegularResult builds one with the body and init. */
class CapturedResponse {
  constructor(
    readonly body: string,
    readonly init: { status: number; headers: Record<string, string> },
  ) {}
}
const CAPTURE = { Response: CapturedResponse } as unknown as Parameters<typeof processRegularResult>[1];

export function createFastLane(options: FastLaneOptions): FastLane {
  const { config } = options;
  const open = isOpen(config);
  const callerOf = apiKeyCallers(config);
  const execute = options.execute ?? (normalizedExecutor as (args: ExecutionArgs) => Promise<ExecutionResult>);
  const isDev = !config.production;
  const stats = { served: 0, declined: 0, cached: 0 };
  const { responses } = options;
  const costOf = variableCostCheck(config);
  const decline = () => {
    stats.declined++;
    return undefined;
  };

  const respond = (admitted: Admitted, result: ExecutionResult): LaneResponse => {
    // An unexpected error learns the request's id (and is logged) here, as useRequestId does on the general path.
    settle(result, admitted.requestId);
    const captured = processRegularResult(result, CAPTURE, admitted.mediaType) as unknown as CapturedResponse;
    stats.served++;
    return {
      status: captured.init.status,
      headers: { ...captured.init.headers, vary: 'Origin', 'x-request-id': admitted.requestId },
      body: captured.body,
    };
  };

  return {
    stats,
    admits(request) {
      if (request.method !== 'POST' || request.url !== '/graphql') return undefined;
      const type = request.header('content-type');
      if (!type || !JSON_CONTENT.test(type)) return undefined;
      // A page's request: CORS and the origin rule are yoga's (security/cors.ts).
      if (request.header('origin') != null) return undefined;
      const mediaType = regularMediaType(request.header('accept'));
      if (!mediaType) return undefined;
      let caller: Caller | undefined;
      if (!open) {
        caller = callerOf(request.header);
        // No credential, a wrong one, or a JWT: yoga's auth plugins refuse or verify it.
        if (!caller) return undefined;
      }
      return {
        caller,
        principal: caller?.principal ?? options.openPrincipal,
        mediaType,
        requestId: requestIdFrom(request.header('x-request-id')),
        idempotencyKey: request.header('idempotency-key') ?? undefined,
      };
    },

    async serve(admitted, body) {
      let params: Record<string, unknown>;
      try {
        params = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return decline();
      }
      if (params === null || typeof params !== 'object' || Array.isArray(params)) return decline();
      for (const key in params) if (!PARAMS.has(key)) return decline();
      const { query, documentId, operationName, variables } = params;
      if (operationName != null && typeof operationName !== 'string') return decline();
      if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return decline();
      const { caller } = admitted;
      let document: PreparedDocument | undefined;
      if (typeof query === 'string' && documentId === undefined) {
        // Partners may send only catalog ids: yoga refuses their texts.
        if (caller?.principal.role === 'partner') return decline();
        document = options.prepared(query);
      } else if (query === undefined && typeof documentId === 'string') {
        // The manifest answers every caller alike; an APQ registration is yoga's.
        document = options.catalog?.byId.get(bareId(documentId));
      }
      // `_entities` is counted per request by yoga's federation plugin: routers' fetches take the general path.
      if (!document || document.entities) return decline();
      const schema = servesSubgraphTo(caller, config) ? options.subgraph() : options.api;
      if (!document.clean.has(schema)) return decline();
      const operation = getOperationAST(document.document, (operationName as string | null | undefined) ?? undefined);
      if (operation?.operation !== 'query') return decline();

      // From here the request is the lane's: it spends the caller's rate limit, so it answers whatever happens.
      if (caller) {
        const refused = await options.rateLimit(
          caller,
          document.rootFields(operationName as string | null | undefined),
          admitted.requestId,
        );
        if (refused) return respond(admitted, { errors: [options.maskError(refused, 'Unexpected error.', isDev)] });
      }
      const started = performance.now();
      // Page sizes from variables: the same check, at the same point, as the general path's (security/limits.ts).
      const refusals = document.static ? [] : costOf(document.document, schema, variables as Record<string, unknown>);
      if (refusals.length > 0) {
        options.observeOperation?.('query', started, { errors: refusals }, 0);
        return respond(admitted, { errors: refusals });
      }
      // The caller's own earlier answer to the very same request, while nothing it shows has changed.
      const cacheKey =
        responses && body.length <= MAX_CACHED_REQUEST_BYTES && !showsVolatile(document.document)
          ? `${admitted.principal.id}\n${schema === options.api ? 'api' : 'subgraph'}\n${admitted.mediaType}\n${body}`
          : undefined;
      let keep: ((answer: LaneResponse) => void) | undefined;
      if (responses && cacheKey !== undefined) {
        const hit = responses.get(cacheKey);
        if (hit) {
          stats.served++;
          stats.cached++;
          return {
            status: hit.status,
            headers: { ...hit.headers, 'x-request-id': admitted.requestId },
            body: hit.body,
          };
        }
        // Taken before the answer is computed: a write meanwhile makes what is stored under them stale at once.
        const vendors = admitted.principal.vendors;
        const generations = responses.snapshot(vendors);
        keep = (answer) => {
          const { 'x-request-id': _own, ...headers } = answer.headers;
          responses.set(cacheKey, vendors, generations, { status: answer.status, headers, body: answer.body });
        };
      }
      const context = options.contextFor(admitted);
      let result: ExecutionResult;
      try {
        result = await execute({
          schema,
          document: document.document,
          contextValue: context,
          variableValues: variables as Record<string, unknown> | null | undefined,
          operationName: operationName as string | null | undefined,
        });
      } catch (err) {
        result = { errors: [err as GraphQLError] };
      }
      options.observeOperation?.('query', started, result, context.partialErrors.length);
      const errors = [...(result.errors ?? []), ...context.partialErrors];
      if (errors.length > 0)
        result = { ...result, errors: errors.map((e) => options.maskError(e, 'Unexpected error.', isDev)) };
      const answer = respond(admitted, result);
      // Only a whole success is kept: an error may be gone on the next try, and a refusal is never an answer.
      if (keep && errors.length === 0 && answer.status === 200) keep(answer);
      return answer;
    },
  };
}
