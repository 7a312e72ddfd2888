// Sharing vendor reads across requests (both off by default): identical reads in flight at once are sent once and
// the answer handed to every request that asked (SHARE_INFLIGHT_READS), and answers may be kept a short while
// (READ_CACHE_TTL_MS), in this process or in Redis. Only reads a vendor's client marks shareable (HttpRequest.share)
// are ever shared, and the client decides that in the vendor's own folder: a Pitney Bowes search is a POST that only
// reads, a DotZero PATCH is never shared. Writes never are.
//
// Why this is safe across callers: every vendor call carries the gateway's own credential, so the vendor's answer is
// the same whoever asked. What a caller may see is decided above, per request, before a read is asked for at all
// (the loaders' vendor scope), so a shared answer only ever reaches a caller who could have made the call.
//
// Why not undici's `deduplicate` interceptor: it shares GET/HEAD only (it refuses POST, so Pitney Bowes' searches
// could never be shared), its key leaves out the body (two searches for different orders would share one answer),
// and it sits under our retries, bulkhead and token handling, so every joined caller would still hold a bulkhead
// slot, wait for a token and parse the body itself. Shared here, above all of that, a read is one logical call:
// one slot, one retry sequence, one parse, and the per-attempt headers (X-PB-TransactionId) are never in the key.
import type { Vendor } from '../domain/model.js';
import type { HttpRequest, HttpResponse } from './http.js';

/**
 * What a shareable read depends on, so that a write through the gateway can make it stale: one work order (its
 * key), the vendor's work orders as a whole (lists, searches, and what hangs off orders without naming one), or
 * `reference` data no work-order write changes (products, routes, warehouses), which only the TTL ages out.
 */
export type ShareTag = { order: string } | 'orders' | 'reference';

/** What a cached answer holds: never headers (a vendor may send cookies), only the status and the parsed body. */
export interface CachedAnswer {
  status: number;
  body: unknown;
}

/** A lookup: the answer, or a miss with what a later store must present (so a stale fetch cannot be stored). */
export type CacheLookup = { hit: CachedAnswer } | { hit?: undefined; token: unknown };

/** Where cached answers live: this process (MemoryReadCache) or Redis (src/shared/read-cache.ts). */
export interface ReadCacheStore {
  /** Rejects or answers a miss without a token when the store cannot be reached: the read then goes to the vendor. */
  get(vendor: Vendor, tag: ShareTag, key: string): Promise<CacheLookup>;
  /** Stores unless a write invalidated the tag since the lookup that gave `token`. Never throws into a read. */
  set(vendor: Vendor, tag: ShareTag, key: string, answer: CachedAnswer, token: unknown): Promise<void>;
  /** Makes stale what depends on the order `key` and, with `lists`, every list of the vendor. */
  invalidate(vendor: Vendor, key: string | undefined, lists: boolean): Promise<void>;
  /**
   * In-flight sharing between processes (a store shared by replicas): `lead` claims the fetch of a missed entry
   * for a short lease (true: this process fetches; false: another one already is). `follow` waits for the
   * leader's answer to land in the store: the answer, or undefined once the leader gave up (its fetch failed, its
   * lease ran out) or `maxWaitMs` passed, when the follower fetches by itself. `release` ends a lead.
   */
  lead?(vendor: Vendor, tag: ShareTag, key: string, token: unknown): Promise<boolean>;
  follow?(
    vendor: Vendor,
    tag: ShareTag,
    key: string,
    token: unknown,
    maxWaitMs: number,
  ): Promise<CachedAnswer | undefined>;
  release?(vendor: Vendor, tag: ShareTag, key: string, token: unknown): Promise<void>;
  close?(): void;
}

export interface ReadSharingOptions {
  /**
   * Identical reads in flight at once are sent once: in this process, and across replicas when the cache is in a
   * store they share (the leader's answer is handed over through it).
   */
  inflight: boolean;
  /** How long a replica waits for another replica's fetch before it makes the call itself; default 2000. */
  followMs?: number;
  /** Short-lived answers; none when absent. */
  cache?: ReadCacheStore;
}

