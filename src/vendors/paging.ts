// Offset windows over the vendors' list calls. The gateway pages with offsets (its cursors hold positions); each
// vendor pages its own way, so these helpers turn "items [offset, offset+limit)" into as few vendor calls as that
// vendor's paging allows, and scan whole lists where a vendor cannot filter by what was asked.

export interface Page<T> {
  items: T[];
  total: number;
}

/** One upstream list query; a filtered list is the concatenation of its segments, in order. */
export interface Segment<T> {
  /** Stable description of the upstream query (part of the cursor check). */
  key: string;
  fetch(offset: number, limit: number): Promise<Page<T>>;
}

/** The largest page the gateway asks any vendor for (every document caps pages at 100 or names no cap). */
export const MAX_VENDOR_PAGE = 100;

/** Pages of one whole-list read in flight at once: enough to be quick, few enough not to trip a vendor's rate limit. */
export const SCAN_CONCURRENCY = 4;

/** A whole-list read stops here (100,000 records): a list that never ends is a broken answer, not data. */
const MAX_SCAN_PAGES = 1000;

/** Runs `fn` over `items` with at most `limit` at once, keeping the order of `items` in the result. */
export async function mapLimited<I, O>(items: readonly I[], limit: number, fn: (item: I) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as I);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Windows over a page-numbered API (page from 1, fixed size). Picks the smallest page size that holds the whole
 * window in one page; where none up to `maxSize` does, asks for the two pages of `maxSize` that cover it.
 */
export function pagedWindow<T>(
  fetchPage: (page: number, size: number) => Promise<Page<T>>,
  maxSize = MAX_VENDOR_PAGE,
): (offset: number, limit: number) => Promise<Page<T>> {
  return async (offset, limit) => {
    if (limit <= 0) {
      const first = await fetchPage(1, 1);
      return { items: [], total: first.total };
    }
    for (let size = limit; size <= maxSize; size++) {
      if (Math.floor(offset / size) === Math.floor((offset + limit - 1) / size)) {
        const page = Math.floor(offset / size) + 1;
        const got = await fetchPage(page, size);
        const from = offset - (page - 1) * size;
        return { items: got.items.slice(from, from + limit), total: got.total };
      }
    }
    const page = Math.floor(offset / maxSize) + 1;
    const [a, b] = await Promise.all([fetchPage(page, maxSize), fetchPage(page + 1, maxSize)]);
    const from = offset - (page - 1) * maxSize;
    return { items: [...a.items, ...b.items].slice(from, from + limit), total: a.total };
  };
}

/**
 * Reads a whole list (first page, then the rest in parallel) and keeps what `keep` accepts. Used where a vendor
 * cannot filter by what was asked; the result is cached in the returned segment, which lives for one request.
 */
export function scanningWindow<T>(
  fetchPage: (page: number, size: number) => Promise<Page<T>>,
  keep: (item: T) => boolean,
  maxSize = MAX_VENDOR_PAGE,
): (offset: number, limit: number) => Promise<Page<T>> {
  let all: Promise<T[]> | undefined;
  const load = async () => {
    const first = await fetchPage(1, maxSize);
    const pages = Math.max(1, Math.ceil(first.total / maxSize));
    const rest = await mapLimited(
      Array.from({ length: pages - 1 }, (_, i) => i + 2),
      SCAN_CONCURRENCY,
      (page) => fetchPage(page, maxSize),
    );
    const read = [first, ...rest];
    const count = () => read.reduce((n, p) => n + p.items.length, 0);
    // A vendor that gives no total (only "there is more") undercounts: when the pages hold more than the total
    // said and the last one is full, read on until a short page.
    for (let page = pages + 1; count() > first.total && (read.at(-1)?.items.length ?? 0) >= maxSize; page++) {
      if (page > MAX_SCAN_PAGES) throw new Error(`a list that did not end after ${MAX_SCAN_PAGES} pages`);
      read.push(await fetchPage(page, maxSize));
    }
    return read.flatMap((p) => p.items).filter(keep);
  };
  return async (offset, limit) => {
    all ??= load();
    const items = await all;
    return { items: items.slice(offset, offset + Math.max(0, limit)), total: items.length };
  };
}

/** Windows over an offset API (`start`/`limit`), splitting windows over `maxSize` (never needed at 100). */
export function offsetWindow<T>(
  fetchRange: (start: number, limit: number) => Promise<Page<T>>,
): (offset: number, limit: number) => Promise<Page<T>> {
  return async (offset, limit) => {
    const got = await fetchRange(offset, Math.max(1, Math.min(limit, MAX_VENDOR_PAGE)));
    return { items: limit <= 0 ? [] : got.items.slice(0, limit), total: got.total };
  };
}

/** Converts a page-numbered fetch into offset/limit for scanning (offset-native vendors). */
export function asPages<T>(
  fetchRange: (start: number, limit: number) => Promise<Page<T>>,
): (page: number, size: number) => Promise<Page<T>> {
  return (page, size) => fetchRange((page - 1) * size, size);
}
