// Change detection by polling, for the vendors that expose `changedWorkOrders` (those without webhooks). One
// replica polls at a time (the lease); what it reads goes to the change feed, which publishes only real changes.
// Each vendor's watermark (when its last round started) lives with the lease's store, so a replica that takes the
// lease over asks the vendor only for what changed since the last round of any replica. The first round ever only
// learns the orders, so a start-up does not announce every order as a change.
import type { Vendor, WorkOrder } from '../domain/model.js';
import type { Logger } from '../logger.js';
import type { Lease } from '../shared/lease.js';
import type { SharedRedis } from '../shared/redis.js';
import type { WorkOrderSource } from '../vendors/types.js';
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

export interface PollerOptions {
  sources: readonly WorkOrderSource[];
  feed: ChangeFeed;
  lease: Lease;
  watermarks: Watermarks;
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
  const { feed, lease, watermarks, logger } = options;
  const now = options.now ?? Date.now;
  const sources = options.sources.filter((s) => typeof s.changedWorkOrders === 'function');
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<boolean> | undefined;

  async function round(): Promise<boolean> {
    if (!(await lease.hold())) return false;
    await Promise.all(
      sources.map(async (source) => {
        const vendor = source.vendor;
        try {
          const started = now();
          const since = await watermarks.get(vendor);
          const orders = (await source.changedWorkOrders!(
            since === undefined ? undefined : new Date(since - OVERLAP_MS),
          )) as WorkOrder[];
          for (const order of orders) await feed.observe(order, 'POLL', { baseline: since === undefined });
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
