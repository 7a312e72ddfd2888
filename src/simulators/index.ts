// Starts the embedded simulators of the vendors that have no real deployment configured, and hands back the
// settings that point the gateway's clients at them (loopback URLs and the simulators' own credentials).
import type { DotZeroSettings, GenericMesSettings, PitneyBowesSettings, VendorSettings } from '../config.js';
import { startDotZeroSimulator } from './dotzero/index.js';
import { startGenericMesSimulator } from './generic-mes/index.js';
import { startPitneyBowesSimulator } from './pitney-bowes/index.js';
import type { DotZeroSimulator, GenericMesSimulator, PitneyBowesSimulator } from './types.js';

type Vendor = 'DOTZERO' | 'GENERIC_MES' | 'PITNEY_BOWES';

export interface Simulators {
  DOTZERO?: DotZeroSimulator;
  GENERIC_MES?: GenericMesSimulator;
  PITNEY_BOWES?: PitneyBowesSimulator;
}

export interface SimulatedVendors {
  simulators: Simulators;
  settings: { DOTZERO: DotZeroSettings; GENERIC_MES: GenericMesSettings; PITNEY_BOWES: PitneyBowesSettings };
  simulated: Set<Vendor>;
  close(): Promise<void>;
}

export async function startSimulatorsFor(configured: VendorSettings): Promise<SimulatedVendors> {
  const simulators: Simulators = {};
  const [dz, gm, pb] = await Promise.all([
    configured.DOTZERO ? undefined : startDotZeroSimulator(),
    configured.GENERIC_MES ? undefined : startGenericMesSimulator(),
    configured.PITNEY_BOWES ? undefined : startPitneyBowesSimulator(),
  ]);
  if (dz) simulators.DOTZERO = dz;
  if (gm) simulators.GENERIC_MES = gm;
  if (pb) simulators.PITNEY_BOWES = pb;

  const dotzero = (sim: DotZeroSimulator): DotZeroSettings => {
    const creds = sim.issueCredentials();
    return {
      workOrderApiUrl: sim.workOrderApiUrl,
      userApiUrl: sim.userApiUrl,
      tenantId: creds.tenantId,
      token: creds.token,
      refreshToken: creds.refreshToken,
      expiresAt: new Date(creds.expiresAt),
    };
  };
  const settings = {
    DOTZERO: configured.DOTZERO ?? dotzero(dz as DotZeroSimulator),
    GENERIC_MES: configured.GENERIC_MES ?? {
      apiUrl: (gm as GenericMesSimulator).apiUrl,
      apiKey: (gm as GenericMesSimulator).apiKey,
    },
    PITNEY_BOWES:
      configured.PITNEY_BOWES ??
      (({ apiUrl, oauthUrl, apiKey, apiSecret, clientId }: PitneyBowesSimulator) => ({
        apiUrl,
        oauthUrl,
        apiKey,
        apiSecret,
        clientId,
      }))(pb as PitneyBowesSimulator),
  };
  const simulated = new Set<Vendor>(Object.keys(simulators) as Vendor[]);
  return {
    simulators,
    settings,
    simulated,
    close: async () => {
      await Promise.all(Object.values(simulators).map((s) => s.close()));
    },
  };
}
