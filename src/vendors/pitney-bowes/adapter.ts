// The Pitney Bowes adapter: work orders are read-only, and everything else is what the orders say. Products are
// the SKUs they name (kits and lines), fulfillment centers the nodes they name, and stock the lots they produced
// and the quantities they issued. One whole-list scan per request answers all of those.
import type { Inventory, PitneyBowesWorkOrder, Warehouse } from '../../domain/model.js';
import {
  derivedProduct,
  derivedProducts,
  noResources,
  once,
  type VendorAdapter,
  type VendorReads,
} from '../adapter.js';
import { byKeys } from '../loading.js';
import { createPitneyBowesClient } from './client.js';
import { pitneyBowesStateRules } from './states.js';
import type { PitneyBowesConfig } from './types.js';

const VENDOR = 'PITNEY_BOWES' as const;

export function createPitneyBowesAdapter(config: PitneyBowesConfig): VendorAdapter {
  const client = createPitneyBowesClient(config);
  return {
    vendor: VENDOR,
    capabilities: client.capabilities,
    states: pitneyBowesStateRules,
    client,
    writer: undefined,
    close: () => client.close(),
    operationKey: (op) => op.vendorId,

    reads(): VendorReads {
      const workOrder = byKeys(VENDOR, (keys) => client.getWorkOrders(keys));
      const all = once(() => client.allWorkOrders());
      const products = derivedProducts(VENDOR, async () =>
        (await all()).flatMap((wo) => [
          ...(wo.sku ? [wo.sku] : []),
          ...wo.lines.flatMap((line) => (line.childSku ? [line.childSku] : [])),
        ]),
      );

      return {
        ...noResources(VENDOR),
        workOrder: (key) => workOrder.load(key),
        forgetWorkOrder: (key) => void workOrder.clear(key),
        planWorkOrders: (query) => client.planWorkOrders(query),
        primeWorkOrder: (wo) => void (wo.vendor === VENDOR && workOrder.prime(wo.vendorId, wo)),

        // No length check: the document caps a kit's SKU at 30 characters but not a child item's, and both are
        // products here.
        product: (key) => products.product(key),
        planProducts: products.planProducts,
        productOf: async (wo) => (wo.vendor === VENDOR && wo.sku ? derivedProduct(VENDOR, wo.sku) : null),
        productOfLine: (sku) => derivedProduct(VENDOR, sku),
        inventory: async (p) => inventoryOf(await all(), p.vendorId),

        async warehouse(key) {
          if ((await all()).some((wo) => wo.node === key)) return fulfillmentCenter(key);
          return noResources(VENDOR).warehouse(key);
        },
        async warehouses() {
          const nodes = new Set((await all()).map((wo) => wo.node).filter((n): n is string => !!n));
          return [...nodes].sort().map(fulfillmentCenter);
        },
      };
    },
  };
}

function fulfillmentCenter(node: string): Warehouse {
  return { vendor: VENDOR, vendorId: node, name: `Fulfillment center ${node}`, code: node };
}

/** Stock is what the orders say: lots produced (the kit) and quantities issued (the lines). */
function inventoryOf(orders: PitneyBowesWorkOrder[], sku: string): Inventory[] {
  const out: Inventory[] = [];
  for (const wo of orders) {
    const at = { vendor: VENDOR, productId: sku, warehouseId: wo.node, locationId: null, workOrderId: wo.vendorId };
    if (wo.sku === sku && wo.completedQuantity > 0) {
      out.push({ ...at, quantity: wo.completedQuantity, lotNumbers: wo.lotNumbers, source: 'PRODUCED' });
    }
    for (const line of wo.lines) {
      if (line.childSku === sku && line.issuedQuantity !== null) {
        out.push({ ...at, quantity: line.issuedQuantity, lotNumbers: line.lotNumbers, source: 'ISSUED' });
      }
    }
  }
  return out;
}
