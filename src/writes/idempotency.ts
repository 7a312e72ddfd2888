// Idempotency keys: a write sent again with the same key and input answers the first outcome without calling the
// vendor; the same key with another input is refused, and so is a repeat while the first is still running. Kept in
// memory for at least 24 hours, per caller (a multi-instance deployment would put this store in Redis; the
// interface is the seam for that).
import { IdempotencyError } from '../domain/errors.js';

type Entry =
  | { state: 'running'; fingerprint: string; expiresAt: number }
  | { state: 'done'; fingerprint: string; expiresAt: number; ok: true; value: unknown }
  | { state: 'done'; fingerprint: string; expiresAt: number; ok: true; replay: () => Promise<unknown> }
  | { state: 'done'; fingerprint: string; expiresAt: number; ok: false; error: unknown; facts?: VerifyFacts };

/** Reads the vendor to learn whether a write whose answer was lost took effect: its result if so. */
export type Verify = () => Promise<{ done: true; value: unknown } | { done: false }>;

/**
 * What the first attempt of a write knew that its check needs (a transition: the status it moved from and to; a
 * create: when it was sent). Plain JSON, so it travels in a shared store to whichever replica gets the repeat.
 */
export type VerifyFacts = Record<string, string | number | boolean | null>;

/**
 * Builds the check from the recorded facts. The REPEAT gives it, from its own request: the same fingerprint means
 * the same operation and input, so the repeat's verifier checks for the first attempt's write.
 */
export type Verifier = (facts: VerifyFacts) => Verify;

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
  | { action: 'verify'; facts: VerifyFacts };

export interface IdempotencyStore {
  /**
   * Runs `fn` once per key. `onReplay` is called when the answer is not a new run but the first one's outcome (its
   * value, its kept error, or a re-read), so the caller can say so to its client. `verifier` rebuilds the check of
   * an unknown outcome from the facts its first attempt recorded (see `verifyRepeat`); without it such a repeat
   * answers the kept error.
   */
  run<T>(
    key: string,
    fingerprint: string,
    fn: () => Promise<T>,
    afterFailure: (err: unknown) => AfterFailure,
    onReplay?: () => void,
    verifier?: Verifier,
  ): Promise<T>;
}

/**
 * What every store does with a record already under the key: another request's record is a conflict (MISMATCH),
 * one still running is refused (IN_PROGRESS). Anything else is an outcome to answer.
 */
export function refuseConflict<E extends { state: string }>(
  existing: E,
  recorded: string,
  fingerprint: string,
): asserts existing is Exclude<E, { state: 'running' }> {
  if (recorded !== fingerprint)
    throw new IdempotencyError('This idempotency key was already used with a different request', 'MISMATCH');
  if (existing.state === 'running')
    throw new IdempotencyError('A request with this idempotency key is still in progress', 'IN_PROGRESS');
}

/** How a store holds a key while a repeat verifies it: its own storage, the same decisions (verifyRepeat). */
export interface VerifySteps {
  /** Marks the key running, only if it still holds the record read; false if another repeat got there first. */
  claim(): Promise<boolean>;
  /** Puts the record read back (the check failed: the outcome is still unknown). */
  restore(): Promise<void>;
  /** Keeps the found result under the key, as a successful write's. */
  settle(value: unknown): Promise<void>;
  /** Frees the key: the write did not happen, and the repeat runs it as if first. */
  free(): Promise<void>;
}

/**
 * A repeat of a write whose outcome was unknown: claims the key (so two racing repeats verify once; the loser is
 * told IN_PROGRESS), reads the vendor through the check rebuilt from the first attempt's facts, and keeps the
 * result (done: a replay) or frees the key (not done: the caller runs the write, once). A check that fails puts
 * the record back and throws its error.
 */
export async function verifyRepeat(
  verify: Verify,
  steps: VerifySteps,
  onReplay?: () => void,
): Promise<{ done: true; value: unknown } | { done: false }> {
  if (!(await steps.claim()))
    throw new IdempotencyError('A request with this idempotency key is still in progress', 'IN_PROGRESS');
  let found: Awaited<ReturnType<Verify>>;
  try {
    found = await verify();
  } catch (err) {
    await steps.restore();
    throw err;
  }
  if (!found.done) {
    await steps.free();
    return found;
  }
  await steps.settle(found.value);
  onReplay?.();
  return found;
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
    verifier?: Verifier,
  ): Promise<T> {
    const existing = this.entries.get(key);
    if (existing && existing.expiresAt > this.now()) {
      refuseConflict(existing, existing.fingerprint, fingerprint);
      // A recorded outcome is a replay; a verified write that had not happened runs anew below, and is not.
      if (existing.ok) {
        onReplay?.();
        return ('replay' in existing ? await existing.replay() : existing.value) as T;
      }
      if (!existing.facts || !verifier) {
        onReplay?.();
        throw existing.error;
      }
      const { expiresAt } = existing;
      const found = await verifyRepeat(
        verifier(existing.facts),
        {
          claim: async () => {
            if (this.entries.get(key) !== existing) return false;
            this.entries.set(key, { state: 'running', fingerprint, expiresAt });
            return true;
          },
          restore: async () => void this.entries.set(key, existing),
          settle: async (value) =>
            void this.entries.set(key, { state: 'done', fingerprint, expiresAt, ok: true, value }),
          free: async () => void this.entries.delete(key),
        },
        onReplay,
      );
      if (found.done) return found.value as T;
      // Not done: claim the freed key anew, as a first attempt would (another repeat may have taken it meanwhile).
      return this.run(key, fingerprint, fn, afterFailure, onReplay, verifier);
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
        this.entries.set(key, { state: 'done', fingerprint, expiresAt, ok: false, error, facts: after.facts });
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
