// Idempotency keys: a write sent again with the same key and input answers the first outcome without calling the
// vendor; the same key with another input is refused, and so is a repeat while the first is still running. Kept in
// memory for at least 24 hours, per caller (a multi-instance deployment would put this store in Redis; the
// interface is the seam for that).
import { IdempotencyError } from '../domain/errors.js';

type Entry =
  | { state: 'running'; fingerprint: string; expiresAt: number }
  | { state: 'done'; fingerprint: string; expiresAt: number; ok: true; value: unknown }
  | { state: 'done'; fingerprint: string; expiresAt: number; ok: true; replay: () => Promise<unknown> }
  | { state: 'done'; fingerprint: string; expiresAt: number; ok: false; error: unknown; verify?: Verify };

/** Reads the vendor to learn whether a write whose answer was lost took effect: its result if so. */
export type Verify = () => Promise<{ done: true; value: unknown } | { done: false }>;

/**
 * What a failed first attempt leaves behind: `release` (nothing happened at the vendor: the key is free again),
 * `keep` (the outcome is unknown or final: a repeat gets the same error), or `replay` (the write happened but its
 * answer was lost, e.g. the re-read failed: a repeat answers `replay()`, never a second write).
 */
export type AfterFailure =
  | { action: 'release' }
  | { action: 'keep' }
  | { action: 'replay'; replay: () => Promise<unknown> }
  /**
   * The write may or may not have been carried out (timeout, connection lost after sending): the error stands for
   * this attempt, and a repeat first reads the vendor (`verify`). Done: the repeat answers the result and the key
   * keeps it. Not done: the repeat runs the write again, as if first. The vendor still failing: its error.
   */
  | { action: 'verify'; verify: Verify };

export interface IdempotencyStore {
  /**
   * Runs `fn` once per key. `onReplay` is called when the answer is not a new run but the first one's outcome (its
   * value, its kept error, or a re-read), so the caller can say so to its client.
   */
  run<T>(
    key: string,
    fingerprint: string,
    fn: () => Promise<T>,
    afterFailure: (err: unknown) => AfterFailure,
    onReplay?: () => void,
  ): Promise<T>;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly now = () => Date.now(),
  ) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async run<T>(
    key: string,
    fingerprint: string,
    fn: () => Promise<T>,
    afterFailure: (err: unknown) => AfterFailure,
    onReplay?: () => void,
  ): Promise<T> {
    const existing = this.entries.get(key);
    if (existing && existing.expiresAt > this.now()) {
      if (existing.fingerprint !== fingerprint) {
        throw new IdempotencyError('This idempotency key was already used with a different request', 'MISMATCH');
      }
      if (existing.state === 'running') {
        throw new IdempotencyError('A request with this idempotency key is still in progress', 'IN_PROGRESS');
      }
      // A recorded outcome is a replay; a verified write that had not happened runs anew below, and is not.
      if (existing.ok) {
        onReplay?.();
        return ('replay' in existing ? await existing.replay() : existing.value) as T;
      }
      if (!existing.verify) {
        onReplay?.();
        throw existing.error;
      }
      // Only one repeat verifies at a time; a concurrent one is told the first is still running.
      this.entries.set(key, { state: 'running', fingerprint, expiresAt: existing.expiresAt });
      let found: Awaited<ReturnType<Verify>>;
      try {
        found = await existing.verify();
      } catch (err) {
        this.entries.set(key, existing);
        throw err;
      }
      if (found.done) {
        onReplay?.();
        this.entries.set(key, {
          state: 'done',
          fingerprint,
          expiresAt: existing.expiresAt,
          ok: true,
          value: found.value,
        });
        return found.value as T;
      }
      this.entries.delete(key);
    }
    const expiresAt = this.now() + this.ttlMs;
    this.entries.set(key, { state: 'running', fingerprint, expiresAt });
    try {
      const value = await fn();
      this.entries.set(key, { state: 'done', fingerprint, expiresAt, ok: true, value });
      return value;
    } catch (error) {
      const after = afterFailure(error);
      if (after.action === 'release') this.entries.delete(key);
      else if (after.action === 'replay')
        this.entries.set(key, { state: 'done', fingerprint, expiresAt, ok: true, replay: after.replay });
      else if (after.action === 'verify')
        this.entries.set(key, { state: 'done', fingerprint, expiresAt, ok: false, error, verify: after.verify });
      else this.entries.set(key, { state: 'done', fingerprint, expiresAt, ok: false, error });
      throw error;
    }
  }

  close() {
    clearInterval(this.sweeper);
  }

  private sweep() {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}
