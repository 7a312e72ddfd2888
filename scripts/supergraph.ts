// `npm run supergraph -- [--mes-url URL] --subgraph NAME=URL|FILE ... [--header 'Name: value'] [--out FILE]`
// Composes this gateway (subgraph `mes`, its SDL from the code) with the given subgraphs and prints the supergraph
// SDL (or writes it to --out) for Hive Gateway or Apollo Router. A subgraph given by URL is asked `_service { sdl }`
// (with the --header values, e.g. its API key); one given by a file is read from it (then NAME=FILE@ROUTING_URL
// names the URL the router will call).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph, fetchSubgraphSdl, type SubgraphSource } from './compose.js';

const USAGE = `usage: npm run supergraph -- [--mes-url http://localhost:4000/graphql] --subgraph NAME=URL|FILE[@ROUTING_URL] ... [--header 'Name: value'] [--out supergraph.graphql]`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(1);
}

const args = process.argv.slice(2);
let mesUrl = 'http://localhost:4000/graphql';
let out: string | undefined;
const specs: string[] = [];
const headers: Record<string, string> = {};
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  const value = () => args[++i] ?? fail(`${arg} needs a value`);
  if (arg === '--mes-url') mesUrl = value();
  else if (arg === '--subgraph') specs.push(value());
  else if (arg === '--out') out = value();
  else if (arg === '--header') {
    const h = value();
    const at = h.indexOf(':');
    if (at <= 0) fail(`--header must be "Name: value"`);
    headers[h.slice(0, at).trim()] = h.slice(at + 1).trim();
  } else if (arg === '--help' || arg === '-h') {
    console.log(USAGE);
    process.exit(0);
  } else fail(`unknown argument ${arg}`);
}

async function source(spec: string): Promise<SubgraphSource> {
  const eq = spec.indexOf('=');
  if (eq <= 0) fail(`--subgraph must be NAME=URL or NAME=FILE: ${spec}`);
  const name = spec.slice(0, eq);
  const where = spec.slice(eq + 1);
  if (/^https?:\/\//.test(where)) return { name, url: where, sdl: await fetchSubgraphSdl(where, headers) };
  const [file, url] = where.split('@') as [string, string | undefined];
  if (!existsSync(file)) fail(`no such SDL file: ${file}`);
  if (!url) fail(`a subgraph given by file needs its routing URL: ${name}=${file}@http://host/graphql`);
  return { name, url, sdl: readFileSync(file, 'utf8') };
}

try {
  const supergraph = composeSupergraph(mesUrl, await Promise.all(specs.map(source)));
  if (out) {
    writeFileSync(out, supergraph);
    console.error(`wrote ${out}`);
  } else process.stdout.write(supergraph);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
