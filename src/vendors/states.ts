// What every vendor's states.ts table answers, read the same way for all of them.
import { WORK_ORDER_STATUSES, type Vendor, type WorkOrder, type WorkOrderStatus } from '../domain/model.js';
import type { StateRules } from './types.js';

/** Statuses an order may move to now: none while its vendor status is not one the vendor's document names. */
export function allowedFrom(rules: StateRules, wo: WorkOrder): readonly WorkOrderStatus[] {
  return rules.documented(wo.vendorStatus) ? rules.allowed(wo.status) : [];
}

/** Whether an order may be deleted now (a documented vendor status that the table lets go). */
export function deletable(rules: StateRules, wo: WorkOrder): boolean {
  return rules.canDelete(wo.status) && rules.documented(wo.vendorStatus);
}

/** A vendor's state table in its own status values: what each means, which changes it accepts, what it deletes. */
export interface StateTable<S extends string | number> {
  vendor: Vendor;
  /** The status values the vendor's document names. */
  statuses: readonly S[];
  unified: Readonly<Record<S, WorkOrderStatus>>;
  transitions: Readonly<Record<S, readonly S[]>>;
  deletable: Readonly<Record<S, boolean>>;
  /** How a raw status value is compared with the documented ones (default: as it is). */
  normalise?: (raw: string) => string;
}

/**
 * What a status value no table knows reads as, for every vendor. OPEN claims the least: nothing is said to have
 * happened to the order, it is not hidden among the terminal states, `vendorStatus` keeps the real value, and the
 * gateway changes no order in such a state (allowedFrom answers none).
 */
export const UNKNOWN_STATUS: WorkOrderStatus = 'OPEN';

const NONE: readonly WorkOrderStatus[] = Object.freeze([]);

/**
 * The StateRules every vendor's states.ts exports, read from its table once: `allowed` hands out the same frozen
 * array on every call (it is asked for every work order shown), in the table's order.
 */
export function stateRules<S extends string | number>(table: StateTable<S>): StateRules {
  const allowed = new Map<WorkOrderStatus, WorkOrderStatus[]>();
  const deletable = new Set<WorkOrderStatus>();
  for (const s of table.statuses) {
    const from = table.unified[s];
    const targets = allowed.get(from) ?? [];
    for (const to of table.transitions[s]) if (!targets.includes(table.unified[to])) targets.push(table.unified[to]);
    allowed.set(from, targets);
    if (table.deletable[s]) deletable.add(from);
  }
  const frozen = new Map([...allowed].map(([from, to]) => [from, Object.freeze(to)] as const));
  const has = new Set(table.statuses.map((s) => table.unified[s]));
  const documented = new Set(table.statuses.map(String));
  const normalise = table.normalise ?? ((raw: string) => raw);
  return {
    vendor: table.vendor,
    statuses: Object.freeze(WORK_ORDER_STATUSES.filter((u) => has.has(u))),
    allowed: (from) => frozen.get(from) ?? NONE,
    canDelete: (status) => deletable.has(status),
    documented: (vendorStatus) => documented.has(normalise(vendorStatus)),
  };
}
