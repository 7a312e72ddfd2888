// The response cache (RESPONSE_CACHE_TTL_MS, off by default): the fast lane answers a caller's query again with
// that caller's own earlier answer, for a short while. Safe by construction:
// - an answer is only ever served to the caller it was made for (the key starts with the principal's id), so one
//   caller's vendor scope or scopes never shape another's answer; the rate limit is charged before every lookup;
// - only a whole success is kept (no error at all, no vendor that failed), never a refusal, and never an answer
//   that shows vendor health, which changes with no event to tell of it;
// - every write through the gateway, and every change heard from a vendor (webhook, poll), makes the answers that
//   could show that vendor stale at once: each vendor has a generation, an answer carries the generations of the
//   vendors its caller can see as they were before it was computed, and it is served only while they are unchanged
//   (so an answer computed across a write is never served); products, routes, operations, warehouses and stock
//   change with no such event and age by the TTL alone, as in the read cache;
// - one process only (config.ts refuses it with REDIS_URL: another replica's write could not reach it).
import type { DocumentNode } from 'graphql';
import type { Vendor } from '../domain/model.js';
import { fieldsAskedIn } from '../security/fields.js';

/**
 * Fields whose value changes with no write or change to tell of it: the gateway's own view of each vendor's health
 * (error rate, breaker, calls in flight). An answer that shows one is never kept.
 */
const VOLATILE_FIELDS = new Set(['health']);
/** Whether a document asks for a field no generation covers. */
export function showsVolatile(document: DocumentNode): boolean {
  const asked = fieldsAskedIn(document);
  for (const field of VOLATILE_FIELDS) if (asked.has(field)) return true;
  return false;
}

export interface CachedResponse {
  status: number;
  /** Without the request id, which is each request's own. */
  headers: Record<string, string>;
  body: string;
}

interface Entry {
  response: CachedResponse;
  vendors: readonly Vendor[];
  generations: readonly number[];
  expires: number;
  bytes: number;
}

/** Request bodies up to this size are cached (the key holds the whole body). */
export const MAX_CACHED_REQUEST_BYTES = 4_096;

export class ResponseCache {
  private readonly generations = new Map<Vendor, number>();
  // A Map keeps insertion order: a hit is re-inserted, so the first entries are the least recently used.
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  readonly stats = { hits: 0, misses: 0, stale: 0 };

  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The generations of these vendors now: taken before an answer is computed, stored with it. */
  snapshot(vendors: readonly Vendor[]): number[] {
    return vendors.map((v) => this.generations.get(v) ?? 0);
  }

  /** Something about this vendor's orders changed: every answer that could show them is stale. */
  bump(vendor: Vendor): void {
    this.generations.set(vendor, (this.generations.get(vendor) ?? 0) + 1);
  }

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.stats.misses++;
      return undefined;
    }
    const fresh =
      entry.expires > this.now() &&
      entry.vendors.every((v, i) => (this.generations.get(v) ?? 0) === entry.generations[i]);
    if (!fresh) {
      this.drop(key, entry);
      this.stats.stale++;
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.stats.hits++;
    return entry.response;
  }

  set(key: string, vendors: readonly Vendor[], generations: readonly number[], response: CachedResponse): void {
    const bytes = 2 * (key.length + response.body.length) + 256;
    if (bytes > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    this.entries.set(key, { response, vendors, generations, expires: this.now() + this.ttlMs, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k, e);
    }
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
