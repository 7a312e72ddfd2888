// What `npm start` prints once the gateway listens (the bench and the tests read its first line for the port).
import type { GatewayConfig } from './config.js';
import { VENDORS, type Vendor } from './domain/model.js';

export function printBanner(port: number, config: GatewayConfig, simulated: ReadonlySet<Vendor>): void {
  const workers = config.workers ?? 1;
  console.log(
    `MES Gateway listening on http://localhost:${port}/graphql${config.graphiql ? ' (GraphiQL in a browser)' : ''}${workers > 1 ? ` with ${workers} workers` : ''}`,
  );
  console.log(`  simulated vendors: ${simulated.size ? [...simulated].join(', ') : 'none'}`);
  const real = VENDORS.filter((v) => !simulated.has(v));
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
  console.log(
    `  live updates: subscriptions over SSE and ws://localhost:${port}/graphql; polling every ${config.pollIntervalMs || 'never'} ms`,
  );
}
