// Where HTTP requests come in: each is offered to the fast lane (fast-lane.ts), and whatever the lane declines goes
// to yoga with the same bytes. Two doors to the same rooms: Node's request listener (what `npm start` serves) and a
// fetch function (what the tests and an embedding server call).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { YogaServerInstance } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import type { FastLane, LaneResponse } from './fast-lane.js';

type Yoga = YogaServerInstance<Record<string, unknown>, GatewayContext>;

export interface FrontDoor {
  /** Node's request listener: `createServer(frontDoor.handle)`. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** The same, for a fetch Request (yoga.fetch's signature). */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

export function frontDoor(yoga: Yoga, lane: FastLane | undefined, maxBodyBytes: number): FrontDoor {
  if (!lane)
    return {
      handle: (req, res) => void yoga(req, res),
      fetch: async (input, init) => yoga.fetch(input instanceof Request && !init ? input : new Request(input, init)),
    };

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
        !length ||
        !/^\d+$/.test(length) ||
        !(Number(length) > 0 && Number(length) <= maxBodyBytes)
      ) {
        void yoga(req, res);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('error', () => res.destroy());
      req.on('end', () => {
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        lane.serve(admitted, body.toString('utf8')).then(
          (answer) => {
            if (answer) return write(res, answer);
            // Declined: yoga reads the body the lane has read (whatwg-node takes a consumed request's `body`).
            (req as IncomingMessage & { body?: Buffer }).body = body;
            void yoga(req, res);
          },
          // The lane answers every error it can; what escapes is a bug, told as yoga tells one (a 500, no detail).
          () => {
            if (!res.headersSent)
              res.writeHead(500, {
                'content-type': 'application/json; charset=utf-8',
                'x-request-id': admitted.requestId,
              });
            res.end('{"errors":[{"message":"Unexpected error.","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}');
          },
        );
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
      const bytes = new Uint8Array(await request.arrayBuffer());
      const again = () =>
        yoga.fetch(new Request(request.url, { method: request.method, headers: request.headers, body: bytes }));
      if (bytes.byteLength === 0 || bytes.byteLength > maxBodyBytes) return again();
      const answer = await lane.serve(admitted, new TextDecoder().decode(bytes));
      if (!answer) return again();
      return new Response(answer.body, {
        status: answer.status,
        headers: { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) },
      });
    },
  };
}
