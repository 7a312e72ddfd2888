// The generic MES adapter: work orders and operations. It has no product API (its products are the names its
// orders carry) and no routes, warehouses or stock. Its list rows lack some fields, read on demand per order.
import DataLoader from 'dataloader';
import type { Operation } from '../../domain/model.js';
import {
  derivedProduct,
  derivedProducts,
  noResources,
  once,
  type VendorAdapter,
  type VendorReads,
} from '../adapter.js';
import { byKeys } from '../loading.js';
import { genericMesStateRules } from './states.js';
import { createGenericMesClient, type GenericMesConfig } from './client.js';

const VENDOR = 'GENERIC_MES' as const;

export function createGenericMesAdapter(config: GenericMesConfig): VendorAdapter {
  const client = createGenericMesClient(config);
  return {
    vendor: VENDOR,
    capabilities: client.capabilities,
    states: genericMesStateRules,
    client,
    writer: client,
    close: () => client.close(),
    operationKey: (op) => op.vendorId,

    reads(): VendorReads {
      const workOrder = byKeys(VENDOR, (keys) => client.getWorkOrders(keys));
      const operation = new DataLoader<string, Operation>((keys) => client.getOperations(keys));
      const all = once(() => client.allWorkOrders());
      const products = derivedProducts(VENDOR, async () =>
        (await all()).flatMap((wo) => (wo.productName ? [wo.productName] : [])),
      );
      const detailed: VendorReads['detailed'] = async (wo) =>
        wo.vendor !== VENDOR || wo.detailed ? wo : workOrder.load(wo.vendorId);

      return {
        ...noResources(VENDOR),
        workOrder: (key) => workOrder.load(key),
        forgetWorkOrder: (key) => void workOrder.clear(key),
        planWorkOrders: (query) => client.planWorkOrders(query),
        // A list row is not the whole order: only a detailed record may answer a later lookup.
        primeWorkOrder: (wo) => void (wo.vendor === VENDOR && wo.detailed && workOrder.prime(wo.vendorId, wo)),
        detailed,

        product: products.product,
        planProducts: products.planProducts,
        productOf: async (wo) =>
          wo.vendor === VENDOR && wo.productName ? derivedProduct(VENDOR, wo.productName) : null,

        async workOrderOperations(wo) {
          const full = await detailed(wo);
          if (full.vendor !== VENDOR) return [];
          const ops = await operation.loadMany(full.operationIds);
          const failed = ops.find((o): o is Error => o instanceof Error);
          if (failed) throw failed;
          return (ops as Operation[]).sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
        },
        operation: (key) => operation.load(key),
      };
    },
  };
}
