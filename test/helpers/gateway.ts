// Starts the real gateway against the three simulators (real HTTP on loopback between them) and offers a small
// client over the gateway's fetch door (the fast lane, then yoga), plus the simulators' request counters, which the tests treat as first-class results.
import type { GatewayClient, GatewayConfig, VendorSettings } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { CallObserver } from '../../src/vendors/http.js';
import { startSimulatorsFor } from '../../src/simulators/index.js';
import type { DotZeroSimulator, GenericMesSimulator, PitneyBowesSimulator } from '../../src/simulators/types.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/yoga.js';

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  };
}

export interface TestGateway {
  gateway: Gateway;
  dotzero: DotZeroSimulator;
  gmes: GenericMesSimulator;
  pb: PitneyBowesSimulator;
  query<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<T>>;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Requests served by each simulator since the last reset (token calls included). */
  calls(): { DOTZERO: number; GENERIC_MES: number; PITNEY_BOWES: number; total: number };
  counts(): Record<string, number>;
  resetCounts(): void;
  close(): Promise<void>;
}

export const silentLogger = createLogger(false, 'silent');

export function testConfig(overrides: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    port: 0,
    production: false,
    graphiql: true,
    introspection: true,
    vendors: {},
    upstreamTimeoutMs: 2_000,
    persistedDocumentsFile: 'src/generated/persisted-documents.json',
    maxBodyBytes: 100_000,
    shutdownGraceMs: 10_000,
    // graphql-jit by default, as `npm start` serves; `npm test` runs a share of the suite again with graphql-js
    // (vitest project `graphql-js`, vitest.config.ts).
    ...(process.env.GATEWAY_JIT === 'false' ? { jit: false } : {}),
    // The persisted-operation tests run both ways (vitest.config.ts): by the lean path (the default) and without it.
    ...(process.env.GATEWAY_LEAN_PERSISTED === 'false' ? { leanPersisted: false } : {}),
    // And with the fast lane (the default) and without it: every request through yoga's pipeline.
    ...(process.env.GATEWAY_FAST_LANE === 'false' ? { fastLane: false } : {}),
    ...overrides,
  };
}

export interface TestGatewayOptions {
  config?: Partial<GatewayConfig>;
  clients?: GatewayClient[];
  logger?: Gateway['logger'];
  /** Extra yoga plugins, after the gateway's own (to observe the pipeline). */
  plugins?: GatewayOptions['plugins'];
  /** Lifetime of the DotZero access token the gateway starts with (default: one hour). */
  dotzeroTokenTtlSeconds?: number;
  /** Told of every vendor call attempt (with its trace header, e.g. X-PB-TransactionId). */
  observe?: CallObserver;
}

/** A gateway with some vendors pointed at given settings (as if real) and the rest simulated. */
export async function startTestGatewayWith(
  vendors: VendorSettings,
  options: TestGatewayOptions = {},
): Promise<TestGateway> {
  return startTestGateway({ ...options, vendors });
}

export async function startTestGateway(
  options: TestGatewayOptions & { vendors?: VendorSettings } = {},
): Promise<TestGateway> {
  const sims = await startSimulatorsFor(options.vendors ?? {});
  if (options.dotzeroTokenTtlSeconds !== undefined) {
    const creds = (sims.simulators.DOTZERO as DotZeroSimulator).issueCredentials(options.dotzeroTokenTtlSeconds);
    sims.settings.DOTZERO = {
      ...sims.settings.DOTZERO,
      token: creds.token,
      refreshToken: creds.refreshToken,
      expiresAt: new Date(creds.expiresAt),
    };
  }
  const config = testConfig({ ...options.config, ...(options.clients ? { clients: options.clients } : {}) });
  const gateway = createGateway({
    config,
    vendors: sims.settings,
    simulated: sims.simulated,
    logger: options.logger ?? silentLogger,
    ...(options.observe ? { observe: options.observe } : {}),
    ...(options.plugins ? { plugins: options.plugins } : {}),
  });
  // A vendor given real settings has no simulator here: its counters read zero.
  const none = { total: () => 0, counts: () => ({}), count: () => 0, resetCounts: () => {} };
  const dotzero = (sims.simulators.DOTZERO ?? none) as DotZeroSimulator;
  const gmes = (sims.simulators.GENERIC_MES ?? none) as GenericMesSimulator;
  const pb = (sims.simulators.PITNEY_BOWES ?? none) as PitneyBowesSimulator;

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    Promise.resolve(
      // The gateway's front door, as `npm start` serves it: the fast lane, then yoga.
      gateway.fetch('http://gateway.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );

  return {
    gateway,
    dotzero,
    gmes,
    pb,
    post,
    async query(query, variables, headers) {
      const res = await post({ query, ...(variables ? { variables } : {}) }, headers);
      return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResponse<any>['body'] };
    },
    calls() {
      const c = { DOTZERO: dotzero.total(), GENERIC_MES: gmes.total(), PITNEY_BOWES: pb.total(), total: 0 };
      c.total = c.DOTZERO + c.GENERIC_MES + c.PITNEY_BOWES;
      return c;
    },
    counts() {
      return { ...dotzero.counts(), ...gmes.counts(), ...pb.counts() };
    },
    resetCounts() {
      dotzero.resetCounts();
      gmes.resetCounts();
      pb.resetCounts();
    },
    async close() {
      await gateway.close();
      await sims.close();
    },
  };
}

/** Every error code in a response. */
export const codes = (res: GqlResponse) => (res.body.errors ?? []).map((e) => e.extensions?.code);
