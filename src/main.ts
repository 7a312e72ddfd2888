// Start: read config, start simulators for unconfigured vendors, listen, close cleanly on SIGTERM or SIGINT.
// `npm start` runs this compiled (dist/main.js) as the very process npm starts (`exec`), so a process manager's
// signal to npm's pid reaches it: npm forwards SIGTERM/SIGINT to its child.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { ConfigError, loadDotEnv, readConfig, type GatewayConfig } from './config.js';
import { VENDORS } from './domain/model.js';
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

// The graph and the simulators load only once the configuration is known good: a configuration error is told
// at once.
const { startSimulatorsFor } = await import('./simulators/index.js');
const { startGateway } = await import('./yoga.js');
const { attachWebSockets } = await import('./events/ws.js');
const { RedisStartupError } = await import('./shared/redis.js');
const logger = createLogger(config.production);
const sims = await startSimulatorsFor(config.vendors);
// The simulated generic MES signs its webhooks with the gateway's secret; without one configured, a fresh one
// for this run, so `npm start` shows webhook-driven changes with no setting at all.
if (sims.simulators.GENERIC_MES && !config.genericMesWebhookSecret)
  config.genericMesWebhookSecret = randomBytes(24).toString('base64url');
let gateway: Awaited<ReturnType<typeof startGateway>>;
try {
  gateway = await startGateway({ config, vendors: sims.settings, simulated: sims.simulated, logger });
} catch (err) {
  if (err instanceof RedisStartupError) {
    console.error(err.message);
    await sims.close();
    process.exit(1);
  }
  throw err;
}
const server = createServer(gateway.yoga);
server.requestTimeout = 60_000;
server.headersTimeout = 15_000;
const sockets = attachWebSockets(server, gateway);
let simulatorTimer: NodeJS.Timeout | undefined;
let deleteTimer: NodeJS.Timeout | undefined;

server.listen(config.port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const simulated = [...sims.simulated];
  console.log(
    `MES Gateway listening on http://localhost:${port}/graphql${config.graphiql ? ' (GraphiQL in a browser)' : ''}`,
  );
  console.log(`  simulated vendors: ${simulated.length ? simulated.join(', ') : 'none'}`);
  const real = VENDORS.filter((v) => !sims.simulated.has(v));
  console.log(`  real vendors: ${real.length ? real.join(', ') : 'none'}`);
  if (!config.clients && !config.jwt) {
    console.warn(
      '  WARNING: no GATEWAY_CLIENTS_FILE: the gateway is OPEN — anyone who can reach it may read and write. Fine for local exploration only.',
    );
  } else {
    const named = (config.clients ?? []).map((c) => `${c.name} (${c.role})`);
    if (config.jwt) named.push(`JWTs from ${config.jwt.issuer}`);
    console.log(`  clients: ${named.join(', ')}`);
  }
  console.log(`  shared state: ${config.redisUrl ? 'Redis (REDIS_URL)' : 'this process only (no REDIS_URL)'}`);
  const gmes = sims.simulators.GENERIC_MES;
  if (gmes && config.genericMesWebhookSecret) {
    gmes.setWebhook({
      url: config.simulatorWebhookUrl ?? `http://127.0.0.1:${port}/webhooks/generic-mes`,
      secret: config.genericMesWebhookSecret,
    });
  }
  // The simulated shop floor moves on by itself when asked (SIMULATOR_CHANGE_INTERVAL_MS), so subscribers see life.
  const every = config.simulatorChangeIntervalMs ?? 0;
  if (every > 0 && sims.simulated.size > 0) {
    simulatorTimer = setInterval(() => {
      sims.simulators.DOTZERO?.changeOrder();
      sims.simulators.GENERIC_MES?.changeOrder();
      sims.simulators.PITNEY_BOWES?.changeOrder();
    }, every);
    simulatorTimer.unref();
  }
  // ...and DotZero's planners delete an order now and then (SIMULATOR_DELETE_INTERVAL_MS): polling reports it.
  const deleteEvery = config.simulatorDeleteIntervalMs ?? 0;
  if (deleteEvery > 0 && sims.simulators.DOTZERO) {
    const dotzero = sims.simulators.DOTZERO;
    deleteTimer = setInterval(() => dotzero.deleteOrder(), deleteEvery);
    deleteTimer.unref();
  }
  console.log(
    `  live updates: subscriptions over SSE and ws://localhost:${port}/graphql; polling every ${config.pollIntervalMs || 'never'} ms`,
  );
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
  if (simulatorTimer) clearInterval(simulatorTimer);
  if (deleteTimer) clearInterval(deleteTimer);
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
