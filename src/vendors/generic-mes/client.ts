// The generic MES (REST v2) client: made once per process, it owns the vendor's connection pool. Lists are windows
// over `GET /work-orders` (page/limit); what the list cannot filter by is found by reading the list whole and
// keeping matches here. Lookups are one call per key, all in flight at once, because the vendor has no batch read.
// Vendor field names live in mapping.ts and the state rules in states.ts; this file only decides which calls to
// make and what their failures mean.
import {
  InvalidTransitionError,
  NotFoundError,
  UpstreamError,
  ValidationError,
} from '../../domain/errors.js';
import {
  PRIORITIES,
  WORK_ORDER_STATUSES,
  type GenericMesWorkOrder,
  type Operation,
  type Priority,
  type VendorCapabilities,
  type WorkOrderCreate,
  type WorkOrderQuery,
  type WorkOrderStatus,
  type WorkOrderUpdate,
} from '../../domain/model.js';
import { VendorHttp, type HttpRequest, type TransportOptions } from '../http.js';
import { pagedWindow, scanningWindow, MAX_VENDOR_PAGE, type Page, type Segment } from '../paging.js';
import { shortKey } from '../scalars.js';
import type { GenericMesClient, TransitionRequest } from '../types.js';
import { staticKeyAuth } from './auth.js';
import {
  completeBody,
  createBody,
  describeError,
  listParams,
  listQueryKey,
  statusBody,
  toOperation,
  toWorkOrder,
  toWorkOrderPage,
  unwrapOne,
  updateBody,
} from './mapping.js';
import {
  GMES_FILTERABLE,
  genericMesStateRules,
  gmesStatusOf,
  planTransition,
  type TransitionMechanism,
} from './states.js';
import type { GmesStatus } from './types.js';

const VENDOR = 'GENERIC_MES' as const;

export interface GenericMesConfig {
  /** Base URL including `/api/v2`, e.g. https://api.mes.company.com/api/v2. */
  apiUrl: string;
  apiKey: string;
  /** Timeouts, circuit breaker and call events, as the process sets them for every vendor. */
  transport?: TransportOptions;
}

// ---------------------------------------------------------------------------------------------------------------
// Planning list queries (pure, so the quirks can be tested without a vendor)

/** What the list cannot filter by, checked on each record of a scanned list. */
export interface LocalFilter {
  /** Kept status, for ON_HOLD, which the list's `status` parameter does not take. */
  status?: WorkOrderStatus;
  priorities?: readonly Priority[];
  /** Matched case-insensitively as a substring. */
  orderNumber?: string;
  /** Inclusive bounds; either may be open. A record without a due date never matches a due filter. */
  dueAfter?: Date;
  dueBefore?: Date;
}

/** One upstream list query: the vendor's `status` parameter, and what must then be kept locally (a scan). */
export interface ListPlan {
  status?: GmesStatus;
  keep?: LocalFilter;
}

/**
 * Splits a query into list queries, in the order the gateway lists them: one per requested status the vendor has,
 * in the unified status order (so the same filter always pages the same way, whatever order it was written in).
 * An empty `statuses` or `priorities` list is no filter, as an absent one.
 */
export function planListQueries(query: WorkOrderQuery): ListPlan[] {
  const local: LocalFilter = {};
  if (query.priorities && query.priorities.length > 0) {
    local.priorities = PRIORITIES.filter((p) => query.priorities?.includes(p));
  }
  if (query.orderNumber !== undefined && query.orderNumber !== '') local.orderNumber = query.orderNumber;
  if (query.dueAfter !== undefined) local.dueAfter = query.dueAfter;
  if (query.dueBefore !== undefined) local.dueBefore = query.dueBefore;
  const scan = Object.keys(local).length > 0;

  if (!query.statuses || query.statuses.length === 0) return [scan ? { keep: local } : {}];
  const plans: ListPlan[] = [];
  for (const status of WORK_ORDER_STATUSES) {
    if (!query.statuses.includes(status)) continue;
    const vendorStatus = gmesStatusOf(status);
    if (vendorStatus === undefined) continue;
    if (GMES_FILTERABLE.includes(vendorStatus)) plans.push(scan ? { status: vendorStatus, keep: local } : { status: vendorStatus });
    else plans.push({ keep: { ...local, status } });
  }
  return plans;
}

