// The one place where errors become GraphQL errors with `extensions.code` (DESIGN.md). Everything below the
// schema throws plain classes from domain/errors.ts; yoga's masking calls `maskError` for each error.
import { GraphQLError } from 'graphql';
import {
  ForbiddenError,
  IdempotencyError,
  InvalidTransitionError,
  SharedStateUnavailableError,
  NotFoundError,
  UnsupportedByVendorError,
  UpstreamError,
  ValidationError,
  outcomeOf,
} from './domain/errors.js';

export const ERROR_CODES = [
  'VALIDATION_ERROR',
  'NOT_FOUND',
  'INVALID_STATE_TRANSITION',
  'UNSUPPORTED_BY_VENDOR',
  'UPSTREAM_ERROR',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'IDEMPOTENCY_CONFLICT',
  // Redis (REDIS_URL) is unreachable: a write that needs its idempotency claim or lock is refused, never sent.
  'SHARED_STATE_UNAVAILABLE',
  // Operation limits (src/security/limits.ts): which limit a refused document broke.
  'DEPTH_LIMIT_EXCEEDED',
  'ALIAS_LIMIT_EXCEEDED',
  'TOKEN_LIMIT_EXCEEDED',
  'DIRECTIVE_LIMIT_EXCEEDED',
  'COST_LIMIT_EXCEEDED',
  // Federation routers (src/security/federation.ts): too many representations in one request's _entities.
  'ENTITY_LIMIT_EXCEEDED',
  'INTROSPECTION_DISABLED',
  'CSRF_PREVENTED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

type Extensions = Record<string, unknown>;

/** The code and safe extensions for a known error; undefined for anything unexpected (which gets masked). */
export function describeError(err: unknown): { message: string; extensions: Extensions } | undefined {
  const known = describeKnown(err);
  // A failed write says what is known of it (see UpstreamError.outcome), whatever the error's kind.
  const outcome = outcomeOf(err);
  return known && outcome ? { ...known, extensions: { ...known.extensions, outcome } } : known;
}

function describeKnown(err: unknown): { message: string; extensions: Extensions } | undefined {
  if (err instanceof ValidationError) {
    return {
      message: err.message,
      extensions: { code: 'VALIDATION_ERROR', ...(err.field ? { field: err.field } : {}), ...vendorOf(err.vendor) },
    };
  }
  if (err instanceof NotFoundError)
    return { message: err.message, extensions: { code: 'NOT_FOUND', ...vendorOf(err.vendor) } };
  if (err instanceof InvalidTransitionError) {
    return {
      message: err.message,
      extensions: {
        code: 'INVALID_STATE_TRANSITION',
        vendor: err.vendor,
        currentStatus: err.currentStatus,
        allowedTransitions: [...err.allowedTransitions],
        requested: err.requested,
      },
    };
  }
  if (err instanceof UnsupportedByVendorError)
    return { message: err.message, extensions: { code: 'UNSUPPORTED_BY_VENDOR', vendor: err.vendor } };
  if (err instanceof ForbiddenError)
    return { message: err.message, extensions: { code: 'FORBIDDEN', ...vendorOf(err.vendor) } };
  if (err instanceof SharedStateUnavailableError)
    return { message: err.message, extensions: { code: 'SHARED_STATE_UNAVAILABLE' } };
  if (err instanceof IdempotencyError)
    return { message: err.message, extensions: { code: 'IDEMPOTENCY_CONFLICT', reason: err.reason } };
  if (err instanceof UpstreamError) {
    const code: ErrorCode =
      err.kind === 'timeout'
        ? 'UPSTREAM_TIMEOUT'
        : err.kind === 'unavailable'
          ? 'UPSTREAM_UNAVAILABLE'
          : err.kind === 'rate_limited'
            ? 'RATE_LIMITED'
            : 'UPSTREAM_ERROR';
    return {
      message: err.message,
      extensions: {
        code,
        vendor: err.vendor,
        ...(err.status !== undefined ? { upstreamStatus: err.status } : {}),
        ...(err.code ? { upstreamCode: err.code } : {}),
        ...(err.retryAfterSeconds !== undefined ? { retryAfter: err.retryAfterSeconds } : {}),
      },
    };
  }
  return undefined;
}

function vendorOf(vendor: string | undefined): Extensions {
  return vendor ? { vendor } : {};
}

/**
 * Yoga's `maskedErrors.maskError`: known errors keep their message and get their code; GraphQL's own errors
 * (parse, validation, already-coded) pass through; anything else becomes "Unexpected error." with the request id,
 * so the log line that records it can be found.
 */
export function maskError(
  error: unknown,
  requestId: string | undefined,
  onUnexpected?: (err: unknown) => void,
  isDev = false,
): GraphQLError {
  const original = error instanceof GraphQLError ? (error.originalError ?? undefined) : error;
  const base = error instanceof GraphQLError ? error : undefined;
  const known = describeError(original instanceof GraphQLError ? original.originalError : original);
  if (known) {
    return new GraphQLError(known.message, {
      ...(base ? { nodes: base.nodes, path: base.path, source: base.source, positions: base.positions } : {}),
      extensions: known.extensions,
    });
  }
  const variable = base && !base.extensions?.code ? variableError(base) : undefined;
  if (variable) return variable;
  if (base && (!base.originalError || base.originalError instanceof GraphQLError || base.extensions?.code)) {
    return base;
  }
  onUnexpected?.(original);
  // Development shows where it went wrong (DESIGN.md): the error's kind and its first stack frames, never its
  // message, which may hold a secret (a connection string, a token). Production shows only the request id that the
  // log line carries.
  const detail =
    isDev && original instanceof Error
      ? {
          originalError: {
            name: original.name,
            at: (original.stack ?? '')
              .split('\n')
              .slice(1, 4)
              .map((l) => l.trim()),
          },
        }
      : {};
  return new GraphQLError('Unexpected error.', {
    ...(base ? { nodes: base.nodes, path: base.path } : {}),
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      ...(requestId ? { requestId } : {}),
      ...(outcomeOf(original) ? { outcome: outcomeOf(original) } : {}),
      ...detail,
    },
  });
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * graphql-js's variable coercion errors (a wrong type, an invalid DateTime, a missing required input field) carry
 * no code: they become VALIDATION_ERROR with `field` the input path as the client wrote it (`input.quantity`).
 * graphql-js says where only in the message, in one of three fixed forms.
 */
export function variableError(error: GraphQLError): GraphQLError | undefined {
  const m = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" (.*)$/s.exec(error.message);
  if (!m) return undefined;
  const name = m[1] as string;
  const rest = m[2] as string;
  let field = name;
  let reason: string;
  if (/^of required type "[^"]*" was not provided\.$/.test(rest)) reason = 'A value is required.';
  else if (/^of non-null type "[^"]*" must not be null\.$/.test(rest)) reason = 'The value must not be null.';
  else if (rest.startsWith('got invalid value ')) {
    const at = new RegExp(` at "(${escapeRegExp(name)}(?:\\.[_A-Za-z][_0-9A-Za-z]*|\\[\\d+\\])*)"; `).exec(rest);
    if (at) field = at[1] as string;
    reason = rest.slice(at ? (at.index ?? 0) + at[0].length : rest.indexOf('; ') + 2);
    // A missing or unknown input field is named by the reason, below the path.
    const sub =
      /^Field "([_A-Za-z][_0-9A-Za-z]*)" (?:of required type "[^"]*" was not provided|is not defined by type "[^"]*")/.exec(
        reason,
      );
    if (sub) field = `${field}.${sub[1]}`;
  } else return undefined;
  return new GraphQLError(`Invalid value for ${field}: ${reason}`, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    extensions: { code: 'VALIDATION_ERROR', field },
  });
}

/** Builds a GraphQL error for a vendor's part of an answer that failed while the rest succeeded. */
export function partialError(err: unknown, path: readonly (string | number)[]): GraphQLError {
  const known = describeError(err);
  return new GraphQLError(known?.message ?? 'Unexpected error.', {
    path,
    extensions: known?.extensions ?? { code: 'INTERNAL_SERVER_ERROR' },
  });
}