export interface SharingStats {
  /** Reads that joined a call already in flight. */
  joined: number;
  hits: number;
  misses: number;
  /** Lookups that could not reach the store (Redis away): the read went to the vendor. */
  bypassed: number;
  /** Reads answered by another replica's fetch of the same read (through the shared store). */
  followed: number;
}

interface Pending {
  vendor: Vendor;
  tag: ShareTag;
  answer: Promise<HttpResponse>;
}

/** One per process, shared by every vendor client (see TransportOptions.sharing). */
export class ReadSharing {
  readonly stats: SharingStats = { joined: 0, hits: 0, misses: 0, bypassed: 0, followed: 0 };
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: ReadSharingOptions) {}

  /** True when answers are kept for a while (READ_CACHE_TTL_MS), so a change seen elsewhere must make them stale. */
  get caching(): boolean {
    return this.options.cache !== undefined;
  }

  /** True when anything is shared at all (else the transport does not ask). */
  get active(): boolean {
    return this.options.inflight || this.options.cache !== undefined;
  }

  /**
   * The answer to a shareable read: from a call already in flight, from the cache, or from `fetch` (which makes the
   * call with the transport's retries and deadlines). `origin` is the vendor client's base URL, so two deployments
   * of a vendor never share. Failures are never cached, and a joined call's failure is every joiner's failure (as
   * if each had made that call at that moment).
   */
  read(vendor: Vendor, origin: string, req: HttpRequest, tag: ShareTag, fetch: () => Promise<HttpResponse>) {
    const key = requestKey(vendor, origin, req);
    if (!this.options.inflight) return this.cached(vendor, tag, key, fetch);
    const running = this.pending.get(key);
    if (running) {
      this.stats.joined++;
      return running.answer.catch((err: unknown) => {
        throw ownCopy(err);
      });
    }
    const answer = this.cached(vendor, tag, key, fetch);
    const entry: Pending = { vendor, tag, answer };
    this.pending.set(key, entry);
    const done = () => {
      if (this.pending.get(key) === entry) this.pending.delete(key);
    };
    answer.then(done, done);
    return answer;
  }

  /**
   * A write through the gateway touched `key` (or created an order: no key): reads of it and, with `lists`, the
   * vendor's lists are stale from now on. Calls in flight keep their callers, but no new caller joins them.
   */
  async invalidate(vendor: Vendor, key: string | undefined, lists: boolean): Promise<void> {
    for (const [k, p] of this.pending) {
      if (p.vendor === vendor && dependsOn(p.tag, key, lists)) this.pending.delete(k);
    }
    await this.options.cache?.invalidate(vendor, key, lists).catch(() => undefined);
  }

  close(): void {
    this.options.cache?.close?.();
  }

  private async cached(
    vendor: Vendor,
    tag: ShareTag,
    key: string,
    fetch: () => Promise<HttpResponse>,
  ): Promise<HttpResponse> {
    const cache = this.options.cache;
    if (!cache) return fetch();
    let lookup: CacheLookup | undefined;
    try {
      lookup = await cache.get(vendor, tag, key);
    } catch {
      // The store is away (Redis lost): the vendor answers, as with no cache at all.
      lookup = undefined;
    }
    if (lookup?.hit) {
      this.stats.hits++;
      return { status: lookup.hit.status, headers: {}, body: lookup.hit.body };
    }
    if (lookup === undefined) {
      this.stats.bypassed++;
      return fetch();
    }
    this.stats.misses++;
    const token = lookup.token;
    // Another replica may be making this very call: wait for its answer rather than make it again.
    let leading = false;
    if (this.options.inflight && cache.lead && cache.follow) {
      leading = await cache.lead(vendor, tag, key, token).catch(() => true);
      if (!leading) {
        const theirs = await cache
          .follow(vendor, tag, key, token, this.options.followMs ?? 2_000)
          .catch(() => undefined);
        if (theirs) {
          this.stats.followed++;
          return { status: theirs.status, headers: {}, body: theirs.body };
        }
      }
    }
    try {
      const answer = await fetch();
      if (answer.status >= 200 && answer.status < 300) {
        const stored = cache.set(vendor, tag, key, { status: answer.status, body: answer.body }, token);
        // A leader's followers poll for the entry: store before letting go of the lead.
        if (leading) await stored.catch(() => undefined);
        else void stored.catch(() => undefined);
      }
      return answer;
    } finally {
      if (leading) void cache.release?.(vendor, tag, key, token).catch(() => undefined);
    }
  }
}