/** Whether a record passes a local filter. */
export function matchesLocally(filter: LocalFilter, wo: GenericMesWorkOrder): boolean {
  if (filter.status !== undefined && wo.status !== filter.status) return false;
  if (filter.priorities !== undefined && !filter.priorities.includes(wo.priority)) return false;
  if (filter.orderNumber !== undefined && !wo.orderNumber.toLowerCase().includes(filter.orderNumber.toLowerCase())) {
    return false;
  }
  if (filter.dueAfter !== undefined || filter.dueBefore !== undefined) {
    if (wo.dueDate === null) return false;
    const due = wo.dueDate.getTime();
    if (filter.dueAfter !== undefined && due < filter.dueAfter.getTime()) return false;
    if (filter.dueBefore !== undefined && due > filter.dueBefore.getTime()) return false;
  }
  return true;
}

/** A stable text for a segment key: the cursor check compares it, so equal plans must give equal keys. */
export function segmentKey(plan: ListPlan): string {
  const base = `${VENDOR}:/work-orders?${listQueryKey(plan.status)}`;
  const keep = plan.keep;
  if (!keep) return base;
  const parts = [
    keep.status !== undefined ? `status=${keep.status}` : undefined,
    keep.priorities !== undefined ? `priorities=${keep.priorities.join(',')}` : undefined,
    keep.orderNumber !== undefined ? `orderNumber=${encodeURIComponent(keep.orderNumber.toLowerCase())}` : undefined,
    keep.dueAfter !== undefined ? `dueAfter=${keep.dueAfter.toISOString()}` : undefined,
    keep.dueBefore !== undefined ? `dueBefore=${keep.dueBefore.toISOString()}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return `${base}#keep(${parts.join(';')})`;
}

// ---------------------------------------------------------------------------------------------------------------
// The client

const CAPABILITIES: VendorCapabilities = Object.freeze({
  read: true,
  create: true,
  update: true,
  delete: true,
  transitions: true,
  batchLookup: false,
});

/** Where a refused call came from, so a vendor refusal can be told in the gateway's terms. */
interface RefusalContext {
  /** What was looked up or changed, for NotFoundError messages. */
  what: 'work order' | 'operation';
  key: string;
  /** For a state refusal (409): the status the order was in, and what was asked. */
  current?: WorkOrderStatus;
  requested?: string;
}

const path = {
  workOrders: '/work-orders',
  workOrder: (key: string) => `/work-orders/${encodeURIComponent(key)}`,
  operation: (key: string) => `/operations/${encodeURIComponent(key)}`,
};

/** The vendor call for each mechanism in states.ts (GMES_MECHANISMS says which one carries a move). */
const TRANSITION_CALLS: Readonly<
  Record<TransitionMechanism, (key: string, to: GmesStatus, change: TransitionRequest) => HttpRequest>
> = {
  // `/start` takes no body: notes or a reason given with a start have nowhere to go.
  start: (key) => ({
    method: 'POST',
    path: `${path.workOrder(key)}/start`,
    operation: 'startWorkOrder',
    idempotent: false,
  }),
  complete: (key, _to, change) => ({
    method: 'POST',
    path: `${path.workOrder(key)}/complete`,
    body: completeBody(change.completedQuantity, change.notes ?? change.reason),
    operation: 'completeWorkOrder',
    idempotent: false,
  }),
  status: (key, to, change) => ({
    method: 'PUT',
    path: path.workOrder(key),
    body: statusBody(to, change.notes ?? change.reason),
    operation: 'changeWorkOrderStatus',
    idempotent: false,
  }),
};

class GenericMesHttpClient implements GenericMesClient {
  readonly vendor = VENDOR;
  readonly capabilities = CAPABILITIES;
  private readonly http: VendorHttp;

  constructor(config: GenericMesConfig) {
    this.http = new VendorHttp({
      vendor: VENDOR,
      baseUrl: config.apiUrl,
      auth: staticKeyAuth(config.apiKey),
      describeError,
      ...config.transport,
    });
  }

  planWorkOrders(query: WorkOrderQuery): Segment<GenericMesWorkOrder>[] {
    return planListQueries(query).map((plan) => {
      const fetchPage = this.listPage(plan.status);
      const keep = plan.keep;
      return {
        key: segmentKey(plan),
        fetch: keep ? scanningWindow(fetchPage, (wo) => matchesLocally(keep, wo)) : pagedWindow(fetchPage),
      };
    });
  }

  async allWorkOrders(): Promise<GenericMesWorkOrder[]> {
    const everything = scanningWindow(this.listPage(undefined), () => true);
    return (await everything(0, Number.MAX_SAFE_INTEGER)).items;
  }

  getWorkOrders(keys: readonly string[]): Promise<(GenericMesWorkOrder | Error)[]> {
    return this.lookupEach(keys, 'work order', async (key) => {
      const res = await this.http.request({ method: 'GET', path: path.workOrder(key), operation: 'getWorkOrder', idempotent: true });
      return toWorkOrder(unwrapOne(res.body), true);
    });
  }

  getOperations(keys: readonly string[]): Promise<(Operation | Error)[]> {
    return this.lookupEach(keys, 'operation', async (key) => {
      const res = await this.http.request({ method: 'GET', path: path.operation(key), operation: 'getOperation', idempotent: true });
      return toOperation(unwrapOne(res.body));
    });
  }

  checkCreate(input: WorkOrderCreate): void {
    if (input.routeId !== undefined) {
      throw new ValidationError('GENERIC_MES work orders have no route; give product instead', 'routeId', VENDOR);
    }
    // The document's create body names the product, and its list shows every order with one.
    if (!input.productId?.trim()) throw new ValidationError('GENERIC_MES work orders need a product (name or SKU)', 'productId', VENDOR);
  }

  checkUpdate(input: WorkOrderUpdate): void {
    if (input.completedQuantity !== undefined) {
      throw new ValidationError('GENERIC_MES sets completedQuantity only when a work order is completed', 'completedQuantity', VENDOR);
    }
  }

  async createWorkOrder(input: WorkOrderCreate): Promise<GenericMesWorkOrder> {
    this.checkCreate(input);
    const res = await this.write(
      { method: 'POST', path: path.workOrders, body: createBody(input), operation: 'createWorkOrder', idempotent: false },
      { what: 'work order', key: input.orderNumber },
    );
    // The create answer is not the detail (the document's example has no customer, notes or operationIds), so
    // it is marked as a list-like record and the loaders fetch the detail when a field needs it.
    return toWorkOrder(unwrapOne(res.body), false);
  }

  async updateWorkOrder(key: string, input: WorkOrderUpdate): Promise<void> {
    this.checkUpdate(input);
    const body = updateBody(input);
    // Nothing to change: no call (the caller re-reads the order, which also tells whether it exists).
    if (Object.keys(body).length === 0) return;
    await this.write(
      { method: 'PUT', path: path.workOrder(key), body, operation: 'updateWorkOrder', idempotent: false },
      { what: 'work order', key },
    );
  }

  async transition(key: string, current: WorkOrderStatus, change: TransitionRequest): Promise<void> {
    const requested = `move to ${change.to}`;
    const planned = planTransition(current, change.to);
    if (planned === undefined) {
      throw new InvalidTransitionError(VENDOR, current, genericMesStateRules.allowed(current), requested);
    }
    if (change.completedQuantity !== undefined && planned.mechanism !== 'complete') {
      throw new ValidationError(
        'GENERIC_MES accepts completedQuantity only when a work order is completed',
        'completedQuantity',
        VENDOR,
      );
    }
    await this.write(TRANSITION_CALLS[planned.mechanism](key, planned.to, change), {
      what: 'work order',
      key,
      current,
      requested,
    });
  }

  async deleteWorkOrder(key: string): Promise<void> {
    // The document allows deleting anything not in progress, so a 409 here means the order is IN_PROGRESS.
    await this.write(
      { method: 'DELETE', path: path.workOrder(key), operation: 'deleteWorkOrder', idempotent: false },
      { what: 'work order', key, current: 'IN_PROGRESS', requested: 'delete' },
    );
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private listPage(status: GmesStatus | undefined): (page: number, size: number) => Promise<Page<GenericMesWorkOrder>> {
    return async (page, asked) => {
      const size = Math.min(asked, MAX_VENDOR_PAGE);
      const res = await this.http.request({
        method: 'GET',
        path: path.workOrders,
        query: listParams(page, size, status),
        operation: 'listWorkOrders',
        idempotent: true,
      });
      return toWorkOrderPage(res.body, page, size);
    };
  }

  /** One call per distinct key, all at once; each key gets its record or its own error, never a rejection. */
  private async lookupEach<T>(
    keys: readonly string[],
    what: RefusalContext['what'],
    fetchOne: (key: string) => Promise<T>,
  ): Promise<(T | Error)[]> {
    const calls = new Map<string, Promise<T | Error>>();
    const call = (key: string): Promise<T | Error> => {
      // An empty key would address the collection, not a record.
      if (key === '') return Promise.resolve(new NotFoundError(`${VENDOR} ${what} "" not found`, VENDOR));
      return fetchOne(key).catch((err: unknown) => this.refusal(err, { what, key }));
    };
    return Promise.all(
      keys.map((key) => {
        let pending = calls.get(key);
        if (pending === undefined) {
          pending = call(key);
          calls.set(key, pending);
        }
        return pending;
      }),
    );
  }

  private async write(req: HttpRequest, context: RefusalContext) {
    try {
      return await this.http.request(req);
    } catch (err) {
      throw this.refusal(err, context);
    }
  }

  /**
   * A vendor refusal in the gateway's terms: 404 is NotFoundError, 400/422 ValidationError (with the field and
   * reason the vendor named, which VendorHttp put on the error, the field already in the gateway's input names: see
   * describeError), 409 on a status change or delete InvalidTransitionError. Anything else (rate limits, outages,
   * bad credentials) stays the UpstreamError VendorHttp made.
   */
  private refusal(err: unknown, context: RefusalContext): Error {
    if (!(err instanceof UpstreamError)) return err instanceof Error ? err : new Error(String(err));
    if (err.kind !== 'http') return err;
    if (err.status === 404) return new NotFoundError(`${VENDOR} ${context.what} "${shortKey(context.key)}" not found`, VENDOR);
    if (err.status === 400 || err.status === 422) {
      const { field, reason } = err;
      return new ValidationError(`${VENDOR} refused the input${field ? ` ${field}` : ''}${reason ? `: ${reason}` : ''}`, field, VENDOR);
    }
    // A 409 that names a field (the vendor's duplicate orderNumber) refuses that field's value: the same mistake
    // DotZero answers with 422, so it is the same ValidationError whichever vendor refuses it.
    if (err.status === 409 && context.current === undefined && err.field !== undefined) {
      return new ValidationError(`${VENDOR} refused the input ${err.field}${err.reason ? `: ${err.reason}` : ''}`, err.field, VENDOR);
    }
    if (err.status === 409 && context.current !== undefined) {
      return new InvalidTransitionError(
        VENDOR,
        context.current,
        genericMesStateRules.allowed(context.current),
        context.requested ?? 'change status',
      );
    }
    return err;
  }
}

/** The generic MES client; create one per process and close it on shutdown. */
export function createGenericMesClient(config: GenericMesConfig): GenericMesClient {
  return new GenericMesHttpClient(config);
}
