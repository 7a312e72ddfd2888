// The per-order lock (src/writes/lock.ts): work on one key one at a time, in arrival order; other keys in parallel.
import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/writes/lock.js';

/** A task that records when it starts and ends, and ends only when released. */
function gate(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    release: () => release(),
    fn: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLock', () => {
  it('runs work on one key one at a time, in arrival order', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => gate(log, n)) as [
      ReturnType<typeof gate>,
      ReturnType<typeof gate>,
      ReturnType<typeof gate>,
    ];
    const runs = [lock.run('order-1', a.fn), lock.run('order-1', b.fn), lock.run('order-1', c.fn)];
    await tick();
    expect(log).toEqual(['start a']);
    c.release();
    b.release();
    await tick();
    expect(log).toEqual(['start a']);
    a.release();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs work on different keys in parallel', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const runs = [lock.run('order-1', a.fn), lock.run('order-2', b.fn)];
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.release();
    a.release();
    await Promise.all(runs);
  });

  it("a failure is the failing caller's alone: the next in line still runs", async () => {
    const lock = new KeyedLock();
    const first = lock.run('order-1', async () => {
      throw new Error('vendor refused');
    });
    const second = lock.run('order-1', async () => 'ran');
    await expect(first).rejects.toThrow('vendor refused');
    expect(await second).toBe('ran');
  });

  it('forgets a key once its last waiter is done', async () => {
    const lock = new KeyedLock();
    await Promise.all([lock.run('order-1', async () => 1), lock.run('order-1', async () => 2)]);
    expect((lock as unknown as { tails: Map<string, unknown> }).tails.size).toBe(0);
  });
});
