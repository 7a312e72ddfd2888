// The only place that knows the generic MES field names: pure functions from its wire shapes to the domain model,
// and from domain inputs to its request bodies and query parameters. Every answer is checked against its shape
// first (below: the document's field table, every field optional but the id and the status): a value of the wrong
// type, or a status neither the document nor a known spelling of it names, refuses the answer (UPSTREAM_ERROR
// naming the vendor), so a wrong record is never shown as a guess. Within a field the reading is tolerant of the
// small drifts that lose nothing (numbers as decimal strings, ids as numbers, a date that does not parse is null).
import { parseIsoInstant } from '../iso-date.js';
import { badResponse as answered } from '../client-kit.js';
import { isRecord, readNumber, readText, safeCode } from '../scalars.js';
import {
  PRIORITIES,
  type GenericMesWorkOrder,
  type Operation,
  type Priority,
  type WorkOrderCreate,
  type WorkOrderUpdate,
} from '../../domain/model.js';
import type { Page } from '../paging.js';
import { GMES_OPERATION_STATUSES, knownUnifiedStatus, type GmesStatus } from './states.js';
import { checked, type Shape } from '../shape.js';
import type {
  GmesCompleteBody,
  GmesCreateBody,
  GmesListParams,
  GmesOperationWire,
  GmesUpdateBody,
  GmesWorkOrderWire,
} from './types.js';

const VENDOR = 'GENERIC_MES' as const;

// ---------------------------------------------------------------------------------------------------------------
// Scalars

type Loose = Record<string, unknown>;

/** A string, or a number written as one; anything else (objects, booleans, empty strings) is null. */
export const toText = (value: unknown): string | null => readText(value);

/**
 * A finite number, also from a numeric string ("45", " 12.5 "); anything else is null. This vendor's strings have
 * always been read as Number() reads them, so "0x1A" is 26 here (and null for the other vendors).
 */
export const toNumber = (value: unknown): number | null => readNumber(value, { nonDecimal: true });

// ISO 8601 as the document uses it: a date, optionally a time, optionally a zone. Strict on purpose: Date.parse
// accepts many shapes and quietly rolls 2024-02-30 over into March, and a wrong date is worse than none.
/** An ISO 8601 string (or epoch milliseconds) as an Instant; malformed or impossible dates are null (iso-date.ts). */
export const toInstant = parseIsoInstant;

const PRIORITY_SET: ReadonlySet<string> = new Set(PRIORITIES);

/** LOW, NORMAL, HIGH or CRITICAL (any case); anything else is NORMAL, the vendor's own default on create. */
export function toPriority(value: unknown): Priority {
  const text = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return PRIORITY_SET.has(text) ? (text as Priority) : 'NORMAL';
}

// ---------------------------------------------------------------------------------------------------------------
// Wire -> domain

const badResponse = (what: string) => answered(VENDOR, what);

/** A work order as the document's field table types it (the list leaves the detail-only fields out). */
export const WORK_ORDER_SHAPE: Shape = {
  id: { kind: 'text', required: true },
  orderNumber: 'text',
  status: { kind: 'text', required: true },
  product: 'text',
  quantity: 'number',
  completedQuantity: 'number',
  priority: 'text',
  dueDate: 'date',
  startDate: 'date',
  completionDate: 'date',
  estimatedCompletionDate: 'date',
  customer: 'text',
  notes: 'text',
  operationIds: 'texts',
  createdAt: 'date',
  updatedAt: 'date',
};

/** `GET /operations/{id}` (assumed, like the work orders). */
export const OPERATION_SHAPE: Shape = {
  id: { kind: 'text', required: true },
  workOrderId: 'text',
  name: 'text',
  sequence: 'number',
  status: 'text',
  startedAt: 'date',
  completedAt: 'date',
};

/** The list's `pagination`. */
export const PAGINATION_SHAPE: Shape = { page: 'number', limit: 'number', total: 'number', hasMore: 'flag' };

/** A vendor value in a message only when it looks like a code (it may be anything). */
const named = (value: string): string => (safeCode(value) ? ` (${value})` : '');

