// GET /ready's word on the shared store: with REDIS_URL set, whether this replica reaches Redis now. Redis away is
// "degraded", not "down": reads, subscriptions on this replica and rate limiting (in-process) go on, while writes
// that need an idempotency claim or the order lock are refused (SHARED_STATE_UNAVAILABLE) until it is back.
import type { Plugin } from 'graphql-yoga';
import type { SharedRedis } from './redis.js';

export function sharedStateOf(redis: SharedRedis | undefined): { sharedState: 'memory' | 'redis' | 'unavailable' } {
  if (!redis) return { sharedState: 'memory' };
  return { sharedState: redis.up() ? 'redis' : 'unavailable' };
}

/**
 * `/ready`: 200 while this replica can serve; the body says where shared state lives and whether it is reachable
 * (`sharedState: "unavailable"` with `degraded: true` while Redis is lost).
 */
export function readinessPlugin(redis: SharedRedis | undefined): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const state = sharedStateOf(redis);
      endResponse(
        fetchAPI.Response.json({ ready: true, degraded: state.sharedState === 'unavailable', ...state }, { headers: { 'cache-control': 'no-store' } }),
      );
    },
  };
}
