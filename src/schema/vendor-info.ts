import type { Vendor, VendorCapabilities } from '../domain/model.js';
import { builder } from './builder.js';
import { VendorEnum } from './enums.js';
import { VendorHealthRef } from './vendor-health.js';

const Capabilities = builder.objectRef<VendorCapabilities>('VendorCapabilities').implement({
  fields: (t) => ({
    read: t.exposeBoolean('read'),
    create: t.exposeBoolean('create'),
    update: t.exposeBoolean('update'),
    delete: t.exposeBoolean('delete'),
    transitions: t.exposeBoolean('transitions'),
    batchLookup: t.exposeBoolean('batchLookup', { description: 'Several orders can be fetched in one vendor call.' }),
  }),
});

const VendorInfo = builder
  .objectRef<{ vendor: Vendor; simulated: boolean; capabilities: VendorCapabilities }>('VendorInfo')
  .implement({
    fields: (t) => ({
      vendor: t.field({ type: VendorEnum, resolve: (v) => v.vendor }),
      simulated: t.exposeBoolean('simulated', {
        description: 'True when the gateway serves this vendor from its embedded simulator.',
      }),
      capabilities: t.field({ type: Capabilities, resolve: (v) => v.capabilities }),
      health: t.field({
        type: VendorHealthRef,
        resolve: (v, _args, ctx) =>
          ctx.health.health().find((h) => h.vendor === v.vendor) as NonNullable<
            ReturnType<typeof ctx.health.health>[number]
          >,
      }),
    }),
  });

builder.queryField('vendors', (t) =>
  t.field({ type: [VendorInfo], resolve: (_root, _args, ctx) => ctx.loaders.vendors() }),
);
