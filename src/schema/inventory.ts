import { decodeIdOf } from '../domain/ids.js';
import { builder } from './builder.js';
import { InventorySourceEnum, VendorEnum } from './enums.js';
import { InventoryType, ProductType, StorageLocationType, WarehouseType } from './refs.js';

InventoryType.implement({
  description:
    'Stock of a product: DotZero product storage; Pitney Bowes lots produced and quantities issued on work-order lines.',
  fields: (t) => ({
    vendor: t.expose('vendor', { type: VendorEnum }),
    source: t.field({ type: InventorySourceEnum, resolve: (i) => i.source ?? 'STOCK' }),
    product: t.field({
      type: ProductType,
      nullable: true,
      resolve: (i, _args, ctx) => ctx.loaders.product(i.vendor, i.productId),
    }),
    warehouse: t.field({
      type: WarehouseType,
      nullable: true,
      resolve: (i, _args, ctx) => (i.warehouseId ? ctx.loaders.warehouse(i.vendor, i.warehouseId) : null),
    }),
    location: t.field({
      type: StorageLocationType,
      nullable: true,
      resolve: (i, _args, ctx) => (i.locationId ? ctx.loaders.storageLocation(i.vendor, i.locationId) : null),
    }),
    quantity: t.float({ resolve: (i) => i.quantity }),
    lotNumbers: t.exposeStringList('lotNumbers'),
    workOrderVendorId: t.exposeString('workOrderId', { nullable: true }),
  }),
});

builder.queryField('inventory', (t) =>
  t.field({
    type: [InventoryType],
    args: {
      productId: t.arg.id({ required: true }),
      warehouseId: t.arg.id({ description: 'Only stock in this warehouse.' }),
    },
    resolve: async (_root, { productId, warehouseId }, ctx) => {
      const { vendor, key } = decodeIdOf(String(productId), ['Product'], 'productId');
      const warehouse = warehouseId == null ? undefined : decodeIdOf(String(warehouseId), ['Warehouse'], 'warehouseId');
      const product = await ctx.loaders.product(vendor, key);
      const stock = await ctx.loaders.inventory(product);
      return warehouse ? stock.filter((i) => i.vendor === warehouse.vendor && i.warehouseId === warehouse.key) : stock;
    },
  }),
);
