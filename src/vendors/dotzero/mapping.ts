// The only place that knows DotZero's field names: pure functions from wire shapes to the domain model, and from
// domain inputs to request bodies and query parameters. A work order is checked against its shape first (below:
// the fields of the document's create and update bodies, typed as there, plus the assumed uuid and times): a value
// of the wrong type or a status that is none of 1-4 (nor its label) refuses the answer, UPSTREAM_ERROR naming
// DOTZERO, rather than show a guess. Within a field the reading is tolerant where nothing is lost: the document
// describes requests, not responses, so numbers sent as decimal strings, missing optional fields and a status
// label instead of its number still map.
import { parseIsoInstant } from '../iso-date.js';
import { badResponse as answered } from '../client-kit.js';
import { isRecord, readFlag, readNumber, readText, safeCode } from '../scalars.js';
import { ValidationError } from '../../domain/errors.js';
import type {
  DotZeroWorkOrder,
  Inventory,
  Instant,
  Operation,
  OperationDefinition,
  Priority,
  Product,
  Route,
  StorageLocation,
  Warehouse,
  WorkOrderCreate,
  WorkOrderStatus,
  WorkOrderUpdate,
} from '../../domain/model.js';
import { checked, type Shape } from '../shape.js';
import type { TransitionRequest } from '../types.js';
import {
  DOTZERO_CHANGE_MECHANISM,
  DOTZERO_INITIAL_STATUS,
  DOTZERO_OPERATION_STATUSES,
  DOTZERO_STATUSES,
  DOTZERO_STATUS_VALUES,
  isDotZeroStatus,
  type DotZeroStatus,
} from './states.js';
import type { DotZeroRefreshBody, DotZeroWorkOrderBody } from './types.js';

type Rec = Record<string, unknown>;
export type QueryParams = Record<string, string | number | boolean>;

// ---------------------------------------------------------------------------------------------------------------
// Tolerant readers (scalars.ts), under the short names this file reads best with

const record = (value: unknown): Rec | null => (isRecord(value) ? value : null);

/** Free text: an empty string is the vendor's own value and passes through. */
const KEEP_EMPTY = { keepEmpty: true } as const;
const text = (value: unknown): string | null => readText(value, KEEP_EMPTY);

/** An id: an empty string names nothing, so it reads as absent. */
const key = (value: unknown): string | null => readText(value);

/**
 * Strict ISO 8601 (iso-date.ts): a zone-less time is UTC and an impossible date is null, never rolled over. DotZero
 * dates are strings; a bare number could be seconds or milliseconds, so it is not guessed at.
 */
const date = (value: unknown): Instant | null => (typeof value === 'string' ? parseIsoInstant(value) : null);

const badResponse = (what: string) => answered('DOTZERO', what);

function requireRecord(value: unknown, what: string): Rec {
  const r = record(value);
  if (!r) throw badResponse(`a ${what} that is not an object`);
  return r;
}

function requireUuid(r: Rec, what: string): string {
  const uuid = key(r.uuid);
  if (uuid === null) throw badResponse(`a ${what} without uuid`);
  return uuid;
}

// ---------------------------------------------------------------------------------------------------------------
// Response envelopes

/** A single resource: a bare object, or `{ data: {...} }`. Null when the body is neither. */
export function readOne(body: unknown): Rec | null {
  const r = record(body);
  if (r && r.uuid === undefined) {
    const inner = record(r.data);
    if (inner) return inner;
  }
  return r;
}

export interface WireList {
  items: unknown[];
  /** Absent when the vendor answered a bare array. */
  total: number | undefined;
}

/**
 * A list: `{ data: [...], total }` or a bare array. An empty list may come as `null`, `{ data: null }` or with no
 * `data` at all (servers that serialize an empty slice as null): that is an empty list, not a broken answer.
 * Null when the body is something else.
 */
