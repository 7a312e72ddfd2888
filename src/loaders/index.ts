// Per-request loaders: the only way resolvers reach a vendor. Each request gets fresh DataLoaders (never shared
// between callers, so one client's cache or vendor scope never leaks to another), batching every key asked for in
// one tick into one call per vendor where the vendor can take several keys, or one call per distinct key, in
// parallel, where it cannot.
import DataLoader from 'dataloader';
import { ForbiddenError, NotFoundError, UpstreamError, ValidationError } from '../domain/errors.js';
import { WORK_ORDER_TYPE, isWorkOrderType, type GlobalId } from '../domain/ids.js';
import { fingerprint } from '../domain/cursor.js';
import type {
  GenericMesWorkOrder,
  Inventory,
  Operation,
  OperationDefinition,
  PitneyBowesWorkOrder,
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
import type { Page, Segment } from '../vendors/paging.js';
import { isPossibleSku } from '../vendors/pitney-bowes/mapping.js';
import type { VendorClients } from '../vendors/types.js';
import { checkFirst, pageOver, type ConnectionPage, type VendorSegment } from './concat.js';
import { allowedFrom, createWrites, type WorkOrderWrites, type WriteServices } from './writes.js';

export interface LoaderOptions {
  clients: VendorClients;
  /** Vendors this caller may see (a partner may be limited to some). */
  vendors: readonly Vendor[];
  /** Vendors running on their embedded simulator (reported by `vendors`). */
  simulated: ReadonlySet<Vendor>;
  /** Process-wide services the writes need (idempotency store, per-order locks), scoped to the caller. */
  writes: WriteServices;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

type Key = `${Vendor}:${string}`;
const key = (vendor: Vendor, k: string): Key => `${vendor}:${k}`;
const splitKey = (k: string): [Vendor, string] => {
  const i = k.indexOf(':');
  return [k.slice(0, i) as Vendor, k.slice(i + 1)];
};

/** Groups keys by vendor, asks each vendor once (all vendors in parallel), and puts answers back in key order. */
function byVendor<T>(fetch: (vendor: Vendor, keys: string[]) => Promise<(T | Error)[]>) {
  return async (keys: readonly Key[]): Promise<(T | Error)[]> => {
    const groups = new Map<Vendor, { keys: string[]; at: number[] }>();
    keys.forEach((k, i) => {
      const [vendor, vendorKey] = splitKey(k);
      const g = groups.get(vendor) ?? { keys: [], at: [] };
      g.keys.push(vendorKey);
      g.at.push(i);
      groups.set(vendor, g);
    });
    const out: (T | Error)[] = new Array(keys.length);
    await Promise.all(
      [...groups].map(async ([vendor, g]) => {
        let answers: (T | Error)[];
        try {
          answers = await fetch(vendor, g.keys);
        } catch (err) {
          answers = g.keys.map(() => (err instanceof Error ? err : new Error(String(err))));
        }
        g.at.forEach((pos, i) => {
          out[pos] = answers[i] ?? new NotFoundError(`No such ${vendor} record`, vendor);
        });
      }),
    );
    return out;
  };
}

/** A DataLoader over a single-key fetch: each distinct key once per request, all in parallel. */
function perKey<T>(fetch: (k: string) => Promise<T>) {
  return new DataLoader<string, T>(async (keys) => Promise.all(keys.map((k) => fetch(k).catch((e: Error) => e))));
}

/** Memoizes a whole-list read for the request. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

export function createLoaders(options: LoaderOptions) {
  const { clients } = options;
  const visible = VENDORS.filter((v) => options.vendors.includes(v));
  const assertVisible = (vendor: Vendor) => {
    if (!visible.includes(vendor)) throw new ForbiddenError(`This client may not read ${vendor} data`, vendor);
  };

  const workOrder = new DataLoader<Key, WorkOrder>(
    byVendor<WorkOrder>((vendor, keys) => clients[vendor].getWorkOrders(keys) as Promise<(WorkOrder | Error)[]>),
  );
  const dzProduct = new DataLoader<string, Product>((keys) => clients.DOTZERO.getProducts(keys));
  const dzRoute = new DataLoader<string, Route>((keys) => clients.DOTZERO.getRoutes(keys));
  const dzWarehouse = new DataLoader<string, Warehouse>((keys) => clients.DOTZERO.getWarehouses(keys));
  const dzLocation = new DataLoader<string, StorageLocation>((keys) => clients.DOTZERO.getStorageLocations(keys));
  // Steps whose record does not name what they do are named from the operation itself: each distinct operation
  // once per request, all in parallel. A lookup that fails leaves the name null rather than failing the list.
  const dzOperation = new DataLoader<string, OperationDefinition>((keys) => clients.DOTZERO.getOperationDefinitions(keys));
  const named = async (ops: Operation[]): Promise<Operation[]> =>
    Promise.all(
      ops.map(async (op) => {
        if (op.name !== null || op.operationTypeId === null) return op;
        const def = await dzOperation.load(op.operationTypeId).catch(() => null);
        return def?.name ? { ...op, name: def.name } : op;
      }),
    );
  const dzRouteOperations = perKey(async (k) => named(await clients.DOTZERO.routeOperations(k)));
  const dzWorkOrderOperations = perKey(async (k) => named(await clients.DOTZERO.workOrderOperations(k)));
  const dzRoutesByProduct = perKey((k) => clients.DOTZERO.routesByProduct(k));
  const dzInventory = perKey((k) => clients.DOTZERO.inventoryByProduct(k));
  const gmOperation = new DataLoader<string, Operation>((keys) => clients.GENERIC_MES.getOperations(keys));
  const gmAll = once(() => clients.GENERIC_MES.allWorkOrders());
  const pbAll = once(() => clients.PITNEY_BOWES.allWorkOrders());
  const derived = { GENERIC_MES: once(() => derivedProducts('GENERIC_MES')), PITNEY_BOWES: once(() => derivedProducts('PITNEY_BOWES')) };
  const dzWarehouses = once(() => clients.DOTZERO.listWarehouses());
  const dzLocations = once(() => clients.DOTZERO.listStorageLocations());

  /** Records that came whole from a list are primed, so a later lookup of the same order costs nothing. */
  const prime = (wo: WorkOrder) => {
    if (wo.vendor === 'GENERIC_MES' && !wo.detailed) return;
    workOrder.prime(key(wo.vendor, wo.vendorId), wo);
  };

  const loaders = {
    visibleVendors: visible,
    assertVisible,

    async workOrder(vendor: Vendor, vendorKey: string): Promise<WorkOrder> {
      assertVisible(vendor);
      return workOrder.load(key(vendor, vendorKey));
    },

    /** The full record of a work order whose list row lacks fields (generic MES list rows). */
    async detailed(wo: WorkOrder): Promise<WorkOrder> {
      if (wo.vendor !== 'GENERIC_MES' || wo.detailed) return wo;
      return workOrder.load(key(wo.vendor, wo.vendorId));
    },

    async workOrderPage(args: PageArgs & { vendors?: readonly Vendor[] | null; query: WorkOrderQuery; wantTotal?: boolean }): Promise<ConnectionPage<WorkOrder>> {
      const first = checkFirst(args.first);
      const vendors = visible.filter((v) => !args.vendors || args.vendors.includes(v));
      const segments: VendorSegment<WorkOrder>[] = vendors.flatMap((vendor) =>
        (clients[vendor].planWorkOrders(args.query) as Segment<WorkOrder>[]).map((segment) => ({ vendor, segment })),
      );
      const fp = fingerprint([args.query, segments.map((s) => `${s.vendor}/${s.segment.key}`)]);
      const page = await pageOver(segments, 'workOrders', fp, first, args.after, args.wantTotal ?? true);
      for (const edge of page.edges) prime(edge.node);
      return page;
    },

    async product(vendor: Vendor, vendorKey: string): Promise<Product> {
      assertVisible(vendor);
      if (vendor === 'DOTZERO') return dzProduct.load(vendorKey);
      if (vendor === 'PITNEY_BOWES' && !isPossibleSku(vendorKey)) {
        throw new ValidationError('Invalid id: not a Pitney Bowes SKU (the document caps SKUs at 30 characters)', 'id', vendor);
      }
      const found = (await derived[vendor]()).find((p) => p.vendorId === vendorKey);
      if (!found) throw new NotFoundError(`No ${vendor} product "${vendorKey}"`, vendor);
      return found;
    },

    /** The product a Pitney Bowes kit line names (a SKU): no call, as for the kit itself. */
    productOfLine(sku: string): Product {
      return derivedProduct('PITNEY_BOWES', sku);
    },

    /** The product a work order names, without a call where the order itself names it. */
    async productOf(wo: WorkOrder): Promise<Product | null> {
      if (wo.vendor === 'GENERIC_MES') return wo.productName ? derivedProduct('GENERIC_MES', wo.productName) : null;
      if (wo.vendor === 'PITNEY_BOWES') return wo.sku ? derivedProduct('PITNEY_BOWES', wo.sku) : null;
      if (!wo.routeId) return null;
      const route = await dzRoute.load(wo.routeId);
      return route.productId ? dzProduct.load(route.productId) : null;
    },

    async productPage(args: PageArgs & { vendors?: readonly Vendor[] | null; query: ProductQuery; wantTotal?: boolean }): Promise<ConnectionPage<Product>> {
      const first = checkFirst(args.first);
      const vendors = visible.filter((v) => !args.vendors || args.vendors.includes(v));
      const segments: VendorSegment<Product>[] = vendors.flatMap((vendor): VendorSegment<Product>[] => {
        if (vendor === 'DOTZERO') return clients.DOTZERO.planProducts(args.query).map((segment) => ({ vendor, segment }));
        return [{ vendor, segment: derivedProductSegment(vendor, args.query) }];
      });
      const fp = fingerprint([args.query, segments.map((s) => `${s.vendor}/${s.segment.key}`)]);
      return pageOver(segments, 'products', fp, first, args.after, args.wantTotal ?? true);
    },

    async route(vendor: Vendor, vendorKey: string): Promise<Route> {
      assertVisible(vendor);
      if (vendor !== 'DOTZERO') throw new NotFoundError(`${vendor} has no routes`, vendor);
      return dzRoute.load(vendorKey);
    },

    routeOf(wo: WorkOrder): Promise<Route | null> {
      return wo.vendor === 'DOTZERO' && wo.routeId ? dzRoute.load(wo.routeId) : Promise.resolve(null);
    },

    routeProduct(route: Route): Promise<Product | null> {
      return route.vendor === 'DOTZERO' && route.productId ? dzProduct.load(route.productId) : Promise.resolve(null);
    },

    routeOperations(route: Route): Promise<Operation[]> {
      return route.vendor === 'DOTZERO' ? dzRouteOperations.load(route.vendorId) : Promise.resolve([]);
    },

    productRoutes(product: Product): Promise<Route[]> {
      return product.vendor === 'DOTZERO' ? dzRoutesByProduct.load(product.vendorId) : Promise.resolve([]);
    },

    async workOrderOperations(wo: WorkOrder): Promise<Operation[]> {
      if (wo.vendor === 'DOTZERO') return dzWorkOrderOperations.load(wo.vendorId);
      if (wo.vendor === 'PITNEY_BOWES') return [];
      const full = (await loaders.detailed(wo)) as GenericMesWorkOrder;
      const ops = await gmOperation.loadMany(full.operationIds);
      const failed = ops.find((o): o is Error => o instanceof Error);
      if (failed) throw failed;
      return (ops as Operation[]).sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
    },

    async operation(vendor: Vendor, vendorKey: string): Promise<Operation> {
      assertVisible(vendor);
      if (vendor === 'GENERIC_MES') return gmOperation.load(vendorKey);
      // DotZero has no single-record read for route operations or op-history records: their ids name the parent
      // (see operationKey), whose list is read and searched.
      const parent = /^(wo|route)\/([^/]+)\/(.+)$/.exec(vendorKey);
      if (vendor === 'DOTZERO' && parent) {
        const [, kind, parentKey, opKey] = parent as unknown as [string, string, string, string];
        const list = await (kind === 'wo' ? dzWorkOrderOperations : dzRouteOperations).load(parentKey);
        const found = list.find((op) => op.vendorId === opKey);
        if (found) return found;
      }
      throw new NotFoundError(`No ${vendor} operation "${vendorKey}"`, vendor);
    },

    async inventory(product: Product): Promise<Inventory[]> {
      if (product.vendor === 'DOTZERO') return dzInventory.load(product.vendorId);
      if (product.vendor === 'GENERIC_MES') return [];
      return pitneyBowesInventory(await pbAll(), product.vendorId);
    },

    async warehouse(vendor: Vendor, vendorKey: string): Promise<Warehouse> {
      assertVisible(vendor);
      if (vendor === 'DOTZERO') return dzWarehouse.load(vendorKey);
      // Pitney Bowes fulfillment centers are the nodes its orders name; the generic MES has no warehouses.
      if (vendor === 'PITNEY_BOWES' && (await pbAll()).some((wo) => wo.node === vendorKey)) return fulfillmentCenter(vendorKey);
      throw new NotFoundError(`No ${vendor} warehouse "${vendorKey}"`, vendor);
    },

    storageLocation(vendor: Vendor, vendorKey: string): Promise<StorageLocation> {
      if (vendor !== 'DOTZERO') throw new NotFoundError(`${vendor} has no storage locations`, vendor);
      return dzLocation.load(vendorKey);
    },

    async warehouseLocations(warehouse: Warehouse): Promise<StorageLocation[]> {
      if (warehouse.vendor !== 'DOTZERO') return [];
      return (await dzLocations()).filter((l) => l.warehouseId === warehouse.vendorId);
    },

    /** Every warehouse the caller may see; a vendor that fails is reported and the others still answer. */
    async warehouses(filter: { vendors?: readonly Vendor[] | null; name?: string | null } = {}): Promise<{ items: Warehouse[]; failures: UpstreamError[] }> {
      const name = filter.name?.trim().toLowerCase();
      const parts = await Promise.all(
        visible.filter((v) => !filter.vendors?.length || filter.vendors.includes(v)).map(async (vendor): Promise<Warehouse[] | UpstreamError> => {
          try {
            if (vendor === 'DOTZERO') {
              const list = await dzWarehouses();
              for (const w of list) dzWarehouse.prime(w.vendorId, w);
              return list;
            }
            if (vendor === 'PITNEY_BOWES') {
              const nodes = new Set((await pbAll()).map((wo) => wo.node).filter((n): n is string => !!n));
              return [...nodes].sort().map(fulfillmentCenter);
            }
            return [];
          } catch (err) {
            if (err instanceof UpstreamError) return err;
            throw err;
          }
        }),
      );
      return {
        items: parts.flatMap((p) => (p instanceof UpstreamError ? [] : p)).filter((w) => !name || (w.name ?? '').toLowerCase().includes(name)),
        failures: parts.filter((p): p is UpstreamError => p instanceof UpstreamError),
      };
    },

    /** Any record by its global id (the `node` field). */
    async node(id: GlobalId): Promise<unknown> {
      assertVisible(id.vendor);
      if (isWorkOrderType(id.type)) {
        if (WORK_ORDER_TYPE[id.vendor] !== id.type) throw new ValidationError(`Invalid id: ${id.type} is not a ${id.vendor} type`, 'id');
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
    allowedTransitions(wo: WorkOrder): readonly WorkOrderStatus[] {
      return allowedFrom(wo);
    },

    vendors() {
      return visible.map((vendor) => ({
        vendor,
        simulated: options.simulated.has(vendor),
        capabilities: clients[vendor].capabilities,
      }));
    },

    /** Forgets everything this request cached about an order (after a write). */
    forgetWorkOrder(vendor: Vendor, vendorKey: string) {
      workOrder.clear(key(vendor, vendorKey));
      if (vendor === 'DOTZERO') dzWorkOrderOperations.clear(vendorKey);
    },

    writes: undefined as unknown as WorkOrderWrites,
  };

  loaders.writes = createWrites({
    clients,
    services: options.writes,
    assertVisible,
    read: (vendor, k) => {
      // A write's state check must see the vendor's current state, never a value cached earlier in the request.
      workOrder.clear(key(vendor, k));
      return workOrder.load(key(vendor, k));
    },
    forget: (vendor, k) => loaders.forgetWorkOrder(vendor, k),
  });

  function derivedProduct(vendor: Vendor, sku: string): Product {
    return { vendor, vendorId: sku, sku, name: sku, category: null, description: null, active: null };
  }

  /** The generic MES and Pitney Bowes have no product API: their products are what their work orders name. */
  async function derivedProducts(vendor: Vendor): Promise<Product[]> {
    const skus = new Set<string>();
    if (vendor === 'GENERIC_MES') for (const wo of await gmAll()) if (wo.productName) skus.add(wo.productName);
    if (vendor === 'PITNEY_BOWES') {
      for (const wo of await pbAll()) {
        if (wo.sku) skus.add(wo.sku);
        for (const line of wo.lines) if (line.childSku) skus.add(line.childSku);
      }
    }
    return [...skus].sort().map((s) => derivedProduct(vendor, s));
  }

  function derivedProductSegment(vendor: Vendor, query: ProductQuery): Segment<Product> {
    const matches = (p: Product) =>
      (!query.name || (p.name ?? '').toLowerCase().includes(query.name.toLowerCase())) &&
      (!query.sku || (p.sku ?? '').toLowerCase().includes(query.sku.toLowerCase()));
    return {
      key: `derived-products:${vendor}`,
      async fetch(offset: number, limit: number): Promise<Page<Product>> {
        const all = (await derived[vendor as 'GENERIC_MES' | 'PITNEY_BOWES']()).filter(matches);
        return { items: all.slice(offset, offset + limit), total: all.length };
      },
    };
  }

  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * The key an operation's global id carries. DotZero route operations and op-history records can only be read
 * through their parent, so their key names it: `wo/<workOrder>/<op>` or `route/<route>/<op>`.
 */
export function operationKey(op: Operation): string {
  if (op.vendor !== 'DOTZERO') return op.vendorId;
  return op.workOrderId ? `wo/${op.workOrderId}/${op.vendorId}` : `route/${op.routeId ?? ''}/${op.vendorId}`;
}

function fulfillmentCenter(node: string): Warehouse {
  return { vendor: 'PITNEY_BOWES', vendorId: node, name: `Fulfillment center ${node}`, code: node };
}

/** Pitney Bowes stock is what its work orders say: lots produced (the kit) and quantities issued (the lines). */
function pitneyBowesInventory(orders: PitneyBowesWorkOrder[], sku: string): Inventory[] {
  const out: Inventory[] = [];
  for (const wo of orders) {
    if (wo.sku === sku && wo.completedQuantity > 0) {
      out.push({ vendor: 'PITNEY_BOWES', productId: sku, warehouseId: wo.node, locationId: null, quantity: wo.completedQuantity, lotNumbers: wo.lotNumbers, workOrderId: wo.vendorId, source: 'PRODUCED' });
    }
    for (const line of wo.lines) {
      if (line.childSku === sku && line.issuedQuantity !== null) {
        out.push({ vendor: 'PITNEY_BOWES', productId: sku, warehouseId: wo.node, locationId: null, quantity: line.issuedQuantity, lotNumbers: line.lotNumbers, workOrderId: wo.vendorId, source: 'ISSUED' });
      }
    }
  }
  return out;
}
