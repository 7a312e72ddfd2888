// Per-client rate-limit windows shared by every replica: rate-limiter-flexible's Redis limiter (fixed one-minute
// windows per client, keyed by the caller's unique id). While Redis cannot be reached, each replica falls back to
// its own in-memory window of the same size (rate-limiter-flexible's insurance limiter): a client then gets its
// limit per replica until Redis is back — documented in the README — rather than no limit or no service.
import { createRequire } from 'node:module';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Verdict } from '../security/rate-limit.js';
import type { SharedRedis } from './redis.js';

export interface SharedLimiter {
  take(key: string, cost: number, limit: number): Promise<Verdict>;
}

// Loaded with the first Redis limiter (REDIS_URL): a gateway without Redis carries none of the package.
type Flexible = typeof import('rate-limiter-flexible');
let loaded: Flexible | undefined;
const flexible = (): Flexible => (loaded ??= createRequire(import.meta.url)('rate-limiter-flexible') as Flexible);

export function redisRateLimiter(redis: SharedRedis, windowSeconds = 60): SharedLimiter {
  const { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } = flexible();
  // One limiter per distinct limit (clients are few, their limits fewer).
  const byLimit = new Map<number, RateLimiterRedis>();
  const limiterFor = (limit: number) => {
    let l = byLimit.get(limit);
    if (!l) {
      l = new RateLimiterRedis({
        storeClient: redis.client,
        keyPrefix: `${redis.prefix}rl:${limit}`,
        points: limit,
        duration: windowSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points: limit, duration: windowSeconds }),
      });
      byLimit.set(limit, l);
    }
    return l;
  };
  return {
    async take(key, cost, limit) {
      const limiter = limiterFor(limit);
      // A request costing more than the whole window can never pass; it takes nothing.
      if (cost > limit) return { ok: false, retryAfterSeconds: windowSeconds };
      try {
        await limiter.consume(key, cost);
        return { ok: true };
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        // A refused request takes nothing from the window (as in-process): give its points back.
        await limiter.reward(key, cost).catch(() => undefined);
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
      }
    },
  };
}
