import { describe, expect, it } from 'vitest';
import { mapLimited, pagedWindow, scanningWindow, type Page } from '../../src/vendors/paging.js';

const ITEMS = Array.from({ length: 250 }, (_, i) => i);

/** A page-numbered list over ITEMS that records the pages asked for. */
function pagedList(items = ITEMS, totalOf = (n: number) => n) {
  const asked: [number, number][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchPage = async (page: number, size: number): Promise<Page<number>> => {
    asked.push([page, size]);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 1));
    inFlight--;
    return { items: items.slice((page - 1) * size, page * size), total: totalOf(items.length) };
  };
  return { fetchPage, asked, maxInFlight: () => maxInFlight };
}

describe('pagedWindow: offsets over page-numbered lists, in as few calls as the paging allows', () => {
  it.each([
    // offset, limit, pages asked
    [0, 50, [[1, 50]]],
    [50, 50, [[2, 50]]],
    [20, 50, [[1, 70]]],
    [130, 37, [[4, 42]]],
    [95, 10, [[7, 15]]],
    [
      99,
      100,
      [
        [1, 100],
        [2, 100],
      ],
    ],
    [0, 0, [[1, 1]]],
  ] as const)('items [%i, +%i) -> pages %j', async (offset, limit, pages) => {
    const list = pagedList();
    const got = await pagedWindow(list.fetchPage)(offset, limit);
    expect(got.items).toEqual(ITEMS.slice(offset, offset + limit));
    expect(got.total).toBe(250);
    expect(list.asked).toEqual(pages);
  });
});

describe('scanningWindow: whole-list reads for filters a vendor lacks', () => {
  it('keeps what the filter accepts, reads each page once, at most 4 at a time', async () => {
    const list = pagedList(Array.from({ length: 1000 }, (_, i) => i));
    const window = scanningWindow(list.fetchPage, (n) => n % 10 === 0);
    expect(await window(0, 5)).toEqual({ items: [0, 10, 20, 30, 40], total: 100 });
    expect(await window(95, 10)).toEqual({ items: [950, 960, 970, 980, 990], total: 100 });
    expect(list.asked).toHaveLength(10);
    expect(list.maxInFlight()).toBeLessThanOrEqual(4);
  });

  it('reads on past an undercounted total (a vendor that only says "there is more")', async () => {
    const list = pagedList(ITEMS, () => 101);
    expect((await scanningWindow(list.fetchPage, () => true)(0, 1000)).total).toBe(250);
    expect(list.asked.map(([p]) => p)).toEqual([1, 2, 3]);
  });
});

describe('mapLimited', () => {
  it('keeps order and bounds concurrency', async () => {
    let now = 0;
    let max = 0;
    const out = await mapLimited([5, 1, 3, 2, 4, 0], 2, async (n) => {
      max = Math.max(max, ++now);
      await new Promise((r) => setTimeout(r, n));
      now--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40, 0]);
    expect(max).toBe(2);
  });
});
