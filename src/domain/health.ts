// What the gateway knows of a vendor's health, from its own calls: read by `vendors { health }`, /metrics and
// /ready. Plain data; the figures are kept in src/vendors/resilience.ts.
import type { Vendor } from './model.js';

export type VendorHealthState = 'UP' | 'DEGRADED' | 'DOWN' | 'UNKNOWN';
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN' | 'DISABLED';

export interface VendorHealth {
  vendor: Vendor;
  /** DOWN: breaker open; DEGRADED: half-open or at least 20% of recent attempts failed; UNKNOWN: no call yet. */
  state: VendorHealthState;
  breaker: BreakerState;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** Failed share of the last 256 attempts (0..1). */
  errorRate: number;
  /** The last failure's message: vendor, operation, status or transport error; never a body, header or token. */
  lastError: string | null;
  lastErrorAt: Date | null;
  lastSuccessAt: Date | null;
  inFlight: number;
  queued: number;
  calls: number;
  retries: number;
  breakerTrips: number;
  bulkheadRejections: number;
}

/** Where the schema and endpoints read vendor health from. */
export interface VendorHealthSource {
  health(): VendorHealth[];
}
