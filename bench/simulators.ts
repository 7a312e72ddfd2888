// The three vendor simulators in a process of their own, for `npm run bench`: the gateway then reaches them as it
// would reach real vendors (through the vendor env vars), and their CPU is not the gateway's. Prints one JSON line
// on stdout: the env vars that point a gateway at them, and a loopback-only admin URL that answers
// GET /counts (requests served per vendor and per route, and this process's CPU time) and POST /reset.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { vendorSettingsEnv } from '../src/config.js';
import { startSimulatorsFor } from '../src/simulators/index.js';

// BENCH_SIM_TRACE=1: every request line goes to stderr (to see which calls a query makes).
if (process.env.BENCH_SIM_TRACE === '1') {
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as { method?: string; url?: string };
      process.stderr.write(`${req.method} ${req.url}\n`);
    }
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof emit;
}

const sims = await startSimulatorsFor({});
const { GENERIC_MES: gm, PITNEY_BOWES: pb } = sims.settings;
// A day-long DotZero token, so that no refresh lands inside a measurement.
const dzSim = sims.simulators.DOTZERO!;
const creds = dzSim.issueCredentials(24 * 3600);
const dz = {
  ...sims.settings.DOTZERO,
  token: creds.token,
  refreshToken: creds.refreshToken,
  expiresAt: new Date(creds.expiresAt),
};

const env = vendorSettingsEnv({ DOTZERO: dz, GENERIC_MES: gm, PITNEY_BOWES: pb });

const counts = () => {
  const byVendor: Record<string, number> = {};
  const byRoute: Record<string, number> = {};
  for (const [vendor, sim] of Object.entries(sims.simulators)) {
    byVendor[vendor] = sim.total();
    for (const [route, n] of Object.entries(sim.counts() as Record<string, number>)) byRoute[`${vendor} ${route}`] = n;
  }
  const cpu = process.cpuUsage();
  return { byVendor, byRoute, cpuMicros: cpu.user + cpu.system };
};

const admin = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/counts') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(counts()));
  } else if (req.method === 'POST' && req.url === '/reset') {
    for (const sim of Object.values(sims.simulators)) sim.resetCounts();
    res.writeHead(204);
    res.end();
  } else {
    res.writeHead(404);
    res.end();
  }
});
await new Promise<void>((r) => admin.listen(0, '127.0.0.1', r));

console.log(
  JSON.stringify({ env, admin: `http://127.0.0.1:${(admin.address() as AddressInfo).port}`, pid: process.pid }),
);

const stop = async () => {
  admin.close();
  await sims.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
// The bench closes our stdin when it is done (or dies): go with it, never linger.
process.stdin.on('end', () => void stop());
process.stdin.resume();
