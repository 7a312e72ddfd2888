// Secrets stay where they belong. A vendor error body holding a secret reaches neither the client nor the logs;
// the client's own credential never travels to a vendor (a recording proxy in front of every simulator sees each
// upstream request's headers); vendor credentials never reach a client. Logs are captured at trace level with no
// redaction, so the test does not lean on the logger's second line of defence.
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import { startSimulatorsFor, type SimulatedVendors } from '../../src/simulators/index.js';
import type { DotZeroSimulator, GenericMesSimulator, PitneyBowesSimulator } from '../../src/simulators/types.js';
import { createGateway, type Gateway } from '../../src/yoga.js';
import { testConfig } from '../helpers/gateway.js';

const SECRET = 'SuperSecret123';
const CLIENT_KEY = 'client-key-that-must-stay-home-0001';
const clients: GatewayClient[] = [
  {
    name: 'ui',
    apiKey: CLIENT_KEY,
    role: 'frontend',
    scopes: ['workorders:read', 'workorders:write'],
    rateLimitPerMinute: 100_000,
  },
];

interface Recorded {
  origin: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/** A pass-through HTTP proxy that writes down every request it forwards. */
async function recordingProxy(
  target: string,
  recorded: Recorded[],
): Promise<{ origin: string; close(): Promise<void> }> {
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    recorded.push({ origin: to.origin, method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers } });
    const upstream = httpRequest(
      {
        host: to.hostname,
        port: to.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: to.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let sims: SimulatedVendors;
let dotzero: DotZeroSimulator;
let gmes: GenericMesSimulator;
let pb: PitneyBowesSimulator;
const proxies: { close(): Promise<void> }[] = [];
const recorded: Recorded[] = [];
const gateways: Record<'production' | 'development', { gateway: Gateway; lines: string[] }> = {} as never;
/** Every response body the tests saw, to check vendor credentials against. */
const responses: string[] = [];

beforeAll(async () => {
  sims = await startSimulatorsFor({});
  dotzero = sims.simulators.DOTZERO as DotZeroSimulator;
  gmes = sims.simulators.GENERIC_MES as GenericMesSimulator;
  pb = sims.simulators.PITNEY_BOWES as PitneyBowesSimulator;
  const viaProxy = async (url: string) => {
    const u = new URL(url);
    const proxy = await recordingProxy(u.origin, recorded);
    proxies.push(proxy);
    return url.replace(u.origin, proxy.origin);
  };
  const s = sims.settings;
  const vendors = {
    DOTZERO: {
      ...s.DOTZERO,
      workOrderApiUrl: await viaProxy(s.DOTZERO.workOrderApiUrl),
      userApiUrl: await viaProxy(s.DOTZERO.userApiUrl),
    },
    GENERIC_MES: { ...s.GENERIC_MES, apiUrl: await viaProxy(s.GENERIC_MES.apiUrl) },
    PITNEY_BOWES: {
      ...s.PITNEY_BOWES,
      apiUrl: await viaProxy(s.PITNEY_BOWES.apiUrl),
      oauthUrl: await viaProxy(s.PITNEY_BOWES.oauthUrl),
    },
  };
  for (const mode of ['production', 'development'] as const) {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const config = testConfig({ clients, production: mode === 'production' });
    gateways[mode] = { gateway: createGateway({ config, vendors, simulated: sims.simulated, logger }), lines };
  }
});

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((g) => g.gateway.close()));
  await Promise.all(proxies.map((p) => p.close()));
  await sims?.close();
});

beforeEach(() => {
  for (const sim of [dotzero, gmes, pb]) sim.reset();
});

async function ask(
  mode: 'production' | 'development',
  query: string,
  headers: Record<string, string> = { 'x-api-key': CLIENT_KEY },
) {
  const res = await gateways[mode].gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  responses.push(text);
  return {
    status: res.status,
    text,
    body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] },
  };
}

const logsOf = (mode: 'production' | 'development') => gateways[mode].lines.join('');
const LIST = (vendor: string) => `{ workOrders(first: 5, filter: { vendors: [${vendor}] }) { edges { node { id } } } }`;
const SECRET_BODY = `{"error":{"code":"INTERNAL","message":"db password=${SECRET}"}}`;

