// `npm run schema` rewrites schema.graphql (the API schema, as partners and frontends see it) and
// schema.subgraph.graphql (the Federation v2 subgraph SDL, as `{ _service { sdl } }` answers it to routers) from the
// Pothos schema; `--check` fails when either file is stale.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { printedSchema, printedSubgraphSchema } from '../src/schema/index.js';

const files = [
  { file: resolve(import.meta.dirname, '..', 'schema.graphql'), printed: printedSchema() },
  { file: resolve(import.meta.dirname, '..', 'schema.subgraph.graphql'), printed: printedSubgraphSchema() },
];

if (process.argv.includes('--check')) {
  let stale = false;
  for (const { file, printed } of files) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current !== printed) {
      console.error(`${file} is stale: run \`npm run schema\` and commit the result.`);
      stale = true;
    } else console.log(`${file} matches the code.`);
  }
  if (stale) process.exit(1);
} else {
  for (const { file, printed } of files) {
    writeFileSync(file, printed);
    console.log(`wrote ${file}`);
  }
}
