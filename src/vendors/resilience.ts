// Per-vendor protection shared by every call the gateway makes to one vendor: its deadlines, a bulkhead (at most N
// calls in flight and a bounded queue), a circuit breaker, a retry budget for reads, and the health figures
// (latency, error rate, last error) that `vendors { health }`, /metrics and /ready read. One VendorGuard per vendor
// per gateway, so a slow or failing vendor uses up only its own slots and budget, never another vendor's.
import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { UpstreamError } from '../domain/errors.js';
import { VENDORS, type Vendor } from '../domain/model.js';
import type { VendorHealth } from '../domain/health.js';

/** How one vendor is called. Every value comes from configuration (src/config.ts), per vendor where they differ. */
export interface VendorPolicy {
  /** Whole logical call: queue wait, every attempt and the waits between them. */
  timeoutMs: number;
  /** Opening a TCP (and TLS) connection. */
  connectTimeoutMs: number;
  /** One attempt, from sending to the response headers. */
  headersTimeoutMs: number;
  /** One attempt, from sending to the last byte of the body (a slowly dripping body ends here). */
  bodyTimeoutMs: number;
  /** Retries of a read after its first attempt (0: none). Writes are never retried once they may have been sent. */
  retries: number;
  /** First backoff between read attempts; later ones grow exponentially, with jitter, up to retryBackoffMaxMs. */
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
  /** Retries allowed as a fraction of the calls of the last RETRY_WINDOW_MS (0.1 = 10%). */
  retryBudgetRatio: number;
  /** Retries always allowed per window, so a quiet vendor's rare blip is still retried. */
  retryBudgetMin: number;
  /** A Retry-After (429/503) up to this long is waited out on a read; a longer one answers RATE_LIMITED. */
  retryAfterMaxMs: number;
  /** Bulkhead: calls in flight to this vendor at once (also the connection pool's size). */
  maxConcurrent: number;
  /** Bulkhead: calls that may wait for a slot; more are refused at once (UPSTREAM_UNAVAILABLE). */
  maxQueued: number;
  /** A response body longer than this is cut off and refused (UPSTREAM_ERROR), never parsed. */
  maxResponseBytes: number;
  /** Outages in a row (unreachable, timed out) that open the circuit; 0: no breaker. */
  breakerFailures: number;
  /** How long an open circuit refuses calls before one may try the vendor again. */
  breakerCooldownMs: number;
}

export const DEFAULT_POLICY: VendorPolicy = {
  timeoutMs: 10_000,
  connectTimeoutMs: 3_000,
  headersTimeoutMs: 8_000,
  bodyTimeoutMs: 10_000,
  retries: 1,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 2_000,
  retryBudgetRatio: 0.2,
  retryBudgetMin: 5,
  retryAfterMaxMs: 2_000,
  maxConcurrent: 32,
  // One W2-like query (a list with its relations) makes ~54 calls: 256 waiting admitted five such queries at once and
  // refused the sixth. A waiting call costs a closure, not a socket, and waits no longer than its deadline.
  maxQueued: 4096,
  maxResponseBytes: 5_000_000,
  breakerFailures: 5,
  breakerCooldownMs: 10_000,
};

/**
 * A policy from the older, coarser settings (one timeout for the process, an optional breaker) and whatever is set
 * more precisely. The per-attempt deadlines never exceed the whole call's.
 */
