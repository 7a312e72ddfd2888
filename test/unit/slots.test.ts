// The bulkhead of vendor calls (Slots in src/vendors/resilience.ts) on its own, with fake time: who gets a freed slot,
// when a waiting call gives up, and that the one timer the waiting calls share follows the earliest deadline. What
// the gateway makes of a refusal (UPSTREAM_UNAVAILABLE unsent, UPSTREAM_TIMEOUT after waiting) is in the resilience
// integration tests.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SLOTS_FULL, SLOT_WAIT_OVER, Slots } from '../../src/vendors/resilience.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** What became of a wait, as it settles. */
function watch(p: Promise<void>, into: string[], name: string): void {
  p.then(
    () => into.push(`${name} got a slot`),
    (why: unknown) => into.push(`${name} ${why === SLOTS_FULL ? 'refused' : why === SLOT_WAIT_OVER ? 'gave up' : '?'}`),
  );
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('Slots', () => {
  it('hands a freed slot to the longest-waiting call, and frees it when nobody waits', async () => {
    const slots = new Slots(1, 10);
    expect(slots.tryTake()).toBe(true);
    expect(slots.tryTake()).toBe(false);
    const seen: string[] = [];
    const now = performance.now();
    for (const name of ['a', 'b', 'c']) watch(slots.wait(now + 1_000), seen, name);
    slots.release();
    await flush();
    expect(seen).toEqual(['a got a slot']);
    expect(slots.active).toBe(1);
    slots.release();
    slots.release();
    await flush();
    expect(seen).toEqual(['a got a slot', 'b got a slot', 'c got a slot']);
    slots.release();
    expect(slots.active).toBe(0);
    expect(slots.tryTake()).toBe(true);
  });

  it('refuses a call at once when every slot and queue place is taken', async () => {
    const slots = new Slots(1, 2);
    slots.tryTake();
    const seen: string[] = [];
    const now = performance.now();
    for (const name of ['a', 'b', 'c']) watch(slots.wait(now + 1_000), seen, name);
    await flush();
    expect(seen).toEqual(['c refused']);
  });

  it('fails each waiting call at its own deadline, a later call with an earlier deadline included', async () => {
    const slots = new Slots(1, 10);
    slots.tryTake();
    const seen: string[] = [];
    const now = performance.now();
    watch(slots.wait(now + 300), seen, 'first');
    // A retry has the deadline its call started with: it may wait with an earlier deadline than those ahead of it.
    watch(slots.wait(now + 50), seen, 'retry');
    await vi.advanceTimersByTimeAsync(49);
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['retry gave up']);
    await vi.advanceTimersByTimeAsync(249);
    expect(seen).toEqual(['retry gave up']);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual(['retry gave up', 'first gave up']);
    // A call that gave up never gets the slot: it is free once given back.
    slots.release();
    expect(slots.active).toBe(0);
  });

  it('leaves no timer behind once nobody waits', async () => {
    const slots = new Slots(1, 10);
    slots.tryTake();
    const seen: string[] = [];
    watch(slots.wait(performance.now() + 10_000), seen, 'a');
    expect(vi.getTimerCount()).toBe(1);
    slots.release();
    await flush();
    expect(seen).toEqual(['a got a slot']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
