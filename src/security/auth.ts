// Who is calling. An API key (`X-API-Key`, or `Authorization: Bearer <key>`) names a client of GATEWAY_CLIENTS_FILE;
// with GATEWAY_JWT_ISSUER set, a bearer token shaped like a JWT is verified by yoga's JWT plugin instead and its
// claims name the client. The caller is settled in onRequestParse, before the body is read, so a request without
// a valid credential costs neither parsing nor a vendor call.
import { createHash, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import type { JWTExtendContextFields } from '@graphql-yoga/plugin-jwt';
import type { Plugin } from 'graphql-yoga';
import type { GatewayClient, GatewayConfig, JwtSettings } from '../config.js';
import type { GatewayContext, Principal } from '../context.js';
import { VENDORS, type Vendor } from '../domain/model.js';
import type { Logger } from '../logger.js';
import { refusal } from './refusal.js';
import { requestIdOf } from './request-id.js';

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 1200;
const KNOWN_SCOPES = ['workorders:read', 'workorders:write'];

/** An authenticated caller: the principal the resolvers see, and what only the security layer needs. */
export interface Caller {
  principal: Principal;
  rateLimitPerMinute: number;
}

const callers = new WeakMap<Request, Caller>();

/** The authenticated caller of a request (undefined while the gateway is open for local exploration). */
export function callerOf(request: Request): Caller | undefined {
  return callers.get(request);
}

const vouched = new WeakSet<Request>();

/**
 * A request the gateway makes to itself on behalf of a caller it has already authenticated another way (a redeemed
 * subscription ticket): it carries no credential, and runs as that caller. Only code in this process holds such a
 * Request object, so nothing from the network can be vouched for.
 */
export function vouchFor(request: Request, caller: Caller): void {
  callers.set(request, caller);
  vouched.add(request);
}

export function isVouched(request: Request): boolean {
  return vouched.has(request);
}

type Credential = { kind: 'apiKey'; value: string } | { kind: 'jwt'; value: string };

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** A request's header by its lower-case name: a fetch Request's and a Node request's alike. */
export type HeaderOf = (name: string) => string | null | undefined;

/** The credential a request presents; `malformed` for an Authorization header that is not `Bearer <token>`. */
function credentialOf(header: HeaderOf, jwtEnabled: boolean): Credential | 'malformed' | undefined {
  const apiKey = header('x-api-key')?.trim();
  if (apiKey) return { kind: 'apiKey', value: apiKey };
  const authorization = header('authorization');
  if (authorization == null) return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!m) return 'malformed';
  const token = m[1] as string;
  return jwtEnabled && JWT_SHAPE.test(token) ? { kind: 'jwt', value: token } : { kind: 'apiKey', value: token };
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * The configured API keys, compared in constant time: every key's digest is compared with the presented one's,
 * whatever matched before, so the time taken tells nothing about which key (or how much of one) was right.
 */
class KeyRing {
  private readonly entries: { digest: Buffer; caller: Caller }[];

  constructor(clients: readonly GatewayClient[]) {
    this.entries = clients.map((c) => ({
      digest: digest(c.apiKey),
      caller: {
        principal: {
          name: c.name,
          id: `key:${c.name}`,
          role: c.role,
          scopes: [...c.scopes],
          vendors: c.vendors ? [...c.vendors] : VENDORS,
        },
        rateLimitPerMinute: c.rateLimitPerMinute,
      },
    }));
  }

  find(key: string): Caller | undefined {
    const presented = digest(key);
    let found: Caller | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented) && !found) found = entry.caller;
    }
    return found;
  }
}

/**
 * A verified token's claims as a caller: `role` (partner | frontend | router), `scope` (space-separated, OAuth style) or
 * `scp`, optional `vendors` and `rate_limit_per_minute`; the client's name is `client_id`, `azp` or `sub`.
 */
