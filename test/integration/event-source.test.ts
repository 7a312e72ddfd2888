// Subscriptions for a browser's EventSource (GET /graphql/stream with a single-use ticket), on one replica without
// Redis: a ticket bought with an authenticated POST opens one stream as its caller; every refusal (no ticket, a
// forged, reused or expired one, another vendor's filter, a query or mutation by GET) is told with its code and
// makes no vendor call; tickets never reach the log.
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayClient } from '../../src/config.js';
import { startCluster, ticketSubscribe, type Cluster, type Replica } from '../helpers/replicas.js';

const client = (name: string, extra: Partial<GatewayClient> = {}): GatewayClient => ({
  name,
  apiKey: `${name}-key-0123456789abcdef`,
  role: 'frontend',
  scopes: ['workorders:read', 'workorders:write'],
  rateLimitPerMinute: 100_000,
  ...extra,
});
const ALL = client('all');
const PB_ONLY = client('pbonly', { vendors: ['PITNEY_BOWES'], scopes: ['workorders:read'] });
const key = (c: GatewayClient) => ({ 'x-api-key': c.apiKey });

const SUBSCRIPTION = `subscription($filter: WorkOrderFilter) {
  workOrderChanged(filter: $filter) { kind source changedFields order { id vendor vendorId status } }
}`;
const TICKET = 'mutation { createSubscriptionTicket { ticket expiresAt } }';

const logLines: string[] = [];
const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
let cluster: Cluster;
let gw: Replica;
const issued: string[] = [];

beforeAll(async () => {
  cluster = await startCluster(1, { clients: [ALL, PB_ONLY] }, { logger });
  gw = cluster.replicas[0]!;
});

afterAll(async () => {
  await cluster?.close();
});

async function ticketFor(c: GatewayClient): Promise<string> {
  const res = await gw.query(TICKET, undefined, key(c));
  expect(res.body.errors).toBeUndefined();
  const t = res.body.data!.createSubscriptionTicket as { ticket: string; expiresAt: string };
  expect(new Date(t.expiresAt).getTime()).toBeGreaterThan(Date.now());
  issued.push(t.ticket);
  return t.ticket;
}

const vendorCalls = () => cluster.dotzero.total() + cluster.gmes.total() + cluster.pb.total();
const resetCalls = () => [cluster.dotzero, cluster.gmes, cluster.pb].forEach((s) => s.resetCounts());

async function untilSubscribed(n: number) {
  for (let i = 0; i < 300 && gw.gateway.changes.subscriberCount() !== n; i++)
    await new Promise((r) => setTimeout(r, 10));
  expect(gw.gateway.changes.subscriberCount()).toBe(n);
}

async function openOrder(): Promise<string> {
  const res = await gw.query(
    `{ workOrders(first: 1, filter: { vendors: [GENERIC_MES], statuses: [OPEN] }) { edges { node { id } } } }`,
    undefined,
    key(ALL),
  );
  return res.body.data!.workOrders.edges[0].node.id;
}

