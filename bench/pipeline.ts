// `npm run bench:pipeline`: the gateway's own cost per request for a catalog document, in one process, without
// sockets: the front door (gateway.fetch) against the in-process simulators, sequential requests, four ways side by
// side in interleaved blocks (yoga's general path, its lean path for catalog documents, the fast lane, the fast
// lane with graphql-jit). What `npm run bench` cannot show on a
// noisy shared machine: a difference of a few percent of the gateway's CPU per request.
//
//   npm run bench:pipeline                 (-- --requests 3000 --blocks 5)
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLogger } from '../src/logger.js';
import { startSimulatorsFor } from '../src/simulators/index.js';
import { createGateway, type Gateway } from '../src/yoga.js';
import type { GatewayConfig } from '../src/config.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const REQUESTS = Number(opt('requests', '3000'));
const BLOCKS = Number(opt('blocks', '5'));

const manifest = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<string, string>;
const idOf = (name: string) => {
  const entry = Object.entries(manifest).find(
    ([, text]) =>
      new RegExp(`^(fragment [^]*)?(query|mutation) ${name}\\b`).test(text) ||
      text.includes(`query ${name}(`) ||
      text.includes(`query ${name} `),
  );
  if (!entry) throw new Error(`no ${name} in the catalog`);
  return entry[0];
};
const DOCS = [
  { name: 'Vendors (no vendor call)', body: { documentId: idOf('Vendors') } },
  {
    name: 'WorkOrderStatuses, 20 DotZero orders (1 call)',
    body: { documentId: idOf('WorkOrderStatuses'), variables: { first: 20, filter: { vendors: ['DOTZERO'] } } },
  },
];

const sims = await startSimulatorsFor({});
const base: GatewayConfig = {
  port: 0,
  production: true,
  graphiql: false,
  introspection: true,
  vendors: {},
  upstreamTimeoutMs: 10_000,
  persistedDocumentsFile: 'src/generated/persisted-documents.json',
  maxBodyBytes: 100_000,
  shutdownGraceMs: 1_000,
  metrics: false,
  clients: [
    {
      name: 'bench-partner',
      apiKey: 'bench-partner-key-0123456789',
      role: 'partner',
      scopes: ['workorders:read'],
      rateLimitPerMinute: 1_000_000_000,
    },
  ],
};
const WAYS: { name: string; config: Partial<GatewayConfig> }[] = [
  { name: 'general path', config: { leanPersisted: false, fastLane: false, jit: false } },
  { name: 'lean path', config: { leanPersisted: true, fastLane: false, jit: false } },
  { name: 'fast lane', config: { leanPersisted: true, fastLane: true, jit: false } },
  { name: 'fast lane + jit', config: { leanPersisted: true, fastLane: true, jit: true } },
];
const logger = createLogger(true, 'silent');
const gateways: Gateway[] = WAYS.map((w) =>
  createGateway({ config: { ...base, ...w.config }, vendors: sims.settings, simulated: sims.simulated, logger }),
);

async function run(gw: Gateway, body: string, n: number): Promise<number> {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const res = await gw.fetch('http://gateway.bench/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'bench-partner-key-0123456789' },
      body,
    });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors"')) throw new Error(`${res.status}: ${text.slice(0, 300)}`);
  }
  const used = process.cpuUsage(t0);
  return (used.user + used.system) / 1000 / n; // CPU ms per request, simulators included
}

const sameAnswers = async (body: string) => {
  const texts = await Promise.all(
    gateways.map(async (gw) => {
      const res = await gw.fetch('http://gateway.bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'bench-partner-key-0123456789' },
        body,
      });
      return createHash('sha256')
        .update(await res.text())
        .digest('hex');
    }),
  );
  return new Set(texts).size === 1;
};

console.log(`node ${process.version}; ${REQUESTS} sequential requests per block, ${BLOCKS} interleaved blocks`);
console.log('CPU ms per request (median of blocks, min-max), the in-process simulators included');
for (const doc of DOCS) {
  const body = JSON.stringify(doc.body);
  console.log(`\n${doc.name}: answers ${(await sameAnswers(body)) ? 'identical' : 'DIFFER'} the four ways`);
  for (const gw of gateways) await run(gw, body, Math.min(REQUESTS, 1000)); // warm-up (JIT tier-up, caches)
  const results = WAYS.map(() => [] as number[]);
  for (let b = 0; b < BLOCKS; b++) {
    const order = b % 2 === 0 ? WAYS.map((_, i) => i) : WAYS.map((_, i) => WAYS.length - 1 - i);
    for (const i of order) results[i]!.push(await run(gateways[i]!, body, REQUESTS));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const general = median(results[0]!);
  for (const [i, w] of WAYS.entries()) {
    const xs = results[i]!;
    console.log(
      `  ${w.name.padEnd(14)} ${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(3)}-${Math.max(...xs).toFixed(3)})  ${((median(xs) / general - 1) * 100).toFixed(1)}% vs general`,
    );
  }
}
await Promise.all(gateways.map((g) => g.close()));
await sims.close();
process.exit(0);
