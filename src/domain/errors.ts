// Plain error classes thrown below the schema (vendors, loaders, validation). They know nothing of GraphQL:
// src/errors.ts is the one place that turns them into GraphQL errors with `extensions.code`.
import type { Vendor, WorkOrderStatus } from './model.js';

export type UpstreamKind =
  /** The vendor answered an HTTP error we have no better name for. */
  | 'http'
  /** Connection refused or reset, DNS failure, 502/503/504: the vendor is not there. */
  | 'unavailable'
  | 'timeout'
  | 'rate_limited'
  /** 2xx whose body is not what the document promises (not JSON, wrong shape). */
  | 'bad_response'
  /** The vendor refused our credentials even after a refresh. */
  | 'auth';

/** A vendor call failed. Carries no request body, header or token: only what is safe to show and log. */
export class UpstreamError extends Error {
  override name = 'UpstreamError';
  readonly vendor: Vendor;
  readonly kind: UpstreamKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /**
   * The input field the vendor named in a refusal, already in the gateway's input names (the vendor's mapping
   * translates it), so a client can build a ValidationError without reading the message.
   */
  readonly field: string | undefined;
  /** The vendor's short reason code for a refusal (e.g. MUST_BE_POSITIVE), never free text. */
  readonly reason: string | undefined;
  /**
   * True only when the request certainly never reached the vendor (no connection was made). Anything after a
   * connection (a reset, a timeout) may have been acted on, so a write's outcome is then unknown.
   */
  readonly notSent: boolean;
  /**
   * On a failed write: UNKNOWN when it may have reached the vendor and got no clear answer (a timeout, a connection
   * lost after sending, a 502/504, an unreadable success): it may or may not have been carried out (set by the
   * transport). APPLIED when it was carried out but reading back its result failed (set by the writes). Either way a
   * repeat with the same idempotency key learns the result without writing twice.
   */
  outcome: 'UNKNOWN' | 'APPLIED' | undefined;

  constructor(
    vendor: Vendor,
    kind: UpstreamKind,
    message: string,
    extra: {
      status?: number;
      code?: string;
      field?: string;
      reason?: string;
      retryAfterSeconds?: number;
      notSent?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.vendor = vendor;
    this.kind = kind;
    this.status = extra.status;
    this.code = extra.code;
    this.field = extra.field;
    this.reason = extra.reason;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.notSent = extra.notSent ?? false;
    this.outcome = undefined;
  }
}

export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly field?: string,
    readonly vendor?: Vendor,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(
    message: string,
    readonly vendor?: Vendor,
  ) {
    super(message);
  }
}

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
  constructor(
    readonly vendor: Vendor,
    readonly currentStatus: WorkOrderStatus,
    readonly allowedTransitions: readonly WorkOrderStatus[],
    readonly requested: string,
    message?: string,
  ) {
    super(
      message ??
        `${vendor} work order is ${currentStatus}: cannot ${requested}; allowed: ${allowedTransitions.join(', ') || 'none'}`,
    );
  }
}

export class UnsupportedByVendorError extends Error {
  override name = 'UnsupportedByVendorError';
  constructor(
    message: string,
    readonly vendor: Vendor,
  ) {
    super(message);
  }
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
  constructor(
    message: string,
    readonly vendor?: Vendor,
  ) {
    super(message);
  }
}

/** Idempotency conflicts (same key, other input; or the first request still running). */
export class IdempotencyError extends Error {
  override name = 'IdempotencyError';
  constructor(
    message: string,
    readonly reason: 'IN_PROGRESS' | 'MISMATCH',
  ) {
    super(message);
  }
}

/** The shared store (Redis) cannot be reached: what needs it is refused rather than done without it. */
export class SharedStateUnavailableError extends Error {
  override name = 'SharedStateUnavailableError';
}

export type WriteOutcome = 'UNKNOWN' | 'APPLIED';

const outcomes = new WeakMap<object, WriteOutcome>();

/**
 * Marks a failed write's error with what is known of the write (any error kind: a write carried out whose re-read
 * then found the order gone or garbled fails with NOT_FOUND or UPSTREAM_ERROR, and is still APPLIED).
 */
export function markOutcome(err: unknown, outcome: WriteOutcome): void {
  if (typeof err === 'object' && err !== null && !outcomeOf(err)) outcomes.set(err, outcome);
}

export function outcomeOf(err: unknown): WriteOutcome | undefined {
  if (err instanceof UpstreamError && err.outcome) return err.outcome;
  return typeof err === 'object' && err !== null ? outcomes.get(err) : undefined;
}
