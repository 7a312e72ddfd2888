// Seeded data for the DotZero simulator: a small precision-machining plant. Everything is drawn from one
// seededRandom stream, so the same seed gives the same uuids, names and numbers on every run and after reset().
import { seededRandom } from '../harness.js';

export const DEFAULT_SEED = 20250601;

export type WorkOrderStatus = 1 | 2 | 3 | 4;

export interface WorkOrder {
  uuid: string;
  work_order_id: string;
  qty: number;
  good: number;
  status: WorkOrderStatus;
  deadline: string | null;
  order_due_date: string | null;
  is_asap: boolean;
  work_order_priority_ranking: number;
  memo: string | null;
  route_uuid: string | null;
  default_warehouse_uuid: string | null;
  default_warehouse_storage_uuid: string | null;
  start_time: string | null;
  end_time: string | null;
  created_at: string;
  updated_at: string;
}

export interface Product {
  uuid: string;
  number: string;
  name: string;
  category: string;
  specification: string;
  memo: string | null;
  remarks: string | null;
  product_type: 1 | 2;
  is_active: boolean;
  minimum_stock_level: number;
  created_at: string;
  updated_at: string;
}

export interface Route {
  uuid: string;
  name: string;
  product_uuid: string;
  created_at: string;
  updated_at: string;
}

