// `npm start`'s prestart: compiles src/ to dist/ (tsc -p tsconfig.build.json) when dist/ is missing or older than
// any source, so a fresh clone builds once and later starts run plain node at once. Plain JS: it must run before
// anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.tsbuildinfo';
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

const built = existsSync(STAMP) && existsSync('dist/main.js') ? statSync(STAMP).mtimeMs : -1;
if (built >= Math.max(...INPUTS.filter((p) => existsSync(p)).map(newest))) process.exit(0);

console.error('Building dist/ (tsc -p tsconfig.build.json)…');
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
// tsc leaves its build info alone when nothing it emits changed: the stamp says "checked now" all the same.
if (tsc.status === 0 && existsSync(STAMP)) utimesSync(STAMP, new Date(), new Date());
process.exit(tsc.status ?? 1);
