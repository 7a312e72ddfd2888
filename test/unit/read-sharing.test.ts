// The sharing settings, the in-memory cache's bound and its guard against storing what a write made stale, and the
// key that decides which reads are "identical".
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import type { HttpRequest } from '../../src/vendors/http.js';
import { MemoryReadCache, ReadSharing, requestKey } from '../../src/vendors/sharing.js';
import { UpstreamError, markOutcome, outcomeOf } from '../../src/domain/errors.js';

describe('SHARE_INFLIGHT_READS, READ_CACHE_TTL_MS, READ_CACHE_MAX_ENTRIES', () => {
  it('are off by default', () => {
    expect(readConfig({})).toMatchObject({ shareInflightReads: false, readCacheTtlMs: 0 });
  });

  it('read good values', () => {
    expect(
      readConfig({ SHARE_INFLIGHT_READS: 'true', READ_CACHE_TTL_MS: '1500', READ_CACHE_MAX_ENTRIES: '100' }),
    ).toMatchObject({ shareInflightReads: true, readCacheTtlMs: 1500, readCacheMaxEntries: 100 });
  });

  it.each([
    ['SHARE_INFLIGHT_READS', 'sometimes'],
    ['READ_CACHE_TTL_MS', '-1'],
    ['READ_CACHE_TTL_MS', '300001'],
    ['READ_CACHE_TTL_MS', '1s'],
    ['READ_CACHE_MAX_ENTRIES', '0'],
  ])('%s=%s is refused, naming the setting', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(new RegExp(`^Configuration error: ${name} `));
  });
});

describe('the in-memory read cache', () => {
  const answer = (n: number) => ({ status: 200, body: { n } });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = new MemoryReadCache(60_000, 3);
    for (const k of ['a', 'b', 'c']) {
      const miss = await cache.get('DOTZERO', 'orders', k);
      await cache.set('DOTZERO', 'orders', k, answer(1), 'token' in miss ? miss.token : undefined);
    }
    await cache.get('DOTZERO', 'orders', 'a'); // a is now the most recent
    const miss = await cache.get('DOTZERO', 'orders', 'd');
    await cache.set('DOTZERO', 'orders', 'd', answer(4), 'token' in miss ? miss.token : undefined);
    expect(cache.size).toBe(3);
    expect((await cache.get('DOTZERO', 'orders', 'b')).hit).toBeUndefined();
    expect((await cache.get('DOTZERO', 'orders', 'a')).hit).toEqual(answer(1));
  });

  it('does not store an answer fetched across a write, and a write drops the order and the lists only', async () => {
    const cache = new MemoryReadCache(60_000, 100);
    const token = (l: Awaited<ReturnType<MemoryReadCache['get']>>) => ('token' in l ? l.token : undefined);
    const before = await cache.get('GENERIC_MES', { order: 'wo-1' }, 'one');
    await cache.invalidate('GENERIC_MES', 'wo-1', true);
    await cache.set('GENERIC_MES', { order: 'wo-1' }, 'one', answer(1), token(before));
    expect((await cache.get('GENERIC_MES', { order: 'wo-1' }, 'one')).hit).toBeUndefined();

    for (const [tag, key] of [
      [{ order: 'wo-1' }, 'one'],
      [{ order: 'wo-2' }, 'two'],
      ['orders', 'list'],
      ['reference', 'product'],
    ] as const) {
      await cache.set('GENERIC_MES', tag, key, answer(1), token(await cache.get('GENERIC_MES', tag, key)));
    }
    await cache.set('DOTZERO', 'orders', 'dz-list', answer(2), token(await cache.get('DOTZERO', 'orders', 'dz-list')));
    await cache.invalidate('GENERIC_MES', 'wo-1', true);
    expect((await cache.get('GENERIC_MES', { order: 'wo-1' }, 'one')).hit).toBeUndefined();
    expect((await cache.get('GENERIC_MES', 'orders', 'list')).hit).toBeUndefined();
    expect((await cache.get('GENERIC_MES', { order: 'wo-2' }, 'two')).hit).toEqual(answer(1));
    expect((await cache.get('GENERIC_MES', 'reference', 'product')).hit).toEqual(answer(1));
    expect((await cache.get('DOTZERO', 'orders', 'dz-list')).hit).toEqual(answer(2));
  });
});

describe('what makes two reads identical', () => {
  const search: HttpRequest = {
    method: 'POST',
    path: '/v1/work-orders/search',
    query: { page: 1, size: 20 },
    body: { clientId: 'c', searchFields: [] },
    operation: 'searchWorkOrders',
    idempotent: true,
    share: 'orders',
  };

  it('is the method, URL, query and body: another body or page is another read', () => {
    const key = requestKey('PITNEY_BOWES', 'http://pb', search);
    expect(requestKey('PITNEY_BOWES', 'http://pb', { ...search })).toBe(key);
    expect(
      requestKey('PITNEY_BOWES', 'http://pb', { ...search, body: { clientId: 'c', searchFields: ['x'] } }),
    ).not.toBe(key);
    expect(requestKey('PITNEY_BOWES', 'http://pb', { ...search, query: { page: 2, size: 20 } })).not.toBe(key);
    expect(requestKey('PITNEY_BOWES', 'http://other', search)).not.toBe(key);
    expect(requestKey('DOTZERO', 'http://pb', search)).not.toBe(key);
    // The label is for logs only: two operations asking the same thing share.
    expect(requestKey('PITNEY_BOWES', 'http://pb', { ...search, operation: 'allWorkOrders' })).toBe(key);
  });
});

describe('a shared failure', () => {
  it('reaches every joined request as its own error, so marking one marks no other', async () => {
    const sharing = new ReadSharing({ inflight: true });
    let calls = 0;
    const fetch = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      throw new UpstreamError('GENERIC_MES', 'unavailable', 'GENERIC_MES could not be reached');
    };
    const req: HttpRequest = { method: 'GET', path: '/x', operation: 'x', idempotent: true, share: 'orders' };
    const [a, b] = await Promise.all(
      [0, 1].map(() => sharing.read('GENERIC_MES', 'http://g', req, 'orders', fetch).catch((e: unknown) => e)),
    );
    expect(calls).toBe(1);
    expect(a).toBeInstanceOf(UpstreamError);
    expect(b).toBeInstanceOf(UpstreamError);
    expect((b as UpstreamError).message).toBe((a as UpstreamError).message);
    expect((b as UpstreamError).kind).toBe('unavailable');
    markOutcome(a, 'APPLIED');
    expect(outcomeOf(a)).toBe('APPLIED');
    expect(outcomeOf(b)).toBeUndefined();
  });
});
