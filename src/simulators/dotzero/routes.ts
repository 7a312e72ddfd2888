// DotZero's documented routes and rules, read from vendor-docs/dotzero-workorder-skill.md, with the wire shapes
// of docs/wire-assumptions.md where the document is silent. Handlers are synchronous: a check on an order's
// state and the write that follows it can never interleave with another request.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { SimHttpError, type Route as SimRoute, type SimRequest, type SimResponse } from '../harness.js';
import { TENANT_ID, type TokenAuthority } from './auth.js';
import type { RouteOperation, Store, WorkOrder, WorkOrderStatus } from './data.js';

export interface DotZeroContext {
  /** The live data; reset() swaps in a freshly seeded store. */
  store: Store;
  auth: TokenAuthority;
}

/** DESIGN.md's DotZero table. Setting the same status again is not a change and is refused too. */
export const TRANSITIONS: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = { 1: [2], 2: [3, 4], 3: [], 4: [2] };

const CREATABLE = new Set([
  'work_order_id',
  'qty',
  'route_uuid',
  'status',
  'deadline',
  'order_due_date',
  'is_asap',
  'work_order_priority_ranking',
  'memo',
  'default_warehouse_uuid',
  'default_warehouse_storage_uuid',
]);
const UPDATABLE = new Set([
  'work_order_id',
  'qty',
  'good',
  'status',
  'deadline',
  'order_due_date',
  'is_asap',
  'work_order_priority_ranking',
  'memo',
]);

// ---------------------------------------------------------------------------------------------------------------
// Envelopes and parameter parsing

export function errorBody(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): SimResponse {
  return { status, body: { message, code }, ...(headers ? { headers } : {}) };
}

function fail(status: number, code: string, message: string): never {
  throw new SimHttpError(errorBody(status, code, message));
}

const invalid = (message: string): never => fail(422, 'VALIDATION_ERROR', message);
const notFound = (what: string): never => fail(404, 'NOT_FOUND', `${what} not found`);
const ok = (body: unknown, status = 200): SimResponse => ({ status, body });

/** A query parameter, with an empty value treated as absent (as `?status=` from a form would be). */
function param(req: SimRequest, name: string): string | undefined {
  const value = req.query.get(name);
  return value === null || value === '' ? undefined : value;
}

function intParam(req: SimRequest, name: string, fallback: number, min: number, max: number): number {
  const raw = param(req, name);
  if (raw === undefined) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) invalid(`'${name}' must be an integer from ${min} to ${max}`);
  return n;
}

function paging(req: SimRequest): { start: number; limit: number } {
  return { start: intParam(req, 'start', 0, 0, Number.MAX_SAFE_INTEGER), limit: intParam(req, 'limit', 20, 1, 100) };
}

function boolParam(req: SimRequest, name: string): boolean | undefined {
  const raw = param(req, name);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return invalid(`'${name}' must be true or false`);
}

