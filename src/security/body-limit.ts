// The request-body size limit (MAX_BODY_BYTES), in place of yoga's maxRequestBodySize: the same checks and the same
// refusals, without piping every body through a counting stream. Yoga's plugin pipes even a body whose
// Content-Length is already known to be under the limit, which costs a stream pipeline, an AbortSignal and a
// DOMException per request (about 5% of a small query's CPU). Node's HTTP parser never delivers more bytes than a
// request's Content-Length (and refuses a request that also says Transfer-Encoding), so a body that came through
// Node's server with a Content-Length under the limit needs no counting. Everything else (chunked bodies, and any
// Request that did not come from Node's parser, such as yoga.fetch in tests) is counted as it streams in, as
// yoga does.
import { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

// Only a single non-negative integer is a valid Content-Length (a list of values is a request-smuggling sign).
export const CONTENT_LENGTH = /^\d+$/;

/** yoga's own refusal, kept as it was: 413 with REQUEST_ENTITY_TOO_LARGE. */
const tooLarge = () =>
  new GraphQLError('Request body too large', {
    extensions: { http: { status: 413 }, code: 'REQUEST_ENTITY_TOO_LARGE' },
  });

const badLength = () =>
  new GraphQLError('Content-Length header is invalid.', {
    extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
  });

/** Whether the request's body is read by Node's HTTP parser, which holds it to its Content-Length. */
function fromNodeParser(serverContext: unknown): boolean {
  const req = (serverContext as { req?: unknown } | undefined)?.req;
  return req instanceof IncomingMessage;
}

/** The body counted as it streams in: an error once it passes the limit (yoga's reading, unchanged). */
function counted(request: Request, limit: number, fetchAPI: { Request: typeof Request }): Request {
  const body = request.body;
  if (!body) return request;
  let bytesRead = 0;
  // A native ReadableStream needs the native TransformStream (graphql-yoga#4583).
  const Transform =
    body instanceof ReadableStream
      ? globalThis.TransformStream
      : (fetchAPI as unknown as { TransformStream: typeof TransformStream }).TransformStream;
  const limited = body.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        bytesRead += chunk.byteLength;
        if (bytesRead > limit) {
          controller.error(tooLarge());
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: limited,
    duplex: 'half',
  } as RequestInit);
}

/**
 * Must come after every plugin that picks a request parser (yoga.ts puts it last), so it wraps the one chosen.
 * Yoga's own limit is turned off there (maxRequestBodySize: false).
 */
export function bodyLimit<T extends Record<string, unknown>>(limit: number): Plugin<T> {
  return {
    onRequestParse({ request, requestParser, setRequestParser, serverContext, fetchAPI }) {
      const contentLength = request.headers.get('content-length');
      if (contentLength !== null) {
        if (!CONTENT_LENGTH.test(contentLength)) throw badLength();
        if (Number(contentLength) > limit) throw tooLarge();
        if (fromNodeParser(serverContext)) return;
      }
      if (requestParser == null || request.body == null) return;
      const parse = requestParser;
      setRequestParser((req) => parse(counted(req, limit, fetchAPI)));
    },
  };
}
