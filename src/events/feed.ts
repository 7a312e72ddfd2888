// The change feed: every source (webhooks, polling, the gateway's own mutations) reports what it saw of an order;
// the feed compares it with the last view of that order kept in the shared store and publishes only a real change.
// The comparison is one atomic swap (Redis SET ... GET), so when two sources see the same change (a mutation through
// the gateway, then the vendor's webhook or the next poll of the same state) exactly one of them publishes it.
// Published changes go through Redis pub/sub when it is configured, so every replica hears each change once and
// hands it to its own subscribers; without Redis the feed is this process's memory.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { WorkOrder } from '../domain/model.js';
import type { Logger } from '../logger.js';
import type { SharedRedis } from '../shared/redis.js';
import {
  changeSerializer,
  diffWatched,
  watchedOf,
  type ChangeKind,
  type ChangeSource,
  type Watched,
  type WorkOrderChange,
} from './changes.js';

const TOPIC = 'workOrderChanged';
/** Views of orders nobody changed for a week are dropped; the next poll re-learns them silently. */
const VIEW_TTL_SECONDS = 7 * 24 * 3600;

/**
 * A deleted order's view: the deletion was told. Kept (not the view dropped) so that the same deletion reported by a
 * second source (the gateway's delete, then the vendor's webhook of it, or the next poll) is told once.
 */
interface Tombstone {
  deleted: true;
}
const TOMBSTONE: Tombstone = { deleted: true };
type View = Watched | Tombstone;
const isTombstone = (v: View | null): v is Tombstone => v !== null && (v as Partial<Tombstone>).deleted === true;

interface Views {
  /** Stores `next` and answers what was there before, atomically. */
  swap(key: string, next: View): Promise<View | null>;
}

class MemoryViews implements Views {
  private readonly views = new Map<string, View>();
  async swap(key: string, next: View) {
    const before = this.views.get(key) ?? null;
    this.views.set(key, next);
    return before;
  }
}

class RedisViews implements Views {
  constructor(private readonly redis: SharedRedis) {}
  async swap(key: string, next: View) {
    const k = `${this.redis.prefix}view:${key}`;
    const before = await this.redis.client.set(k, JSON.stringify(next), 'EX', VIEW_TTL_SECONDS, 'GET');
    return before ? (JSON.parse(before) as View) : null;
  }
}

export interface ObserveOptions {
  /** The order as it was, where the source knows (a mutation read it first). */
  before?: WorkOrder | undefined;
  /** A first look (the poller's first pass): remember, publish nothing. */
  baseline?: boolean;
  /** What the source says happened (a webhook's event type, a create mutation); else told by the last view. */
  kind?: ChangeKind;
}

