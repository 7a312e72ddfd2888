// The DotZero client: made once per process, it owns the work-order API's pool and the token. Every call goes
// through VendorHttp; what DotZero's answers mean (field names, envelopes, status values) is mapping.ts's and
// states.ts's business, and this file only decides which calls to make, how many, and what their failures become.
import { InvalidTransitionError, NotFoundError, UpstreamError, ValidationError } from '../../domain/errors.js';
import type {
  DotZeroWorkOrder,
  Inventory,
  Operation,
  OperationDefinition,
  Product,
  ProductQuery,
  Route,
  StorageLocation,
  VendorCapabilities,
  Warehouse,
  WorkOrderCreate,
  WorkOrderQuery,
  WorkOrderStatus,
  WorkOrderUpdate,
} from '../../domain/model.js';
import { VendorHttp, type HttpRequest, type HttpResponse } from '../http.js';
import type { ShareTag } from '../sharing.js';
import {
  asPages,
  mapLimited,
  offsetWindow,
  scanningWindow,
  MAX_VENDOR_PAGE,
  SCAN_CONCURRENCY,
  type Page,
  type Segment,
} from '../paging.js';
import { badResponse, lookupEach, refusal, type RefusalContext } from '../client-kit.js';
import type { DotZeroClient, PolledOrders, TransitionRequest } from '../types.js';
import { DotZeroAuth } from './auth.js';
import {
  createWorkOrderBody,
  describeDotZeroError,
  isWorkOrderRecord,
  knownTotal,
  mapOpHistory,
  mapOperationDefinition,
  mapProduct,
  mapProductStorage,
  mapRoute,
  mapRouteOperation,
  mapStorageLocation,
  mapWarehouse,
  mapWorkOrder,
  rangeParams,
  readCount,
  readList,
  readOne,
  sortBySequence,
  statusChangeBody,
  statusChangeInputs,
  updateWorkOrderBody,
  type QueryParams,
  type WireList,
} from './mapping.js';
import { productListPlan, workOrderListPlans, type DotZeroListPlan } from './plan.js';
import { DOTZERO_CHANGE_MECHANISM, dotZeroStateRules, dotZeroStatusOf } from './states.js';
import type { DotZeroClientConfig } from './types.js';

const VENDOR = 'DOTZERO' as const;

/**
 * Lists read "to the end" page by page (a bare array says nothing of its length) stop here: a vendor that ignores
 * `start` would otherwise be read forever.
 */
const MAX_SEQUENTIAL_PAGES = 200;

export function createDotZeroClient(config: DotZeroClientConfig): DotZeroClient {
  return new DotZeroRestClient(config);
}

export class DotZeroRestClient implements DotZeroClient {
  readonly vendor = VENDOR;
  readonly capabilities: VendorCapabilities = {
    read: true,
    create: true,
    update: true,
    delete: true,
    transitions: true,
    batchLookup: false,
  };
  private readonly http: VendorHttp;
  private readonly auth: DotZeroAuth;

  constructor(config: DotZeroClientConfig) {
    this.auth = new DotZeroAuth({
      userApiUrl: config.userApiUrl,
      tenantId: config.tenantId,
      token: config.token,
      refreshToken: config.refreshToken,
      expiresAt: config.expiresAt,
      configDir: config.configDir,
      transport: config.transport,
    });
    this.http = new VendorHttp({
      vendor: VENDOR,
      baseUrl: config.workOrderApiUrl,
      auth: this.auth,
      ...config.transport,
      describeError: describeDotZeroError,
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.http.close(), this.auth.close()]);
  }

  // ---- work orders: lists and lookups

  planWorkOrders(query: WorkOrderQuery): Segment<DotZeroWorkOrder>[] {
    return workOrderListPlans(query).map((plan) =>
      // The document lists the count endpoint without parameters: trust it for the whole list only, and count a
      // filtered list by reading it.
      this.segment(
        '/v1/workOrders/',
        'listWorkOrders',
        plan,
        mapWorkOrder,
        'orders',
        Object.keys(plan.params).length === 0 ? () => this.countWorkOrders() : undefined,
      ),
    );
  }

  /**
   * DotZero's list filters by start time, status and ASAP only, never by update time: every order, to be diffed,
   * and (DotZero has no webhooks nor a deleted-orders list) the only way to notice a deletion. The read counts as
   * complete only when it holds as many distinct orders as the vendor's own total says: offset paging over a list
   * that changes while it is read can skip an order, and a skipped order must not read as a deleted one. Never
   * shared or cached: change detection must see the vendor as it is now.
   */
  async changedWorkOrders(): Promise<PolledOrders<DotZeroWorkOrder>> {
    const read = await this.readAllCounted('/v1/workOrders/', 'pollWorkOrders', 'work order');
    const orders = read.items.map(mapWorkOrder);
    const distinct = new Set(orders.map((o) => o.vendorId)).size;
    return { orders, complete: read.total === undefined || distinct >= read.total };
  }

