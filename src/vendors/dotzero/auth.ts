// DotZero's Bearer JWT: refreshed shortly before it expires and whenever the vendor says 401, one refresh at a
// time however many calls notice at once, and written back into the skill's credentials.json so that the skill's
// own scripts and the next process start from the new token.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UpstreamError } from '../../domain/errors.js';
import { VendorHttp, singleFlight, type TransportOptions, type VendorAuth } from '../http.js';
import { parseIsoDate } from '../iso-date.js';
import { isRecord } from '../scalars.js';
import { describeDotZeroError, refreshTokenBody, refreshTokenQuery, tokenFromRefreshAnswer } from './mapping.js';
import type { DotZeroConfigDirSettings, DotZeroSkillCredentialsWire } from './types.js';

/** The skill refreshes 5 minutes ahead, so a token never expires between being read and being checked upstream. */
export const REFRESH_AHEAD_MS = 5 * 60_000;
/** Tokens live one hour (the skill); used when neither the caller nor the token says when it expires. */
export const DEFAULT_TOKEN_LIFETIME_MS = 60 * 60_000;
/**
 * After an early refresh failed, the current token is still good for a few minutes: keep using it and try again a
 * little later, instead of letting every call in that window hit the user API once more.
 */
export const EARLY_REFRESH_PAUSE_MS = 15_000;

export const CONFIG_FILE = 'config.json';
export const CREDENTIALS_FILE = 'credentials.json';

export interface DotZeroAuthOptions {
  userApiUrl: string;
  tenantId: string;
  token: string;
  refreshToken: string;
  expiresAt?: Date;
  configDir?: string;
  transport?: TransportOptions | undefined;
  /** Clock, for tests. */
  now?: () => number;
}

/** The `exp` claim of a JWT (payload decoded, signature not checked: we only schedule refreshes by it). */
export function jwtExpiry(token: string): Date | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const exp = claims !== null && typeof claims === 'object' ? (claims as { exp?: unknown }).exp : undefined;
    const seconds = typeof exp === 'string' && exp.trim() !== '' ? Number(exp) : exp;
    return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000) : undefined;
  } catch {
    return undefined;
  }
}

export class DotZeroAuth implements VendorAuth {
  private header: string;
  private expiresAtMs: number;
  private earlyRefreshAfter = 0;
  private writes: Promise<void> = Promise.resolve();
  private readonly http: VendorHttp;
  private readonly now: () => number;
  private readonly refreshOnce: () => Promise<void>;

  constructor(private readonly options: DotZeroAuthOptions) {
    this.now = options.now ?? Date.now;
    this.header = `Bearer ${options.token}`;
    this.expiresAtMs =
      (options.expiresAt ?? jwtExpiry(options.token))?.getTime() ?? this.now() + DEFAULT_TOKEN_LIFETIME_MS;
    // The user API is another origin: its own pool, and no auth hook (a refresh must never wait on a refresh).
    this.http = new VendorHttp({
      vendor: 'DOTZERO',
      baseUrl: options.userApiUrl,
      ...options.transport,
      describeError: describeDotZeroError,
    });
    // With a shared store the refresh is single-flight across replicas too: one replica calls the user API, the
    // others adopt the token it wrote.
    const tokens = options.transport?.tokens;
    this.refreshOnce = singleFlight(async () => {
      if (!tokens) return this.refresh();
      let refreshFailed = false;
      const own = () =>
        this.refresh().then(
          () => this.current(),
          (err) => {
            refreshFailed = true;
            throw err;
          },
        );
      try {
        this.adopt(await tokens.refresh(`dotzero:${options.tenantId}`, this.header, own));
      } catch (err) {
        // The user API's own answer stands. The shared store being away is no reason to stop serving: refresh
        // here (the one case where two replicas might both refresh; README, "Redis").
        if (refreshFailed) throw err;
        await this.refresh();
      }
    });
  }

  private current() {
    return { header: this.header, expiresAt: this.expiresAtMs };
  }

