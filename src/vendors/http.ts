// The one way the gateway talks to a vendor: an undici Pool per origin (keep-alive, made once per process),
// timeouts, credentials from the vendor's auth, and every failure turned into an UpstreamError that carries no
// body, header or token. Reads may be retried; writes never are once they may have reached the vendor.
import type { SharedTokenStore } from './shared-token.js';
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { BrokenCircuitError, ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, retry, type CircuitBreakerPolicy } from 'cockatiel';
import { UpstreamError } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';

export interface VendorAuth {
  /** The Authorization header value to send now (may refresh ahead of expiry). */
  authorization(): Promise<string>;
  /**
   * Called when the vendor answers 401 to a request sent with `rejected`. Resolves true when a new credential is
   * ready (the call is then sent once more), false when nothing better can be had.
   */
  unauthorized(rejected: string): Promise<boolean>;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the client's base URL, e.g. `/work-orders/wo-1` (already encoded). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Label for counters and logs, e.g. `listWorkOrders`. */
  operation: string;
  /** True when sending twice cannot change anything (reads, and searches that only read). */
  idempotent: boolean;
  /** A successful answer may be plain text (DotZero's token refresh may answer a bare JWT); it is passed on as a string. */
  acceptText?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or null for an empty body. */
  body: unknown;
  /** The value of the client's trace header on this attempt, if it has one. */
  trace?: string;
}

export interface CallObserver {
  (event: { vendor: Vendor; operation: string; status: number | 'error'; ms: number; trace?: string }): void;
}

export interface BreakerOptions {
  /** Consecutive outages (unreachable, timed out) that open the circuit. */
  failures: number;
  /** How long an open circuit fails calls at once before one call may try the vendor again. */
  cooldownMs: number;
}

/** How every vendor call is made, set once for the process: the same for each vendor's clients. */
export interface TransportOptions {
  timeoutMs?: number;
  observe?: CallObserver;
  breaker?: BreakerOptions;
  /** Vendor tokens shared by replicas (Redis); each process keeps its own when absent. */
  tokens?: SharedTokenStore;
}

export interface HttpOptions extends TransportOptions {
  vendor: Vendor;
  baseUrl: string;
  auth?: VendorAuth;
  connections?: number;
  /**
   * Extracts the vendor's error code, the input field it refused (in the gateway's input names) and a short reason
   * code from an error body; see each vendor's mapping. Each is kept only when it looks like a name (SAFE_CODE).
   */
  describeError?: (status: number, body: unknown) => { code?: string; field?: string; reason?: string };
  /**
   * Headers made anew for every attempt (Pitney Bowes wants a fresh X-PB-TransactionId on each request, and a
   * retried read is a new request).
   */
  perAttemptHeaders?: (req: HttpRequest) => Record<string, string>;
  /**
   * A request header that identifies the attempt to the vendor (Pitney Bowes' X-PB-TransactionId): it is not
   * secret, and putting it in errors and call events lets a failed call be traced with the vendor.
   */
  traceHeader?: string;
}

// What an error body may contribute to an UpstreamError: a name, not prose. Bodies may echo what was sent (tokens,
// keys), so anything else a describeError returns is dropped here as well, whatever the mapping checked.
const SAFE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

export class VendorHttp {
  readonly vendor: Vendor;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly options: HttpOptions;
  private readonly readRetry;
  private readonly breaker: CircuitBreakerPolicy | undefined;
  private readonly timeoutMs: number;