export interface ChangeFeed {
  /** Reports an order as a source sees it now; publishes when a watched field differs from the last view. */
  observe(order: WorkOrder, source: ChangeSource, options?: ObserveOptions): Promise<WorkOrderChange | null>;
  /** Reports an order gone. */
  removed(order: WorkOrder, source: ChangeSource): Promise<WorkOrderChange | null>;
  /** Changes from now on (listening from the moment of the call), those `accept` lets through. */
  subscribe(accept: (change: WorkOrderChange) => boolean): AsyncIterableIterator<WorkOrderChange>;
  /** Subscriptions open on this replica. */
  subscriberCount(): number;
  /** Resolves once this replica hears the shared channel (at once without Redis). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** A subscriber that falls this far behind loses its oldest changes rather than the replica its memory. */
const MAX_QUEUED = 1000;

export function createChangeFeed(options: { redis?: SharedRedis | undefined; logger: Logger }): ChangeFeed {
  const { redis, logger } = options;
  const views: Views = redis ? new RedisViews(redis) : new MemoryViews();
  // Local fan-out to this replica's subscribers.
  const listeners = new Set<(change: WorkOrderChange) => void>();
  const enders = new Set<() => void>();
  const local = { publish: (_topic: string, change: WorkOrderChange) => listeners.forEach((l) => l(change)) };
  let publish: (change: WorkOrderChange) => void;
  let ready = Promise.resolve();

  if (redis) {
    const channel = `${redis.prefix}${TOPIC}`;
    const target = createRedisEventTarget<CustomEvent<WorkOrderChange>>({
      publishClient: redis.client,
      subscribeClient: redis.subscriber,
      serializer: changeSerializer,
    });
    // One standing listener per replica, subscribed before the replica serves: no change published after start-up
    // can be missed for want of a subscription in flight.
    target.addEventListener(channel, (event) => local.publish(TOPIC, (event as CustomEvent<WorkOrderChange>).detail));
    ready = redis.subscriber.subscribe(channel).then(() => undefined);
    publish = (change) => {
      target.dispatchEvent(new CustomEvent(channel, { detail: change }));
    };
  } else {
    publish = (change) => local.publish(TOPIC, change);
  }

  const emit = (change: WorkOrderChange) => {
    logger.debug(
      { vendor: change.order.vendor, kind: change.kind, source: change.source, changed: change.changedFields },
      'work order changed',
    );
    publish(change);
    return change;
  };

  return {
    ready,
    async observe(order, source, opts = {}) {
      const now = watchedOf(order);
      const key = `${order.vendor}:${order.vendorId}`;
      const seen = await views.swap(key, now);
      if (isTombstone(seen) && opts.kind !== 'CREATED') {
        // A late report of an order whose deletion was told (a poll read before it, a webhook retried): not news.
        await views.swap(key, TOMBSTONE);
        return null;
      }
      const last = isTombstone(seen) ? null : seen;
      if (opts.baseline && !last) return null;
      const before = last ?? (opts.before ? watchedOf(opts.before) : null);
      const changedFields = diffWatched(before, now);
      if (changedFields.length === 0) return null;
      const kind: ChangeKind = opts.kind ?? (before ? 'UPDATED' : 'CREATED');
      return emit({ kind, source, order, changedFields, previous: before, occurredAt: new Date() });
    },
    async removed(order, source) {
      const seen = await views.swap(`${order.vendor}:${order.vendorId}`, TOMBSTONE);
      // Deleted once: the second report of the same deletion finds the tombstone. An order never seen is reported
      // when the gateway deleted it or the vendor says so; a poll only reports what it had seen.
      if (isTombstone(seen)) return null;
      if (!seen && source !== 'MUTATION' && source !== 'WEBHOOK') return null;
      return emit({ kind: 'DELETED', source, order, changedFields: [], previous: seen, occurredAt: new Date() });
    },
    subscribe(accept) {
      const queue: WorkOrderChange[] = [];
      let wake: (() => void) | undefined;
      let ended = false;
      const listener = (change: WorkOrderChange) => {
        if (!accept(change)) return;
        if (queue.length >= MAX_QUEUED) queue.shift();
        queue.push(change);
        wake?.();
      };
      listeners.add(listener);
      const end = () => {
        ended = true;
        listeners.delete(listener);
        enders.delete(end);
        wake?.();
      };
      enders.add(end);
      const done = { done: true as const, value: undefined };
      const it: AsyncIterableIterator<WorkOrderChange> = {
        [Symbol.asyncIterator]: () => it,
        async next() {
          while (!ended) {
            const next = queue.shift();
            if (next) return { done: false, value: next };
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
          return done;
        },
        async return() {
          end();
          return done;
        },
        async throw(err?: unknown) {
          end();
          throw err;
        },
      };
      return it;
    },
    subscriberCount: () => listeners.size,
    async close() {
      // Open subscriptions end (their clients see the stream complete and reconnect elsewhere).
      for (const end of [...enders]) end();
      if (redis) await redis.subscriber.unsubscribe(`${redis.prefix}${TOPIC}`).catch(() => undefined);
    },
  };
}
