// A lease: one holder at a time across replicas, for work that must run once (polling vendors). The holder renews
// it on every round; a holder that dies stops renewing, and the lease passes to another replica once it runs out.
// Without Redis there is one process, which always holds it.
import { randomUUID } from 'node:crypto';
import type { SharedRedis } from './redis.js';

export interface Lease {
  /** Takes the lease, or renews it when this replica holds it already; false while another replica holds it. */
  hold(): Promise<boolean>;
  /** Gives it up (on shutdown), so another replica takes over without waiting for it to run out. */
  release(): Promise<void>;
}

export const alwaysHeld: Lease = { hold: async () => true, release: async () => undefined };

// Renew only what is still ours: compare and extend in one step.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export function redisLease(redis: SharedRedis, name: string, ttlMs: number): Lease {
  const key = `${redis.prefix}lease:${name}`;
  const me = randomUUID();
  return {
    async hold() {
      if ((await redis.client.eval(RENEW, 1, key, me, String(ttlMs))) === 1) return true;
      return (await redis.client.set(key, me, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async release() {
      await redis.client.eval(RELEASE, 1, key, me);
    },
  };
}
