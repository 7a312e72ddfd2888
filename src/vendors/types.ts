// What the loaders may ask of each vendor client. Everything here speaks the domain model; wire shapes stay in
// each vendor's own types.ts and mapping.ts.
import type {
  DotZeroWorkOrder,
  GenericMesWorkOrder,
  Inventory,
  Operation,
  OperationDefinition,
  PitneyBowesWorkOrder,
  Product,
  ProductQuery,
  Route,
  StorageLocation,
  Vendor,
  VendorCapabilities,
  Warehouse,
  WorkOrder,
  WorkOrderCreate,
  WorkOrderQuery,
  WorkOrderStatus,
  WorkOrderUpdate,
} from '../domain/model.js';
import type { Segment } from './paging.js';

/** Every vendor can list and fetch work orders. */
export interface WorkOrderSource<W extends WorkOrder = WorkOrder> {
  readonly vendor: Vendor;
  readonly capabilities: VendorCapabilities;
  /**
   * Splits a vendor-neutral query into the vendor's list calls, in the order the gateway lists them. Returns []
   * when the vendor can hold no matching order (e.g. a status it does not have): then no call is made at all.
   * Segments are made per request; a scanning segment caches what it read.
   */
  planWorkOrders(query: WorkOrderQuery): Segment<W>[];
  /**
   * Fetches work orders by the vendor's own key, in the keys' order: a record, or a NotFoundError / UpstreamError
   * per key. Batches into one call where the vendor can (Pitney Bowes workOrderIds); otherwise one call per key,
   * all in parallel.
   */
  getWorkOrders(keys: readonly string[]): Promise<(W | Error)[]>;
  /**
   * For change detection by polling, where the vendor has no webhooks: the orders changed since `since`, read by
   * update time where the vendor can filter on it, else every order (the caller diffs). `since` undefined: every
   * order. Absent: the gateway does not poll this vendor.
   */
  changedWorkOrders?(since: Date | undefined): Promise<PolledOrders<W>>;
  /** Closes the vendor's connection pool. */
  close(): Promise<void>;
}

/** One polling round's read of a vendor. */
export interface PolledOrders<W extends WorkOrder = WorkOrder> {
  orders: W[];
  /**
   * True only when `orders` is every order the vendor holds, read to the end with nothing the vendor itself
   * contradicts (no page short of its own total): then an order missing from it may be gone, and the poller asks
   * the vendor for it before it says so. False for a read of what changed, and for any read cut short.
   */
  complete: boolean;
}

/** A status change expressed in the vendor's own terms, planned by the vendor's states.ts. */
export interface TransitionRequest {
  to: WorkOrderStatus;
  /**
   * Whether the order has been started before (it has a startDate). A vendor with a call of its own for beginning
   * production sends a first start through it, whichever state the order leaves.
   */
  started?: boolean;
  completedQuantity?: number;
  notes?: string;
  reason?: string;
}

export interface WritableWorkOrderSource<W extends WorkOrder = WorkOrder> extends WorkOrderSource<W> {
  /** Refuses what this vendor cannot take (a ValidationError naming the field), before any call is made. */
  checkCreate(input: WorkOrderCreate): void;
  checkUpdate(input: WorkOrderUpdate): void;
  createWorkOrder(input: WorkOrderCreate): Promise<W>;
  /**
   * For the repeat of a create whose outcome was unknown (its answer lost after sending): the order the vendor
   * holds under the order number the client gave, or undefined when it holds none. `sentAt` is when the first
   * attempt was sent, for vendors that can only look among recent orders. Absent: the vendor has no way to tell.
   */
  findCreated?(input: WorkOrderCreate, sentAt: Date): Promise<W | undefined>;
  updateWorkOrder(key: string, input: WorkOrderUpdate): Promise<void>;
  /** Applies one status change with the vendor's own mechanism; the caller re-reads the order afterwards. */
  transition(key: string, current: WorkOrderStatus, change: TransitionRequest): Promise<void>;
  deleteWorkOrder(key: string): Promise<void>;
}

export interface DotZeroClient extends WritableWorkOrderSource<DotZeroWorkOrder> {
  readonly vendor: 'DOTZERO';
  getProducts(keys: readonly string[]): Promise<(Product | Error)[]>;
  planProducts(query: ProductQuery): Segment<Product>[];
  getRoutes(keys: readonly string[]): Promise<(Route | Error)[]>;
  /** Routes of one product (`/v1/routes/{productUuid}/byProductUuid`). */
  routesByProduct(productKey: string): Promise<Route[]>;
  /** Ordered operations of one route (`/v1/routeOperation/{routeUuid}/byRouteUuid`). */
  routeOperations(routeKey: string): Promise<Operation[]>;
  /** Op history records of one work order (`/v1/workOrderOpHistory/{uuid}/byWorkOrderUuid`). */
  workOrderOperations(workOrderKey: string): Promise<Operation[]>;
  /** Operations by uuid (`GET /v1/operation/{uuid}`), one call per distinct key, in parallel. */
  getOperationDefinitions(keys: readonly string[]): Promise<(OperationDefinition | Error)[]>;
  /** Stock of one product (`/v1/productStorage/{productUuid}/byProductUuid`). */
  inventoryByProduct(productKey: string): Promise<Inventory[]>;
  listWarehouses(): Promise<Warehouse[]>;
  getWarehouses(keys: readonly string[]): Promise<(Warehouse | Error)[]>;
  listStorageLocations(): Promise<StorageLocation[]>;
  getStorageLocations(keys: readonly string[]): Promise<(StorageLocation | Error)[]>;
}

export interface GenericMesClient extends WritableWorkOrderSource<GenericMesWorkOrder> {
  readonly vendor: 'GENERIC_MES';
  /** Operations by id (`GET /operations/{id}`), one call per id, in parallel. */
  getOperations(keys: readonly string[]): Promise<(Operation | Error)[]>;
  /** Every work order (list pages of 100), for what only a scan can answer (the vendor has no product API). */
  allWorkOrders(): Promise<GenericMesWorkOrder[]>;
}

export interface PitneyBowesClient extends WorkOrderSource<PitneyBowesWorkOrder> {
  readonly vendor: 'PITNEY_BOWES';
  /** Every work order over the whole date range (search pages of 100). */
  allWorkOrders(): Promise<PitneyBowesWorkOrder[]>;
}

export interface VendorClients {
  DOTZERO: DotZeroClient;
  GENERIC_MES: GenericMesClient;
  PITNEY_BOWES: PitneyBowesClient;
}

/** A vendor's state rules, read from the transition table in its states.ts. */
export interface StateRules {
  readonly vendor: Vendor;
  /** The unified statuses this vendor has. */
  readonly statuses: readonly WorkOrderStatus[];
  /** Unified statuses reachable from `from` in one change (empty for terminal states and read-only vendors). */
  allowed(from: WorkOrderStatus): readonly WorkOrderStatus[];
  canDelete(status: WorkOrderStatus): boolean;
  /**
   * Whether the vendor's own status value is one its document names. An order in any other state shows a best
   * guess as its unified status, but the gateway will not change it: it does not know where it stands.
   */
  documented(vendorStatus: string): boolean;
}
