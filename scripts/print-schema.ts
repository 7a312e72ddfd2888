// `npm run schema` rewrites schema.graphql from the Pothos schema; `--check` fails when the file is stale.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { printedSchema } from '../src/schema/index.js';

const file = resolve(import.meta.dirname, '..', 'schema.graphql');
const printed = printedSchema();

if (process.argv.includes('--check')) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current !== printed) {
    console.error('schema.graphql is stale: run `npm run schema` and commit the result.');
    process.exit(1);
  }
  console.log('schema.graphql matches the code.');
} else {
  writeFileSync(file, printed);
  console.log(`wrote ${file}`);
}
