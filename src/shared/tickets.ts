// Subscription tickets: a browser's EventSource cannot send a header, so it cannot carry an API key, a bearer token or
// the CSRF rule's preflight header. An authenticated POST (which can) buys a ticket instead: a random value, good
// once, for a few seconds, that stands for the caller who bought it. The ticket itself is never stored: the store
// keys it by its SHA-256, so neither a Redis dump nor a log of keys hands out a usable ticket. With Redis any replica
// redeems a ticket another replica issued (GETDEL: once, atomically); without it, this process's memory.
import { createHash, randomBytes } from 'node:crypto';
import { SharedStateUnavailableError } from '../domain/errors.js';
import type { Caller } from '../security/auth.js';
import type { SharedRedis } from './redis.js';

export const DEFAULT_TICKET_TTL_MS = 30_000;
/** 32 random bytes, base64url: 43 characters. Anything else is not a ticket and costs no store round trip. */
const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedTicket {
  ticket: string;
  expiresAt: Date;
}

export interface TicketStore {
  issue(caller: Caller): Promise<IssuedTicket>;
  /** The ticket's caller, once: undefined for an unknown, expired, used or malformed ticket. */
  redeem(ticket: string): Promise<Caller | undefined>;
}

const digest = (ticket: string) => createHash('sha256').update(ticket, 'utf8').digest('base64url');
const newTicket = () => randomBytes(32).toString('base64url');

export function memoryTickets(ttlMs = DEFAULT_TICKET_TTL_MS, now: () => number = Date.now): TicketStore {
  const held = new Map<string, { caller: Caller; until: number }>();
  return {
    async issue(caller) {
      const t = now();
      // Unredeemed tickets are swept as new ones are issued: the map holds no more than a TTL's worth.
      if (held.size > 1_000) for (const [k, v] of held) if (v.until <= t) held.delete(k);
      const ticket = newTicket();
      held.set(digest(ticket), { caller, until: t + ttlMs });
      return { ticket, expiresAt: new Date(t + ttlMs) };
    },
    async redeem(ticket) {
      if (!TICKET_SHAPE.test(ticket)) return undefined;
      const k = digest(ticket);
      const entry = held.get(k);
      held.delete(k);
      return entry && entry.until > now() ? entry.caller : undefined;
    },
  };
}

export function redisTickets(redis: SharedRedis, ttlMs = DEFAULT_TICKET_TTL_MS): TicketStore {
  const key = (ticket: string) => `${redis.prefix}ticket:${digest(ticket)}`;
  return {
    async issue(caller) {
      const ticket = newTicket();
      try {
        await redis.client.set(key(ticket), JSON.stringify(caller), 'PX', ttlMs);
      } catch {
        // A ticket only this replica knew would fail on any other: none, rather than one that works by chance.
        throw new SharedStateUnavailableError(
          'The shared store (Redis) is unavailable: no subscription ticket can be issued; retry later.',
        );
      }
      return { ticket, expiresAt: new Date(Date.now() + ttlMs) };
    },
    async redeem(ticket) {
      if (!TICKET_SHAPE.test(ticket)) return undefined;
      const raw = await redis.client.getdel(key(ticket));
      if (!raw) return undefined;
      try {
        return JSON.parse(raw) as Caller;
      } catch {
        return undefined;
      }
    },
  };
}