/** The resource inside `{ data: {...} }`; a bare object is taken as it is. */
export function unwrapOne(body: unknown): unknown {
  if (isRecord(body) && isRecord(body.data)) return body.data;
  return body;
}

/**
 * A work order from the list (`detailed: false`: no customer, notes, operationIds, completion dates; the loaders
 * fetch the detail when a field needs them) or from the detail call (`detailed: true`).
 */
export function toWorkOrder(wire: unknown, detailed: boolean): GenericMesWorkOrder {
  const w = checked(VENDOR, 'a work order', wire, WORK_ORDER_SHAPE) as GmesWorkOrderWire & Loose;
  const vendorId = toText(w.id);
  if (vendorId === null) throw badResponse('a work order without an id');
  // The document types status as a string and lists its values; anything else is not a state the gateway can show.
  if (typeof w.status !== 'string') throw badResponse('a work order whose status is not a text');
  const vendorStatus = w.status;
  const status = knownUnifiedStatus(vendorStatus);
  if (status === undefined)
    throw badResponse(`a work order with a status its document does not name${named(vendorStatus)}`);
  return {
    vendor: VENDOR,
    vendorId,
    orderNumber: toText(w.orderNumber) ?? '',
    status,
    vendorStatus,
    productName: toText(w.product),
    quantity: toNumber(w.quantity) ?? 0,
    completedQuantity: toNumber(w.completedQuantity) ?? 0,
    priority: toPriority(w.priority),
    dueDate: toInstant(w.dueDate),
    startDate: toInstant(w.startDate),
    completionDate: toInstant(w.completionDate),
    estimatedCompletionDate: toInstant(w.estimatedCompletionDate),
    createdAt: toInstant(w.createdAt),
    updatedAt: toInstant(w.updatedAt),
    customer: toText(w.customer),
    notes: toText(w.notes),
    detailed,
    operationIds: (typeof w.operationIds === 'string' ? [w.operationIds] : (w.operationIds ?? []))
      .map(toText)
      .filter((id): id is string => id !== null),
  };
}

/** An operation's unified status (states.ts), upper-cased as work-order statuses are; null for a value it lacks. */
export function toOperationStatus(vendorStatus: string | null): Operation['status'] {
  if (vendorStatus === null) return null;
  const k = vendorStatus
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  return Object.prototype.hasOwnProperty.call(GMES_OPERATION_STATUSES, k) ? (GMES_OPERATION_STATUSES[k] ?? null) : null;
}

/** `GET /operations/{id}`: the unified status beside the vendor's own value. */
export function toOperation(wire: unknown): Operation {
  const o = checked(VENDOR, 'an operation', wire, OPERATION_SHAPE) as GmesOperationWire & Loose;
  const vendorId = toText(o.id);
  if (vendorId === null) throw badResponse('an operation without an id');
  return {
    vendor: VENDOR,
    vendorId,
    name: toText(o.name),
    sequence: toNumber(o.sequence),
    status: toOperationStatus(toText(o.status)),
    vendorStatus: toText(o.status),
    workOrderId: toText(o.workOrderId),
    routeId: null,
    operationTypeId: null,
    workerId: null,
    workerName: null,
    deviceId: null,
    deviceName: null,
    goodQuantity: null,
    defectQuantity: null,
    startedAt: toInstant(o.startedAt),
    completedAt: toInstant(o.completedAt),
  };
}

/**
 * One list page: `{ data: [...], pagination: { page, limit, total, hasMore } }` (a bare array is accepted too).
 * `page` and `size` are what was asked, used only when the vendor leaves `total` out: then the total is what this
 * page proves exists, plus one when `hasMore` says the list goes on, so a caller still pages forward.
 */
export function toWorkOrderPage(body: unknown, page: number, size: number): Page<GenericMesWorkOrder> {
  const raw = Array.isArray(body) ? body : isRecord(body) ? body.data : undefined;
  // An empty list may come as `data: null` (an empty slice serialized as null): empty, not broken.
  const data = raw === null && isRecord(body) ? [] : raw;
  if (!Array.isArray(data)) throw badResponse('a work-order list without a data array');
  const items = data.map((item) => toWorkOrder(item, false));
  const given = isRecord(body) ? body.pagination : undefined;
  const pagination =
    given === undefined || given === null ? {} : checked(VENDOR, 'a list pagination', given, PAGINATION_SHAPE);
  const total = toNumber(pagination.total);
  if (total !== null) return { items, total };
  const seen = items.length > 0 ? (page - 1) * size + items.length : 0;
  return { items, total: seen + (pagination.hasMore === true ? 1 : 0) };
}