describe.each(['production', 'development'] as const)('%s', (mode) => {
  it('a generic MES 500 whose body holds a secret: an UPSTREAM_ERROR naming the vendor, the secret nowhere', async () => {
    gmes.faults.status = 500;
    gmes.faults.statusBody = SECRET_BODY;
    const res = await ask(mode, LIST('GENERIC_MES'));
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      vendor: 'GENERIC_MES',
      upstreamStatus: 500,
      upstreamCode: 'INTERNAL',
    });
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain('password');
    expect(logsOf(mode)).not.toContain(SECRET);
  });

  it('the same as a one-shot fault (the answer the gateway may retry past)', async () => {
    gmes.faults.next = [{ status: 500, raw: SECRET_BODY, headers: { 'content-type': 'application/json' } }];
    const res = await ask(mode, LIST('GENERIC_MES'));
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(SECRET);
    expect(logsOf(mode)).not.toContain(SECRET);
  });

  it.each(['DOTZERO', 'PITNEY_BOWES'] as const)(
    'a %s 500 whose body holds a secret: the secret nowhere',
    async (vendor) => {
      const sim = vendor === 'DOTZERO' ? dotzero : pb;
      sim.faults.status = 500;
      sim.faults.statusBody = SECRET_BODY;
      const res = await ask(mode, LIST(vendor));
      expect(res.body.errors?.[0]?.extensions).toMatchObject({ vendor });
      expect(res.text).not.toContain(SECRET);
      expect(logsOf(mode)).not.toContain(SECRET);
    },
  );

  it("a vendor 401 that echoes the vendor's own key: the key reaches neither the client nor the logs", async () => {
    gmes.faults.status = 401;
    gmes.faults.statusBody = `{"error":{"code":"UNAUTHORIZED","message":"invalid key ${gmes.apiKey}"}}`;
    const res = await ask(mode, LIST('GENERIC_MES'));
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ vendor: 'GENERIC_MES' });
    expect(res.text).not.toContain(gmes.apiKey);
    expect(logsOf(mode)).not.toContain(gmes.apiKey);
  });

  it('an unexpected error inside execution is masked, with no detail', async () => {
    const client = gateways[mode].gateway.clients.DOTZERO;
    const original = client.listWarehouses;
    client.listWarehouses = async () => {
      throw new Error(`connection string postgres://admin:${SECRET}@db`);
    };
    try {
      const res = await ask(mode, '{ warehouses { id } }');
      expect(res.body.errors?.some((e) => e.message === 'Unexpected error.')).toBe(true);
      expect(res.text).not.toContain(SECRET);
    } finally {
      client.listWarehouses = original;
    }
  });
});

describe('credentials stay on their side', () => {
  it("the client's Authorization header and API key never reach a vendor; each vendor gets its own credentials", async () => {
    recorded.length = 0;
    const all = '{ workOrders(first: 30) { edges { node { id vendor product { name } } } } warehouses { id } }';
    for (const headers of [{ authorization: `Bearer ${CLIENT_KEY}` }, { 'x-api-key': CLIENT_KEY }] as Record<
      string,
      string
    >[]) {
      const res = await ask('production', all, headers);
      expect(res.body.errors).toBeUndefined();
    }
    const origins = new Set(recorded.map((r) => r.origin));
    expect(origins.size).toBeGreaterThanOrEqual(3);
    for (const r of recorded) {
      expect(JSON.stringify(r.headers)).not.toContain(CLIENT_KEY);
      expect(r.headers['x-api-key']).toBeUndefined();
    }
    const toGmes = recorded.filter((r) => r.path.startsWith('/api/v2/'));
    expect(toGmes.length).toBeGreaterThan(0);
    for (const r of toGmes) expect(r.headers.authorization).toBe(`Bearer ${gmes.apiKey}`);
  });

  it("neither the client's key nor a wrong key shows up in any log line, even at trace level", async () => {
    const wrong = `${CLIENT_KEY.slice(0, -4)}9999`;
    const refused = await ask('development', '{ vendors { vendor } }', { 'x-api-key': wrong });
    expect(refused.status).toBe(401);
    await ask('development', LIST('GENERIC_MES'), { authorization: `Bearer ${CLIENT_KEY}` });
    // The refusal was logged (so the capture works), without the key it refused.
    expect(gateways.development.lines.some((l) => l.includes('unauthenticated request'))).toBe(true);
    for (const mode of ['production', 'development'] as const) {
      expect(logsOf(mode)).not.toContain(CLIENT_KEY);
      expect(logsOf(mode)).not.toContain(wrong);
    }
  });

  it('no response ever carried a vendor credential', () => {
    const settings = sims.settings;
    const secrets = [
      settings.GENERIC_MES.apiKey,
      settings.PITNEY_BOWES.apiKey,
      settings.PITNEY_BOWES.apiSecret,
      settings.DOTZERO.token,
      settings.DOTZERO.refreshToken,
    ];
    expect(responses.length).toBeGreaterThan(10);
    for (const text of responses) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
