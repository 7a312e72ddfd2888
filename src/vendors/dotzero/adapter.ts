// DotZero's adapter: the one vendor with a product, route, warehouse and inventory API. Single-record reads are
// DataLoaders (one GET per distinct key, per request); children lists (`.../byXxxUuid`) one call per parent.
import DataLoader from 'dataloader';
import { NotFoundError } from '../../domain/errors.js';
import type {
  Operation,
  OperationDefinition,
  Product,
  Route,
  StorageLocation,
  Warehouse,
  WorkOrder,
} from '../../domain/model.js';
import { noResources, once, type VendorAdapter, type VendorReads } from '../adapter.js';
import { byKeys, perKey } from '../loading.js';
import { createDotZeroClient } from './client.js';
import { dotZeroStateRules } from './states.js';
import type { DotZeroClientConfig } from './types.js';

const VENDOR = 'DOTZERO' as const;

/** Made on first call, then the same one. */
function lazily<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

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

    reads(): VendorReads {
      // Every loader is made on its first use: a request reads a few of them (a list of orders, none).
      const workOrder = lazily(() => byKeys(VENDOR, (keys) => client.getWorkOrders(keys)));
      const product = lazily(() => new DataLoader<string, Product>((keys) => client.getProducts(keys)));
      const route = lazily(() => new DataLoader<string, Route>((keys) => client.getRoutes(keys)));
      const warehouse = lazily(() => new DataLoader<string, Warehouse>((keys) => client.getWarehouses(keys)));
      const location = lazily(
        () => new DataLoader<string, StorageLocation>((keys) => client.getStorageLocations(keys)),
      );
      // Steps whose record does not name what they do are named from the operation itself: each distinct operation
      // once per request, all in parallel. A lookup that fails leaves the name null rather than failing the list.
      const definition = lazily(
        () => new DataLoader<string, OperationDefinition>((keys) => client.getOperationDefinitions(keys)),
      );
      const named = async (ops: Operation[]): Promise<Operation[]> =>
        Promise.all(
          ops.map(async (op) => {
            if (op.name !== null || op.operationTypeId === null) return op;
            const def = await definition()
              .load(op.operationTypeId)
              .catch(() => null);
            return def?.name ? { ...op, name: def.name } : op;
          }),
        );
      const routeOperations = lazily(() => perKey(async (k) => named(await client.routeOperations(k))));
      const workOrderOperations = lazily(() => perKey(async (k) => named(await client.workOrderOperations(k))));
      const routesByProduct = lazily(() => perKey((k) => client.routesByProduct(k)));
      const inventory = lazily(() => perKey((k) => client.inventoryByProduct(k)));
      const warehouses = once(() => client.listWarehouses());
      const locations = once(() => client.listStorageLocations());

      return {
        ...noResources(VENDOR),
        workOrder: (key) => workOrder().load(key),
        forgetWorkOrder(key) {
          workOrder().clear(key);
          workOrderOperations().clear(key);
        },
        planWorkOrders: (query) => client.planWorkOrders(query),
        primeWorkOrder: (wo: WorkOrder) => void (wo.vendor === VENDOR && workOrder().prime(wo.vendorId, wo)),

        product: (key) => product().load(key),
        planProducts: (query) => client.planProducts(query),
        async productOf(wo) {
          if (wo.vendor !== VENDOR || !wo.routeId) return null;
          const r = await route().load(wo.routeId);
          return r.productId ? product().load(r.productId) : null;
        },
        productRoutes: (p) => routesByProduct().load(p.vendorId),
        inventory: (p) => inventory().load(p.vendorId),

        route: (key) => route().load(key),
        routeOf: async (wo) => (wo.vendor === VENDOR && wo.routeId ? route().load(wo.routeId) : null),
        routeProduct: async (r) => (r.productId ? product().load(r.productId) : null),
        routeOperations: (r) => routeOperations().load(r.vendorId),
        workOrderOperations: (wo) => workOrderOperations().load(wo.vendorId),
        async operation(key) {
          // No single-record read: the key names the parent (see operationKey), whose list is read and searched.
          const parent = /^(wo|route)\/([^/]+)\/(.+)$/.exec(key);
          if (parent) {
            const [, kind, parentKey, opKey] = parent as unknown as [string, string, string, string];
            const list = await (kind === 'wo' ? workOrderOperations() : routeOperations()).load(parentKey);
            const found = list.find((op) => op.vendorId === opKey);
            if (found) return found;
          }
          throw new NotFoundError(`No ${VENDOR} operation "${key}"`, VENDOR);
        },

        warehouse: (key) => warehouse().load(key),
        async warehouses() {
          const list = await warehouses();
          for (const w of list) warehouse().prime(w.vendorId, w);
          return list;
        },
        storageLocation: (key) => location().load(key),
        warehouseLocations: async (w) => (await locations()).filter((l) => l.warehouseId === w.vendorId),
      };
    },
  };
}
