// Deletions noticed by polling, against a scripted vendor: only an order missing from a complete read AND answered
// 404 by its own lookup is published DELETED (once, as last seen); a failed, cut-short or partial read, or a lookup
// that fails or finds the order, publishes none. Lookups are counted.
import { describe, expect, it } from 'vitest';
import { NotFoundError, UpstreamError } from '../../src/domain/errors.js';
import type { WorkOrder } from '../../src/domain/model.js';
import type { WorkOrderChange } from '../../src/events/changes.js';
import { createChangeFeed } from '../../src/events/feed.js';
import { MAX_DELETION_LOOKUPS, createPoller, memoryRosters, memoryWatermarks } from '../../src/events/poller.js';
import { alwaysHeld } from '../../src/shared/lease.js';
import type { PolledOrders, WorkOrderSource } from '../../src/vendors/types.js';
import { silentLogger } from '../helpers/gateway.js';

function order(n: number, extra: Partial<WorkOrder> = {}): WorkOrder {
  return {
    id: `DOTZERO:uuid-${n}`,
    vendor: 'DOTZERO',
    vendorId: `uuid-${n}`,
    orderNumber: `WO-${n}`,
    status: 'OPEN',
    vendorStatus: '1',
    quantity: 10,
    completedQuantity: 0,
    priority: 'NORMAL',
    dueDate: new Date('2026-03-01T09:00:00Z'),
    startDate: null,
    completionDate: null,
    createdAt: new Date('2026-01-01T09:00:00Z'),
    updatedAt: new Date('2026-01-02T09:00:00Z'),
    customer: null,
    notes: null,
    ...extra,
  } as unknown as WorkOrder;
}

/** A vendor whose next read and lookups the test scripts. */
function scripted() {
  let store = new Map<string, WorkOrder>();
  const state = {
    read: undefined as (() => PolledOrders) | undefined,
    lookup: undefined as ((key: string) => WorkOrder | Error) | undefined,
    lookups: [] as string[],
    reads: 0,
  };
  const source = {
    vendor: 'DOTZERO',
    async changedWorkOrders(): Promise<PolledOrders> {
      state.reads++;
      return state.read ? state.read() : { orders: [...store.values()], complete: true };
    },
    async getWorkOrders(keys: readonly string[]) {
      state.lookups.push(...keys);
      return keys.map(
        (k) => state.lookup?.(k) ?? store.get(k) ?? new NotFoundError(`work order ${k} not found`, 'DOTZERO'),
      );
    },
  } as unknown as WorkOrderSource;
  return {
    source,
    state,
    set(orders: WorkOrder[]) {
      store = new Map(orders.map((o) => [o.vendorId, o]));
    },
    delete(n: number) {
      store.delete(`uuid-${n}`);
    },
  };
}