  constructor(options: HttpOptions) {
    this.options = options;
    this.vendor = options.vendor;
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/$/, '');
    const timeout = options.timeoutMs ?? 10_000;
    this.timeoutMs = timeout;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 32,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      connectTimeout: Math.min(timeout, 5_000),
    });
    // A read that found the vendor unreachable is tried once more a little later. Rate limits are not retried
    // here: the vendor said when to come back, and the caller is told (RATE_LIMITED with Retry-After).
    // A failure of the credential step itself (a token refresh) is not retried here: a refresh token may be
    // single-use, and the auth decides on its own whether to try again.
    this.readRetry = retry(
      handleWhen((err) => err instanceof UpstreamError && err.kind === 'unavailable' && !credentialFailures.has(err) && !openCircuits.has(err)),
      { maxAttempts: 1, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 400 }) },
    );
    // A vendor that keeps timing out would hold every request for the whole timeout: after a run of outages the
    // circuit opens and calls fail at once (UPSTREAM_UNAVAILABLE) until one call, after the cool-down, gets through.
    // Answers with a status (4xx, 5xx) do not count: the vendor is there.
    this.breaker = options.breaker
      ? circuitBreaker(
          handleWhen((err) => err instanceof UpstreamError && (err.kind === 'unavailable' || err.kind === 'timeout') && err.status === undefined),
          { halfOpenAfter: options.breaker.cooldownMs, breaker: new ConsecutiveBreaker(options.breaker.failures) },
        )
      : undefined;
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const once = () => this.guarded(req);
    return req.idempotent ? this.readRetry.execute(once) : once();
  }

  private async guarded(req: HttpRequest): Promise<HttpResponse> {
    if (!this.breaker) return this.sendAuthorized(req);
    try {
      return await this.breaker.execute(() => this.sendAuthorized(req));
    } catch (err) {
      if (!(err instanceof BrokenCircuitError)) throw err;
      const open = new UpstreamError(
        this.vendor,
        'unavailable',
        `${this.vendor} is failing (${this.options.breaker?.failures} outages in a row): calls are refused for a while without being sent`,
        { notSent: true },
      );
      openCircuits.add(open);
      throw open;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async sendAuthorized(req: HttpRequest): Promise<HttpResponse> {
    const auth = this.options.auth;
    const credential = auth ? await credentialStep(() => auth.authorization()) : undefined;
    const first = await this.send(req, credential);
    if (first.status !== 401 || !auth || credential === undefined) return this.check(req, first);
    // A 401 means the vendor did not act on the request, so even a write may be sent again once with a fresh
    // credential. Concurrent 401s share one refresh (the auth is single-flight).
    if (!(await credentialStep(() => auth.unauthorized(credential)))) return this.check(req, first);
    return this.check(req, await this.send(req, await credentialStep(() => auth.authorization())));
  }

  private async send(req: HttpRequest, credential: string | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(req.headers ?? {}),
      ...(this.options.perAttemptHeaders?.(req) ?? {}),
    };
    if (credential !== undefined) headers.authorization = credential;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json';
    }
    const trace = this.options.traceHeader ? headers[this.options.traceHeader] : undefined;
    const started = performance.now();
    let res: Dispatcher.ResponseData;
    try {
      res = await this.pool.request({
        method: req.method,
        path: this.basePath + req.path + queryString(req.query),
        headers,
        body,
        // undici's own header/body timers tick coarsely (about a second); this deadline holds to the millisecond
        // and covers the whole exchange, body included.
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      this.observe(req, 'error', started, trace);
      throw this.transportError(err, trace);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      this.observe(req, 'error', started, trace);
      throw this.transportError(err, trace);
    }
    this.observe(req, res.statusCode, started, trace);
    let parsed: unknown = null;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // A non-JSON error body is still an error with a status; a non-JSON success is garbage, unless the caller
        // expects text.
        if (res.statusCode < 300 && req.acceptText) return { status: res.statusCode, headers: res.headers, body: text.trim(), ...(trace ? { trace } : {}) };
        if (res.statusCode < 300) {
          throw new UpstreamError(this.vendor, 'bad_response', `${this.vendor} answered a body that is not JSON${traced(this.options.traceHeader, trace)}`, {
            status: res.statusCode,
          });
        }
        parsed = text.length < 200 && /^[\x20-\x7e]*$/.test(text) && !text.includes('<') ? text : null;
      }
    }
    return { status: res.statusCode, headers: res.headers, body: parsed, ...(trace ? { trace } : {}) };
  }

  /** Turns a non-2xx answer into an UpstreamError. */
  private check(req: HttpRequest, res: HttpResponse): HttpResponse {
    if (res.status >= 200 && res.status < 300) return res;
    const described = this.options.describeError?.(res.status, res.body) ?? {};
    const code = safeName(described.code);
    const field = safeName(described.field);
    const reason = safeName(described.reason);
    // The message is for logs and stays in its one format; clients read `field` and `reason` from the error itself.
    const message = `${this.vendor} ${req.operation} failed: HTTP ${res.status}${code ? ` ${code}` : ''}${reason ? ` (${reason})` : ''}${traced(this.options.traceHeader, res.trace)}`;
    const extra = {
      status: res.status,
      code,
      ...(field !== undefined ? { field } : {}),
      ...(reason !== undefined ? { reason } : {}),
    };
    if (res.status === 429) {
      return fail(new UpstreamError(this.vendor, 'rate_limited', message, { ...extra, retryAfterSeconds: retryAfter(res.headers) }));
    }
    if (res.status === 401) return fail(new UpstreamError(this.vendor, 'auth', message, extra));
    if (res.status === 502 || res.status === 503 || res.status === 504) {
      return fail(new UpstreamError(this.vendor, res.status === 504 ? 'timeout' : 'unavailable', message, extra));
    }
    return fail(new UpstreamError(this.vendor, 'http', message, extra));
  }

  private transportError(err: unknown, trace: string | undefined): UpstreamError {
    const where = traced(this.options.traceHeader, trace);
    const name = (err as { name?: string } | null)?.name;
    if (
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError ||
      name === 'TimeoutError' ||
      name === 'AbortError'
    ) {
      return new UpstreamError(this.vendor, 'timeout', `${this.vendor} did not answer in time${where}`);
    }
    if (err instanceof undiciErrors.ConnectTimeoutError) {
      return new UpstreamError(this.vendor, 'unavailable', `${this.vendor} could not be reached (connect timeout)${where}`, { notSent: true });
    }
    const code = (err as { code?: string } | null)?.code;
    // Only a connection that was never made proves the vendor saw nothing; a reset after sending does not.
    const notSent = code !== undefined && NOT_CONNECTED.has(code);
    return new UpstreamError(this.vendor, 'unavailable', `${this.vendor} could not be reached${code ? ` (${code})` : ''}${where}`, { notSent });
  }

  private observe(req: HttpRequest, status: number | 'error', started: number, trace?: string) {
    this.options.observe?.({ vendor: this.vendor, operation: req.operation, status, ms: performance.now() - started, ...(trace ? { trace } : {}) });
  }
}

const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Refusals of an open circuit: nothing was sent, and an immediate retry would only be refused again. */
const openCircuits = new WeakSet<object>();

/** Errors of the credential step (a token call), which the read retry leaves alone. */
const credentialFailures = new WeakSet<object>();

async function credentialStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (typeof err === 'object' && err !== null) credentialFailures.add(err);
    throw err;
  }
}

function traced(header: string | undefined, value: string | undefined): string {
  return header && value ? ` [${header} ${value}]` : '';
}

function safeName(value: string | undefined): string | undefined {
  return value !== undefined && SAFE_CODE.test(value) ? value : undefined;
}

function fail(err: UpstreamError): never {
  throw err;
}

function queryString(query: HttpRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

function retryAfter(headers: HttpResponse['headers']): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Runs `fn` at most once at a time: callers that arrive while it runs share its result (single flight). */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= fn().finally(() => {
      running = undefined;
    });
    return running;
  };
}