  getWorkOrders(keys: readonly string[]): Promise<(DotZeroWorkOrder | Error)[]> {
    return this.lookup(keys, '/v1/workOrders', 'getWorkOrder', 'work order', mapWorkOrder, (order) => ({ order }));
  }

  // ---- products, routes, operations, inventory

  planProducts(query: ProductQuery): Segment<Product>[] {
    // DotZero documents no product count, so a bare-array answer is counted by reading on.
    return [this.segment('/v1/products/', 'listProducts', productListPlan(query), mapProduct, 'reference')];
  }

  getProducts(keys: readonly string[]): Promise<(Product | Error)[]> {
    return this.lookup(keys, '/v1/products', 'getProduct', 'product', mapProduct, reference);
  }

  getRoutes(keys: readonly string[]): Promise<(Route | Error)[]> {
    return this.lookup(keys, '/v1/routes', 'getRoute', 'route', mapRoute, reference);
  }

  async routesByProduct(productKey: string): Promise<Route[]> {
    const items = await this.children(
      `/v1/routes/${enc(productKey)}/byProductUuid`,
      'routesByProduct',
      'routes',
      'reference',
    );
    return items.map((item) => mapRoute(item));
  }

  async routeOperations(routeKey: string): Promise<Operation[]> {
    const items = await this.children(
      `/v1/routeOperation/${enc(routeKey)}/byRouteUuid`,
      'routeOperations',
      'route operations',
      'reference',
    );
    return sortBySequence(items.map((item) => mapRouteOperation(item, routeKey)));
  }

  async workOrderOperations(workOrderKey: string): Promise<Operation[]> {
    const items = await this.children(
      `/v1/workOrderOpHistory/${enc(workOrderKey)}/byWorkOrderUuid`,
      'workOrderOperations',
      'operation history',
      // An order's history moves with the order: a write to it makes this stale.
      { order: workOrderKey },
    );
    return items.map((item) => mapOpHistory(item, workOrderKey));
  }

  getOperationDefinitions(keys: readonly string[]): Promise<(OperationDefinition | Error)[]> {
    return this.lookup(keys, '/v1/operation', 'getOperation', 'operation', mapOperationDefinition, reference);
  }

  async inventoryByProduct(productKey: string): Promise<Inventory[]> {
    const items = await this.children(
      `/v1/productStorage/${enc(productKey)}/byProductUuid`,
      'inventoryByProduct',
      'product storage',
      'reference',
    );
    return items.map((item) => mapProductStorage(item, productKey));
  }

  async listWarehouses(): Promise<Warehouse[]> {
    return (await this.readAll('/v1/warehouse/', 'listWarehouses', 'warehouses', 'reference')).map((item) =>
      mapWarehouse(item),
    );
  }

  getWarehouses(keys: readonly string[]): Promise<(Warehouse | Error)[]> {
    return this.lookup(keys, '/v1/warehouse', 'getWarehouse', 'warehouse', mapWarehouse, reference);
  }

  async listStorageLocations(): Promise<StorageLocation[]> {
    return (await this.readAll('/v1/warehouseStorage/', 'listStorageLocations', 'storage locations', 'reference')).map(
      (item) => mapStorageLocation(item),
    );
  }

  getStorageLocations(keys: readonly string[]): Promise<(StorageLocation | Error)[]> {
    return this.lookup(
      keys,
      '/v1/warehouseStorage',
      'getStorageLocation',
      'storage location',
      mapStorageLocation,
      reference,
    );
  }

  // ---- writes (never retried by VendorHttp: DotZero has no idempotency key, so a resend could act twice)

  checkCreate(input: WorkOrderCreate): void {
    createWorkOrderBody(input);
  }

  checkUpdate(input: WorkOrderUpdate): void {
    updateWorkOrderBody(input);
  }

  async createWorkOrder(input: WorkOrderCreate): Promise<DotZeroWorkOrder> {
    if (input.vendor !== VENDOR)
      throw new ValidationError(`Not a DotZero work order: ${input.vendor}`, 'vendor', VENDOR);
    const body = createWorkOrderBody(input);
    const res = await this.call(
      { method: 'POST', path: '/v1/workOrders', body, operation: 'createWorkOrder', idempotent: false },
      { what: 'work order' },
    );
    const created = readOne(res.body);
    if (created !== null && isWorkOrderRecord(created)) return mapWorkOrder(created);
    // The document does not show what a create answers. One that holds no order is followed by a lookup by
    // work_order_id, which the document says GET /v1/workOrders/{id} accepts as well as the uuid.
    const [found] = await this.getWorkOrders([input.orderNumber]);
    if (found === undefined || found instanceof Error) {
      throw new UpstreamError(
        VENDOR,
        'bad_response',
        'DOTZERO answered a create without the work order, and it could not be read back',
      );
    }
    return found;
  }

