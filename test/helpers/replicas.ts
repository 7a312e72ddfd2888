// Gateway replicas as they run in production: each one a real HTTP server with the WebSocket endpoint on it,
// sharing one set of simulators (the vendors) and, when given, one Redis. Plus small SSE and WebSocket clients that
// collect what a subscriber receives.
import { createServer, type Server } from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { GatewayClient, GatewayConfig } from '../../src/config.js';
import { attachWebSockets } from '../../src/events/ws.js';
import { startSimulatorsFor, type SimulatedVendors } from '../../src/simulators/index.js';
import type { DotZeroSimulator, GenericMesSimulator, PitneyBowesSimulator } from '../../src/simulators/types.js';
import { startGateway, type Gateway } from '../../src/yoga.js';
import { silentLogger, testConfig, type GqlResponse } from './gateway.js';

export interface Replica {
  gateway: Gateway;
  origin: string;
  query<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<T>>;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Dies without a goodbye: its lease is not given back. */
  crash(): Promise<void>;
  close(): Promise<void>;
}

export interface Cluster {
  sims: SimulatedVendors;
  dotzero: DotZeroSimulator;
  gmes: GenericMesSimulator;
  pb: PitneyBowesSimulator;
  replicas: Replica[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

export async function startReplica(
  sims: SimulatedVendors,
  config: Partial<GatewayConfig>,
  options: { logger?: Gateway['logger'] } = {},
): Promise<Replica> {
  const gateway = await startGateway({
    config: testConfig({ pollIntervalMs: 0, ...config }),
    vendors: sims.settings,
    simulated: sims.simulated,
    logger: options.logger ?? silentLogger,
  });
  const server = createServer(gateway.yoga);
  const ws = attachWebSockets(server, gateway);
  const origin = await listen(server);
  let closed = false;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const shut = async (crash: boolean) => {
    if (closed) return;
    closed = true;
    if (crash) gateway.redis?.client.disconnect();
    await ws.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await gateway.close();
    await gateway.redis?.close();
  };
  return {
    gateway,
    origin,
    post,
    async query(query, variables, headers) {
      const res = await post({ query, ...(variables ? { variables } : {}) }, headers);
      return { status: res.status, headers: res.headers, body: (await res.json()) as GqlResponse<any>['body'] };
    },
    crash: () => shut(true),
    close: () => shut(false),
  };
}

export async function startCluster(
  n: number,
  config: Partial<GatewayConfig> & { clients?: GatewayClient[] } = {},
  options: { dotzeroExpired?: boolean; dotzeroConfigDir?: string; logger?: Gateway['logger'] } = {},
): Promise<Cluster> {
  const sims = await startSimulatorsFor({});
  if (options.dotzeroExpired) {
    // Every replica starts with a DotZero token it takes to be expired: the first call of each must refresh.
    const creds = sims.simulators.DOTZERO!.issueCredentials(60);
    sims.settings.DOTZERO = {
      ...sims.settings.DOTZERO,
      token: creds.token,
      refreshToken: creds.refreshToken,
      expiresAt: new Date(Date.now() - 1000),
      ...(options.dotzeroConfigDir ? { configDir: options.dotzeroConfigDir } : {}),
    };
  }
  const replicas: Replica[] = [];
  for (let i = 0; i < n; i++)
    replicas.push(await startReplica(sims, config, options.logger ? { logger: options.logger } : {}));
  return {
    sims,
    dotzero: sims.simulators.DOTZERO!,
    gmes: sims.simulators.GENERIC_MES!,
    pb: sims.simulators.PITNEY_BOWES!,
    replicas,
    async close() {
      await Promise.all(replicas.map((r) => r.close()));
      await sims.close();
    },
  };
}

/** What one subscriber received; `waitFor(n)` resolves once n results have come. */
export interface Collected {
  results: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] }[];
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

function collector(): Collected & {
  push(r: Collected['results'][number]): void;
  onClose(fn: () => void | Promise<void>): void;
} {
  const results: Collected['results'] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let closer: () => void | Promise<void> = () => undefined;
  return {
    results,
    push(r) {
      results.push(r);
      for (const w of [...waiters]) if (results.length >= w.n) w.resolve();
    },
    waitFor(n) {
      if (results.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    onClose(fn) {
      closer = fn;
    },
    async close() {
      await closer();
    },
  };
}

/**
 * What a browser's EventSource does with GET /graphql/stream: a GET with `Accept: text/event-stream` and nothing
 * else (no credential, no preflight header). Resolves with the HTTP status once the answer's head has come; a
 * refusal's JSON body is its one result.
 */
export async function ticketSubscribe(
  origin: string,
  params: Record<string, string | undefined>,
  headers: Record<string, string> = {},
): Promise<Collected & { status: number; contentType: string }> {
  const url = new URL('/graphql/stream', origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  const c = collector();
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  c.onClose(() => abort.abort());
  const contentType = res.headers.get('content-type') ?? '';
  if (!contentType.includes('text/event-stream')) {
    c.push((await res.json()) as Collected['results'][number]);
    return Object.assign(c, { status: res.status, contentType });
  }
  readEvents(res.body!, c);
  return Object.assign(c, { status: res.status, contentType });
}

function readEvents(body: ReadableStream<Uint8Array>, c: ReturnType<typeof collector>): void {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim());
          if (/^event: next/m.test(block) && data.length) c.push(JSON.parse(data.join('\n')));
        }
      }
    } catch {
      // aborted
    }
  })();
}

/** A GraphQL-over-SSE subscriber (yoga's built-in: POST with Accept: text/event-stream). Resolves once it is open. */
export async function sseSubscribe(
  origin: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Collected> {
  const c = collector();
  const abort = new AbortController();
  const res = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  c.onClose(() => abort.abort());
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    c.push((await res.json()) as Collected['results'][number]);
    return c;
  }
  readEvents(res.body!, c);
  // The subscription is registered when yoga has started the stream (its first bytes are sent at once).
  return c;
}

/** A graphql-ws subscriber; the credential goes in the connection parameters. Resolves once subscribed. */
export async function wsSubscribe(
  origin: string,
  query: string,
  variables: Record<string, unknown> = {},
  connectionParams: Record<string, string> = {},
): Promise<Collected> {
  const c = collector();
  const client = createClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
  });
  await new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('error', reject);
  });
  let dispose: () => void = () => undefined;
  dispose = client.subscribe(
    { query, variables },
    {
      next: (r) => c.push(r as never),
      error: (e) => c.push({ errors: Array.isArray(e) ? e : [{ message: String((e as Error)?.message ?? e) }] }),
      complete: () => undefined,
    },
  );
  c.onClose(async () => {
    dispose();
    await client.dispose();
  });
  return c;
}
