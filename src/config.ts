// Environment (and an optional .env file) -> typed configuration. A missing or malformed setting is a start-up
// error that names the setting; values are never echoed, since several of them are secrets.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VENDORS, type Vendor } from './domain/model.js';
import { loadDotZeroConfigDir } from './vendors/dotzero/auth.js';
import { parseIsoDate } from './vendors/iso-date.js';
import type { DotZeroClientConfig } from './vendors/dotzero/types.js';
import type { GenericMesConfig } from './vendors/generic-mes/client.js';
import type { PitneyBowesConfig } from './vendors/pitney-bowes/types.js';
import type { VendorPolicy } from './vendors/resilience.js';

/** Connection settings per vendor: the clients' own config types, less what the process adds (its transport). */
type Connection<T> = Omit<T, 'transport'>;
export type DotZeroSettings = Connection<DotZeroClientConfig>;
export type GenericMesSettings = Connection<GenericMesConfig>;
export type PitneyBowesSettings = Connection<PitneyBowesConfig>;

export interface VendorSettings {
  DOTZERO?: DotZeroSettings;
  GENERIC_MES?: GenericMesSettings;
  PITNEY_BOWES?: PitneyBowesSettings;
}

/**
 * The environment that readConfig reads back as these vendor settings: how a process hands vendors it started
 * (simulators) to a gateway process it starts (a cluster's workers, the bench's gateway).
 */
export function vendorSettingsEnv(vendors: VendorSettings): Record<string, string> {
  const { DOTZERO: dz, GENERIC_MES: gm, PITNEY_BOWES: pb } = vendors;
  return {
    ...(dz
      ? {
          DOTZERO_API_URL: dz.workOrderApiUrl,
          DOTZERO_USER_API_URL: dz.userApiUrl,
          DOTZERO_TENANT_ID: dz.tenantId,
          DOTZERO_TOKEN: dz.token,
          DOTZERO_REFRESH_TOKEN: dz.refreshToken,
          ...(dz.expiresAt ? { DOTZERO_TOKEN_EXPIRES_AT: dz.expiresAt.toISOString() } : {}),
        }
      : {}),
    ...(gm ? { GENERIC_MES_API_URL: gm.apiUrl, GENERIC_MES_API_KEY: gm.apiKey } : {}),
    ...(pb
      ? {
          PITNEY_BOWES_API_URL: pb.apiUrl,
          PITNEY_BOWES_OAUTH_URL: pb.oauthUrl,
          PITNEY_BOWES_API_KEY: pb.apiKey,
          PITNEY_BOWES_API_SECRET: pb.apiSecret,
          PITNEY_BOWES_CLIENT_ID: pb.clientId,
        }
      : {}),
  };
}

/** `router`: a federation gateway in front of this subgraph (see src/security/federation.ts). */
export type ClientRole = 'partner' | 'frontend' | 'router';

export interface GatewayClient {
  name: string;
  apiKey: string;
  role: ClientRole;
  scopes: string[];
  /** Vendors whose data this client may see; all when absent. */
  vendors?: Vendor[];
  rateLimitPerMinute: number;
}

