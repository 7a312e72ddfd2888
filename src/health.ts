// Endpoints for orchestrators, answered before authentication and outside GraphQL: GET /health says the process
// is alive and serving; GET /ready says whether it is worth sending traffic here (not every vendor's breaker open).
// Both carry only states and counts, never an error message (those are for `vendors { health }` and the logs).
import type { Plugin } from 'graphql-yoga';
import type { VendorHealthSource } from './domain/health.js';
import type { Vendor } from './domain/model.js';

export function healthPlugin(
  source: VendorHealthSource,
  simulated: ReadonlySet<Vendor>,
  isClosing: () => boolean = () => false,
  /** More to say on /ready (where shared state lives, and whether it is reachable). */
  extra: () => Record<string, unknown> = () => ({}),
): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const json = (status: number, body: unknown) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status,
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          }),
        );
      if (url.pathname === '/health') {
        json(200, { status: 'ok' });
        return;
      }
      if (url.pathname !== '/ready') return;
      const vendors = source
        .health()
        .map((h) => ({ vendor: h.vendor, state: h.state, breaker: h.breaker, simulated: simulated.has(h.vendor) }));
      // Ready while at least one vendor can be called: with every breaker open, every query would fail at once.
      const ready = !isClosing() && vendors.some((v) => v.breaker !== 'OPEN');
      json(ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', vendors, ...extra() });
    },
  };
}
