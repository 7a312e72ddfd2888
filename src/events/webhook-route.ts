// POST /webhooks/generic-mes: the generic MES's deliveries, checked before anything is believed. The raw body is
// read with a cap (413 over it), its HMAC checked (401 unsigned or wrong), then the timestamp (400 when over five
// minutes off), then the event's shape (400 not JSON, 422 not an event), then the delivery id is claimed once
// (409 for a replay). Only then is the order handed to the change feed, and the answer is a 202 with no body: the
// vendor waits on nothing but one store round trip. A 503 (the shared store is away) makes the vendor retry later.
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';
import type { OnceStore } from '../shared/once.js';
import { readDelivery, verifyDelivery, type WebhookRefusal } from '../vendors/generic-mes/webhooks.js';
import type { ChangeFeed } from './feed.js';

export const GENERIC_MES_WEBHOOK_PATH = '/webhooks/generic-mes';
/** Delivery ids are remembered a little longer than a delivery stays fresh. */
const SEEN_TTL_SECONDS = 10 * 60;

export interface WebhookRouteOptions {
  secret: string | undefined;
  feed: ChangeFeed;
  seen: OnceStore;
  logger: Logger;
  maxBodyBytes: number;
  now?: () => number;
}

class TooLarge extends Error {}

async function readCapped(request: Request, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) throw new TooLarge();
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function webhookPlugin(options: WebhookRouteOptions): Plugin {
  const { secret, feed, seen, logger } = options;
  const now = options.now ?? Date.now;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== GENERIC_MES_WEBHOOK_PATH) return;
      const answer = (status: number, reason?: string) => {
        if (reason) logger.info({ status, reason }, 'generic MES webhook refused');
        endResponse(
          new fetchAPI.Response(reason ? JSON.stringify({ error: reason }) : null, {
            status,
            headers: reason ? { 'content-type': 'application/json' } : {},
          }),
        );
      };
      // Not configured: there is no such route.
      if (!secret) return answer(404, 'webhooks are not configured (GENERIC_MES_WEBHOOK_SECRET)');
      if (request.method !== 'POST') return answer(405, 'POST only');
      let raw: Uint8Array;
      try {
        raw = await readCapped(request, options.maxBodyBytes);
      } catch (err) {
        if (err instanceof TooLarge) return answer(413, 'body too large');
        return answer(400, 'unreadable body');
      }
      const verified = verifyDelivery(secret, raw, request.headers, Math.floor(now() / 1000));
      if (!verified.ok) return answer(verified.status, verified.reason);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(raw).toString('utf8'));
      } catch {
        return answer(400, 'body is not JSON');
      }
      const delivery = readDelivery(body, verified.deliveryId);
      if ('reason' in delivery) return answer((delivery as WebhookRefusal).status, (delivery as WebhookRefusal).reason);
      try {
        if (!(await seen.claim(delivery.id, SEEN_TTL_SECONDS))) return answer(409, 'delivery already received');
      } catch {
        return answer(503, 'shared store unavailable');
      }
      try {
        if (delivery.type === 'work_order.deleted') await feed.removed(delivery.order, 'WEBHOOK');
        else
          await feed.observe(delivery.order, 'WEBHOOK', {
            kind: delivery.type === 'work_order.created' ? 'CREATED' : 'UPDATED',
          });
      } catch {
        // Not taken in: let the vendor's retry bring it again.
        await seen.release(delivery.id).catch(() => undefined);
        return answer(503, 'shared store unavailable');
      }
      return answer(202);
    },
  };
}
