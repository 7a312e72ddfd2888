// Prometheus metrics: what each vendor call cost (the first number to watch, DESIGN.md) and what each GraphQL
// operation did. One registry per gateway, so tests and several gateways in one process never share counters.
// Under WORKERS=N a worker answers /metrics with every worker's figures (metrics-cluster.ts).
import { getOperationAST, type DocumentNode } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { everyWorkersMetrics, gatheredByPrimary } from './metrics-cluster.js';
import type { VendorHealthSource } from './domain/health.js';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';
import type { CallObserver } from './vendors/http.js';

export interface Metrics {
  registry: Registry;
  /** Feeds vendor calls into the metrics (VendorHttp's call events). */
  observeCall: CallObserver;
  /** Counts an executed operation (the fast lane's; the plugin counts the general path's). */
  observeOperation: OperationObserver;
  /** Exposes the fast lane's counts (read at scrape time: nothing per request). */
  watchLane(stats: { served: number; declined: number; cached: number }): void;
  plugin: Plugin<GatewayContext>;
}

export type OperationObserver = (
  type: string,
  started: number,
  result: { data?: unknown; errors?: readonly unknown[] },
  partialErrors: number,
) => void;

const BREAKER_VALUE = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2, DISABLED: -1 } as const;

export function createMetrics(health?: VendorHealthSource): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mes_gateway_' });
  const exposition = gatheredByPrimary() ? everyWorkersMetrics(registry) : () => registry.metrics();

  // Vendor health, read from the guards at scrape time (the same figures as `vendors { health }`).
  if (health) {
    // Across workers (each has its own guards), a state or a rate is the worst worker's, a count the sum.
    const gauge = (
      name: string,
      help: string,
      value: (h: ReturnType<VendorHealthSource['health']>[number]) => number | null,
      aggregator: 'sum' | 'min' | 'max' = 'sum',
    ) =>
      new Gauge({
        name,
        help,
        aggregator,
        labelNames: ['vendor'] as const,
        registers: [registry],
        collect() {
          this.reset();
          for (const h of health.health()) {
            const v = value(h);
            if (v !== null) this.set({ vendor: h.vendor }, v);
          }
        },
      });
    gauge(
      'mes_gateway_vendor_up',
      'Vendor health: 1 UP, 0.5 DEGRADED or UNKNOWN, 0 DOWN (breaker open).',
      (h) => (h.state === 'UP' ? 1 : h.state === 'DOWN' ? 0 : 0.5),
      'min',
    );
    gauge(
      'mes_gateway_vendor_breaker_state',
      'Circuit breaker: 0 closed, 1 half-open, 2 open, -1 none configured.',
      (h) => BREAKER_VALUE[h.breaker],
      'max',
    );
    gauge(
      'mes_gateway_vendor_latency_p50_ms',
      'Median latency of the last 256 vendor attempts.',
      (h) => h.latencyP50Ms,
      'max',
    );
    gauge(
      'mes_gateway_vendor_latency_p99_ms',
      '99th percentile latency of the last 256 vendor attempts.',
      (h) => h.latencyP99Ms,
      'max',
    );
    gauge(
      'mes_gateway_vendor_error_rate',
      'Failed share of the last 256 vendor attempts (0..1).',
      (h) => h.errorRate,
      'max',
    );
    gauge(
      'mes_gateway_vendor_last_success_timestamp_seconds',
      'When a vendor attempt last succeeded.',
      (h) => (h.lastSuccessAt ? h.lastSuccessAt.getTime() / 1000 : null),
      'max',
    );
    gauge('mes_gateway_vendor_in_flight', 'Vendor calls running now (bulkhead slots taken).', (h) => h.inFlight);
    gauge('mes_gateway_vendor_queued', 'Vendor calls waiting for a bulkhead slot.', (h) => h.queued);
    gauge('mes_gateway_vendor_retries_total', 'Read retries made (within the retry budget).', (h) => h.retries);
    gauge('mes_gateway_vendor_breaker_trips_total', 'Times the circuit breaker opened.', (h) => h.breakerTrips);
    gauge(
      'mes_gateway_vendor_bulkhead_rejections_total',
      'Calls refused because the bulkhead and its queue were full.',
      (h) => h.bulkheadRejections,
    );
  }

  const upstreamCalls = new Counter({
    name: 'mes_gateway_upstream_requests_total',
    help: 'Vendor calls, by vendor, operation and HTTP status ("error" when no answer came).',
    labelNames: ['vendor', 'operation', 'status'] as const,
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: 'mes_gateway_upstream_request_duration_seconds',
    help: 'Vendor call latency.',
    labelNames: ['vendor', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'mes_gateway_graphql_operations_total',
    help: 'GraphQL operations executed, by type and outcome (ok, partial: some vendor failed, error).',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const operationSeconds = new Histogram({
    name: 'mes_gateway_graphql_operation_duration_seconds',
    help: 'GraphQL execution time, vendor calls included.',
    labelNames: ['type'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  // The label sets here are few and fixed, so each one's child is looked up once and kept, by vendor, operation and
  // status in turn: no key string of ours per call. (prom-client still hashes the child's labels on every
  // inc/observe; 1.8% of W1's CPU, measured, and left.)
  type CallChild = { count: { inc(): void }; time: { observe(v: number): void } };
  const callChildren = new Map<string, Map<string, Map<number | string, CallChild>>>();
  const callChild = (vendor: string, operation: string, status: number | string): CallChild => {
    let byOperation = callChildren.get(vendor);
    if (!byOperation) callChildren.set(vendor, (byOperation = new Map()));
    let byStatus = byOperation.get(operation);
    if (!byStatus) byOperation.set(operation, (byStatus = new Map()));
    let child = byStatus.get(status);
    if (!child) {
      child = {
        count: upstreamCalls.labels(vendor, operation, String(status)),
        time: upstreamSeconds.labels(vendor, operation),
      };
      byStatus.set(status, child);
    }
    return child;
  };
  const operationChildren = new Map<string, { inc(): void }>();
  const durationChildren = new Map<string, { observe(v: number): void }>();

  const observeCall: CallObserver = ({ vendor, operation, status, ms }) => {
    const child = callChild(vendor, operation, status);
    child.count.inc();
    child.time.observe(ms / 1000);
  };

  /**
   * One executed operation, started at `started` (performance.now()): by the plugin below, and by the fast lane,
   * which runs no plugin. Vendors that failed while others answered are added to the errors later: counted here.
   */
  const observeOperation: OperationObserver = (type, started, result, partialErrors) => {
    const errors = (result.errors?.length ?? 0) + partialErrors;
    const outcome = errors === 0 ? 'ok' : result.data ? 'partial' : 'error';
    const key = `${type}\u0000${outcome}`;
    let ops = operationChildren.get(key);
    if (!ops) operationChildren.set(key, (ops = operations.labels(type, outcome)));
    ops.inc();
    let time = durationChildren.get(type);
    if (!time) durationChildren.set(type, (time = operationSeconds.labels(type)));
    time.observe((performance.now() - started) / 1000);
  };

  const plugin: Plugin<GatewayContext> = {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/metrics' || request.method !== 'GET') return;
      let text: string;
      try {
        text = await exposition();
      } catch (err) {
        // Never one worker's figures in place of all of them: the scrape fails, and says why.
        endResponse(
          new fetchAPI.Response(`metrics of every worker could not be gathered: ${(err as Error).message}\n`, {
            status: 503,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
        return;
      }
      endResponse(new fetchAPI.Response(text, { status: 200, headers: { 'content-type': registry.contentType } }));
    },
    onExecute({ args }) {
      const started = performance.now();
      const type = getOperationAST(args.document as DocumentNode, args.operationName)?.operation ?? 'query';
      return {
        onExecuteDone({ result }) {
          if (!result || Symbol.asyncIterator in result) return;
          observeOperation(type, started, result, (args.contextValue as GatewayContext).partialErrors?.length ?? 0);
        },
      };
    },
  };

  // Which requests the fast lane served (of them, answered from the response cache) and which it handed to yoga
  // after their headers admitted them (execution/fast-lane.ts).
  let lane: { served: number; declined: number; cached: number } | undefined;
  new Counter({
    name: 'mes_gateway_fast_lane_requests_total',
    help: 'Requests the fast lane served (outcome served; cached: of them, from the response cache) or handed to yoga after admitting their headers (declined).',
    labelNames: ['outcome'] as const,
    registers: [registry],
    collect() {
      if (!lane) return;
      this.reset();
      this.inc({ outcome: 'served' }, lane.served);
      this.inc({ outcome: 'cached' }, lane.cached);
      this.inc({ outcome: 'declined' }, lane.declined);
    },
  });
  const watchLane = (stats: { served: number; declined: number; cached: number }) => {
    lane = stats;
  };

  return { registry, observeCall, observeOperation, watchLane, plugin };
}
