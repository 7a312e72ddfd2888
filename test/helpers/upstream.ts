// A tiny recording HTTP upstream for client unit tests: a node:http server on 127.0.0.1:0 that records every request
// and answers whatever the test's handler says. Not src/simulators: those are an independent reading of the vendor
// documents and are tested on their own.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** All the upstream saw of one request. A `record` function turns it into what a test keeps and asserts on. */
export interface UpstreamRequest {
  method: string;
  path: string;
  searchParams: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body as received (utf-8). */
  text: string;
  /** The body parsed as JSON; undefined when it is empty or not JSON. */
  json: unknown;
}

/** What an upstream records by default. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  /** The JSON body; null when there is none. */
  body: unknown;
}

export function recordRequest(req: UpstreamRequest): RecordedRequest {
  return {
    method: req.method,
    path: req.path,
    query: Object.fromEntries(req.searchParams),
    authorization: req.headers.authorization,
    body: req.json ?? null,
  };
}

export interface Reply {
  /** Default 200. */
  status?: number;
  /** Sent as JSON (content-type application/json); no body when undefined. */
  body?: unknown;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Wait this long before answering (the request counts as in flight meanwhile). */
  delayMs?: number;
}

export type Handler<R = RecordedRequest> = (req: R) => Reply | Promise<Reply>;

export interface Upstream<R = RecordedRequest> {
  /** http://127.0.0.1:PORT, no trailing slash. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly requests: R[];
  /** Answers each request; assign to change the answers mid-test. */
  handler: Handler<R>;
  /** Requests received and not yet answered. */
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly maxInFlight: number;
  /** Stops the server, cutting open connections. */
  close(): Promise<void>;
}

export interface UpstreamOptions<R> {
  /** How to record a request (and what the handler is given). Default: recordRequest. */
  record: (req: UpstreamRequest) => R;
}

export function startUpstream(handler: Handler<RecordedRequest>): Promise<Upstream<RecordedRequest>>;
export function startUpstream<R>(handler: Handler<R>, options: UpstreamOptions<R>): Promise<Upstream<R>>;
export async function startUpstream<R>(handler: Handler<R>, options?: UpstreamOptions<R>): Promise<Upstream<R>> {
  const record = options?.record ?? (recordRequest as unknown as (req: UpstreamRequest) => R);
  const requests: R[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded = record({
        method: req.method ?? '',
        path: url.pathname,
        searchParams: url.searchParams,
        headers: req.headers,
        text,
        json: parseJson(text),
      });
      requests.push(recorded);
      const reply = await upstream.handler(recorded);
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      inFlight--;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const upstream: Upstream<R> = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    handler,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return upstream;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
