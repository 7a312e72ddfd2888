// The generic MES list planning (pure, so the quirks can be tested without a vendor): a vendor-neutral query as
// the list calls that answer it, and what each must then keep locally, because `GET /work-orders` filters by one
// status only (and not ON_HOLD) and by nothing else.
import {
  PRIORITIES,
  WORK_ORDER_STATUSES,
  type GenericMesWorkOrder,
  type Priority,
  type WorkOrderQuery,
  type WorkOrderStatus,
} from '../../domain/model.js';
import { listQueryKey } from './mapping.js';
import { GMES_FILTERABLE, gmesStatusOf } from './states.js';
import type { GmesStatus } from './states.js';

const VENDOR = 'GENERIC_MES' as const;

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
    if (GMES_FILTERABLE.includes(vendorStatus))
      plans.push(scan ? { status: vendorStatus, keep: local } : { status: vendorStatus });
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
    const due = wo.dueDate;
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
