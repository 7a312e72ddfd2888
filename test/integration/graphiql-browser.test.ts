// GraphiQL as a new user meets it, in a real browser (Debian's chromium, driven by playwright-core) on a network
// without internet: every request to another origin is aborted and counted, and must not be needed. GraphiQL opens,
// its ready query runs (the run button, clicked), and orders of all three vendors are on screen.
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const ARTIFACTS = 'test-artifacts';

let gw: TestGateway;
let server: Server;
let origin: string;
let context: BrowserContext;
let profile: string;
const foreign: string[] = [];
const served: string[] = [];

beforeAll(async () => {
  gw = await startTestGateway({ config: { production: true } });
  server = createServer(gw.gateway.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ({ context, profile } = await launchChromium('graphiql', { width: 1600, height: 2200 }));
  // No internet: anything not from the gateway is aborted, and counted.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) {
      served.push(url);
      return route.continue();
    }
    foreign.push(url);
    return route.abort('internetdisconnected');
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => server?.close(resolve));
  await gw?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('GraphiQL in a real browser, offline', () => {
  it('loads from the gateway alone, runs its ready query and shows orders of all three vendors', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));

    const response = await page.goto(`${origin}/graphql`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    // The ready query is in the editor before anything runs.
    await page.locator('.graphiql-query-editor').getByText('SideBySide').first().waitFor({ timeout: 30_000 });

    gw.resetCounts();
    await run.click();
    const result = page.locator('.graphiql-response');
    await result.getByText('"pitneyBowes"').waitFor({ timeout: 30_000 });
    await result.getByText('"PITNEY_BOWES"').first().waitFor({ timeout: 30_000 });

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'graphiql-side-by-side.png'), fullPage: false });

    const shown = await result.innerText();
    // Each vendor's rows, by vendor and by its own order-number scheme (the simulators' data).
    expect(shown).toContain('"DOTZERO"');
    expect(shown).toContain('"GENERIC_MES"');
    expect(shown).toContain('"PITNEY_BOWES"');
    expect(shown).toMatch(/"WO-\d{4}-\d{4}"/);
    expect(shown).toMatch(/"GM-2026-\d{4}"/);
    expect(shown).toMatch(/"W-\d+"/);
    expect(shown).not.toContain('"errors"');
    // The query went to the vendors once the button was clicked.
    expect(gw.calls().DOTZERO).toBeGreaterThan(0);
    expect(gw.calls().GENERIC_MES).toBeGreaterThan(0);
    expect(gw.calls().PITNEY_BOWES).toBeGreaterThan(0);

    expect(foreign).toEqual([]);
    expect(served.length).toBeGreaterThan(0);
    expect(consoleErrors.filter((e) => /ERR_INTERNET_DISCONNECTED|Failed to load/i.test(e))).toEqual([]);
  }, 90_000);
});
