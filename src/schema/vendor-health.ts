import type { VendorHealth } from '../domain/health.js';
import { builder } from './builder.js';

const VendorHealthStateEnum = builder.enumType('VendorHealthState', {
  values: ['UP', 'DEGRADED', 'DOWN', 'UNKNOWN'] as const,
});
const BreakerStateEnum = builder.enumType('BreakerState', {
  values: ['CLOSED', 'OPEN', 'HALF_OPEN', 'DISABLED'] as const,
});

export const VendorHealthRef = builder.objectRef<VendorHealth>('VendorHealth').implement({
  description: "The vendor's health as the gateway's own recent calls see it.",
  fields: (t) => ({
    state: t.field({
      type: VendorHealthStateEnum,
      description:
        'DOWN: breaker open. DEGRADED: half-open, or 20% or more of recent attempts failed. UNKNOWN: no call yet.',
      resolve: (h) => h.state,
    }),
    breaker: t.field({ type: BreakerStateEnum, resolve: (h) => h.breaker }),
    latencyP50Ms: t.float({
      nullable: true,
      description: 'Over the last 256 attempts.',
      resolve: (h) => h.latencyP50Ms,
    }),
    latencyP99Ms: t.float({
      nullable: true,
      description: 'Over the last 256 attempts.',
      resolve: (h) => h.latencyP99Ms,
    }),
    errorRate: t.float({ description: 'Failed share of the last 256 attempts (0 to 1).', resolve: (h) => h.errorRate }),
    lastError: t.string({
      nullable: true,
      description: 'What the last failure was (status or transport error); never a body or credential.',
      resolve: (h) => h.lastError,
    }),
    lastErrorAt: t.field({ type: 'DateTime', nullable: true, resolve: (h) => h.lastErrorAt }),
    lastSuccessAt: t.field({ type: 'DateTime', nullable: true, resolve: (h) => h.lastSuccessAt }),
    inFlight: t.int({ resolve: (h) => h.inFlight }),
    queued: t.int({ resolve: (h) => h.queued }),
    retries: t.int({ description: 'Read retries made since start.', resolve: (h) => h.retries }),
    breakerTrips: t.int({ resolve: (h) => h.breakerTrips }),
  }),
});
