// Pitney Bowes state rules, as data. The documented API only finds work orders, so the transition table is empty
// for every status: it is still written out per status so that the day Pitney Bowes documents a change, the rule
// is one table entry and not a new code path. DESIGN.md: every mutation on a Pitney Bowes order is refused with
// UNSUPPORTED_BY_VENDOR and its allowedTransitions is empty.
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from '../../domain/model.js';
import { stateRules, UNKNOWN_STATUS } from '../states.js';
import type { StateRules } from '../types.js';

/** The vendor's own status values, as "Find Work Orders" lists them. */
export const PB_STATUSES = ['CREATED', 'INPROGRESS', 'CANCELED', 'CLOSED', 'COMPLETE'] as const;
export type PbStatus = (typeof PB_STATUSES)[number];

/** Vendor status → unified status (DESIGN.md status table). */
export const PB_STATUS_TO_UNIFIED: Readonly<Record<PbStatus, WorkOrderStatus>> = {
  CREATED: 'OPEN',
  INPROGRESS: 'IN_PROGRESS',
  COMPLETE: 'COMPLETED',
  CANCELED: 'CANCELLED',
  CLOSED: 'CLOSED',
};

/**
 * Spellings the document does not use but a deployment plausibly sends (other PB APIs, other casing, British
 * spelling). Keys are normalised: upper case, letters and digits only. They only pick the unified status; the
 * record keeps the vendor's exact value in `vendorStatus`.
 */
export const PB_STATUS_ALIASES: Readonly<Record<string, PbStatus>> = {
  OPEN: 'CREATED',
  NEW: 'CREATED',
  STARTED: 'INPROGRESS',
  COMPLETED: 'COMPLETE',
  CANCELLED: 'CANCELED',
};

/** The vendor's transition table, in its own values: nothing changes through the documented API. */
export const PB_TRANSITIONS: Readonly<Record<PbStatus, readonly PbStatus[]>> = {
  CREATED: [],
  INPROGRESS: [],
  COMPLETE: [],
  CANCELED: [],
  CLOSED: [],
};

/** Whether an order in this vendor status may be deleted: the documented API deletes nothing. */
export const PB_CAN_DELETE: Readonly<Record<PbStatus, boolean>> = {
  CREATED: false,
  INPROGRESS: false,
  COMPLETE: false,
  CANCELED: false,
  CLOSED: false,
};

/** A vendor mechanism that carries a change; Pitney Bowes documents none, hence `unsupported` throughout. */
export type PbChangeMechanism = { readonly kind: 'unsupported'; readonly reason: string };

const NOT_IN_DOCUMENT: PbChangeMechanism = {
  kind: 'unsupported',
  reason: 'The Pitney Bowes Find Work Orders API only finds work orders',
};

/** Which vendor mechanism carries each change: per target status, plus create, update and delete. */
export const PB_CHANGE_MECHANISMS: Readonly<
  Record<WorkOrderStatus | 'create' | 'update' | 'delete', PbChangeMechanism>
> = {
  OPEN: NOT_IN_DOCUMENT,
  IN_PROGRESS: NOT_IN_DOCUMENT,
  PAUSED: NOT_IN_DOCUMENT,
  ON_HOLD: NOT_IN_DOCUMENT,
  COMPLETED: NOT_IN_DOCUMENT,
  INCOMPLETE: NOT_IN_DOCUMENT,
  CANCELLED: NOT_IN_DOCUMENT,
  CLOSED: NOT_IN_DOCUMENT,
  create: NOT_IN_DOCUMENT,
  update: NOT_IN_DOCUMENT,
  delete: NOT_IN_DOCUMENT,
};

const PB_STATUS_SET: ReadonlySet<string> = new Set(PB_STATUSES);

function normalise(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** The documented vendor status a raw value stands for, or undefined when it is none we know. */
export function pbStatusOf(raw: string): PbStatus | undefined {
  const exact = raw.trim();
  if (PB_STATUS_SET.has(exact)) return exact as PbStatus;
  const key = normalise(exact);
  if (PB_STATUS_SET.has(key)) return key as PbStatus;
  return PB_STATUS_ALIASES[key];
}

/** Unified status of a raw vendor value; unknown values fall back rather than fail a whole page. */
export function unifiedStatusOf(raw: string): WorkOrderStatus {
  const status = pbStatusOf(raw);
  return status === undefined ? UNKNOWN_STATUS : PB_STATUS_TO_UNIFIED[status];
}

/** The vendor values that stand for any of the given unified statuses (for the `status` search field). */
export function pbStatusesFor(statuses: readonly WorkOrderStatus[]): PbStatus[] {
  const wanted = new Set(statuses);
  return PB_STATUSES.filter((s) => wanted.has(PB_STATUS_TO_UNIFIED[s]));
}

/** The unified statuses Pitney Bowes has, in the unified order. */
export const PB_UNIFIED_STATUSES: readonly WorkOrderStatus[] = WORK_ORDER_STATUSES.filter((u) =>
  PB_STATUSES.some((s) => PB_STATUS_TO_UNIFIED[s] === u),
);

export const pitneyBowesStateRules: StateRules = stateRules({
  vendor: 'PITNEY_BOWES',
  statuses: PB_STATUSES,
  unified: PB_STATUS_TO_UNIFIED,
  transitions: PB_TRANSITIONS,
  deletable: PB_CAN_DELETE,
});