// ---------------------------------------------------------------------------------------------------------------
// Domain -> wire

/** The list query. `sort=createdAt` always: the document names no default order, and paging needs a stable one. */
export function listParams(page: number, limit: number, status?: GmesStatus): GmesListParams {
  const params: GmesListParams = { page, limit, sort: 'createdAt' };
  if (status !== undefined) params.status = status;
  return params;
}

/** The list newest first (`-createdAt`, the document's descending sort), to look among recent orders. */
export function newestFirstParams(page: number, limit: number): GmesListParams {
  return { page, limit, sort: '-createdAt' };
}

/** The list query without paging: what a segment key names. */
export function listQueryKey(status?: GmesStatus): string {
  return status === undefined ? 'sort=createdAt' : `sort=createdAt&status=${status}`;
}

function wireDate(date: Date): string {
  return date.toISOString();
}

export function createBody(input: WorkOrderCreate): GmesCreateBody {
  const body: GmesCreateBody = { orderNumber: input.orderNumber, quantity: input.quantity };
  if (input.productId !== undefined) body.product = input.productId;
  if (input.priority !== undefined) body.priority = input.priority;
  if (input.customer !== undefined) body.customer = input.customer;
  if (input.dueDate !== undefined) body.dueDate = wireDate(input.dueDate);
  if (input.notes !== undefined) body.notes = input.notes;
  return body;
}

/**
 * The PUT body for the fields that may change; undefined leaves a field alone, null clears it. completedQuantity is
 * not here: only `/complete` sets it (the client refuses it before calling).
 */
export function updateBody(input: WorkOrderUpdate): GmesUpdateBody {
  const body: GmesUpdateBody = {};
  if (input.orderNumber !== undefined) body.orderNumber = input.orderNumber;
  if (input.productId !== undefined) body.product = input.productId;
  if (input.quantity !== undefined) body.quantity = input.quantity;
  if (input.priority !== undefined) body.priority = input.priority;
  if (input.customer !== undefined) body.customer = input.customer;
  if (input.dueDate !== undefined) body.dueDate = input.dueDate === null ? null : wireDate(input.dueDate);
  if (input.notes !== undefined) body.notes = input.notes;
  return body;
}

/** A status change by PUT, as the document's own example: `{ status, notes }`. */
export function statusBody(to: GmesStatus, notes?: string): GmesUpdateBody {
  return notes === undefined ? { status: to } : { status: to, notes };
}

export function completeBody(completedQuantity?: number, notes?: string): GmesCompleteBody {
  const body: GmesCompleteBody = {};
  if (completedQuantity !== undefined) body.completedQuantity = completedQuantity;
  if (notes !== undefined) body.notes = notes;
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** The vendor's names for input fields that the gateway's inputs name otherwise. */
const INPUT_FIELD: Readonly<Record<string, string>> = { product: 'productId' };

/**
 * Reads `{ error: { code, message, details: { field, reason } } }` for VendorHttp, which puts the field and reason
 * on the UpstreamError for the client's ValidationError. The field is given in the gateway's input names (the
 * caller sent `productId`, not `product`). Never the message: error bodies may echo what was sent.
 */
export function describeError(_status: number, body: unknown): { code?: string; field?: string; reason?: string } {
  const error = isRecord(body) ? body.error : undefined;
  const code = isRecord(error)
    ? safeCode(error.code)
    : (safeCode(error) ?? (isRecord(body) ? safeCode(body.code) : undefined));
  const details = isRecord(error) && isRecord(error.details) ? error.details : {};
  const field = safeCode(details.field);
  const reason = safeCode(details.reason);
  return {
    code,
    ...(field !== undefined ? { field: INPUT_FIELD[field] ?? field } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}