export interface GatewayConfig {
  port: number;
  production: boolean;
  graphiql: boolean;
  introspection: boolean;
  /** Vendors pointed at a real deployment; the others run on their embedded simulators. */
  vendors: VendorSettings;
  /** The gateway's own clients; undefined: open for local exploration. */
  clients?: GatewayClient[];
  upstreamTimeoutMs: number;
  /** Per vendor: after this many outages in a row, calls fail at once for the cool-down; undefined: no breaker. */
  upstreamBreaker?: { failures: number; cooldownMs: number };
  /**
   * Deadlines, retries, bulkhead and body limit of vendor calls (see UPSTREAM_POLICY_SETTINGS): `defaults` for every
   * vendor, then each vendor's own. What is left out comes from upstreamTimeoutMs/upstreamBreaker and DEFAULT_POLICY.
   */
  upstream?: { defaults?: Partial<VendorPolicy>; vendors?: Partial<Record<Vendor, Partial<VendorPolicy>>> };
  /** How long an idempotency key keeps its outcome; default 24 hours. */
  idempotencyTtlMs?: number;
  /** Persisted-documents manifest (hash -> document), from `npm run codegen`. */
  persistedDocumentsFile: string;
  maxBodyBytes: number;
  /** On SIGTERM/SIGINT: how long requests in flight may take to finish before their connections are closed. */
  shutdownGraceMs: number;
  /** Prometheus metrics at GET /metrics; on unless false. */
  metrics?: boolean;
  /** JWTs from this issuer are accepted beside the API keys; undefined: API keys only. */
  jwt?: JwtSettings;
  /** Automatic persisted queries (register on first use) for frontend clients; on unless false. */
  apq?: boolean;
  /** Origins (besides the gateway's own) whose pages may call the gateway from a browser. */
  corsOrigins?: string[];
  /** Operation limits; each one left out takes its DEFAULT_LIMITS value. */
  limits?: Partial<OperationLimits>;
  /** Shared state and pub/sub for N replicas (REDIS_URL); undefined: this process's memory. */
  redisUrl?: string;
  /** Shared secret of the generic MES's webhooks (GENERIC_MES_WEBHOOK_SECRET); undefined: the route is off. */
  genericMesWebhookSecret?: string;
  /** Change polling of vendors without webhooks (CHANGE_POLL_INTERVAL_MS); 0: off. */
  pollIntervalMs?: number;
  /** Where the generic MES simulator sends its signed webhooks (SIMULATOR_WEBHOOK_URL); default: this gateway. */
  simulatorWebhookUrl?: string;
  /** How often the simulators change orders by themselves (SIMULATOR_CHANGE_INTERVAL_MS); 0: never. */
  simulatorChangeIntervalMs?: number;
  /** How often the DotZero simulator deletes an order by itself (SIMULATOR_DELETE_INTERVAL_MS); 0: never. */
  simulatorDeleteIntervalMs?: number;
  /** How long a subscription ticket (GET /graphql/stream) stays good (SUBSCRIPTION_TICKET_TTL_MS). */
  subscriptionTicketTtlMs?: number;
  /** Known persisted documents served by their start-up plan (GATEWAY_LEAN_PERSISTED); on unless false. */
  leanPersisted?: boolean;
  /** Plain queries served without yoga's per-request pipeline (GATEWAY_FAST_LANE, execution/fast-lane.ts); on unless false. */
  fastLane?: boolean;
  /** Queries and mutations run through graphql-jit's compiled plans (GATEWAY_JIT); on unless false. */
  jit?: boolean;
  /** Serving processes (WORKERS, node cluster); 1 unless set. More than one needs REDIS_URL. */
  workers?: number;
  /** Identical vendor reads in flight at once are sent once (SHARE_INFLIGHT_READS); off unless true. */
  shareInflightReads?: boolean;
  /** How long a vendor read's answer may be reused (READ_CACHE_TTL_MS); 0 or absent: no cache. */
  readCacheTtlMs?: number;
  /** Answers the in-process cache keeps at most (READ_CACHE_MAX_ENTRIES; without Redis). */
  readCacheMaxEntries?: number;
  /**
   * How long the fast lane may answer a caller's query again with its own earlier answer (RESPONSE_CACHE_TTL_MS);
   * 0 or absent: never. One process only: refused with REDIS_URL.
   */
  responseCacheTtlMs?: number;
  /** Bytes the response cache keeps at most (RESPONSE_CACHE_MAX_BYTES). */
  responseCacheMaxBytes?: number;
}

export interface JwtSettings {
  issuer: string;
  audience?: string;
  /** HS256 shared secret; either this or jwksUrl. */
  secret?: string;
  /** The issuer's JWKS endpoint (RS256/ES256 keys); either this or secret. */
  jwksUrl?: string;
}

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** graphql-armor cost: objects 2, scalars 1, x1.5 per level, times `first` on paged lists. */
  maxCost: number;
  /** Operations in one batched request; 0 turns batching off. */
  maxBatch: number;
  /** Representations in one request's `_entities` (federation routers); more is refused before any vendor call. */
  maxEntities: number;
}

