// DotZero's adapter: the one vendor with a product, route, warehouse and inventory API. Single-record reads are
// DataLoaders (one GET per distinct key, per request); children lists (`.../byXxxUuid`) one call per parent.
import DataLoader from 'dataloader';
import { NotFoundError } from '../../domain/errors.js';
import type {
  Inventory,
  Operation,
  OperationDefinition,
  Product,
  ProductQuery,
  Route,
  StorageLocation,
  Warehouse,
  WorkOrder,
  WorkOrderQuery,
} from '../../domain/model.js';
import type { Segment } from '../paging.js';
import { noResources, type VendorAdapter, type VendorReads } from '../adapter.js';
import { byKeys, perKey } from '../loading.js';
import { createDotZeroClient } from './client.js';
import { dotZeroStateRules } from './states.js';
import type { DotZeroClientConfig } from './types.js';

const VENDOR = 'DOTZERO' as const;

export function createDotZeroAdapter(config: DotZeroClientConfig): VendorAdapter {
  const client = createDotZeroClient(config);
  return {
    vendor: VENDOR,
    capabilities: client.capabilities,
    states: dotZeroStateRules,
    client,
    writer: client,
    close: () => client.close(),

    /**
     * DotZero route operations and op-history records can only be read through their parent, so their key names
     * it: `wo/<workOrder>/<op>` or `route/<route>/<op>`.
     */
    operationKey(op: Operation): string {
      return op.workOrderId ? `wo/${op.workOrderId}/${op.vendorId}` : `route/${op.routeId ?? ''}/${op.vendorId}`;
    },

    reads: (): VendorReads => new DotZeroReads(client),
  };
}

type Client = ReturnType<typeof createDotZeroClient>;

/**
 * One request's reads of DotZero. A class rather than an object of closures: a request reads a few of these (a list
 * of orders, none), and making some thirty closures for each request was a visible share of a small query's CPU.
 * Every loader is made on its first use.
 */
class DotZeroReads implements VendorReads {
  private workOrders: DataLoader<string, WorkOrder> | undefined;
  private products: DataLoader<string, Product> | undefined;
  private routes: DataLoader<string, Route> | undefined;
  private warehouseLoader: DataLoader<string, Warehouse> | undefined;
  private locations: DataLoader<string, StorageLocation> | undefined;
  private definitions: DataLoader<string, OperationDefinition> | undefined;
  private routeSteps: DataLoader<string, Operation[]> | undefined;
  private history: DataLoader<string, Operation[]> | undefined;
  private productRouteLists: DataLoader<string, Route[]> | undefined;
  private stock: DataLoader<string, Inventory[]> | undefined;
  private warehouseList: Promise<Warehouse[]> | undefined;
  private locationList: Promise<StorageLocation[]> | undefined;

  constructor(private readonly client: Client) {}

  private workOrderLoader() {
    return (this.workOrders ??= byKeys(VENDOR, (keys) => this.client.getWorkOrders(keys)));
  }
  private productLoader() {
    return (this.products ??= new DataLoader<string, Product>((keys) => this.client.getProducts(keys)));
  }
  private routeLoader() {
    return (this.routes ??= new DataLoader<string, Route>((keys) => this.client.getRoutes(keys)));
  }
  private warehouseLookup() {
    return (this.warehouseLoader ??= new DataLoader<string, Warehouse>((keys) => this.client.getWarehouses(keys)));
  }
  private locationLoader() {
    return (this.locations ??= new DataLoader<string, StorageLocation>((keys) =>
      this.client.getStorageLocations(keys),
    ));
  }
  private routeOperationLoader() {
    return (this.routeSteps ??= perKey(async (k) => this.named(await this.client.routeOperations(k))));
  }
  private historyLoader() {
    return (this.history ??= perKey(async (k) => this.named(await this.client.workOrderOperations(k))));
  }

