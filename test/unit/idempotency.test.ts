// The idempotency store (src/writes/idempotency.ts): one outcome per key, decided by what a failure leaves behind.
import { afterEach, describe, expect, it } from 'vitest';
import { IdempotencyError } from '../../src/domain/errors.js';
import { MemoryIdempotencyStore, type AfterFailure, type VerifyFacts } from '../../src/writes/idempotency.js';

const stores: MemoryIdempotencyStore[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

function store(ttlMs?: number, now?: () => number) {
  const s = new MemoryIdempotencyStore(ttlMs, now);
  stores.push(s);
  return s;
}

/** A write that counts its runs and answers `value`, or fails with `error`. */
function write<T>(value: T, error?: Error) {
  const w = {
    runs: 0,
    fn: async () => {
      w.runs++;
      if (error) throw error;
      return value;
    },
  };
  return w;
}

const keep = (): AfterFailure => ({ action: 'keep' });
const release = (): AfterFailure => ({ action: 'release' });

describe('MemoryIdempotencyStore', () => {
  it('a repeat with the same key and input answers the first outcome without running again', async () => {
    const s = store();
    const w = write({ id: 1 });
    expect(await s.run('k', 'fp', w.fn, keep)).toEqual({ id: 1 });
    expect(await s.run('k', 'fp', w.fn, keep)).toEqual({ id: 1 });
    expect(w.runs).toBe(1);
  });

  it('different keys run separately', async () => {
    const s = store();
    const w = write(true);
    await s.run('a', 'fp', w.fn, keep);
    await s.run('b', 'fp', w.fn, keep);
    expect(w.runs).toBe(2);
  });

  it('the same key with another input is refused (MISMATCH), without running', async () => {
    const s = store();
    const w = write(true);
    await s.run('k', 'fp-1', w.fn, keep);
    const err = await s.run('k', 'fp-2', w.fn, keep).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdempotencyError);
    expect(err).toMatchObject({ reason: 'MISMATCH' });
    expect(w.runs).toBe(1);
  });

  it('a repeat while the first is still running is refused (IN_PROGRESS)', async () => {
    const s = store();
    let finish!: () => void;
    const first = s.run('k', 'fp', () => new Promise<boolean>((resolve) => (finish = () => resolve(true))), keep);
    const err = await s.run('k', 'fp', async () => true, keep).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'IdempotencyError', reason: 'IN_PROGRESS' });
    finish();
    expect(await first).toBe(true);
  });

  it.each([
    ['release', 2, { action: 'release' } as AfterFailure, 'ok'],
    ['keep', 1, { action: 'keep' } as AfterFailure, 'boom'],
  ])('after a failure that says %s, the write runs %i time(s) in all', async (_name, runs, after, second) => {
    const s = store();
    let n = 0;
    const fn = async () => {
      n++;
      if (n === 1) throw new Error('boom');
      return 'ok';
    };
    await expect(s.run('k', 'fp', fn, () => after)).rejects.toThrow('boom');
    const again = await s.run('k', 'fp', fn, () => after).catch((e: Error) => e.message);
    expect(again).toBe(second);
    expect(n).toBe(runs);
  });

  it('after a failure that says replay, a repeat answers the replay and never runs the write again', async () => {
    const s = store();
    const w = write('x', new Error('re-read failed'));
    let replays = 0;
    const after = (): AfterFailure => ({ action: 'replay', replay: async () => `replayed ${++replays}` });
    await expect(s.run('k', 'fp', w.fn, after)).rejects.toThrow('re-read failed');
    expect(await s.run('k', 'fp', w.fn, after)).toBe('replayed 1');
    expect(await s.run('k', 'fp', w.fn, after)).toBe('replayed 2');
    expect(w.runs).toBe(1);
  });

  it.each([
    ['done', 1, true, 'found'],
    ['not done', 2, false, 'ok'],
  ])(
    'after a failure that says verify, the repeat checks with its own verifier and the first facts: %s, the write runs %i time(s) in all',
    async (_name, runs, happened, answer) => {
      const s = store();
      let n = 0;
      const fn = async () => {
        if (++n === 1) throw new Error('lost');
        return 'ok';
      };
      const after = (): AfterFailure => ({ action: 'verify', facts: { from: 'OPEN' } });
      const seen: unknown[] = [];
      const verifier = (facts: VerifyFacts) => async () => {
        seen.push(facts);
        return happened ? { done: true as const, value: 'found' } : { done: false as const };
      };
      let replays = 0;
      await expect(s.run('k', 'fp', fn, after, undefined, verifier)).rejects.toThrow('lost');
      expect(await s.run('k', 'fp', fn, after, () => replays++, verifier)).toBe(answer);
      expect(seen).toEqual([{ from: 'OPEN' }]);
      expect(replays).toBe(happened ? 1 : 0);
      // The outcome is recorded: a third time neither checks nor runs.
      expect(await s.run('k', 'fp', fn, after, undefined, verifier)).toBe(answer);
      expect(seen).toHaveLength(1);
      expect(n).toBe(runs);
    },
  );

  it('a repeat whose check fails answers its error and keeps the unknown outcome for the next repeat', async () => {
    const s = store();
    const fn = async () => {
      throw new Error('lost');
    };
    const after = (): AfterFailure => ({ action: 'verify', facts: {} });
    let checks = 0;
    const verifier = () => async () => {
      if (++checks === 1) throw new Error('vendor down');
      return { done: true as const, value: 'found' };
    };
    await expect(s.run('k', 'fp', fn, after, undefined, verifier)).rejects.toThrow('lost');
    await expect(s.run('k', 'fp', fn, after, undefined, verifier)).rejects.toThrow('vendor down');
    expect(await s.run('k', 'fp', fn, after, undefined, verifier)).toBe('found');
    expect(checks).toBe(2);
  });

  it('a key is free again once its entry has expired', async () => {
    let clock = 0;
    const s = store(1000, () => clock);
    const w = write(true);
    await s.run('k', 'fp', w.fn, release);
    clock = 999;
    await s.run('k', 'fp', w.fn, release);
    expect(w.runs).toBe(1);
    clock = 1000;
    await s.run('k', 'fp-other', w.fn, release);
    expect(w.runs).toBe(2);
  });
});