  /** The document's `GET /v1/workOrders/{id}` takes a work_order_id as well as a uuid: one call tells. */
  async findCreated(input: WorkOrderCreate): Promise<DotZeroWorkOrder | undefined> {
    const [found] = await this.getWorkOrders([input.orderNumber]);
    if (found instanceof NotFoundError) return undefined;
    if (found === undefined || found instanceof Error) throw found ?? badResponse(VENDOR, 'nothing for a lookup');
    return found;
  }

  async updateWorkOrder(key: string, input: WorkOrderUpdate): Promise<void> {
    const body = updateWorkOrderBody(input);
    // Nothing to change is not worth a call (and an empty PATCH is not something the document promises to accept).
    if (Object.keys(body).length === 0) return;
    await this.call(
      { method: 'PATCH', path: `/v1/workOrders/${enc(key)}`, body, operation: 'updateWorkOrder', idempotent: false },
      { what: 'work order', key },
    );
  }

  async transition(key: string, current: WorkOrderStatus, change: TransitionRequest): Promise<void> {
    // Whether the move is allowed was decided by the writes (the state table, checked once); here only a status
    // DotZero has no value for cannot be sent at all. DotZero's own refusal (422) is still mapped below.
    const to = dotZeroStatusOf(change.to);
    if (to === undefined) throw refusedTransition(current, change.to);
    const mechanism = DOTZERO_CHANGE_MECHANISM[to];
    const body = statusChangeBody(to, change);
    await this.call(
      {
        method: mechanism.method,
        path: mechanism.path.replace('{uuid}', enc(key)),
        body,
        operation: 'transitionWorkOrder',
        idempotent: false,
      },
      {
        what: 'work order',
        key,
        conflict: {
          status: 422,
          error: () => refusedTransition(current, change.to),
          inputs: statusChangeInputs(body),
        },
      },
    );
  }

  async deleteWorkOrder(key: string): Promise<void> {
    await this.call(
      { method: 'DELETE', path: `/v1/workOrders/${enc(key)}`, operation: 'deleteWorkOrder', idempotent: false },
      { what: 'work order', key },
    );
  }

  // ---- plumbing

  private async call(req: HttpRequest, ctx: RefusalContext): Promise<HttpResponse> {
    try {
      return await this.http.request(req);
    } catch (err) {
      throw refusal(VENDOR, err, ctx);
    }
  }

  /** A GET; `share` marks it shareable across requests (see sharing.ts), with what a write makes it stale by. */
  private async get(
    path: string,
    operation: string,
    ctx: RefusalContext,
    query?: QueryParams,
    share?: ShareTag,
  ): Promise<unknown> {
    const res = await this.call({ method: 'GET', path, query, operation, idempotent: true, share }, ctx);
    return res.body;
  }

  private async getList(
    path: string,
    operation: string,
    what: string,
    query?: QueryParams,
    share?: ShareTag,
  ): Promise<WireList> {
    const list = readList(await this.get(path, operation, { what }, query, share));
    if (list === null) throw badResponse(VENDOR, `${what} that are not a list`);
    return list;
  }

  /**
   * One segment over a list endpoint: an offset window, or a scan where the plan filters locally. The total comes
   * from the answer, else from a short page, else from `count` (once per segment: segments live for one request).
   */
  private segment<T>(
    path: string,
    operation: string,
    plan: DotZeroListPlan<T>,
    map: (wire: unknown) => T,
    share: ShareTag,
    count?: (params: QueryParams) => Promise<number>,
  ): Segment<T> {
    let counted: Promise<number> | undefined;
    const fetchRange = async (start: number, limit: number): Promise<Page<T>> => {
      const range = rangeParams(start, limit);
      const list = await this.getList(path, operation, 'list items', { ...plan.params, ...range }, share);
      const items = list.items.map((item) => map(item));
      const total = knownTotal(range.start, range.limit, list.items.length, list.total);
      if (total !== undefined) return { items, total };
      // An empty page past the start only says the list ends somewhere before it: count from the beginning.
      const readFrom = items.length === 0 ? 0 : range.start + items.length;
      counted ??= count ? count(plan.params) : this.countByReading(path, operation, plan.params, readFrom, share);
      return { items, total: await counted };
    };
    return {
      key: plan.key,
      fetch: plan.keep ? scanningWindow(asPages(fetchRange), plan.keep) : offsetWindow(fetchRange),
    };
  }

