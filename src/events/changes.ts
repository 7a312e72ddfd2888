// Work-order changes: what a subscriber is told (the order as it is now and which watched fields moved), how two
// views of one order are compared, and how a change travels between replicas as text.
import type { WorkOrder } from '../domain/model.js';

/** Where a change was seen first. */
export type ChangeSource = 'WEBHOOK' | 'POLL' | 'MUTATION';
export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED';

/** The fields whose change is an event; anything else (notes, names) moving alone is not worth a push. */
export const WATCHED_FIELDS = [
  'status',
  'vendorStatus',
  'quantity',
  'completedQuantity',
  'dueDate',
  'startDate',
  'completionDate',
] as const;
export type WatchedField = (typeof WATCHED_FIELDS)[number];

/** The watched fields of one order, as kept between polls: small, comparable, JSON-safe. */
export type Watched = Record<WatchedField, string | number | null>;

export interface WorkOrderChange {
  kind: ChangeKind;
  source: ChangeSource;
  order: WorkOrder;
  changedFields: WatchedField[];
  /** The watched fields before the change (null for a created order, or an order first seen changing). */
  previous: Watched | null;
  occurredAt: Date;
}

/** Watched fields that are instants: kept as ISO text, as they always were between polls. */
const WATCHED_INSTANTS: ReadonlySet<WatchedField> = new Set(['dueDate', 'startDate', 'completionDate']);

export function watchedOf(wo: WorkOrder): Watched {
  const out = {} as Watched;
  for (const f of WATCHED_FIELDS) {
    const v = wo[f] ?? null;
    out[f] = v !== null && WATCHED_INSTANTS.has(f) ? new Date(v).toISOString() : v;
  }
  return out;
}

/** Watched fields that differ; every field when there is nothing to compare with. */
export function diffWatched(before: Watched | null, after: Watched): WatchedField[] {
  if (!before) return [...WATCHED_FIELDS];
  return WATCHED_FIELDS.filter((f) => before[f] !== after[f]);
}

const DATE_KEY = /(Date|At)$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * JSON for the bus; parse revives dates sent as ISO text (keys ending in Date or At: the change's occurredAt) so
 * resolvers see what they expect. An order's own dates are Instants, numbers, and travel as they are.
 */
export const changeSerializer = {
  stringify: (message: unknown): string => JSON.stringify(message),
  parse: (text: string): unknown =>
    JSON.parse(text, function (key, value) {
      // `previous` holds watched values as text on purpose: only the order's own fields are revived.
      if (typeof value === 'string' && DATE_KEY.test(key) && ISO.test(value) && !isWatched(this))
        return new Date(value);
      return value;
    }),
};

function isWatched(holder: unknown): boolean {
  return (
    holder !== null &&
    typeof holder === 'object' &&
    !('vendor' in holder) &&
    !('order' in holder) &&
    'vendorStatus' in holder
  );
}
