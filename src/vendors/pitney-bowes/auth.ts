// Pitney Bowes OAuth (client credentials) and request identity. One token is shared by every call of the
// process: it is fetched when first needed, reused until shortly before it expires, and fetched again at most once
// at a time however many calls find it stale or rejected together (a burst of 401s costs one token call).
import { createHash, randomBytes } from 'node:crypto';
import { UpstreamError } from '../../domain/errors.js';
import { VendorHttp, singleFlight, type TransportOptions, type VendorAuth } from '../http.js';
import { describeError, parseTokenResponse, PITNEY_BOWES_FIELD_MAX_LENGTH, tokenRequest } from './mapping.js';

/** Refresh this long before the token's stated expiry, so no call leaves with a token about to lapse. */
export const PB_TOKEN_REFRESH_MARGIN_MS = 60_000;

/**
 * Lifetime assumed when the answer's expiresIn cannot be read. Short on purpose: a token call is cheap, a call
 * refused for an expired token costs a round trip and a retry.
 */
export const PB_TOKEN_DEFAULT_LIFETIME_MS = 5 * 60_000;

export interface PitneyBowesAuthOptions {
  oauthUrl: string;
  apiKey: string;
  apiSecret: string;
  transport?: TransportOptions;
  /** Clock, for tests. */
  now?: () => number;
}

interface CachedToken {
  header: string;
  refreshAt: number;
}

export class PitneyBowesAuth implements VendorAuth {
  private readonly http: VendorHttp;
  private readonly path: string;
  private readonly options: PitneyBowesAuthOptions;
  private readonly now: () => number;
  private current: CachedToken | undefined;
  private rejected: string | undefined;
  private readonly fetchToken: () => Promise<CachedToken>;

  constructor(options: PitneyBowesAuthOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    // The token endpoint is its own URL (often on the API's origin, but not under its base path), so it gets its
    // own small pool; two connections are plenty for one call per token lifetime.
    this.http = new VendorHttp({
      vendor: 'PITNEY_BOWES',
      baseUrl: options.oauthUrl,
      connections: 2,
      describeError,
      ...options.transport,
    });
    // VendorHttp strips a trailing slash from the base path; a bare origin then needs "/" to be a valid request.
    this.path = new URL(options.oauthUrl).pathname.replace(/\/$/, '') === '' ? '/' : '';
    const tokens = options.transport?.tokens;
    // One token for every replica: named by a digest of the key (never the key itself).
    const name = `pitney-bowes:${createHash('sha256').update(options.apiKey).digest('hex').slice(0, 16)}`;
    this.fetchToken = singleFlight(async () => {
      if (!tokens) return this.requestToken();
      let failed = false;
      try {
        const t = await tokens.refresh(name, this.current?.header ?? this.rejected, async () => {
          const c = await this.requestToken().catch((err) => {
            failed = true;
            throw err;
          });
          return { header: c.header, expiresAt: c.refreshAt };
        });
        this.current = { header: t.header, refreshAt: t.expiresAt };
        return this.current;
      } catch (err) {
        if (failed) throw err;
        return this.requestToken();
      }
    });
  }

  async authorization(): Promise<string> {
    const cached = this.current;
    if (cached && this.now() < cached.refreshAt) return cached.header;
    return (await this.fetchToken()).header;
  }

  async unauthorized(rejected: string): Promise<boolean> {
    // Another call may already have replaced the rejected token: then the new one is worth a try as it is.
    if (this.current && this.current.header !== rejected) return true;
    this.current = undefined;
    // The shared token may be the one refused: it must not be handed back as new.
    this.rejected = rejected;
    const fresh = await this.fetchToken();
    return fresh.header !== rejected;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async requestToken(): Promise<CachedToken> {
    // Expiry counts from before the request: the token was issued after we asked, so this errs on the early side.
    const asked = this.now();
    const { headers, body } = tokenRequest(this.options.apiKey, this.options.apiSecret);
    let answer;
    try {
      answer = await this.http.request({
        method: 'POST',
        path: this.path,
        headers,
        body,
        operation: 'oauthToken',
        // Asking for a client-credentials token changes nothing, so an unreachable endpoint may be asked again.
        idempotent: true,
      });
    } catch (err) {
      if (err instanceof UpstreamError && (err.status === 400 || err.status === 401 || err.status === 403)) {
        throw new UpstreamError(
          'PITNEY_BOWES',
          'auth',
          `PITNEY_BOWES refused the OAuth client credentials: HTTP ${err.status}${err.code ? ` ${err.code}` : ''}`,
          { status: err.status, ...(err.code === undefined ? {} : { code: err.code }) },
        );
      }
      throw err;
    }
    const token = parseTokenResponse(answer.body);
    if (token === null) {
      throw new UpstreamError('PITNEY_BOWES', 'bad_response', 'PITNEY_BOWES OAuth answer carried no access token', {
        status: answer.status,
      });
    }
    const lifetime = token.expiresInSeconds === null ? PB_TOKEN_DEFAULT_LIFETIME_MS : token.expiresInSeconds * 1000;
    // A token that lives less than twice the margin would otherwise be refreshed on every call.
    const margin = Math.min(PB_TOKEN_REFRESH_MARGIN_MS, lifetime / 2);
    const cached = { header: `Bearer ${token.accessToken}`, refreshAt: asked + lifetime - margin };
    this.current = cached;
    return cached;
  }
}

let sequence = 0;

/**
 * A fresh X-PB-TransactionId: "mesgw-", the time in base 36, a per-process sequence and 48 random bits, at most
 * 25 characters of letters, digits, "-" and "_". The vendor refuses a reused id, and several gateway processes
 * may call at the same millisecond, so neither the clock nor the sequence alone is enough.
 */
export function newTransactionId(now: number = Date.now()): string {
  sequence = (sequence + 1) % 1296;
  const id = `mesgw-${Math.max(0, Math.floor(now)).toString(36)}${sequence.toString(36).padStart(2, '0')}${randomBytes(6).toString('base64url')}`;
  return id.slice(0, PITNEY_BOWES_FIELD_MAX_LENGTH['X-PB-TransactionId']);
}
