// The `router` role and the entity limit, as configuration: clients file, JWT claims and GATEWAY_MAX_ENTITIES.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LIMITS, readClientsFile, readConfig } from '../../src/config.js';
import { callerFromClaims } from '../../src/security/auth.js';

const dir = mkdtempSync(join(tmpdir(), 'router-role-'));
const clientsFile = (clients: unknown) => {
  const file = join(dir, `clients-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(clients));
  return file;
};
const entry = (role: unknown) => ({
  name: `c-${String(role)}`,
  apiKey: 'a-key-of-sixteen-or-more',
  role,
  vendors: ['PITNEY_BOWES'],
});

describe('router role', () => {
  it.each(['partner', 'frontend', 'router'])('the clients file accepts role %s', (role) => {
    expect(readClientsFile(clientsFile([entry(role)]))[0]).toMatchObject({ role, vendors: ['PITNEY_BOWES'] });
  });

  it.each(['admin', 'Router', undefined])('the clients file refuses role %s, naming the setting', (role) => {
    expect(() => readClientsFile(clientsFile([entry(role)]))).toThrow(ConfigError);
    expect(() => readClientsFile(clientsFile([entry(role)]))).toThrow(
      /GATEWAY_CLIENTS_FILE .*role must be "partner", "frontend" or "router"/,
    );
  });

  it.each([
    ['router', true],
    ['frontend', true],
    ['superuser', false],
  ])('a JWT with role %s is a caller: %s', (role, ok) => {
    const caller = callerFromClaims(
      { sub: 'hive', role, scope: 'workorders:read', vendors: ['PITNEY_BOWES'] },
      { issuer: 'https://issuer.test/' },
    );
    if (ok) expect(caller).toMatchObject({ principal: { role, vendors: ['PITNEY_BOWES'] } });
    else expect(caller).toMatch(/role/);
  });
});

describe('GATEWAY_MAX_ENTITIES', () => {
  it.each([
    [undefined, DEFAULT_LIMITS.maxEntities],
    ['50', 50],
    ['10000', 10_000],
  ])('%s -> %i', (value, expected) => {
    expect(readConfig({ GATEWAY_MAX_ENTITIES: value }).limits?.maxEntities).toBe(expected);
  });

  it.each(['0', '-1', 'many', '10001', '1.5'])('%s is a start-up error naming the setting', (value) => {
    expect(() => readConfig({ GATEWAY_MAX_ENTITIES: value })).toThrow(
      /GATEWAY_MAX_ENTITIES must be an integer from 1 to 10000/,
    );
  });
});