export function readList(body: unknown): WireList | null {
  if (Array.isArray(body)) return { items: body, total: undefined };
  if (body === null || body === '') return { items: [], total: 0 };
  const r = record(body);
  if (!r) return null;
  if (r.data === null || r.data === undefined)
    return 'total' in r || 'data' in r ? { items: [], total: count(r.total) ?? 0 } : null;
  if (!Array.isArray(r.data)) return null;
  return { items: r.data, total: count(r.total) };
}

function count(value: unknown): number | undefined {
  const n = readNumber(value);
  return n !== null && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** `GET /v1/count/workOrders`: `{ count }` or a bare number (a `total` or `data` holding it is read as well). */
export function readCount(body: unknown): number | undefined {
  const direct = count(body);
  if (direct !== undefined) return direct;
  const r = record(body);
  if (!r) return undefined;
  return count(r.count) ?? count(r.total) ?? count(r.data);
}

/**
 * The list's total when it is known without another call: the vendor said it, or the page came back short so the
 * list ends inside it. An empty page past the start says only that the list ends somewhere before `start`.
 */
export function knownTotal(
  start: number,
  limit: number,
  received: number,
  reported: number | undefined,
): number | undefined {
  if (reported !== undefined) return reported;
  if (received < limit && (received > 0 || start === 0)) return start + received;
  return undefined;
}

/** `start`/`limit` of a list call (the document allows 1-100). */
export function rangeParams(start: number, limit: number): { start: number; limit: number } {
  return { start: Math.max(0, Math.floor(start)), limit: Math.min(100, Math.max(1, Math.floor(limit))) };
}

// ---------------------------------------------------------------------------------------------------------------
// Wire -> domain

/** Unified status of a wire status value: its number (or numeric string), else its label, else the fallback. */
/** A status 1-4 (as a number or its decimal text) or its label; undefined for anything else. */
export function readStatus(value: unknown): { status: WorkOrderStatus; vendorStatus: string } | undefined {
  const vendorStatus = text(value) ?? '';
  const n = readNumber(value);
  if (n !== null && isDotZeroStatus(n)) return { status: DOTZERO_STATUSES[n].unified, vendorStatus };
  const label = typeof value === 'string' ? value.trim().toLowerCase() : '';
  const byLabel = DOTZERO_STATUS_VALUES.find((v) => DOTZERO_STATUSES[v].label.toLowerCase() === label);
  return byLabel === undefined ? undefined : { status: DOTZERO_STATUSES[byLabel].unified, vendorStatus };
}

const DATE = 'date' as const;
const NUMBER = 'number' as const;

/** A work order: the create/update body's fields as the document types them, plus uuid and the assumed times. */
export const WORK_ORDER_SHAPE: Shape = {
  uuid: { kind: 'text', required: true },
  status: { kind: 'text', required: true },
  work_order_id: 'text',
  qty: NUMBER,
  good: NUMBER,
  is_asap: 'flag',
  work_order_priority_ranking: NUMBER,
  memo: 'text',
  route_uuid: 'text',
  default_warehouse_uuid: 'text',
  default_warehouse_storage_uuid: 'text',
  deadline: DATE,
  order_due_date: DATE,
  start_time: DATE,
  end_time: DATE,
  created_at: DATE,
  updated_at: DATE,
};

/** The records of a work order's relations, typed as the document shows them (names and codes as texts). */
const PRODUCT_SHAPE: Shape = {
  uuid: 'text',
  number: 'text',
  name: 'text',
  category: 'text',
  specification: 'text',
  is_active: 'flag',
};
const ROUTE_SHAPE: Shape = { uuid: 'text', name: 'text', product_uuid: 'text' };
const STEP_SHAPE: Shape = {
  uuid: 'text',
  operation_name: 'text',
  name: 'text',
  operation: 'record',
  operation_uuid: 'text',
  sequence: NUMBER,
  route_uuid: 'text',
};
const OP_HISTORY_SHAPE: Shape = {
  ...STEP_SHAPE,
  status: 'text',
  work_order_uuid: 'text',
  worker_uuid: 'text',
  worker_name: 'text',
  device_uuid: 'text',
  device_name: 'text',
  good: NUMBER,
  defect: NUMBER,
  start_time: DATE,
  end_time: DATE,
};
const OPERATION_SHAPE: Shape = { uuid: 'text', name: 'text', operation_name: 'text' };
const WAREHOUSE_SHAPE: Shape = { uuid: 'text', name: 'text', code: 'text' };
const STORAGE_SHAPE: Shape = { uuid: 'text', warehouse_uuid: 'text', name: 'text', code: 'text' };
const PRODUCT_STORAGE_SHAPE: Shape = {
  product_uuid: 'text',
  warehouse_uuid: 'text',
  warehouse_storage_uuid: 'text',
  qty: NUMBER,
};

export function mapWorkOrder(wire: unknown): DotZeroWorkOrder {
  const r = checked('DOTZERO', 'a work order', wire, WORK_ORDER_SHAPE);
  const isAsap = readFlag(r.is_asap) ?? false;
  const status = readStatus(r.status);
  if (status === undefined) {
    const raw = text(r.status) ?? '';
    throw badResponse(`a work order whose status is none of 1-4${safeCode(raw) ? ` (${raw})` : ''}`);
  }
  return {
    vendor: 'DOTZERO',
    vendorId: requireUuid(r, 'work order'),
    orderNumber: text(r.work_order_id) ?? '',
    ...status,
    quantity: readNumber(r.qty) ?? 0,
    completedQuantity: readNumber(r.good) ?? 0,
    priority: isAsap ? 'HIGH' : 'NORMAL',
    isAsap,
    priorityRanking: readNumber(r.work_order_priority_ranking),
    dueDate: date(r.deadline),
    orderDueDate: date(r.order_due_date),
    startDate: date(r.start_time),
    completionDate: date(r.end_time),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    customer: null,
    notes: text(r.memo),
    routeId: key(r.route_uuid),
    defaultWarehouseId: key(r.default_warehouse_uuid),
    defaultStorageLocationId: key(r.default_warehouse_storage_uuid),
  };
}

/** Whether an answer is a work order at all (a create may answer only a message). */
export function isWorkOrderRecord(body: unknown): boolean {
  const r = record(body);
  return r !== null && key(r.uuid) !== null;
}

export function mapProduct(wire: unknown): Product {
  const r = requireRecord(wire, 'product');
  checked('DOTZERO', 'a product', r, PRODUCT_SHAPE);
  return {
    vendor: 'DOTZERO',
    vendorId: requireUuid(r, 'product'),
    sku: key(r.number),
    name: key(r.name),
    category: text(r.category),
    description: text(r.specification),
    active: readFlag(r.is_active),
  };
}

export function mapRoute(wire: unknown): Route {
  const r = requireRecord(wire, 'route');
  checked('DOTZERO', 'a route', r, ROUTE_SHAPE);
  return {
    vendor: 'DOTZERO',
    vendorId: requireUuid(r, 'route'),
    name: key(r.name),
    productId: key(r.product_uuid),
  };
}

const NO_WORK: Pick<
  Operation,
  | 'workerId'
  | 'workerName'
  | 'deviceId'
  | 'deviceName'
  | 'goodQuantity'
  | 'defectQuantity'
  | 'startedAt'
  | 'completedAt'
> = {
  workerId: null,
  workerName: null,
  deviceId: null,
  deviceName: null,
  goodQuantity: null,
  defectQuantity: null,
  startedAt: null,
  completedAt: null,
};

/**
 * Which operation a step performs, and its name when the record carries it. The document does not fix these field
 * names, so every shape seen is read: `operation_name`, `name`, or a nested `operation { uuid, number, name }`. A
 * record naming none leaves the name null, for the loaders to ask the operation itself (`GET /v1/operation/{uuid}`);
 * an empty name is no name.
 */
function stepOperation(r: Rec): { name: string | null; operationTypeId: string | null } {
  const nested = record(r.operation);
  return {
    name: key(r.operation_name) ?? key(r.name) ?? key(nested?.name) ?? null,
    operationTypeId: key(r.operation_uuid) ?? key(nested?.uuid) ?? null,
  };
}

/** An op-history status: the unified one beside the vendor's value; null for a value the document does not name. */
export function readOperationStatus(value: unknown): Pick<Operation, 'status' | 'vendorStatus'> {
  const vendorStatus = key(value);
  if (vendorStatus === null) return { status: null, vendorStatus: null };
  const n = readNumber(value);
  if (n !== null && isDotZeroStatus(n)) return { status: DOTZERO_OPERATION_STATUSES[n], vendorStatus };
  const label = vendorStatus.trim().toLowerCase();
  const byLabel = DOTZERO_STATUS_VALUES.find((v) => DOTZERO_STATUSES[v].label.toLowerCase() === label);
  return { status: byLabel === undefined ? null : DOTZERO_OPERATION_STATUSES[byLabel], vendorStatus };
}

/** A step of a route (`byRouteUuid`). `routeKey` fills in a record that does not name its route. */
export function mapRouteOperation(wire: unknown, routeKey?: string): Operation {
  const r = requireRecord(wire, 'route operation');
  checked('DOTZERO', 'a route operation', r, STEP_SHAPE);
  const { name, operationTypeId } = stepOperation(r);
  return {
    vendor: 'DOTZERO',
    vendorId: requireUuid(r, 'route operation'),
    name,
    sequence: readNumber(r.sequence),
    status: null,
    vendorStatus: null,
    workOrderId: null,
    routeId: key(r.route_uuid) ?? routeKey ?? null,
    operationTypeId,
    ...NO_WORK,
  };
}

/** An op history record (a "small work order": one operation done on a work order). */
export function mapOpHistory(wire: unknown, workOrderKey?: string): Operation {
  const r = requireRecord(wire, 'op history record');
  checked('DOTZERO', 'an op history record', r, OP_HISTORY_SHAPE);
  const { name, operationTypeId } = stepOperation(r);
  return {
    vendor: 'DOTZERO',
    vendorId: requireUuid(r, 'op history record'),
    name,
    sequence: readNumber(r.sequence),
    ...readOperationStatus(r.status),
    workOrderId: key(r.work_order_uuid) ?? workOrderKey ?? null,
    routeId: null,
    operationTypeId,
    workerId: key(r.worker_uuid),
    workerName: text(r.worker_name),
    deviceId: key(r.device_uuid),
    deviceName: text(r.device_name),
    goodQuantity: readNumber(r.good),
    defectQuantity: readNumber(r.defect),
    startedAt: date(r.start_time),
    completedAt: date(r.end_time),
  };
}

/** `GET /v1/operation/{uuid}`: the operation a step performs. */
export function mapOperationDefinition(wire: unknown): OperationDefinition {
  const r = requireRecord(wire, 'operation');
  checked('DOTZERO', 'an operation', r, OPERATION_SHAPE);
  return { vendorId: requireUuid(r, 'operation'), name: key(r.name) ?? key(r.operation_name) ?? null };
}

export function mapWarehouse(wire: unknown): Warehouse {
  const r = requireRecord(wire, 'warehouse');
  checked('DOTZERO', 'a warehouse', r, WAREHOUSE_SHAPE);
  return { vendor: 'DOTZERO', vendorId: requireUuid(r, 'warehouse'), name: key(r.name), code: text(r.code) };
}

export function mapStorageLocation(wire: unknown): StorageLocation {
  const r = requireRecord(wire, 'storage location');
  checked('DOTZERO', 'a storage location', r, STORAGE_SHAPE);
  return {
    vendor: 'DOTZERO',
    vendorId: requireUuid(r, 'storage location'),
    warehouseId: key(r.warehouse_uuid),
    name: key(r.name),
    code: text(r.code),
  };
}

/** A product-storage record. `productKey` fills in a record that does not name its product. */
export function mapProductStorage(wire: unknown, productKey?: string): Inventory {
  const r = requireRecord(wire, 'product storage record');
  checked('DOTZERO', 'a product storage record', r, PRODUCT_STORAGE_SHAPE);
  const productId = key(r.product_uuid) ?? productKey;
  if (productId === undefined) throw badResponse('a product storage record without product_uuid');
  return {
    vendor: 'DOTZERO',
    productId,
    warehouseId: key(r.warehouse_uuid),
    locationId: key(r.warehouse_storage_uuid),
    quantity: readNumber(r.qty) ?? 0,
    lotNumbers: [],
    workOrderId: null,
  };
}

/** Route operations in route order; steps without a sequence go last, ties keep the vendor's order. */
export function sortBySequence(operations: Operation[]): Operation[] {
  const rank = (op: Operation) => op.sequence ?? Number.POSITIVE_INFINITY;
  return operations
    .map((op, i) => ({ op, i }))
    .sort((a, b) => rank(a.op) - rank(b.op) || a.i - b.i)
    .map(({ op }) => op);
}

// ---------------------------------------------------------------------------------------------------------------
// Domain -> query parameters

/** The document's example format (`2026-01-24T00:00:00Z`); milliseconds only when there are any. */
export function wireDate(d: Date, field = 'date'): string {
  if (Number.isNaN(d.getTime())) throw new ValidationError(`Invalid ${field}`, field, 'DOTZERO');
  return d.toISOString().replace('.000Z', 'Z');
}

/** Bounds used to pair a one-sided range: DotZero answers nothing to a lone start or end. */
export const OPEN_RANGE_START = '1970-01-01T00:00:00Z';
export const OPEN_RANGE_END = '9999-12-31T23:59:59Z';

/**
 * What each unified priority means in DotZero, which only knows "rush" (`is_asap`): HIGH is rush, NORMAL is not,
 * and no DotZero order is LOW or CRITICAL (null: matches nothing).
 */
export const ASAP_OF_PRIORITY: Readonly<Record<Priority, boolean | null>> = {
  LOW: null,
  NORMAL: false,
  HIGH: true,
  CRITICAL: null,
};

/**
 * On writes: what DotZero can store of a priority. LOW and CRITICAL it cannot (is_asap is only rush or not), so a
 * write naming them is refused rather than stored as the nearest value and read back as something else.
 */
function asapToWrite(priority: Priority): boolean {
  const asap = ASAP_OF_PRIORITY[priority];
  if (asap === null) {
    throw new ValidationError(
      `DotZero stores only rush or not (is_asap): priority ${priority} cannot be stored; use NORMAL or HIGH`,
      'priority',
      'DOTZERO',
    );
  }
  return asap;
}

/**
 * What plan.ts asks one work-order list call to filter by, in domain terms; workOrderListQuery names the wire
 * parameters. `due` is paired into a closed range here: DotZero answers nothing to a lone start or end.
 */
export interface DotZeroListFilter {
  status?: DotZeroStatus;
  /** A partial match upstream. */
  orderNumber?: string;
  /** Rush orders only (`is_asap`); the document offers no "not rush" filter. */
  rushOnly?: boolean;
  due?: { after?: Date; before?: Date };
}

/** The query parameters of `GET /v1/workOrders` for a filter, in a fixed order (the cursor key is built from it). */
export function workOrderListQuery(filter: DotZeroListFilter): QueryParams {
  const params: QueryParams = {};
  if (filter.status !== undefined) params.status = filter.status;
  if (filter.orderNumber !== undefined) params.workOrderID = filter.orderNumber;
  if (filter.rushOnly === true) params.is_asap = true;
  if (filter.due !== undefined) {
    params.deadlineTimeStart = filter.due.after ? wireDate(filter.due.after, 'dueAfter') : OPEN_RANGE_START;
    params.deadlineTimeEnd = filter.due.before ? wireDate(filter.due.before, 'dueBefore') : OPEN_RANGE_END;
  }
  return params;
}

/** The query parameters of `GET /v1/products`: name and number (the gateway's SKU) as given. */
export function productListQuery(filter: { name?: string; sku?: string }): QueryParams {
  const params: QueryParams = {};
  if (filter.name !== undefined) params.name = filter.name;
  if (filter.sku !== undefined) params.number = filter.sku;
  return params;
}

// ---------------------------------------------------------------------------------------------------------------
// Domain -> request bodies

export function createWorkOrderBody(input: WorkOrderCreate): DotZeroWorkOrderBody {
  if (input.customer !== undefined && input.customer !== null) {
    throw new ValidationError('DotZero work orders have no customer', 'customer', 'DOTZERO');
  }
  // DotZero ties an order to its product only through a route; a product of its own cannot be stored, and one given
  // beside a route would be dropped unseen (and might not be the route's product), so it is refused either way.
  if (input.productId !== undefined) {
    throw new ValidationError(
      'DotZero links a work order to its product through a route: give routeId instead of product',
      'productId',
      'DOTZERO',
    );
  }
  const body: DotZeroWorkOrderBody = {
    work_order_id: input.orderNumber,
    qty: input.quantity,
    status: DOTZERO_INITIAL_STATUS,
  };
  if (input.dueDate !== undefined) body.deadline = wireDate(input.dueDate, 'dueDate');
  if (input.priority !== undefined) body.is_asap = asapToWrite(input.priority);
  if (input.notes !== undefined) body.memo = input.notes;
  if (input.routeId !== undefined) body.route_uuid = input.routeId;
  return body;
}

type UpdateWriter = (value: unknown) => DotZeroWorkOrderBody;

/**
 * What an update may change, per domain field: the wire field it writes, or null for a field DotZero does not
 * have (the document's "Updatable Fields" minus status, which only transitions change).
 */
const UPDATE_FIELDS: Readonly<Record<keyof WorkOrderUpdate, { writes: UpdateWriter; clearable: boolean } | null>> = {
  orderNumber: { writes: (v) => ({ work_order_id: v as string }), clearable: false },
  quantity: { writes: (v) => ({ qty: v as number }), clearable: false },
  completedQuantity: { writes: (v) => ({ good: v as number }), clearable: false },
  priority: { writes: (v) => ({ is_asap: asapToWrite(v as Priority) }), clearable: false },
  dueDate: { writes: (v) => ({ deadline: v === null ? null : wireDate(v as Date, 'dueDate') }), clearable: true },
  notes: { writes: (v) => ({ memo: v as string | null }), clearable: true },
  customer: null,
  productId: null,
};

/** The PATCH body of an update; a field DotZero cannot change is a ValidationError naming it. */
export function updateWorkOrderBody(input: WorkOrderUpdate): DotZeroWorkOrderBody {
  let body: DotZeroWorkOrderBody = {};
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const rule = Object.prototype.hasOwnProperty.call(UPDATE_FIELDS, field)
      ? UPDATE_FIELDS[field as keyof WorkOrderUpdate]
      : null;
    // Clearing a field DotZero does not have (customer: null) asks for what is already true.
    if (rule === null && value === null && field === 'customer') continue;
    if (rule === null) throw new ValidationError(`DotZero cannot update ${field}`, field, 'DOTZERO');
    if (value === null && !rule.clearable) throw new ValidationError(`${field} cannot be cleared`, field, 'DOTZERO');
    body = { ...body, ...rule.writes(value) };
  }
  return body;
}

