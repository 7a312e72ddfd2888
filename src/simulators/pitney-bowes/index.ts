// The Pitney Bowes Fulfillment simulator: one loopback server answering both the OAuth token call and the
// Find Work Orders API, so `apiUrl` and `oauthUrl` share an origin as they do in PB's sandbox.
import { clearFaults, startSimServer } from '../harness.js';
import type { PitneyBowesSimulator } from '../types.js';
import { DEFAULT_SEED, pbDate, type PbWorkOrder } from './data.js';
import {
  API_BASE,
  OAUTH_PATH,
  ROUTE_KEYS,
  buildRoutes,
  createState,
  notFound,
  resetState,
  type PbConfig,
} from './routes.js';

export { ROUTE_KEYS as PITNEY_BOWES_ROUTE_KEYS } from './routes.js';

/** Fixed simulator credentials: they only open this loopback simulator. */
export const PITNEY_BOWES_SIM_CREDENTIALS: Readonly<PbConfig> = {
  apiKey: 'pbsim-7f3c2a91d4e84b06',
  apiSecret: 'pbsim-secret-5b8e1c7a2f9d4036',
  clientId: '1234',
};

export async function startPitneyBowesSimulator(options: { seed?: number } = {}): Promise<PitneyBowesSimulator> {
  const config = { ...PITNEY_BOWES_SIM_CREDENTIALS };
  const state = createState(options.seed ?? DEFAULT_SEED, Date.now(), config);
  const revokeTokens = () => state.tokens.clear();
  const expireTokens = () => {
    for (const token of state.tokens.keys()) state.tokens.set(token, Date.now() - 1);
  };
  const server = await startSimServer(buildRoutes(state, config), {
    name: 'pitney-bowes',
    notFound,
    actions: { 'revoke-tokens': revokeTokens, 'expire-tokens': expireTokens },
  });

  return {
    apiUrl: `${server.origin}${API_BASE}`,
    oauthUrl: `${server.origin}${OAUTH_PATH}`,
    apiKey: config.apiKey,
    apiSecret: config.apiSecret,
    clientId: config.clientId,
    counts: () => server.counts(),
    count: (key) => server.count(key),
    total: () => server.total(),
    resetCounts: () => server.resetCounts(),
    faults: server.faults,
    observeWrites(fn) {
      server.onHandled = fn;
    },
    faultCounts: () => server.faultCounts(),
    revokeTokens,
    expireTokens,
    reset() {
      resetState(state, config);
      server.resetCounts();
      clearFaults(server.faults);
    },
    close: () => server.close(),
    tokenCalls: () => server.count(ROUTE_KEYS.token),
    setTokenTtl(seconds) {
      state.tokenTtlSeconds = seconds;
    },
    transactionIds: () => [...state.seenTransactionIds],
    changeOrder() {
      const order = state.orders.find((o) => o.status === 'INPROGRESS' && o.completedQuantity < o.workOrderQuantity);
      if (!order) return undefined;
      const at = pbDate(Date.now());
      order.completedQuantity += 1;
      order.updateDate = at;
      order.pbUpdateDate = at;
      return order.workOrderId;
    },
    receiveOrder() {
      const template = state.orders.find((o) => o.status === 'CREATED') ?? state.orders[0]!;
      const now = Date.now();
      const serial = state.orders.length + 1;
      const order: PbWorkOrder = {
        ...structuredClone(template),
        clientWorkOrderId: `W-R${serial}`,
        workOrderId: `WO${config.clientId}A${String(now).slice(-7)}${String(serial).padStart(5, '0')}`,
        status: 'CREATED',
        createDate: pbDate(now - 60_000),
        pbCreateDate: pbDate(now),
        startQuantity: 0,
        completedQuantity: 0,
        rejectedQuantity: 0,
        scrappedQuantity: 0,
        lotNumbers: [],
      };
      // Nothing has happened to it yet: no update, start, completion or cancellation (whatever the template had).
      for (const key of [
        'updateDate',
        'pbUpdateDate',
        'startDate',
        'completionDate',
        'cancelDate',
        'pbCancelDate',
        'cancelReason',
      ] as const) {
        delete order[key];
      }
      order.workOrderLines = order.workOrderLines.map((line) => ({ ...line, lotNumbers: [], issuedQuantity: 0 }));
      state.orders.push(order);
      return order.workOrderId;
    },
  };
}
