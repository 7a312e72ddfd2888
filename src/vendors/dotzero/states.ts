// DotZero's state rules as data: its own status values, what each means in the unified model, which changes its
// API accepts, and how each change travels. Everything the gateway decides about DotZero statuses is read from
// these tables, so a rule that changes upstream is a one-line edit here and nowhere else.
import type { OperationStatus, WorkOrderStatus } from '../../domain/model.js';
import { stateRules } from '../states.js';
import type { StateRules } from '../types.js';

/** The vendor's status values (the skill's "Work Order Status Values" table) and their unified meaning. */
export const DOTZERO_STATUSES = {
  1: { label: 'Not Started', unified: 'OPEN' },
  2: { label: 'In Progress', unified: 'IN_PROGRESS' },
  3: { label: 'Completed', unified: 'COMPLETED' },
  4: { label: 'Incomplete', unified: 'INCOMPLETE' },
} as const satisfies Record<number, { label: string; unified: WorkOrderStatus }>;

export type DotZeroStatus = keyof typeof DOTZERO_STATUSES;

/**
 * Op-history statuses. The document's terminology table calls an op-history record a "small work order" (小工單 /
 * 子工單, a work order's per-step record) and filters it by the same numeric `status`, and names no other values,
 * so the work-order table's four values are read here as what they say of one step.
 */
export const DOTZERO_OPERATION_STATUSES: Readonly<Record<DotZeroStatus, OperationStatus>> = {
  1: 'PENDING',
  2: 'IN_PROGRESS',
  3: 'COMPLETED',
  4: 'INCOMPLETE',
};

/** In the vendor's own order, which is also the order list segments are read in. */
export const DOTZERO_STATUS_VALUES: readonly DotZeroStatus[] = [1, 2, 3, 4];

/** The status a new order is created in (the document's default, sent explicitly so nothing depends on it). */
export const DOTZERO_INITIAL_STATUS: DotZeroStatus = 1;

/** Which changes DotZero accepts (DESIGN.md): 1→2, 2→3, 2→4, 4→2; 3 is terminal. Same status again is refused. */
export const DOTZERO_TRANSITIONS: Readonly<Record<DotZeroStatus, readonly DotZeroStatus[]>> = {
  1: [2],
  2: [3, 4],
  3: [],
  4: [2],
};

/**
 * DESIGN.md names no delete rule for DotZero and the document only warns that DELETE is destructive, so every
 * status may be deleted.
 */
export const DOTZERO_DELETABLE: Readonly<Record<DotZeroStatus, boolean>> = {
  1: true,
  2: true,
  3: true,
  4: true,
};

/** Parts of a TransitionRequest a status change may carry upstream (mapping.ts names the wire fields). */
export type DotZeroChangePart = 'completedQuantity' | 'notes';

export interface DotZeroChangeMechanism {
  method: 'PATCH';
  path: '/v1/workOrders/{uuid}';
  /** Request parts sent along with the new status, when the caller gave them. */
  sends: readonly DotZeroChangePart[];
}

/**
 * How each change reaches DotZero, by target status. DotZero has no action endpoints: every change is a PATCH of
 * `status`; completion also reports the good quantity, and any change may carry a note.
 */
export const DOTZERO_CHANGE_MECHANISM: Readonly<Record<DotZeroStatus, DotZeroChangeMechanism>> = {
  1: { method: 'PATCH', path: '/v1/workOrders/{uuid}', sends: ['notes'] },
  2: { method: 'PATCH', path: '/v1/workOrders/{uuid}', sends: ['notes'] },
  3: { method: 'PATCH', path: '/v1/workOrders/{uuid}', sends: ['completedQuantity', 'notes'] },
  4: { method: 'PATCH', path: '/v1/workOrders/{uuid}', sends: ['notes'] },
};

// Inverse of DOTZERO_STATUSES, built once: the tables are the truth, these only index them.
const VENDOR_BY_UNIFIED = new Map<WorkOrderStatus, DotZeroStatus>(
  DOTZERO_STATUS_VALUES.map((value) => [DOTZERO_STATUSES[value].unified, value]),
);
/** The DotZero value of a unified status, or undefined when DotZero has no such status. */
export function dotZeroStatusOf(status: WorkOrderStatus): DotZeroStatus | undefined {
  return VENDOR_BY_UNIFIED.get(status);
}

export function isDotZeroStatus(value: number): value is DotZeroStatus {
  return Object.prototype.hasOwnProperty.call(DOTZERO_STATUSES, value);
}

export const dotZeroStateRules: StateRules = stateRules({
  vendor: 'DOTZERO',
  statuses: DOTZERO_STATUS_VALUES,
  unified: Object.fromEntries(DOTZERO_STATUS_VALUES.map((v) => [v, DOTZERO_STATUSES[v].unified])) as Record<
    DotZeroStatus,
    WorkOrderStatus
  >,
  transitions: DOTZERO_TRANSITIONS,
  deletable: DOTZERO_DELETABLE,
  // Values may come as numbers or numeric strings with spaces around them.
  normalise: (raw) => raw.trim(),
});
