// The gateway as a user starts it: `tsx src/main.ts` with settings from the environment.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';
import { startDotZeroSimulator } from '../../src/simulators/dotzero/index.js';

function run(env: Record<string, string>, untilOutput?: RegExp): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (untilOutput?.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // A safety net, not an assertion: tsx compiles the whole graph at start, which on a loaded 2-core machine
    // has taken over 20 s.
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('configuration errors name the setting', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ GENERIC_MES_API_URL: 'not a url' }, 'GENERIC_MES_API_URL'],
    [{ GENERIC_MES_API_URL: 'https://mes.example.com/api/v2' }, 'GENERIC_MES_API_KEY'],
    [{ DOTZERO_API_URL: 'https://acme.dotzero.app' }, 'DOTZERO_USER_API_URL'],
    [
      {
        PITNEY_BOWES_API_URL: 'https://pb.example.com/fulfillment',
        PITNEY_BOWES_OAUTH_URL: 'https://pb.example.com/oauth/token',
      },
      'PITNEY_BOWES_API_KEY',
    ],
    [{ DOTZERO_CONFIG_DIR: '/nonexistent-dotzero' }, 'DOTZERO_CONFIG_DIR'],
    [{ GRAPHIQL: 'maybe' }, 'GRAPHIQL'],
    [{ GATEWAY_CLIENTS_FILE: '/nonexistent.json' }, 'GATEWAY_CLIENTS_FILE'],
  ])('%o -> %s', (env, setting) => {
    expect(() => readConfig(env)).toThrowError(ConfigError);
    expect(() => readConfig(env)).toThrowError(setting);
  });

  it('stops the process with a message naming the setting', async () => {
    const { code, out } = await run({ GENERIC_MES_API_URL: 'ftp://nope' });
    expect(code).toBe(1);
    expect(out).toContain('GENERIC_MES_API_URL');
  });
});

describe('start-up', () => {
  it('serves with every vendor simulated and says so', async () => {
    const { out } = await run({ PORT: '0' }, /real vendors/);
    expect(out).toMatch(/listening on http:\/\/localhost:\d+\/graphql/);
    expect(out).toContain('simulated vendors: DOTZERO, GENERIC_MES, PITNEY_BOWES');
    expect(out).toMatch(/OPEN/);
  }, 90_000);

  it("takes DotZero from the vendor tooling's .dotzero folder as it is, and writes refreshed tokens back", async () => {
    const sim = await startDotZeroSimulator();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'dotzero-'));
      const creds = sim.issueCredentials(60); // inside the refresh window: the first call refreshes
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ user_api_url: sim.userApiUrl, work_order_api_url: sim.workOrderApiUrl }),
      );
      writeFileSync(
        join(dir, 'credentials.json'),
        JSON.stringify({
          token: creds.token,
          refresh_token: creds.refreshToken,
          tenant_id: creds.tenantId,
          expires_at: creds.expiresAt,
          email: 'ops@acme.test',
        }),
      );
      const config = readConfig({ DOTZERO_CONFIG_DIR: dir });
      expect(config.vendors.DOTZERO).toMatchObject({
        workOrderApiUrl: sim.workOrderApiUrl,
        tenantId: creds.tenantId,
        configDir: dir,
      });

      const { startTestGatewayWith } = await import('../helpers/gateway.js');
      const gw = await startTestGatewayWith({ DOTZERO: config.vendors.DOTZERO! });
      try {
        const res = await gw.query(`{ workOrders(first: 3, filter: { vendors: [DOTZERO] }) { totalCount } }`);
        expect(res.body.errors).toBeUndefined();
        expect(sim.refreshCalls()).toBe(1);
        const saved = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8'));
        expect(saved.token).not.toBe(creds.token);
        expect(saved.email).toBe('ops@acme.test');
        expect(Date.parse(saved.expires_at)).toBeGreaterThan(Date.now() + 50 * 60_000);
      } finally {
        await gw.close();
      }
    } finally {
      await sim.close();
    }
  });
});