// The partner catalog's largest operation (AcrossVendors at first: 100) costs about 15,700 and is 6 deep.
export const DEFAULT_LIMITS: OperationLimits = {
  maxDepth: 8,
  maxAliases: 15,
  maxTokens: 1000,
  maxDirectives: 20,
  maxCost: 20_000,
  maxBatch: 5,
  maxEntities: 200,
};

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly setting: string,
    reason: string,
  ) {
    super(`Configuration error: ${setting} ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads `.env` (KEY=VALUE lines) without overriding what the environment already has. */
export function loadDotEnv(file = '.env', env: Env = process.env): void {
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const key = m[1] as string;
    let value = m[2] ?? '';
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    env[key] ??= value;
  }
}

export function readConfig(env: Env = process.env): GatewayConfig {
  const str = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const required = (name: string, why: string) => {
    const v = str(name);
    if (!v) throw new ConfigError(name, `is required ${why}`);
    return v;
  };
  const url = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(name, 'is not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new ConfigError(name, 'must be an http(s) URL');
    return value.replace(/\/+$/, '');
  };
  const bool = (name: string, fallback: boolean) => {
    const v = str(name);
    if (v === undefined) return fallback;
    if (/^(true|1|yes|on)$/i.test(v)) return true;
    if (/^(false|0|no|off)$/i.test(v)) return false;
    throw new ConfigError(name, 'must be true or false');
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const v = str(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new ConfigError(name, `must be an integer from ${min} to ${max}`);
    return n;
  };

  const vendors: VendorSettings = {};

  const dzDir = str('DOTZERO_CONFIG_DIR');
  const dzUrl = url('DOTZERO_API_URL', str('DOTZERO_API_URL'));
  if (dzDir) {
    vendors.DOTZERO = readDotZeroDir(resolve(dzDir), dzUrl, url('DOTZERO_USER_API_URL', str('DOTZERO_USER_API_URL')));
  } else if (dzUrl) {
    const why = 'when DOTZERO_API_URL is set (or use DOTZERO_CONFIG_DIR)';
    const expires = str('DOTZERO_TOKEN_EXPIRES_AT');
    const expiresAt = expires === undefined ? undefined : parseIsoDate(expires);
    if (expiresAt === null) throw new ConfigError('DOTZERO_TOKEN_EXPIRES_AT', 'is not an ISO 8601 date');
    vendors.DOTZERO = {
      workOrderApiUrl: dzUrl,
      userApiUrl: url('DOTZERO_USER_API_URL', required('DOTZERO_USER_API_URL', why)) as string,
      tenantId: required('DOTZERO_TENANT_ID', why),
      token: required('DOTZERO_TOKEN', why),
      refreshToken: required('DOTZERO_REFRESH_TOKEN', why),
      ...(expiresAt ? { expiresAt } : {}),
    };
  }

  const gmUrl = url('GENERIC_MES_API_URL', str('GENERIC_MES_API_URL'));
  if (gmUrl)
    vendors.GENERIC_MES = { apiUrl: gmUrl, apiKey: required('GENERIC_MES_API_KEY', 'when GENERIC_MES_API_URL is set') };

  const pbUrl = url('PITNEY_BOWES_API_URL', str('PITNEY_BOWES_API_URL'));
  if (pbUrl) {
    const why = 'when PITNEY_BOWES_API_URL is set';
    vendors.PITNEY_BOWES = {
      apiUrl: pbUrl,
      oauthUrl: url('PITNEY_BOWES_OAUTH_URL', required('PITNEY_BOWES_OAUTH_URL', why)) as string,
      apiKey: required('PITNEY_BOWES_API_KEY', why),
      apiSecret: required('PITNEY_BOWES_API_SECRET', why),
      clientId: required('PITNEY_BOWES_CLIENT_ID', why),
    };
  }

  const jwt = readJwt(str, url);

  const redisUrl = str('REDIS_URL');
  if (redisUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(redisUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['redis:', 'rediss:', 'unix:'].includes(parsed.protocol)) {
      throw new ConfigError('REDIS_URL', 'must be a redis://, rediss:// or unix:// URL');
    }
  }
  const webhookSecret = str('GENERIC_MES_WEBHOOK_SECRET');
  if (webhookSecret !== undefined && webhookSecret.length < 16)
    throw new ConfigError('GENERIC_MES_WEBHOOK_SECRET', 'must be at least 16 characters');
  const simulatorWebhookUrl = url('SIMULATOR_WEBHOOK_URL', str('SIMULATOR_WEBHOOK_URL'));

  const nodeEnv = str('NODE_ENV') ?? 'development';
  if (!['production', 'development', 'test'].includes(nodeEnv))
    throw new ConfigError('NODE_ENV', 'must be production, development or test');
  const clientsFile = str('GATEWAY_CLIENTS_FILE');

  return {
    port: int('PORT', 4000, 0, 65535),
    production: nodeEnv === 'production',
    graphiql: bool('GRAPHIQL', true),
    introspection: bool('INTROSPECTION', true),
    vendors,
    // With JWTs but no clients file the gateway is closed all the same: an empty client list says so.
    ...(clientsFile ? { clients: readClientsFile(clientsFile) } : jwt ? { clients: [] } : {}),
    upstreamTimeoutMs: int('UPSTREAM_TIMEOUT_MS', 10_000, 100, 120_000),
    ...breakerOf(
      int('UPSTREAM_BREAKER_FAILURES', 5, 0, 1000),
      int('UPSTREAM_BREAKER_COOLDOWN_MS', 10_000, 100, 600_000),
    ),
    upstream: readUpstreamPolicies(str),
    idempotencyTtlMs: int('IDEMPOTENCY_TTL_MS', 24 * 60 * 60 * 1000, 60_000, 7 * 24 * 60 * 60 * 1000),
    persistedDocumentsFile: str('PERSISTED_DOCUMENTS_FILE') ?? resolve('src/generated/persisted-documents.json'),
    maxBodyBytes: int('MAX_BODY_BYTES', 100_000, 1_000, 10_000_000),
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    ...(jwt ? { jwt } : {}),
    apq: bool('GATEWAY_APQ', true),
    ...(redisUrl ? { redisUrl } : {}),
    ...(webhookSecret ? { genericMesWebhookSecret: webhookSecret } : {}),
    pollIntervalMs: int('CHANGE_POLL_INTERVAL_MS', 15_000, 0, 3_600_000),
    ...(simulatorWebhookUrl ? { simulatorWebhookUrl } : {}),
    simulatorChangeIntervalMs: int('SIMULATOR_CHANGE_INTERVAL_MS', 0, 0, 3_600_000),
    simulatorDeleteIntervalMs: int('SIMULATOR_DELETE_INTERVAL_MS', 0, 0, 3_600_000),
    subscriptionTicketTtlMs: int('SUBSCRIPTION_TICKET_TTL_MS', 30_000, 1_000, 600_000),
    leanPersisted: bool('GATEWAY_LEAN_PERSISTED', true),
    jit: bool('GATEWAY_JIT', true),
    fastLane: bool('GATEWAY_FAST_LANE', true),
    workers: workersOf(int('WORKERS', 1, 1, 64), redisUrl),
    shareInflightReads: bool('SHARE_INFLIGHT_READS', false),
    readCacheTtlMs: int('READ_CACHE_TTL_MS', 0, 0, 300_000),
    readCacheMaxEntries: int('READ_CACHE_MAX_ENTRIES', 5_000, 1, 1_000_000),
    responseCacheTtlMs: responseCacheOf(int('RESPONSE_CACHE_TTL_MS', 0, 0, 60_000), redisUrl),
    responseCacheMaxBytes: int('RESPONSE_CACHE_MAX_BYTES', 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    corsOrigins: origins('CORS_ORIGINS', str('CORS_ORIGINS')),
    metrics: bool('METRICS', true),
    limits: {
      maxDepth: int('GATEWAY_MAX_DEPTH', DEFAULT_LIMITS.maxDepth, 1, 100),
      maxAliases: int('GATEWAY_MAX_ALIASES', DEFAULT_LIMITS.maxAliases, 0, 1000),
      maxTokens: int('GATEWAY_MAX_TOKENS', DEFAULT_LIMITS.maxTokens, 50, 100_000),
      maxDirectives: int('GATEWAY_MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives, 0, 1000),
      maxCost: int('GATEWAY_MAX_COST', DEFAULT_LIMITS.maxCost, 10, 100_000_000),
      maxBatch: int('GATEWAY_MAX_BATCH', DEFAULT_LIMITS.maxBatch, 0, 100),
      maxEntities: int('GATEWAY_MAX_ENTITIES', DEFAULT_LIMITS.maxEntities, 1, 10_000),
    },
  };
}

/**
 * Several serving processes keep no state of their own that clients rely on only if that state is in Redis: rate
 * windows, idempotency keys, APQ registrations, write locks, vendor tokens and the polling lease would otherwise be
 * split between the workers, each with its own copy. So more than one worker needs REDIS_URL.
 */
/**
 * Whole answers are kept in this process's memory, and only a write or change this process hears makes them
 * stale: with replicas (REDIS_URL) another replica's write would not, so the setting is refused there (the read
 * cache, READ_CACHE_TTL_MS, is shared through Redis and is the one to use).
 */
function responseCacheOf(ttlMs: number, redisUrl: string | undefined): number {
  if (ttlMs > 0 && redisUrl)
    throw new ConfigError(
      'RESPONSE_CACHE_TTL_MS',
      `is ${ttlMs}, which keeps answers in one process's memory: with REDIS_URL another replica's write could not make them stale. Use READ_CACHE_TTL_MS with Redis, or leave RESPONSE_CACHE_TTL_MS unset`,
    );
  return ttlMs;
}

function workersOf(workers: number, redisUrl: string | undefined): number {
  if (workers > 1 && !redisUrl)
    throw new ConfigError(
      'WORKERS',
      `is ${workers}, which needs REDIS_URL: without it each worker would keep its own rate limits, idempotency keys, APQ registrations, write locks and vendor tokens. Set REDIS_URL, or WORKERS=1`,
    );
  return workers;
}

/**
 * Vendor-call settings: `UPSTREAM_<NAME>` for every vendor, `<VENDOR>_<NAME>` (e.g. PITNEY_BOWES_HEADERS_TIMEOUT_MS)
 * for one. Each: the policy field, the setting's name, its range, and a scale (a percentage becomes a fraction).
 */
export const UPSTREAM_POLICY_SETTINGS: readonly {
  field: keyof VendorPolicy;
  name: string;
  min: number;
  max: number;
  scale?: number;
}[] = [
  { field: 'connectTimeoutMs', name: 'CONNECT_TIMEOUT_MS', min: 10, max: 120_000 },
  { field: 'headersTimeoutMs', name: 'HEADERS_TIMEOUT_MS', min: 10, max: 120_000 },
  { field: 'bodyTimeoutMs', name: 'BODY_TIMEOUT_MS', min: 10, max: 600_000 },
  { field: 'retries', name: 'RETRIES', min: 0, max: 10 },
  { field: 'retryBackoffMs', name: 'RETRY_BACKOFF_MS', min: 0, max: 60_000 },
  { field: 'retryBackoffMaxMs', name: 'RETRY_BACKOFF_MAX_MS', min: 0, max: 600_000 },
  { field: 'retryBudgetRatio', name: 'RETRY_BUDGET_PERCENT', min: 0, max: 100, scale: 0.01 },
  { field: 'retryBudgetMin', name: 'RETRY_BUDGET_MIN', min: 0, max: 10_000 },
  { field: 'retryAfterMaxMs', name: 'RETRY_AFTER_MAX_MS', min: 0, max: 600_000 },
  { field: 'maxConcurrent', name: 'MAX_CONCURRENT', min: 1, max: 1_000 },
  { field: 'maxQueued', name: 'MAX_QUEUED', min: 0, max: 100_000 },
  { field: 'maxResponseBytes', name: 'MAX_RESPONSE_BYTES', min: 1_000, max: 1_000_000_000 },
];

function readUpstreamPolicies(str: (name: string) => string | undefined): NonNullable<GatewayConfig['upstream']> {
  const read = (prefix: string): Partial<VendorPolicy> => {
    const out: Partial<Record<keyof VendorPolicy, number>> = {};
    for (const s of UPSTREAM_POLICY_SETTINGS) {
      const name = `${prefix}_${s.name}`;
      const v = str(name);
      if (v === undefined) continue;
      const n = Number(v);
      if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < s.min || n > s.max)
        throw new ConfigError(name, `must be an integer from ${s.min} to ${s.max}`);
      out[s.field] = s.scale ? n * s.scale : n;
    }
    return out;
  };
  const vendors: Partial<Record<Vendor, Partial<VendorPolicy>>> = {};
  for (const v of VENDORS) {
    const own = read(v);
    if (Object.keys(own).length > 0) vendors[v] = own;
  }
  return { defaults: read('UPSTREAM'), vendors };
}

/** A comma-separated list of exact origins (scheme, host, optional port; no path, no wildcard). */
export function origins(name: string, value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map((v) => {
      let parsed: URL | undefined;
      try {
        parsed = new URL(v);
      } catch {
        parsed = undefined;
      }
      if (
        !parsed ||
        v.includes('*') ||
        (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
        parsed.origin !== v
      ) {
        throw new ConfigError(
          name,
          'must be a comma-separated list of origins such as https://app.example.com (scheme and host, no path, no wildcard)',
        );
      }
      return v;
    });
}

function breakerOf(failures: number, cooldownMs: number): Pick<GatewayConfig, 'upstreamBreaker'> {
  return failures === 0 ? {} : { upstreamBreaker: { failures, cooldownMs } };
}

function readJwt(
  str: (name: string) => string | undefined,
  url: (name: string, value: string | undefined) => string | undefined,
): JwtSettings | undefined {
  const issuer = str('GATEWAY_JWT_ISSUER');
  const secret = str('GATEWAY_JWT_SECRET');
  const jwksUrl = url('GATEWAY_JWT_JWKS_URL', str('GATEWAY_JWT_JWKS_URL'));
  const audience = str('GATEWAY_JWT_AUDIENCE');
  if (!issuer) {
    if (secret || jwksUrl || audience)
      throw new ConfigError(
        'GATEWAY_JWT_ISSUER',
        'is required when GATEWAY_JWT_SECRET, GATEWAY_JWT_JWKS_URL or GATEWAY_JWT_AUDIENCE is set',
      );
    return undefined;
  }
  if (!secret === !jwksUrl)
    throw new ConfigError(
      'GATEWAY_JWT_SECRET',
      'or GATEWAY_JWT_JWKS_URL (exactly one of them) is required when GATEWAY_JWT_ISSUER is set',
    );
  if (secret && secret.length < 32) throw new ConfigError('GATEWAY_JWT_SECRET', 'must be at least 32 characters');
  return { issuer, ...(audience ? { audience } : {}), ...(secret ? { secret } : {}), ...(jwksUrl ? { jwksUrl } : {}) };
}

function readJson(setting: string, file: string): unknown {
  if (!existsSync(file)) throw new ConfigError(setting, `names a file that does not exist: ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ConfigError(setting, `names a file that is not valid JSON: ${file}`);
  }
}

