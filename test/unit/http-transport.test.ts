// The vendor transport (src/vendors/http.ts) on the wire, against a raw node:http server that writes its answers by
// hand: bodies in chunks without a declared length, a body that stops halfway, informational answers, repeated
// headers, a request still waiting for a connection when its deadline passes. What a vendor client sees of these is
// covered by the client and resilience tests; these hold the transport's own reading of the bytes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/domain/errors.js';
import { VendorHttp, type HttpOptions, type HttpRequest } from '../../src/vendors/http.js';

interface Raw {
  url: string;
  /** Requests the server received, in order. */
  paths: string[];
  /** Connections the server saw closed (by either side) before the answer was finished. */
  cut: number;
  close(): Promise<void>;
}

const servers: Raw[] = [];
const clients: VendorHttp[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function raw(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<Raw> {
  const sockets = new Set<Socket>();
  const state = { paths: [] as string[], cut: 0 };
  const server: Server = createServer((req, res) => {
    state.paths.push(req.url ?? '');
    res.on('close', () => {
      if (!res.writableFinished) state.cut++;
    });
    answer(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const made: Raw = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get paths() {
      return state.paths;
    },
    get cut() {
      return state.cut;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(made);
  return made;
}

function http(server: Raw, policy: HttpOptions['policy'] = {}, extra: Partial<HttpOptions> = {}): VendorHttp {
  const c = new VendorHttp({
    vendor: 'GENERIC_MES',
    baseUrl: server.url,
    policy: { retries: 0, timeoutMs: 2_000, ...policy },
    ...extra,
  });
  clients.push(c);
  return c;
}

const GET: HttpRequest = { method: 'GET', path: '/things', operation: 'listThings', idempotent: true };

async function failure(p: Promise<unknown>): Promise<UpstreamError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('VendorHttp on the wire', () => {
  it('reads a chunked body of many writes whole, a character split between two chunks included', async () => {
    const text = JSON.stringify({ name: 'Fräsen – Ø 12', items: Array.from({ length: 50 }, (_, i) => `item-${i}`) });
    const bytes = Buffer.from(text, 'utf8');
    // Cut inside the two-byte ä (its first byte at the cut's end): decoding chunk by chunk would spoil it.
    const cut = bytes.indexOf(Buffer.from('ä', 'utf8')) + 1;
    const server = await raw(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(bytes.subarray(0, cut));
      await sleep(5);
      for (let i = cut; i < bytes.length; i += 7) {
        res.write(bytes.subarray(i, i + 7));
        if (i % 5 === 0) await sleep(1);
      }
      res.end();
    });
    const res = await http(server).request(GET);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(text));
  });

  it('refuses a chunked body that passes the limit in the middle of its chunks, and drops the connection', async () => {
    let writes = 0;
    const server = await raw(async (req, res) => {
      if (req.url === '/small') return res.end('{"ok":true}');
      res.writeHead(200, { 'content-type': 'application/json' });
      // 40 chunks of 100 bytes, no declared length: the limit (1000) is passed at the 11th.
      for (let i = 0; i < 40 && !res.destroyed; i++) {
        res.write('x'.repeat(100));
        writes++;
        await sleep(2);
      }
      res.end();
    });
    const client = http(server, { maxResponseBytes: 1_000 });
    const err = await failure(client.request(GET));
    expect(err.kind).toBe('bad_response');
    expect(err.status).toBe(200);
    expect(err.message).toBe('GENERIC_MES listThings answered a body over 1000 bytes: refused');
    // The rest was never read: the connection went, and the server stopped writing well before its 40 chunks.
    await sleep(50);
    expect(server.cut).toBe(1);
    expect(writes).toBeLessThan(40);
    // The client goes on working on a new connection.
    expect((await client.request({ ...GET, path: '/small' })).body).toEqual({ ok: true });
  });

  it('refuses a declared length over the limit before reading its body', async () => {
    const server = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      // A tenth of it, within the limit, then nothing: only the declared length can refuse it.
      res.write('x'.repeat(500));
    });
    const err = await failure(http(server, { maxResponseBytes: 1_000 }).request(GET));
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/over 1000 bytes: refused$/);
    await sleep(50);
    expect(server.cut).toBe(1);
  });

  it('a body that stops halfway times out at the body deadline as an unfinished answer, never as a parse error', async () => {
    const server = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data": [1, 2,');
    });
    const started = performance.now();
    const err = await failure(http(server, { headersTimeoutMs: 1_000, bodyTimeoutMs: 150 }).request(GET));
    const took = performance.now() - started;
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe('GENERIC_MES did not finish its answer in time');
    expect(err.notSent).toBe(false);
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1_000);
    await sleep(50);
    expect(server.cut).toBe(1);
  });

  it('answers that never send headers time out at the headers deadline', async () => {
    const server = await raw(() => undefined);
    const started = performance.now();
    const err = await failure(http(server, { headersTimeoutMs: 100, bodyTimeoutMs: 1_000 }).request(GET));
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe('GENERIC_MES did not answer in time');
    // Ours, not undici's backstop (a second later).
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('a request whose deadline passes while it waits for a connection fails then, and is never sent', async () => {
    const server = await raw(async (req, res) => {
      if (req.url !== '/slow') return res.end('{"n":2}');
      // Headers at once, then the body over 800 ms: the only connection is busy all that while.
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 8; i++) {
        res.write(' ');
        await sleep(100);
      }
      res.end('{"n":1}');
    });
    const client = http(server, { headersTimeoutMs: 200, bodyTimeoutMs: 2_000 }, { connections: 1 });
    const order: string[] = [];
    const first = client.request({ ...GET, path: '/slow' }).then(() => order.push('first answered'));
    await sleep(50);
    const err = await failure(client.request(GET).finally(() => order.push('second failed')));
    await first;
    expect(err.kind).toBe('timeout');
    expect(err.message).toBe('GENERIC_MES did not answer in time');
    // It failed at its own deadline, not when the connection came free.
    expect(order).toEqual(['second failed', 'first answered']);
    await sleep(100);
    expect(server.paths).toEqual(['/slow']);
  });

  it('passes over an informational (1xx) answer to the real one', async () => {
    const server = await raw((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' }, () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    const res = await http(server).request(GET);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('gives the headers as a lower-cased record, a repeated header as a list', async () => {
    const server = await raw((_req, res) => {
      res.setHeader('X-Total-Count', '7');
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    const res = await http(server).request(GET);
    expect(res.headers['x-total-count']).toBe('7');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('reads an empty body as null, and a short non-JSON error body as its text', async () => {
    const server = await raw((req, res) => {
      if (req.url === '/empty') return res.writeHead(204).end();
      res.writeHead(418, { 'content-type': 'text/plain' });
      res.end('TEAPOT');
    });
    const client = http(
      server,
      {},
      { describeError: (_s, body) => ({ code: typeof body === 'string' ? body : 'none' }) },
    );
    const empty = await client.request({ ...GET, path: '/empty' });
    expect(empty).toMatchObject({ status: 204, body: null });
    const err = await failure(client.request(GET));
    expect(err.message).toBe('GENERIC_MES listThings failed: HTTP 418 TEAPOT');
  });
});
