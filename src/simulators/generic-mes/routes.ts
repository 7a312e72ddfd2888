// The generic MES REST v2 work-order and operation endpoints, read from the vendor document and the wire
// assumptions. Handlers are synchronous on purpose: a state check and its write happen in one turn of the event
// loop, so concurrent transitions on one order are applied one at a time.
import { SimHttpError, type Route, type SimRequest, type SimResponse } from '../harness.js';
import { errorBody } from './auth.js';
import {
  PRIORITIES,
  STATUSES,
  addOperations,
  isoSeconds,
  orderId,
  type OperationRecord,
  type Priority,
  type Status,
  type Store,
  type WorkOrderRecord,
} from './data.js';

export const BASE_PATH = '/api/v2';

/** Counter keys, as the harness builds them (`METHOD /pattern`). */
export const ROUTES = {
  listWorkOrders: `GET ${BASE_PATH}/work-orders`,
  createWorkOrder: `POST ${BASE_PATH}/work-orders`,
  getWorkOrder: `GET ${BASE_PATH}/work-orders/:id`,
  updateWorkOrder: `PUT ${BASE_PATH}/work-orders/:id`,
  deleteWorkOrder: `DELETE ${BASE_PATH}/work-orders/:id`,
  startWorkOrder: `POST ${BASE_PATH}/work-orders/:id/start`,
  completeWorkOrder: `POST ${BASE_PATH}/work-orders/:id/complete`,
  listOperations: `GET ${BASE_PATH}/operations`,
  getOperation: `GET ${BASE_PATH}/operations/:id`,
} as const;

