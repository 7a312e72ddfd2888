// The generic MES simulator's webhook sender, read from DESIGN.md "Assumptions" (the vendor's webhooks guide is not
// included): a POST of { id, type, createdAt, data: <the detail record> } signed with HMAC-SHA256 of the raw body
// (X-MES-Signature: sha256=<hex>), with X-MES-Delivery and X-MES-Timestamp (epoch seconds). A delivery that does
// not get a 2xx is tried again, a few times, with the same id. Written apart from the gateway's receiver on purpose.
import { createHmac, randomUUID } from 'node:crypto';

export type EventType = 'work_order.created' | 'work_order.updated' | 'work_order.deleted';

export interface WebhookTarget {
  url: string;
  secret: string;
}

export class WebhookSender {
  target: WebhookTarget | undefined;
  private sent = 0;
  private pending = new Set<Promise<void>>();

  constructor(target?: WebhookTarget) {
    this.target = target;
  }

  /** Deliveries answered with a 2xx. */
  delivered(): number {
    return this.sent;
  }

  send(type: EventType, record: Record<string, unknown>): void {
    const target = this.target;
    if (!target) return;
    const id = `dlv_${randomUUID()}`;
    const raw = JSON.stringify({ id, type, createdAt: new Date().toISOString(), data: record });
    const p = this.deliver(target, id, raw).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Waits for deliveries in flight (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async deliver(target: WebhookTarget, id: string, raw: string): Promise<void> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const signature = `sha256=${createHmac('sha256', target.secret).update(raw).digest('hex')}`;
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-mes-signature': signature,
            'x-mes-delivery': id,
            'x-mes-timestamp': String(Math.floor(Date.now() / 1000)),
          },
          body: raw,
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.sent += 1;
          return;
        }
        // A 4xx other than 408/429 will not get better by sending the same thing again.
        if (res.status < 500 && res.status !== 408 && res.status !== 429) return;
      } catch {
        // unreachable receiver: try again
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}
