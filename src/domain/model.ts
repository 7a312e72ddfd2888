// The vendor-neutral model the schema exposes. Vendor clients map their wire shapes into these records (in each
// vendor's mapping.ts); nothing here knows a vendor's field names.

export const VENDORS = ['DOTZERO', 'GENERIC_MES', 'PITNEY_BOWES'] as const;
export type Vendor = (typeof VENDORS)[number];

export const WORK_ORDER_STATUSES = [
  'OPEN',
  'IN_PROGRESS',
  'PAUSED',
  'ON_HOLD',
  'COMPLETED',
  'INCOMPLETE',
  'CANCELLED',
  'CLOSED',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/**
 * What has become of one step of a work order, in one vocabulary for every vendor (each vendor's states.ts maps
 * its own values). PENDING: not started; INCOMPLETE: stopped before it was done (DotZero's 4).
 */
export const OPERATION_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED', 'INCOMPLETE'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * A moment a vendor's record gives, as milliseconds since the epoch (UTC); the DateTime scalar writes it as an ISO
 * string exactly as it writes a Date. A number rather than a Date because every listed row carries several and most
 * queries read none: allocating them as Dates cost 8-29% of the gateway's CPU on a 20-row list in two measurements
 * (README, Performance).
 */
export type Instant = number;

interface WorkOrderBase {
  vendorId: string;
  orderNumber: string;
  status: WorkOrderStatus;
  vendorStatus: string;
  quantity: number;
  completedQuantity: number;
  priority: Priority;
  dueDate: Instant | null;
  startDate: Instant | null;
  completionDate: Instant | null;
  createdAt: Instant | null;
  updatedAt: Instant | null;
  customer: string | null;
  notes: string | null;
}

export interface DotZeroWorkOrder extends WorkOrderBase {
  vendor: 'DOTZERO';
  routeId: string | null;
  isAsap: boolean;
  priorityRanking: number | null;
  orderDueDate: Instant | null;
  defaultWarehouseId: string | null;
  defaultStorageLocationId: string | null;
}

export interface GenericMesWorkOrder extends WorkOrderBase {
  vendor: 'GENERIC_MES';
  /** Product name or SKU, as the vendor stores it. */
  productName: string | null;
  estimatedCompletionDate: Instant | null;
  /**
   * The list call returns a subset of fields (no customer, notes, operationIds, completionDate): `detailed` says
   * whether this record came from the detail call, so resolvers know when they must load the detail.
   */
  detailed: boolean;
  operationIds: string[];
}

export interface PitneyBowesWorkOrderLine {
  /** Null when the vendor sent a line without one. */
  childSku: string | null;
  lotNumbers: string[];
  serialNumbers: string[];
  issuedQuantity: number | null;
}

export interface PitneyBowesWorkOrder extends WorkOrderBase {
  vendor: 'PITNEY_BOWES';
  clientId: string | null;
  workOrderName: string | null;
  type: string | null;
  node: string | null;
  sku: string | null;
  requestedStartDate: Instant | null;
  startQuantity: number | null;
  rejectedQuantity: number | null;
  scrappedQuantity: number | null;
  lotNumbers: string[];
  lines: PitneyBowesWorkOrderLine[];
  cancelDate: Instant | null;
  cancelReason: string | null;
  pbCreateDate: Instant | null;
  pbUpdateDate: Instant | null;
  pbCancelDate: Instant | null;
}

export type WorkOrder = DotZeroWorkOrder | GenericMesWorkOrder | PitneyBowesWorkOrder;

export interface Product {
  vendor: Vendor;
  vendorId: string;
  /** Null when the vendor's record has none (never an invented ""). */
  sku: string | null;
  name: string | null;
  category: string | null;
  description: string | null;
  active: boolean | null;
}

export interface Route {
  vendor: Vendor;
  vendorId: string;
  name: string | null;
  productId: string | null;
}

export interface Operation {
  vendor: Vendor;
  vendorId: string;
  /** Null when the vendor gave none and the operation itself could not tell it either: never an invented "". */
  name: string | null;
  sequence: number | null;
  /** Unified status; null for a route step (no work done on it) or a vendor value its document does not name. */
  status: OperationStatus | null;
  /** The vendor's own status value, exactly as sent; null when it sent none. */
  vendorStatus: string | null;
  workOrderId: string | null;
  routeId: string | null;
  operationTypeId: string | null;
  workerId: string | null;
  workerName: string | null;
  deviceId: string | null;
  deviceName: string | null;
  goodQuantity: number | null;
  defectQuantity: number | null;
  startedAt: Instant | null;
  completedAt: Instant | null;
}

/** An operation as DotZero defines it (`/v1/operation/{uuid}`): what a route step or op-history record performs. */
export interface OperationDefinition {
  vendorId: string;
  name: string | null;
}

export interface Warehouse {
  vendor: Vendor;
  vendorId: string;
  name: string | null;
  code: string | null;
}

export interface StorageLocation {
  vendor: Vendor;
  vendorId: string;
  warehouseId: string | null;
  name: string | null;
  code: string | null;
}

export interface Inventory {
  vendor: Vendor;
  productId: string;
  warehouseId: string | null;
  locationId: string | null;
  quantity: number;
  lotNumbers: string[];
  /** Pitney Bowes: the work order that produced or issued this quantity. */
  workOrderId: string | null;
  /** STOCK: on hand in a location (DotZero); PRODUCED / ISSUED: kits made and components issued (Pitney Bowes). */
  source?: 'STOCK' | 'PRODUCED' | 'ISSUED';
}

/** A vendor-neutral work-order filter, already validated. */
export interface WorkOrderQuery {
  statuses?: WorkOrderStatus[];
  priorities?: Priority[];
  orderNumber?: string;
  dueAfter?: Date;
  dueBefore?: Date;
}

export interface ProductQuery {
  name?: string;
  sku?: string;
}

export interface WorkOrderCreate {
  vendor: Vendor;
  orderNumber: string;
  quantity: number;
  priority?: Priority;
  dueDate?: Date;
  customer?: string;
  notes?: string;
  /** DotZero: route id; generic MES: product name or SKU. */
  productId?: string;
  routeId?: string;
}

export interface WorkOrderUpdate {
  orderNumber?: string;
  quantity?: number;
  completedQuantity?: number;
  priority?: Priority;
  dueDate?: Date | null;
  customer?: string | null;
  notes?: string | null;
  productId?: string;
}

export interface VendorCapabilities {
  read: boolean;
  create: boolean;
  update: boolean;
  delete: boolean;
  transitions: boolean;
  batchLookup: boolean;
}
