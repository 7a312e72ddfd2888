// The Pitney Bowes search planning (pure): a vendor-neutral query as one search, and what must then be kept
// locally, because the search filters by status (and the order ids) only.
import type { PitneyBowesWorkOrder, Priority, WorkOrderQuery } from '../../domain/model.js';
import { PB_UNIFIED_PRIORITIES, statusSearchField } from './mapping.js';
import { pbStatusesFor } from './states.js';
import type { PbSearchField } from './types.js';

/** How one vendor-neutral query is searched: what the vendor filters, and what we must keep locally. */
export interface PbSearchPlan {
  /** Stable description (part of the gateway's cursor check). */
  key: string;
  /** The search fields before withDateRange adds the wide pbCreateDate range. */
  searchFields: PbSearchField[];
  /** Set when part of the filter is not a search field: the whole result is then scanned and kept locally. */
  keep: ((order: PitneyBowesWorkOrder) => boolean) | null;
}

/**
 * Plans a query, or returns null when no Pitney Bowes order can match (a status or priority the vendor does not
 * have, an empty due range): then no call is made. Status is a search field; priority, order number and due date
 * are not, so they are matched on the mapped orders, exactly as the gateway shows them (a missing priority is
 * shown, and matched, as NORMAL). Empty lists mean "no constraint", like an absent one.
 */
export function planSearch(query: WorkOrderQuery): PbSearchPlan | null {
  const searchFields: PbSearchField[] = [];
  let statusKey: string[] | undefined;
  if (query.statuses && query.statuses.length > 0) {
    const statuses = pbStatusesFor(query.statuses);
    if (statuses.length === 0) return null;
    searchFields.push(statusSearchField(statuses));
    statusKey = statuses;
  }

  const tests: ((o: PitneyBowesWorkOrder) => boolean)[] = [];
  let priorityKey: Priority[] | undefined;
  if (query.priorities && query.priorities.length > 0) {
    const asked = new Set(query.priorities);
    const wanted = PB_UNIFIED_PRIORITIES.filter((p) => asked.has(p));
    if (wanted.length === 0) return null;
    const set = new Set<Priority>(wanted);
    tests.push((o) => set.has(o.priority));
    priorityKey = wanted;
  }

  const needle =
    query.orderNumber !== undefined && query.orderNumber.length > 0 ? query.orderNumber.toLowerCase() : undefined;
  if (needle !== undefined) tests.push((o) => o.orderNumber.toLowerCase().includes(needle));

  const after = query.dueAfter?.getTime();
  const before = query.dueBefore?.getTime();
  if (after !== undefined && before !== undefined && after > before) return null;
  if (after !== undefined || before !== undefined) {
    tests.push((o) => {
      const due = o.dueDate;
      if (due === null) return false;
      return (after === undefined || due >= after) && (before === undefined || due <= before);
    });
  }

  const key = JSON.stringify({
    search: 'work-orders',
    status: statusKey,
    priority: priorityKey,
    orderNumber: needle,
    dueAfter: query.dueAfter?.toISOString(),
    dueBefore: query.dueBefore?.toISOString(),
  });
  const keep = tests.length === 0 ? null : (o: PitneyBowesWorkOrder) => tests.every((t) => t(o));
  return { key: `PITNEY_BOWES:${key}`, searchFields, keep };
}
