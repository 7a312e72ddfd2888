// Cross-vendor paging (src/loaders/concat.ts): one connection over several vendors' segments, with cursors that
// are positions in the concatenation. Segments here are in-memory lists that count their fetches.
import { describe, expect, it } from 'vitest';
import { UpstreamError, ValidationError } from '../../src/domain/errors.js';
import type { Vendor } from '../../src/domain/model.js';
import {
  checkFirst,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  pageOver,
  type VendorSegment,
} from '../../src/loaders/concat.js';

interface Counted {
  segments: VendorSegment<string>[];
  calls: { key: string; offset: number; limit: number }[];
}

/** One segment per entry: `n` items named `<vendor>-<i>`, or a segment that fails with an UpstreamError. */
function segments(spec: [Vendor, number | 'fails'][]): Counted {
  const calls: Counted['calls'] = [];
  return {
    calls,
    segments: spec.map(([vendor, n], j) => ({
      vendor,
      segment: {
        key: `${vendor}/${j}`,
        async fetch(offset: number, limit: number) {
          calls.push({ key: `${vendor}/${j}`, offset, limit });
          if (n === 'fails') throw new UpstreamError(vendor, 'unavailable', `${vendor} is down`);
          const all = Array.from({ length: n }, (_, i) => `${vendor}-${i}`);
          return { items: all.slice(offset, offset + limit), total: n };
        },
      },
    })),
  };
}

const names = (page: { edges: { node: string }[] }) => page.edges.map((e) => e.node);

describe('pageOver', () => {
  it.each([
    // [sizes of the segments, first, expected nodes, hasNextPage, totalCount]
    [[3, 2], 4, ['DOTZERO-0', 'DOTZERO-1', 'DOTZERO-2', 'GENERIC_MES-0'], true, 5],
    [[3, 2], 5, ['DOTZERO-0', 'DOTZERO-1', 'DOTZERO-2', 'GENERIC_MES-0', 'GENERIC_MES-1'], false, 5],
    [[0, 2], 1, ['GENERIC_MES-0'], true, 2],
    [[3, 0], 10, ['DOTZERO-0', 'DOTZERO-1', 'DOTZERO-2'], false, 3],
    [[3, 2], 0, [], true, 5],
  ] as const)('segments %j, first %i: concatenates in segment order', async (sizes, first, expected, next, total) => {
    const { segments: segs } = segments([
      ['DOTZERO', sizes[0]],
      ['GENERIC_MES', sizes[1]],
    ]);
    const page = await pageOver(segs, 'list', 'fp', first, null);
    expect(names(page)).toEqual(expected);
    expect(page.pageInfo.hasNextPage).toBe(next);
    expect(page.pageInfo.hasPreviousPage).toBe(false);
    expect(page.totalCount).toBe(total);
  });

  it('walks the whole concatenation with endCursor, each item once, crossing vendors', async () => {
    const { segments: segs } = segments([
      ['DOTZERO', 3],
      ['GENERIC_MES', 0],
      ['PITNEY_BOWES', 4],
    ]);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page: Awaited<ReturnType<typeof pageOver<string>>> = await pageOver(segs, 'list', 'fp', 2, after);
      seen.push(...names(page));
      if (!page.pageInfo.hasNextPage) break;
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([
      'DOTZERO-0',
      'DOTZERO-1',
      'DOTZERO-2',
      'PITNEY_BOWES-0',
      'PITNEY_BOWES-1',
      'PITNEY_BOWES-2',
      'PITNEY_BOWES-3',
    ]);
  });

  it('asks each segment one window: those after the cursor for `first` items, those before for their total only', async () => {
    const c = segments([
      ['DOTZERO', 3],
      ['GENERIC_MES', 5],
    ]);
    const firstPage = await pageOver(c.segments, 'list', 'fp', 4, null);
    c.calls.length = 0;
    const page = await pageOver(c.segments, 'list', 'fp', 2, firstPage.pageInfo.endCursor);
    expect(names(page)).toEqual(['GENERIC_MES-1', 'GENERIC_MES-2']);
    expect(c.calls).toEqual([
      { key: 'DOTZERO/0', offset: 0, limit: 0 },
      { key: 'GENERIC_MES/1', offset: 1, limit: 2 },
    ]);
    expect(page.totalCount).toBe(8);
  });

  it('skips the segments before the cursor entirely when no total is wanted', async () => {
    const c = segments([
      ['DOTZERO', 3],
      ['GENERIC_MES', 5],
    ]);
    const firstPage = await pageOver(c.segments, 'list', 'fp', 4, null, false);
    c.calls.length = 0;
    await pageOver(c.segments, 'list', 'fp', 2, firstPage.pageInfo.endCursor, false);
    expect(c.calls.map((call) => call.key)).toEqual(['GENERIC_MES/1']);
  });

  it('a failing vendor is reported once and treated as empty; the others still answer', async () => {
    const c = segments([
      ['DOTZERO', 'fails'],
      ['DOTZERO', 'fails'],
      ['PITNEY_BOWES', 2],
    ]);
    const page = await pageOver(c.segments, 'list', 'fp', 5, null);
    expect(names(page)).toEqual(['PITNEY_BOWES-0', 'PITNEY_BOWES-1']);
    expect(page.failures.map((f) => f.vendor)).toEqual(['DOTZERO']);
    expect(page.totalCount).toBe(2);
  });

  it('an error that is not a vendor failure fails the page', async () => {
    const segs: VendorSegment<string>[] = [
      { vendor: 'DOTZERO', segment: { key: 'k', fetch: () => Promise.reject(new Error('a bug')) } },
    ];
    await expect(pageOver(segs, 'list', 'fp', 5, null)).rejects.toThrow('a bug');
  });

  it.each([
    ['another list', 'other', 'fp'],
    ['another query', 'list', 'other-fp'],
  ])('refuses a cursor from %s without fetching', async (_what, list, fp) => {
    const c = segments([['DOTZERO', 3]]);
    const page = await pageOver(c.segments, list, fp, 1, null);
    c.calls.length = 0;
    const err = await pageOver(c.segments, 'list', 'fp', 1, page.pageInfo.endCursor).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ field: 'after' });
    expect(c.calls).toEqual([]);
  });
});

describe('checkFirst', () => {
  it.each([
    [undefined, DEFAULT_PAGE_SIZE],
    [null, DEFAULT_PAGE_SIZE],
    [0, 0],
    [MAX_PAGE_SIZE, MAX_PAGE_SIZE],
  ])('first %s -> %i', (first, expected) => {
    expect(checkFirst(first)).toBe(expected);
  });

  it.each([-1, MAX_PAGE_SIZE + 1, 1.5])('refuses first %s', (first) => {
    expect(() => checkFirst(first)).toThrow(ValidationError);
  });
});
