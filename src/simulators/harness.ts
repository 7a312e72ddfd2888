// A small HTTP harness shared by the three vendor simulators (never by the gateway's clients): routing with path
// parameters, JSON bodies, per-route request counters and fault knobs, so each simulator only states its vendor's
// routes and rules. Simulators listen on loopback on a free port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Raw body text ('' when none). */
  rawBody: string;
  /** Parsed JSON body; undefined when the body is empty; throws a 400 when the body is not JSON (see jsonBody). */
  json(): unknown;
}

export interface SimResponse {
  status: number;
  /** Serialized as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface Route {
  method: string;
  /** Pattern like `/v1/workOrders/:id`; the route's counter key is `${method} ${pattern}`. */
  pattern: string;
  handler: Handler;
}

/**
 * Fault knobs, read on every request. Tests set them (programmatically, or over the loopback-only admin route
 * `/__sim/faults`) and `reset()` clears them. The order a request meets them: resetBeforeBody, latency, hang,
 * reset, burst429, status, garbage, next, then the route handler, then hangAfterHandler / resetAfterHandler, then
 * the answer's body faults (body, drip).
 */
export interface Faults {
  /** Only requests whose counter key (`METHOD /pattern`) is in this list meet the faults; default: every request. */
  only?: string[];
  /** Answer with this status (e.g. 503) and a plain error body. */
  status?: number;
  /** Body to send with `status` (default: a small JSON error). */
  statusBody?: string;
  /** Headers to send with `status` (e.g. `{ "retry-after": "1" }`). */
  statusHeaders?: Record<string, string>;
  /** With `status`: the share of requests that get it, 0..1 (default 1: all). */
  errorRate?: number;
  /** The next `count` requests answer 429 with `Retry-After: retryAfterSeconds`. */
  burst429?: { count: number; retryAfterSeconds: number };
  /** Answer 200 with a body that is not JSON (an HTML error page). */
  garbage?: boolean;
  /** Cut the connection as soon as the request arrives, before its body is read. Nothing was done. */
  resetBeforeBody?: boolean;
  /** Cut the connection after the body is read, before the request is handled. Nothing was done. */
  reset?: boolean;
  /** Handle the request (a write is carried out), then cut the connection instead of answering. */
  resetAfterHandler?: boolean;
  /** Never answer (the connection stays open until the client gives up). Nothing is done. */
  hang?: boolean;
  /** Handle the request (a write is carried out), then never answer. */
  hangAfterHandler?: boolean;
  /** Delay every answer by this many milliseconds... */
  latencyMs?: number;
  /** ...plus a random 0..latencyJitterMs more. */
  latencyJitterMs?: number;
  /**
   * Spoil a successful (2xx) answer's body: `truncate` (cut in half), `html` (an HTML page), `huge` (a 10 MB JSON
   * body), `deep` (JSON nested 10,000 deep), `wrongTypes` (every string a number and every number a string),
   * `unknownStatus` (every `status` field an undocumented value).
   */
  body?: 'truncate' | 'html' | 'huge' | 'deep' | 'wrongTypes' | 'unknownStatus';
  /** Send the answer's body `chunkBytes` at a time, one chunk every `intervalMs`. */
  drip?: { chunkBytes: number; intervalMs: number };
  /** One-shot answers, used before normal handling: each request takes the first. */
  next?: SimResponse[];
  /** Answer every request to one route (`METHOD /pattern`, as counted) with this status: one endpoint down. */
  routeStatus?: Record<string, number>;
}

/** What the admin route may set: everything but `next` (whole responses are for programmatic use). */
const FAULT_KEYS: readonly (keyof Faults)[] = [
  'only',
  'status',
  'statusBody',
  'statusHeaders',
  'errorRate',
  'burst429',
  'garbage',
  'resetBeforeBody',
  'reset',
  'resetAfterHandler',
  'hang',
  'hangAfterHandler',
  'latencyMs',
  'latencyJitterMs',
  'body',
  'drip',
  'next',
  'routeStatus',
];

