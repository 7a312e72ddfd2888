// One connection over several vendors' lists: the list is the concatenation of upstream segments (vendor order,
// then each vendor's own order), and a cursor is a position in it. A page asks every segment it may need in
// parallel, one window each (one vendor call, or two where a page-numbered window straddles pages; segments
// before the cursor only for their totals), so the vendors' latencies do not add up.
//
// A segment that fails is reported and treated as empty: the page goes on with the other vendors' orders, and
// the cursors after it move past the failed vendor's part. A client that walks on while a vendor is down does not
// see that vendor's remaining orders in this walk; the error on each such page says so.
import { UpstreamError, ValidationError } from '../domain/errors.js';
import { decodeCursor, encodeCursor, type Position } from '../domain/cursor.js';
import type { Vendor } from '../domain/model.js';
import type { Page, Segment } from '../vendors/paging.js';

export interface VendorSegment<T> {
  vendor: Vendor;
  segment: Segment<T>;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** An edge whose cursor is encoded only when read: most queries select the nodes and never a cursor. */
class PagedEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly list: string,
    private readonly fp: string,
    private readonly segment: number,
    private readonly offset: number,
  ) {}

  get cursor(): string {
    return encodeCursor(this.list, this.fp, { segment: this.segment, offset: this.offset });
  }
}

export interface ConnectionPage<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
  /** Vendors whose part of the list could not be read; the rest of the page is still good. */
  failures: UpstreamError[];
}

export const MAX_PAGE_SIZE = 100;
/** The page size of a connection field asked without `first`. */
export const DEFAULT_PAGE_SIZE = 20;

/** Checks `first` before anything is planned or fetched. */
export function checkFirst(first: number | null | undefined, fallback = DEFAULT_PAGE_SIZE): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE) {
    throw new ValidationError(`"first" must be an integer from 0 to ${MAX_PAGE_SIZE} (got ${String(first)})`, 'first');
  }
  return n;
}

export async function pageOver<T>(
  segments: VendorSegment<T>[],
  list: string,
  fp: string,
  first: number,
  after: string | null | undefined,
  /** False when the caller did not ask for totalCount: the segments before the cursor are then not asked at all. */
  wantTotal = true,
): Promise<ConnectionPage<T>> {
  let start: Position = { segment: 0, offset: 0 };
  if (after) {
    const pos = decodeCursor(after, list, fp, segments.length);
    start = { segment: pos.segment, offset: pos.offset + 1 };
  }
  const failures: UpstreamError[] = [];
  const windows = await Promise.all(
    segments.map(async ({ segment }, j): Promise<Page<T>> => {
      if (j < start.segment && !wantTotal) return { items: [], total: 0 };
      const offset = j === start.segment ? start.offset : 0;
      const limit = j < start.segment ? 0 : first;
      try {
        return await segment.fetch(offset, limit);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        failures.push(err);
        return { items: [], total: 0 };
      }
    }),
  );

  const edges: Edge<T>[] = [];
  let last: Position | undefined;
  for (let j = start.segment; j < segments.length && edges.length < first; j++) {
    const base = j === start.segment ? start.offset : 0;
    const items = windows[j]?.items ?? [];
    for (let i = 0; i < items.length && edges.length < first; i++) {
      last = { segment: j, offset: base + i };
      edges.push(new PagedEdge(items[i] as T, list, fp, j, base + i));
    }
  }

  const totals = windows.map((w) => w.total);
  const from = last ? { segment: last.segment, offset: last.offset + 1 } : start;
  let remaining = Math.max(0, (totals[from.segment] ?? 0) - from.offset);
  for (let j = from.segment + 1; j < totals.length; j++) remaining += totals[j] ?? 0;

  return {
    edges,
    pageInfo: {
      hasNextPage: remaining > 0,
      hasPreviousPage: start.segment > 0 || start.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: totals.reduce((a, b) => a + b, 0),
    failures: dedupeByVendor(failures),
  };
}

function dedupeByVendor(failures: UpstreamError[]): UpstreamError[] {
  const seen = new Set<Vendor>();
  return failures.filter((f) => !seen.has(f.vendor) && seen.add(f.vendor));
}
