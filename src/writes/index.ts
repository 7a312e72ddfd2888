// Work-order writes: validate input, check the vendor's state table against the order's current state (read from
// the vendor under a per-order lock, so two racing changes in this process are applied one at a time), call the
// vendor's own mechanism once, then re-read the order so the answer is what the vendor now holds.
//
// Writes are not loaders: the flow, the idempotency store and the locks are built once per process
// (createWrites); each request binds them to its caller and to its loaders' read/forget interface (forRequest).
import {
  InvalidTransitionError,
  markOutcome,
  outcomeOf,
  NotFoundError,
  UnsupportedByVendorError,
  UpstreamError,
  ValidationError,
} from '../domain/errors.js';
import { fingerprint } from '../domain/cursor.js';
import type {
  Vendor,
  VendorCapabilities,
  WorkOrder,
  WorkOrderCreate,
  WorkOrderStatus,
  WorkOrderUpdate,
} from '../domain/model.js';
import type { WorkOrderReader } from '../loaders/index.js';
import type { VendorAdapters } from '../vendors/registry.js';
import { allowedFrom, deletable } from '../vendors/states.js';
import type { WritableWorkOrderSource } from '../vendors/types.js';
import type { AfterFailure, IdempotencyStore, Verifier, VerifyFacts } from './idempotency.js';
import type { KeyedLock } from './lock.js';

export type Intent = 'start' | 'pause' | 'hold' | 'resume' | 'complete' | 'cancel' | 'transition';

const INTENT_TARGET: Record<Exclude<Intent, 'transition'>, WorkOrderStatus> = {
  start: 'IN_PROGRESS',
  pause: 'PAUSED',
  hold: 'ON_HOLD',
  resume: 'IN_PROGRESS',
  complete: 'COMPLETED',
  cancel: 'CANCELLED',
};

/** Resuming is only a move back to work from a stop; from OPEN it would be a start. */
const RESUMABLE: readonly WorkOrderStatus[] = ['PAUSED', 'ON_HOLD', 'INCOMPLETE'];

/** What the writes are built from, once per process. */
export interface WriteServices {
  adapters: VendorAdapters;
  idempotency: IdempotencyStore;
  locks: KeyedLock;
  /** Told of every change made here, for subscribers; never fails a write that succeeded. */
  changed?: (after: WorkOrder | null, before: WorkOrder | undefined) => void;
  /**
   * Vendor reads shared across requests (in flight, cached), when on. A write makes stale what it touched (the
   * order, and the vendor's lists), and its own reads (the state check, the re-read) never take a shared answer:
   * the order's shared copies are dropped first, so the read goes to the vendor. Never throws.
   */
  sharedReads?: { invalidate(vendor: Vendor, key: string | undefined, lists: boolean): Promise<void> };
}

/** One request's side of a write: who calls (idempotency keys are scoped to the caller) and its loaders. */
export interface WriteRequest {
  /** Whose keys these are: idempotency keys are scoped to the caller. */
  caller: string;
  assertVisible(vendor: Vendor): void;
  orders: WorkOrderReader;
  /** Told when a write's answer is the first outcome of its key replayed, not a new run. */
  replayed?: () => void;
}

export interface TransitionInput {
  intent: Intent;
  to?: WorkOrderStatus;
  completedQuantity?: number | null;
  notes?: string | null;
  reason?: string | null;
}

const MAX_TEXT = 2000;
const MAX_ORDER_NUMBER = 64;

/** Builds the write flow once; `forRequest` binds it to one request's caller and loaders (that is `ctx.writes`). */
export function createWrites(services: WriteServices) {
  return {
    forRequest: (request: WriteRequest) => bindWrites(services, request),
  };
}

