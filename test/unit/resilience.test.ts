// The pieces of the per-vendor guard that need no network: the retry budget, how policies are resolved, the
// configuration settings that feed them, and the simulators' body faults.
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';
import { spoilBody } from '../../src/simulators/harness.js';
import { DEFAULT_POLICY, RETRY_WINDOW_MS, RetryBudget, resolvePolicy } from '../../src/vendors/resilience.js';

describe('RetryBudget', () => {
  it.each([
    // ratio, min, calls, retries allowed in one window
    [0.1, 0, 40, 4],
    [0.2, 0, 10, 2],
    [0.1, 3, 10, 4],
    [0, 0, 100, 0],
    [0, 2, 0, 2],
  ])('ratio %d, min %d, %d calls: %d retries', (ratio, min, calls, allowed) => {
    const budget = new RetryBudget(ratio, min, () => 5_000);
    for (let i = 0; i < calls; i++) budget.call();
    let granted = 0;
    while (budget.canRetry() && granted < 1_000) {
      budget.spend();
      granted++;
    }
    expect(granted).toBe(allowed);
  });

  it('forgets calls and retries older than the window', () => {
    let now = 0;
    const budget = new RetryBudget(0.5, 0, () => now);
    for (let i = 0; i < 4; i++) budget.call();
    budget.spend();
    budget.spend();
    expect(budget.canRetry()).toBe(false);
    now += RETRY_WINDOW_MS + 1_000;
    expect(budget.canRetry()).toBe(false); // no calls in the new window either
    budget.call();
    budget.call();
    expect(budget.canRetry()).toBe(true);
  });
});

describe('resolvePolicy', () => {
  it('takes the process timeout and breaker, then defaults, then each vendor; per-attempt deadlines never exceed the call', () => {
    const p = resolvePolicy(
      { timeoutMs: 1_000, breaker: { failures: 3, cooldownMs: 500 } },
      { retries: 1 },
      { headersTimeoutMs: 5_000, maxConcurrent: 2 },
    );
    expect(p).toMatchObject({
      timeoutMs: 1_000,
      headersTimeoutMs: 1_000,
      bodyTimeoutMs: 1_000,
      connectTimeoutMs: 1_000,
      retries: 1,
      maxConcurrent: 2,
      breakerFailures: 3,
      breakerCooldownMs: 500,
    });
    expect(resolvePolicy({}).breakerFailures).toBe(0);
    expect(resolvePolicy({}, { retries: undefined }).retries).toBe(DEFAULT_POLICY.retries);
  });
});

describe('configuration of vendor calls', () => {
  it('reads UPSTREAM_* for every vendor and <VENDOR>_* for one; a percentage becomes a fraction', () => {
    const config = readConfig({
      UPSTREAM_RETRIES: '3',
      UPSTREAM_RETRY_BUDGET_PERCENT: '15',
      UPSTREAM_MAX_CONCURRENT: '20',
      PITNEY_BOWES_HEADERS_TIMEOUT_MS: '4000',
      GENERIC_MES_MAX_RESPONSE_BYTES: '2000000',
    });
    expect(config.upstream!.defaults).toEqual({ retries: 3, retryBudgetRatio: 0.15, maxConcurrent: 20 });
    expect(config.upstream!.vendors).toEqual({
      PITNEY_BOWES: { headersTimeoutMs: 4_000 },
      GENERIC_MES: { maxResponseBytes: 2_000_000 },
    });
  });

  it.each([
    ['UPSTREAM_RETRIES', 'lots'],
    ['UPSTREAM_RETRIES', '11'],
    ['DOTZERO_CONNECT_TIMEOUT_MS', '-5'],
    ['UPSTREAM_RETRY_BUDGET_PERCENT', '150'],
    ['GENERIC_MES_MAX_QUEUED', '1.5'],
    ['PITNEY_BOWES_MAX_CONCURRENT', '0'],
  ])('%s=%s is a start-up error naming the setting', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readConfig({ [name]: value })).toThrow(new RegExp(`^Configuration error: ${name} `));
  });
});

describe('spoilBody', () => {
  const ok = JSON.stringify({ data: [{ id: 'a', status: 'OPEN', quantity: 3 }] });
  it.each([
    ['truncate', (s: string) => expect(() => JSON.parse(s)).toThrow()],
    ['html', (s: string) => expect(s).toMatch(/^<!DOCTYPE html>/)],
    ['huge', (s: string) => expect(s.length).toBeGreaterThan(10 * 1024 * 1024)],
    ['deep', (s: string) => expect(s.length).toBe(20_000)],
    ['wrongTypes', (s: string) => expect(JSON.parse(s)).toEqual({ data: [{ id: 1, status: 4, quantity: '3' }] })],
    ['unknownStatus', (s: string) => expect(JSON.parse(s).data[0].status).toBe('ZZ_UNDOCUMENTED')],
  ] as const)('%s', (kind, check) => {
    check(spoilBody(kind, ok));
  });
});
