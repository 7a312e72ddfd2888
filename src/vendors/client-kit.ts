// Client plumbing every vendor client shares, written once: lookups by key (one call per distinct key, one error per
// key that fails), a vendor's refusal as the domain error, and the error for an answer the client cannot read.
// Each client keeps only its paths, bodies and real quirks.
import { NotFoundError, UpstreamError, ValidationError } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';
import { shortKey } from './scalars.js';

/** An answer the client cannot read (a list that is not one, a record without its id): the vendor's fault. */
export function badResponse(vendor: Vendor, what: string): UpstreamError {
  return new UpstreamError(vendor, 'bad_response', `${vendor} answered ${what}`);
}

/** The one "no such record" error: the key shortened, never the vendor's text. */
export function notFound(vendor: Vendor, what: string, key: string): NotFoundError {
  return new NotFoundError(`${vendor} ${what} "${shortKey(key)}" not found`, vendor);
}

/**
 * One call per distinct key, all at once (for vendors without a batch read); each key gets its record or its own
 * Error, never a rejection of the whole batch. An empty key would address the collection, not a record: it is not
 * found, without a call.
 */
export function lookupEach<T>(
  vendor: Vendor,
  keys: readonly string[],
  what: string,
  fetchOne: (key: string) => Promise<T>,
): Promise<(T | Error)[]> {
  const calls = new Map<string, Promise<T | Error>>();
  const call = (key: string): Promise<T | Error> => {
    if (key === '') return Promise.resolve(notFound(vendor, what, key));
    return fetchOne(key).catch((err: unknown) =>
      err instanceof Error ? err : badResponse(vendor, `${what} ${String(err)}`),
    );
  };
  return Promise.all(
    keys.map((key) => {
      let pending = calls.get(key);
      if (pending === undefined) calls.set(key, (pending = call(key)));
      return pending;
    }),
  );
}

/** What a failed call was about, so its HTTP failure can become the error a caller understands. */
export interface RefusalContext {
  /** e.g. "work order" */
  what: string;
  /** Set for calls on one resource: a 404 is then a NotFoundError. */
  key?: string;
  /**
   * The vendor's refusal of a state change (its HTTP status, and the error it becomes). `inputs`: fields the request
   * carried besides the status; the same status naming one of them refuses that value, not the move.
   */
  conflict?: { status: number; error: () => Error; inputs?: readonly string[] };
  /** A status that refuses the input field it names (e.g. a duplicate value), like a 400/422. */
  fieldConflict?: number;
}

/**
 * A vendor refusal in the gateway's terms: 404 on one resource is NotFoundError, the vendor's state-conflict status
 * on a state change its InvalidTransitionError (unless it names another input the request carried), any other
 * 400/422 a ValidationError naming the field the vendor named (VendorHttp puts it on the error, already in the
 * gateway's input names). Messages carry the vendor's code only. Anything else (rate limits, outages, bad
 * credentials) stays the UpstreamError VendorHttp made.
 */
export function refusal(vendor: Vendor, err: unknown, context: RefusalContext): unknown {
  if (!(err instanceof UpstreamError) || err.kind !== 'http') return err;
  if (err.status === 404 && context.key !== undefined) return notFound(vendor, context.what, context.key);
  // The state-conflict status is the vendor refusing the move, unless its body names another input the request
  // carried (a DotZero 422 is also its plain validation error: the caller's completedQuantity or notes).
  const conflict = context.conflict;
  const refusesInput = err.field !== undefined && conflict?.inputs?.includes(err.field) === true;
  if (conflict && err.status === conflict.status && !refusesInput) return conflict.error();
  const namesField =
    err.field !== undefined &&
    (err.status === context.fieldConflict || (refusesInput && err.status === conflict?.status));
  if (err.status === 400 || err.status === 422 || namesField) {
    const detail = err.reason ?? err.code;
    return new ValidationError(
      `${vendor} refused the ${context.what}${err.field ? ` (${err.field})` : ''}${detail ? `: ${detail}` : ''}`,
      err.field,
      vendor,
    );
  }
  return err;
}
