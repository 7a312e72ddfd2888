// The bench's load client for the gateway side: HTTP/1.1 keep-alive over raw `net` sockets, one request in flight
// per connection. On a 2-core machine the load generator shares the cores with the gateway, and undici plus a JSON
// parse per answer cost about as much CPU as a cached gateway answer: the bench then measured the machine, not the
// gateway, and charged the gateway side a cost the direct ceiling (in-process, no server between) never pays. Here a
// request is bytes built once per scenario, an answer is checked by its status line, its Content-Length and a byte
// comparison of its body with the answer captured (and checked against direct) at the start: no header object, no
// string, no parse per request.
import { connect, type Socket } from 'node:net';

/** What an answer must be: these exact body bytes, or (for an answer that varies) whatever this check accepts. */
export type Expect = Buffer | ((body: Buffer) => string | undefined);

/** The whole request, built once: `POST /graphql` with the headers the fast lane takes. */
export function rawRequest(url: string, apiKey: string, body: string): Buffer {
  const u = new URL(url);
  const payload = Buffer.from(body, 'utf8');
  const head =
    `POST /graphql HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\n` +
    `x-api-key: ${apiKey}\r\ncontent-length: ${payload.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
// Node's server closes a keep-alive connection after 5 s idle (keepAliveTimeout's default; the gateway keeps it).
// A request written as it closes would fail for the bench's timing, not the gateway's: a connection idle for
// longer than this is replaced before it is used (between rounds, while direct runs).
const MAX_IDLE_MS = 4_000;

interface Pending {
  expect: Expect | undefined;
  resolve: (answer: { status: number; body: Buffer }) => void;
  reject: (err: Error) => void;
}

class Connection {
  private socket: Socket | undefined;
  private lastUsed = 0;
  private pending: Pending | undefined;
  // Response state: the header bytes until the blank line, then the body's progress.
  private head: Buffer | undefined;
  private status = 0;
  private length = -1;
  private received = 0;
  /** Set once the body stops matching (or for a non-200 or an unchecked fetch): the body is then kept whole. */
  private kept: Buffer[] | undefined;
  private closeAfter = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** Back to the client's idle list: called before the request's promise settles. */
    private readonly release: (c: Connection) => void,
  ) {}

  send(request: Buffer, pending: Pending) {
    const now = performance.now();
    if (this.socket && now - this.lastUsed > MAX_IDLE_MS) this.drop();
    if (!this.socket) this.open();
    this.pending = pending;
    this.head = undefined;
    this.length = -1;
    this.received = 0;
    // A byte-compared answer is kept only once it stops matching; any other is kept whole.
    this.kept = Buffer.isBuffer(pending.expect) ? undefined : [];
    this.socket!.write(request);
  }

  close() {
    this.drop();
  }

  private open() {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(socket, `connection error: ${err.message}`));
    socket.on('close', () => this.fail(socket, 'connection closed by the gateway'));
    this.socket = socket;
  }

  private drop() {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
  }

  private fail(socket: Socket, why: string) {
    if (socket !== this.socket) return; // an old socket, already replaced
    this.socket = undefined;
    socket.destroy();
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    this.release(this);
    p.reject(new Error(why + (this.head ? ' mid-answer' : '')));
  }

  private onData(chunk: Buffer) {
    const p = this.pending;
    if (!p) return this.protocolError(`${chunk.length} bytes with no request in flight`);
    let at = 0;
    if (this.length < 0) {
      const head = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      const end = head.indexOf(CRLFCRLF);
      if (end < 0) {
        this.head = head;
        return;
      }
      if (!this.readHead(head.toString('latin1', 0, end))) return;
      this.head = head; // marks "mid-answer" for a close from here on
      chunk = head;
      at = end + 4;
    }
    const take = Math.min(chunk.length - at, this.length - this.received);
    if (take < chunk.length - at) return this.protocolError('more bytes than the Content-Length');
    if (this.kept) this.kept.push(chunk.subarray(at, at + take));
    else if (
      Buffer.isBuffer(p.expect) &&
      (this.received + take > p.expect.length ||
        p.expect.compare(chunk, at, at + take, this.received, this.received + take) !== 0)
    )
      // From here on the body is kept: what came before matched, so it is the expected answer's prefix.
      this.kept = [p.expect.subarray(0, this.received), chunk.subarray(at, at + take)];
    this.received += take;
    if (this.received < this.length) return;
    this.finish(p);
  }

  /** Status line and headers: the status, Content-Length, and whether the gateway closes after this answer. */
  private readHead(text: string): boolean {
    const status = /^HTTP\/1\.1 (\d{3}) /.exec(text);
    if (!status) return (this.protocolError(`not an HTTP/1.1 status line: ${text.slice(0, 80)}`), false);
    this.status = Number(status[1]);
    const lower = text.toLowerCase();
    const length = /\r\ncontent-length: *(\d+)/.exec(lower);
    if (!length) {
      // The gateway sends Content-Length on both doors (the fast lane's and yoga's string answers); a chunked
      // answer would need a decoder this client does not have, and guessing would count wrong bytes.
      return (
        this.protocolError(
          `an answer without Content-Length (${/\r\ntransfer-encoding: *([^\r]*)/.exec(lower)?.[1] ?? 'no transfer-encoding'}): the raw load client reads only Content-Length answers`,
        ),
        false
      );
    }
    this.length = Number(length[1]);
    this.closeAfter = /\r\nconnection: *close/.test(lower);
    if (this.status !== 200 && !this.kept) this.kept = [];
    return true;
  }

  private finish(p: Pending) {
    this.pending = undefined;
    this.release(this);
    this.lastUsed = performance.now();
    if (this.closeAfter) this.drop();
    const expect = p.expect;
    // Not kept: a 200 whose every byte compared equal, so the body is the expected answer's first `length` bytes.
    if (!this.kept && this.length === (expect as Buffer).length)
      return p.resolve({ status: 200, body: expect as Buffer });
    const body = this.kept ? Buffer.concat(this.kept) : (expect as Buffer).subarray(0, this.length);
    this.kept = undefined;
    if (expect === undefined) return p.resolve({ status: this.status, body });
    if (this.status !== 200) return p.reject(new Error(`status ${this.status}: ${body.toString('utf8', 0, 300)}`));
    const why = Buffer.isBuffer(expect)
      ? `answer differs from the one checked at the start (${body.length} bytes, expected ${expect.length}): ${body.toString('utf8', 0, 300)}`
      : expect(body);
    if (why) p.reject(new Error(why));
    else p.resolve({ status: 200, body });
  }

  private protocolError(why: string) {
    const s = this.socket;
    if (s) this.fail(s, `protocol: ${why}`);
  }
}

/**
 * `connections` keep-alive connections to the gateway. A request takes an idle connection or waits for one (the
 * open loop may have more in flight than connections; the closed loop never does), as undici's Pool queues.
 */
export class RawClient {
  private readonly idle: Connection[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly all: Connection[] = [];

  constructor(url: string, connections: number) {
    const u = new URL(url);
    for (let i = 0; i < connections; i++) {
      const c = new Connection(u.hostname, Number(u.port), this.released);
      this.all.push(c);
      this.idle.push(c);
    }
  }

  /** Resolves if the answer is a 200 matching `expect`; rejects, saying why, otherwise. */
  send(request: Buffer, expect: Expect): Promise<unknown> {
    return this.exchange(request, expect);
  }

  /** The raw answer, unchecked: to capture what the load must then get. */
  fetch(request: Buffer): Promise<{ status: number; body: Buffer }> {
    return this.exchange(request, undefined);
  }

  close() {
    for (const c of this.all) c.close();
  }

  private exchange(request: Buffer, expect: Expect | undefined): Promise<{ status: number; body: Buffer }> {
    const c = this.idle.pop();
    if (!c) return new Promise<void>((r) => this.waiting.push(r)).then(() => this.exchange(request, expect));
    // No closure per request beyond the executor: the connection settles the promise and hands itself back.
    return new Promise((resolve, reject) => c.send(request, { expect, resolve, reject }));
  }

  private readonly released = (c: Connection) => {
    this.idle.push(c);
    this.waiting.shift()?.();
  };
}