function bindWrites(services: WriteServices, request: WriteRequest) {
  const { adapters } = services;
  const shared = services.sharedReads;
  const deps = {
    assertVisible: request.assertVisible,
    read: shared
      ? async (vendor: Vendor, key: string) => {
          await shared.invalidate(vendor, key, false);
          return request.orders.readFresh(vendor, key);
        }
      : (vendor: Vendor, key: string) => request.orders.readFresh(vendor, key),
    forget: (vendor: Vendor, key: string) => request.orders.forget(vendor, key),
  };

  const writable = (vendor: Vendor, capability: keyof VendorCapabilities, what: string): WritableWorkOrderSource => {
    deps.assertVisible(vendor);
    const { capabilities, writer } = adapters[vendor];
    if (!capabilities[capability] || !writer) {
      const readOnly = !capabilities.create && !capabilities.update && !capabilities.transitions;
      throw new UnsupportedByVendorError(
        readOnly
          ? `${vendor} work orders are read-only: the vendor's documented API finds work orders and changes none, so ${what} is not possible`
          : `${vendor} does not support ${what}`,
        vendor,
      );
    }
    return writer;
  };

  /**
   * Runs a write once per idempotency key: a repeat answers the first outcome without calling the vendor. `run`
   * reports its progress on the attempt, which decides what a failure leaves behind (see AfterFailure).
   * `verifier` rebuilds, from the facts an attempt recorded, the check a repeat makes when that attempt's outcome
   * was unknown: built from this request's input, which the fingerprint makes the first attempt's own.
   */
  async function idempotent<T extends WorkOrder | boolean>(
    key: string | undefined,
    operation: string,
    input: unknown,
    run: (attempt: Attempt) => Promise<T>,
    verifier?: Verifier,
  ): Promise<T> {
    const attempt: Attempt = { sent: false, written: undefined, facts: undefined };
    // A failure after the write succeeded (its re-read) must not read as a failed write.
    const tracked = () =>
      run(attempt).catch((err: unknown) => {
        if (attempt.written) markOutcome(err, 'APPLIED');
        // The vendor answered the write with a success we could not read: it most likely acted.
        else if (attempt.sent && err instanceof UpstreamError && err.kind === 'bad_response')
          markOutcome(err, 'UNKNOWN');
        throw err;
      });
    if (!key) return tracked();
    if (key.length > 200) throw new ValidationError('Idempotency key must be at most 200 characters', 'idempotencyKey');
    // One namespace per caller, whether the key came as the header or the argument; the fingerprint binds it to
    // one operation (the write and its target) and its input, so any other use of the key is a conflict.
    return services.idempotency.run(
      `${request.caller}\u0000${key}`,
      fingerprint([operation, input]),
      tracked,
      (err) => afterFailure(attempt, err, deps.read),
      request.replayed,
      verifier,
    );
  }

  /**
   * Calls the vendor's write, marking the attempt before (it may reach the vendor from here on) and after (it
   * happened, on this order), and forgets the request's cached copy of the order either way.
   */
  async function send<R>(
    attempt: Attempt,
    vendor: Vendor,
    key: string | ((result: R) => string),
    write: () => Promise<R>,
  ): Promise<R> {
    attempt.sent = true;
    try {
      const result = await write();
      attempt.written = { vendor, key: typeof key === 'string' ? key : key(result) };
      return result;
    } finally {
      if (typeof key === 'string') deps.forget(vendor, key);
      // Whatever the outcome (a lost answer may still have changed the order), other requests' shared reads of
      // the order and of the vendor's lists are stale from here, on every replica.
      await shared?.invalidate(vendor, typeof key === 'string' ? key : attempt.written?.key, true);
    }
  }

  async function transition(
    vendor: Vendor,
    key: string,
    input: TransitionInput,
    idempotencyKey?: string,
  ): Promise<WorkOrder> {
    const client = writable(vendor, 'transitions', `to ${input.intent} a work order`);
    validateText(input.notes, 'notes');
    validateText(input.reason, 'reason');
    if (
      input.completedQuantity != null &&
      (!Number.isInteger(input.completedQuantity) || input.completedQuantity < 0)
    ) {
      throw new ValidationError('completedQuantity must be a non-negative integer', 'completedQuantity', vendor);
    }
    // Whether a transition whose answer was lost happened: the order now has the status it was moved to.
    const verifier: Verifier = (facts) => async () => {
      const { from, to } = facts as { from: WorkOrderStatus; to: WorkOrderStatus };
      const now = await deps.read(vendor, key);
      return now.status === to && now.status !== from ? { done: true, value: now } : { done: false };
    };
    return idempotent(
      idempotencyKey,
      `transition:${vendor}:${key}`,
      input,
      (attempt) =>
        services.locks.run(`${vendor}:${key}`, async () => {
          const current = await deps.read(vendor, key);
          const allowed = allowedFrom(adapters[vendor].states, current);
          const to = input.intent === 'transition' ? (input.to as WorkOrderStatus) : INTENT_TARGET[input.intent];
          const refused = !allowed.includes(to) || (input.intent === 'resume' && !RESUMABLE.includes(current.status));
          if (refused)
            throw new InvalidTransitionError(
              vendor,
              current.status,
              allowed,
              input.intent === 'transition' ? `move to ${to}` : input.intent,
            );
          if (to === 'COMPLETED' && input.completedQuantity != null && input.completedQuantity > current.quantity) {
            throw new ValidationError(
              `completedQuantity ${input.completedQuantity} is above the order's quantity ${current.quantity}`,
              'completedQuantity',
              vendor,
            );
          }
          attempt.facts = { from: current.status, to };
          await send(attempt, vendor, key, () =>
            client.transition(key, current.status, {
              to,
              started: current.startDate != null,
              ...(input.completedQuantity != null ? { completedQuantity: input.completedQuantity } : {}),
              ...(input.notes != null ? { notes: input.notes } : {}),
              ...(input.reason != null ? { reason: input.reason } : {}),
            }),
          );
          const after = await deps.read(vendor, key);
          services.changed?.(after, current);
          return after;
        }),
      verifier,
    );
  }

  async function create(input: WorkOrderCreate, idempotencyKey?: string): Promise<WorkOrder> {
    const client = writable(input.vendor, 'create', 'creating a work order');
    validateCreate(input);
    client.checkCreate(input);
    // Whether a create whose answer was lost happened: the vendor holds an order under the client's order number
    // with the values sent. One that holds other values is not ours (the resend is then refused as a duplicate).
    const find = client.findCreated?.bind(client);
    const verifier: Verifier | undefined =
      find &&
      ((facts) => async () => {
        // A date in a shared record may come back revived, or as its text.
        const found = await find(input, new Date(facts.sentAt as string | Date));
        if (!found) return { done: false };
        // Read whole: a list record may lack fields the create set (the generic MES list has no notes).
        const now = await deps.read(input.vendor, found.vendorId);
        if (!holdsCreate(now, input)) return { done: false };
        services.changed?.(now, undefined);
        return { done: true, value: now };
      });
    return idempotent(
      idempotencyKey,
      'create',
      input,
      async (attempt) => {
        if (verifier) attempt.facts = { sentAt: new Date().toISOString() };
        const created = await send(
          attempt,
          input.vendor,
          (wo: WorkOrder) => wo.vendorId,
          () => client.createWorkOrder(input),
        );
        const after = await deps.read(input.vendor, created.vendorId);
        services.changed?.(after, undefined);
        return after;
      },
      verifier,
    );
  }

  async function update(
    vendor: Vendor,
    key: string,
    input: WorkOrderUpdate,
    idempotencyKey?: string,
  ): Promise<WorkOrder> {
    const client = writable(vendor, 'update', 'updating a work order');
    validateUpdate(vendor, input);
    client.checkUpdate(input);
    // Whether an update whose answer was lost happened: the order holds every value it set.
    const verifier: Verifier = () => async () => {
      const now = await deps.read(vendor, key);
      return holdsUpdate(now, input) ? { done: true, value: now } : { done: false };
    };
    return idempotent(
      idempotencyKey,
      `update:${vendor}:${key}`,
      input,
      (attempt) =>
        services.locks.run(`${vendor}:${key}`, async () => {
          const current = await deps.read(vendor, key);
          if (input.completedQuantity != null && input.completedQuantity > (input.quantity ?? current.quantity)) {
            throw new ValidationError('completedQuantity is above the order quantity', 'completedQuantity', vendor);
          }
          attempt.facts = {};
          await send(attempt, vendor, key, () => client.updateWorkOrder(key, input));
          const after = await deps.read(vendor, key);
          services.changed?.(after, current);
          return after;
        }),
      verifier,
    );
  }

  async function remove(vendor: Vendor, key: string, idempotencyKey?: string): Promise<boolean> {
    const client = writable(vendor, 'delete', 'deleting a work order');
    // Whether a delete whose answer was lost happened: the order is gone.
    const verifier: Verifier = () => async () => {
      try {
        await deps.read(vendor, key);
        return { done: false };
      } catch (err) {
        if (err instanceof NotFoundError) return { done: true, value: true };
        throw err;
      }
    };
    return idempotent(
      idempotencyKey,
      `delete:${vendor}:${key}`,
      {},
      (attempt) =>
        services.locks.run(`${vendor}:${key}`, async () => {
          const current = await deps.read(vendor, key);
          if (!deletable(adapters[vendor].states, current)) {
            throw new InvalidTransitionError(
              vendor,
              current.status,
              allowedFrom(adapters[vendor].states, current),
              'delete',
              `${vendor} work order is ${current.status}: it cannot be deleted in this status`,
            );
          }
          attempt.facts = {};
          await send(attempt, vendor, key, () => client.deleteWorkOrder(key));
          services.changed?.(null, current);
          return true;
        }),
      verifier,
    );
  }

  return { transition, create, update, remove };
}

