// Which web pages may call the gateway from a visitor's browser. The gateway's own pages (GraphiQL) may, and the
// origins listed in CORS_ORIGINS; no other origin is ever echoed back, and never with credentials: callers
// authenticate with headers (X-API-Key, Authorization), not cookies, so no browser needs to send credentials.
// A request that carries any other Origin is refused before it is parsed, so even a request a browser sends
// without a preflight (which the CSRF check also stops) never reaches a vendor.
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import { refusal } from './refusal.js';

type CorsOptions = {
  origin: string[];
  credentials: false;
  methods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAge: number;
};

const ALLOWED_HEADERS = [
  'content-type',
  'accept',
  'x-api-key',
  'authorization',
  'idempotency-key',
  'x-request-id',
  'x-graphql-yoga-csrf',
  'apollo-require-preflight',
];
const EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'idempotent-replayed'];

/**
 * The gateway's own origin, told by the Host the browser addressed (a page cannot forge it); the scheme is left
 * out of the comparison so that GraphiQL behind a TLS-terminating proxy still counts as the gateway's own page.
 */
function isOwnOrigin(origin: string, request: Request): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const addressed = request.headers.get('host') ?? new URL(request.url).host;
  return host !== '' && host.toLowerCase() === addressed.toLowerCase();
}

export function originAllowed(origin: string, request: Request, config: GatewayConfig): boolean {
  return (config.corsOrigins ?? []).includes(origin) || isOwnOrigin(origin, request);
}

/** yoga's `cors` option: the allowed origin itself (never a pattern), no credentials; nothing for anyone else. */
export function corsOf(config: GatewayConfig): (request: Request) => CorsOptions | false {
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !originAllowed(origin, request, config)) return false;
    return {
      origin: [origin],
      credentials: false,
      methods: ['GET', 'POST'],
      allowedHeaders: ALLOWED_HEADERS,
      exposedHeaders: EXPOSED_HEADERS,
      maxAge: 600,
    };
  };
}

/** Refuses a request from a page of another origin (403), and marks every answer as depending on Origin. */
export function useOriginCheck(config: GatewayConfig): Plugin<GatewayContext> {
  return {
    onRequestParse({ request }) {
      const origin = request.headers.get('origin');
      if (origin !== null && !originAllowed(origin, request, config)) {
        throw refusal(
          'FORBIDDEN',
          "Requests from this page's origin are not allowed: list it in the gateway's CORS_ORIGINS.",
          403,
        );
      }
    },
    onResponse({ response }) {
      try {
        response.headers.append('vary', 'Origin');
      } catch {
        // Immutable headers (a few of yoga's own answers): nothing varies on them.
      }
    },
  };
}
