// WORKERS=N (N > 1, with REDIS_URL): this process is the primary of a node cluster. It starts the simulators of the
// vendors that have no URL (once, so every worker sees the same simulated shop floor), forks N workers that share the
// listening port (the primary hands connections round-robin), and passes them the simulators as configured vendors.
// Everything clients rely on lives in Redis already (rate windows, idempotency keys, APQ registrations, write
// locks, vendor tokens, the polling lease, the change channel), so workers are replicas that happen to share a port.
// SIGTERM/SIGINT: each worker drains as a lone gateway does (SHUTDOWN_GRACE_MS), then the primary stops. A worker's
// /metrics gets every worker's figures through the primary (metrics-cluster.ts).
import cluster, { type Worker } from 'node:cluster';
import { printBanner } from './banner.js';
import { vendorSettingsEnv, type GatewayConfig, type VendorSettings } from './config.js';
import type { Vendor } from './domain/model.js';
import type { Logger } from './logger.js';
import { GATHERED_BY_PRIMARY_ENV, gatherWorkerMetrics } from './metrics-cluster.js';
import type { SimulatedVendors } from './simulators/index.js';

/** Set by the primary for its workers: the vendors that are its simulators (for `vendors { simulated }`, /ready). */
export const CLUSTER_SIMULATED_ENV = 'MESGW_CLUSTER_SIMULATED';

/** The simulators as the vendor settings a worker reads from its environment. */
function vendorEnv(sims: SimulatedVendors): Record<string, string> {
  const simulated: VendorSettings = {};
  for (const vendor of sims.simulated) Object.assign(simulated, { [vendor]: sims.settings[vendor] });
  return vendorSettingsEnv(simulated);
}

/** The simulated vendors a worker was told about by its primary. */
export function clusterSimulated(): Set<Vendor> | undefined {
  if (!cluster.isWorker) return undefined;
  const raw = process.env[CLUSTER_SIMULATED_ENV];
  return new Set((raw ? raw.split(',') : []) as Vendor[]);
}

export async function runPrimary(config: GatewayConfig, logger: Logger): Promise<void> {
  const workers = config.workers ?? 1;
  const { animateSimulators, shopFloorOf, startSimulatorsFor } = await import('./simulators/index.js');
  const { randomBytes } = await import('node:crypto');
  const sims = await startSimulatorsFor(config.vendors);
  if (sims.simulators.GENERIC_MES && !config.genericMesWebhookSecret)
    config.genericMesWebhookSecret = randomBytes(24).toString('base64url');
  const env: Record<string, string> = {
    ...vendorEnv(sims),
    [CLUSTER_SIMULATED_ENV]: [...sims.simulated].join(','),
    [GATHERED_BY_PRIMARY_ENV]: '1',
    ...(config.genericMesWebhookSecret ? { GENERIC_MES_WEBHOOK_SECRET: config.genericMesWebhookSecret } : {}),
  };

  let closing = false;
  let port: number | undefined;
  const listening = new Set<number>();
  let stopShopFloor = () => {};
  // A worker that dies while serving is replaced; a worker that dies before it ever listened (a configuration or
  // Redis error it has printed) stops the whole gateway, since every replacement would die the same way.
  const restarts: number[] = [];

  const fork = (): Worker => cluster.fork(env);
  gatherWorkerMetrics();
  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    if (port !== undefined) {
      logger.info({ worker: worker.process.pid }, 'worker replaced');
      return;
    }
    if (listening.size < workers) return;
    port = address.port;
    printBanner(port, config, sims.simulated);
    stopShopFloor = animateSimulators(sims.simulators, shopFloorOf(config, port));
  });
  cluster.on('exit', (worker, code, signal) => {
    const served = listening.delete(worker.id);
    if (closing) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void finish();
      return;
    }
    if (!served) {
      console.error(`A worker stopped before it listened (exit ${code ?? signal}): stopping the gateway.`);
      void shutdown('worker failed', 1);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0]! < now - 60_000) restarts.shift();
    if (restarts.length > 5) {
      console.error('Workers keep dying (more than 5 in a minute): stopping the gateway.');
      void shutdown('workers failing', 1);
      return;
    }
    logger.warn({ worker: worker.process.pid, code, signal }, 'worker died; starting another');
    fork();
  });

  let exitCode = 0;
  let finished = false;
  async function finish() {
    if (finished) return;
    finished = true;
    stopShopFloor();
    await sims.close();
    logger.info('stopped');
    process.exit(exitCode);
  }
  /** Every worker drains (its own SHUTDOWN_GRACE_MS); the simulators stay up until the last one is gone. */
  async function shutdown(signal: string, code = 0) {
    if (closing) return;
    closing = true;
    exitCode = code;
    logger.info({ signal, workers: Object.keys(cluster.workers ?? {}).length }, 'shutting down workers');
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (alive.length === 0) return finish();
    for (const w of alive) w.process.kill('SIGTERM');
    // A worker that outlives its own grace by far is stuck: end it.
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    }, config.shutdownGraceMs + 5_000).unref();
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  for (let i = 0; i < workers; i++) fork();
}
