// The read cache in Redis (READ_CACHE_TTL_MS with REDIS_URL), so every replica reads the same short-lived answers
// and a write on one replica makes them stale on all. Invalidation is by generation: each tag (one order, or the
// vendor's lists) has a counter `rc:<vendor>:gen:<tag>`, and an answer is stored under the generation read at its
// lookup. A write increments the counters, after which no replica reads the old entries (they expire by their TTL),
// and a fetch that ran across the write stores under the old generation, where nobody looks.
//
// What is stored is a vendor's answer to the gateway's own credential: the same for every caller, so keys are not
// namespaced by caller (what a caller may see is checked before any read, see sharing.ts). The request is hashed
// into the key, so search bodies and query strings do not appear in key names.
// Redis away: the lookup fails at once (commands never queue, see redis.ts) and the read goes to the vendor.
import { createHash, randomUUID } from 'node:crypto';
import type { Vendor } from '../domain/model.js';
import {
  tagName,
  type CacheLookup,
  type CachedAnswer,
  type ReadCacheStore,
  type ShareTag,
} from '../vendors/sharing.js';
import type { SharedRedis } from './redis.js';

/** Returns { generation, entry } in one round trip. */
const LOOKUP = `local g = redis.call('GET', KEYS[1]) or '0'
return {g, redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2])}`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** How often a replica waiting for another's call looks for its answer. */
const FOLLOW_POLL_MS = 5;

/** Generations outlive every entry stored under them by far (a reset to 0 could otherwise revive old entries). */
const GENERATION_TTL_MS = 24 * 3600_000;

export class RedisReadCache implements ReadCacheStore {
  /** This replica, as the holder of a lead. */
  private readonly me = randomUUID();

  constructor(
    private readonly redis: SharedRedis,
    private readonly ttlMs: number,
    /** How long a lead may last: about one vendor call with its retries. */
    private readonly leaseMs = 5_000,
  ) {}

  private base(vendor: Vendor): string {
    return `${this.redis.prefix}rc:${vendor}:`;
  }

  private genKey(vendor: Vendor, tag: string): string {
    return `${this.base(vendor)}gen:${tag}`;
  }

  /** An order's key came from a caller's id: hashed, so key names stay short and plain. */
  private tag(tag: ShareTag): string {
    return typeof tag === 'string' ? tagName(tag) : `order:${digest(tag.order).slice(0, 22)}`;
  }

  /** Where the entry of a read lives under the generation `token` (see get). */
  private entryKey(vendor: Vendor, tag: ShareTag, hash: string, token: unknown): string {
    return tag === 'reference'
      ? `${this.base(vendor)}ref:${hash}`
      : `${this.base(vendor)}${this.tag(tag)}:${String(token)}:${hash}`;
  }

  async get(vendor: Vendor, tag: ShareTag, key: string): Promise<CacheLookup> {
    if (!this.redis.up()) throw new Error('redis unavailable');
    const hash = digest(key);
    if (tag === 'reference') {
      const raw = await this.redis.client.get(`${this.base(vendor)}ref:${hash}`);
      return raw ? { hit: decode(raw) } : { token: 'ref' };
    }
    const name = this.tag(tag);
    const [gen, raw] = (await this.redis.client.eval(
      LOOKUP,
      1,
      this.genKey(vendor, name),
      `${this.base(vendor)}${name}:`,
      hash,
    )) as [string, string | null];
    return raw ? { hit: decode(raw) } : { token: gen };
  }

  async set(vendor: Vendor, tag: ShareTag, key: string, answer: CachedAnswer, token: unknown): Promise<void> {
    if (!this.redis.up()) return;
    await this.redis.client.set(
      this.entryKey(vendor, tag, digest(key), token),
      JSON.stringify(answer),
      'PX',
      this.ttlMs,
    );
  }

  // In-flight sharing across replicas: the first replica to miss an entry takes `<entry>:lead` for a short lease
  // and makes the call; the others poll for the entry (and the lead) until the answer lands or the lead is gone.

  async lead(vendor: Vendor, tag: ShareTag, key: string, token: unknown): Promise<boolean> {
    if (!this.redis.up()) return true;
    const lead = `${this.entryKey(vendor, tag, digest(key), token)}:lead`;
    return (await this.redis.client.set(lead, this.me, 'PX', this.leaseMs, 'NX')) === 'OK';
  }

  async follow(
    vendor: Vendor,
    tag: ShareTag,
    key: string,
    token: unknown,
    maxWaitMs: number,
  ): Promise<CachedAnswer | undefined> {
    const entry = this.entryKey(vendor, tag, digest(key), token);
    const until = Date.now() + maxWaitMs;
    while (Date.now() < until && this.redis.up()) {
      await new Promise((r) => setTimeout(r, FOLLOW_POLL_MS));
      const [raw, lead] = await this.redis.client.mget(entry, `${entry}:lead`);
      if (raw) return decode(raw);
      if (!lead) return undefined;
    }
    return undefined;
  }

  async release(vendor: Vendor, tag: ShareTag, key: string, token: unknown): Promise<void> {
    if (!this.redis.up()) return;
    await this.redis.client.eval(RELEASE, 1, `${this.entryKey(vendor, tag, digest(key), token)}:lead`, this.me);
  }

  async invalidate(vendor: Vendor, key: string | undefined, lists: boolean): Promise<void> {
    if (!this.redis.up()) return;
    const tx = this.redis.client.multi();
    const bump = (tag: string) =>
      tx.incr(this.genKey(vendor, tag)).pexpire(this.genKey(vendor, tag), GENERATION_TTL_MS);
    if (key !== undefined) bump(this.tag({ order: key }));
    if (lists) bump('orders');
    await tx.exec();
  }
}

function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

function decode(raw: string): CachedAnswer {
  return JSON.parse(raw) as CachedAnswer;
}
