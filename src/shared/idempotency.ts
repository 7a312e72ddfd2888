// Idempotency records in Redis, for N replicas: the same semantics as the memory store (writes/idempotency.ts),
// claimed atomically with SET NX PX (24 hours), so a key used on one replica and repeated on another, or repeated on
// both at once, makes one vendor write. A claim that cannot be made (Redis away) refuses the write before anything
// is sent: never a write without its claim.
import {
  IdempotencyError,
  InvalidTransitionError,
  NotFoundError,
  SharedStateUnavailableError,
  UnsupportedByVendorError,
  UpstreamError,
  ValidationError,
  ForbiddenError,
} from '../domain/errors.js';
import { changeSerializer } from '../events/changes.js';
import type { AfterFailure, IdempotencyStore } from '../writes/idempotency.js';
import type { SharedRedis } from './redis.js';

const DAY_MS = 24 * 60 * 60 * 1000;

type Record_ =
  | { state: 'running'; fp: string }
  | { state: 'done'; fp: string; ok: true; value: unknown }
  | { state: 'done'; fp: string; ok: true; replay: true }
  | { state: 'done'; fp: string; ok: false; error: SerializedError };

interface SerializedError {
  name: string;
  message: string;
  props: Record<string, unknown>;
}

const ERROR_CLASSES: Record<string, { prototype: Error }> = {
  UpstreamError,
  ValidationError,
  NotFoundError,
  InvalidTransitionError,
  UnsupportedByVendorError,
  ForbiddenError,
  IdempotencyError,
};

function serializeError(err: unknown): SerializedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (k !== 'stack' && k !== 'cause') props[k] = v;
  return { name: e.constructor.name, message: e.message, props };
}

/** The kept error as the class it was, so it maps to the same code on every replica. */
function reviveError(s: SerializedError): Error {
  const cls = ERROR_CLASSES[s.name];
  const err = Object.create(cls ? cls.prototype : Error.prototype) as Error;
  Object.assign(err, s.props);
  Object.defineProperty(err, 'message', { value: s.message, enumerable: false, writable: true });
  return err;
}

export class RedisIdempotencyStore implements IdempotencyStore {
  /** Re-reads of writes whose answer was lost, for the replica that made them (a closure does not travel). */
  private readonly localReplays = new Map<string, () => Promise<unknown>>();

  constructor(
    private readonly redis: SharedRedis,
    private readonly ttlMs = DAY_MS,
  ) {}

  /** `caller\0key` becomes `idem:<caller>:<key>`: each caller's records under its own name. */
  private keyOf(key: string): string {
    const at = key.indexOf('\u0000');
    return at < 0
      ? `${this.redis.prefix}idem:${key}`
      : `${this.redis.prefix}idem:${key.slice(0, at)}:${key.slice(at + 1)}`;
  }

  private async command<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch {
      throw new SharedStateUnavailableError(
        `The shared store (Redis) is unavailable: ${what}. Nothing was sent; retry later.`,
      );
    }
  }

  async run<T>(
    key: string,
    fingerprint: string,
    fn: () => Promise<T>,
    afterFailure: (err: unknown) => AfterFailure,
    onReplay?: () => void,
  ): Promise<T> {
    const k = this.keyOf(key);
    const client = this.redis.client;
    for (let tries = 0; ; tries++) {
      const claimed = await this.command('the idempotency key could not be claimed', () =>
        client.set(k, JSON.stringify({ state: 'running', fp: fingerprint } satisfies Record_), 'PX', this.ttlMs, 'NX'),
      );
      if (claimed === 'OK') break;
      const raw = await this.command('the idempotency key could not be read', () => client.get(k));
      // Released or expired between the two calls: claim again.
      if (raw === null) {
        if (tries < 3) continue;
        throw new IdempotencyError('A request with this idempotency key is still in progress', 'IN_PROGRESS');
      }
      const existing = changeSerializer.parse(raw) as Record_;
      if (existing.fp !== fingerprint)
        throw new IdempotencyError('This idempotency key was already used with a different request', 'MISMATCH');
      if (existing.state === 'running')
        throw new IdempotencyError('A request with this idempotency key is still in progress', 'IN_PROGRESS');
      onReplay?.();
      if (!existing.ok) throw reviveError(existing.error);
      if ('replay' in existing) {
        const replay = this.localReplays.get(k);
        if (!replay)
          throw new IdempotencyError(
            'The write with this idempotency key was made but its answer was lost: read the order instead',
            'IN_PROGRESS',
          );
        return (await replay()) as T;
      }
      return existing.value as T;
    }

    const record = async (r: Record_) => {
      // The claim stands either way: a record that cannot be written leaves the key "in progress" until it
      // expires, which refuses repeats rather than letting one write twice.
      await client.set(k, changeSerializer.stringify(r), 'KEEPTTL').catch(() => undefined);
    };
    try {
      const value = await fn();
      await record({ state: 'done', fp: fingerprint, ok: true, value });
      return value;
    } catch (error) {
      const after = afterFailure(error);
      if (after.action === 'release') await client.del(k).catch(() => undefined);
      else if (after.action === 'replay') {
        this.localReplays.set(k, after.replay);
        await record({ state: 'done', fp: fingerprint, ok: true, replay: true });
      } else await record({ state: 'done', fp: fingerprint, ok: false, error: serializeError(error) });
      throw error;
    }
  }

  close() {
    this.localReplays.clear();
  }
}
