// The generic MES state rules as data (DESIGN.md "State rules"). The gateway refuses a move these tables forbid
// before it calls the vendor, and reads `allowedTransitions` from the same tables, so what the graph advertises and
// what it lets through cannot drift apart. Changing a rule means changing a row here, nothing else.
import type { OperationStatus, WorkOrderStatus } from '../../domain/model.js';
import { stateRules, UNKNOWN_STATUS } from '../states.js';
import type { StateRules } from '../types.js';

/** The vendor's own status values (the document's "Work Order Statuses" table). */
export const GMES_STATUSES = ['OPEN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'PAUSED', 'ON_HOLD'] as const;
export type GmesStatus = (typeof GMES_STATUSES)[number];

/** The vendor's transition table, in its own status values. COMPLETED and CANCELLED are terminal. */
export const GMES_TRANSITIONS: Readonly<Record<GmesStatus, readonly GmesStatus[]>> = {
  OPEN: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED'],
  IN_PROGRESS: ['PAUSED', 'ON_HOLD', 'COMPLETED'],
  PAUSED: ['IN_PROGRESS', 'ON_HOLD', 'CANCELLED'],
  ON_HOLD: ['OPEN', 'IN_PROGRESS', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

/**
 * Operation statuses (DESIGN.md: `GET /operations/{id}` answers a `status`; the simulator and the deployments we
 * know send PENDING, IN_PROGRESS and COMPLETED). Any other value keeps its exact text in vendorStatus and has no
 * unified status.
 */
export const GMES_OPERATION_STATUSES: Readonly<Record<string, OperationStatus>> = {
  PENDING: 'PENDING',
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETED: 'COMPLETED',
};

/** The document: "Delete a work order (only if not in progress)". */
export const GMES_DELETABLE: Readonly<Record<GmesStatus, boolean>> = {
  OPEN: true,
  IN_PROGRESS: false,
  PAUSED: true,
  ON_HOLD: true,
  COMPLETED: true,
  CANCELLED: true,
};

/** Each vendor status as a unified status (DESIGN.md status table: the generic MES names them alike). */
export const GMES_TO_UNIFIED: Readonly<Record<GmesStatus, WorkOrderStatus>> = {
  OPEN: 'OPEN',
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETED: 'COMPLETED',
  CANCELLED: 'CANCELLED',
  PAUSED: 'PAUSED',
  ON_HOLD: 'ON_HOLD',
};

/**
 * How the vendor carries each allowed change. Every way into COMPLETED is `/complete`, the only call that sets
 * completedQuantity. A way into IN_PROGRESS is `begin`: a first start (the order has no startDate) goes through
 * `/start`, the document's "begin processing", which stamps startDate, from wherever the order waited (OPEN, or
 * ON_HOLD before it ever started); a return to production after a start is a plain status update, which must not
 * restart the order's clock.
 */
export type TransitionMechanism = 'start' | 'complete' | 'status';
export type TableMechanism = TransitionMechanism | 'begin';

export const GMES_MECHANISMS: Readonly<Record<GmesStatus, Readonly<Partial<Record<GmesStatus, TableMechanism>>>>> = {
  OPEN: { IN_PROGRESS: 'begin', ON_HOLD: 'status', CANCELLED: 'status' },
  IN_PROGRESS: { PAUSED: 'status', ON_HOLD: 'status', COMPLETED: 'complete' },
  PAUSED: { IN_PROGRESS: 'begin', ON_HOLD: 'status', CANCELLED: 'status' },
  ON_HOLD: { OPEN: 'status', IN_PROGRESS: 'begin', CANCELLED: 'status' },
  COMPLETED: {},
  CANCELLED: {},
};

/** `begin` for an order that has started before, and for one that has not. */
const BEGIN: Readonly<Record<'started' | 'first', TransitionMechanism>> = { started: 'status', first: 'start' };

/**
 * The values the list's `status` parameter takes: the document lists OPEN, IN_PROGRESS, COMPLETED, CANCELLED and
 * PAUSED, not ON_HOLD, so ON_HOLD orders are found by scanning the unfiltered list.
 */
export const GMES_FILTERABLE: readonly GmesStatus[] = ['OPEN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'PAUSED'];

/**
 * Spellings a deployment might use for the documented statuses (compared after upper-casing and turning spaces
 * and dashes into underscores). The record keeps the exact value in `vendorStatus` either way.
 */
export const GMES_STATUS_ALIASES: Readonly<Record<string, WorkOrderStatus>> = {
  NEW: 'OPEN',
  CREATED: 'OPEN',
  PLANNED: 'OPEN',
  RELEASED: 'OPEN',
  SCHEDULED: 'OPEN',
  PENDING: 'OPEN',
  INPROGRESS: 'IN_PROGRESS',
  STARTED: 'IN_PROGRESS',
  RUNNING: 'IN_PROGRESS',
  ACTIVE: 'IN_PROGRESS',
  SUSPENDED: 'PAUSED',
  STOPPED: 'PAUSED',
  ONHOLD: 'ON_HOLD',
  HOLD: 'ON_HOLD',
  HELD: 'ON_HOLD',
  BLOCKED: 'ON_HOLD',
  WAITING: 'ON_HOLD',
  COMPLETE: 'COMPLETED',
  DONE: 'COMPLETED',
  FINISHED: 'COMPLETED',
  CLOSED: 'COMPLETED',
  CANCELED: 'CANCELLED',
  ABORTED: 'CANCELLED',
  VOID: 'CANCELLED',
};

const UNIFIED_TO_GMES: ReadonlyMap<WorkOrderStatus, GmesStatus> = new Map(
  GMES_STATUSES.map((s) => [GMES_TO_UNIFIED[s], s] as const),
);

/** The vendor status a unified status stands for; undefined for those the vendor lacks (INCOMPLETE, CLOSED). */
export function gmesStatusOf(status: WorkOrderStatus): GmesStatus | undefined {
  return UNIFIED_TO_GMES.get(status);
}

function isGmesStatus(value: string): value is GmesStatus {
  return (GMES_STATUSES as readonly string[]).includes(value);
}

/** The unified status of a documented vendor status or a known spelling of one; undefined for any other value. */
export function knownUnifiedStatus(vendorStatus: string): WorkOrderStatus | undefined {
  if (isGmesStatus(vendorStatus)) return GMES_TO_UNIFIED[vendorStatus];
  const normal = vendorStatus
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (isGmesStatus(normal)) return GMES_TO_UNIFIED[normal];
  return GMES_STATUS_ALIASES[normal] ?? GMES_STATUS_ALIASES[normal.replace(/_/g, '')];
}

/** A vendor status value, documented or not, as a unified status (a best guess for an unknown one). */
export function unifiedStatus(vendorStatus: string): WorkOrderStatus {
  return knownUnifiedStatus(vendorStatus) ?? UNKNOWN_STATUS;
}

export interface PlannedTransition {
  /** The vendor status to move to. */
  to: GmesStatus;
  mechanism: TransitionMechanism;
}

/**
 * The vendor call that carries `from` → `to` for an order that has (`started`) or has never been started (when
 * not told: an OPEN order has not, any other has), or undefined when `to` has no vendor value (nothing could say
 * it).
 * Whether the move is allowed is not asked here: the writes check genericMesStateRules before any call, in one
 * place. A move outside GMES_MECHANISMS (one the table forbids, or from a status we could not read) goes as asked:
 * into COMPLETED by `/complete`, the only call that completes, anything else as a plain status update; the vendor
 * then refuses it (409) itself.
 */
export function planTransition(
  from: WorkOrderStatus,
  to: WorkOrderStatus,
  started?: boolean,
): PlannedTransition | undefined {
  const vendorTo = gmesStatusOf(to);
  if (vendorTo === undefined) return undefined;
  const vendorFrom = gmesStatusOf(from);
  const listed = vendorFrom === undefined ? undefined : GMES_MECHANISMS[vendorFrom][vendorTo];
  if (listed === 'begin') return { to: vendorTo, mechanism: BEGIN[(started ?? from !== 'OPEN') ? 'started' : 'first'] };
  return { to: vendorTo, mechanism: listed ?? (vendorTo === 'COMPLETED' ? 'complete' : 'status') };
}

export const genericMesStateRules: StateRules = stateRules({
  vendor: 'GENERIC_MES',
  statuses: GMES_STATUSES,
  unified: GMES_TO_UNIFIED,
  transitions: GMES_TRANSITIONS,
  deletable: GMES_DELETABLE,
});
