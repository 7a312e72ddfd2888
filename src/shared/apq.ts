// APQ registrations shared by every replica: a document registered on one answers by its hash on all. Entries live
// 24 hours, as in memory. With Redis away a lookup misses (the client sends the text again, APQ's own recovery)
// and a registration is skipped: queries keep working.
import type { APQStore } from '@graphql-yoga/plugin-apq';
import type { SharedRedis } from './redis.js';

const TTL_SECONDS = 24 * 3600;

export function redisApqStore(redis: SharedRedis): APQStore {
  const k = (hash: string) => `${redis.prefix}apq:${hash}`;
  return {
    async get(hash) {
      return (await redis.client.get(k(hash)).catch(() => null)) ?? null;
    },
    async set(hash, document) {
      await redis.client.set(k(hash), document, 'EX', TTL_SECONDS).catch(() => undefined);
    },
  };
}