/**
 * A joined request gets its own copy of a shared failure: errors are marked on their way up (a write's outcome,
 * keyed by the error object), and one request's mark must not reach another's answer.
 */
function ownCopy(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return Object.create(Object.getPrototypeOf(err) as object, Object.getOwnPropertyDescriptors(err)) as Error;
}

function dependsOn(tag: ShareTag, key: string | undefined, lists: boolean): boolean {
  if (tag === 'reference') return false;
  if (tag === 'orders') return lists;
  return key !== undefined && tag.order === key;
}

/**
 * The read as the vendor sees it: method, URL and body. Headers are left out: the credential is the gateway's own,
 * and per-attempt headers (X-PB-TransactionId) differ on every attempt by design; a client's own fixed headers
 * (none today) are kept in.
 */
export function requestKey(vendor: Vendor, origin: string, req: HttpRequest): string {
  let key = `${vendor} ${req.method} ${origin}${req.path}`;
  if (req.query) {
    const q: string[] = [];
    for (const [k, v] of Object.entries(req.query))
      if (v !== undefined) q.push(`${k}=${encodeURIComponent(String(v))}`);
    key += `?${q.join('&')}`;
  }
  if (req.headers) key += ` ${JSON.stringify(req.headers)}`;
  if (req.body !== undefined) key += ` ${typeof req.body === 'string' ? req.body : JSON.stringify(req.body)}`;
  return key;
}

/** The tag's name in a store. */
export function tagName(tag: ShareTag): string {
  return typeof tag === 'string' ? tag : `order:${tag.order}`;
}

/**
 * The cache in this process (no REDIS_URL): at most `maxEntries` answers, the least recently used dropped first.
 * A write bumps the vendor's epoch, so a fetch that was running across it does not store what it read before.
 */
export class MemoryReadCache implements ReadCacheStore {
  private readonly entries = new Map<string, { vendor: Vendor; tag: string; expires: number; answer: CachedAnswer }>();
  private readonly epochs = new Map<Vendor, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async get(vendor: Vendor, _tag: ShareTag, key: string): Promise<CacheLookup> {
    const e = this.entries.get(key);
    if (e && e.expires > Date.now()) {
      // Most recently used last: the map's order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, e);
      return { hit: e.answer };
    }
    if (e) this.entries.delete(key);
    return { token: this.epochs.get(vendor) ?? 0 };
  }

  async set(vendor: Vendor, tag: ShareTag, key: string, answer: CachedAnswer, token: unknown): Promise<void> {
    if ((this.epochs.get(vendor) ?? 0) !== token) return;
    this.entries.delete(key);
    this.entries.set(key, { vendor, tag: tagName(tag), expires: Date.now() + this.ttlMs, answer });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  async invalidate(vendor: Vendor, key: string | undefined, lists: boolean): Promise<void> {
    this.epochs.set(vendor, (this.epochs.get(vendor) ?? 0) + 1);
    const order = key === undefined ? undefined : `order:${key}`;
    for (const [k, e] of this.entries) {
      if (e.vendor === vendor && ((lists && e.tag === 'orders') || e.tag === order)) this.entries.delete(k);
    }
  }
}
