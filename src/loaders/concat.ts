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

/**
 * What every cursor of one page shares: the list's name and the query's fingerprint. The fingerprint (a sha256 of
 * the query) is worked out only when a cursor is encoded or decoded: most queries read nodes and never a cursor.
 */
class PageCursors {
  private known: string | undefined;
  constructor(
    readonly list: string,
    private readonly fingerprintOf: string | (() => string),
  ) {}

  get fp(): string {
    return (this.known ??= typeof this.fingerprintOf === 'string' ? this.fingerprintOf : this.fingerprintOf());
  }

  at(segment: number, offset: number): string {
    return encodeCursor(this.list, this.fp, { segment, offset });
  }
}

/** An edge whose cursor is encoded only when read. */
class PagedEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursors: PageCursors,
    private readonly segment: number,
    private readonly offset: number,
  ) {}

  get cursor(): string {
    return this.cursors.at(this.segment, this.offset);
  }
}

/** pageInfo, whose two cursors are likewise encoded only when read. */
class PagedInfo<T> {
  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    private readonly first: Edge<T> | undefined,
    private readonly last: Edge<T> | undefined,
  ) {}

  get startCursor(): string | null {
    return this.first?.cursor ?? null;
  }

  get endCursor(): string | null {
    return this.last?.cursor ?? null;
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
  /** The query's fingerprint, or how to work it out when a cursor needs it. */
  fp: string | (() => string),
  first: number,
  after: string | null | undefined,
  /** False when the caller did not ask for totalCount: the segments before the cursor are then not asked at all. */
  wantTotal = true,
): Promise<ConnectionPage<T>> {
  const cursors = new PageCursors(list, fp);
  let start: Position = { segment: 0, offset: 0 };
  if (after) {
    const pos = decodeCursor(after, list, cursors.fp, segments.length);
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
  // Where the page ends (the position after its last edge); the start when it has none.
  let nextSegment = start.segment;
  let nextOffset = start.offset;
  for (let j = start.segment; j < segments.length && edges.length < first; j++) {
    const base = j === start.segment ? start.offset : 0;
    const items = windows[j]?.items ?? [];
    for (let i = 0; i < items.length && edges.length < first; i++) {
      edges.push(new PagedEdge(items[i] as T, cursors, j, base + i));
      nextSegment = j;
      nextOffset = base + i + 1;
    }
  }

  const totals = windows.map((w) => w.total);
  let remaining = Math.max(0, (totals[nextSegment] ?? 0) - nextOffset);
  for (let j = nextSegment + 1; j < totals.length; j++) remaining += totals[j] ?? 0;

  return {
    edges,
    pageInfo: new PagedInfo(remaining > 0, start.segment > 0 || start.offset > 0, edges[0], edges.at(-1)),
    totalCount: totals.reduce((a, b) => a + b, 0),
    failures: dedupeByVendor(failures),
  };
}

function dedupeByVendor(failures: UpstreamError[]): UpstreamError[] {
  const seen = new Set<Vendor>();
  return failures.filter((f) => !seen.has(f.vendor) && seen.add(f.vendor));
}
