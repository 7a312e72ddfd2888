// DotZero access tokens: real HS256 JWTs, so a client that reads `exp` from the token (as the gateway may when
// no expiry is configured) sees the same thing it would see from the vendor.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TENANT_ID = 'acme-precision-tw';
export const USER_SUB = 'svc-mes-gateway';

const b64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export type TokenCheck = { ok: true } | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'revoked' };

export class TokenAuthority {
  // A fresh secret per simulator: tokens from another run (or another simulator) must not verify.
  private readonly secret = randomBytes(32);
  readonly refreshToken = `rt_${randomBytes(24).toString('base64url')}`;
  private issued = 0;
  /** Tokens with a sequence number up to this one are revoked. */
  private revokedThrough = 0;
  /** Tokens with a sequence number up to this one are expired, whatever their `exp` says (expiry on demand). */
  private expiredThrough = 0;
  refreshTtlSeconds = 3600;

  issue(ttlSeconds: number): { token: string; expiresAt: string } {
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + ttlSeconds;
    // `jti` carries a sequence number: revocation has to cut between two tokens issued in the same second.
    const payload = { sub: USER_SUB, tenant_id: TENANT_ID, iat, exp, jti: String(++this.issued) };
    const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
    return { token: `${head}.${this.sign(head)}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  revokeAll(): void {
    this.revokedThrough = this.issued;
  }

  expireAll(): void {
    this.expiredThrough = this.issued;
  }

  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!match) return { ok: false, reason: 'missing' };
    const parts = match[1]!.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'invalid' };
    const [h, p, s] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${h}.${p}`));
    const given = Buffer.from(s);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    let header: { alg?: unknown };
    let payload: { exp?: unknown; tenant_id?: unknown; jti?: unknown };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
      payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (header.alg !== 'HS256' || payload.tenant_id !== TENANT_ID || typeof payload.exp !== 'number') {
      return { ok: false, reason: 'invalid' };
    }
    if (Date.now() / 1000 >= payload.exp || Number(payload.jti) <= this.expiredThrough)
      return { ok: false, reason: 'expired' };
    if (Number(payload.jti) <= this.revokedThrough) return { ok: false, reason: 'revoked' };
    return { ok: true };
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}
