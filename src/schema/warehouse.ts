import { builder } from './builder.js';
import { listOrReport, reportFailures } from './connection.js';
import { VendorEnum } from './enums.js';
import { NodeInterface, globalId } from './ids.js';
import { StorageLocationType, WarehouseType } from './refs.js';

WarehouseType.implement({
  description: 'DotZero warehouses, and Pitney Bowes fulfillment centers.',
  interfaces: [NodeInterface],
  isTypeOf: (w) => typeof w === 'object' && w !== null && 'code' in w && !('warehouseId' in w),
  fields: (t) => ({
    id: t.id({ resolve: globalId('Warehouse') }),
    vendor: t.expose('vendor', { type: VendorEnum }),
    vendorId: t.exposeString('vendorId'),
    name: t.exposeString('name', { nullable: true }),
    code: t.exposeString('code', { nullable: true }),
    locations: t.field({
      type: [StorageLocationType],
      resolve: (w, _args, ctx, info) => listOrReport(ctx, info, () => ctx.loaders.warehouseLocations(w)),
    }),
  }),
});

StorageLocationType.implement({
  interfaces: [NodeInterface],
  isTypeOf: (l) => typeof l === 'object' && l !== null && 'warehouseId' in l && 'code' in l,
  fields: (t) => ({
    id: t.id({ resolve: globalId('StorageLocation') }),
    vendor: t.expose('vendor', { type: VendorEnum }),
    vendorId: t.exposeString('vendorId'),
    name: t.exposeString('name', { nullable: true }),
    code: t.exposeString('code', { nullable: true }),
    warehouse: t.field({
      type: WarehouseType,
      nullable: true,
      resolve: (l, _args, ctx) => (l.warehouseId ? ctx.loaders.warehouse(l.vendor, l.warehouseId) : null),
    }),
  }),
});

const WarehouseFilter = builder.inputType('WarehouseFilter', {
  fields: (t) => ({
    vendors: t.field({ type: [VendorEnum] }),
    name: t.string({ description: 'Part of the name.' }),
  }),
});

builder.queryField('warehouses', (t) =>
  t.field({
    type: [WarehouseType],
    args: { filter: t.arg({ type: WarehouseFilter }) },
    resolve: async (_root, { filter }, ctx, info) => {
      const { items, failures } = await ctx.loaders.warehouses({
        vendors: filter?.vendors ?? null,
        name: filter?.name ?? null,
      });
      reportFailures(ctx, failures, info);
      return items;
    },
  }),
);