function statusParam(req: SimRequest): WorkOrderStatus | undefined {
  const raw = param(req, 'status');
  if (raw === undefined) return undefined;
  if (!/^[1-4]$/.test(raw)) invalid(`'status' must be 1, 2, 3 or 4`);
  return Number(raw) as WorkOrderStatus;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function parseIso(value: string): number | undefined {
  if (!ISO_8601.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function timeParam(req: SimRequest, name: string): number | undefined {
  const raw = param(req, name);
  if (raw === undefined) return undefined;
  return parseIso(raw) ?? invalid(`'${name}' must be an ISO 8601 date-time`);
}

const contains = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());

function page<T>(items: T[], req: SimRequest): { data: T[]; total: number } {
  const { start, limit } = paging(req);
  return { data: items.slice(start, start + limit), total: items.length };
}

function jsonObject(req: SimRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = req.json();
  } catch {
    return invalid('Request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return invalid('Request body must be a JSON object');
  return body as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------------
// Field validation for create and update

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function positiveInt(v: unknown, field: string): number {
  return isInt(v) && v > 0 ? v : invalid(`'${field}' must be a positive integer`);
}

function nonNegativeInt(v: unknown, field: string): number {
  return isInt(v) && v >= 0 ? v : invalid(`'${field}' must be a non-negative integer`);
}

function statusValue(v: unknown): WorkOrderStatus {
  return isInt(v) && v >= 1 && v <= 4 ? (v as WorkOrderStatus) : invalid(`'status' must be 1, 2, 3 or 4`);
}

function dateOrNull(v: unknown, field: string): string | null {
  if (v === null) return null;
  const ms = typeof v === 'string' ? parseIso(v) : undefined;
  return ms === undefined ? invalid(`'${field}' must be an ISO 8601 date-time or null`) : new Date(ms).toISOString();
}

function stringOrNull(v: unknown, field: string): string | null {
  return v === null || typeof v === 'string' ? v : invalid(`'${field}' must be a string or null`);
}

function bool(v: unknown, field: string): boolean {
  return typeof v === 'boolean' ? v : invalid(`'${field}' must be true or false`);
}

function workOrderIdValue(store: Store, v: unknown, self?: WorkOrder): string {
  if (typeof v !== 'string' || v.trim() === '') return invalid(`'work_order_id' must be a non-empty string`);
  for (const other of store.workOrders.values()) {
    if (other !== self && other.work_order_id === v)
      fail(422, 'DUPLICATE_WORK_ORDER_ID', `work_order_id '${v}' already exists`);
  }
  return v;
}

function uuidRef<T extends { uuid: string }>(items: T[], v: unknown, field: string): T | null {
  if (v === null) return null;
  const found = typeof v === 'string' ? items.find((x) => x.uuid === v) : undefined;
  return found ?? invalid(`'${field}' does not name an existing record`);
}

/** The next created_at: now, but never at or before the last one, so the default order stays stable. */
function nextCreatedAt(store: Store): string {
  store.lastCreatedAt = Math.max(Date.now(), store.lastCreatedAt + 1);
  return new Date(store.lastCreatedAt).toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// Work orders

/** The list and count filters. `null`: an unpaired time range, which the document says answers 0 results. */
function workOrderFilter(req: SimRequest): ((wo: WorkOrder) => boolean) | null {
  const status = statusParam(req);
  const isAsap = boolParam(req, 'is_asap');
  const idPart = param(req, 'workOrderID');
  const ranges: { field: 'start_time' | 'end_time' | 'deadline'; from?: number; to?: number }[] = [
    { field: 'start_time', from: timeParam(req, 'startTimeStart'), to: timeParam(req, 'startTimeEnd') },
    { field: 'end_time', from: timeParam(req, 'endTimeStart'), to: timeParam(req, 'endTimeEnd') },
    { field: 'deadline', from: timeParam(req, 'deadlineTimeStart'), to: timeParam(req, 'deadlineTimeEnd') },
  ];
  if (ranges.some((r) => (r.from === undefined) !== (r.to === undefined))) return null;
  const paired = ranges.filter((r): r is Required<typeof r> => r.from !== undefined && r.to !== undefined);
  return (wo) => {
    if (status !== undefined && wo.status !== status) return false;
    if (isAsap !== undefined && wo.is_asap !== isAsap) return false;
    if (idPart !== undefined && !contains(wo.work_order_id, idPart)) return false;
    for (const r of paired) {
      const value = wo[r.field];
      if (value === null) return false;
      const ms = Date.parse(value);
      if (ms < r.from || ms > r.to) return false;
    }
    return true;
  };
}

function sortedWorkOrders(store: Store): WorkOrder[] {
  return [...store.workOrders.values()].sort((a, b) =>
    a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0,
  );
}

function findWorkOrder(store: Store, id: string): WorkOrder | undefined {
  const byUuid = store.workOrders.get(id);
  if (byUuid) return byUuid;
  for (const wo of store.workOrders.values()) if (wo.work_order_id === id) return wo;
  return undefined;
}

function listWorkOrders(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const filter = workOrderFilter(req);
  const { start, limit } = paging(req);
  if (!filter) return ok({ data: [], total: 0 });
  const matches = sortedWorkOrders(ctx.store).filter(filter);
  return ok({ data: matches.slice(start, start + limit).map((wo) => ({ ...wo })), total: matches.length });
}

function countWorkOrders(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const filter = workOrderFilter(req);
  if (!filter) return ok({ count: 0 });
  let count = 0;
  for (const wo of ctx.store.workOrders.values()) if (filter(wo)) count++;
  return ok({ count });
}

/**
 * A route operation as it goes out. The document names the route-operation endpoints but not their fields, so a
 * reading of it cannot say which field carries the step's name: deployments differ. The simulator serves every
 * reading, by the record's place in the store: `operation_name`, `name`, a nested `operation { uuid, number, name }`,
 * or only `operation_uuid` (the name then comes from `GET /v1/operation/{uuid}`).
 */
function routeOperationWire(store: Store, ro: RouteOperation): Record<string, unknown> {
  const { operation_name: name, operation_uuid: operationUuid, ...rest } = ro;
  switch (store.routeOperations.indexOf(ro) % 4) {
    case 0:
      return { ...ro };
    case 1:
      return { ...rest, operation_uuid: operationUuid, name };
    case 2: {
      const op = store.operations.find((o) => o.uuid === operationUuid);
      return { ...rest, operation: { uuid: operationUuid, number: op?.operation_id ?? null, name } };
    }
    default:
      return { ...rest, operation_uuid: operationUuid };
  }
}

function workOrderDetails(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const body = jsonObject(req);
  const id = body.work_order_id;
  if (typeof id !== 'string' || id === '') return invalid(`'work_order_id' is required`);
  const { store } = ctx;
  let wo: WorkOrder | undefined;
  for (const candidate of store.workOrders.values()) if (candidate.work_order_id === id) wo = candidate;
  if (!wo) return notFound('Work order');
  const route = wo.route_uuid ? (store.routes.find((r) => r.uuid === wo.route_uuid) ?? null) : null;
  const product = route ? (store.products.find((p) => p.uuid === route.product_uuid) ?? null) : null;
  const routeOperations = route
    ? store.routeOperations
        .filter((ro) => ro.route_uuid === route.uuid)
        .sort((a, b) => a.sequence - b.sequence)
        .map((ro) => routeOperationWire(store, ro))
    : [];
  return ok({
    ...wo,
    product: product ? { ...product } : null,
    route: route ? { ...route } : null,
    route_operations: routeOperations,
  });
}

function createWorkOrder(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const { store } = ctx;
  const body = jsonObject(req);
  for (const key of Object.keys(body)) if (!CREATABLE.has(key)) invalid(`Unknown field '${key}'`);
  if (body.work_order_id === undefined) invalid(`'work_order_id' is required`);
  if (body.qty === undefined) invalid(`'qty' is required`);
  const workOrderId = workOrderIdValue(store, body.work_order_id);
  const qty = positiveInt(body.qty, 'qty');
  const status = body.status === undefined ? 1 : statusValue(body.status);
  const route = body.route_uuid === undefined ? null : uuidRef(store.routes, body.route_uuid, 'route_uuid');
  const warehouse =
    body.default_warehouse_uuid === undefined
      ? null
      : uuidRef(store.warehouses, body.default_warehouse_uuid, 'default_warehouse_uuid');
  const storage =
    body.default_warehouse_storage_uuid === undefined
      ? null
      : uuidRef(store.storages, body.default_warehouse_storage_uuid, 'default_warehouse_storage_uuid');
  if (warehouse && storage && storage.warehouse_uuid !== warehouse.uuid) {
    invalid(`'default_warehouse_storage_uuid' is not in the given warehouse`);
  }
  const values = {
    deadline: body.deadline === undefined ? null : dateOrNull(body.deadline, 'deadline'),
    order_due_date: body.order_due_date === undefined ? null : dateOrNull(body.order_due_date, 'order_due_date'),
    is_asap: body.is_asap === undefined ? false : bool(body.is_asap, 'is_asap'),
    work_order_priority_ranking:
      body.work_order_priority_ranking === undefined
        ? 0
        : nonNegativeInt(body.work_order_priority_ranking, 'work_order_priority_ranking'),
    memo: body.memo === undefined ? null : stringOrNull(body.memo, 'memo'),
  };

  const createdAt = nextCreatedAt(store);
  const wo: WorkOrder = {
    uuid: randomUUID(),
    work_order_id: workOrderId,
    qty,
    good: 0,
    status,
    ...values,
    route_uuid: route?.uuid ?? null,
    default_warehouse_uuid: warehouse?.uuid ?? storage?.warehouse_uuid ?? null,
    default_warehouse_storage_uuid: storage?.uuid ?? null,
    // An order created already started (or finished) gets the times it would have had from a PATCH.
    start_time: status === 1 ? null : createdAt,
    end_time: status === 3 || status === 4 ? createdAt : null,
    created_at: createdAt,
    updated_at: createdAt,
  };
  store.workOrders.set(wo.uuid, wo);
  return ok({ ...wo }, 201);
}

function updateWorkOrder(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const { store } = ctx;
  const wo = store.workOrders.get(req.params.uuid ?? '') ?? notFound('Work order');
  const body = jsonObject(req);
  for (const key of Object.keys(body)) if (!UPDATABLE.has(key)) invalid(`Field '${key}' cannot be updated`);

  // Validate everything first, then apply: a refused PATCH changes nothing.
  const next: Partial<WorkOrder> = {};
  if (body.work_order_id !== undefined) next.work_order_id = workOrderIdValue(store, body.work_order_id, wo);
  if (body.qty !== undefined) next.qty = positiveInt(body.qty, 'qty');
  if (body.good !== undefined) next.good = nonNegativeInt(body.good, 'good');
  if (body.deadline !== undefined) next.deadline = dateOrNull(body.deadline, 'deadline');
  if (body.order_due_date !== undefined) next.order_due_date = dateOrNull(body.order_due_date, 'order_due_date');
  if (body.is_asap !== undefined) next.is_asap = bool(body.is_asap, 'is_asap');
  if (body.work_order_priority_ranking !== undefined) {
    next.work_order_priority_ranking = nonNegativeInt(body.work_order_priority_ranking, 'work_order_priority_ranking');
  }
  if (body.memo !== undefined) next.memo = stringOrNull(body.memo, 'memo');
  if ((next.good ?? wo.good) > (next.qty ?? wo.qty)) invalid(`'good' cannot exceed 'qty'`);

  const now = new Date().toISOString();
  if (body.status !== undefined) {
    const to = statusValue(body.status);
    if (!TRANSITIONS[wo.status].includes(to)) {
      fail(422, 'INVALID_STATUS_TRANSITION', `Cannot change status from ${wo.status} to ${to}`);
    }
    next.status = to;
    if (to === 2) {
      if (wo.start_time === null) next.start_time = now;
      // Resumed after stopping: running again, so it has no end yet.
      next.end_time = null;
    } else {
      next.end_time = now;
    }
  }

  Object.assign(wo, next, { updated_at: now });
  if (next.work_order_id !== undefined) {
    for (const rec of store.opHistory) if (rec.work_order_uuid === wo.uuid) rec.work_order_id = wo.work_order_id;
  }
  return ok({ ...wo });
}

function deleteWorkOrder(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const { store } = ctx;
  const uuid = req.params.uuid ?? '';
  if (!store.workOrders.delete(uuid)) return notFound('Work order');
  store.opHistory = store.opHistory.filter((rec) => rec.work_order_uuid !== uuid);
  return { status: 204 };
}

// ---------------------------------------------------------------------------------------------------------------
// Op history

function listOpHistory(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const status = statusParam(req);
  const workOrderId = param(req, 'workOrderID');
  const deviceUuid = param(req, 'deviceUUID');
  const action = param(req, 'action');
  const from = timeParam(req, 'startTime');
  const to = timeParam(req, 'endTime');
  const { start, limit } = paging(req);
  // action=dateRange, startTime and endTime go together; any part alone answers nothing.
  const dated = action === 'dateRange' || from !== undefined || to !== undefined;
  if (dated && (action !== 'dateRange' || from === undefined || to === undefined)) return ok({ data: [], total: 0 });
  const matches = ctx.store.opHistory
    .filter((rec) => {
      if (status !== undefined && rec.status !== status) return false;
      if (workOrderId !== undefined && rec.work_order_id.toLowerCase() !== workOrderId.toLowerCase()) return false;
      if (deviceUuid !== undefined && rec.device_uuid !== deviceUuid) return false;
      if (from !== undefined && to !== undefined) {
        const ms = Date.parse(rec.start_time);
        if (ms < from || ms > to) return false;
      }
      return true;
    })
    .sort((a, b) => (a.start_time < b.start_time ? -1 : a.start_time > b.start_time ? 1 : a.uuid < b.uuid ? -1 : 1));
  return ok({ data: matches.slice(start, start + limit).map((rec) => ({ ...rec })), total: matches.length });
}

function opHistoryByWorkOrder(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const uuid = req.params.uuid ?? '';
  if (!ctx.store.workOrders.has(uuid)) return notFound('Work order');
  return ok(
    ctx.store.opHistory
      .filter((rec) => rec.work_order_uuid === uuid)
      .sort((a, b) => a.sequence - b.sequence)
      .map((rec) => ({ ...rec })),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Master data

function byUuid<T extends { uuid: string }>(items: T[], uuid: string | undefined, what: string): T {
  const found = items.find((x) => x.uuid === uuid);
  return found ? { ...found } : notFound(what);
}

function listProducts(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const name = param(req, 'name');
  const number = param(req, 'number');
  const category = param(req, 'category');
  const isActive = boolParam(req, 'isActive');
  const matches = ctx.store.products.filter(
    (p) =>
      (name === undefined || contains(p.name, name)) &&
      (number === undefined || contains(p.number, number)) &&
      (category === undefined || p.category.toLowerCase() === category.toLowerCase()) &&
      (isActive === undefined || p.is_active === isActive),
  );
  return ok(
    page(
      matches.map((p) => ({ ...p })),
      req,
    ),
  );
}

function listWorkers(ctx: DotZeroContext, req: SimRequest): SimResponse {
  const workerId = param(req, 'workerID');
  const workerName = param(req, 'workerName');
  const matches = ctx.store.workers.filter(
    (w) =>
      (workerId === undefined || w.worker_id.toLowerCase() === workerId.toLowerCase()) &&
      (workerName === undefined || contains(w.name, workerName)),
  );
  return ok(
    page(
      matches.map((w) => ({ ...w })),
      req,
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------------

type Rule = (ctx: DotZeroContext, req: SimRequest) => SimResponse;

/** Every /v1 route needs a valid bearer JWT; the 401 never says more than why. */
function authed(ctx: DotZeroContext, rule: Rule) {
  return (req: SimRequest): SimResponse => {
    const check = ctx.auth.check(req.headers.authorization);
    if (!check.ok) {
      const [code, message] =
        check.reason === 'missing'
          ? ['UNAUTHORIZED', 'Missing bearer token']
          : check.reason === 'invalid'
            ? ['UNAUTHORIZED', 'Invalid token']
            : ['TOKEN_EXPIRED', 'Token expired'];
      return errorBody(401, code, message, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    return rule(ctx, req);
  };
}

export function workOrderApiRoutes(ctx: DotZeroContext): SimRoute[] {
  const table: [method: string, pattern: string, rule: Rule][] = [
    ['GET', '/v1/workOrders', listWorkOrders],
    ['POST', '/v1/workOrders/details', workOrderDetails],
    [
      'GET',
      '/v1/workOrders/:id',
      (c, r) => ok({ ...(findWorkOrder(c.store, r.params.id ?? '') ?? notFound('Work order')) }),
    ],
    ['POST', '/v1/workOrders', createWorkOrder],
    ['PATCH', '/v1/workOrders/:uuid', updateWorkOrder],
    ['DELETE', '/v1/workOrders/:uuid', deleteWorkOrder],
    ['GET', '/v1/count/workOrders', countWorkOrders],
    ['GET', '/v1/products', listProducts],
    ['GET', '/v1/products/:uuid', (c, r) => ok(byUuid(c.store.products, r.params.uuid, 'Product'))],
    [
      'GET',
      '/v1/routes',
      (c, r) =>
        ok(
          page(
            c.store.routes.map((x) => ({ ...x })),
            r,
          ),
        ),
    ],
    ['GET', '/v1/routes/:uuid', (c, r) => ok(byUuid(c.store.routes, r.params.uuid, 'Route'))],
    [
      'GET',
      '/v1/routes/:productUuid/byProductUuid',
      (c, r) => {
        const product = byUuid(c.store.products, r.params.productUuid, 'Product');
        return ok(c.store.routes.filter((x) => x.product_uuid === product.uuid).map((x) => ({ ...x })));
      },
    ],
    [
      'GET',
      '/v1/routeOperation/:routeUuid/byRouteUuid',
      (c, r) => {
        const route = byUuid(c.store.routes, r.params.routeUuid, 'Route');
        return ok(
          c.store.routeOperations
            .filter((ro) => ro.route_uuid === route.uuid)
            .sort((a, b) => a.sequence - b.sequence)
            .map((ro) => routeOperationWire(c.store, ro)),
        );
      },
    ],
    ['GET', '/v1/operation/:uuid', (c, r) => ok(byUuid(c.store.operations, r.params.uuid, 'Operation'))],
    ['GET', '/v1/workOrderOpHistory', listOpHistory],
    ['GET', '/v1/workOrderOpHistory/:uuid/byWorkOrderUuid', opHistoryByWorkOrder],
    [
      'GET',
      '/v1/warehouse',
      (c, r) =>
        ok(
          page(
            c.store.warehouses.map((x) => ({ ...x })),
            r,
          ),
        ),
    ],
    ['GET', '/v1/warehouse/:uuid', (c, r) => ok(byUuid(c.store.warehouses, r.params.uuid, 'Warehouse'))],
    [
      'GET',
      '/v1/warehouseStorage',
      (c, r) =>
        ok(
          page(
            c.store.storages.map((x) => ({ ...x })),
            r,
          ),
        ),
    ],
    ['GET', '/v1/warehouseStorage/:uuid', (c, r) => ok(byUuid(c.store.storages, r.params.uuid, 'Storage location'))],
    [
      'GET',
      '/v1/productStorage/:productUuid/byProductUuid',
      (c, r) => {
        const product = byUuid(c.store.products, r.params.productUuid, 'Product');
        return ok(c.store.productStorage.filter((ps) => ps.product_uuid === product.uuid).map((ps) => ({ ...ps })));
      },
    ],
    ['GET', '/v1/worker', listWorkers],
    ['GET', '/v1/worker/:uuid', (c, r) => ok(byUuid(c.store.workers, r.params.uuid, 'Worker'))],
  ];
  return table.map(([method, pattern, rule]) => ({ method, pattern, handler: authed(ctx, rule) }));
}

// ---------------------------------------------------------------------------------------------------------------
// User API: token refresh only

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function userApiRoutes(ctx: DotZeroContext): SimRoute[] {
  return [
    {
      method: 'POST',
      pattern: '/v2/auth/token',
      handler: (req) => {
        let body: unknown;
        try {
          body = req.json();
        } catch {
          return errorBody(400, 'INVALID_REQUEST', 'Request body is not valid JSON');
        }
        const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
        if (fields.grant_type !== 'refresh_token') {
          return errorBody(400, 'UNSUPPORTED_GRANT_TYPE', "grant_type must be 'refresh_token'");
        }
        const tenant = req.query.get('tenantID') ?? '';
        const refresh = typeof fields.refresh_token === 'string' ? fields.refresh_token : '';
        if (tenant !== TENANT_ID || !sameSecret(refresh, ctx.auth.refreshToken)) {
          return errorBody(401, 'UNAUTHORIZED', 'Invalid tenant or refresh token');
        }
        // The document's script reads a bare JWT string (`jq 'type == "string"'`).
        return ok(ctx.auth.issue(ctx.auth.refreshTtlSeconds).token);
      },
    },
  ];
}
