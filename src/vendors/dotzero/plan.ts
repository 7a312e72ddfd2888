// The DotZero list planning (pure): a vendor-neutral query as the list calls that answer it, and what a scan must
// then keep locally. The list takes one `status` at a time, a rush-only priority filter and a paired due range;
// mapping.ts names the wire parameters.
import type { DotZeroWorkOrder, Product, ProductQuery, WorkOrderQuery } from '../../domain/model.js';
import {
  ASAP_OF_PRIORITY,
  productListQuery,
  workOrderListQuery,
  type DotZeroListFilter,
  type QueryParams,
} from './mapping.js';
import { DOTZERO_STATUS_VALUES, dotZeroStatusOf, type DotZeroStatus } from './states.js';

/** One upstream list query: its filter parameters, and what a scan keeps where DotZero cannot filter. */
export interface DotZeroListPlan<T> {
  /** Stable description of the upstream query (part of the gateway's cursor check). */
  key: string;
  params: QueryParams;
  /** Set when the whole filtered list is read and this filter applied locally. */
  keep?: (item: T) => boolean;
}

const isNotAsap = (wo: DotZeroWorkOrder) => !wo.isAsap;

/**
 * Splits a work-order query into DotZero list queries: one per DotZero status value asked for (the list takes a
 * single `status`), in the vendor's status order. [] when no DotZero order can match.
 */
export function workOrderListPlans(query: WorkOrderQuery): DotZeroListPlan<DotZeroWorkOrder>[] {
  const filter: DotZeroListFilter = {};
  let keep: ((wo: DotZeroWorkOrder) => boolean) | undefined;

  if (query.orderNumber !== undefined && query.orderNumber !== '') filter.orderNumber = query.orderNumber;

  if (query.priorities !== undefined && query.priorities.length > 0) {
    const wanted = new Set(query.priorities.map((p) => ASAP_OF_PRIORITY[p]).filter((v): v is boolean => v !== null));
    if (wanted.size === 0) return [];
    if (wanted.size === 1 && wanted.has(true)) filter.rushOnly = true;
    // The document offers `is_asap` only as "rush orders only", so "not rush" is read as the whole list and kept
    // locally rather than trusting `is_asap=false` to mean what it would have to.
    if (wanted.size === 1 && wanted.has(false)) keep = isNotAsap;
  }

  if (query.dueAfter !== undefined || query.dueBefore !== undefined) {
    if (query.dueAfter && query.dueBefore && query.dueAfter.getTime() > query.dueBefore.getTime()) return [];
    filter.due = { after: query.dueAfter, before: query.dueBefore };
  }
  // Built once before the split, so a date DotZero cannot take is refused whatever the statuses.
  const common = workOrderListQuery(filter);

  const plan = (params: QueryParams): DotZeroListPlan<DotZeroWorkOrder> => ({
    key: listKey('/v1/workOrders', params, keep ? 'keep is_asap!=true' : undefined),
    params,
    ...(keep ? { keep } : {}),
  });

  if (query.statuses === undefined || query.statuses.length === 0) return [plan(common)];
  const asked = new Set(query.statuses.map(dotZeroStatusOf).filter((v): v is DotZeroStatus => v !== undefined));
  return DOTZERO_STATUS_VALUES.filter((v) => asked.has(v)).map((v) =>
    plan({ ...workOrderListQuery({ status: v }), ...common }),
  );
}

export function productListPlan(query: ProductQuery): DotZeroListPlan<Product> {
  const params = productListQuery({
    ...(query.name !== undefined && query.name !== '' ? { name: query.name } : {}),
    ...(query.sku !== undefined && query.sku !== '' ? { sku: query.sku } : {}),
  });
  return { key: listKey('/v1/products', params), params };
}

function listKey(path: string, params: QueryParams, local?: string): string {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return `DOTZERO GET ${path}${qs ? `?${qs}` : ''}${local ? ` | ${local}` : ''}`;
}
