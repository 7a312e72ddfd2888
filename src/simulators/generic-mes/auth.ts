// The gate every request passes before its handler: the per-minute rate limit, then the Bearer API key.
import type { SimRequest, SimResponse } from '../harness.js';

export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: details ? { code, message, details } : { code, message } };
}

/** Answers undefined when the request carries `Authorization: Bearer <apiKey>`, else the 401 to send. */
export function checkApiKey(req: SimRequest, apiKey: string): SimResponse | undefined {
  const header = req.headers.authorization;
  // The scheme is case-insensitive (RFC 6750); the key itself is compared exactly and never echoed.
  const match = typeof header === 'string' ? /^Bearer[ ]+(\S+)\s*$/i.exec(header) : null;
  if (match && match[1] === apiKey) return undefined;
  return {
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="api"' },
    body: errorBody('UNAUTHORIZED', header ? 'Invalid API key' : 'Missing API key'),
  };
}

/**
 * A rolling one-minute window over the requests let through. Refused requests are not recorded, so a client
 * that waits `Retry-After` seconds gets in again even if it kept knocking meanwhile.
 */
export class RateLimiter {
  private limit: number | undefined;
  private hits: number[] = [];

  set(perMinute: number | undefined): void {
    this.limit = perMinute;
    // A new limit starts a new window: earlier traffic was not under it.
    this.hits = [];
  }

  /** Records the request and answers undefined, or answers the 429 to send. */
  take(now: number = Date.now()): SimResponse | undefined {
    if (this.limit === undefined) return undefined;
    while (this.hits.length > 0 && this.hits[0]! <= now - 60_000) this.hits.shift();
    if (this.hits.length < this.limit) {
      this.hits.push(now);
      return undefined;
    }
    const oldest = this.hits[0] ?? now;
    const retryAfter = Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000));
    return {
      status: 429,
      headers: {
        'retry-after': String(retryAfter),
        'x-ratelimit-limit': String(this.limit),
        'x-ratelimit-remaining': '0',
      },
      body: errorBody('RATE_LIMITED', `Rate limit of ${this.limit} requests per minute exceeded`),
    };
  }
}
