// Starts the embedded simulators of the vendors that have no real deployment configured, and hands back the
// settings that point the gateway's clients at them (loopback URLs and the simulators' own credentials).
import type {
  DotZeroSettings,
  GatewayConfig,
  GenericMesSettings,
  PitneyBowesSettings,
  VendorSettings,
} from '../config.js';
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
  // A simulator's code (its data, routes and auth) loads only when its vendor is simulated: a gateway with every
  // vendor configured carries none of it.
  const [dz, gm, pb] = await Promise.all([
    configured.DOTZERO ? undefined : import('./dotzero/index.js').then((m) => m.startDotZeroSimulator()),
    configured.GENERIC_MES ? undefined : import('./generic-mes/index.js').then((m) => m.startGenericMesSimulator()),
    configured.PITNEY_BOWES ? undefined : import('./pitney-bowes/index.js').then((m) => m.startPitneyBowesSimulator()),
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

export interface ShopFloorSettings {
  /** Where the simulated generic MES sends its signed webhooks, and the secret it signs them with. */
  webhook?: { url: string; secret: string };
  /** Every so often each simulator changes an order by itself (SIMULATOR_CHANGE_INTERVAL_MS); 0: never. */
  changeEveryMs: number;
  /** Every so often the DotZero simulator deletes an order (SIMULATOR_DELETE_INTERVAL_MS); 0: never. */
  deleteEveryMs: number;
}

/**
 * Sets the simulated shop floor moving once the gateway listens, so `npm start` shows webhooks, changes and
 * deletions with no vendor account. Returns what stops it.
 */
export function animateSimulators(simulators: Simulators, settings: ShopFloorSettings): () => void {
  if (settings.webhook) simulators.GENERIC_MES?.setWebhook(settings.webhook);
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, tick: () => void) => {
    if (ms <= 0) return;
    const timer = setInterval(tick, ms);
    timer.unref();
    timers.push(timer);
  };
  if (simulators.DOTZERO || simulators.GENERIC_MES || simulators.PITNEY_BOWES) {
    every(settings.changeEveryMs, () => {
      simulators.DOTZERO?.changeOrder();
      simulators.GENERIC_MES?.changeOrder();
      simulators.PITNEY_BOWES?.changeOrder();
    });
  }
  const dotzero = simulators.DOTZERO;
  if (dotzero) every(settings.deleteEveryMs, () => dotzero.deleteOrder());
  return () => timers.forEach((timer) => clearInterval(timer));
}

/** The shop floor's settings for a gateway listening on `port`. */
export function shopFloorOf(config: GatewayConfig, port: number): ShopFloorSettings {
  const secret = config.genericMesWebhookSecret;
  return {
    ...(secret
      ? { webhook: { url: config.simulatorWebhookUrl ?? `http://127.0.0.1:${port}/webhooks/generic-mes`, secret } }
      : {}),
    changeEveryMs: config.simulatorChangeIntervalMs ?? 0,
    deleteEveryMs: config.simulatorDeleteIntervalMs ?? 0,
  };
}
