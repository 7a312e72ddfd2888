// Vendor tokens in Redis (see vendors/shared-token.ts): `token:<name>` holds the current one, `token:<name>:lock`
// is the refresh lease (short: a refresh is one HTTP call). The holder re-reads before refreshing, so a replica
// that judged a token stale just after another replaced it adopts the new one instead of refreshing again.
import { randomUUID } from 'node:crypto';
import type { SharedToken, SharedTokenStore } from '../vendors/shared-token.js';
import type { SharedRedis } from './redis.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export function redisTokenStore(
  redis: SharedRedis,
  options: { leaseMs?: number; waitMs?: number } = {},
): SharedTokenStore {
  const leaseMs = options.leaseMs ?? 15_000;
  const waitMs = options.waitMs ?? 20_000;
  const key = (name: string) => `${redis.prefix}token:${name}`;
  const read = async (name: string): Promise<SharedToken | null> => {
    const raw = await redis.client.get(key(name));
    if (!raw) return null;
    try {
      const t = JSON.parse(raw) as SharedToken;
      return typeof t.header === 'string' && typeof t.expiresAt === 'number' ? t : null;
    } catch {
      return null;
    }
  };
  const fresh = (t: SharedToken | null, stale: string | undefined): t is SharedToken =>
    t !== null && t.header !== stale && t.expiresAt > Date.now();

  return {
    read,
    async refresh(name, stale, refresh) {
      const lock = `${key(name)}:lock`;
      const me = randomUUID();
      const deadline = Date.now() + waitMs;
      for (;;) {
        const current = await read(name);
        if (fresh(current, stale)) return current;
        if ((await redis.client.set(lock, me, 'PX', leaseMs, 'NX')) === 'OK') {
          try {
            // Someone may have finished between our read and our lease.
            const again = await read(name);
            if (fresh(again, stale)) return again;
            const token = await refresh();
            const ttl = Math.max(1_000, token.expiresAt - Date.now());
            await redis.client.set(key(name), JSON.stringify(token), 'PX', ttl);
            return token;
          } finally {
            await redis.client.eval(RELEASE, 1, lock, me).catch(() => undefined);
          }
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for another replica's ${name} token refresh`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}
