// The per-order write lock across replicas: the local queue (KeyedLock) orders this replica's writers, and a Redis
// lock (SET NX PX, released only by its holder) keeps two replicas from moving one order at once. A lock that
// cannot be had because Redis is away refuses the write before anything is sent.
import { randomUUID } from 'node:crypto';
import { SharedStateUnavailableError } from '../domain/errors.js';
import { KeyedLock } from '../writes/lock.js';
import type { SharedRedis } from './redis.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class RedisKeyedLock extends KeyedLock {
  constructor(
    private readonly redis: SharedRedis,
    /** Longer than any write (the vendor timeout and a re-read); a dead holder's lock runs out after it. */
    private readonly leaseMs = 60_000,
    private readonly waitMs = 30_000,
  ) {
    super();
  }

  override run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return super.run(key, async () => {
      const k = `${this.redis.prefix}lock:${key}`;
      const me = randomUUID();
      const deadline = Date.now() + this.waitMs;
      for (;;) {
        let got: string | null;
        try {
          got = await this.redis.client.set(k, me, 'PX', this.leaseMs, 'NX');
        } catch {
          throw new SharedStateUnavailableError(
            'The shared store (Redis) is unavailable: the order could not be locked. Nothing was sent; retry later.',
          );
        }
        if (got === 'OK') break;
        if (Date.now() > deadline)
          throw new SharedStateUnavailableError(
            'The order stayed locked by another replica too long. Nothing was sent; retry later.',
          );
        await new Promise((r) => setTimeout(r, 20));
      }
      try {
        return await fn();
      } finally {
        await this.redis.client.eval(RELEASE, 1, k, me).catch(() => undefined);
      }
    });
  }
}
