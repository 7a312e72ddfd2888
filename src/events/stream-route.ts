// GET /graphql/stream: subscriptions for a browser's EventSource, which can send neither a credential nor the CSRF
// rule's preflight header. The page first buys a ticket with an ordinary authenticated POST (the
// createSubscriptionTicket mutation: a credential header, so CSRF-safe), then opens
// `new EventSource('/graphql/stream?ticket=…&query=…')`. The ticket is redeemed once (a repeat, an expired or a
// forged one is 401), and the subscription then runs through yoga like any request, as the ticket's caller: rate
// limited, limited, persisted-checked and vendor-scoped by the same code. Only a subscription is ever run here: a
// query or mutation is refused before the ticket is touched, and a request run for a ticket cannot execute one
// either (onExecute below), so a link a cross-site page makes a browser follow can change nothing.
// Neither the ticket nor the URL that carries it is ever logged.
import { getOperationAST, parse, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../logger.js';
import { isVouched, vouchFor } from '../security/auth.js';
import { originAllowed } from '../security/cors.js';
import { refusal } from '../security/refusal.js';
import type { TicketStore } from '../shared/tickets.js';

export const STREAM_PATH = '/graphql/stream';

export interface StreamRouteOptions {
  config: GatewayConfig;
  tickets: TicketStore;
  logger: Logger;
  /** Runs a request through the gateway's own yoga (bound after yoga exists). */
  run: (request: Request) => Promise<Response>;
}

function parseJsonParam(value: string | null): { ok: true; value: unknown } | { ok: false } {
  if (value === null || value === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}

export function streamPlugin(options: StreamRouteOptions): Plugin<GatewayContext> {
  const { config, tickets, logger, run } = options;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== STREAM_PATH) return;
      const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) => {
        logger.info({ status, code }, 'subscription stream refused');
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
          }),
        );
      };
      if (request.method !== 'GET')
        return refuse(405, 'BAD_REQUEST', 'GET only: this is the EventSource route for subscriptions.', {
          allow: 'GET',
        });
      const origin = request.headers.get('origin');
      if (origin !== null && !originAllowed(origin, request, config))
        return refuse(
          403,
          'FORBIDDEN',
          "Requests from this page's origin are not allowed: list it in the gateway's CORS_ORIGINS.",
        );
      if (!(request.headers.get('accept') ?? '').includes('text/event-stream'))
        return refuse(406, 'BAD_REQUEST', 'This route answers text/event-stream only (an EventSource).');

      const params = url.searchParams;
      const query = params.get('query');
      const documentId = params.get('documentId');
      const operationName = params.get('operationName');
      const variables = parseJsonParam(params.get('variables'));
      const extensions = parseJsonParam(params.get('extensions'));
      if (!variables.ok) return refuse(400, 'BAD_REQUEST', 'The variables parameter is not JSON.');
      if (!extensions.ok) return refuse(400, 'BAD_REQUEST', 'The extensions parameter is not JSON.');
      if (!query && !documentId && extensions.value === undefined)
        return refuse(400, 'BAD_REQUEST', 'Send the subscription as the query parameter (or a persisted documentId).');
      if (query) {
        let document: DocumentNode;
        try {
          document = parse(query);
        } catch {
          return refuse(400, 'GRAPHQL_PARSE_FAILED', 'The query parameter is not a GraphQL document.');
        }
        const operation = getOperationAST(document, operationName || undefined);
        if (!operation) return refuse(400, 'BAD_REQUEST', 'Name the operation to run (operationName).');
        if (operation.operation !== 'subscription')
          return refuse(
            405,
            'BAD_REQUEST',
            `Only subscriptions are served here; send a ${operation.operation} as POST /graphql.`,
            { allow: 'POST' },
          );
      }

      const ticket = params.get('ticket');
      if (!ticket)
        return refuse(
          401,
          'UNAUTHENTICATED',
          'A subscription ticket is required: get one with the createSubscriptionTicket mutation.',
        );
      let caller;
      try {
        caller = await tickets.redeem(ticket);
      } catch {
        return refuse(503, 'SHARED_STATE_UNAVAILABLE', 'The shared store (Redis) is unavailable; retry later.');
      }
      if (!caller)
        return refuse(401, 'UNAUTHENTICATED', 'The subscription ticket is unknown, expired or already used.');

      const body: Record<string, unknown> = {};
      if (query) body.query = query;
      if (documentId) body.documentId = documentId;
      if (operationName) body.operationName = operationName;
      if (variables.value !== undefined) body.variables = variables.value;
      if (extensions.value !== undefined) body.extensions = extensions.value;
      const requestId = request.headers.get('x-request-id');
      const inner = new fetchAPI.Request(new URL('/graphql', url).toString(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        body: JSON.stringify(body),
      });
      vouchFor(inner, caller);
      const answer = await run(inner);
      // The browser leaving ends the subscription: cancelling our body cancels yoga's.
      endResponse(answer);
    },
    onExecute({ args, setResultAndStopExecution }) {
      // Defence in depth: a request run for a ticket never executes a query or mutation (only subscribe does).
      const request = (args.contextValue as { request?: Request }).request;
      if (request && isVouched(request))
        setResultAndStopExecution({
          errors: [refusal('BAD_REQUEST', 'Only subscriptions are served with a ticket.', 405)],
        });
    },
  };
}