function setup(n = 5) {
  const vendor = scripted();
  vendor.set(Array.from({ length: n }, (_, i) => order(i + 1)));
  const feed = createChangeFeed({ logger: silentLogger });
  const seen: WorkOrderChange[] = [];
  const sub = feed.subscribe(() => true);
  const pump = (async () => {
    for await (const c of sub) seen.push(c);
  })();
  const poller = createPoller({
    sources: [vendor.source],
    feed,
    lease: alwaysHeld,
    watermarks: memoryWatermarks(),
    rosters: memoryRosters(),
    intervalMs: 0,
    logger: silentLogger,
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    vendor,
    feed,
    seen,
    poller,
    async poll() {
      await poller.pollOnce();
      await settle();
    },
    async close() {
      await sub.return!();
      await pump;
    },
  };
}

describe('polling notices deletions', () => {
  it('an order missing from a complete read and answered 404 is published DELETED once, as last seen', async () => {
    const t = setup();
    await t.poll(); // baseline
    t.vendor.set([order(1), order(2), order(3, { completedQuantity: 4 }), order(4), order(5)]);
    await t.poll();
    expect(t.seen.map((c) => c.kind)).toEqual(['UPDATED']);
    t.vendor.delete(3);
    t.vendor.state.lookups = [];
    await t.poll();
    expect(t.vendor.state.lookups).toEqual(['uuid-3']);
    expect(t.seen).toHaveLength(2);
    const deleted = t.seen[1]!;
    expect(deleted).toMatchObject({ kind: 'DELETED', source: 'POLL', changedFields: [] });
    // The order as last seen, dates and all; `previous` its watched fields.
    expect(deleted.order).toMatchObject({ vendorId: 'uuid-3', orderNumber: 'WO-3', completedQuantity: 4 });
    expect(deleted.order.dueDate).toEqual(new Date('2026-03-01T09:00:00Z'));
    expect(deleted.previous).toMatchObject({ completedQuantity: 4 });
    // The next rounds: nothing more, and no more lookups.
    t.vendor.state.lookups = [];
    await t.poll();
    await t.poll();
    expect(t.seen).toHaveLength(2);
    expect(t.vendor.state.lookups).toEqual([]);
    await t.close();
  });

  it('a read that fails reports no deletion; the next good round does', async () => {
    const t = setup();
    await t.poll();
    t.vendor.delete(2);
    t.vendor.state.read = () => {
      throw new UpstreamError('DOTZERO', 'http', 'boom', { status: 500 });
    };
    await t.poll();
    expect(t.seen).toEqual([]);
    expect(t.vendor.state.lookups).toEqual([]);
    t.vendor.state.read = undefined;
    await t.poll();
    expect(t.seen.map((c) => [c.kind, c.order.vendorId])).toEqual([['DELETED', 'uuid-2']]);
    await t.close();
  });

  it('a read that is not complete (cut short, or only what changed) asks nothing and reports no deletion', async () => {
    const t = setup();
    await t.poll();
    t.vendor.state.read = () => ({ orders: [order(1), order(2)], complete: false });
    await t.poll();
    await t.poll();
    expect(t.seen).toEqual([]);
    expect(t.vendor.state.lookups).toEqual([]);
    await t.close();
  });

  it('an order the read left out but the vendor still has is not deleted (its lookup answers it)', async () => {
    const t = setup();
    await t.poll();
    // A complete-looking read that skipped order 4 (the list moved under the paging).
    t.vendor.state.read = () => ({ orders: [order(1), order(2), order(3), order(5)], complete: true });
    await t.poll();
    expect(t.vendor.state.lookups).toEqual(['uuid-4']);
    expect(t.seen).toEqual([]);
    await t.close();
  });

  it('a lookup that fails reports nothing; the order is asked for again next round', async () => {
    const t = setup();
    await t.poll();
    t.vendor.delete(5);
    t.vendor.state.lookup = () => new UpstreamError('DOTZERO', 'http', 'down', { status: 503 });
    await t.poll();
    expect(t.seen).toEqual([]);
    t.vendor.state.lookup = undefined;
    await t.poll();
    expect(t.vendor.state.lookups).toEqual(['uuid-5', 'uuid-5']);
    expect(t.seen.map((c) => [c.kind, c.order.vendorId])).toEqual([['DELETED', 'uuid-5']]);
    await t.close();
  });

  it(`at most ${MAX_DELETION_LOOKUPS} lookups a round: a read that lost everything is asked about in slices`, async () => {
    const t = setup(120);
    await t.poll();
    // An empty answer the vendor calls complete: every order is asked about, 50 at a time; all still exist.
    t.vendor.state.read = () => ({ orders: [], complete: true });
    t.vendor.state.lookup = (k) => order(Number(k.slice(5)));
    await t.poll();
    expect(t.vendor.state.lookups).toHaveLength(MAX_DELETION_LOOKUPS);
    expect(t.seen).toEqual([]);
    await t.close();
  });

  it('an order deleted through the gateway is not reported a second time by the next poll', async () => {
    const t = setup();
    await t.poll();
    await t.feed.removed(order(1), 'MUTATION');
    t.vendor.delete(1);
    await t.poll();
    expect(t.vendor.state.lookups).toEqual(['uuid-1']);
    expect(t.seen.map((c) => [c.kind, c.source])).toEqual([['DELETED', 'MUTATION']]);
    await t.close();
  });
});