export interface SimServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Requests served, by `METHOD /pattern` (unmatched requests count under `METHOD <unmatched>`). */
  counts(): Record<string, number>;
  /** Count for one route key, 0 when never called. */
  count(key: string): number;
  /** All requests served. */
  total(): number;
  resetCounts(): void;
  faults: Faults;
  /** Requests the faults acted on, by fault name (e.g. `hang`, `status:503`, `body:truncate`). */
  faultCounts(): Record<string, number>;
  /**
   * Called for every request other than GET that the route handler carried out (2xx), whether or not its answer
   * then reached the client: the ground truth of what happened, for the soak's reconciliation.
   */
  onHandled: ((key: string, rawBody: string, status: number, path: string) => void) | undefined;
  /**
   * Resolves once no request is being handled: a test that gave up on a slowed request waits for it here, rather
   * than for a guessed time, before the next test's counts and rate limits start.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export class SimHttpError extends Error {
  constructor(readonly response: SimResponse) {
    super(`simulated ${response.status}`);
  }
}

function compile(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  // A trailing slash is optional, as the vendors' own examples use both `/v1/workOrders` and `/v1/workOrders/`.
  return { regex: new RegExp(`^${source.replace(/\/$/, '')}/?$`), names };
}

export async function startSimServer(
  routes: Route[],
  options: {
    port?: number;
    name: string;
    notFound?: (req: SimRequest) => SimResponse;
    /** Named actions the admin route may run (`POST /__sim/actions/:name`), e.g. revoking tokens. */
    actions?: Record<string, () => void>;
  } = { name: 'sim' },
): Promise<SimServer> {
  const compiled = routes.map((r) => ({ ...r, ...compile(r.pattern), key: `${r.method} ${r.pattern}` }));
  const counters = new Map<string, number>();
  const faults: Faults = {};
  const sockets = new Set<Socket>();

  const bump = (key: string) => counters.set(key, (counters.get(key) ?? 0) + 1);

  const applied = new Map<string, number>();
  const mark = (fault: string) => applied.set(fault, (applied.get(fault) ?? 0) + 1);

  const send = async (res: ServerResponse, out: SimResponse, spoil = false) => {
    const headers: Record<string, string> = { ...(out.headers ?? {}) };
    let payload: string | Buffer = '';
    if (out.raw !== undefined) payload = out.raw;
    else if (out.body !== undefined) {
      payload = JSON.stringify(out.body);
      headers['content-type'] ??= 'application/json';
    }
    if (spoil && faults.body && out.status >= 200 && out.status < 300) {
      mark(`body:${faults.body}`);
      // The 10 MB body is one shared Buffer: converting 10 MB per answer would grow the process's memory (this
      // runs inside the gateway's process in tests and the soak) and measure the simulator, not the gateway.
      payload =
        faults.body === 'huge' ? (HUGE_BUFFER ??= Buffer.from(spoilBody('huge', ''))) : spoilBody(faults.body, payload);
    }
    if (spoil && faults.drip) {
      mark('drip');
      const { chunkBytes, intervalMs } = faults.drip;
      const bytes = Buffer.from(payload);
      res.writeHead(out.status, { ...headers, 'content-length': String(bytes.length) });
      for (let i = 0; i < bytes.length && !res.destroyed; i += Math.max(1, chunkBytes)) {
        res.write(bytes.subarray(i, i + Math.max(1, chunkBytes)));
        await sleep(intervalMs);
      }
      res.end();
      return;
    }
    res.writeHead(out.status, headers);
    res.end(payload);
  };

  /** The faults apply to this request: all when `only` is not set. */
  const targeted = (key: string) => !faults.only || faults.only.includes(key);

  const admin = (req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // The simulators listen on loopback only; this refuses anything else should one ever be bound wider.
    if (!isLoopback(req.socket.remoteAddress)) return reply(403, { error: 'admin route is loopback-only' });
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname === '/__sim/faults') {
      if (method === 'GET') return reply(200, { faults, applied: Object.fromEntries(applied) });
      if (method === 'DELETE') {
        clearFaults(faults);
        return reply(200, { faults });
      }
      if (method === 'PUT' || method === 'PATCH') {
        let given: unknown;
        try {
          given = JSON.parse(rawBody || '{}');
        } catch {
          return reply(400, { error: 'body is not JSON' });
        }
        if (typeof given !== 'object' || given === null || Array.isArray(given))
          return reply(400, { error: 'body must be an object of faults' });
        const unknown = Object.keys(given).filter((k) => !FAULT_KEYS.includes(k as keyof Faults));
        if (unknown.length > 0) return reply(400, { error: `unknown faults: ${unknown.join(', ')}` });
        if (method === 'PUT') clearFaults(faults);
        Object.assign(faults, given);
        return reply(200, { faults });
      }
    }
    if (url.pathname === '/__sim/counts' && method === 'GET')
      return reply(200, { counts: Object.fromEntries(counters) });
    const action = /^\/__sim\/actions\/([a-z-]+)$/.exec(url.pathname);
    if (action && method === 'POST') {
      const run = options.actions?.[action[1]!];
      if (!run)
        return reply(404, {
          error: `no action ${action[1]}; there are: ${Object.keys(options.actions ?? {}).join(', ') || 'none'}`,
        });
      run();
      return reply(200, { done: action[1] });
    }
    return reply(404, { error: 'no such admin route' });
  };

  const hung = new Set<ServerResponse>();
  const sim = { onHandled: undefined as SimServer['onHandled'] };
  let handling = 0;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const method = (req.method ?? 'GET').toUpperCase();
    let route: (typeof compiled)[number] | undefined;
    let params: Record<string, string> = {};
    for (const r of compiled) {
      if (r.method !== method) continue;
      const m = r.regex.exec(url.pathname);
      if (!m) continue;
      route = r;
      params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')]));
      break;
    }
    const key = route ? route.key : `${method} <unmatched>`;
    const isAdmin = url.pathname.startsWith('/__sim/');
    const faulty = !isAdmin && targeted(key);
    if (faulty && faults.resetBeforeBody) {
      bump(key);
      mark('resetBeforeBody');
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        if (isAdmin) return admin(req, res, url, rawBody);
        handling++;
        try {
          await handle(rawBody);
        } finally {
          handling--;
        }
      })();
    });
    const handle = async (rawBody: string) => {
      bump(key);
      const simReq: SimRequest = {
        method,
        path: url.pathname,
        params,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        json() {
          if (rawBody.trim() === '') return undefined;
          try {
            return JSON.parse(rawBody);
          } catch {
            throw new SimHttpError({
              status: 400,
              body: { error: { code: 'BAD_REQUEST', message: 'Body is not JSON' } },
            });
          }
        },
      };
      if (faulty) {
        const delay = (faults.latencyMs ?? 0) + (faults.latencyJitterMs ? Math.random() * faults.latencyJitterMs : 0);
        if (delay > 0) await sleep(delay);
        if (faults.hang) {
          mark('hang');
          hung.add(res);
          res.on('close', () => hung.delete(res));
          return;
        }
        if (faults.reset) {
          mark('reset');
          req.socket.destroy();
          return;
        }
        if (faults.burst429 && faults.burst429.count > 0) {
          faults.burst429.count--;
          mark('burst429');
          await send(res, {
            status: 429,
            body: { error: { code: 'RATE_LIMITED', message: 'Too many requests' } },
            headers: { 'retry-after': String(faults.burst429.retryAfterSeconds) },
          });
          return;
        }
        if (faults.status && (faults.errorRate === undefined || Math.random() < faults.errorRate)) {
          mark(`status:${faults.status}`);
          await send(res, {
            status: faults.status,
            raw: faults.statusBody ?? '{"error":"simulated fault"}',
            headers: { 'content-type': 'application/json', ...(faults.statusHeaders ?? {}) },
          });
          return;
        }
        const routeStatus = route ? faults.routeStatus?.[route.key] : undefined;
        if (routeStatus) {
          mark(`routeStatus:${routeStatus}`);
          await send(res, {
            status: routeStatus,
            raw: '{"error":"simulated fault"}',
            headers: { 'content-type': 'application/json' },
          });
          return;
        }
        if (faults.garbage) {
          mark('garbage');
          await send(res, {
            status: 200,
            raw: '<html>502 Bad Gateway</html> not json',
            headers: { 'content-type': 'application/json' },
          });
          return;
        }
        const queued = faults.next?.shift();
        if (queued) {
          await send(res, queued);
          return;
        }
      }
      let out: SimResponse;
      try {
        out = route
          ? await route.handler(simReq)
          : (options.notFound?.(simReq) ?? {
              status: 404,
              body: { error: { code: 'NOT_FOUND', message: 'No such route' } },
            });
      } catch (err) {
        out =
          err instanceof SimHttpError
            ? err.response
            : { status: 500, body: { error: { code: 'INTERNAL', message: 'simulator failure' } } };
      }
      if (method !== 'GET' && out.status >= 200 && out.status < 300)
        sim.onHandled?.(key, rawBody, out.status, url.pathname);
      if (faulty && faults.hangAfterHandler) {
        mark('hangAfterHandler');
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      }
      if (faulty && faults.resetAfterHandler) {
        mark('resetAfterHandler');
        req.socket.destroy();
        return;
      }
      await send(res, out, faulty);
    };
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    counts: () => Object.fromEntries(counters),
    count: (key) => counters.get(key) ?? 0,
    total: () => [...counters.values()].reduce((a, b) => a + b, 0),
    resetCounts: () => {
      counters.clear();
      applied.clear();
    },
    faults,
    faultCounts: () => Object.fromEntries(applied),
    get onHandled() {
      return sim.onHandled;
    },
    set onHandled(fn) {
      sim.onHandled = fn;
    },
    async settled() {
      while (handling > 0) await sleep(10);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hung) r.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so seeded data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clears every fault knob in place (the object is shared with the server). */
