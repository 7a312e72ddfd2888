// Start: read config, start simulators for unconfigured vendors, listen, close cleanly on SIGTERM or SIGINT.
// `npm start` runs this compiled (dist/main.js) as the very process npm starts (`exec`), so a process manager's
// signal to npm's pid reaches it: npm forwards SIGTERM/SIGINT to its child. With WORKERS=N (N > 1) this process is
// a cluster's primary (cluster.ts), and each of its workers runs the rest of this file.
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { printBanner } from './banner.js';
import { clusterSimulated, runPrimary } from './cluster.js';
import { ConfigError, loadDotEnv, readConfig, type GatewayConfig } from './config.js';
import { createLogger } from './logger.js';

loadDotEnv();
let config: GatewayConfig;
try {
  config = readConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

if ((config.workers ?? 1) > 1 && cluster.isPrimary) {
  await runPrimary(config, createLogger(config.production));
} else {
  await serve(config);
}

async function serve(config: GatewayConfig) {
  // The graph and the simulators load only once the configuration is known good: a configuration error is told
  // at once.
  const { animateSimulators, shopFloorOf, startSimulatorsFor } = await import('./simulators/index.js');
  const { startGateway } = await import('./yoga.js');
  const { attachWebSockets } = await import('./events/ws.js');
  const { RedisStartupError } = await import('./shared/redis.js');
  const logger = createLogger(config.production);
  // A cluster's worker is handed its primary's simulators as configured vendors: it starts none of its own.
  const sims = await startSimulatorsFor(config.vendors);
  const simulated = clusterSimulated() ?? sims.simulated;
  // The simulated generic MES signs its webhooks with the gateway's secret; without one configured, a fresh one
  // for this run, so `npm start` shows webhook-driven changes with no setting at all.
  if (sims.simulators.GENERIC_MES && !config.genericMesWebhookSecret)
    config.genericMesWebhookSecret = randomBytes(24).toString('base64url');
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  try {
    gateway = await startGateway({ config, vendors: sims.settings, simulated, logger });
  } catch (err) {
    if (err instanceof RedisStartupError) {
      console.error(err.message);
      await sims.close();
      process.exit(1);
    }
    throw err;
  }
  const server = createServer(gateway.handle);
  server.requestTimeout = 60_000;
  server.headersTimeout = 15_000;
  const sockets = attachWebSockets(server, gateway);
  let stopShopFloor = () => {};

  server.listen(config.port, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    // In a cluster the primary tells it once, when every worker listens.
    if (cluster.isWorker) return;
    printBanner(port, config, simulated);
    stopShopFloor = animateSimulators(sims.simulators, shopFloorOf(config, port));
  });

  let closing = false;
  /**
   * Stop taking connections, let the requests in flight finish (their vendor clients and simulators stay up until
   * then), and give up on the stragglers after the shutdown grace.
   */
  async function shutdown(signal: string) {
    if (closing) return;
    closing = true;
    const grace = config.shutdownGraceMs;
    logger.info({ signal, graceMs: grace }, 'shutting down');
    stopShopFloor();
    // Subscriptions never finish by themselves: end them, so the server can drain.
    await sockets.close().catch(() => undefined);
    await gateway.changes.close().catch(() => undefined);
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // A keep-alive connection that finishes its request while closing is idle from then on: close it too.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const late = setTimeout(() => {
      logger.warn({ graceMs: grace }, 'shutdown grace over: closing the connections still open');
      server.closeAllConnections();
    }, grace);
    await drained;
    clearInterval(idle);
    clearTimeout(late);
    await gateway.close();
    await gateway.redis?.close();
    await sims.close();
    logger.info('stopped');
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