  /**
   * Steps whose record does not name what they do are named from the operation itself: each distinct operation once
   * per request, all in parallel. A lookup that fails leaves the name null rather than failing the list.
   */
  private named(ops: Operation[]): Promise<Operation[]> {
    return Promise.all(
      ops.map(async (op) => {
        if (op.name !== null || op.operationTypeId === null) return op;
        this.definitions ??= new DataLoader<string, OperationDefinition>((keys) =>
          this.client.getOperationDefinitions(keys),
        );
        const def = await this.definitions.load(op.operationTypeId).catch(() => null);
        return def?.name ? { ...op, name: def.name } : op;
      }),
    );
  }

  workOrder(key: string): Promise<WorkOrder> {
    return this.workOrderLoader().load(key);
  }
  forgetWorkOrder(key: string): void {
    this.workOrderLoader().clear(key);
    this.historyLoader().clear(key);
  }
  planWorkOrders(query: WorkOrderQuery): Segment<WorkOrder>[] {
    return this.client.planWorkOrders(query);
  }
  primeWorkOrder(wo: WorkOrder): void {
    if (wo.vendor === VENDOR) this.workOrderLoader().prime(wo.vendorId, wo);
  }
  detailed(wo: WorkOrder): Promise<WorkOrder> {
    return noResources(VENDOR).detailed(wo);
  }

  product(key: string): Promise<Product> {
    return this.productLoader().load(key);
  }
  planProducts(query: ProductQuery): Segment<Product>[] {
    return this.client.planProducts(query);
  }
  async productOf(wo: WorkOrder): Promise<Product | null> {
    if (wo.vendor !== VENDOR || !wo.routeId) return null;
    const r = await this.routeLoader().load(wo.routeId);
    return r.productId ? this.productLoader().load(r.productId) : null;
  }
  productOfLine(sku: string): Product {
    return noResources(VENDOR).productOfLine(sku);
  }
  productRoutes(p: Product): Promise<Route[]> {
    return (this.productRouteLists ??= perKey((k) => this.client.routesByProduct(k))).load(p.vendorId);
  }
  inventory(p: Product): Promise<Inventory[]> {
    return (this.stock ??= perKey((k) => this.client.inventoryByProduct(k))).load(p.vendorId);
  }

  route(key: string): Promise<Route> {
    return this.routeLoader().load(key);
  }
  async routeOf(wo: WorkOrder): Promise<Route | null> {
    return wo.vendor === VENDOR && wo.routeId ? this.routeLoader().load(wo.routeId) : null;
  }
  async routeProduct(r: Route): Promise<Product | null> {
    return r.productId ? this.productLoader().load(r.productId) : null;
  }
  routeOperations(r: Route): Promise<Operation[]> {
    return this.routeOperationLoader().load(r.vendorId);
  }
  workOrderOperations(wo: WorkOrder): Promise<Operation[]> {
    return this.historyLoader().load(wo.vendorId);
  }
  async operation(key: string): Promise<Operation> {
    // No single-record read: the key names the parent (see operationKey), whose list is read and searched.
    const parent = /^(wo|route)\/([^/]+)\/(.+)$/.exec(key);
    if (parent) {
      const [, kind, parentKey, opKey] = parent as unknown as [string, string, string, string];
      const list = await (kind === 'wo' ? this.historyLoader() : this.routeOperationLoader()).load(parentKey);
      const found = list.find((op) => op.vendorId === opKey);
      if (found) return found;
    }
    throw new NotFoundError(`No ${VENDOR} operation "${key}"`, VENDOR);
  }

  warehouse(key: string): Promise<Warehouse> {
    return this.warehouseLookup().load(key);
  }
  async warehouses(): Promise<Warehouse[]> {
    const list = await (this.warehouseList ??= this.client.listWarehouses());
    for (const w of list) this.warehouseLookup().prime(w.vendorId, w);
    return list;
  }
  storageLocation(key: string): Promise<StorageLocation> {
    return this.locationLoader().load(key);
  }
  async warehouseLocations(w: Warehouse): Promise<StorageLocation[]> {
    return (await (this.locationList ??= this.client.listStorageLocations())).filter(
      (l) => l.warehouseId === w.vendorId,
    );
  }
}