function readDotZeroDir(dir: string, apiUrlOverride?: string, userApiOverride?: string): DotZeroSettings {
  let settings;
  try {
    settings = loadDotZeroConfigDir(dir);
  } catch (err) {
    throw new ConfigError('DOTZERO_CONFIG_DIR', `: ${(err as Error).message}`);
  }
  return {
    ...settings,
    ...(apiUrlOverride ? { workOrderApiUrl: apiUrlOverride } : {}),
    ...(userApiOverride ? { userApiUrl: userApiOverride } : {}),
    configDir: dir,
  };
}

const SCOPES = ['workorders:read', 'workorders:write'];

export function readClientsFile(file: string): GatewayClient[] {
  const setting = 'GATEWAY_CLIENTS_FILE';
  const raw = readJson(setting, file);
  if (!Array.isArray(raw)) throw new ConfigError(setting, 'must hold a JSON array of clients');
  const seen = new Set<string>();
  const names = new Set<string>();
  return raw.map((c: Record<string, unknown>, i) => {
    const where = `entry ${i}`;
    if (typeof c?.name !== 'string' || !c.name) throw new ConfigError(setting, `${where} has no "name"`);
    if (typeof c.apiKey !== 'string' || c.apiKey.length < 16)
      throw new ConfigError(setting, `${where} ("${c.name}") needs an "apiKey" of at least 16 characters`);
    if (seen.has(c.apiKey)) throw new ConfigError(setting, `${where} ("${c.name}") reuses another client's apiKey`);
    if (names.has(c.name))
      throw new ConfigError(
        setting,
        `${where} reuses the name "${c.name}": names identify clients in logs, limits and idempotency keys`,
      );
    seen.add(c.apiKey);
    names.add(c.name);
    if (c.role !== 'partner' && c.role !== 'frontend' && c.role !== 'router') {
      throw new ConfigError(setting, `${where} ("${c.name}") role must be "partner", "frontend" or "router"`);
    }
    const scopes = c.scopes ?? ['workorders:read'];
    if (!Array.isArray(scopes) || scopes.some((s) => !SCOPES.includes(s))) {
      throw new ConfigError(setting, `${where} ("${c.name}") scopes must be a list of ${SCOPES.join(', ')}`);
    }
    let vendors: Vendor[] | undefined;
    if (c.vendors !== undefined) {
      if (!Array.isArray(c.vendors) || c.vendors.some((v) => !(VENDORS as readonly unknown[]).includes(v))) {
        throw new ConfigError(setting, `${where} ("${c.name}") vendors must be a list of ${VENDORS.join(', ')}`);
      }
      vendors = c.vendors as Vendor[];
    }
    const rate = c.rateLimitPerMinute ?? 1200;
    if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1) {
      throw new ConfigError(setting, `${where} ("${c.name}") rateLimitPerMinute must be a positive integer`);
    }
    return {
      name: c.name,
      apiKey: c.apiKey,
      role: c.role,
      scopes: scopes as string[],
      ...(vendors ? { vendors } : {}),
      rateLimitPerMinute: rate,
    };
  });
}