export function clearFaults(faults: Faults): void {
  for (const k of Object.keys(faults) as (keyof Faults)[]) delete faults[k];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

let HUGE: string | undefined;
let HUGE_BUFFER: Buffer | undefined;

/** A successful body made into what a misbehaving vendor might send instead. */
export function spoilBody(kind: NonNullable<Faults['body']>, payload: string): string {
  switch (kind) {
    case 'truncate':
      return payload.slice(0, Math.floor(payload.length / 2));
    case 'html':
      return '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>';
    case 'huge':
      return (HUGE ??= JSON.stringify({ data: 'x'.repeat(10 * 1024 * 1024) }));
    case 'deep':
      return '['.repeat(10_000) + ']'.repeat(10_000);
    case 'wrongTypes':
    case 'unknownStatus': {
      let value: unknown;
      try {
        value = JSON.parse(payload);
      } catch {
        return payload;
      }
      return JSON.stringify(kind === 'wrongTypes' ? swapTypes(value) : unknownStatuses(value));
    }
  }
}

function swapTypes(value: unknown): unknown {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(swapTypes);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swapTypes(v)]));
  return value;
}

function unknownStatuses(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unknownStatuses);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        /^(status|workOrderStatus|state)$/i.test(k) && (typeof v === 'string' || typeof v === 'number')
          ? 'ZZ_UNDOCUMENTED'
          : unknownStatuses(v),
      ]),
    );
  }
  return value;
}
