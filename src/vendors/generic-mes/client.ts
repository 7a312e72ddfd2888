// The generic MES (REST v2) client: made once per process, it owns the vendor's connection pool. Lists are windows
// over `GET /work-orders` (page/limit); what the list cannot filter by is found by reading the list whole and
// keeping matches here. Lookups are one call per key, all in flight at once, because the vendor has no batch read.
// Vendor field names live in mapping.ts and the state rules in states.ts; this file only decides which calls to
// make and what their failures mean.
import { InvalidTransitionError, ValidationError } from '../../domain/errors.js';
import type {
  GenericMesWorkOrder,
  Operation,
  VendorCapabilities,
  WorkOrderCreate,
  WorkOrderQuery,
  WorkOrderStatus,
  WorkOrderUpdate,
} from '../../domain/model.js';
import { VendorHttp, type HttpRequest, type TransportOptions } from '../http.js';
import { pagedWindow, scanningWindow, MAX_VENDOR_PAGE, type Page, type Segment } from '../paging.js';
import { lookupEach, refusal, type RefusalContext } from '../client-kit.js';
import type { GenericMesClient, TransitionRequest } from '../types.js';
import { staticKeyAuth } from './auth.js';
import {
  completeBody,
  createBody,
  describeError,
  listParams,
  newestFirstParams,
  statusBody,
  toOperation,
  toWorkOrder,
  toWorkOrderPage,
  unwrapOne,
  updateBody,
} from './mapping.js';
import { matchesLocally, planListQueries, segmentKey } from './plan.js';
import { genericMesStateRules, planTransition, type TransitionMechanism } from './states.js';
import type { GmesStatus } from './states.js';

const VENDOR = 'GENERIC_MES' as const;

/** How far before the first attempt a created order may be dated (the vendor's clock against ours). */
const CLOCK_MARGIN_MS = 10 * 60_000;
/** Pages of 100 an ambiguous create's repeat reads at most, looking for the order. */
const FIND_PAGES = 20;

export interface GenericMesConfig {
  /** Base URL including `/api/v2`, e.g. https://api.mes.company.com/api/v2. */
  apiUrl: string;
  apiKey: string;
  /** Timeouts, circuit breaker and call events, as the process sets them for every vendor. */
  transport?: TransportOptions;
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

/** A 409 on a status change or delete: the vendor refused the move from the order's state. */
function conflict(current: WorkOrderStatus, requested: string): RefusalContext['conflict'] {
  return {
    status: 409,
    error: () => new InvalidTransitionError(VENDOR, current, genericMesStateRules.allowed(current), requested),
  };
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
      const res = await this.http.request({
        method: 'GET',
        path: path.workOrder(key),
        operation: 'getWorkOrder',
        idempotent: true,
        share: { order: key },
      });
      return toWorkOrder(unwrapOne(res.body), true);
    });
  }

  getOperations(keys: readonly string[]): Promise<(Operation | Error)[]> {
    return this.lookupEach(keys, 'operation', async (key) => {
      const res = await this.http.request({
        method: 'GET',
        path: path.operation(key),
        operation: 'getOperation',
        idempotent: true,
        // An operation's status may move with its order, and its key does not name the order: any write to the
        // vendor's orders makes it stale.
        share: 'orders',
      });
      return toOperation(unwrapOne(res.body));
    });
  }

  checkCreate(input: WorkOrderCreate): void {
    if (input.routeId !== undefined) {
      throw new ValidationError('GENERIC_MES work orders have no route; give product instead', 'routeId', VENDOR);
    }
    // The document's create body names the product, and its list shows every order with one.
    if (!input.productId?.trim())
      throw new ValidationError('GENERIC_MES work orders need a product (name or SKU)', 'productId', VENDOR);
  }

  checkUpdate(input: WorkOrderUpdate): void {
    if (input.completedQuantity !== undefined) {
      throw new ValidationError(
        'GENERIC_MES sets completedQuantity only when a work order is completed',
        'completedQuantity',
        VENDOR,
      );
    }
  }

  async createWorkOrder(input: WorkOrderCreate): Promise<GenericMesWorkOrder> {
    this.checkCreate(input);
    const res = await this.write(
      {
        method: 'POST',
        path: path.workOrders,
        body: createBody(input),
        operation: 'createWorkOrder',
        idempotent: false,
      },
      { what: 'work order', key: input.orderNumber },
    );
    // The create answer is not the detail (the document's example has no customer, notes or operationIds), so
    // it is marked as a list-like record and the loaders fetch the detail when a field needs it.
    return toWorkOrder(unwrapOne(res.body), false);
  }

  /**
   * The document has no lookup by order number, so the list is read newest first (`sort=-createdAt`), 100 at a
   * time, until the order shows up or the orders get older than the first attempt (less a margin for the two
   * clocks), at most FIND_PAGES pages. Not finding it means it was not created: a resend is then safe, and even if
   * the scan missed it the vendor refuses a second order with the same number (409).
   */
  async findCreated(input: WorkOrderCreate, sentAt: Date): Promise<GenericMesWorkOrder | undefined> {
    const oldest = sentAt.getTime() - CLOCK_MARGIN_MS;
    for (let page = 1; page <= FIND_PAGES; page++) {
      const res = await this.http.request({
        method: 'GET',
        path: path.workOrders,
        query: newestFirstParams(page, MAX_VENDOR_PAGE),
        operation: 'findCreatedWorkOrder',
        idempotent: true,
      });
      const { items } = toWorkOrderPage(res.body, page, MAX_VENDOR_PAGE);
      const found = items.find((wo) => wo.orderNumber === input.orderNumber);
      if (found) return found;
      const older = items.some((wo) => wo.createdAt !== null && wo.createdAt < oldest);
      if (older || items.length < MAX_VENDOR_PAGE) return undefined;
    }
    return undefined;
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
    // Whether the move is allowed was decided by the writes (the state table, checked once); here only a status
    // the vendor has no value for cannot be sent at all.
    const planned = planTransition(current, change.to, change.started);
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
      conflict: conflict(current, requested),
    });
  }

  async deleteWorkOrder(key: string): Promise<void> {
    // The document allows deleting anything not in progress, so a 409 here means the order is IN_PROGRESS.
    await this.write(
      { method: 'DELETE', path: path.workOrder(key), operation: 'deleteWorkOrder', idempotent: false },
      { what: 'work order', key, conflict: conflict('IN_PROGRESS', 'delete') },
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
        share: 'orders',
      });
      return toWorkOrderPage(res.body, page, size);
    };
  }

  /** One call per distinct key, all at once (no batch read); each key gets its record or its own error. */
  private lookupEach<T>(
    keys: readonly string[],
    what: string,
    fetchOne: (key: string) => Promise<T>,
  ): Promise<(T | Error)[]> {
    return lookupEach(VENDOR, keys, what, (key) =>
      fetchOne(key).catch((err: unknown) => {
        throw refusal(VENDOR, err, { what, key });
      }),
    );
  }

  private async write(req: HttpRequest, context: RefusalContext) {
    try {
      return await this.http.request(req);
    } catch (err) {
      // A 409 that names a field (the vendor's duplicate orderNumber) refuses that field's value: the same mistake
      // DotZero answers with 422, so it is the same ValidationError whichever vendor refuses it.
      throw refusal(VENDOR, err, context.conflict ? context : { ...context, fieldConflict: 409 });
    }
  }
}

/** The generic MES client; create one per process and close it on shutdown. */
export function createGenericMesClient(config: GenericMesConfig): GenericMesClient {
  return new GenericMesHttpClient(config);
}
