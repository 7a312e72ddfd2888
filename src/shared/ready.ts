// GET /ready's word on the shared store: with REDIS_URL set, whether this replica reaches Redis now. Redis away is
// "degraded", not "down": reads, subscriptions on this replica and rate limiting (in-process) go on, while writes
// that need an idempotency claim or the order lock are refused (SHARED_STATE_UNAVAILABLE) until it is back.
import type { SharedRedis } from './redis.js';

export function sharedStateOf(redis: SharedRedis | undefined): {
  sharedState: 'memory' | 'redis' | 'unavailable';
  degraded: boolean;
} {
  if (!redis) return { sharedState: 'memory', degraded: false };
  const up = redis.up();
  return { sharedState: up ? 'redis' : 'unavailable', degraded: !up };
}