  private adopt(t: { header: string; expiresAt: number }) {
    if (t.header === this.header) return;
    this.header = t.header;
    this.expiresAtMs = t.expiresAt;
    this.earlyRefreshAfter = 0;
  }

  /** When the current token is taken to expire. */
  get expiresAt(): Date {
    return new Date(this.expiresAtMs);
  }

  async authorization(): Promise<string> {
    const now = this.now();
    if (now >= this.expiresAtMs) {
      await this.refreshOnce();
    } else if (now >= this.expiresAtMs - REFRESH_AHEAD_MS && now >= this.earlyRefreshAfter) {
      try {
        await this.refreshOnce();
      } catch {
        // The token has not expired yet: a failed early refresh is no reason to fail the call.
        this.earlyRefreshAfter = now + EARLY_REFRESH_PAUSE_MS;
      }
    }
    return this.header;
  }

  async unauthorized(rejected: string): Promise<boolean> {
    // Sent with an older token: someone refreshed since, so the call only needs to go again.
    if (rejected !== this.header) return true;
    // Another replica may have refreshed: its token is worth a try before refreshing ourselves.
    const shared = await this.options.transport?.tokens?.read(`dotzero:${this.options.tenantId}`).catch(() => null);
    if (shared && shared.header !== rejected) {
      this.adopt(shared);
      return true;
    }
    try {
      await this.refreshOnce();
      return true;
    } catch (err) {
      // The user API refused the refresh token: nothing better can be had, the 401 stands. Anything else (the
      // user API is down, timed out) is the truer error and goes to the caller as it is.
      if (err instanceof UpstreamError && err.kind === 'auth') return false;
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.writes;
    await this.http.close();
  }

  private async refresh(): Promise<void> {
    let body: unknown;
    try {
      const res = await this.http.request({
        method: 'POST',
        path: '/v2/auth/token',
        query: refreshTokenQuery(this.options.tenantId),
        body: refreshTokenBody(this.options.refreshToken),
        operation: 'refreshToken',
        acceptText: true,
        // A refresh token may be single-use upstream: never send it twice on our own.
        idempotent: false,
      });
      body = res.body;
    } catch (err) {
      if (
        err instanceof UpstreamError &&
        err.status !== undefined &&
        err.status >= 400 &&
        err.status < 500 &&
        err.kind !== 'rate_limited'
      ) {
        throw new UpstreamError(
          'DOTZERO',
          'auth',
          `DOTZERO refused the token refresh: HTTP ${err.status}${err.code ? ` ${err.code}` : ''}`,
          {
            status: err.status,
            ...(err.code ? { code: err.code } : {}),
          },
        );
      }
      throw err;
    }
    const token = tokenFromRefreshAnswer(body);
    if (token === undefined)
      throw new UpstreamError('DOTZERO', 'bad_response', 'DOTZERO answered a token refresh without a token');
    this.header = `Bearer ${token}`;
    this.expiresAtMs = jwtExpiry(token)?.getTime() ?? this.now() + DEFAULT_TOKEN_LIFETIME_MS;
    this.earlyRefreshAfter = 0;
    if (this.options.configDir !== undefined)
      await this.persist(this.options.configDir, token, new Date(this.expiresAtMs));
  }

  /**
   * Writes are chained so that two refreshes never race on the file, and a failed write does not fail the refresh:
   * the token is good in memory, and a stale file only costs the next process one more refresh.
   */
  private persist(dir: string, token: string, expiresAt: Date): Promise<void> {
    const known = { refreshToken: this.options.refreshToken, tenantId: this.options.tenantId };
    this.writes = this.writes.then(() => writeCredentials(dir, token, expiresAt, known)).catch(() => undefined);
    return this.writes;
  }
}

/** Replaces credentials.json atomically (temp file + rename), so a reader never sees half a file. */
async function writeCredentials(
  dir: string,
  token: string,
  expiresAt: Date,
  known: { refreshToken: string; tenantId: string },
): Promise<void> {
  const file = join(dir, CREDENTIALS_FILE);
  let existing: Record<string, unknown> | null = null;
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return;
    existing = parsed as Record<string, unknown>;
  } catch (err) {
    // A file someone is editing (or broke) is left alone rather than replaced by what we know.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return;
  }
  const content = `${JSON.stringify(credentialsWithToken(existing, token, expiresAt, known), null, 2)}\n`;
  const temp = join(dir, `.${CREDENTIALS_FILE}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, content, { mode: 0o600 });
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/**
 * Reads a skill folder (`.dotzero/`): config.json for the URLs, credentials.json for the token. Synchronous, for
 * start-up; a missing file or key is an Error naming it (never its content).
 */
export function loadDotZeroConfigDir(dir: string): DotZeroConfigDirSettings {
  const read = (name: string): unknown => {
    const file = join(dir, name);
    let textContent: string;
    try {
      textContent = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'ENOENT'
          ? `DotZero settings: ${file} not found`
          : `DotZero settings: cannot read ${file} (${code ?? 'error'})`,
      );
    }
    try {
      return JSON.parse(textContent);
    } catch {
      throw new Error(`DotZero settings: ${file} is not valid JSON`);
    }
  };
  const config = readSkillConfig(read(CONFIG_FILE), join(dir, CONFIG_FILE));
  const credentials = readSkillCredentials(read(CREDENTIALS_FILE), join(dir, CREDENTIALS_FILE));
  return { ...config, ...credentials };
}

// ---------------------------------------------------------------------------------------------------------------
// The skill's credential files (config.json, credentials.json): read and written here, never by the mapping.

function requiredString(r: Record<string, unknown>, field: string, file: string): string {
  const value = r[field];
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string' || s.trim() === '') throw new Error(`DotZero settings: ${file} has no "${field}"`);
  return s.trim();
}

/** The skill's config.json: the two API URLs. */
export function readSkillConfig(
  json: unknown,
  file: string,
): Pick<DotZeroConfigDirSettings, 'workOrderApiUrl' | 'userApiUrl'> {
  const r = isRecord(json) ? json : null;
  if (!r) throw new Error(`DotZero settings: ${file} is not a JSON object`);
  return {
    workOrderApiUrl: requiredString(r, 'work_order_api_url', file),
    userApiUrl: requiredString(r, 'user_api_url', file),
  };
}

/** The skill's credentials.json: token, refresh token, tenant and (optional) expiry. */
export function readSkillCredentials(
  json: unknown,
  file: string,
): Pick<DotZeroConfigDirSettings, 'token' | 'refreshToken' | 'tenantId' | 'expiresAt'> {
  const r = isRecord(json) ? json : null;
  if (!r) throw new Error(`DotZero settings: ${file} is not a JSON object`);
  const settings: Pick<DotZeroConfigDirSettings, 'token' | 'refreshToken' | 'tenantId' | 'expiresAt'> = {
    token: requiredString(r, 'token', file),
    refreshToken: requiredString(r, 'refresh_token', file),
    tenantId: requiredString(r, 'tenant_id', file),
  };
  if (r.expires_at !== undefined && r.expires_at !== null && r.expires_at !== '') {
    const expiresAt = typeof r.expires_at === 'string' ? parseIsoDate(r.expires_at) : null;
    if (expiresAt === null) throw new Error(`DotZero settings: ${file} has a malformed "expires_at"`);
    settings.expiresAt = expiresAt;
  }
  return settings;
}

/**
 * credentials.json after a refresh: the new token and expiry, every other key as it was. When there was no file,
 * the refresh token and tenant are written too, so that the file alone can start the next process.
 */
export function credentialsWithToken(
  existing: Record<string, unknown> | null,
  token: string,
  expiresAt: Date,
  known: { refreshToken: string; tenantId: string },
): DotZeroSkillCredentialsWire {
  const base: DotZeroSkillCredentialsWire = existing
    ? { ...existing }
    : { refresh_token: known.refreshToken, tenant_id: known.tenantId };
  return { ...base, token, expires_at: expiresAt.toISOString() };
}
