// The one way the gateway talks to a vendor: an undici Pool per origin (keep-alive, made once per process),
// timeouts, credentials from the vendor's auth, and every failure turned into an UpstreamError that carries no
// body, header or token. Reads may be retried; writes never are once they may have reached the vendor.
import type { SharedTokenStore } from './shared-token.js';
import type { ReadSharing, ShareTag } from './sharing.js';
import { Pool, errors as undiciErrors, type Dispatcher } from 'undici';
import { BrokenCircuitError, ExponentialBackoff, type IBackoff, type IBackoffFactory } from 'cockatiel';
import { UpstreamError } from '../domain/errors.js';
import type { Vendor } from '../domain/model.js';
import {
  SLOTS_FULL,
  VendorGuard,
  credentialFailures,
  localRefusals,
  resolvePolicy,
  type VendorGuards,
  type VendorPolicy,
} from './resilience.js';

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
  /**
   * Set by a vendor's client on a read whose answer may be shared across requests (sharing.ts), with what a write
   * makes it stale by. Only idempotent requests are ever shared.
   */
  share?: ShareTag;
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
  /** Whole-call deadline when no policy says otherwise. */
  timeoutMs?: number;
  observe?: CallObserver;
  breaker?: BreakerOptions;
  /** Vendor tokens shared by replicas (Redis); each process keeps its own when absent. */
  tokens?: SharedTokenStore;
  /**
   * The gateway's per-vendor guards (deadlines, bulkhead, breaker, retry budget, health), shared by every client
   * of a vendor. Without them each VendorHttp keeps its own, made from timeoutMs, breaker and policy.
   */
  guards?: VendorGuards;
  /** Policy settings over the defaults, when there are no guards (client tests). */
  policy?: Partial<VendorPolicy>;
  /** Reads shared across requests (in flight, cached), when the process turns that on. */
  sharing?: ReadSharing;
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
  private readonly guard: VendorGuard;
  private readonly policy: VendorPolicy;
  private readonly backoff: RetryAfterBackoff;

  constructor(options: HttpOptions) {
    this.options = options;
    this.vendor = options.vendor;
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/$/, '');
    // A client with an auth is a vendor's API and shares the vendor's guard: its bulkhead, breaker, budget and
    // health. One without is a credential endpoint, called from inside an API call that already holds a bulkhead
    // slot: it gets a guard of its own (same deadlines, no breaker), so a token call never waits for a slot that
    // its own caller holds, and a failed refresh reaches the breaker through the API call that needed it.
    const shared = options.guards && options.auth ? options.guards.for(options.vendor) : undefined;
    const policy = options.guards ? options.guards.policy(options.vendor) : resolvePolicy(options, options.policy);
    this.guard = shared ?? new VendorGuard(options.vendor, options.guards ? { ...policy, breakerFailures: 0 } : policy);
    this.policy = this.guard.policy;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? this.policy.maxConcurrent,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      // The deadlines that matter are ours (below, to the millisecond); undici's coarse timers are a backstop.
      headersTimeout: this.policy.headersTimeoutMs + 1_000,
      bodyTimeout: this.policy.bodyTimeoutMs + 1_000,
      connectTimeout: this.policy.connectTimeoutMs,
    });
    // Reads are retried on connection errors, 502/503/504, timeouts and short Retry-Afters, with exponential
    // backoff and jitter, at most `retries` times, only while the call's deadline leaves room, and only while the
    // vendor's retry budget allows (retries at most a fraction of recent calls: a failing vendor is not hit harder).
    // Not retried here: a credential step (a refresh token may be single-use; the auth decides), and refusals made
    // before sending (open circuit, full bulkhead), which an immediate retry would only meet again.
    // The loop is in `call` below (what cockatiel's retry policy did, without its per-call signal and result objects).
    this.backoff = new RetryAfterBackoff(this.policy);
  }

  /** Whether a failed read attempt is tried again (asked after every failed attempt, the last one included). */
  private retries(err: unknown): boolean {
    return (
      err instanceof UpstreamError &&
      retryable(err, this.policy) &&
      !credentialFailures.has(err) &&
      !localRefusals.has(err) &&
      this.guard.budget.canRetry()
    );
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    const sharing = this.options.sharing;
    if (req.share && req.idempotent && sharing?.active) {
      return sharing.read(this.vendor, this.options.baseUrl, req, req.share, () => this.call(req));
    }
    return this.call(req);
  }

  /**
   * One logical call: a read is tried again on what `retries` accepts, at most `policy.retries` times; a write is
   * sent once. The waits between attempts are cut to the deadline (see RetryAfterBackoff); an attempt that would
   * start after it is not made, and the last attempt's error stands. The retry loop and the breaker's refusal live
   * here, in the call's one async function, not in layers of their own (each was a promise and a microtask more on
   * every vendor call).
   */
  private async call(req: HttpRequest): Promise<HttpResponse> {
    const deadline = performance.now() + this.policy.timeoutMs;
    this.guard.budget.call();
    this.guard.stats.calls++;
    try {
      let last: unknown;
      let backoff: IBackoff<RetryContext> | undefined;
      for (let attempt = 0; ; attempt++) {
        let error: unknown;
        try {
          if (req.idempotent && performance.now() >= deadline) throw last ?? this.deadlineError(req, false);
          try {
            return await this.guarded(req, deadline);
          } catch (err) {
            last = err instanceof BrokenCircuitError ? this.circuitOpen() : err;
            throw last;
          }
        } catch (err) {
          if (!req.idempotent || !this.retries(err)) throw err;
          error = err;
        }
        if (attempt >= this.policy.retries) throw error;
        const context: RetryContext = { error, deadline };
        backoff = backoff ? backoff.next(context) : this.backoff.next(context);
        const wait = delay(backoff.duration);
        this.guard.budget.spend();
        this.guard.stats.retries++;
        await wait;
      }
    } catch (err) {
      if (err instanceof UpstreamError && err.vendor === this.vendor) {
        // A refusal of what was asked (404, 409, 422) is the vendor working: not a health problem.
        if (err.kind !== 'http' || (err.status ?? 0) >= 500) this.guard.stats.failed(err.kind, err.message);
        // A write that may have reached the vendor and got no clear answer: its outcome is unknown, and the
        // client is told so (extensions.outcome UNKNOWN) rather than left to guess.
        if (!req.idempotent && mayHaveActed(err)) err.outcome = 'UNKNOWN';
      }
      throw err;
    }
  }

  /** Breaker, then bulkhead (an open circuit refuses without queueing, as BrokenCircuitError), then the exchange. */
  private guarded(req: HttpRequest, deadline: number): Promise<HttpResponse> {
    const breaker = this.guard.breaker;
    if (!breaker) return this.slotted(req, deadline);
    return breaker.execute(() => this.slotted(req, deadline));
  }

  private circuitOpen(): UpstreamError {
    return refusal(
      new UpstreamError(
        this.vendor,
        'unavailable',
        `${this.vendor} is failing (${this.policy.breakerFailures} outages in a row): calls are refused for a while without being sent`,
        { notSent: true },
      ),
    );
  }

  /**
   * The exchange in a bulkhead slot: one taken at once when free, otherwise waited for (first come, first served)
   * no longer than the call's deadline, or refused unsent when the queue is full too.
   */
  private async slotted(req: HttpRequest, deadline: number): Promise<HttpResponse> {
    const guard = this.guard;
    const slots = guard.slots;
    if (!slots.tryTake()) {
      guard.queued++;
      try {
        await slots.wait(deadline);
      } catch (why) {
        if (why !== SLOTS_FULL) throw this.deadlineError(req, true);
        guard.stats.bulkheadRejections++;
        throw refusal(
          new UpstreamError(
            this.vendor,
            'unavailable',
            `${this.vendor} has too many calls in flight (${this.policy.maxConcurrent} running, ${this.policy.maxQueued} waiting): refused without being sent`,
            {
              notSent: true,
            },
          ),
        );
      } finally {
        guard.queued--;
      }
    }
    try {
      // A slot that frees as the deadline passes is not used: nothing would be left for the exchange.
      if (performance.now() >= deadline) throw this.deadlineError(req, true);
      guard.inFlight++;
      try {
        return await this.sendAuthorized(req, deadline);
      } finally {
        guard.inFlight--;
      }
    } finally {
      slots.release();
    }
  }

  private deadlineError(req: HttpRequest, waiting: boolean): UpstreamError {
    return refusal(
      new UpstreamError(
        this.vendor,
        'timeout',
        `${this.vendor} ${req.operation} did not get an answer within ${this.policy.timeoutMs} ms${waiting ? ' (waited for a free call slot)' : ''}`,
        { notSent: true },
      ),
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async sendAuthorized(req: HttpRequest, deadline: number): Promise<HttpResponse> {
    const auth = this.options.auth;
    let credential: string | undefined;
    if (auth !== undefined) {
      // credentialStep's marking, without its extra promise on every call.
      try {
        credential = await auth.authorization();
      } catch (err) {
        throw credentialFailure(err);
      }
    }
    const first = await this.send(req, credential, deadline);
    if (first.status !== 401 || !auth || credential === undefined) return this.check(req, first);
    // A 401 means the vendor did not act on the request, so even a write may be sent again once with a fresh
    // credential. Concurrent 401s share one refresh (the auth is single-flight).
    if (!(await credentialStep(auth.unauthorized(credential)))) return this.check(req, first);
    return this.check(req, await this.send(req, await credentialStep(auth.authorization()), deadline));
  }

  private async send(req: HttpRequest, credential: string | undefined, deadline: number): Promise<HttpResponse> {
    const options = this.options;
    const headers: Record<string, string> =
      req.headers === undefined && options.perAttemptHeaders === undefined
        ? { accept: 'application/json' }
        : { accept: 'application/json', ...req.headers, ...options.perAttemptHeaders?.(req) };
    if (credential !== undefined) headers.authorization = credential;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] ??= 'application/json';
    }
    const trace = options.traceHeader ? headers[options.traceHeader] : undefined;
    const started = performance.now();
    const remaining = Math.max(1, deadline - started);
    // Two deadlines per attempt, both within the call's: the headers must arrive in time, and the whole body too
    // (a body dripped a byte at a time never trips an idle timer, so this one counts from the start).
    const exchange = new Exchange(
      started,
      Math.min(this.policy.headersTimeoutMs, remaining),
      Math.min(this.policy.bodyTimeoutMs, remaining),
      this.policy.maxResponseBytes,
    );
    let text: string;
    try {
      text = await exchange.send(this.pool, {
        method: req.method,
        path: req.query === undefined ? this.basePath + req.path : this.basePath + req.path + queryString(req.query),
        headers,
        body,
      });
    } catch (err) {
      this.observe(req, 'error', started, trace);
      if (err instanceof BodyTooLarge) throw this.tooLarge(req, err.status, trace);
      throw err instanceof UpstreamError ? err : this.transportError(err, trace);
    }
    const status = exchange.status;
    const resHeaders = exchange.headers;
    this.observe(req, status, started, trace);
    let parsed: unknown = null;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        // A non-JSON error body is still an error with a status; a non-JSON success is garbage, unless the caller
        // expects text.
        if (status < 300 && req.acceptText) return response(status, resHeaders, text.trim(), trace);
        if (status < 300) {
          throw new UpstreamError(
            this.vendor,
            'bad_response',
            `${this.vendor} ${req.operation} answered a body that is not JSON${traced(this.options.traceHeader, trace)}`,
            {
              status,
            },
          );
        }
        parsed = text.length < 200 && /^[\x20-\x7e]*$/.test(text) && !text.includes('<') ? text : null;
      }
    }
    return response(status, resHeaders, parsed, trace);
  }

  /** A body past maxResponseBytes (its content is never put in an error or a log line). */
  private tooLarge(req: HttpRequest, status: number, trace: string | undefined): UpstreamError {
    return new UpstreamError(
      this.vendor,
      'bad_response',
      `${this.vendor} ${req.operation} answered a body over ${this.policy.maxResponseBytes} bytes: refused${traced(this.options.traceHeader, trace)}`,
      {
        status,
      },
    );
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
    const after = retryAfter(res.headers);
    // A Retry-After longer than we would wait is the vendor's answer to pass on: RATE_LIMITED with retryAfter.
    if (
      res.status === 429 ||
      (res.status === 503 && after !== undefined && after * 1000 > this.policy.retryAfterMaxMs)
    ) {
      return fail(new UpstreamError(this.vendor, 'rate_limited', message, { ...extra, retryAfterSeconds: after }));
    }
    if (res.status === 401) return fail(new UpstreamError(this.vendor, 'auth', message, extra));
    if (res.status === 502 || res.status === 503 || res.status === 504) {
      return fail(
        new UpstreamError(this.vendor, res.status === 504 ? 'timeout' : 'unavailable', message, {
          ...extra,
          ...(after !== undefined ? { retryAfterSeconds: after } : {}),
        }),
      );
    }
    return fail(new UpstreamError(this.vendor, 'http', message, extra));
  }

  private transportError(err: unknown, trace: string | undefined): UpstreamError {
    const where = traced(this.options.traceHeader, trace);
    const name = (err as { name?: string } | null)?.name;
    if (err instanceof DeadlineExceeded) {
      return new UpstreamError(
        this.vendor,
        'timeout',
        `${this.vendor} did not ${err.stage === 'headers' ? 'answer' : 'finish its answer'} in time${where}`,
      );
    }
    if (
      err instanceof undiciErrors.HeadersTimeoutError ||
      err instanceof undiciErrors.BodyTimeoutError ||
      name === 'TimeoutError' ||
      name === 'AbortError'
    ) {
      return new UpstreamError(this.vendor, 'timeout', `${this.vendor} did not answer in time${where}`);
    }
    // A connection not made within the connect budget is a deadline passed (UPSTREAM_TIMEOUT, an outage for the
    // breaker, retried on a read), but nothing was sent: a write that meets it did not reach the vendor.
    if (err instanceof undiciErrors.ConnectTimeoutError) {
      return new UpstreamError(
        this.vendor,
        'timeout',
        `${this.vendor} could not be reached within its connect deadline (${this.policy.connectTimeoutMs} ms)${where}`,
        { notSent: true },
      );
    }
    const code = (err as { code?: string } | null)?.code;
    // Only a connection that was never made proves the vendor saw nothing; a reset after sending does not.
    const notSent = code !== undefined && NOT_CONNECTED.has(code);
    return new UpstreamError(
      this.vendor,
      'unavailable',
      `${this.vendor} could not be reached${code ? ` (${code})` : ''}${where}`,
      { notSent },
    );
  }

  private observe(req: HttpRequest, status: number | 'error', started: number, trace?: string) {
    const ms = performance.now() - started;
    this.guard.stats.record(ms, status === 'error' || status >= 500);
    const observe = this.options.observe;
    if (observe === undefined) return;
    observe(
      trace
        ? { vendor: this.vendor, operation: req.operation, status, ms, trace }
        : { vendor: this.vendor, operation: req.operation, status, ms },
    );
  }
}