  private async countWorkOrders(): Promise<number> {
    const total = readCount(
      await this.get('/v1/count/workOrders', 'countWorkOrders', { what: 'work order count' }, {}, 'orders'),
    );
    if (total === undefined) throw badResponse(VENDOR, 'a work order count that is not a number');
    return total;
  }

  /** Where there is no count endpoint: read on from `from` until a short page (only for bare-array answers). */
  private async countByReading(
    path: string,
    operation: string,
    params: QueryParams,
    from: number,
    share: ShareTag,
  ): Promise<number> {
    let start = from;
    for (let pages = 0; pages < MAX_SEQUENTIAL_PAGES; pages++) {
      const list = await this.getList(
        path,
        operation,
        'list items',
        { ...params, ...rangeParams(start, MAX_VENDOR_PAGE) },
        share,
      );
      const total = knownTotal(start, MAX_VENDOR_PAGE, list.items.length, list.total);
      if (total !== undefined) return total;
      if (list.items.length === 0) return start;
      start += list.items.length;
    }
    throw badResponse(VENDOR, `a list at ${path} that did not end after ${MAX_SEQUENTIAL_PAGES} pages`);
  }

  /** A whole list: the first page, then the rest in parallel when the total is known, else page by page. */
  private async readAll(path: string, operation: string, what: string, share?: ShareTag): Promise<unknown[]> {
    return (await this.readAllCounted(path, operation, what, share)).items;
  }

  /** Every item of a list, and the total the vendor gave with its first page (when it gave one). */
  private async readAllCounted(
    path: string,
    operation: string,
    what: string,
    share?: ShareTag,
  ): Promise<{ items: unknown[]; total: number | undefined }> {
    const first = await this.getList(path, operation, what, rangeParams(0, MAX_VENDOR_PAGE), share);
    const step = first.items.length;
    // A vendor that ignored `limit` has answered everything at once.
    if (step === 0 || step > MAX_VENDOR_PAGE) return { items: first.items, total: first.total };
    if (first.total !== undefined) {
      const starts: number[] = [];
      for (let start = step; start < first.total; start += step) starts.push(start);
      const rest = await mapLimited(starts, SCAN_CONCURRENCY, (start) =>
        this.getList(path, operation, what, rangeParams(start, step), share),
      );
      return { items: [first, ...rest].flatMap((page) => page.items), total: first.total };
    }
    const items = [...first.items];
    let last = step;
    for (let pages = 1; last === MAX_VENDOR_PAGE; pages++) {
      if (pages >= MAX_SEQUENTIAL_PAGES)
        throw badResponse(VENDOR, `${what} that did not end after ${MAX_SEQUENTIAL_PAGES} pages`);
      const page = await this.getList(path, operation, what, rangeParams(items.length, MAX_VENDOR_PAGE), share);
      items.push(...page.items);
      last = page.items.length;
    }
    return { items, total: undefined };
  }

  /**
   * The children of one resource (`.../byXxxUuid`, a bare array). A parent DotZero does not know has no children,
   * so its 404 reads as an empty list rather than an error on a list field.
   */
  private async children(path: string, operation: string, what: string, share: ShareTag): Promise<unknown[]> {
    try {
      return (await this.getList(path, operation, what, undefined, share)).items;
    } catch (err) {
      if (err instanceof UpstreamError && err.kind === 'http' && err.status === 404) return [];
      throw err;
    }
  }

  /** One GET per distinct key, all in parallel (DotZero has no batch lookup); one result or Error per key. */
  private lookup<T>(
    keys: readonly string[],
    base: string,
    operation: string,
    what: string,
    map: (wire: unknown) => T,
    share: (key: string) => ShareTag,
  ): Promise<(T | Error)[]> {
    return lookupEach(VENDOR, keys, what, async (key) => {
      const one = readOne(await this.get(`${base}/${enc(key)}`, operation, { what, key }, undefined, share(key)));
      if (one === null) throw badResponse(VENDOR, `a ${what} that is not an object`);
      return map(one);
    });
  }
}

/**
 * Which reads may be shared across requests (sharing.ts): every GET of the work-order API is a read with the
 * gateway's own token, so any may be. Work orders and their op history are tagged so a write makes them stale;
 * products, routes, operations, warehouses and stock no work-order write changes: only the cache's TTL ages them.
 * Change polling (changedWorkOrders) is never shared.
 */
const reference = (): ShareTag => 'reference';

function enc(key: string): string {
  return encodeURIComponent(key);
}

function refusedTransition(current: WorkOrderStatus, to: WorkOrderStatus): InvalidTransitionError {
  const allowed = dotZeroStateRules.allowed(current);
  return new InvalidTransitionError(
    VENDOR,
    current,
    allowed,
    to,
    `DOTZERO work order is ${current}: cannot change to ${to}; allowed: ${allowed.join(', ') || 'none'}`,
  );
}
