// Where HTTP requests come in: each is offered to the fast lane (fast-lane.ts), and whatever the lane declines goes
// to yoga with the same bytes. Two doors to the same rooms: Node's request listener (what `npm start` serves) and a
// fetch function (what the tests and an embedding server call).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { CONTENT_LENGTH } from '../security/body-limit.js';
import type { FastLane, LaneResponse } from './fast-lane.js';

type Yoga = YogaServerInstance<Record<string, unknown>, GatewayContext>;

export interface FrontDoor {
  /** Node's request listener: `createServer(frontDoor.handle)`. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The same, for a fetch Request (yoga.fetch's signature). */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

/** What yoga answers for an unexpected error: a 500 naming the request id that the log line carries. */
function unexpectedAnswer(requestId: string): LaneResponse {
  return {
    status: 500,
    headers: { 'content-type': 'application/json; charset=utf-8', vary: 'Origin', 'x-request-id': requestId },
    body: JSON.stringify({
      errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
    }),
  };
}

/**
 * A fetch body read up to `max` bytes: all of it, or, once it passes the limit, a stream of what was read and the
 * rest, for yoga's body limit to refuse as it refuses any body.
 */
async function readCapped(
  body: ReadableStream<Uint8Array>,
  max: number,
): Promise<{ bytes: Uint8Array<ArrayBuffer> } | { rest: ReadableStream<Uint8Array> }> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > max) {
      let next = 0;
      const rest = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (next < chunks.length) return controller.enqueue(chunks[next++]!);
          const more = await reader.read();
          if (more.done) controller.close();
          else controller.enqueue(more.value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      return { rest };
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return { bytes };
}

export function frontDoor(
  yoga: Yoga,
  lane: FastLane | undefined,
  maxBodyBytes: number,
  onUnexpected: (err: unknown, requestId: string) => void = () => undefined,
): FrontDoor {
  if (!lane)
    return {
      handle: (req, res) => void yoga(req, res),
      fetch: async (input, init) => yoga.fetch(input instanceof Request && !init ? input : new Request(input, init)),
    };

  /** A declared Content-Length that is valid and within the limit (anything else is yoga's body limit's to answer). */
  const within = (length: string) => CONTENT_LENGTH.test(length) && Number(length) <= maxBodyBytes;
  const write = (res: ServerResponse, answer: LaneResponse) => {
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  };

  return {
    handle(req, res) {
      const admitted = lane.admits({
        method: req.method ?? '',
        url: req.url ?? '',
        header: (name) => {
          const value = req.headers[name];
          return Array.isArray(value) ? value.join(', ') : value;
        },
      });
      // Only a body whose length is told and allowed is read here: yoga's body limit (security/body-limit.ts)
      // answers the rest, and Node's parser holds the body to its Content-Length.
      const length = req.headers['content-length'];
      if (
        !admitted ||
        req.headers['transfer-encoding'] ||
        length === undefined ||
        !within(length) ||
        Number(length) === 0
      ) {
        void yoga(req, res);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('error', () => res.destroy());
      req.on('end', () => {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        lane
          .serve(admitted, body.toString('utf8'))
          .then((answer) => {
            if (answer) return write(res, answer);
            // Declined: yoga reads the body the lane has read (whatwg-node takes a consumed request's `body`).
            (req as IncomingMessage & { body?: Buffer }).body = body;
            void yoga(req, res);
          })
          // The lane answers every error it can; what escapes is a bug: told as yoga tells an unexpected error (a
          // 500 with the request id, which the log line carries), never left as an unhandled rejection.
          .catch((err: unknown) => {
            onUnexpected(err, admitted.requestId);
            if (res.headersSent) return void res.destroy();
            write(res, unexpectedAnswer(admitted.requestId));
          });
      });
    },

    async fetch(input, init) {
      const request = input instanceof Request && init === undefined ? input : new Request(input, init);
      const url = new URL(request.url);
      const admitted = lane.admits({
        method: request.method,
        url: url.pathname + url.search,
        header: (name) => request.headers.get(name),
      });
      if (!admitted || request.body === null) return yoga.fetch(request);
      // A declared length over the limit, or a body that grows past it, is yoga's to refuse (413): the lane never
      // holds more than the limit in memory.
      const declared = request.headers.get('content-length');
      if (declared !== null && !within(declared)) return yoga.fetch(request);
      const read = await readCapped(request.body, maxBodyBytes);
      const again = (body: BodyInit | Uint8Array<ArrayBuffer>) =>
        yoga.fetch(
          new Request(request.url, {
            method: request.method,
            headers: request.headers,
            body,
            duplex: 'half',
          } as RequestInit),
        );
      if ('rest' in read) return again(read.rest);
      if (read.bytes.byteLength === 0) return again(read.bytes);
      let answer: LaneResponse | undefined;
      try {
        answer = await lane.serve(admitted, new TextDecoder().decode(read.bytes));
      } catch (err) {
        onUnexpected(err, admitted.requestId);
        answer = unexpectedAnswer(admitted.requestId);
      }
      if (!answer) return again(read.bytes);
      return new Response(answer.body, {
        status: answer.status,
        headers: { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) },
      });
    },
  };
}
