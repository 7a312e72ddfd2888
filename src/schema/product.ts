import { decodeIdOf } from '../domain/ids.js';
import type { Product } from '../domain/model.js';
import { DEFAULT_PAGE_SIZE } from '../loaders/concat.js';
import { builder } from './builder.js';
import { connectionOf, listOrReport, reportFailures, selects } from './connection.js';
import { VendorEnum } from './enums.js';
import { NodeInterface, globalId } from './ids.js';
import { InventoryType, ProductType, RouteType } from './refs.js';

ProductType.implement({
  description: 'DotZero products; generic MES product names; Pitney Bowes SKUs.',
  interfaces: [NodeInterface],
  isTypeOf: (p) => typeof p === 'object' && p !== null && 'sku' in p && 'active' in p,
  fields: (t) => ({
    id: t.id({ resolve: globalId('Product') }),
    vendor: t.expose('vendor', { type: VendorEnum }),
    vendorId: t.exposeString('vendorId'),
    sku: t.exposeString('sku', { nullable: true }),
    name: t.exposeString('name', { nullable: true }),
    category: t.exposeString('category', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    active: t.exposeBoolean('active', { nullable: true }),
    routes: t.field({
      type: [RouteType],
      resolve: (p, _args, ctx, info) => listOrReport(ctx, info, () => ctx.loaders.productRoutes(p)),
    }),
    inventory: t.field({
      type: [InventoryType],
      resolve: (p, _args, ctx, info) => listOrReport(ctx, info, () => ctx.loaders.inventory(p)),
    }),
  }),
});

const ProductFilter = builder.inputType('ProductFilter', {
  fields: (t) => ({
    vendors: t.field({ type: [VendorEnum] }),
    name: t.string({ description: 'Part of the name.' }),
    sku: t.string({ description: 'Part of the SKU (DotZero: product number).' }),
  }),
});

const ProductConnection = connectionOf<Product>('Product', ProductType);

builder.queryFields((t) => ({
  product: t.field({
    type: ProductType,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      const { vendor, key } = decodeIdOf(String(id), ['Product']);
      return ctx.loaders.product(vendor, key);
    },
  }),
  products: t.field({
    type: ProductConnection,
    args: {
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
      after: t.arg.string(),
      filter: t.arg({ type: ProductFilter }),
    },
    resolve: async (_root, args, ctx, info) => {
      const name = args.filter?.name?.trim();
      const sku = args.filter?.sku?.trim();
      const page = await ctx.loaders.productPage({
        first: args.first,
        after: args.after,
        vendors: args.filter?.vendors?.length ? args.filter.vendors : null,
        query: { ...(name ? { name } : {}), ...(sku ? { sku } : {}) },
        wantTotal: selects(info, 'totalCount'),
      });
      reportFailures(ctx, page.failures, info);
      return page;
    },
  }),
}));
