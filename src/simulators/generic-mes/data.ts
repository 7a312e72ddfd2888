// Seeded data for the generic MES simulator: work orders and their operations, as the vendor would hold them.
// Everything derives from one seed so that tests and `npm start` see the same shop floor on every run.
import { seededRandom } from '../harness.js';

export const STATUSES = ['OPEN', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'PAUSED', 'ON_HOLD'] as const;
export type Status = (typeof STATUSES)[number];

export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const OPERATION_STATUSES = ['PENDING', 'IN_PROGRESS', 'COMPLETED'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export interface WorkOrderRecord {
  id: string;
  orderNumber: string;
  status: Status;
  product: string;
  quantity: number;
  completedQuantity: number;
  priority: Priority;
  customer: string | null;
  dueDate: string | null;
  startDate: string | null;
  estimatedCompletionDate: string | null;
  completionDate: string | null;
  notes: string | null;
  operationIds: string[];
  createdAt: string;
  updatedAt: string;
}

export interface OperationRecord {
  id: string;
  workOrderId: string;
  name: string;
  sequence: number;
  status: OperationStatus;
  startedAt: string | null;
  completedAt: string | null;
}

export interface Store {
  /** Insertion order is creation order. */
  orders: Map<string, WorkOrderRecord>;
  operations: Map<string, OperationRecord>;
  nextOrderNumber: number;
  nextOperationNumber: number;
}

export const DEFAULT_SEED = 20260630;
export const SEED_ORDER_COUNT = 250;
export const FIRST_ORDER_NUMBER = 1001;
export const FIRST_OPERATION_NUMBER = 5001;

const DAY = 86_400_000;
const HOUR = 3_600_000;
// The seeded shop floor is a snapshot of fiscal year 2026 (July 2025 - June 2026), hence `GM-2026-NNNN` order
// numbers; it is fixed in the past so that anything the API changes later carries a later timestamp.
const SEED_FROM = Date.UTC(2025, 6, 1, 7, 0, 0);
export const SEED_NOW = Date.UTC(2026, 5, 30, 16, 0, 0);
const DUE_FLOOR = Date.UTC(2025, 8, 1);
const DUE_CEILING = Date.UTC(2027, 2, 31);

/** Products with the routing (operation names, in order) each is made by. Some are known only by SKU. */
export const PRODUCTS: readonly { name: string; route: readonly string[] }[] = [
  { name: 'Widget A', route: ['Material Prep', 'CNC Machining', 'Quality Inspection'] },
  { name: 'Widget B', route: ['Material Prep', 'Stamping', 'Deburring', 'Quality Inspection'] },
  { name: 'Widget C', route: ['Injection Molding', 'Trimming', 'Packaging'] },
  {
    name: 'Gear Assembly GA-200',
    route: ['Gear Cutting', 'Heat Treatment', 'Assembly', 'Quality Inspection', 'Packaging'],
  },
  { name: 'Hydraulic Pump HP-45', route: ['CNC Machining', 'Assembly', 'Pressure Test', 'Packaging'] },
  { name: 'Bearing Housing BH-12', route: ['Casting', 'CNC Machining', 'Quality Inspection'] },
  { name: 'Control Panel CP-9', route: ['PCB Assembly', 'Wiring', 'Functional Test', 'Packaging'] },
  { name: 'Motor Bracket MB-3', route: ['Laser Cutting', 'Bending', 'Powder Coating'] },
  { name: 'Drive Shaft DS-300', route: ['Turning', 'Grinding', 'Balancing', 'Quality Inspection'] },
  { name: 'Valve Body VB-7', route: ['Casting', 'CNC Machining', 'Leak Test'] },
  {
    name: 'Sensor Module SM-4',
    route: ['SMT Placement', 'Reflow Soldering', 'Calibration', 'Functional Test', 'Packaging'],
  },
  { name: 'Conveyor Roller CR-50', route: ['Tube Cutting', 'Welding', 'Assembly'] },
  { name: 'SKU-10482', route: ['Cutting', 'Packaging'] },
  { name: 'SKU-20731', route: ['Welding', 'Grinding', 'Painting', 'Quality Inspection'] },
  { name: 'SKU-33017', route: ['Molding', 'Packaging'] },
];

/** Routing for products the seed does not know (orders created through the API with a new product). */
export const DEFAULT_ROUTE: readonly string[] = ['Material Prep', 'Production', 'Quality Inspection'];

export const CUSTOMERS: readonly string[] = [
  'Customer Corp',
  'Northwind Manufacturing',
  'Cascade Hydraulics',
  'Summit Agricultural Equipment',
  'Riverside Packaging Co.',
  'Meridian Aerospace',
  'Granite State Tooling',
  'Pioneer Rail Components',
  'Bluewater Marine',
  'Ironclad Construction',
  'Lakeside Appliances',
  'Vertex Robotics',
  'Silverline Medical Devices',
  'Orion Energy Systems',
  'Redwood Furniture Works',
  'Atlas Conveyor Group',
  'Evergreen Farm Supply',
  'Crescent HVAC',
  'Norden Pumps GmbH',
  'Tidewater Logistics',
];

const GENERAL_NOTES = [
  'Rush order - expedite processing',
  'Standard order',
  'Customer requested partial shipment',
  'Use alternate supplier for fasteners',
  'First article inspection required',
  'Repeat order - same spec as last quarter',
  'Ship with certificate of conformance',
  'Tooling change scheduled mid-run',
];
const STATUS_NOTES: Partial<Record<Status, readonly string[]>> = {
  PAUSED: ['Waiting for material delivery', 'Machine down for maintenance', 'Operator shortage on second shift'],
  ON_HOLD: ['Waiting for engineering approval', 'Awaiting customer drawing revision', 'Credit hold - finance review'],
  CANCELLED: ['Cancelled by customer', 'Superseded by a revised order', 'Duplicate order'],
};

const QUANTITIES = [10, 20, 25, 40, 50, 75, 100, 120, 150, 200, 250, 300, 400, 500, 750, 1000, 1200, 1500, 2000];

/** The wire format of the document's examples: ISO 8601 UTC, whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function orderId(n: number): string {
  return `wo-${n}`;
}

export function operationId(n: number): string {
  return `op-${n}`;
}

export function routeFor(product: string): readonly string[] {
  return PRODUCTS.find((p) => p.name === product)?.route ?? DEFAULT_ROUTE;
}

/** Appends the product's operations to a new order, all PENDING. */
export function addOperations(store: Store, order: WorkOrderRecord): OperationRecord[] {
  return routeFor(order.product).map((name, i) => {
    const op: OperationRecord = {
      id: operationId(store.nextOperationNumber++),
      workOrderId: order.id,
      name,
      sequence: i + 1,
      status: 'PENDING',
      startedAt: null,
      completedAt: null,
    };
    store.operations.set(op.id, op);
    order.operationIds.push(op.id);
    return op;
  });
}

export function seedStore(seed: number = DEFAULT_SEED): Store {
  const rnd = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);
  const weighted = <T extends string>(weights: [T, number][]): T => {
    const total = weights.reduce((s, [, w]) => s + w, 0);
    let r = rnd() * total;
    for (const [value, w] of weights) {
      r -= w;
      if (r < 0) return value;
    }
    return weights[weights.length - 1]![0];
  };

  const store: Store = {
    orders: new Map(),
    operations: new Map(),
    nextOrderNumber: FIRST_ORDER_NUMBER,
    nextOperationNumber: FIRST_OPERATION_NUMBER,
  };
  const step = (SEED_NOW - DAY - SEED_FROM) / SEED_ORDER_COUNT;

  for (let i = 0; i < SEED_ORDER_COUNT; i++) {
    // Jitter stays below one step, so createdAt is strictly increasing even after rounding to the minute.
    const created = Math.floor((SEED_FROM + i * step + rnd() * step * 0.8) / 60_000) * 60_000;
    const age = i / SEED_ORDER_COUNT; // 0 = oldest
    // Old orders are mostly finished, recent ones mostly not started yet.
    const status = weighted<Status>([
      ['COMPLETED', 55 * (1 - age) + 3],
      ['CANCELLED', 7],
      ['IN_PROGRESS', 30 * age + 3],
      ['PAUSED', 10 * age + 1],
      ['ON_HOLD', 10 * age + 1],
      ['OPEN', 40 * age + 3],
    ]);
    const product = pick(PRODUCTS).name;
    const quantity = pick(QUANTITIES);
    const priority = weighted<Priority>([
      ['LOW', 20],
      ['NORMAL', 50],
      ['HIGH', 20],
      ['CRITICAL', 10],
    ]);
    const due = Math.min(DUE_CEILING, Math.max(DUE_FLOOR, created + between(45, 285) * DAY));
    const dueDate = isoSeconds(Math.floor(due / DAY) * DAY);

    const started =
      status === 'IN_PROGRESS' ||
      status === 'PAUSED' ||
      status === 'COMPLETED' ||
      ((status === 'ON_HOLD' || status === 'CANCELLED') && rnd() < 0.5);
    const start = started ? created + between(0.1, 0.9) * Math.min(10 * DAY, SEED_NOW - created) : null;
    const completion =
      status === 'COMPLETED' && start !== null
        ? start + between(0.2, 0.95) * Math.min(20 * DAY, SEED_NOW - start)
        : null;
    const lastEvent = completion ?? start ?? created;
    // Running orders report progress up to the snapshot; the rest were last touched shortly after their last event.
    const updated =
      status === 'IN_PROGRESS' || status === 'PAUSED'
        ? lastEvent + between(0.3, 1) * (SEED_NOW - lastEvent)
        : status === 'OPEN' && rnd() < 0.6
          ? lastEvent
          : lastEvent + between(0.05, 0.5) * Math.min(3 * DAY, SEED_NOW - lastEvent);

    let completedQuantity = 0;
    if (status === 'COMPLETED') completedQuantity = rnd() < 0.8 ? quantity : Math.floor(quantity * between(0.9, 1));
    else if (started) completedQuantity = Math.floor(quantity * between(0, 0.95));

    const statusNotes = STATUS_NOTES[status];
    const notes = statusNotes && rnd() < 0.8 ? pick(statusNotes) : rnd() < 0.55 ? pick(GENERAL_NOTES) : null;
    const finished = status === 'COMPLETED' || status === 'CANCELLED';
    // An estimate is forward-looking as of the snapshot, however long the order has been running.
    const estimate =
      start !== null && !finished ? Math.max(start + between(3, 25) * DAY, SEED_NOW + between(1, 20) * DAY) : null;

    const order: WorkOrderRecord = {
      id: orderId(store.nextOrderNumber++),
      orderNumber: `GM-2026-${String(i + 1).padStart(4, '0')}`,
      status,
      product,
      quantity,
      completedQuantity,
      priority,
      customer: rnd() < 0.9 ? pick(CUSTOMERS) : null, // the rest are make-to-stock orders
      dueDate,
      startDate: start === null ? null : isoSeconds(start),
      estimatedCompletionDate: estimate === null ? null : isoSeconds(Math.floor(estimate / HOUR) * HOUR),
      completionDate: completion === null ? null : isoSeconds(completion),
      notes,
      operationIds: [],
      createdAt: isoSeconds(created),
      updatedAt: isoSeconds(updated),
    };
    store.orders.set(order.id, order);

    const ops = addOperations(store, order);
    // How far along the routing the order got: every step done when completed, none when never started.
    const done = status === 'COMPLETED' ? ops.length : start === null ? 0 : Math.floor(rnd() * ops.length);
    const current =
      status === 'IN_PROGRESS' || status === 'PAUSED' || (status === 'ON_HOLD' && start !== null) ? done : -1;
    if (start !== null) {
      const end = completion ?? updated;
      const slot = (end - start) / Math.max(1, current >= 0 ? done + 1 : done);
      ops.forEach((op, k) => {
        if (k < done) {
          op.status = 'COMPLETED';
          op.startedAt = isoSeconds(start + k * slot);
          op.completedAt = isoSeconds(start + (k + 1) * slot - slot * 0.05);
        } else if (k === current) {
          op.status = 'IN_PROGRESS';
          op.startedAt = isoSeconds(start + k * slot);
        }
      });
    }
  }
  return store;
}