/** DESIGN.md's generic MES table. Staying in the same status is not a transition and is refused too. */
export const TRANSITIONS: Readonly<Record<Status, readonly Status[]>> = {
  OPEN: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED'],
  IN_PROGRESS: ['PAUSED', 'ON_HOLD', 'COMPLETED'],
  PAUSED: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED'],
  ON_HOLD: ['OPEN', 'IN_PROGRESS', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

/** Any status but IN_PROGRESS may be deleted. */
export const DELETABLE: ReadonlySet<Status> = new Set(STATUSES.filter((s) => s !== 'IN_PROGRESS'));

export const SORT_FIELDS = ['createdAt', 'dueDate', 'orderNumber', 'priority', 'quantity', 'updatedAt'] as const;
type SortField = (typeof SORT_FIELDS)[number];

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;

/** Mutable holder: `reset()` swaps the store, handlers always read the current one. */
export interface SimContext {
  store: Store;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

function fail(status: number, code: string, message: string, details?: Record<string, unknown>): never {
  throw new SimHttpError({ status, body: errorBody(code, message, details) });
}

function invalid(field: string, reason: string, message = 'Validation failed'): never {
  fail(400, 'VALIDATION_ERROR', message, { field, reason });
}

const STATUS_WORDS: Record<Status, string> = {
  OPEN: 'open',
  IN_PROGRESS: 'already in progress',
  COMPLETED: 'already completed',
  CANCELLED: 'cancelled',
  PAUSED: 'paused',
  ON_HOLD: 'on hold',
};

function refuseTransition(message: string): never {
  fail(409, 'INVALID_STATE_TRANSITION', message);
}

// ---------------------------------------------------------------------------------------------------------------
// Shapes on the wire. Fields without a value are left out, as the document's examples do (an OPEN order's create
// answer has no startDate, an IN_PROGRESS detail has no completionDate).

function compact(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries.filter(([, v]) => v !== null && v !== undefined));
}

export function listItem(o: WorkOrderRecord): Record<string, unknown> {
  return compact([
    ['id', o.id],
    ['orderNumber', o.orderNumber],
    ['status', o.status],
    ['product', o.product],
    ['quantity', o.quantity],
    ['completedQuantity', o.completedQuantity],
    ['priority', o.priority],
    ['dueDate', o.dueDate],
    ['startDate', o.startDate],
    ['createdAt', o.createdAt],
    ['updatedAt', o.updatedAt],
  ]);
}

export function detail(o: WorkOrderRecord): Record<string, unknown> {
  return compact([
    ['id', o.id],
    ['orderNumber', o.orderNumber],
    ['status', o.status],
    ['product', o.product],
    ['quantity', o.quantity],
    ['completedQuantity', o.completedQuantity],
    ['priority', o.priority],
    ['customer', o.customer],
    ['dueDate', o.dueDate],
    ['startDate', o.startDate],
    ['estimatedCompletionDate', o.estimatedCompletionDate],
    ['completionDate', o.completionDate],
    ['notes', o.notes],
    ['operationIds', [...o.operationIds]],
    ['createdAt', o.createdAt],
    ['updatedAt', o.updatedAt],
  ]);
}

/** Operations are not in the document; the assumed shape always carries every field, null when unset. */
export function operationBody(op: OperationRecord): Record<string, unknown> {
  return {
    id: op.id,
    workOrderId: op.workOrderId,
    name: op.name,
    sequence: op.sequence,
    status: op.status,
    startedAt: op.startedAt,
    completedAt: op.completedAt,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Input

type Body = Record<string, unknown>;

function readObject(req: SimRequest, required: boolean): Body {
  let body: unknown;
  try {
    body = req.json();
  } catch {
    invalid('body', 'INVALID_JSON', 'Request body is not valid JSON');
  }
  if (body === undefined && !required) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body)) invalid('body', 'MUST_BE_OBJECT');
  return body as Body;
}

/** One value of a query parameter; an empty value counts as absent, a repeated one is refused. */
function single(req: SimRequest, name: string): string | undefined {
  const values = req.query.getAll(name);
  if (values.length > 1) invalid(name, 'MULTIPLE_VALUES', `Only one ${name} value is allowed`);
  const value = values[0]?.trim();
  return value ? value : undefined;
}

function paging(req: SimRequest): { page: number; limit: number } {
  const pageText = single(req, 'page');
  const limitText = single(req, 'limit');
  let page = 1;
  let limit = DEFAULT_LIMIT;
  if (pageText !== undefined) {
    if (!/^-?\d+$/.test(pageText)) invalid('page', 'MUST_BE_INTEGER');
    page = Number(pageText);
    if (page < 1) invalid('page', 'OUT_OF_RANGE', 'page must be 1 or more');
  }
  if (limitText !== undefined) {
    if (!/^-?\d+$/.test(limitText)) invalid('limit', 'MUST_BE_INTEGER');
    limit = Number(limitText);
    if (limit < 1 || limit > MAX_LIMIT) invalid('limit', 'OUT_OF_RANGE', `limit must be between 1 and ${MAX_LIMIT}`);
  }
  return { page, limit };
}

function pageOf<T>(items: T[], page: number, limit: number) {
  const from = (page - 1) * limit;
  return {
    data: items.slice(from, from + limit),
    pagination: { page, limit, total: items.length, hasMore: from + limit < items.length },
  };
}

function requiredText(body: Body, field: string, maxLength: number): string {
  const value = body[field];
  if (value === undefined || value === null) invalid(field, 'REQUIRED');
  if (typeof value !== 'string') invalid(field, 'MUST_BE_STRING');
  const text = value.trim();
  if (text === '') invalid(field, 'REQUIRED');
  if (text.length > maxLength) invalid(field, 'TOO_LONG');
  return text;
}

function optionalText(body: Body, field: string, maxLength: number): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') invalid(field, 'MUST_BE_STRING');
  if (value.length > maxLength) invalid(field, 'TOO_LONG');
  return value;
}

function positiveInteger(body: Body, field: string): number {
  const value = body[field];
  if (value === undefined || value === null) invalid(field, 'REQUIRED');
  if (typeof value !== 'number' || !Number.isInteger(value)) invalid(field, 'MUST_BE_INTEGER');
  if (value <= 0) invalid(field, 'MUST_BE_POSITIVE');
  return value;
}

function priorityOf(value: unknown): Priority {
  if (typeof value !== 'string' || !(PRIORITIES as readonly string[]).includes(value))
    invalid('priority', 'INVALID_VALUE');
  return value as Priority;
}

function statusOf(value: unknown, field = 'status'): Status {
  if (typeof value !== 'string' || !(STATUSES as readonly string[]).includes(value)) invalid(field, 'INVALID_VALUE');
  return value as Status;
}

/**
 * The list's `status` parameter: the document lists "OPEN, IN_PROGRESS, COMPLETED, CANCELLED, PAUSED", not ON_HOLD
 * (a status orders can be in, but not one the list filters on). Read strictly, any other value is refused as the
 * vendor refuses bad input: 400 VALIDATION_ERROR naming the field.
 */
const LIST_FILTER_STATUSES = ['OPEN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'PAUSED'] as const;

function listStatusOf(value: string): Status {
  if (!(LIST_FILTER_STATUSES as readonly string[]).includes(value)) invalid('status', 'INVALID_VALUE');
  return value as Status;
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Accepts an ISO 8601 date or date-time (a time without an offset is read as UTC); answers it normalized. */
function isoDate(value: unknown, field: string): string {
  if (typeof value !== 'string') invalid(field, 'INVALID_DATE');
  const m = ISO_8601.exec(value);
  if (!m) invalid(field, 'INVALID_DATE');
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone = 'Z'] = m;
  const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  // Date.parse rolls 2025-02-30 over into March; the calendar fields must survive the round trip.
  const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    Number.isNaN(ms) ||
    calendar.getUTCMonth() !== Number(mo) - 1 ||
    calendar.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    invalid(field, 'INVALID_DATE');
  }
  return isoSeconds(ms);
}

function rejectUnknown(body: Body, allowed: readonly string[], reason: string): void {
  const extra = Object.keys(body).find((k) => !allowed.includes(k));
  if (extra !== undefined) invalid(extra, reason);
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

function findOrder(store: Store, id: string): WorkOrderRecord {
  const order = store.orders.get(id);
  if (!order) fail(404, 'NOT_FOUND', 'Work order not found');
  return order;
}

function orderNumberTaken(store: Store, orderNumber: string, except?: string): boolean {
  for (const o of store.orders.values()) if (o.orderNumber === orderNumber && o.id !== except) return true;
  return false;
}

function conflictOrderNumber(orderNumber: string): never {
  fail(409, 'CONFLICT', `A work order with orderNumber ${orderNumber} already exists`, {
    field: 'orderNumber',
    reason: 'ALREADY_EXISTS',
  });
}

/** Applies a status change already known to be allowed, with its side effects on dates and operations. */
function applyStatus(store: Store, order: WorkOrderRecord, to: Status, now: string): void {
  order.status = to;
  const ops = order.operationIds.map((id) => store.operations.get(id)).filter((op): op is OperationRecord => !!op);
  if (to === 'IN_PROGRESS') {
    if (order.startDate === null) order.startDate = now;
    // The vendor's own planning estimate; a week of work from the (re)start is as good a guess as any.
    if (order.estimatedCompletionDate === null)
      order.estimatedCompletionDate = isoSeconds(Date.parse(now) + 7 * 86_400_000);
    if (!ops.some((op) => op.status === 'IN_PROGRESS')) {
      const next = ops.find((op) => op.status === 'PENDING');
      if (next) {
        next.status = 'IN_PROGRESS';
        next.startedAt = now;
      }
    }
  } else if (to === 'COMPLETED') {
    order.completionDate = now;
    order.estimatedCompletionDate = null;
    for (const op of ops) {
      if (op.status === 'COMPLETED') continue;
      op.status = 'COMPLETED';
      op.startedAt ??= now;
      op.completedAt = now;
    }
  } else if (to === 'CANCELLED') {
    order.estimatedCompletionDate = null;
  }
}

type Comparable = string | number | null;
const PRIORITY_RANK: Record<Priority, number> = { LOW: 0, NORMAL: 1, HIGH: 2, CRITICAL: 3 };

function sortKey(o: WorkOrderRecord, field: SortField): Comparable {
  // Priority sorts by urgency, not alphabetically, so `-priority` puts CRITICAL first.
  return field === 'priority' ? PRIORITY_RANK[o.priority] : o[field];
}

function idNumber(id: string): number {
  return Number(/(\d+)$/.exec(id)?.[1] ?? Number.MAX_SAFE_INTEGER);
}

function compareOrders(field: SortField, descending: boolean) {
  return (a: WorkOrderRecord, b: WorkOrderRecord): number => {
    const x = sortKey(a, field);
    const y = sortKey(b, field);
    let c = 0;
    if (x === null || y === null)
      c = x === y ? 0 : x === null ? 1 : -1; // missing values last, either direction
    else {
      c = x < y ? -1 : x > y ? 1 : 0;
      if (descending) c = -c;
    }
    return c !== 0 ? c : idNumber(a.id) - idNumber(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers

const CREATE_FIELDS = ['orderNumber', 'product', 'quantity', 'priority', 'customer', 'dueDate', 'notes'] as const;
const UPDATE_FIELDS = [...CREATE_FIELDS, 'status'] as const;
const COMPLETE_FIELDS = ['completedQuantity', 'notes'] as const;

export function createRoutes(ctx: SimContext, clock: () => number = Date.now): Route[] {
  const now = () => isoSeconds(clock());
  const route = (method: string, pattern: string, handler: (req: SimRequest) => SimResponse): Route => ({
    method,
    pattern: BASE_PATH + pattern,
    handler,
  });

  return [
    route('GET', '/work-orders', (req) => {
      const { page, limit } = paging(req);
      const statusText = single(req, 'status');
      const status = statusText === undefined ? undefined : listStatusOf(statusText);
      const sortText = single(req, 'sort') ?? 'createdAt';
      const descending = sortText.startsWith('-');
      const field = descending ? sortText.slice(1) : sortText;
      if (!(SORT_FIELDS as readonly string[]).includes(field))
        invalid('sort', 'INVALID_VALUE', `Cannot sort by ${field}`);
      const orders = [...ctx.store.orders.values()]
        .filter((o) => status === undefined || o.status === status)
        .sort(compareOrders(field as SortField, descending));
      const result = pageOf(orders, page, limit);
      return { status: 200, body: { data: result.data.map(listItem), pagination: result.pagination } };
    }),

    route('POST', '/work-orders', (req) => {
      const body = readObject(req, true);
      rejectUnknown(body, CREATE_FIELDS, 'UNKNOWN_FIELD');
      const orderNumber = requiredText(body, 'orderNumber', 64);
      const product = requiredText(body, 'product', 200);
      const quantity = positiveInteger(body, 'quantity');
      const priority = body.priority === undefined || body.priority === null ? 'NORMAL' : priorityOf(body.priority);
      const customer = optionalText(body, 'customer', 200);
      const dueDate = body.dueDate === undefined || body.dueDate === null ? null : isoDate(body.dueDate, 'dueDate');
      const notes = optionalText(body, 'notes', 2000);
      const store = ctx.store;
      if (orderNumberTaken(store, orderNumber)) conflictOrderNumber(orderNumber);
      const at = now();
      const order: WorkOrderRecord = {
        id: orderId(store.nextOrderNumber++),
        orderNumber,
        status: 'OPEN',
        product,
        quantity,
        completedQuantity: 0,
        priority,
        customer,
        dueDate,
        startDate: null,
        estimatedCompletionDate: null,
        completionDate: null,
        notes,
        operationIds: [],
        createdAt: at,
        updatedAt: at,
      };
      store.orders.set(order.id, order);
      addOperations(store, order);
      return {
        status: 201,
        headers: { location: `${BASE_PATH}/work-orders/${order.id}` },
        body: { data: listItem(order) },
      };
    }),

    route('GET', '/work-orders/:id', (req) => ({
      status: 200,
      body: { data: detail(findOrder(ctx.store, req.params.id!)) },
    })),

    route('PUT', '/work-orders/:id', (req) => {
      const store = ctx.store;
      const order = findOrder(store, req.params.id!);
      const body = readObject(req, true);
      rejectUnknown(body, UPDATE_FIELDS, 'NOT_UPDATABLE');
      if (Object.keys(body).length === 0) invalid('body', 'NO_UPDATABLE_FIELDS', 'Nothing to update');

      // Validate everything before changing anything: a refused update leaves the order as it was.
      const changes: Partial<WorkOrderRecord> = {};
      if ('orderNumber' in body) changes.orderNumber = requiredText(body, 'orderNumber', 64);
      if ('product' in body) changes.product = requiredText(body, 'product', 200);
      if ('quantity' in body) {
        changes.quantity = positiveInteger(body, 'quantity');
        if (changes.quantity < order.completedQuantity) invalid('quantity', 'BELOW_COMPLETED_QUANTITY');
      }
      if ('priority' in body) changes.priority = priorityOf(body.priority);
      if ('customer' in body) changes.customer = optionalText(body, 'customer', 200);
      if ('dueDate' in body) changes.dueDate = body.dueDate === null ? null : isoDate(body.dueDate, 'dueDate');
      if ('notes' in body) changes.notes = optionalText(body, 'notes', 2000);
      const to = 'status' in body ? statusOf(body.status) : undefined;

      if (changes.orderNumber !== undefined && orderNumberTaken(store, changes.orderNumber, order.id)) {
        conflictOrderNumber(changes.orderNumber);
      }
      if (to !== undefined && !TRANSITIONS[order.status].includes(to)) {
        refuseTransition(`Cannot change status of work order from ${order.status} to ${to}`);
      }

      const at = now();
      const before = { startDate: order.startDate, completionDate: order.completionDate };
      Object.assign(order, changes);
      if (to !== undefined) applyStatus(store, order, to, at);
      order.updatedAt = at;

      // The answer is partial, as in the document: identity, status, what was sent, what the change stamped.
      const answer: Record<string, unknown> = { id: order.id, orderNumber: order.orderNumber, status: order.status };
      for (const key of Object.keys(changes)) answer[key] = order[key as keyof WorkOrderRecord];
      if (order.startDate !== before.startDate) answer.startDate = order.startDate;
      if (order.completionDate !== before.completionDate) answer.completionDate = order.completionDate;
      answer.updatedAt = order.updatedAt;
      return { status: 200, body: { data: answer } };
    }),

    route('DELETE', '/work-orders/:id', (req) => {
      const store = ctx.store;
      const order = findOrder(store, req.params.id!);
      if (!DELETABLE.has(order.status)) refuseTransition('Cannot delete work order that is in progress');
      store.orders.delete(order.id);
      for (const opId of order.operationIds) store.operations.delete(opId);
      return { status: 204 };
    }),

    route('POST', '/work-orders/:id/start', (req) => {
      const store = ctx.store;
      const order = findOrder(store, req.params.id!);
      if (!TRANSITIONS[order.status].includes('IN_PROGRESS')) {
        refuseTransition(`Cannot start work order that is ${STATUS_WORDS[order.status]}`);
      }
      const at = now();
      applyStatus(store, order, 'IN_PROGRESS', at);
      order.updatedAt = at;
      return {
        status: 200,
        body: { data: { id: order.id, status: order.status, startDate: order.startDate, updatedAt: order.updatedAt } },
      };
    }),

    route('POST', '/work-orders/:id/complete', (req) => {
      const store = ctx.store;
      const order = findOrder(store, req.params.id!);
      const body = readObject(req, false);
      rejectUnknown(body, COMPLETE_FIELDS, 'UNKNOWN_FIELD');
      let completedQuantity: number | undefined;
      if (body.completedQuantity !== undefined && body.completedQuantity !== null) {
        const q = body.completedQuantity;
        if (typeof q !== 'number' || !Number.isInteger(q)) invalid('completedQuantity', 'MUST_BE_INTEGER');
        if (q < 0) invalid('completedQuantity', 'MUST_BE_NON_NEGATIVE');
        if (q > order.quantity)
          invalid(
            'completedQuantity',
            'EXCEEDS_QUANTITY',
            `completedQuantity cannot exceed quantity (${order.quantity})`,
          );
        completedQuantity = q;
      }
      const notes = 'notes' in body ? optionalText(body, 'notes', 2000) : undefined;
      if (order.status !== 'IN_PROGRESS') {
        refuseTransition(`Cannot complete work order that is ${STATUS_WORDS[order.status]}`);
      }
      const at = now();
      // Without a count the vendor keeps the one it has: completing does not invent production.
      if (completedQuantity !== undefined) order.completedQuantity = completedQuantity;
      if (notes !== undefined) order.notes = notes;
      applyStatus(store, order, 'COMPLETED', at);
      order.updatedAt = at;
      return {
        status: 200,
        body: {
          data: {
            id: order.id,
            status: order.status,
            completedQuantity: order.completedQuantity,
            completionDate: order.completionDate,
            updatedAt: order.updatedAt,
          },
        },
      };
    }),

    route('GET', '/operations', (req) => {
      const { page, limit } = paging(req);
      const workOrderId = single(req, 'workOrderId');
      const ops = [...ctx.store.operations.values()]
        .filter((op) => workOrderId === undefined || op.workOrderId === workOrderId)
        .sort((a, b) => idNumber(a.id) - idNumber(b.id));
      const result = pageOf(ops, page, limit);
      return { status: 200, body: { data: result.data.map(operationBody), pagination: result.pagination } };
    }),

    route('GET', '/operations/:id', (req) => {
      const op = ctx.store.operations.get(req.params.id!);
      if (!op) fail(404, 'NOT_FOUND', 'Operation not found');
      return { status: 200, body: { data: operationBody(op) } };
    }),
  ];
}
