// The vendors the gateway knows: one adapter factory each. A fourth vendor is one more line here (see
// docs/adding-a-vendor.md).
import type { Vendor } from '../domain/model.js';
import type { VendorAdapter } from './adapter.js';
import { createDotZeroAdapter } from './dotzero/adapter.js';
import type { DotZeroClientConfig } from './dotzero/types.js';
import { createGenericMesAdapter } from './generic-mes/adapter.js';
import type { GenericMesConfig } from './generic-mes/client.js';
import type { TransportOptions } from './http.js';
import { createPitneyBowesAdapter } from './pitney-bowes/adapter.js';
import type { PitneyBowesConfig } from './pitney-bowes/types.js';

/** Each vendor's connection settings, without the transport options all of them share. */
export interface VendorConnections {
  DOTZERO: Omit<DotZeroClientConfig, 'transport'>;
  GENERIC_MES: Omit<GenericMesConfig, 'transport'>;
  PITNEY_BOWES: Omit<PitneyBowesConfig, 'transport'>;
}

export type VendorAdapters = { readonly [V in Vendor]: VendorAdapter };

const FACTORIES: { [V in Vendor]: (config: VendorConnections[V] & { transport: TransportOptions }) => VendorAdapter } =
  {
    DOTZERO: createDotZeroAdapter,
    GENERIC_MES: createGenericMesAdapter,
    PITNEY_BOWES: createPitneyBowesAdapter,
  };

export function createVendorAdapters(settings: VendorConnections, transport: TransportOptions): VendorAdapters {
  return {
    DOTZERO: FACTORIES.DOTZERO({ ...settings.DOTZERO, transport }),
    GENERIC_MES: FACTORIES.GENERIC_MES({ ...settings.GENERIC_MES, transport }),
    PITNEY_BOWES: FACTORIES.PITNEY_BOWES({ ...settings.PITNEY_BOWES, transport }),
  };
}
