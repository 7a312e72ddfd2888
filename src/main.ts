// Start: read config, start simulators for unconfigured vendors, listen, close cleanly on SIGTERM.
import { createServer } from 'node:http';
import { ConfigError, loadDotEnv, readConfig } from './config.js';
import { VENDORS } from './domain/model.js';
import { createLogger } from './logger.js';
import { startSimulatorsFor } from './simulators/index.js';
import { createGateway } from './yoga.js';

loadDotEnv();
let config;
try {
  config = readConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

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
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  server.closeIdleConnections();
  await gateway.close();
  await sims.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
