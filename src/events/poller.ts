// Change detection by polling, for the vendors that expose `changedWorkOrders` (those without webhooks). One
// replica polls at a time (the lease); what it reads goes to the change feed, which publishes only real changes.
// Each vendor's watermark (when its last round started) lives with the lease's store, so a replica that takes the
// lease over asks the vendor only for what changed since the last round of any replica. The first round ever only
// learns the orders, so a start-up does not announce every order as a change.
// Deletions: a vendor whose poll reads every order (DotZero: no webhooks, no update-time filter) says so (`complete`),
// and the poller keeps that vendor's roster, the last complete read's orders, beside the lease. An order on the
// roster but missing from a new complete read is asked for by its key; only the vendor's own 404 makes it a
// DELETED change, carrying the order as last seen. A read that failed, was cut short, or a lookup that failed
// reports nothing: the order stays on the roster and is asked for again next round.
import { NotFoundError } from '../domain/errors.js';
import type { Vendor, WorkOrder } from '../domain/model.js';
import type { Logger } from '../logger.js';
import type { Lease } from '../shared/lease.js';
import type { SharedRedis } from '../shared/redis.js';
import type { WorkOrderSource } from '../vendors/types.js';
import { changeSerializer } from './changes.js';
import type { ChangeFeed } from './feed.js';

/** A round asks from a little before the last one started: clocks differ, and repeats cost nothing (diffed away). */
const OVERLAP_MS = 60_000;

export interface Watermarks {
  get(vendor: Vendor): Promise<number | undefined>;
  set(vendor: Vendor, at: number): Promise<void>;
}

export function memoryWatermarks(): Watermarks {
  const marks = new Map<Vendor, number>();
  return { get: async (v) => marks.get(v), set: async (v, at) => void marks.set(v, at) };
}

export function redisWatermarks(redis: SharedRedis): Watermarks {
  const key = (v: Vendor) => `${redis.prefix}poll:since:${v}`;
  return {
    async get(v) {
      const raw = await redis.client.get(key(v));
      return raw === null ? undefined : Number(raw);
    },
    async set(v, at) {
      await redis.client.set(key(v), String(at));
    },
  };
}

/** Orders missing from a complete read that one round asks the vendor about; the rest wait for the next round. */
export const MAX_DELETION_LOOKUPS = 50;

/** Each fully polled vendor's last complete read: vendor key -> the order as text. */
export interface Rosters {
  get(vendor: Vendor): Promise<Map<string, string>>;
  /** Stores what is new or changed, forgets what is gone. */
  update(vendor: Vendor, put: Map<string, string>, drop: readonly string[]): Promise<void>;
}

export function memoryRosters(): Rosters {
  const rosters = new Map<Vendor, Map<string, string>>();
  return {
    async get(v) {
      return new Map(rosters.get(v));
    },
    async update(v, put, drop) {
      const roster = rosters.get(v) ?? new Map<string, string>();
      for (const [k, text] of put) roster.set(k, text);
      for (const k of drop) roster.delete(k);
      rosters.set(v, roster);
    },
  };
}

export function redisRosters(redis: SharedRedis): Rosters {
  const key = (v: Vendor) => `${redis.prefix}poll:roster:${v}`;
  return {
    async get(v) {
      return new Map(Object.entries(await redis.client.hgetall(key(v))));
    },
    async update(v, put, drop) {
      const batch = redis.client.multi();
      if (put.size > 0) batch.hset(key(v), Object.fromEntries(put));
      if (drop.length > 0) batch.hdel(key(v), ...drop);
      if (put.size > 0 || drop.length > 0) await batch.exec();
      else batch.discard();
    },
  };
}

export interface PollerOptions {
  sources: readonly WorkOrderSource[];
  feed: ChangeFeed;
  lease: Lease;
  watermarks: Watermarks;
  rosters: Rosters;
  intervalMs: number;
  logger: Logger;
  now?: () => number;
}

export interface ChangePoller {
  /** One round now (tests, and the timer): false when another replica holds the lease. */
  pollOnce(): Promise<boolean>;
  start(): void;
  stop(): Promise<void>;
}

export function createPoller(options: PollerOptions): ChangePoller {
  const { feed, lease, watermarks, rosters, logger } = options;
  const now = options.now ?? Date.now;
  const sources = options.sources.filter((s) => typeof s.changedWorkOrders === 'function');
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;

  async function noticeDeletions(source: WorkOrderSource, orders: readonly WorkOrder[]): Promise<void> {
    const vendor = source.vendor;
    const known = await rosters.get(vendor);
    const current = new Map<string, string>();
    for (const order of orders) current.set(order.vendorId, changeSerializer.stringify(order));
    const missing = [...known.keys()].filter((k) => !current.has(k));
    const asked = missing.slice(0, MAX_DELETION_LOOKUPS);
    const gone: string[] = [];
    if (asked.length > 0) {
      const found = await source.getWorkOrders(asked);
      for (const [i, result] of found.entries()) {
        const k = asked[i] as string;
        if (result instanceof NotFoundError) gone.push(k);
        else if (!(result instanceof Error)) {
          // Still there: the read missed it (a list that moved under the paging). Not a deletion.
          current.set(k, changeSerializer.stringify(result));
          await feed.observe(result, 'POLL');
        }
      }
    }
    // Missing but not confirmed gone (not asked yet, or its lookup failed): kept, asked again next round.
    for (const k of missing) if (!current.has(k) && !gone.includes(k)) current.set(k, known.get(k) as string);
    for (const k of gone) await feed.removed(changeSerializer.parse(known.get(k) as string) as WorkOrder, 'POLL');
    const put = new Map([...current].filter(([k, text]) => known.get(k) !== text));
    await rosters.update(vendor, put, gone);
  }

  async function round(): Promise<boolean> {
    if (!(await lease.hold())) return false;
    await Promise.all(
      sources.map(async (source) => {
        const vendor = source.vendor;
        try {
          const started = now();
          const since = await watermarks.get(vendor);
          const read = await source.changedWorkOrders!(since === undefined ? undefined : new Date(since - OVERLAP_MS));
          for (const order of read.orders) await feed.observe(order, 'POLL', { baseline: since === undefined });
          if (read.complete) await noticeDeletions(source, read.orders);
          await watermarks.set(vendor, started);
        } catch (err) {
          logger.warn(
            { vendor, err: { name: (err as Error).name, message: (err as Error).message } },
            'change polling failed; next round tries again',
          );
        }
      }),
    );
    return true;
  }

  const pollOnce = () => {
    // Rounds never overlap within a replica: a slow vendor makes the next one wait.
    running ??= round().finally(() => (running = undefined));
    return running;
  };

  return {
    pollOnce,
    start() {
      if (timer || sources.length === 0) return;
      timer = setInterval(() => void pollOnce().catch(() => undefined), options.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      await lease.release().catch(() => undefined);
    },
  };
}
