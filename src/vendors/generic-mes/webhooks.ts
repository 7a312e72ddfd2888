// The generic MES's webhook deliveries, as DESIGN.md "Assumptions" reads its (unincluded) webhooks guide:
// POST with a JSON body { id, type: work_order.created|updated|deleted, createdAt, data: <the order as the detail
// call answers it> } and headers X-MES-Signature: sha256=<hex HMAC-SHA256 of the raw body with the shared secret>,
// X-MES-Delivery: <id>, X-MES-Timestamp: <epoch seconds>. Pure: the receiving route does the HTTP.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GenericMesWorkOrder } from '../../domain/model.js';
import { toWorkOrder } from './mapping.js';

export const SIGNATURE_HEADER = 'x-mes-signature';
export const DELIVERY_HEADER = 'x-mes-delivery';
export const TIMESTAMP_HEADER = 'x-mes-timestamp';
/** Older deliveries are refused: a captured one cannot be played back later. */
export const MAX_AGE_SECONDS = 5 * 60;

export type WebhookEventType = 'work_order.created' | 'work_order.updated' | 'work_order.deleted';
const TYPES: readonly string[] = ['work_order.created', 'work_order.updated', 'work_order.deleted'];

export interface WebhookDelivery {
  id: string;
  type: WebhookEventType;
  order: GenericMesWorkOrder;
}

/** Why a delivery is refused, and the HTTP status that says so. */
export type WebhookRefusal = { status: 400 | 401 | 409 | 422; reason: string };

export function signBody(secret: string, rawBody: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Checks the signature over the raw bytes, then the timestamp: in that order, so nothing unsigned is looked at. */
export function verifyDelivery(
  secret: string,
  rawBody: Uint8Array,
  headers: { get(name: string): string | null },
  nowSeconds: number,
): { ok: true; deliveryId: string } | ({ ok: false } & WebhookRefusal) {
  const signature = headers.get(SIGNATURE_HEADER);
  if (!signature) return { ok: false, status: 401, reason: 'missing signature' };
  const expected = Buffer.from(signBody(secret, rawBody));
  const given = Buffer.from(signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, status: 401, reason: 'bad signature' };
  const ts = Number(headers.get(TIMESTAMP_HEADER));
  if (!Number.isInteger(ts) || ts <= 0) return { ok: false, status: 400, reason: 'missing or malformed timestamp' };
  if (Math.abs(nowSeconds - ts) > MAX_AGE_SECONDS) return { ok: false, status: 400, reason: 'stale timestamp' };
  const deliveryId = headers.get(DELIVERY_HEADER)?.trim();
  if (!deliveryId || deliveryId.length > 200) return { ok: false, status: 400, reason: 'missing delivery id' };
  return { ok: true, deliveryId };
}

/** The delivery's event, or why it is not one. The id in the body must be the one the header names. */
export function readDelivery(body: unknown, deliveryId: string): WebhookDelivery | WebhookRefusal {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { status: 422, reason: 'not an event object' };
  const b = body as Record<string, unknown>;
  if (b.id !== deliveryId) return { status: 422, reason: 'body id is not the delivery id' };
  if (typeof b.type !== 'string' || !TYPES.includes(b.type)) return { status: 422, reason: 'unknown event type' };
  if (!b.data || typeof b.data !== 'object' || Array.isArray(b.data))
    return { status: 422, reason: 'event without data' };
  let order: GenericMesWorkOrder;
  try {
    order = toWorkOrder(b.data, true);
  } catch {
    return { status: 422, reason: 'event data is not a work order' };
  }
  if (!order.vendorId) return { status: 422, reason: 'event data is not a work order' };
  return { id: deliveryId, type: b.type as WebhookEventType, order };
}
