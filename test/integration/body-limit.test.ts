// The request-body limit (MAX_BODY_BYTES, security/body-limit.ts) through Node's HTTP server as `npm start` serves
// it, where a body with a Content-Length is trusted to that length (Node's parser enforces it) and a chunked one is
// counted; and through yoga.fetch, where nothing holds a body to its Content-Length, so every body is counted.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const LIMIT = 20_000;
// One DotZero call: the limit must not stop what fits, and must stop what does not before any vendor call.
const QUERY = '{ workOrders(first: 2, filter: { vendors: [DOTZERO] }) { edges { node { id } } } }';

let gw: TestGateway;
let server: Server;
let origin: string;

beforeAll(async () => {
  gw = await startTestGateway({ config: { maxBodyBytes: LIMIT } });
  server = createServer(gw.gateway.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await gw.close();
});
beforeEach(() => gw.resetCounts());

/** A JSON body of about `size` bytes (padding in an unused variable). */
const bodyOf = (size: number) => {
  const head = JSON.stringify({ query: QUERY, variables: { pad: '' } });
  return head.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, size - head.length))}"`);
};

/** Sent in chunks of 4 KB with Transfer-Encoding: chunked (no Content-Length). */
const chunked = (text: string) => {
  const bytes = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 4096) parts.push(bytes.subarray(i, i + 4096));
  return Readable.from(parts);
};

async function post(body: string | Readable) {
  const res = await request(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const json = (await res.body.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  return { status: res.statusCode, json, code: json.errors?.[0]?.extensions?.code };
}

describe('request body limit over HTTP', () => {
  it('serves a body under the limit with a Content-Length, with its one vendor call', async () => {
    const res = await post(bodyOf(LIMIT - 500));
    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    expect(gw.calls().DOTZERO).toBe(1);
  });

  it('serves a chunked body under the limit', async () => {
    const res = await post(chunked(bodyOf(LIMIT - 500)));
    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    expect(gw.calls().DOTZERO).toBe(1);
  });

  it('refuses a body whose Content-Length is over the limit: 413, no vendor call', async () => {
    const res = await post(bodyOf(LIMIT + 500));
    expect(res.status).toBe(413);
    expect(res.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    expect(gw.calls().total).toBe(0);
  });

  it('refuses a chunked body once it passes the limit: 413, no vendor call', async () => {
    const res = await post(chunked(bodyOf(LIMIT * 5)));
    expect(res.status).toBe(413);
    expect(res.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    expect(gw.calls().total).toBe(0);
  });
});

describe('request body limit outside Node’s HTTP parser (yoga.fetch)', () => {
  it('counts a body whose Content-Length understates it: 413, no vendor call', async () => {
    const res = await gw.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '100' },
      body: new Blob([bodyOf(LIMIT * 5)]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    const json = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(json.errors?.[0]?.extensions?.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    expect(gw.calls().total).toBe(0);
  });

  it('refuses a Content-Length that is not one number: 400', async () => {
    const res = await gw.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '10, 10' },
      body: bodyOf(100),
    });
    expect(res.status).toBe(400);
    expect(gw.calls().total).toBe(0);
  });
});