export function callerFromClaims(claims: Record<string, unknown>, settings: JwtSettings): Caller | string {
  const name = [claims.client_id, claims.azp, claims.sub].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  if (!name) return 'The token names no client (client_id, azp or sub).';
  const role = claims.role;
  if (role !== 'partner' && role !== 'frontend' && role !== 'router')
    return 'The token carries no "role" claim of partner, frontend or router.';
  const rawScopes =
    typeof claims.scope === 'string'
      ? claims.scope.split(/\s+/)
      : Array.isArray(claims.scp)
        ? claims.scp
        : typeof claims.scp === 'string'
          ? claims.scp.split(/\s+/)
          : [];
  const scopes = rawScopes.filter((s): s is string => typeof s === 'string' && KNOWN_SCOPES.includes(s));
  let vendors: readonly Vendor[] = VENDORS;
  if (claims.vendors !== undefined) {
    if (!Array.isArray(claims.vendors)) return 'The token\'s "vendors" claim is not a list.';
    vendors = VENDORS.filter((v) => (claims.vendors as unknown[]).includes(v));
  }
  const rate = claims.rate_limit_per_minute;
  return {
    principal: { name, id: `jwt:${settings.issuer}:${name}`, role, scopes, vendors },
    rateLimitPerMinute:
      typeof rate === 'number' && Number.isInteger(rate) && rate > 0 ? rate : DEFAULT_RATE_LIMIT_PER_MINUTE,
  };
}

const UNAUTHENTICATED_HEADERS = { 'WWW-Authenticate': 'Bearer realm="mes-gateway"' };

function unauthenticated(message: string) {
  return refusal('UNAUTHENTICATED', message, 401, { headers: UNAUTHENTICATED_HEADERS });
}

/** True when the gateway has no credentials configured at all: open for local exploration. */
export function isOpen(config: GatewayConfig): boolean {
  return !config.clients && !config.jwt;
}

/**
 * The issuer's published keys. A token naming a key the issuer does not publish is the caller's fault, not ours,
 * and must be refused like any invalid token (401). The JWT plugin answers a missing key with a server error (a 500
 * for every forged `kid`), so such a token gets a key nobody holds: its signature then fails to verify, and it is
 * refused as invalid. An issuer that cannot be reached stays a server error.
 */
function knownKeysOnly(jwt: JwtModule, jwksUri: string): ReturnType<JwtModule['createRemoteJwksSigningKeyProvider']> {
  const remote = jwt.createRemoteJwksSigningKeyProvider({ jwksUri, cache: true, rateLimit: true, timeout: 5_000 });
  let nobodys: string | undefined;
  return async (kid) => {
    try {
      return await remote(kid);
    } catch (err) {
      if ((err as { name?: string } | null)?.name !== 'SigningKeyNotFoundError') throw err;
      nobodys ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString();
      return nobodys;
    }
  };
}

/**
 * The caller an API key names, for the fast lane (execution/fast-lane.ts), which serves only what needs no more:
 * `undefined` for anything else (no credential, a malformed header, an unknown key, a token for the JWT plugin),
 * which the fast lane hands to yoga, whose plugins above refuse or verify it exactly as for any request.
 */
export function apiKeyCallers(config: GatewayConfig): (header: HeaderOf) => Caller | undefined {
  const keys = new KeyRing(config.clients ?? []);
  const jwtEnabled = config.jwt !== undefined;
  return (header) => {
    const credential = credentialOf(header, jwtEnabled);
    return typeof credential === 'object' && credential.kind === 'apiKey' ? keys.find(credential.value) : undefined;
  };
}

type JwtModule = typeof import('@graphql-yoga/plugin-jwt');
type JwtHooks = Required<Pick<Plugin<GatewayContext>, 'onYogaInit' | 'onRequestParse' | 'onContextBuilding'>>;

/**
 * Yoga's JWT plugin (with jose, jsonwebtoken and jwks-rsa: 1.3 MB of heap at start) loads only when JWTs are
 * configured, from the moment the gateway is built. Until it has loaded, a request waits for it in onRequestParse;
 * from then on its three hooks (the plugin has no others) run as the plugin's own.
 */