class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(readonly stage: 'headers' | 'body') {
    super(`deadline for the ${stage}`);
  }
}

/** An answer whose body passed maxResponseBytes; send() turns it into the UpstreamError naming the vendor. */
class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
  constructor(readonly status: number) {
    super('response body over the limit');
  }
}

/**
 * One attempt on the wire, as undici's dispatch handler: the body is gathered here as undici hands it over, with no
 * response stream, no async iteration and no async resource per answer (pool.request made all three, a visible share
 * of a many-call query's CPU). Its two deadlines run on one timer: first to the headers' deadline; if the headers are
 * in by then, on to the body's (both count from the attempt's start; the headers' is never the later one). A
 * deadline passed, or a body past the limit, aborts the request through undici's controller, which drops the
 * connection (the rest of the body is never read).
 */
class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  headers: HttpResponse['headers'] = {};
  private settled = false;
  private failure: Error | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private first: Buffer | undefined;
  private more: Buffer[] | undefined;
  private size = 0;
  private headersIn = false;
  private timer: NodeJS.Timeout | undefined;
  private resolve!: (text: string) => void;
  private reject!: (err: unknown) => void;

  constructor(
    private readonly started: number,
    private readonly headersMs: number,
    private readonly bodyMs: number,
    private readonly limit: number,
  ) {}

  /** Sends the request; resolves with the body as text (the status and headers are then on the exchange). */
  send(pool: Dispatcher, options: Dispatcher.DispatchOptions): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      // Node fires a timer once whole milliseconds have passed: rounding up changes no firing time.
      this.timer = setTimeout(Exchange.fire, Math.ceil(this.headersMs), this);
      pool.dispatch(options, this);
    });
  }

  private static fire(this: void, exchange: Exchange): void {
    exchange.timer = undefined;
    if (exchange.settled) return;
    if (!exchange.headersIn) return exchange.abort(new DeadlineExceeded('headers'));
    const rest = Math.ceil(exchange.started + exchange.bodyMs - performance.now());
    if (rest <= 0) return exchange.abort(new DeadlineExceeded('body'));
    exchange.timer = setTimeout(Exchange.fire, rest, exchange);
  }

  /** Fails the attempt now and stops the request: at once when it is on a connection, or as soon as it gets one. */
  private abort(reason: Error): void {
    const controller = this.controller;
    this.fail(reason);
    // Re-entrant: undici answers with onResponseError, which finds the attempt already settled.
    controller?.abort(reason);
  }

  private fail(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.failure = err;
    this.first = this.more = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.reject(err);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Failed while it waited for a connection (a deadline): nothing is written.
    if (this.settled) return controller.abort(this.failure ?? new Error('attempt over'));
    this.controller = controller;
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: HttpResponse['headers'],
  ): void {
    // An informational answer (1xx): the real one follows.
    if (statusCode < 200 || this.settled) return;
    this.status = statusCode;
    this.headers = headers;
    this.headersIn = true;
    // A declared length over the limit is refused before a byte of the body is read.
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > this.limit) this.tooLarge(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.limit) return this.tooLarge(controller);
    if (this.first === undefined) this.first = chunk;
    else (this.more ??= [this.first]).push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const first = this.first;
    const text =
      this.more !== undefined
        ? Buffer.concat(this.more, this.size).toString('utf8')
        : first !== undefined
          ? first.toString('utf8')
          : '';
    this.first = this.more = undefined;
    this.resolve(text);
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.fail(err);
  }

  private tooLarge(controller: Dispatcher.DispatchController): void {
    const err = new BodyTooLarge(this.status);
    this.fail(err);
    controller.abort(err);
  }
}

