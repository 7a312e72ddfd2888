// One id per HTTP request, carried by the response's `x-request-id`, by every masked error and by the log line that
// records it. Errors raised before the GraphQL context exists (auth, request parsing, context building) reach
// yoga's maskError with nothing but the error, so the id also lives in an AsyncLocalStorage around the request.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';

const requestIds = new WeakMap<Request, string>();
const current = new AsyncLocalStorage<string>();

/** The request's id: the caller's `X-Request-Id` when it is sane, else a new one; the same for the whole request. */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (!id) {
    const header = request.headers.get('x-request-id');
    id = header && /^[A-Za-z0-9._-]{1,64}$/.test(header) ? header : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

/** The id of the request being handled, wherever in its handling this is called; undefined outside one. */
export function currentRequestId(): string | undefined {
  return current.getStore();
}

export function useRequestId(): Plugin<GatewayContext> {
  return {
    instrumentation: {
      request: ({ request }, wrapped) => current.run(requestIdOf(request), wrapped),
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
