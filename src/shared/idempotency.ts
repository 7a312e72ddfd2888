// Idempotency records in Redis, for N replicas: the same semantics as the memory store (writes/idempotency.ts),
// claimed atomically with SET NX PX (24 hours), so a key used on one replica and repeated on another, or repeated on
// both at once, makes one vendor write. A claim that cannot be made (Redis away) refuses the write before anything
// is sent: never a write without its claim. A write whose outcome was unknown keeps the facts its check needs; the
// repeat, on any replica, rebuilds the check from them (writes/idempotency.ts verifyRepeat).
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
import {
  refuseConflict,
  verifyRepeat,
  type AfterFailure,
  type IdempotencyStore,
  type Verifier,
  type VerifyFacts,
} from '../writes/idempotency.js';
import type { SharedRedis } from './redis.js';

const DAY_MS = 24 * 60 * 60 * 1000;

type Record_ =
  | { state: 'running'; fp: string }
  | { state: 'done'; fp: string; ok: true; value: unknown }
  | { state: 'done'; fp: string; ok: true; replay: true }
  | { state: 'done'; fp: string; ok: false; error: SerializedError; facts?: VerifyFacts };

/** Replaces the record only if it is still the one read (compare-and-set), keeping its time to live. */
const SWAP = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1 end return 0`;

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
    verifier?: Verifier,
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
      refuseConflict(existing, existing.fp, fingerprint);
      if (!existing.ok && existing.facts && verifier) {
        // The outcome was unknown: read the vendor, on whichever replica the repeat came to. The key is taken from
        // the record read to "running" atomically, so two racing repeats verify once.
        const running = JSON.stringify({ state: 'running', fp: fingerprint } satisfies Record_);
        const found = await verifyRepeat(
          verifier(existing.facts),
          {
            claim: async () =>
              (await this.command('the idempotency key could not be claimed', () =>
                client.eval(SWAP, 1, k, raw, running),
              )) === 1,
            // As for `record` below: a record that cannot be written leaves the key "in progress" until it
            // expires, refusing repeats; the client still gets this answer (the check's error, or the result).
            restore: async () => {
              await client.eval(SWAP, 1, k, running, raw).catch(() => undefined);
            },
            settle: async (value) => {
              const done = changeSerializer.stringify({
                state: 'done',
                fp: fingerprint,
                ok: true,
                value,
              } satisfies Record_);
              await client.eval(SWAP, 1, k, running, done).catch(() => undefined);
            },
            free: async () => {
              await this.command('the idempotency key could not be released', () => client.del(k));
            },
          },
          onReplay,
        );
        if (found.done) return found.value as T;
        // Not done: the write runs now, once, under a claim made anew.
        continue;
      }
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
      } else
        await record({
          state: 'done',
          fp: fingerprint,
          ok: false,
          error: serializeError(error),
          ...(after.action === 'verify' ? { facts: after.facts } : {}),
        });
      throw error;
    }
  }

  close() {
    this.localReplays.clear();
  }
}
