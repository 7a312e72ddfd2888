// One id per HTTP request, carried by the response's `x-request-id`, by every masked error and by the log line that
// records it. Errors raised before the GraphQL context exists (auth, request parsing, context building) reach
// yoga's maskError with nothing but the error, so an unexpected one is handed to `whenRequestIdKnown` and gets its
// id (and its log line) when yoga processes the request's result, which every path reaches with the request in
// hand. No AsyncLocalStorage: its promise hooks cost every promise of every request, for the rare failing one.
import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';

const requestIds = new WeakMap<Request, string>();
const waiting = new WeakMap<GraphQLError, (requestId: string) => void>();

/** The request's id: the caller's `X-Request-Id` when it is sane, else a new one; the same for the whole request. */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (!id) {
    id = requestIdFrom(request.headers.get('x-request-id'));
    requestIds.set(request, id);
  }
  return id;
}

/** The id for a request whose `X-Request-Id` header is this: the caller's when it is sane, else a new one. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && /^[A-Za-z0-9._-]{1,64}$/.test(header) ? header : randomUUID();
}

/** Runs `then` with the request's id once the result holding `error` is processed (before it is serialized). */
export function whenRequestIdKnown(error: GraphQLError, then: (requestId: string) => void): void {
  waiting.set(error, then);
}

/** Gives the request's id to the errors of a result that wait for it (see whenRequestIdKnown). */
export function settle(result: unknown, requestId: string): void {
  if (Array.isArray(result)) {
    for (const r of result) settle(r, requestId);
    return;
  }
  const errors = (result as { errors?: readonly GraphQLError[] } | null | undefined)?.errors;
  if (!Array.isArray(errors)) return;
  for (const error of errors) {
    const then = waiting.get(error);
    if (!then) continue;
    waiting.delete(error);
    then(requestId);
  }
}

export function useRequestId(): Plugin<GatewayContext> {
  return {
    onResultProcess({ request, result }) {
      settle(result, requestIdOf(request));
    },
    onResponse({ request, response, setResponse }) {
      const id = requestIdOf(request);
      try {
        response.headers.set('x-request-id', id);
      } catch {
        // Some responses carry immutable headers; a copy takes the header instead.
        const headers = new Headers(response.headers);
        headers.set('x-request-id', id);
        setResponse(new Response(response.body, { status: response.status, statusText: response.statusText, headers }));
      }
    },
  };
}