export interface Operation {
  uuid: string;
  operation_id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

export interface RouteOperation {
  uuid: string;
  route_uuid: string;
  operation_uuid: string;
  operation_name: string;
  sequence: number;
}

export interface Worker {
  uuid: string;
  worker_id: string;
  name: string;
  department: string;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

export interface Device {
  uuid: string;
  name: string;
}

export interface OpHistory {
  uuid: string;
  work_order_uuid: string;
  work_order_id: string;
  operation_uuid: string;
  operation_name: string;
  sequence: number;
  status: WorkOrderStatus;
  worker_uuid: string;
  worker_name: string;
  device_uuid: string;
  device_name: string;
  good: number;
  defect: number;
  start_time: string;
  end_time: string | null;
}

export interface Warehouse {
  uuid: string;
  name: string;
  code: string;
}

export interface WarehouseStorage {
  uuid: string;
  warehouse_uuid: string;
  name: string;
  code: string;
}

export interface ProductStorage {
  uuid: string;
  product_uuid: string;
  warehouse_uuid: string;
  warehouse_storage_uuid: string;
  qty: number;
}

export interface Store {
  /** Insertion order is created_at order: seeds are created in order and new orders get a later created_at. */
  workOrders: Map<string, WorkOrder>;
  products: Product[];
  routes: Route[];
  operations: Operation[];
  routeOperations: RouteOperation[];
  workers: Worker[];
  devices: Device[];
  opHistory: OpHistory[];
  warehouses: Warehouse[];
  storages: WarehouseStorage[];
  productStorage: ProductStorage[];
  /** The latest created_at handed out, in ms, so created_at stays strictly increasing. */
  lastCreatedAt: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const PRODUCTS: [name: string, category: string, spec: string][] = [
  ['Aluminum Housing AH-200', 'Housings', 'A6061-T6, 200x120x80 mm, clear anodized'],
  ['Stainless Shaft SS-12', 'Shafts', 'SUS304, Ø12 h6 x 240 mm'],
  ['Motor Mount Bracket MB-45', 'Brackets', 'SPCC t=4.5 mm, powder coated black'],
  ['Spur Gear SG-32T', 'Gears', 'S45C, module 1.5, 32 teeth, induction hardened'],
  ['Bearing Cover BC-60', 'Covers', 'FC250, Ø60 bore, 4x M6'],
  ['Hydraulic Manifold HM-3', 'Manifolds', 'A6061-T6, 3-station, 210 bar'],
  ['Drive Pulley DP-80', 'Pulleys', 'A2017, HTD 5M, 80 mm pitch diameter'],
  ['Sensor Bracket SB-10', 'Brackets', 'SUS304 t=1.0 mm, laser cut and bent'],
  ['Gearbox Assembly GA-5', 'Assemblies', 'Ratio 1:5, NEMA 23 input'],
  ['Linear Rail Carriage LR-25', 'Assemblies', 'Rail width 25 mm, preload class Z1'],
  ['Coupling Flange CF-40', 'Flanges', 'S45C, Ø40 bore, 6x M8 PCD 90'],
  ['Heat Sink HS-120', 'Housings', 'A6063, 120x120x40 mm, black anodized'],
  ['Valve Body VB-22', 'Manifolds', 'C3604 brass, 1/2" BSPP ports'],
  ['Helical Gear HG-24T', 'Gears', 'SCM415, module 2, 24 teeth, carburized'],
  ['Spindle Sleeve SP-08', 'Shafts', 'SCM440, Ø80 x 160 mm, ground'],
  ['Control Panel Enclosure CE-300', 'Housings', 'SPCC t=1.6 mm, 300x400x200 mm, IP54'],
  ['Pump Impeller PI-15', 'Impellers', 'SCS13, Ø150 mm, 6 vanes'],
  ['Locking Collar LC-20', 'Flanges', 'S45C, Ø20 bore, black oxide'],
  ['End Cap EC-35', 'Covers', 'POM, Ø35 mm, natural'],
  ['Robot Arm Adapter RA-7', 'Assemblies', 'A7075-T6, ISO 9409-1-50-4-M6'],
];

const OPERATIONS: [name: string, description: string][] = [
  ['Material Cutting', 'Saw or laser cut raw stock to blank size'],
  ['CNC Turning', 'Turn outer and inner diameters on CNC lathe'],
  ['CNC Milling', 'Mill faces, pockets and profiles on machining centre'],
  ['Drilling & Tapping', 'Drill and tap threaded holes'],
  ['Welding', 'MIG/TIG weld sub-parts'],
  ['Deburring', 'Remove burrs and break sharp edges'],
  ['Heat Treatment', 'Harden and temper to drawing spec (outsourced)'],
  ['Surface Grinding', 'Grind to final tolerance'],
  ['Anodizing', 'Surface treatment per finish code (outsourced)'],
  ['Assembly', 'Assemble sub-components and fasteners'],
  ['Final Inspection', 'Dimensional check on CMM and visual inspection'],
  ['Packaging', 'Clean, label and pack for shipment'],
];

const WORKERS: [name: string, department: string][] = [
  ['Chen Wei-Ting', 'Machining'],
  ['Lin Yu-Hsuan', 'Machining'],
  ['Huang Chih-Ming', 'Machining'],
  ['Chang Mei-Ling', 'Quality'],
  ['Lee Chun-Hao', 'Machining'],
  ['Wang Shu-Fen', 'Assembly'],
  ['Wu Tsung-Han', 'Fabrication'],
  ['Liu Ya-Ting', 'Quality'],
  ['Tsai Ming-Hsun', 'Machining'],
  ['Yang Pei-Shan', 'Assembly'],
  ['Hsu Kuan-Yu', 'Fabrication'],
  ['Cheng Li-Hua', 'Finishing'],
  ['Kuo Jia-Hong', 'Machining'],
  ['Hsieh Yi-Chen', 'Logistics'],
  ['Lai Po-Wei', 'Finishing'],
];

const DEVICES = [
  'CNC Lathe #1 (Okuma LB3000)',
  'CNC Lathe #2 (Mazak QT-200)',
  'Machining Centre #1 (DMG Mori DMU 50)',
  'Machining Centre #2 (Fanuc Robodrill)',
  'Fiber Laser (Trumpf TruLaser 3030)',
  'Surface Grinder (Okamoto ACC-52)',
  'Welding Robot (Fanuc ARC Mate 100iD)',
  'CMM (Zeiss Contura)',
];

const WAREHOUSES: [name: string, code: string, storages: string[]][] = [
  ['Main Warehouse', 'WH-MAIN', ['Rack A-01', 'Rack A-02', 'Rack B-01', 'Bulk Floor']],
  ['Finished Goods', 'WH-FG', ['Shelf FG-1', 'Shelf FG-2', 'Shipping Dock']],
  ['Raw Materials', 'WH-RM', ['Bar Stock Rack', 'Sheet Metal Rack', 'Quarantine Cage']],
];

const MEMOS = [
  'Customer order #',
  'Repeat order, same drawing revision',
  'First article inspection required',
  'Ship partial quantities when ready',
  'Material certificate required',
  'Export packing',
  'Customer supplied material',
];

function uuidFrom(rand: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(rand() * 256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const iso = (ms: number) => new Date(ms).toISOString();
const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;

export function createStore(seed: number = DEFAULT_SEED): Store {
  const rand = seededRandom(seed);
  const uuid = () => uuidFrom(rand);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const masterDataAt = Date.UTC(2025, 3, 15, 1, 30); // master data predates the first work order (2025-06-01)

  const products: Product[] = PRODUCTS.map(([name, category, specification], i) => {
    const at = iso(masterDataAt + i * HOUR);
    return {
      uuid: uuid(),
      number: `P-${10001 + i}`,
      name,
      category,
      specification,
      memo: rand() < 0.3 ? 'Drawing rev. C' : null,
      remarks: rand() < 0.2 ? 'Customer-specific tolerance sheet attached' : null,
      // Enclosures and impellers are bought in; the rest is made in-house.
      product_type: category === 'Impellers' || name.startsWith('Control Panel') ? 2 : 1,
      is_active: i % 7 !== 6, // a few discontinued parts
      minimum_stock_level: int(2, 20) * 10,
      created_at: at,
      updated_at: at,
    };
  });

  const operations: Operation[] = OPERATIONS.map(([name, description], i) => {
    const at = iso(masterDataAt - DAY + i * 60_000);
    return {
      uuid: uuid(),
      operation_id: `OP-${String((i + 1) * 10).padStart(3, '0')}`,
      name,
      description,
      created_at: at,
      updated_at: at,
    };
  });

  // Every product gets a standard route; half of them also an alternate one: 30 routes in all.
  const routes: Route[] = [];
  const routeOperations: RouteOperation[] = [];
  for (const [i, product] of products.entries()) {
    const variants = i % 2 === 0 ? ['Standard', 'Alternate'] : ['Standard'];
    for (const variant of variants) {
      const at = iso(masterDataAt + DAY + routes.length * HOUR);
      const route: Route = {
        uuid: uuid(),
        name: `${product.name} - ${variant}`,
        product_uuid: product.uuid,
        created_at: at,
        updated_at: at,
      };
      routes.push(route);
      // Steps follow the shop's natural flow (the OPERATIONS order), 3-6 of them.
      const steps = new Set<number>();
      const count = int(3, 6);
      while (steps.size < count) steps.add(int(0, operations.length - 1));
      [...steps]
        .sort((a, b) => a - b)
        .forEach((opIndex, s) => {
          const op = operations[opIndex]!;
          routeOperations.push({
            uuid: uuid(),
            route_uuid: route.uuid,
            operation_uuid: op.uuid,
            operation_name: op.name,
            sequence: s + 1,
          });
        });
    }
  }

  const workers: Worker[] = WORKERS.map(([name, department], i) => {
    const at = iso(masterDataAt - 30 * DAY + i * DAY);
    return {
      uuid: uuid(),
      worker_id: `E${1001 + i}`,
      name,
      department,
      is_active: i !== 13,
      created_at: at,
      updated_at: at,
    };
  });
  const devices: Device[] = DEVICES.map((name) => ({ uuid: uuid(), name }));

  const warehouses: Warehouse[] = [];
  const storages: WarehouseStorage[] = [];
  for (const [name, code, storageNames] of WAREHOUSES) {
    const warehouse: Warehouse = { uuid: uuid(), name, code };
    warehouses.push(warehouse);
    storageNames.forEach((storageName, i) =>
      storages.push({
        uuid: uuid(),
        warehouse_uuid: warehouse.uuid,
        name: storageName,
        code: `${code}-${String(i + 1).padStart(2, '0')}`,
      }),
    );
  }

  // Most products are in stock somewhere; every fifth one is not.
  const productStorage: ProductStorage[] = [];
  for (const [i, product] of products.entries()) {
    if (i % 5 === 4) continue;
    const places = new Set<WarehouseStorage>();
    const count = int(1, 2);
    while (places.size < count) places.add(pick(storages));
    for (const storage of places) {
      productStorage.push({
        uuid: uuid(),
        product_uuid: product.uuid,
        warehouse_uuid: storage.warehouse_uuid,
        warehouse_storage_uuid: storage.uuid,
        qty: int(0, 60) * 10,
      });
    }
  }

  const workOrders = new Map<string, WorkOrder>();
  const opHistory: OpHistory[] = [];
  const perYear = new Map<number, number>();
  const earliestDeadline = Date.UTC(2025, 8, 1, 9);
  const latestDeadline = Date.UTC(2027, 2, 31, 9);
  let createdAt = Date.UTC(2025, 5, 1, 1, 0);
  const total = 300;

  for (let i = 0; i < total; i++) {
    if (i > 0) createdAt = minuteOf(createdAt + int(12 * 60, 60 * 60) * 60_000);
    const year = new Date(createdAt).getUTCFullYear();
    const seq = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, seq);

    // Older orders are mostly finished, the newest mostly not started.
    const age = i / total;
    const r = rand();
    const status: WorkOrderStatus =
      age < 0.5
        ? r < 0.65
          ? 3
          : r < 0.8
            ? 4
            : r < 0.95
              ? 2
              : 1
        : age < 0.8
          ? r < 0.3
            ? 3
            : r < 0.4
              ? 4
              : r < 0.75
                ? 2
                : 1
          : r < 0.6
            ? 1
            : r < 0.9
              ? 2
              : r < 0.97
                ? 3
                : 4;

    const qty = int(5, 200) * 10;
    const isAsap = rand() < 0.2;
    const deadlineMs = Math.min(latestDeadline, Math.max(earliestDeadline, minuteOf(createdAt + int(60, 240) * DAY)));
    const route = rand() < 0.05 ? null : pick(routes);
    const storage = rand() < 0.6 ? pick(storages) : null;
    const memoStem = rand() < 0.6 ? pick(MEMOS) : null;

    const startMs = status === 1 ? null : minuteOf(createdAt + int(12, 7 * 24) * HOUR);
    const endMs =
      startMs === null || status === 2
        ? null
        : minuteOf(startMs + (status === 3 ? int(2 * 24, 20 * 24) : int(24, 10 * 24)) * HOUR);

    const wo: WorkOrder = {
      uuid: uuid(),
      work_order_id: `WO-${year}-${String(seq).padStart(4, '0')}`,
      qty,
      good: 0,
      status,
      deadline: iso(deadlineMs),
      order_due_date: rand() < 0.7 ? iso(deadlineMs + int(3, 14) * DAY) : null,
      is_asap: isAsap,
      work_order_priority_ranking: isAsap ? int(1, 3) : rand() < 0.7 ? 0 : int(4, 10),
      memo: memoStem === null ? null : memoStem.endsWith('#') ? `${memoStem}${int(10000, 99999)}` : memoStem,
      route_uuid: route?.uuid ?? null,
      default_warehouse_uuid: storage?.warehouse_uuid ?? null,
      default_warehouse_storage_uuid: storage?.uuid ?? null,
      start_time: startMs === null ? null : iso(startMs),
      end_time: endMs === null ? null : iso(endMs),
      created_at: iso(createdAt),
      updated_at: iso(endMs ?? startMs ?? createdAt),
    };

    if (startMs !== null) {
      // Op history follows the route's steps; the order's good count is what came out of its last record.
      const steps = route
        ? routeOperations.filter((ro) => ro.route_uuid === route.uuid)
        : operations
            .slice(0, 3)
            .map((op, s) => ({ operation_uuid: op.uuid, operation_name: op.name, sequence: s + 1 }));
      const maxRecords = Math.min(5, steps.length);
      const count = status === 3 ? maxRecords : int(1, maxRecords);
      const spanEnd = endMs ?? startMs + count * int(1, 3) * DAY;
      const slice = (spanEnd - startMs) / count;
      let remaining = qty;
      for (let k = 0; k < count; k++) {
        const step = steps[k]!;
        const last = k === count - 1;
        const recordStatus: WorkOrderStatus = last ? status : 3;
        let good: number;
        let defect: number;
        if (recordStatus === 3) {
          defect = Math.floor(remaining * rand() * 0.02);
          good = remaining - defect;
        } else {
          good = Math.floor(remaining * (0.1 + rand() * 0.7));
          defect = Math.floor(good * rand() * 0.03);
        }
        remaining = good;
        const worker = pick(workers);
        const device = pick(devices);
        const recStart = minuteOf(startMs + k * slice);
        opHistory.push({
          uuid: uuid(),
          work_order_uuid: wo.uuid,
          work_order_id: wo.work_order_id,
          operation_uuid: step.operation_uuid,
          operation_name: step.operation_name,
          sequence: step.sequence,
          status: recordStatus,
          worker_uuid: worker.uuid,
          worker_name: worker.name,
          device_uuid: device.uuid,
          device_name: device.name,
          good,
          defect,
          start_time: iso(recStart),
          end_time:
            recordStatus === 2 ? null : iso(last && endMs !== null ? endMs : minuteOf(startMs + (k + 1) * slice)),
        });
      }
      wo.good = remaining;
    }
    workOrders.set(wo.uuid, wo);
  }

  return {
    workOrders,
    products,
    routes,
    operations,
    routeOperations,
    workers,
    devices,
    opHistory,
    warehouses,
    storages,
    productStorage,
    lastCreatedAt: createdAt,
  };
}