export function resolvePolicy(
  base: { timeoutMs?: number; breaker?: { failures: number; cooldownMs: number } },
  ...more: (Partial<VendorPolicy> | undefined)[]
): VendorPolicy {
  const timeoutMs = base.timeoutMs ?? DEFAULT_POLICY.timeoutMs;
  const merged: VendorPolicy = {
    ...DEFAULT_POLICY,
    timeoutMs,
    connectTimeoutMs: Math.min(timeoutMs, DEFAULT_POLICY.connectTimeoutMs),
    headersTimeoutMs: timeoutMs,
    bodyTimeoutMs: timeoutMs,
    breakerFailures: base.breaker?.failures ?? 0,
    breakerCooldownMs: base.breaker?.cooldownMs ?? DEFAULT_POLICY.breakerCooldownMs,
  };
  for (const m of more) if (m) Object.assign(merged, stripUndefined(m));
  merged.headersTimeoutMs = Math.min(merged.headersTimeoutMs, merged.bodyTimeoutMs, merged.timeoutMs);
  merged.bodyTimeoutMs = Math.min(merged.bodyTimeoutMs, merged.timeoutMs);
  merged.connectTimeoutMs = Math.min(merged.connectTimeoutMs, merged.headersTimeoutMs);
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const RETRY_WINDOW_MS = 10_000;
const BUCKET_MS = 1_000;

/**
 * Retries may be at most `ratio` of the calls of the last window (plus `min`): when a vendor fails for everyone,
 * the gateway's retries add at most that fraction to its load instead of multiplying it.
 */
export class RetryBudget {
  private readonly buckets: { at: number; calls: number; retries: number }[] = [];
  constructor(
    private readonly ratio: number,
    private readonly min: number,
    private readonly now: () => number = Date.now,
  ) {}

  private bucket() {
    const at = Math.floor(this.now() / BUCKET_MS) * BUCKET_MS;
    while (this.buckets.length > 0 && this.buckets[0]!.at <= at - RETRY_WINDOW_MS) this.buckets.shift();
    let last = this.buckets[this.buckets.length - 1];
    if (!last || last.at !== at) {
      last = { at, calls: 0, retries: 0 };
      this.buckets.push(last);
    }
    return last;
  }

  call(): void {
    this.bucket().calls++;
  }

  canRetry(): boolean {
    this.bucket();
    let calls = 0;
    let retries = 0;
    for (const b of this.buckets) {
      calls += b.calls;
      retries += b.retries;
    }
    return retries < this.min + this.ratio * calls;
  }

  spend(): void {
    this.bucket().retries++;
  }
}

const SAMPLES = 256;

/** Rolling health figures of one vendor, from every attempt the gateway made. */
export class VendorStats {
  // The last SAMPLES attempts as a ring of numbers (not an object per attempt: every vendor call records one).
  private readonly ms = new Float64Array(SAMPLES);
  private readonly failures = new Uint8Array(SAMPLES);
  private count = 0;
  private next = 0;
  private lastSuccessMs: number | undefined;
  /** What went wrong last, kept to a message that is safe to show (UpstreamError messages name no secret). */
  lastError: { message: string; at: Date } | undefined;
  calls = 0;
  retries = 0;
  breakerTrips = 0;
  bulkheadRejections = 0;
  readonly errorsByKind = new Map<string, number>();

  record(ms: number, failed: boolean): void {
    this.ms[this.next] = ms;
    this.failures[this.next] = failed ? 1 : 0;
    if (this.count < SAMPLES) this.count++;
    this.next = (this.next + 1) % SAMPLES;
    if (!failed) this.lastSuccessMs = Date.now();
  }

  /** When an attempt last succeeded. */
  get lastSuccessAt(): Date | undefined {
    return this.lastSuccessMs === undefined ? undefined : new Date(this.lastSuccessMs);
  }

  failed(kind: string, message: string): void {
    this.errorsByKind.set(kind, (this.errorsByKind.get(kind) ?? 0) + 1);
    this.lastError = { message: message.slice(0, 300), at: new Date() };
  }

  percentile(p: number): number | null {
    if (this.count === 0) return null;
    // A typed array sorts numerically.
    const sorted = this.ms.slice(0, this.count).sort();
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return Math.round(sorted[index]! * 10) / 10;
  }

  errorRate(): number {
    if (this.count === 0) return 0;
    let failed = 0;
    for (let i = 0; i < this.count; i++) failed += this.failures[i]!;
    return failed / this.count;
  }

  get sampleCount(): number {
    return this.count;
  }
}

/** Why a call waiting for a bulkhead slot did not get one (Slots.wait rejects with one of these, never an Error). */
export const SLOTS_FULL = Symbol('every slot and queue place taken');
export const SLOT_WAIT_OVER = Symbol('the deadline passed while waiting for a slot');

interface Waiter {
  deadline: number;
  resolve: () => void;
  reject: (why: typeof SLOTS_FULL | typeof SLOT_WAIT_OVER) => void;
}

/**
 * The bulkhead: at most `capacity` calls in flight, at most `queueCapacity` waiting, first come first served, each
 * waiting no longer than its deadline. A freed slot passes straight to the next waiter. The waiting calls share one
 * timer, set for the earliest deadline among them: a call that waits costs one entry and one promise, not a timer, a
 * race and a cancel signal each (in a many-call query most calls wait, and that was a visible share of its CPU).
 */
export class Slots {
  active = 0;
  private readonly queue: (Waiter | undefined)[] = [];
  /** Index of the queue's first entry (entries before it are gone; the array is compacted now and then). */
  private head = 0;
  private waiting = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is set for. */
  private timerAt = Infinity;

  constructor(
    readonly capacity: number,
    readonly queueCapacity: number,
  ) {}

  /** Takes a free slot now; false when there is none (then `wait`). */
  tryTake(): boolean {
    if (this.active >= this.capacity) return false;
    this.active++;
    return true;
  }

  /** Resolves once a slot is the caller's; rejects with SLOTS_FULL at once, or SLOT_WAIT_OVER at its deadline. */
  wait(deadline: number): Promise<void> {
    if (this.waiting >= this.queueCapacity) return Promise.reject(SLOTS_FULL);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ deadline, resolve, reject });
      this.waiting++;
      if (deadline < this.timerAt) this.arm(deadline);
    });
  }

  /** Gives the slot back: to the longest-waiting call, or free. */
  release(): void {
    const next = this.shift();
    if (next === undefined) this.active--;
    else next.resolve();
  }

  private shift(): Waiter | undefined {
    const queue = this.queue;
    while (this.head < queue.length) {
      const w = queue[this.head];
      queue[this.head++] = undefined;
      if (w !== undefined) {
        this.waiting--;
        this.compact();
        return w;
      }
    }
    return undefined;
  }

  private compact(): void {
    if (this.waiting === 0) {
      // Nobody waits: the array starts again, and no timer is left to keep the process up.
      this.queue.length = 0;
      this.head = 0;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    // Node fires a timer once whole milliseconds have passed: rounding up changes no firing time.
    this.timer = setTimeout(Slots.expire, Math.max(0, Math.ceil(at - performance.now())), this);
  }

  /** Fails the waiters whose deadline has passed, then sets the timer for the earliest of the rest. */
  private static expire(this: void, slots: Slots): void {
    slots.timer = undefined;
    slots.timerAt = Infinity;
    const now = performance.now();
    const queue = slots.queue;
    let earliest = Infinity;
    for (let i = slots.head; i < queue.length; i++) {
      const w = queue[i];
      if (w === undefined) continue;
      if (w.deadline <= now) {
        queue[i] = undefined;
        slots.waiting--;
        w.reject(SLOT_WAIT_OVER);
      } else if (w.deadline < earliest) earliest = w.deadline;
    }
    slots.compact();
    if (earliest !== Infinity) slots.arm(earliest);
  }
}

