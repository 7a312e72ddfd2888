import { decodeIdOf } from '../domain/ids.js';
import { builder } from './builder.js';
import { listOrReport } from './connection.js';
import { VendorEnum } from './enums.js';
import { NodeInterface, globalId } from './ids.js';
import { OperationType, ProductType, RouteType } from './refs.js';

RouteType.implement({
  description: 'A production route (DotZero): the ordered operations that make a product.',
  interfaces: [NodeInterface],
  isTypeOf: (r) => typeof r === 'object' && r !== null && 'productId' in r && !('sku' in r),
  fields: (t) => ({
    id: t.id({ resolve: globalId('Route') }),
    vendor: t.expose('vendor', { type: VendorEnum }),
    vendorId: t.exposeString('vendorId'),
    name: t.exposeString('name', { nullable: true }),
    product: t.field({ type: ProductType, nullable: true, resolve: (r, _args, ctx) => ctx.loaders.routeProduct(r) }),
    operations: t.field({
      type: [OperationType],
      resolve: (r, _args, ctx, info) => listOrReport(ctx, info, () => ctx.loaders.routeOperations(r)),
    }),
  }),
});

builder.queryField('route', (t) =>
  t.field({
    type: RouteType,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      const { vendor, key } = decodeIdOf(String(id), ['Route']);
      return ctx.loaders.route(vendor, key);
    },
  }),
);
