// GraphQL over WebSocket (graphql-ws) on the same HTTP server and path as everything else. Each operation of a
// socket is run as one ordinary request through yoga (SSE for the results), carrying the credential the client gave
// in its connection parameters as headers: so a socket is authenticated, rate limited, limited, persisted-checked
// and vendor-scoped exactly like any request, by the same code, with nothing for WebSockets alone to get wrong.
// A browser's WebSocket carries no cookie-free credential of its own and the gateway uses no cookies, so a
// cross-site page can open a socket but has nothing to authenticate it with.
import type { Server } from 'node:http';
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { schema } from '../schema/index.js';
import type { Gateway } from '../yoga.js';

type Params = Record<string, unknown> | undefined;

/** The credential headers a client may give as connection parameters (any case; `apiKey` for X-API-Key). */
export function headersOf(params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value !== 'string') continue;
    const lower = name.toLowerCase();
    if (lower === 'apikey' || lower === 'x-api-key') out['x-api-key'] = value;
    else if (lower === 'authorization') out.authorization = value;
  }
  return out;
}

interface OperationContext {
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

type WireResult = {
  data?: unknown;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
};

/** graphql-ws serializes results itself and wants real GraphQLErrors in them. */
function revive(result: WireResult): ExecutionResult {
  return {
    ...(result as ExecutionResult),
    ...(result.errors
      ? {
          errors: result.errors.map(
            (e) =>
              new GraphQLError(e.message, {
                ...(e.path ? { path: e.path } : {}),
                ...(e.extensions ? { extensions: e.extensions } : {}),
              }),
          ),
        }
      : {}),
  };
}

/** Runs one operation through yoga as an SSE request and yields its results until it completes or is stopped. */
async function* streamThroughYoga(
  gateway: Gateway,
  op: OperationContext,
  abort: AbortController,
): AsyncGenerator<ExecutionResult> {
  try {
    const res = await gateway.yoga.fetch('http://gateway.internal/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...op.headers },
      body: JSON.stringify(op.body),
      signal: abort.signal,
    });
    if (!(res.headers.get('content-type') ?? '').includes('text/event-stream') || !res.body) {
      // Refused before it ran (401, 429, a parse error): the body is the usual JSON with the errors and codes.
      yield revive((await res.json()) as WireResult);
      return;
    }
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body.getReader();
    // Cancelling the body is what ends the subscription inside yoga (an in-process response ignores the signal).
    const cancel = () => void reader.cancel().catch(() => undefined);
    if (abort.signal.aborted) cancel();
    abort.signal.addEventListener('abort', cancel, { once: true });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (event === 'complete') return;
        if (event === 'next' && data.length > 0) yield revive(JSON.parse(data.join('\n')) as WireResult);
      }
    }
  } finally {
    abort.abort();
  }
}

/**
 * The generator, with a `return` that first aborts the request: a generator waiting on the stream would otherwise
 * only see `return` at its next result, and a quiet subscription would stay open after the client left.
 */
function throughYoga(gateway: Gateway, op: OperationContext): AsyncGenerator<ExecutionResult> {
  const abort = new AbortController();
  const inner = streamThroughYoga(gateway, op, abort);
  const outer: AsyncGenerator<ExecutionResult> = {
    next: (...args) => inner.next(...args),
    return: async (value) => {
      abort.abort();
      void inner.return(value).catch(() => undefined);
      return { done: true, value };
    },
    throw: (err) => {
      abort.abort();
      return inner.throw(err);
    },
    [Symbol.asyncIterator]: () => outer,
  } as AsyncGenerator<ExecutionResult>;
  return outer;
}

export function attachWebSockets(server: Server, gateway: Gateway, path = '/graphql'): { close(): Promise<void> } {
  const wss = new WebSocketServer({ server, path });
  const run = (args: { contextValue?: unknown }) => throughYoga(gateway, args.contextValue as OperationContext);
  const cleanup = useServer(
    {
      onSubscribe: (ctx, _id, payload) => {
        if (typeof payload.query !== 'string')
          return [
            new GraphQLError('Send the operation text (query) over WebSocket.', {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        let document;
        try {
          document = parse(payload.query);
        } catch (err) {
          return [err instanceof GraphQLError ? err : new GraphQLError('Syntax error')];
        }
        const body: Record<string, unknown> = { query: payload.query };
        if (payload.operationName) body.operationName = payload.operationName;
        if (payload.variables) body.variables = payload.variables;
        if (payload.extensions) body.extensions = payload.extensions;
        return {
          schema,
          document,
          ...(payload.operationName ? { operationName: payload.operationName } : {}),
          contextValue: { body, headers: headersOf(ctx.connectionParams) } satisfies OperationContext,
        };
      },
      execute: run,
      subscribe: run,
    },
    wss,
  );
  return {
    async close() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
