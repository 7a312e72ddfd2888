// What a vendor can do, asked in one place. Each vendor's folder implements VendorAdapter (adapter.ts); the
// loaders above only apply the caller's vendor visibility, ask the adapter, and page across vendors. A vendor that
// lacks a resource answers with `noResources` (not found for a key, empty lists), never with a special case above.
import { NotFoundError } from '../domain/errors.js';
import type {
  Inventory,
  Operation,
  Product,
  ProductQuery,
  Route,
  StorageLocation,
  Vendor,
  VendorCapabilities,
  Warehouse,
  WorkOrder,
  WorkOrderQuery,
} from '../domain/model.js';
import { notFound } from './client-kit.js';
import type { Segment } from './paging.js';
import type { StateRules, WorkOrderSource, WritableWorkOrderSource } from './types.js';

export interface VendorAdapter {
  readonly vendor: Vendor;
  readonly capabilities: VendorCapabilities;
  /** The vendor's state table (states.ts). */
  readonly states: StateRules;
  /** The vendor's client (one per process; owns the connection pool and token). */
  readonly client: WorkOrderSource;
  /** The client's writes, or undefined for a read-only vendor. */
  readonly writer: WritableWorkOrderSource | undefined;
  /** The key an operation's global id carries (some vendors can only read an operation through its parent). */
  operationKey(op: Operation): string;
  /** Fresh per-request reads: DataLoaders and memoized scans that never outlive one request. */
  reads(): VendorReads;
  close(): Promise<void>;
}

/** One request's reads of one vendor. Keys are the vendor's own keys. */
export interface VendorReads {
  workOrder(key: string): Promise<WorkOrder>;
  /** Drops the request's cached copy of an order (and what hangs off it), e.g. after a write. */
  forgetWorkOrder(key: string): void;
  /** Splits a query into the vendor's list calls ([] when no order can match: then no call at all). */
  planWorkOrders(query: WorkOrderQuery): Segment<WorkOrder>[];
  /** Remembers an order that came whole from a list, so a later lookup of it costs nothing. */
  primeWorkOrder(wo: WorkOrder): void;
  /** The full record of an order whose list row lacks fields (the order itself when it is whole). */
  detailed(wo: WorkOrder): Promise<WorkOrder>;

  product(key: string): Promise<Product>;
  planProducts(query: ProductQuery): Segment<Product>[];
  /** The product an order names, without a call where the order itself names it. */
  productOf(wo: WorkOrder): Promise<Product | null>;
  /** The product a kit line names by SKU. */
  productOfLine(sku: string): Product;
  productRoutes(product: Product): Promise<Route[]>;
  inventory(product: Product): Promise<Inventory[]>;

  route(key: string): Promise<Route>;
  routeOf(wo: WorkOrder): Promise<Route | null>;
  routeProduct(route: Route): Promise<Product | null>;
  routeOperations(route: Route): Promise<Operation[]>;
  workOrderOperations(wo: WorkOrder): Promise<Operation[]>;
  operation(key: string): Promise<Operation>;

  warehouse(key: string): Promise<Warehouse>;
  /** Every warehouse of the vendor (throws an UpstreamError when the vendor cannot be read). */
  warehouses(): Promise<Warehouse[]>;
  storageLocation(key: string): Promise<StorageLocation>;
  warehouseLocations(warehouse: Warehouse): Promise<StorageLocation[]>;
}

type NoResources = Omit<VendorReads, 'workOrder' | 'forgetWorkOrder' | 'planWorkOrders' | 'primeWorkOrder'>;

// Stateless (its functions only name the vendor): made once per vendor, not on every request's reads().
const noResourcesOf = new Map<Vendor, NoResources>();

/** The "has none" answers, for a vendor's adapter to spread under what it does have. */
export function noResources(vendor: Vendor): NoResources {
  let made = noResourcesOf.get(vendor);
  if (!made) noResourcesOf.set(vendor, (made = makeNoResources(vendor)));
  return made;
}

function makeNoResources(vendor: Vendor): NoResources {
  const missing =
    (what: string) =>
    (key: string): Promise<never> =>
      Promise.reject(notFound(vendor, what, key));
  return {
    detailed: async (wo) => wo,
    product: missing('product'),
    planProducts: () => [],
    productOf: async () => null,
    productOfLine: (sku) => derivedProduct(vendor, sku),
    productRoutes: async () => [],
    inventory: async () => [],
    route: async () => {
      throw new NotFoundError(`${vendor} has no routes`, vendor);
    },
    routeOf: async () => null,
    routeProduct: async () => null,
    routeOperations: async () => [],
    workOrderOperations: async () => [],
    operation: missing('operation'),
    warehouse: missing('warehouse'),
    warehouses: async () => [],
    storageLocation: () => {
      throw new NotFoundError(`${vendor} has no storage locations`, vendor);
    },
    warehouseLocations: async () => [],
  };
}

/** A product known only by the SKU an order names (vendors without a product API). */
export function derivedProduct(vendor: Vendor, sku: string): Product {
  return { vendor, vendorId: sku, sku, name: sku, category: null, description: null, active: null };
}

/** Memoizes a whole-list read for the request. */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/**
 * Products of a vendor without a product API: the SKUs its work orders name, read once per request (`skus` scans
 * the orders), sorted, filtered by the query, and paged locally.
 */
export function derivedProducts(vendor: Vendor, skus: () => Promise<Iterable<string>>) {
  const all = once(async () => [...new Set(await skus())].sort().map((s) => derivedProduct(vendor, s)));
  return {
    async product(key: string): Promise<Product> {
      const found = (await all()).find((p) => p.vendorId === key);
      // The key may be long (a SKU has no length cap): the message quotes it shortened, as every not-found does.
      if (!found) throw notFound(vendor, 'product', key);
      return found;
    },
    planProducts(query: ProductQuery): Segment<Product>[] {
      const matches = (p: Product) =>
        (!query.name || (p.name ?? '').toLowerCase().includes(query.name.toLowerCase())) &&
        (!query.sku || (p.sku ?? '').toLowerCase().includes(query.sku.toLowerCase()));
      return [
        {
          key: `derived-products:${vendor}`,
          async fetch(offset: number, limit: number) {
            const items = (await all()).filter(matches);
            return { items: items.slice(offset, offset + limit), total: items.length };
          },
        },
      ];
    },
  };
}