function lazyJwtPlugin(make: (jwt: JwtModule) => Plugin<GatewayContext>): Plugin<GatewayContext> {
  let plugin: Partial<JwtHooks> | undefined;
  let init: Parameters<JwtHooks['onYogaInit']>[0] | undefined;
  const loaded = import('@graphql-yoga/plugin-jwt').then((m) => {
    plugin = make(m);
    if (init) plugin.onYogaInit?.(init);
    return plugin;
  });
  // A failure to load reaches the requests that wait for it; none is left unhandled meanwhile.
  loaded.catch(() => undefined);
  const hooks: JwtHooks = {
    onYogaInit(payload) {
      init = payload;
      plugin?.onYogaInit?.(payload);
    },
    onRequestParse(payload) {
      if (plugin) return plugin.onRequestParse?.(payload);
      return loaded.then((p) => p.onRequestParse?.(payload));
    },
    onContextBuilding(payload) {
      if (plugin) return plugin.onContextBuilding?.(payload);
      return loaded.then((p) => p.onContextBuilding?.(payload));
    },
  };
  return hooks;
}

/** The plugins that settle the caller of every GraphQL request (none while the gateway is open). */
export function authPlugins(config: GatewayConfig, logger: Logger): Plugin<GatewayContext>[] {
  if (isOpen(config)) return [];
  const keys = new KeyRing(config.clients ?? []);
  const jwt = config.jwt;
  const plugins: Plugin<GatewayContext>[] = [];

  if (jwt) {
    plugins.push(
      lazyJwtPlugin(
        (m) =>
          m.useJWT({
            signingKeyProviders: [
              jwt.secret ? m.createInlineSigningKeyProvider(jwt.secret) : knownKeysOnly(m, jwt.jwksUrl as string),
            ],
            // Only JWT-shaped bearer tokens are the plugin's; API keys in the same header are ours.
            tokenLookupLocations: [
              ({ request }) => {
                const credential = credentialOf((name) => request.headers.get(name), true);
                return typeof credential === 'object' && credential.kind === 'jwt'
                  ? { token: credential.value, prefix: 'Bearer' }
                  : undefined;
              },
            ],
            tokenVerification: {
              issuer: jwt.issuer,
              ...(jwt.audience ? { audience: jwt.audience } : {}),
              algorithms: jwt.secret ? ['HS256'] : ['RS256', 'ES256', 'PS256'],
            },
            // A missing or failing token is refused below, as UNAUTHENTICATED with a 401, like a wrong API key.
            reject: { missingToken: false, invalidToken: false },
            extendContext: 'jwt',
          }) as Plugin<GatewayContext>,
      ),
    );
  }

  plugins.push({
    onRequestParse({ request, serverContext }) {
      if (vouched.has(request)) return;
      const credential = credentialOf((name) => request.headers.get(name), jwt !== undefined);
      const refuse: (message: string, reason: string) => never = (message, reason) => {
        logger.debug({ requestId: requestIdOf(request), reason }, 'unauthenticated request');
        throw unauthenticated(message);
      };
      if (credential === undefined)
        refuse('A credential is required: send X-API-Key or Authorization: Bearer.', 'missing');
      if (credential === 'malformed') refuse('The Authorization header must be "Bearer <key or token>".', 'malformed');
      if (credential.kind === 'apiKey') {
        callers.set(request, keys.find(credential.value) ?? refuse('Unknown API key.', 'unknown key'));
        return;
      }
      const verified = (serverContext as { jwt?: JWTExtendContextFields } | undefined)?.jwt?.payload;
      if (!verified) refuse('The token is invalid, expired or from another issuer.', 'invalid token');
      const caller = callerFromClaims(verified as Record<string, unknown>, jwt as JwtSettings);
      callers.set(request, typeof caller === 'string' ? refuse(caller, 'token claims') : caller);
    },
  });
  return plugins;
}
