// Start: read config, start simulators for unconfigured vendors, listen, close cleanly on SIGTERM or SIGINT.
// `npm start` runs this compiled (dist/main.js) as the very process npm starts (`exec`), so a process manager's
// signal to npm's pid reaches it: npm forwards SIGTERM/SIGINT to its child.
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
const { createGateway } = await import('./yoga.js');
const logger = createLogger(config.production);
const sims = await startSimulatorsFor(config.vendors);
const gateway = createGateway({ config, vendors: sims.settings, simulated: sims.simulated, logger });
const server = createServer(gateway.yoga);
server.requestTimeout = 60_000;
server.headersTimeout = 15_000;

server.listen(config.port, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const simulated = [...sims.simulated];
  console.log(`MES Gateway listening on http://localhost:${port}/graphql${config.graphiql ? ' (GraphiQL in a browser)' : ''}`);
  console.log(`  simulated vendors: ${simulated.length ? simulated.join(', ') : 'none'}`);
  const real = VENDORS.filter((v) => !sims.simulated.has(v));
  console.log(`  real vendors: ${real.length ? real.join(', ') : 'none'}`);
  if (!config.clients && !config.jwt) {
    console.warn('  WARNING: no GATEWAY_CLIENTS_FILE: the gateway is OPEN — anyone who can reach it may read and write. Fine for local exploration only.');
  } else {
    const named = (config.clients ?? []).map((c) => `${c.name} (${c.role})`);
    if (config.jwt) named.push(`JWTs from ${config.jwt.issuer}`);
    console.log(`  clients: ${named.join(', ')}`);
  }
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
  await sims.close();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
