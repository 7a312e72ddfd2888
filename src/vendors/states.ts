// What every vendor's states.ts table answers, read the same way for all of them.
import type { WorkOrder, WorkOrderStatus } from '../domain/model.js';
import type { StateRules } from './types.js';

/** Statuses an order may move to now: none while its vendor status is not one the vendor's document names. */
export function allowedFrom(rules: StateRules, wo: WorkOrder): readonly WorkOrderStatus[] {
  return rules.documented(wo.vendorStatus) ? rules.allowed(wo.status) : [];
}

/** Whether an order may be deleted now (a documented vendor status that the table lets go). */
export function deletable(rules: StateRules, wo: WorkOrder): boolean {
  return rules.canDelete(wo.status) && rules.documented(wo.vendorStatus);
}
