// The one Redis connection of a replica (REDIS_URL), and a second one for pub/sub (a subscribed connection can do
// nothing else). Commands never queue while Redis is away: a write that needs an idempotency claim must learn at
// once that it cannot have one, rather than wait for a reconnect. ioredis reconnects by itself.
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export class RedisStartupError extends Error {
  override name = 'RedisStartupError';
}

export interface SharedRedis {
  /** Commands (claims, windows, leases, tokens). */
  client: Redis;
  /** Pub/sub only. */
  subscriber: Redis;
  /** Every key and channel starts with this, so one Redis can serve other things (or other gateways) too. */
  prefix: string;
  /** True while commands can reach Redis. */
  up(): boolean;
  close(): Promise<void>;
}

export const DEFAULT_PREFIX = 'mesgw:';

type RedisClass = typeof import('ioredis').Redis;

function connection(Redis: RedisClass, url: string, offlineQueue: boolean): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: offlineQueue,
    // One try per command: a refused command is reported, never silently retried into a second write.
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Reconnect for ever, backing off to a second between tries.
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
}

/**
 * Connects both connections, or fails with an error naming REDIS_URL (never its value: it may hold a password).
 */
export async function connectRedis(url: string, logger: Logger, prefix = DEFAULT_PREFIX): Promise<SharedRedis> {
  // ioredis loads only when REDIS_URL is set: a gateway without it carries none of the client.
  const { Redis } = await import('ioredis');
  const client = connection(Redis, url, false);
  // The subscriber keeps what it is asked while away, so its subscriptions come back with it.
  const subscriber = connection(Redis, url, true);
  let wasUp = false;
  client.on('ready', () => {
    if (wasUp) logger.info('redis connection restored');
    wasUp = true;
  });
  client.on('end', () => undefined);
  // ioredis emits an error per failed reconnect; one line per state change is enough.
  let reported = false;
  client.on('error', (err: Error) => {
    if (!reported) logger.warn({ err: { name: err.name, message: err.message } }, 'redis unavailable; retrying');
    reported = true;
  });
  client.on('ready', () => (reported = false));
  subscriber.on('error', () => undefined);
  try {
    await Promise.all([client.connect(), subscriber.connect()]);
    await client.ping();
  } catch (err) {
    client.disconnect();
    subscriber.disconnect();
    throw new RedisStartupError(
      `Configuration error: REDIS_URL names a Redis that cannot be reached (${(err as Error).message.replace(/\/\/[^@/]*@/, '//')})`,
    );
  }
  return {
    client,
    subscriber,
    prefix,
    up: () => client.status === 'ready',
    async close() {
      client.disconnect();
      subscriber.disconnect();
    },
  };
}
