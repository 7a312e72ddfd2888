// A browser's own EventSource on live updates, in a real browser (Debian's chromium, driven by playwright-core) with
// no internet: every request to another origin is aborted and counted. A page on the gateway's origin buys a
// subscription ticket with its API key (an ordinary POST), opens `new EventSource('/graphql/stream?ticket=…')`, and
// receives the change when an order is started through the gateway.
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import { launchChromium } from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const ARTIFACTS = 'test-artifacts';
const UI: GatewayClient = {
  name: 'shopfloor-ui',
  apiKey: 'shopfloor-ui-key-0123456789abcdef',
  role: 'frontend',
  scopes: ['workorders:read', 'workorders:write'],
  rateLimitPerMinute: 100_000,
};
const SUBSCRIPTION =
  'subscription { workOrderChanged(filter: { vendors: [GENERIC_MES] }) { kind source order { id orderNumber status } } }';

/** The page a frontend would serve: buy a ticket, open an EventSource, list what arrives. */
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Live work orders</title></head>
<body><h1>Live work orders</h1><p id="state">starting</p><ul id="changes"></ul>
<script>
window.received = [];
const show = (s) => { document.getElementById('state').textContent = s; window.state = s; };
(async () => {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': ${JSON.stringify(UI.apiKey)} },
    body: JSON.stringify({ query: 'mutation { createSubscriptionTicket { ticket expiresAt } }' }),
  });
  const { data } = await res.json();
  const url = '/graphql/stream?ticket=' + encodeURIComponent(data.createSubscriptionTicket.ticket) +
    '&query=' + encodeURIComponent(${JSON.stringify(SUBSCRIPTION)});
  const es = new EventSource(url);
  window.es = es;
  es.onopen = () => show('open');
  es.onerror = () => show('error');
  es.addEventListener('next', (e) => {
    const change = JSON.parse(e.data).data.workOrderChanged;
    window.received.push(change);
    const li = document.createElement('li');
    li.textContent = change.kind + ' ' + change.order.orderNumber + ' ' + change.order.status + ' (' + change.source + ')';
    document.getElementById('changes').appendChild(li);
  });
})();
</script></body></html>`;

let gw: TestGateway;
let server: Server;
let origin: string;
let context: BrowserContext;
let profile: string;
const foreign: string[] = [];
const streamRequests: { method: string; headers: Record<string, string> }[] = [];

beforeAll(async () => {
  gw = await startTestGateway({ clients: [UI], config: { production: true } });
  server = createServer((req, res) => {
    if (req.url === '/live.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(PAGE);
    }
    if (req.url?.startsWith('/graphql/stream'))
      streamRequests.push({ method: req.method ?? '', headers: req.headers as Record<string, string> });
    return gw.gateway.yoga(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ({ context, profile } = await launchChromium('eventsource', { width: 900, height: 500 }));
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort('internetdisconnected');
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await gw?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function untilSubscribed(n: number) {
  for (let i = 0; i < 500 && gw.gateway.changes.subscriberCount() !== n; i++)
    await new Promise((r) => setTimeout(r, 10));
  expect(gw.gateway.changes.subscriberCount()).toBe(n);
}

describe('EventSource in a real browser', () => {
  it('a page buys a ticket, opens an EventSource and receives an order started through the gateway', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(`${origin}/live.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as unknown as { state?: string }).state === 'open', undefined, {
      timeout: 30_000,
    });
    await untilSubscribed(1);
    // The browser's own request: a GET with no credential and no preflight header, only the ticket in the URL.
    expect(streamRequests).toHaveLength(1);
    expect(streamRequests[0]!.method).toBe('GET');
    expect(streamRequests[0]!.headers.accept).toContain('text/event-stream');
    expect(streamRequests[0]!.headers['x-api-key']).toBeUndefined();
    expect(streamRequests[0]!.headers.authorization).toBeUndefined();

    const list = await gw.query(
      '{ workOrders(first: 1, filter: { vendors: [GENERIC_MES], statuses: [OPEN] }) { edges { node { id orderNumber } } } }',
      undefined,
      { 'x-api-key': UI.apiKey },
    );
    const order = list.body.data!.workOrders.edges[0].node as { id: string; orderNumber: string };
    gw.resetCounts();
    const started = await gw.query(
      'mutation($id: ID!) { startWorkOrder(id: $id) { status } }',
      { id: order.id },
      {
        'x-api-key': UI.apiKey,
      },
    );
    expect(started.body.errors).toBeUndefined();
    expect(gw.gmes.count('POST /api/v2/work-orders/:id/start')).toBe(1);

    await page.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length >= 1, undefined, {
      timeout: 30_000,
    });
    const received = await page.evaluate(() => (window as unknown as { received: unknown[] }).received);
    expect(received).toEqual([
      {
        kind: 'UPDATED',
        source: 'MUTATION',
        order: { id: order.id, orderNumber: order.orderNumber, status: 'IN_PROGRESS' },
      },
    ]);
    await expect.poll(() => page.locator('#changes li').count()).toBe(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'eventsource-live.png') });

    // The page closing its EventSource ends the subscription on the gateway.
    await page.evaluate(() => (window as unknown as { es: EventSource }).es.close());
    await untilSubscribed(0);
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