/** The PATCH body of a status change, carrying what DOTZERO_CHANGE_MECHANISM says the change may carry. */
export function statusChangeBody(to: DotZeroStatus, change: TransitionRequest): DotZeroWorkOrderBody {
  const body: DotZeroWorkOrderBody = { status: to };
  for (const part of DOTZERO_CHANGE_MECHANISM[to].sends) {
    if (part === 'completedQuantity' && change.completedQuantity !== undefined) body.good = change.completedQuantity;
    if (part === 'notes' && change.notes !== undefined) body.memo = change.notes;
  }
  return body;
}

/** The caller's inputs a status-change body carries besides the status, in the gateway's names. */
export function statusChangeInputs(body: DotZeroWorkOrderBody): string[] {
  return Object.keys(body)
    .filter((wire) => wire !== 'status')
    .map((wire) => DOMAIN_FIELD_OF_WIRE[wire] ?? wire);
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

// A `message` is free text that may echo what was sent (tokens included); only one that is plainly a code name
// (UPPER_SNAKE) is taken.
const CODE_LIKE_MESSAGE = /^[A-Z][A-Z0-9_]{1,63}$/;

/** Wire field names the vendor may name in a refusal, as the domain fields a caller knows. */
const DOMAIN_FIELD_OF_WIRE: Readonly<Record<string, string>> = {
  work_order_id: 'orderNumber',
  qty: 'quantity',
  good: 'completedQuantity',
  status: 'status',
  deadline: 'dueDate',
  is_asap: 'priority',
  memo: 'notes',
  route_uuid: 'routeId',
};

/**
 * The code and the refused field of a DotZero error body, for VendorHttp. The field comes back in the gateway's
 * input names (DOMAIN_FIELD_OF_WIRE), so a client can name it in a ValidationError as the caller knows it. DotZero
 * sends no reason code, so none is given. Nothing else of the body is read: error bodies may echo secrets.
 */
export function describeDotZeroError(
  _status: number,
  body: unknown,
): { code?: string; field?: string; reason?: string } {
  if (typeof body === 'string') {
    const code = safeCode(body, CODE_LIKE_MESSAGE);
    return code ? { code } : {};
  }
  const r = record(body);
  if (!r) return {};
  const nested = record(r.error);
  const firstError = Array.isArray(r.errors) ? record(r.errors[0]) : null;
  const code =
    safeCode(r.code) ??
    safeCode(r.error) ??
    safeCode(nested?.code) ??
    safeCode(r.message, CODE_LIKE_MESSAGE) ??
    safeCode(nested?.message, CODE_LIKE_MESSAGE);
  const wireField = safeCode(r.field) ?? safeCode(nested?.field) ?? safeCode(firstError?.field);
  const result: { code?: string; field?: string } = {};
  if (code) result.code = code;
  // A wire name we do not know is passed on as it is: it still tells the caller which input was refused.
  if (wireField) result.field = DOMAIN_FIELD_OF_WIRE[wireField] ?? wireField;
  // No field, but a code naming one (DUPLICATE_WORK_ORDER_ID): that field, so the refusal still names the input.
  else if (code) {
    // Only compound names (work_order_id, route_uuid): a short one (status, qty) could be part of any code.
    const named = Object.keys(DOMAIN_FIELD_OF_WIRE).find(
      (wire) => wire.includes('_') && code.includes(wire.toUpperCase()),
    );
    if (named !== undefined) result.field = DOMAIN_FIELD_OF_WIRE[named];
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Token refresh and the skill's files

export function refreshTokenQuery(tenantId: string): QueryParams {
  return { tenantID: tenantId };
}

export function refreshTokenBody(refreshToken: string): DotZeroRefreshBody {
  return { grant_type: 'refresh_token', refresh_token: refreshToken };
}

// The skill takes a refresh answer as a token only when it is a JWT (`eyJ…`): a 200 with `Unauthorized` or an
// HTML page must fail the refresh, not become the credential for the next hour.
const TOKEN_TEXT = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/**
 * The new token from a refresh answer: a JSON string (the document), plain text (the document's fallback, once it
 * reaches us), or, tolerantly, an object holding it. Undefined when the answer holds no token.
 */
export function tokenFromRefreshAnswer(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const s = body.trim();
    return s.length > 0 && TOKEN_TEXT.test(s) ? s : undefined;
  }
  const r = record(body);
  if (!r) return undefined;
  for (const candidate of [r.token, r.access_token, r.data]) {
    if (typeof candidate === 'string') return tokenFromRefreshAnswer(candidate);
  }
  return undefined;
}