export type WorkOrderWrites = ReturnType<typeof bindWrites>;

/** How far a write got: `sent` once the vendor call may have reached the vendor, `written` once it succeeded. */
interface Attempt {
  sent: boolean;
  written: { vendor: Vendor; key: string } | undefined;
  /**
   * What a repeat's check needs to learn whether this write took effect when its answer was lost (plain JSON, kept
   * with the error; the check itself is the repeat's verifier). Unset: the write cannot be checked.
   */
  facts: VerifyFacts | undefined;
}

/** The order holds what the create sent (the values every vendor keeps as given). */
function holdsCreate(wo: WorkOrder, input: WorkOrderCreate): boolean {
  return (
    wo.orderNumber === input.orderNumber &&
    holdsUpdate(wo, {
      quantity: input.quantity,
      ...(input.dueDate !== undefined ? { dueDate: input.dueDate } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      ...(input.customer !== undefined ? { customer: input.customer } : {}),
    })
  );
}

/** The order holds every value the update set (what the vendor keeps of it: dates to the second). */
function holdsUpdate(wo: WorkOrder, input: WorkOrderUpdate): boolean {
  // The input's dates are Dates, the order's Instants (epoch ms): compared as whole seconds.
  const second = (v: unknown) => Math.floor((v instanceof Date ? v.getTime() : typeof v === 'number' ? v : 0) / 1000);
  const same = (a: unknown, b: unknown) =>
    a instanceof Date || b instanceof Date ? second(a) === second(b) : (a ?? null) === (b ?? null);
  const checks: [unknown, unknown][] = [
    [input.orderNumber, wo.orderNumber],
    [input.quantity, wo.quantity],
    [input.completedQuantity, wo.completedQuantity],
    [input.priority, wo.priority],
    [input.dueDate, wo.dueDate],
    [input.customer, wo.customer],
    [input.notes, wo.notes],
  ];
  return checks.every(([given, held]) => given === undefined || same(given, held));
}

/**
 * What a failed attempt leaves under its idempotency key. Nothing sent yet (the state check's read failed, our
 * own refusal), or the vendor certainly did not act (refused, connection never made, rate limited): the key is
 * released so the caller can try again. The write done but its re-read failed: a repeat reads the order again,
 * never writes twice. Anything else after sending (a timeout, a lost connection) leaves the outcome unknown: the
 * error is kept, so a blind retry cannot write twice.
 */
function afterFailure(
  attempt: Attempt,
  err: unknown,
  read: (vendor: Vendor, key: string) => Promise<WorkOrder>,
): AfterFailure {
  const written = attempt.written;
  if (written) return { action: 'replay', replay: () => read(written.vendor, written.key) };
  if (!attempt.sent) return { action: 'release' };
  if (err instanceof ValidationError || err instanceof InvalidTransitionError || err instanceof NotFoundError)
    return { action: 'release' };
  if (err instanceof UpstreamError && (err.kind === 'rate_limited' || err.notSent)) return { action: 'release' };
  // The outcome is unknown (and the client was told so): a repeat reads the vendor to learn it, never writing
  // blindly a second time. Any other failure after sending (a vendor's 500) is kept and answered again as it was.
  if (attempt.facts && outcomeOf(err) === 'UNKNOWN') return { action: 'verify', facts: attempt.facts };
  return { action: 'keep' };
}

function validateText(value: string | null | undefined, field: string) {
  if (value != null && value.length > MAX_TEXT)
    throw new ValidationError(`${field} must be at most ${MAX_TEXT} characters`, field);
}

function validateQuantity(value: number | undefined, field: string, vendor: Vendor) {
  if (value !== undefined && (!Number.isInteger(value) || value <= 0))
    throw new ValidationError(`${field} must be a positive integer`, field, vendor);
}

function validateCreate(input: WorkOrderCreate) {
  const v = input.vendor;
  if (!input.orderNumber?.trim()) throw new ValidationError('orderNumber is required', 'orderNumber', v);
  if (input.orderNumber.length > MAX_ORDER_NUMBER)
    throw new ValidationError(`orderNumber must be at most ${MAX_ORDER_NUMBER} characters`, 'orderNumber', v);
  if (input.quantity === undefined) throw new ValidationError('quantity is required', 'quantity', v);
  validateQuantity(input.quantity, 'quantity', v);
  validateText(input.notes, 'notes');
  validateText(input.customer, 'customer');
}

function validateUpdate(vendor: Vendor, input: WorkOrderUpdate) {
  if (Object.values(input).every((x) => x === undefined))
    throw new ValidationError('Nothing to update: give at least one field', 'input', vendor);
  if (input.orderNumber !== undefined && (!input.orderNumber.trim() || input.orderNumber.length > MAX_ORDER_NUMBER)) {
    throw new ValidationError(`orderNumber must be 1 to ${MAX_ORDER_NUMBER} characters`, 'orderNumber', vendor);
  }
  validateQuantity(input.quantity, 'quantity', vendor);
  if (input.completedQuantity != null && (!Number.isInteger(input.completedQuantity) || input.completedQuantity < 0)) {
    throw new ValidationError('completedQuantity must be a non-negative integer', 'completedQuantity', vendor);
  }
  validateText(input.notes, 'notes');
  validateText(input.customer, 'customer');
}
