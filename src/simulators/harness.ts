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

/** Fault knobs, read on every request. Tests set them and `reset()` clears them. */
export interface Faults {
  /** Answer every request with this status (e.g. 503) and a plain error body. */
  status?: number;
  /** Body to send with `status` (default: a small JSON error). */
  statusBody?: string;
  /** Answer 200 with a body that is not JSON. */
  garbage?: boolean;
  /** Destroy the socket without answering. */
  reset?: boolean;
  /** Delay every answer by this many milliseconds. */
  latencyMs?: number;
  /** One-shot answers, used before normal handling: each request takes the first. */
  next?: SimResponse[];
  /** Answer every request to one route (`METHOD /pattern`, as counted) with this status: one endpoint down. */
  routeStatus?: Record<string, number>;
}

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
  options: { port?: number; name: string; notFound?: (req: SimRequest) => SimResponse } = { name: 'sim' },
): Promise<SimServer> {
  const compiled = routes.map((r) => ({ ...r, ...compile(r.pattern), key: `${r.method} ${r.pattern}` }));
  const counters = new Map<string, number>();
  const faults: Faults = {};
  const sockets = new Set<Socket>();

  const bump = (key: string) => counters.set(key, (counters.get(key) ?? 0) + 1);

  const send = (res: ServerResponse, out: SimResponse) => {
    const headers: Record<string, string> = { ...(out.headers ?? {}) };
    let payload = '';
    if (out.raw !== undefined) payload = out.raw;
    else if (out.body !== undefined) {
      payload = JSON.stringify(out.body);
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(out.status, headers);
    res.end(payload);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://sim.local');
        const method = (req.method ?? 'GET').toUpperCase();
        const rawBody = Buffer.concat(chunks).toString('utf8');
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
        bump(route ? route.key : `${method} <unmatched>`);
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
              throw new SimHttpError({ status: 400, body: { error: { code: 'BAD_REQUEST', message: 'Body is not JSON' } } });
            }
          },
        };
        if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
        if (faults.reset) {
          req.socket.destroy();
          return;
        }
        if (faults.status) {
          send(res, { status: faults.status, raw: faults.statusBody ?? '{"error":"simulated fault"}', headers: { 'content-type': 'application/json' } });
          return;
        }
        const routeStatus = route ? faults.routeStatus?.[route.key] : undefined;
        if (routeStatus) {
          send(res, { status: routeStatus, raw: '{"error":"simulated fault"}', headers: { 'content-type': 'application/json' } });
          return;
        }
        if (faults.garbage) {
          send(res, { status: 200, raw: '<html>502 Bad Gateway</html> not json', headers: { 'content-type': 'application/json' } });
          return;
        }
        const queued = faults.next?.shift();
        if (queued) {
          send(res, queued);
          return;
        }
        try {
          const out = route
            ? await route.handler(simReq)
            : (options.notFound?.(simReq) ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No such route' } } });
          send(res, out);
        } catch (err) {
          if (err instanceof SimHttpError) send(res, err.response);
          else send(res, { status: 500, body: { error: { code: 'INTERNAL', message: 'simulator failure' } } });
        }
      })();
    });
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
    resetCounts: () => counters.clear(),
    faults,
    close: () =>
      new Promise<void>((resolve) => {
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