describe('GET /graphql/stream with a ticket (EventSource)', () => {
  it('a ticket opens one stream as its caller, which receives a mutation made through the gateway; leaving ends it', async () => {
    const ticket = await ticketFor(ALL);
    const stream = await ticketSubscribe(gw.origin, { ticket, query: SUBSCRIPTION });
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain('text/event-stream');
    await untilSubscribed(1);
    const id = await openOrder();
    const started = await gw.query('mutation($id: ID!) { startWorkOrder(id: $id) { status } }', { id }, key(ALL));
    expect(started.body.errors).toBeUndefined();
    await stream.waitFor(1);
    expect(stream.results[0]!.data!.workOrderChanged).toMatchObject({
      kind: 'UPDATED',
      source: 'MUTATION',
      order: { id, status: 'IN_PROGRESS' },
    });
    await stream.close();
    await untilSubscribed(0);
  });

  it('the same ticket a second time is refused UNAUTHENTICATED (single use), and no subscription opens', async () => {
    const ticket = await ticketFor(ALL);
    const first = await ticketSubscribe(gw.origin, { ticket, query: SUBSCRIPTION });
    expect(first.status).toBe(200);
    await untilSubscribed(1);
    resetCalls();
    const again = await ticketSubscribe(gw.origin, { ticket, query: SUBSCRIPTION });
    expect(again.status).toBe(401);
    expect(again.results[0]!.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(gw.gateway.changes.subscriberCount()).toBe(1);
    expect(vendorCalls()).toBe(0);
    await first.close();
    await untilSubscribed(0);
  });

  it.each([
    ['no ticket', () => undefined],
    ['a forged ticket of the right shape', () => 'A'.repeat(43)],
    ['a ticket of the wrong shape', () => 'not-a-ticket'],
    ['an API key in place of a ticket', () => ALL.apiKey],
  ])('%s is refused UNAUTHENTICATED with 401, no subscription and no vendor call', async (_name, make) => {
    resetCalls();
    const res = await ticketSubscribe(gw.origin, { ticket: make(), query: SUBSCRIPTION });
    expect(res.status).toBe(401);
    expect(res.results[0]!.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(gw.gateway.changes.subscriberCount()).toBe(0);
    expect(vendorCalls()).toBe(0);
  });

  it('an expired ticket is refused UNAUTHENTICATED (a gateway whose tickets live 50 ms)', async () => {
    const short = await startCluster(1, { clients: [ALL], subscriptionTicketTtlMs: 50 });
    try {
      const r = short.replicas[0]!;
      const res = await r.query(TICKET, undefined, key(ALL));
      const ticket = res.body.data!.createSubscriptionTicket.ticket as string;
      await new Promise((x) => setTimeout(x, 200));
      const late = await ticketSubscribe(r.origin, { ticket, query: SUBSCRIPTION });
      expect(late.status).toBe(401);
      expect(late.results[0]!.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(r.gateway.changes.subscriberCount()).toBe(0);
    } finally {
      await short.close();
    }
  });

  it("a ticket runs with its caller's vendor scope: another vendor in the filter is FORBIDDEN, no vendor call", async () => {
    const ticket = await ticketFor(PB_ONLY);
    resetCalls();
    const res = await ticketSubscribe(gw.origin, {
      ticket,
      query: SUBSCRIPTION,
      variables: JSON.stringify({ filter: { vendors: ['DOTZERO'] } }),
    });
    await res.waitFor(1);
    expect(res.results[0]!.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(gw.gateway.changes.subscriberCount()).toBe(0);
    expect(vendorCalls()).toBe(0);
    await res.close();
  });

  it("a ticket's stream carries only its caller's vendors", async () => {
    const ticket = await ticketFor(PB_ONLY);
    const stream = await ticketSubscribe(gw.origin, { ticket, query: SUBSCRIPTION });
    await untilSubscribed(1);
    // A generic MES change (made by ALL), then a Pitney Bowes one: only the second is this caller's.
    const id = await openOrder();
    await gw.query('mutation($id: ID!) { startWorkOrder(id: $id) { status } }', { id }, key(ALL));
    await gw.gateway.poller.pollOnce();
    const pbId = cluster.pb.changeOrder();
    await gw.gateway.poller.pollOnce();
    await stream.waitFor(1);
    expect(stream.results).toHaveLength(1);
    expect(stream.results[0]!.data!.workOrderChanged.order).toMatchObject({ vendor: 'PITNEY_BOWES', vendorId: pbId });
    await stream.close();
    await untilSubscribed(0);
  });

  it.each([
    ['a mutation', 'mutation($id: ID!) { startWorkOrder(id: $id) { status } }'],
    ['a query', '{ workOrders(first: 1) { totalCount } }'],
  ])('%s by GET is refused (405, BAD_REQUEST) before the ticket is spent, with no vendor call', async (_n, query) => {
    const ticket = await ticketFor(ALL);
    const id = await openOrder();
    resetCalls();
    const res = await ticketSubscribe(gw.origin, { ticket, query, variables: JSON.stringify({ id }) });
    expect(res.status).toBe(405);
    expect(res.results[0]!.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
    expect(vendorCalls()).toBe(0);
    // The order did not move, and the ticket is still good for a subscription.
    const after = await gw.query('query($id: ID!) { workOrder(id: $id) { status } }', { id }, key(ALL));
    expect(after.body.data!.workOrder.status).toBe('OPEN');
    const ok = await ticketSubscribe(gw.origin, { ticket, query: SUBSCRIPTION });
    expect(ok.status).toBe(200);
    await ok.close();
    await untilSubscribed(0);
  });

  it('a persisted mutation sent by documentId with a ticket is refused inside too: no vendor write', async () => {
    const manifest = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<
      string,
      string
    >;
    const entry = Object.entries(manifest).find(([, text]) => text.startsWith('mutation StartWorkOrder'));
    expect(entry).toBeDefined();
    const ticket = await ticketFor(ALL);
    const id = await openOrder();
    resetCalls();
    const res = await ticketSubscribe(gw.origin, {
      ticket,
      documentId: entry![0],
      variables: JSON.stringify({ id }),
    });
    await res.waitFor(1);
    expect(res.results[0]!.errors![0]!.extensions!.code).toBe('BAD_REQUEST');
    expect(vendorCalls()).toBe(0);
    await res.close();
  });

  it('anything but a GET with Accept: text/event-stream, or from a foreign page, is refused without a vendor call', async () => {
    const ticket = await ticketFor(ALL);
    resetCalls();
    const post = await fetch(`${gw.origin}/graphql/stream?ticket=${ticket}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SUBSCRIPTION }),
    });
    expect(post.status).toBe(405);
    const notSse = await ticketSubscribe(gw.origin, { ticket, query: SUBSCRIPTION }, { accept: 'application/json' });
    expect(notSse.status).toBe(406);
    const foreign = await ticketSubscribe(gw.origin, { ticket, query: SUBSCRIPTION }, { origin: 'https://evil.test' });
    expect(foreign.status).toBe(403);
    expect(foreign.results[0]!.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(vendorCalls()).toBe(0);
  });

  it('a page of an origin in CORS_ORIGINS may open the stream: 200 with its origin allowed, no credentials', async () => {
    const ui = 'https://ui.example.com';
    const cors = await startCluster(1, { clients: [ALL], corsOrigins: [ui] });
    try {
      const r = cors.replicas[0]!;
      const bought = await r.query(TICKET, undefined, { ...key(ALL), origin: ui });
      const ticket = bought.body.data!.createSubscriptionTicket.ticket as string;
      const url = new URL('/graphql/stream', r.origin);
      url.searchParams.set('ticket', ticket);
      url.searchParams.set('query', SUBSCRIPTION);
      const abort = new AbortController();
      const res = await fetch(url, { headers: { accept: 'text/event-stream', origin: ui }, signal: abort.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(ui);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      abort.abort();
    } finally {
      await cors.close();
    }
  });

  it('a ticket is bought only with a credential: none is 401; a form post (no preflight) is refused', async () => {
    const none = await gw.query(TICKET);
    expect(none.status).toBe(401);
    const form = await fetch(`${gw.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent(TICKET)}`,
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(((await form.json()) as { data?: unknown }).data ?? null).toBeNull();
  });

  it('no log line carries a ticket', () => {
    expect(issued.length).toBeGreaterThan(5);
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const t of issued) expect(log).not.toContain(t);
  });
});
