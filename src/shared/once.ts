// "Seen before?" across replicas: a key claimed once for a while (webhook delivery ids). Redis SET NX EX where it is
// configured, a map with expiry otherwise.
import type { SharedRedis } from './redis.js';

export interface OnceStore {
  /** True the first time `key` is claimed within `ttlSeconds`; false for every repeat. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Gives a claim back (the work it guarded did not happen, so a retry must be let in). */
  release(key: string): Promise<void>;
}

export function memoryOnce(now: () => number = Date.now): OnceStore {
  const seen = new Map<string, number>();
  return {
    async claim(key, ttlSeconds) {
      const t = now();
      if (seen.size > 10_000) for (const [k, until] of seen) if (until <= t) seen.delete(k);
      const until = seen.get(key);
      if (until !== undefined && until > t) return false;
      seen.set(key, t + ttlSeconds * 1000);
      return true;
    },
    async release(key) {
      seen.delete(key);
    },
  };
}

export function redisOnce(redis: SharedRedis, namespace: string): OnceStore {
  const k = (key: string) => `${redis.prefix}${namespace}:${key}`;
  return {
    async claim(key, ttlSeconds) {
      return (await redis.client.set(k(key), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async release(key) {
      await redis.client.del(k(key));
    },
  };
}
