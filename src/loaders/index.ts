// Per-request loaders: the only way resolvers reach a vendor. They apply the caller's vendor visibility, ask the
// vendor's adapter, and page across vendors; what a vendor can do is decided in its own folder. Each request gets
// fresh adapter reads (never shared between callers, so one client's cache or vendor scope never leaks to another).
import { ForbiddenError, UpstreamError, ValidationError } from '../domain/errors.js';
import { WORK_ORDER_TYPE, isWorkOrderType, type GlobalId } from '../domain/ids.js';
import { fingerprint } from '../domain/cursor.js';
import type {
  Inventory,
  Operation,
  Product,
  ProductQuery,
  Route,
  StorageLocation,
  Vendor,
  Warehouse,
  WorkOrder,
  WorkOrderQuery,
  WorkOrderStatus,
} from '../domain/model.js';
import { VENDORS } from '../domain/model.js';
import type { VendorReads } from '../vendors/adapter.js';
import type { Segment } from '../vendors/paging.js';
import type { VendorAdapters } from '../vendors/registry.js';
import { allowedFrom } from '../vendors/states.js';
import { checkFirst, pageOver, type ConnectionPage, type VendorSegment } from './concat.js';

export interface LoaderOptions {
  adapters: VendorAdapters;
  /** Vendors this caller may see (a partner may be limited to some). */
  vendors: readonly Vendor[];
  /** Vendors running on their embedded simulator (reported by `vendors`). */
  simulated: ReadonlySet<Vendor>;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** What the writes may ask of a request's loaders: a fresh read of an order, and to forget a cached one. */
export interface WorkOrderReader {
  /** The vendor's current record, never a value cached earlier in the request. */
  readFresh(vendor: Vendor, key: string): Promise<WorkOrder>;
  forget(vendor: Vendor, key: string): void;
}

export function createLoaders(options: LoaderOptions) {
  const { adapters } = options;
  const visible = VENDORS.filter((v) => options.vendors.includes(v));
  const assertVisible = (vendor: Vendor) => {
    if (!visible.includes(vendor)) throw new ForbiddenError(`This client may not read ${vendor} data`, vendor);
  };
  // Made on first use, so a request touching one vendor builds no loaders for the others.
  const made = new Map<Vendor, VendorReads>();
  const reads = (vendor: Vendor): VendorReads => {
    let r = made.get(vendor);
    if (!r) made.set(vendor, (r = adapters[vendor].reads()));
    return r;
  };
  const chosen = (vendors: readonly Vendor[] | null | undefined) =>
    visible.filter((v) => !vendors || vendors.includes(v));

  async function page<T, Q>(
    list: string,
    args: PageArgs & { vendors?: readonly Vendor[] | null; query: Q; wantTotal?: boolean },
    plan: (r: VendorReads, query: Q) => Segment<T>[],
  ): Promise<ConnectionPage<T>> {
    const first = checkFirst(args.first);
    const segments: VendorSegment<T>[] = chosen(args.vendors).flatMap((vendor) =>
      plan(reads(vendor), args.query).map((segment) => ({ vendor, segment })),
    );
    const fp = () => fingerprint([args.query, segments.map((s) => `${s.vendor}/${s.segment.key}`)]);
    return pageOver(segments, list, fp, first, args.after, args.wantTotal ?? true);
  }

  const loaders = {
    visibleVendors: visible,
    assertVisible,

    async workOrder(vendor: Vendor, key: string): Promise<WorkOrder> {
      assertVisible(vendor);
      return reads(vendor).workOrder(key);
    },

    /** The full record of a work order whose list row lacks fields. */
    detailed: (wo: WorkOrder): Promise<WorkOrder> => reads(wo.vendor).detailed(wo),

    async workOrderPage(
      args: PageArgs & { vendors?: readonly Vendor[] | null; query: WorkOrderQuery; wantTotal?: boolean },
    ): Promise<ConnectionPage<WorkOrder>> {
      const result = await page('workOrders', args, (r, query) => r.planWorkOrders(query));
      for (const edge of result.edges) reads(edge.node.vendor).primeWorkOrder(edge.node);
      return result;
    },

    async product(vendor: Vendor, key: string): Promise<Product> {
      assertVisible(vendor);
      return reads(vendor).product(key);
    },

    /** The product a kit line names (a SKU): no call, as for the kit itself. */
    productOfLine: (vendor: Vendor, sku: string): Product => reads(vendor).productOfLine(sku),
    productOf: (wo: WorkOrder): Promise<Product | null> => reads(wo.vendor).productOf(wo),

    productPage(
      args: PageArgs & { vendors?: readonly Vendor[] | null; query: ProductQuery; wantTotal?: boolean },
    ): Promise<ConnectionPage<Product>> {
      return page('products', args, (r, query) => r.planProducts(query));
    },

    async route(vendor: Vendor, key: string): Promise<Route> {
      assertVisible(vendor);
      return reads(vendor).route(key);
    },

    routeOf: (wo: WorkOrder): Promise<Route | null> => reads(wo.vendor).routeOf(wo),
    routeProduct: (route: Route): Promise<Product | null> => reads(route.vendor).routeProduct(route),
    routeOperations: (route: Route): Promise<Operation[]> => reads(route.vendor).routeOperations(route),
    productRoutes: (product: Product): Promise<Route[]> => reads(product.vendor).productRoutes(product),
    workOrderOperations: (wo: WorkOrder): Promise<Operation[]> => reads(wo.vendor).workOrderOperations(wo),

    async operation(vendor: Vendor, key: string): Promise<Operation> {
      assertVisible(vendor);
      return reads(vendor).operation(key);
    },

    /** The key an operation's global id carries, as its vendor reads it back. */
    operationKey: (op: Operation): string => adapters[op.vendor].operationKey(op),

    inventory: (product: Product): Promise<Inventory[]> => reads(product.vendor).inventory(product),

    async warehouse(vendor: Vendor, key: string): Promise<Warehouse> {
      assertVisible(vendor);
      return reads(vendor).warehouse(key);
    },

    storageLocation(vendor: Vendor, key: string): Promise<StorageLocation> {
      assertVisible(vendor);
      return reads(vendor).storageLocation(key);
    },

    warehouseLocations: (warehouse: Warehouse): Promise<StorageLocation[]> =>
      reads(warehouse.vendor).warehouseLocations(warehouse),

    /** Every warehouse the caller may see; a vendor that fails is reported and the others still answer. */
    async warehouses(
      filter: { vendors?: readonly Vendor[] | null; name?: string | null } = {},
    ): Promise<{ items: Warehouse[]; failures: UpstreamError[] }> {
      const name = filter.name?.trim().toLowerCase();
      const parts = await Promise.all(
        chosen(filter.vendors?.length ? filter.vendors : null).map(
          async (vendor): Promise<Warehouse[] | UpstreamError> => {
            try {
              return await reads(vendor).warehouses();
            } catch (err) {
              if (err instanceof UpstreamError) return err;
              throw err;
            }
          },
        ),
      );
      return {
        items: parts
          .flatMap((p) => (p instanceof UpstreamError ? [] : p))
          .filter((w) => !name || (w.name ?? '').toLowerCase().includes(name)),
        failures: parts.filter((p): p is UpstreamError => p instanceof UpstreamError),
      };
    },

    /** Any record by its global id (the `node` field). */
    async node(id: GlobalId): Promise<unknown> {
      assertVisible(id.vendor);
      if (isWorkOrderType(id.type)) {
        if (WORK_ORDER_TYPE[id.vendor] !== id.type) {
          throw new ValidationError(`Invalid id: ${id.type} is not a ${id.vendor} type`, 'id');
        }
        return loaders.workOrder(id.vendor, id.key);
      }
      switch (id.type) {
        case 'Product':
          return loaders.product(id.vendor, id.key);
        case 'Route':
          return loaders.route(id.vendor, id.key);
        case 'Operation':
          return loaders.operation(id.vendor, id.key);
        case 'Warehouse':
          return loaders.warehouse(id.vendor, id.key);
        default:
          return loaders.storageLocation(id.vendor, id.key);
      }
    },

    /** Statuses the order may move to now, from the vendor's state table. */
    allowedTransitions: (wo: WorkOrder): readonly WorkOrderStatus[] => allowedFrom(adapters[wo.vendor].states, wo),

    vendors() {
      return visible.map((vendor) => ({
        vendor,
        simulated: options.simulated.has(vendor),
        capabilities: adapters[vendor].capabilities,
      }));
    },

    /** The writes' interface to this request's loaders (see src/writes/). */
    orders: {
      readFresh(vendor: Vendor, key: string): Promise<WorkOrder> {
        // A write's state check must see the vendor's current state, never a value cached earlier in the request.
        reads(vendor).forgetWorkOrder(key);
        return reads(vendor).workOrder(key);
      },
      forget: (vendor: Vendor, key: string) => reads(vendor).forgetWorkOrder(key),
    } satisfies WorkOrderReader,
  };

  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;