/** An HttpResponse, with the attempt's trace value only when it has one. */
function response(
  status: number,
  headers: HttpResponse['headers'],
  body: unknown,
  trace: string | undefined,
): HttpResponse {
  return trace ? { status, headers, body, trace } : { status, headers, body };
}

/** What a read is retried on: the vendor unreachable or overloaded, a timeout, or a short Retry-After. */
function retryable(err: UpstreamError, policy: VendorPolicy): boolean {
  if (err.kind === 'unavailable' || err.kind === 'timeout') return true;
  return (
    err.kind === 'rate_limited' &&
    err.retryAfterSeconds !== undefined &&
    err.retryAfterSeconds * 1000 <= policy.retryAfterMaxMs
  );
}

/** What the backoff of a read's next attempt is decided by: the failed attempt's error and the call's deadline. */
interface RetryContext {
  error: unknown;
  deadline: number;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A write failed this way may still have been carried out by the vendor. */
function mayHaveActed(err: UpstreamError): boolean {
  if (err.notSent) return false;
  // A success status with a body we cannot read: the vendor most likely acted.
  if (err.kind === 'bad_response') return err.status === undefined || (err.status >= 200 && err.status < 300);
  if (err.kind === 'timeout') return true;
  if (err.kind === 'unavailable') return err.status === undefined || err.status === 502;
  return false;
}

function refusal(err: UpstreamError): UpstreamError {
  localRefusals.add(err);
  return err;
}

/**
 * Exponential backoff with jitter (cockatiel's decorrelated jitter), except after an answer that said when to
 * come back (a short Retry-After, already capped by `check`): then that long.
 */
class RetryAfterBackoff implements IBackoffFactory<RetryContext> {
  private readonly exponential: ExponentialBackoff<unknown>;
  constructor(private readonly policy: VendorPolicy) {
    this.exponential = new ExponentialBackoff({
      initialDelay: policy.retryBackoffMs,
      maxDelay: policy.retryBackoffMaxMs,
    });
  }

