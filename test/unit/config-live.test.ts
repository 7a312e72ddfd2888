// The settings of issue 12: a malformed one is a start-up error that names it.
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';

describe('REDIS_URL, GENERIC_MES_WEBHOOK_SECRET, CHANGE_POLL_INTERVAL_MS, SIMULATOR_* settings', () => {
  it.each([
    ['REDIS_URL', 'localhost:6379'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['GENERIC_MES_WEBHOOK_SECRET', 'short'],
    ['CHANGE_POLL_INTERVAL_MS', 'soon'],
    ['CHANGE_POLL_INTERVAL_MS', '-5'],
    ['SIMULATOR_WEBHOOK_URL', 'not a url'],
    ['SIMULATOR_CHANGE_INTERVAL_MS', '1.5'],
  ])('%s=%s is refused, naming the setting', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(new RegExp(`^Configuration error: ${name} `));
  });

  it('reads good values, and defaults to memory, no webhooks and polling every 15 s', () => {
    expect(readConfig({})).toMatchObject({ pollIntervalMs: 15_000, simulatorChangeIntervalMs: 0 });
    expect(readConfig({}).redisUrl).toBeUndefined();
    const c = readConfig({
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      GENERIC_MES_WEBHOOK_SECRET: 'x'.repeat(32),
      CHANGE_POLL_INTERVAL_MS: '0',
      SIMULATOR_WEBHOOK_URL: 'http://127.0.0.1:4000/webhooks/generic-mes',
    });
    expect(c).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379/2',
      genericMesWebhookSecret: 'x'.repeat(32),
      pollIntervalMs: 0,
      simulatorWebhookUrl: 'http://127.0.0.1:4000/webhooks/generic-mes',
    });
  });
});