/** Refusals made here, before anything was sent (open circuit, full bulkhead, queue wait over): not outages. */
export const localRefusals = new WeakSet<object>();

/** Errors of the credential step (a token call), which the read retry leaves alone. */
export const credentialFailures = new WeakSet<object>();

/** An outage for the breaker: the vendor did not answer at all (unreachable, timed out), as seen on the wire. */
export function isOutage(err: unknown): boolean {
  return (
    err instanceof UpstreamError &&
    (err.kind === 'unavailable' || err.kind === 'timeout') &&
    err.status === undefined &&
    !localRefusals.has(err)
  );
}

/** Everything the gateway keeps about one vendor's calls. */
export class VendorGuard {
  readonly slots: Slots;
  readonly breaker: CircuitBreakerPolicy | undefined;
  readonly budget: RetryBudget;
  readonly stats = new VendorStats();
  inFlight = 0;
  queued = 0;

  constructor(
    readonly vendor: Vendor,
    readonly policy: VendorPolicy,
  ) {
    this.slots = new Slots(policy.maxConcurrent, policy.maxQueued);
    this.budget = new RetryBudget(policy.retryBudgetRatio, policy.retryBudgetMin);
    // After a run of outages the circuit opens and calls fail at once (UPSTREAM_UNAVAILABLE, nothing sent) until
    // one call, after the cool-down, gets through. Answers with a status (4xx, 5xx) do not count: the vendor is there.
    this.breaker =
      policy.breakerFailures > 0
        ? circuitBreaker(handleWhen(isOutage), {
            halfOpenAfter: policy.breakerCooldownMs,
            breaker: new ConsecutiveBreaker(policy.breakerFailures),
          })
        : undefined;
    this.breaker?.onBreak(() => this.stats.breakerTrips++);
  }

  breakerState(): 'CLOSED' | 'OPEN' | 'HALF_OPEN' | 'DISABLED' {
    if (!this.breaker) return 'DISABLED';
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'CLOSED';
      case CircuitState.HalfOpen:
        return 'HALF_OPEN';
      default:
        return 'OPEN';
    }
  }

  health(): VendorHealth {
    const breaker = this.breakerState();
    const errorRate = this.stats.errorRate();
    const state =
      breaker === 'OPEN'
        ? 'DOWN'
        : this.stats.sampleCount === 0
          ? 'UNKNOWN'
          : breaker === 'HALF_OPEN' || errorRate >= 0.2
            ? 'DEGRADED'
            : 'UP';
    return {
      vendor: this.vendor,
      state,
      breaker,
      latencyP50Ms: this.stats.percentile(50),
      latencyP99Ms: this.stats.percentile(99),
      errorRate: Math.round(errorRate * 1000) / 1000,
      lastError: this.stats.lastError?.message ?? null,
      lastErrorAt: this.stats.lastError?.at ?? null,
      lastSuccessAt: this.stats.lastSuccessAt ?? null,
      inFlight: this.inFlight,
      queued: this.queued,
      calls: this.stats.calls,
      retries: this.stats.retries,
      breakerTrips: this.stats.breakerTrips,
      bulkheadRejections: this.stats.bulkheadRejections,
    };
  }
}

/** The guards of one gateway, one per vendor, made on first use with that vendor's policy. */
export class VendorGuards {
  private readonly guards = new Map<Vendor, VendorGuard>();
  constructor(private readonly policyOf: (vendor: Vendor) => VendorPolicy) {}

  for(vendor: Vendor): VendorGuard {
    let guard = this.guards.get(vendor);
    if (!guard) {
      guard = new VendorGuard(vendor, this.policyOf(vendor));
      this.guards.set(vendor, guard);
    }
    return guard;
  }

  policy(vendor: Vendor): VendorPolicy {
    return this.guards.get(vendor)?.policy ?? this.policyOf(vendor);
  }

  /** Health of every vendor, made or not. */
  health(): VendorHealth[] {
    return VENDORS.map((v) => this.for(v).health());
  }
}