  next(context: RetryContext): IBackoff<RetryContext> {
    return this.step((this.exponential as IBackoffFactory<unknown>).next(undefined), context);
  }

  private step(inner: IBackoff<unknown>, context: RetryContext): IBackoff<RetryContext> {
    const err = context.error;
    const after =
      err instanceof UpstreamError && err.retryAfterSeconds !== undefined
        ? Math.min(err.retryAfterSeconds * 1000, this.policy.retryAfterMaxMs)
        : undefined;
    const wanted = after ?? inner.duration;
    return {
      duration: Math.max(0, Math.min(wanted, context.deadline - performance.now())),
      next: (ctx: RetryContext) => this.step(inner.next(ctx), ctx),
    };
  }
}

const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A credential step's failure is marked as one (the read retry leaves it alone). */
function credentialStep<T>(step: Promise<T>): Promise<T> {
  return step.catch((err: unknown) => {
    throw credentialFailure(err);
  });
}

function credentialFailure(err: unknown): unknown {
  if (typeof err === 'object' && err !== null) credentialFailures.add(err);
  return err;
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

/** Keys and values URLSearchParams writes as they are (it encodes every other character). */
const AS_IS = /^[A-Za-z0-9*._-]*$/;

function queryString(query: HttpRequest['query']): string {
  if (!query) return '';
  // Most queries are numbers and plain words: written directly, the very text URLSearchParams would make.
  let s = '';
  for (const k of Object.keys(query)) {
    const v = query[k];
    if (v === undefined) continue;
    const text = String(v);
    if (!AS_IS.test(k) || !AS_IS.test(text)) return encodedQuery(query);
    s += s === '' ? `?${k}=${text}` : `&${k}=${text}`;
  }
  return s;
}

function encodedQuery(query: NonNullable<HttpRequest['query']>): string {
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
